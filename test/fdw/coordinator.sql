-- coordinator.sql - the coordinator of the postgres_fdw scale-out test
-- (test/fdw.sh).  Variables: s1host, s1port, s2host, s2port (the shards),
-- cohost, coport (this cluster, for the single-server baseline database
-- fdw_single), pguser, s1 (the countries of shard 1 as SQL literals).
--
--   dist.dependency, dist.assessment, dist.policy_impact
--       partitioned tables with the columns of the extension's tables,
--       PARTITION BY LIST (country) (the depending / affected country):
--       partition s1 = FOR VALUES IN (:s1) on shard1, s2 = DEFAULT on shard2,
--       both postgres_fdw foreign tables on the shards' views shard.* of
--       their supplychain tables (see shard.sql)
--   local.*     plain tables on the coordinator with the same rows
--   single.*    the baseline database's tables and views (IMPORT FOREIGN SCHEMA)
--   single_fn.* the baseline's results of the functions that read the
--               tables (views made in single.sql)
--   dist.<view>, dist.<function>()   the extension's views, and the
--               functions that read its tables, re-created over dist
--   pushed.*    the extension's views computed on the shards (partitioned
--               tables over the shards' filtered views)
--   noext.assessment   shard 1's assessments through a server WITHOUT
--               the extensions option (negative control)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION postgres_fdw;
CREATE EXTENSION supplychain;
\ir generate.sql

CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'s1host', port :'s1port', dbname 'postgres', extensions 'supplychain');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'s2host', port :'s2port', dbname 'postgres', extensions 'supplychain');
CREATE SERVER single FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'cohost', port :'coport', dbname 'fdw_single', extensions 'supplychain');
CREATE SERVER shard1_noext FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'s1host', port :'s1port', dbname 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user :'pguser');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2 OPTIONS (user :'pguser');
CREATE USER MAPPING FOR CURRENT_USER SERVER single OPTIONS (user :'pguser');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1_noext OPTIONS (user :'pguser');

CREATE SCHEMA dist;
CREATE SCHEMA local;
CREATE SCHEMA single;
CREATE SCHEMA noext;
CREATE SCHEMA pushed;

CREATE TABLE dist.dependency (LIKE supplychain.dependency INCLUDING DEFAULTS) PARTITION BY LIST (country);
CREATE FOREIGN TABLE dist.dependency_s1 PARTITION OF dist.dependency FOR VALUES IN (:s1)
    SERVER shard1 OPTIONS (schema_name 'shard', table_name 'dependency');
CREATE FOREIGN TABLE dist.dependency_s2 PARTITION OF dist.dependency DEFAULT
    SERVER shard2 OPTIONS (schema_name 'shard', table_name 'dependency');

CREATE TABLE dist.assessment (LIKE supplychain.assessment INCLUDING DEFAULTS) PARTITION BY LIST (country);
CREATE FOREIGN TABLE dist.assessment_s1 PARTITION OF dist.assessment FOR VALUES IN (:s1)
    SERVER shard1 OPTIONS (schema_name 'shard', table_name 'assessment');
CREATE FOREIGN TABLE dist.assessment_s2 PARTITION OF dist.assessment DEFAULT
    SERVER shard2 OPTIONS (schema_name 'shard', table_name 'assessment');

CREATE TABLE dist.policy_impact (LIKE supplychain.policy_impact INCLUDING DEFAULTS) PARTITION BY LIST (country);
CREATE FOREIGN TABLE dist.policy_impact_s1 PARTITION OF dist.policy_impact FOR VALUES IN (:s1)
    SERVER shard1 OPTIONS (schema_name 'shard', table_name 'policy_impact');
CREATE FOREIGN TABLE dist.policy_impact_s2 PARTITION OF dist.policy_impact DEFAULT
    SERVER shard2 OPTIONS (schema_name 'shard', table_name 'policy_impact');

