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

IMPORT FOREIGN SCHEMA shard LIMIT TO (assessment) FROM SERVER shard1_noext INTO noext;

-- The local copy: the shipped rows plus the same generated rows, on one server.
CREATE TABLE local.dependency (LIKE supplychain.dependency INCLUDING ALL);
CREATE TABLE local.assessment (LIKE supplychain.assessment INCLUDING ALL);
CREATE TABLE local.policy_impact (LIKE supplychain.policy_impact INCLUDING ALL);
INSERT INTO local.dependency SELECT * FROM supplychain.dependency
    UNION ALL SELECT * FROM fdwtest.dependency_rows(ARRAY(SELECT code FROM supplychain.country));
INSERT INTO local.assessment SELECT * FROM supplychain.assessment
    UNION ALL SELECT * FROM fdwtest.assessment_rows(ARRAY(SELECT code FROM supplychain.country));
INSERT INTO local.policy_impact SELECT * FROM supplychain.policy_impact
    UNION ALL SELECT * FROM fdwtest.policy_impact_rows(ARRAY(SELECT code FROM supplychain.country));

IMPORT FOREIGN SCHEMA supplychain FROM SERVER single INTO single;

ANALYZE dist.dependency, dist.assessment, dist.policy_impact,
        local.dependency, local.assessment, local.policy_impact;

-- Every view of the extension, re-created in schema dist over the
-- distributed tables: the view text is the extension's own
-- (pg_get_viewdef), with the three tables and the views themselves
-- redirected to dist.  Views are created as soon as the views they read
-- exist, so no list of views or of their order is kept here.
DO $$
DECLARE
    redirect text;
    pending text[];
    v text;
    def text;
    made integer;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    pending := ARRAY(SELECT * FROM fdwtest.extension_views(false));
    IF cardinality(pending) = 0 THEN
        RAISE EXCEPTION 'the extension has no views';
    END IF;
    redirect := array_to_string(ARRAY['dependency', 'assessment', 'policy_impact'] || pending, '|');
    LOOP
        made := 0;
        FOREACH v IN ARRAY pending LOOP
            def := pg_get_viewdef(format('supplychain.%I', v)::regclass);
            def := regexp_replace(def, '\msupplychain\.(' || redirect || ')\M', 'dist.\1', 'g');
            BEGIN
                EXECUTE format('CREATE VIEW dist.%I AS %s', v, def);
                made := made + 1;
                pending := array_remove(pending, v);
            EXCEPTION WHEN undefined_table THEN
                NULL;   -- reads a view not yet re-created: next round
            END;
        END LOOP;
        EXIT WHEN cardinality(pending) = 0;
        IF made = 0 THEN
            RAISE EXCEPTION 'cannot re-create views over dist: %', pending;
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

SELECT format('coordinator: %s foreign partitions; dist rows: dependency %s, assessment %s, policy_impact %s; views re-created in dist: %s; views run on the shards (pushed): %s',
              (SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
               WHERE c.relispartition),
              (SELECT count(*) FROM dist.dependency),
              (SELECT count(*) FROM dist.assessment),
              (SELECT count(*) FROM dist.policy_impact),
              (SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
               WHERE relnamespace = 'dist'::regnamespace AND relkind = 'v'),
              (SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
               WHERE relnamespace = 'pushed'::regnamespace AND relkind = 'p'));