-- the maintained state, partitioned the same way: each shard keeps its
-- countries' state, and the views re-created in dist read it there
SET fdwtest.s1 = :'s1';
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['stage_state', 'supplier_state', 'country_state', 'country_total_state'] LOOP
        EXECUTE format('CREATE TABLE dist.%1$I (LIKE supplychain.%1$I) PARTITION BY LIST (country)', t);
        EXECUTE format('CREATE FOREIGN TABLE dist.%1$I PARTITION OF dist.%2$I FOR VALUES IN (%3$s) '
                       'SERVER shard1 OPTIONS (schema_name ''shard'', table_name %2$L)',
                       t || '_s1', t, current_setting('fdwtest.s1'));
        EXECUTE format('CREATE FOREIGN TABLE dist.%1$I PARTITION OF dist.%2$I DEFAULT '
                       'SERVER shard2 OPTIONS (schema_name ''shard'', table_name %2$L)', t || '_s2', t);
    END LOOP;
END
$$;

IMPORT FOREIGN SCHEMA shard LIMIT TO (assessment) FROM SERVER shard1_noext INTO noext;

-- The local copy: the shipped rows plus the same generated rows, on one server.
CREATE TABLE local.dependency (LIKE supplychain.dependency INCLUDING ALL);
CREATE TABLE local.assessment (LIKE supplychain.assessment INCLUDING ALL);
CREATE TABLE local.policy_impact (LIKE supplychain.policy_impact INCLUDING ALL);
INSERT INTO local.dependency SELECT * FROM supplychain.dependency
    UNION ALL SELECT * FROM fdwtest.dependency_rows(ARRAY(SELECT code FROM fdwtest.country));
INSERT INTO local.assessment SELECT * FROM supplychain.assessment
    UNION ALL SELECT * FROM fdwtest.assessment_rows(ARRAY(SELECT code FROM fdwtest.country));
INSERT INTO local.policy_impact SELECT * FROM supplychain.policy_impact
    UNION ALL SELECT * FROM fdwtest.policy_impact_rows(ARRAY(SELECT code FROM fdwtest.country));

-- the same trade flows as the single server's (not distributed)
SELECT supplychain.trade_flow_year(2022);
INSERT INTO supplychain.trade_flow SELECT * FROM fdwtest.trade_flow_rows();

IMPORT FOREIGN SCHEMA supplychain FROM SERVER single INTO single;
-- the single server's function results (single.sql)
CREATE SCHEMA single_fn;
IMPORT FOREIGN SCHEMA fdwtest
    LIMIT TO (stage_risk_at, country_risk_at, policy_risk_at, policy_balance_at, chain_exposure, disruption, heatmap_svg)
    FROM SERVER single INTO single_fn;

ANALYZE dist.dependency, dist.assessment, dist.policy_impact,
        local.dependency, local.assessment, local.policy_impact;

-- Every view of the extension, re-created in schema dist over the
-- distributed tables: the view text is the extension's own
-- (pg_get_viewdef), with the three tables and the views themselves
-- redirected to dist.  A view that calls a function of the extension which
-- reads those tables (tier_exposure calls chain_exposure) would still read
-- the coordinator's own tables through it: such functions (SQL and PL/pgSQL,
-- and those calling them) are re-created in dist the same way
-- (pg_get_functiondef), and redirected too.  Views and functions are created
-- as soon as what they need exists, so no list of them or of their order is
-- kept here.
DO $$
DECLARE
    tables constant text[] := ARRAY['dependency', 'assessment', 'policy_impact', 'stage_state',
                                    'supplier_state', 'country_state', 'country_total_state'];
    views text[];
    funcs oid[] := '{}';
    names text[];
    redirect text;
    pending text[];
    item text;
    def text;
    made integer;
    n integer;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    -- SQL functions are checked when the views and functions they call exist
    PERFORM pg_catalog.set_config('check_function_bodies', 'off', true);
    views := ARRAY(SELECT * FROM fdwtest.extension_views(false));
    IF cardinality(views) = 0 THEN
        RAISE EXCEPTION 'the extension has no views';
    END IF;
    names := tables || views;
    LOOP
        n := cardinality(funcs);
        funcs := ARRAY(
            SELECT p.oid
            FROM pg_proc p
            JOIN pg_language l ON l.oid = p.prolang
            JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
            JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
            WHERE l.lanname IN ('sql', 'plpgsql') AND p.prorettype <> 'trigger'::regtype
              AND p.prosrc ~ ('\msupplychain\.(' || array_to_string(names, '|') || ')\M')
            ORDER BY p.oid);
        names := tables || views || ARRAY(SELECT DISTINCT proname::text FROM pg_proc WHERE oid = ANY (funcs));
        EXIT WHEN cardinality(funcs) = n;
    END LOOP;
    redirect := '\msupplychain\.(' || array_to_string(names, '|') || ')\M';
    pending := ARRAY(SELECT 'v' || v FROM unnest(views) v) || ARRAY(SELECT 'f' || f FROM unnest(funcs) f);
    LOOP
        made := 0;
        FOREACH item IN ARRAY pending LOOP
            IF left(item, 1) = 'v' THEN
                def := format('CREATE VIEW dist.%I AS %s', substr(item, 2),
                              pg_get_viewdef(format('supplychain.%I', substr(item, 2))::regclass));
            ELSE
                def := pg_get_functiondef(substr(item, 2)::oid);
            END IF;
            def := regexp_replace(def, redirect, 'dist.\1', 'g');
            BEGIN
                EXECUTE def;
                made := made + 1;
                pending := array_remove(pending, item);
            EXCEPTION WHEN undefined_table OR undefined_function OR undefined_object THEN
                NULL;   -- needs a view or function not yet re-created: next round
            END;
        END LOOP;
        EXIT WHEN cardinality(pending) = 0;
        IF made = 0 THEN
            RAISE EXCEPTION 'cannot re-create over dist: %', pending;
        END IF;
    END LOOP;
END
$$;

-- The other way to run the views on distributed data: on the shards.  Every
-- view with a country column becomes a partitioned table in schema pushed
-- whose partitions are the shards' filtered views (shard.sql): the coordinator
-- only prunes and concatenates.
SET fdwtest.s1 = :'s1';
DO $$
DECLARE
    v text;
BEGIN
    FOR v IN SELECT * FROM fdwtest.extension_views(true) LOOP
        EXECUTE format('CREATE TABLE pushed.%I (LIKE supplychain.%I) PARTITION BY LIST (country)', v, v);
        EXECUTE format('CREATE FOREIGN TABLE pushed.%I PARTITION OF pushed.%I FOR VALUES IN (%s) '
                       'SERVER shard1 OPTIONS (schema_name %L, table_name %L)',
                       v || '_s1', v, current_setting('fdwtest.s1'), 'shard', v);
        EXECUTE format('CREATE FOREIGN TABLE pushed.%I PARTITION OF pushed.%I DEFAULT '
                       'SERVER shard2 OPTIONS (schema_name %L, table_name %L)',
                       v || '_s2', v, 'shard', v);
    END LOOP;
END
$$;

SELECT format('coordinator: %s foreign partitions; dist rows: dependency %s, assessment %s, policy_impact %s; views re-created in dist: %s; functions re-created in dist: %s; views run on the shards (pushed): %s',
              (SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
               WHERE c.relispartition),
              (SELECT count(*) FROM dist.dependency),
              (SELECT count(*) FROM dist.assessment),
              (SELECT count(*) FROM dist.policy_impact),
              (SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
               WHERE relnamespace = 'dist'::regnamespace AND relkind = 'v'),
              (SELECT string_agg(proname, ' ' ORDER BY proname) FROM pg_proc
               WHERE pronamespace = 'dist'::regnamespace),
              (SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
               WHERE relnamespace = 'pushed'::regnamespace AND relkind = 'p'));
