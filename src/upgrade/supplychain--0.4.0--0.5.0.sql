-- supplychain 0.4.0 -> 0.5.0: the extension on Citus.  supplychain.distribute()
-- makes the small tables reference tables and distributes the per-country
-- tables by country, undistribute() is the way back (before DROP EXTENSION,
-- which an event trigger refuses while the tables are distributed), and the
-- trigger functions name the relation they fire on (a shard, on a worker)
-- and the tables beside it through shard_of() and table_label().

\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.5.0'" to load this file. \quit

-- Resolve every unqualified name in pg_catalog only (LOCAL: for this script).
SET LOCAL search_path = pg_catalog, pg_temp;

-- The helpers first: the trigger functions below call them.

-- On a Citus worker a trigger fires on a shard (supplychain.dependency_102040),
-- and the name supplychain.dependency there means the distributed table,
-- whose queries Citus plans across the cluster (and which cannot see the
-- trigger's transition tables).  So the trigger functions name the relation
-- they fire on through TG_RELID, the state tables they write through
-- shard_of(), and the table in their messages through table_label().  On a
-- single server and on the coordinator both return the tables themselves.
-- They read Citus's metadata (pg_dist_shard, pg_dist_partition: synced to
-- every node since Citus 11) and never pg_class, whose shards Citus hides
-- from most sessions; a shard's name is Citus's shard_name().

CREATE FUNCTION @extschema@.shard_of(tbl regclass, beside regclass) RETURNS regclass
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    b_shard bigint;
    b_table regclass;
    b_min text;
    b_colocation integer;
    t_method "char";
    t_colocation integer;
    shard regclass;
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL THEN
        RETURN tbl;                         -- no Citus
    END IF;
    -- is beside a shard?  Its name ends in its shard id.
    SELECT s.shardid, s.logicalrelid, s.shardminvalue, p.colocationid
      INTO b_shard, b_table, b_min, b_colocation
      FROM pg_catalog.pg_dist_shard s
      JOIN pg_catalog.pg_dist_partition p ON p.logicalrelid = s.logicalrelid
     WHERE s.shardid = pg_catalog.substring(beside::text, '_([0-9]{1,18})"?$')::bigint
       AND pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid)) = beside;
    IF b_shard IS NULL THEN
        RETURN tbl;                         -- a table, not a shard: the coordinator, or no distribution
    END IF;

    SELECT p.partmethod, p.colocationid INTO t_method, t_colocation
      FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = tbl;
    IF t_method = 'n' OR t_colocation = b_colocation THEN
        -- a reference table's one shard, or the colocated shard of the same range
        SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid)) INTO shard
          FROM pg_catalog.pg_dist_shard s
         WHERE s.logicalrelid = tbl
           AND (t_method = 'n' OR s.shardminvalue = b_min);
    END IF;
    IF shard IS NULL THEN
        RAISE EXCEPTION '% is not colocated with %', tbl, b_table
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('The trigger on shard %s needs the shard of %s on the same node.', beside, tbl),
                  HINT = 'Run SELECT supplychain.distribute() on the coordinator: it makes the extension''s tables reference tables or distributes them colocated by country.';
    END IF;
    RETURN shard;
END
$$;
COMMENT ON FUNCTION @extschema@.shard_of(regclass, regclass) IS
    'internal: the shard of tbl beside shard beside on a Citus node (colocated, or the reference table''s shard); tbl itself when beside is not a shard';

CREATE FUNCTION @extschema@.table_label(rel regclass) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    logical regclass;
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL THEN
        SELECT s.logicalrelid INTO logical
          FROM pg_catalog.pg_dist_shard s
         WHERE s.shardid = pg_catalog.substring(rel::text, '_([0-9]{1,18})"?$')::bigint
           AND pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid)) = rel;
    END IF;
    -- search_path is pg_catalog: regclass output is schema-qualified
    RETURN COALESCE(logical, rel)::text;
END
$$;
COMMENT ON FUNCTION @extschema@.table_label(regclass) IS
    'internal: the table a message names: for a Citus shard its distributed or reference table, otherwise rel itself, schema-qualified';

-- distribution_plan(): where distribute() puts each table of the extension,
-- in the order it does: the small tables become reference tables (a copy on
-- every node), parents before the tables that reference them; the
-- per-country tables are distributed by the depending (or affected)
-- country and colocated, so that every key of the share rule and every row a
-- view computes for one country are on one node.  share_total comes first:
-- the share rule's triggers on dependency's shards need its colocated shard
-- while Citus copies the existing rows into them.  A new table is one line.
CREATE FUNCTION @extschema@.distribution_plan()
RETURNS TABLE (step integer, table_name regclass, placement text, distribution_column text)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.step::integer, pg_catalog.format('@extschema@.%I', r.name)::regclass, 'reference', NULL::text
    FROM pg_catalog.unnest(ARRAY['source', 'country', 'sector', 'stage', 'stage_link', 'alignment',
                                 'policy', 'policy_measure', 'figure', 'weight',
                                 'material', 'material_supply', 'governance',
                                 'product', 'product_stage', 'country_group']) WITH ORDINALITY AS r(name, step)
    UNION ALL
    -- the depending country: the importer of a trade flow
    SELECT 100 + d.step::integer, pg_catalog.format('@extschema@.%I', d.name)::regclass, 'distributed', d.col
    FROM ROWS FROM (pg_catalog.unnest(ARRAY['share_total', 'dependency', 'assessment', 'policy_impact', 'trade_flow']),
                    pg_catalog.unnest(ARRAY['country', 'country', 'country', 'country', 'importer']))
         WITH ORDINALITY AS d(name, col, step)
    ORDER BY 1
$$;
COMMENT ON FUNCTION @extschema@.distribution_plan() IS
    'each table of the extension, in the order distribute() places it: reference (a copy on every node) or distributed (by country, colocated)';

-- What both need: Citus, on the coordinator.
CREATE FUNCTION @extschema@.ensure_citus_coordinator(caller text) RETURNS void
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION '% needs the citus extension', caller
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'On a Citus coordinator: CREATE EXTENSION citus before CREATE EXTENSION supplychain, and add the workers.';
    END IF;
    IF NOT pg_catalog.citus_is_coordinator() THEN
        RAISE EXCEPTION '% runs on the coordinator', caller
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.ensure_citus_coordinator(text) IS
    'internal: raises an error unless the citus extension is installed and this is its coordinator';

CREATE FUNCTION @extschema@.distribute() RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- the extension's tables have triggers (the rules), which Citus creates on
-- every shard only when asked to
SET citus.enable_unsafe_triggers = on
-- reference tables in any order while other tables still reference them
SET citus.enable_local_reference_table_foreign_keys = off
-- the SET LOCAL supplychain.maintenance below reaches the workers
SET citus.propagate_set_commands = 'local'
AS $$
DECLARE
    maintenance text := pg_catalog.current_setting('supplychain.maintenance', true);
    t record;
    unknown text;
    anchor regclass;                    -- the first distributed table
    method "char";
    repmodel "char";
    colocation integer;
    key text;
    made_ref integer := 0;
    kept_ref integer := 0;
    made_dist integer := 0;
    kept_dist integer := 0;
BEGIN
    PERFORM @extschema@.ensure_citus_coordinator('supplychain.distribute()');
    SELECT pg_catalog.string_agg(c.oid::regclass::text, ', ' ORDER BY c.relname) INTO unknown
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'r'
     WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'e'
       AND d.refclassid = 'pg_catalog.pg_extension'::regclass
       AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'supplychain')
       AND c.oid NOT IN (SELECT p.table_name FROM @extschema@.distribution_plan() p);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'table % is not in supplychain.distribution_plan()', unknown
            USING ERRCODE = 'internal_error';
    END IF;

    -- Citus copies the shipped rows into the new shards: the shipped-row
    -- rule lets them pass in maintenance mode, here and on the workers.
    -- Citus sends a SET LOCAL to the workers from a transaction block or a
    -- DO block, not from a function's own statements: hence the DO.
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.maintenance = on; END $d$';

    FOR t IN SELECT * FROM @extschema@.distribution_plan() ORDER BY step LOOP
        method := NULL;
        SELECT p.partmethod, p.repmodel, p.colocationid,
               CASE WHEN p.partmethod = 'h' THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END
          INTO method, repmodel, colocation, key
          FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = t.table_name;
        IF t.placement = 'reference' THEN
            IF method IS NULL THEN
                PERFORM pg_catalog.create_reference_table(t.table_name);
                made_ref := made_ref + 1;
                RAISE NOTICE '% is now a reference table', t.table_name;
            ELSIF method = 'n' AND repmodel = 't' THEN
                kept_ref := kept_ref + 1;
                RAISE NOTICE '% is a reference table already', t.table_name;
            ELSE
                RAISE EXCEPTION '% is a Citus table already, but not a reference table', t.table_name
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'SELECT supplychain.undistribute() first, then supplychain.distribute() again.';
            END IF;
        ELSE
            IF method IS NULL THEN
                PERFORM pg_catalog.create_distributed_table(t.table_name, t.distribution_column,
                    colocate_with => COALESCE(anchor::text, 'none'));
                made_dist := made_dist + 1;
                RAISE NOTICE '% is now distributed by %', t.table_name, t.distribution_column;
            ELSIF method = 'h' AND key = t.distribution_column
                  AND colocation = COALESCE((SELECT p.colocationid FROM pg_catalog.pg_dist_partition p
                                             WHERE p.logicalrelid = anchor), colocation) THEN
                kept_dist := kept_dist + 1;
                RAISE NOTICE '% is distributed by % already', t.table_name, t.distribution_column;
            ELSE
                RAISE EXCEPTION '% is a Citus table already, but not distributed by % beside the extension''s other tables',
                                t.table_name, t.distribution_column
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'SELECT supplychain.undistribute() first, then supplychain.distribute() again.';
            END IF;
            anchor := COALESCE(anchor, t.table_name);
        END IF;
    END LOOP;

    -- back to the caller's mode, on the workers too
    EXECUTE pg_catalog.format('DO $d$ BEGIN SET LOCAL supplychain.maintenance = %L; END $d$',
                              COALESCE(maintenance, 'off'));
    RETURN pg_catalog.format('reference tables: %s new, %s already; distributed by country: %s new, %s already',
                             made_ref, kept_ref, made_dist, kept_dist);
END
$$;
COMMENT ON FUNCTION @extschema@.distribute() IS
    'on a Citus coordinator: makes the small tables reference tables and distributes dependency, assessment, policy_impact and share_total by country, colocated (distribution_plan()); idempotent';

-- undistribute(): the way back, before DROP EXTENSION (whose shards' triggers
-- depend on the extension's functions: the DROP fails, or with CASCADE leaves
-- the shards behind) or to leave Citus.  Citus's undistribute_table()
-- refuses tables that extension members (the views) depend on, so this does
-- what it would do: read the rows, drop the shards and Citus's metadata, and
-- write the rows back into the coordinator's own tables (which still hold,
-- out of sight, the rows of the day they were distributed).
CREATE FUNCTION @extschema@.undistribute() RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET citus.enable_unsafe_triggers = on
-- the reference tables' shards are dropped after the distributed ones, in one
-- transaction: over one connection per node
SET citus.multi_shard_modify_mode = 'sequential'
AS $$
DECLARE
    maintenance text := pg_catalog.current_setting('supplychain.maintenance', true);
    t record;
    tables text;
    trigger_name name;
    n integer := 0;
BEGIN
    PERFORM @extschema@.ensure_citus_coordinator('supplychain.undistribute()');
    SELECT pg_catalog.string_agg(p.table_name::text, ', ' ORDER BY p.step) INTO tables
      FROM @extschema@.distribution_plan() p
     WHERE EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = p.table_name);
    IF tables IS NULL THEN
        RAISE NOTICE 'no table of supplychain is distributed';
        RETURN 'nothing to undistribute';
    END IF;
    -- writers wait (or fail) until the end of the transaction
    EXECUTE pg_catalog.format('LOCK TABLE %s IN EXCLUSIVE MODE', tables);

    FOR t IN SELECT p.table_name, c.relname, n.nspname
               FROM @extschema@.distribution_plan() p
               JOIN pg_catalog.pg_class c ON c.oid = p.table_name
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = p.table_name)
              ORDER BY p.step LOOP
        EXECUTE pg_catalog.format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM %s',
                                  'supplychain_undistribute_' || t.relname, t.table_name);
    END LOOP;
    -- what Citus's DROP TABLE trigger does, referencing tables first
    FOR t IN SELECT p.table_name, c.relname, n.nspname
               FROM @extschema@.distribution_plan() p
               JOIN pg_catalog.pg_class c ON c.oid = p.table_name
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = p.table_name)
              ORDER BY p.step DESC LOOP
        PERFORM pg_catalog.master_remove_distributed_table_metadata_from_workers(t.table_name, t.nspname, t.relname);
        PERFORM pg_catalog.citus_drop_all_shards(t.table_name, t.nspname, t.relname, false);
        PERFORM pg_catalog.master_remove_partition_metadata(t.table_name, t.nspname, t.relname);
        -- and the trigger through which Citus truncates the shards
        FOR trigger_name IN SELECT g.tgname FROM pg_catalog.pg_trigger g
                             WHERE g.tgrelid = t.table_name
                               AND g.tgfoid = 'pg_catalog.citus_truncate_trigger()'::regprocedure LOOP
            EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, t.table_name);
        END LOOP;
        n := n + 1;
        RAISE NOTICE '% is a local table again', t.table_name;
    END LOOP;

    -- the rows back, in maintenance mode (shipped rows), parents first
    SET LOCAL supplychain.maintenance = on;
    EXECUTE pg_catalog.format('TRUNCATE %s', tables);
    FOR t IN SELECT p.table_name, c.relname
               FROM @extschema@.distribution_plan() p
               JOIN pg_catalog.pg_class c ON c.oid = p.table_name
              WHERE p.table_name::text = ANY (pg_catalog.string_to_array(tables, ', '))
              ORDER BY p.step LOOP
        EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM pg_temp.%I',
                                  t.table_name, 'supplychain_undistribute_' || t.relname);
    END LOOP;
    EXECUTE pg_catalog.format('SET LOCAL supplychain.maintenance = %L', COALESCE(maintenance, 'off'));
    RETURN pg_catalog.format('%s tables undistributed', n);
END
$$;
COMMENT ON FUNCTION @extschema@.undistribute() IS
    'on a Citus coordinator: makes the extension''s tables local tables of the coordinator again, with their rows (before DROP EXTENSION)';

-- DROP EXTENSION supplychain (or DROP SCHEMA supplychain) while Citus
-- distributes the tables is refused with the way out: the shards' triggers
-- are not members of the extension, so DROP ... CASCADE would leave every
-- shard and its rows behind on the nodes.  Without Citus it does nothing.
CREATE FUNCTION @extschema@.drop_guard() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'sc_drop_guard' LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.drop_guard() IS
    'event trigger: refuses DROP EXTENSION supplychain while Citus distributes its tables (run supplychain.undistribute() first)';
CREATE EVENT TRIGGER supplychain_drop_guard ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
    EXECUTE FUNCTION @extschema@.drop_guard();
COMMENT ON EVENT TRIGGER supplychain_drop_guard IS
    'refuses DROP EXTENSION supplychain while Citus distributes its tables';

-- The trigger functions: the relation they fire on through TG_RELID,
-- share_total through shard_of(), the table in messages through table_label().

CREATE OR REPLACE FUNCTION @extschema@.dependency_share_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keys text;
    bad record;
    -- the table the trigger fires on, and share_total beside it: on a Citus
    -- worker, a shard and its colocated shard (45_citus.sql)
    dep constant regclass := TG_RELID::regclass;
    tot constant regclass := @extschema@.shard_of('@extschema@.share_total', TG_RELID::regclass);
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE pg_catalog.format('DELETE FROM %s', tot);
        RETURN NULL;
    END IF;
    keys := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT stage, country, kind, item FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT stage, country, kind, item FROM old_rows'
        ELSE 'SELECT stage, country, kind, item FROM new_rows
              UNION SELECT stage, country, kind, item FROM old_rows' END;

    -- lock the keys, in a fixed order so that writers never deadlock
    EXECUTE format($q$
        INSERT INTO %2$s AS t (stage, country, kind, item, total)
        SELECT DISTINCT stage, country, kind, item, 0 FROM (%1$s) k
        ORDER BY stage, country, kind, item
        ON CONFLICT (stage, country, kind, item) DO UPDATE SET total = t.total
    $q$, keys, tot);

    -- each row adds its share minus the same supplier's previous share from
    -- its date on; the running sum is the key's total at each date.  (The
    -- cached current total is written by joining the latest date's total to
    -- share_total through its primary key: linear in the statement's keys.)
    EXECUTE format($q$
        WITH k AS (SELECT DISTINCT stage, country, kind, item FROM (%1$s) k),
        delta AS (
            SELECT d.stage, d.country, d.kind, d.item, d.as_of,
                   COALESCE(d.share, 0) - COALESCE(lag(d.share) OVER (
                       PARTITION BY d.stage, d.country, d.kind, d.item, d.supplier
                       ORDER BY d.as_of), 0) AS delta
            FROM %3$s d JOIN k USING (stage, country, kind, item)
        ), per_date AS (
            SELECT stage, country, kind, item, as_of, sum(delta) AS delta
            FROM delta GROUP BY stage, country, kind, item, as_of
        ), running AS (
            SELECT stage, country, kind, item, as_of,
                   sum(delta) OVER (PARTITION BY stage, country, kind, item ORDER BY as_of) AS total,
                   row_number() OVER (PARTITION BY stage, country, kind, item ORDER BY as_of DESC) AS latest
            FROM per_date
        ), updated AS (
            UPDATE %2$s t SET total = r.total
            FROM running r
            WHERE r.latest = 1
              AND (t.stage, t.country, t.kind, t.item) = (r.stage, r.country, r.kind, r.item)
        )
        SELECT stage, country, kind, item, as_of, total FROM running
        WHERE total > 1 ORDER BY stage, country, kind, item, as_of LIMIT 1
    $q$, keys, tot, dep) INTO bad;

    -- keys whose rows are all gone now hold nothing
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format($q$
            UPDATE %2$s t SET total = 0
            FROM (SELECT DISTINCT stage, country, kind, item FROM (%1$s) k) k
            WHERE (t.stage, t.country, t.kind, t.item) = (k.stage, k.country, k.kind, k.item)
              AND NOT EXISTS (SELECT FROM %3$s d
                              WHERE (d.stage, d.country, d.kind, d.item) = (k.stage, k.country, k.kind, k.item))
        $q$, keys, tot, dep);
    END IF;

    IF bad.stage IS NOT NULL THEN
        RAISE EXCEPTION 'known shares of a dependency sum to % (above 1)', bad.total
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Stage %s, country %s, kind %s, item "%s", as of %s: the latest known share of each supplier up to that date.',
                                  bad.stage, bad.country, bad.kind, bad.item, bad.as_of),
                  HINT = 'Shares are fractions of one item at one stage. Lower another supplier''s share at the same or an earlier date first.';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.builtin_readonly() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_catalog.current_setting('supplychain.maintenance', true) = 'on' THEN
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'cannot truncate %: it holds shipped reference rows', @extschema@.table_label(TG_RELID::regclass)
            USING ERRCODE = 'restrict_violation',
                  HINT = 'DELETE FROM the table WHERE NOT builtin removes your rows only.';
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NOT OLD.builtin) THEN
        RAISE EXCEPTION 'cannot mark a row of % as shipped reference data', @extschema@.table_label(TG_RELID::regclass)
            USING ERRCODE = 'restrict_violation',
                  DETAIL = 'builtin = true marks the rows that come with the extension; pg_dump does not keep them.',
                  HINT = 'Leave builtin false (the default) for your own rows.';
    END IF;
    RAISE EXCEPTION 'cannot % a shipped reference row of %', pg_catalog.lower(TG_OP), @extschema@.table_label(TG_RELID::regclass)
        USING ERRCODE = 'restrict_violation',
              DETAIL = 'Rows with builtin = true come with the extension; pg_dump would not keep a change to them.',
              HINT = 'Add your own row instead: in dated tables, a row with a later as_of takes precedence in the views.';
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.weight_ownership() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF pg_catalog.current_setting('supplychain.maintenance', true) = 'on' THEN
        RETURN NEW;         -- upgrade scripts correct shipped weights as shipped
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.builtin AND NEW.name IS DISTINCT FROM OLD.name THEN
            RAISE EXCEPTION 'cannot rename shipped weight "%"', OLD.name
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Change its value, or insert a weight of your own.';
        END IF;
        IF (NEW.value, NEW.description) IS DISTINCT FROM (OLD.value, OLD.description) THEN
            NEW.builtin := false;
        END IF;
    ELSIF NOT NEW.builtin THEN
        -- a user row named like a shipped default takes the default over in
        -- place (in the table the trigger fires on: on Citus, each placement)
        EXECUTE pg_catalog.format('UPDATE %s SET value = $1, description = $2, builtin = false '
                                  'WHERE name = $3 AND builtin', TG_RELID::regclass)
            USING NEW.value, NEW.description, NEW.name;
        GET DIAGNOSTICS taken = ROW_COUNT;
        IF taken > 0 THEN
            RETURN NULL;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- disruption_rows() computes the exposures in a statement of their own: on
-- Citus a query that reads one country's rows runs on its worker, where
-- chain_exposure() could not read the distributed tables.

CREATE OR REPLACE FUNCTION @extschema@.disruption_rows(
    for_supplier text,
    loss_fraction double precision,
    for_sector text,
    for_country text)
RETURNS TABLE (country text, sector text, stage text,
               direct_loss double precision, total_loss double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ex_country text[];
    ex_stage text[];
    ex_exposure double precision[];
BEGIN
    IF for_supplier IS NULL
       OR NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_supplier) THEN
        RAISE EXCEPTION 'unknown supplier country: %', COALESCE(pg_catalog.quote_literal(for_supplier), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.country, e.g. ''CN''.';
    END IF;
    -- NaN sorts above every number, so it fails the second test
    IF loss_fraction IS NULL OR NOT (loss_fraction OPERATOR(pg_catalog.>=) 0::pg_catalog.float8
                                     AND loss_fraction OPERATOR(pg_catalog.<=) 1::pg_catalog.float8) THEN
        RAISE EXCEPTION 'loss must be between 0 and 1, not %', COALESCE(loss_fraction::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'loss is the fraction of its supply that the supplier cuts.';
    END IF;
    IF for_country IS NOT NULL
       AND NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_country) THEN
        RAISE EXCEPTION 'unknown country: %', pg_catalog.quote_literal(for_country)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.country, e.g. ''US'', or NULL for all.';
    END IF;
    IF for_sector IS NOT NULL
       AND NOT EXISTS (SELECT FROM @extschema@.sector k WHERE k.code OPERATOR(pg_catalog.=) for_sector) THEN
        RAISE EXCEPTION 'unknown sector: %', pg_catalog.quote_literal(for_sector)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.sector, e.g. ''batteries'', or NULL for all.';
    END IF;

    -- the exposures first, in a statement of their own: on Citus a query that
    -- reads one country's rows runs on its worker, where chain_exposure()
    -- could not read the distributed tables
    SELECT pg_catalog.array_agg(e.country), pg_catalog.array_agg(e.stage_id), pg_catalog.array_agg(e.exposure)
      INTO ex_country, ex_stage, ex_exposure
      FROM @extschema@.chain_exposure(for_supplier, 64, for_country) e;

    RETURN QUERY
    WITH chain AS (
        SELECT d.country AS chain_country, s.sector AS chain_sector
        FROM @extschema@.current_dependency d
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) d.stage
        WHERE for_country IS NULL OR d.country OPERATOR(pg_catalog.=) for_country
        UNION
        SELECT a.country, s.sector
        FROM @extschema@.current_assessment a
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) a.stage
        WHERE for_country IS NULL OR a.country OPERATOR(pg_catalog.=) for_country
    ), direct AS (
        SELECT d.country AS direct_country, d.stage AS direct_stage,
               pg_catalog.max(d.share)::pg_catalog.float8 AS direct_share
        FROM @extschema@.current_dependency d
        WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL
          AND d.supplier OPERATOR(pg_catalog.=) for_supplier
          AND (for_country IS NULL OR d.country OPERATOR(pg_catalog.=) for_country)
        GROUP BY d.country, d.stage
    ), x AS (
        SELECT u.x_country, u.x_stage, u.x_exposure
        FROM ROWS FROM (pg_catalog.unnest(ex_country), pg_catalog.unnest(ex_stage), pg_catalog.unnest(ex_exposure))
             AS u (x_country, x_stage, x_exposure)
    )
    SELECT c.chain_country, s.sector, s.name,
           loss_fraction OPERATOR(pg_catalog.*) COALESCE(di.direct_share, 0::pg_catalog.float8),
           loss_fraction OPERATOR(pg_catalog.*) COALESCE(x.x_exposure, 0::pg_catalog.float8)
    FROM chain c
    JOIN @extschema@.stage s ON s.sector OPERATOR(pg_catalog.=) c.chain_sector
    LEFT JOIN direct di ON di.direct_country OPERATOR(pg_catalog.=) c.chain_country
                       AND di.direct_stage OPERATOR(pg_catalog.=) s.id
    LEFT JOIN x ON x.x_country OPERATOR(pg_catalog.=) c.chain_country
               AND x.x_stage OPERATOR(pg_catalog.=) s.id
    WHERE for_sector IS NULL OR s.sector OPERATOR(pg_catalog.=) for_sector
    ORDER BY c.chain_country, s.sector, s.position;
END
$fn$;

-- Trade data (85_trade.sql): the tables, every ISO 3166-1 country, the EU's
-- members, the HS codes of the brief's chains, import_dependency and
-- load_trade_dependencies().  The shipped rows go in in maintenance mode,
-- through the same protection helper as a fresh install, dropped after.
SET LOCAL supplychain.maintenance = on;

-- protect_shipped_rows: the shipped-row rule (builtin_readonly's four
-- triggers) and the dump registration of one table, so that each table is
-- declared once, in one line.  A helper of the install script only:
-- 99_footer.sql drops it.
CREATE FUNCTION @extschema@.protect_shipped_rows(
    tbl regclass,
    readonly_on text DEFAULT 'UPDATE OR DELETE',
    readonly_when text DEFAULT 'OLD.builtin')
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER builtin_readonly BEFORE %s ON %s FOR EACH ROW WHEN (%s) '
                   'EXECUTE FUNCTION @extschema@.builtin_readonly()', readonly_on, tbl, readonly_when);
    EXECUTE format('CREATE TRIGGER builtin_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT '
                   'EXECUTE FUNCTION @extschema@.builtin_readonly()', tbl);
    EXECUTE format('CREATE TRIGGER builtin_insert BEFORE INSERT ON %s FOR EACH ROW WHEN (NEW.builtin) '
                   'EXECUTE FUNCTION @extschema@.builtin_readonly()', tbl);
    EXECUTE format('CREATE TRIGGER builtin_claim BEFORE UPDATE ON %s FOR EACH ROW WHEN (NEW.builtin AND NOT OLD.builtin) '
                   'EXECUTE FUNCTION @extschema@.builtin_readonly()', tbl);
    -- pg_dump keeps users' rows and never duplicates the shipped ones
    PERFORM pg_catalog.pg_extension_config_dump(tbl, 'WHERE NOT builtin');
END
$$;

COMMENT ON TABLE @extschema@.country IS 'countries by ISO 3166-1 alpha-2 code (every officially assigned code ships, with its English short name: source iso-3166-1); EU = the European Union as a bloc, ZZ = unspecified foreign countries';

-- Trade data: products (HS codes), which products feed which stage, bilateral
-- trade flows, country groups, import_partner and import_dependency (the
-- European Commission's 2021 strategic-dependency test), and
-- load_trade_dependencies(), which turns a year of flows into dependency
-- rows.  Ships every ISO 3166-1 country, the EU's members and the HS codes
-- of the brief's two chains; never trade values (docs/trade.md).

INSERT INTO @extschema@.source (id, title, publisher, published, url, note, builtin) VALUES
    ('iso-3166-1', 'ISO 3166-1: Codes for the representation of names of countries and their subdivisions, Part 1: Country code', 'International Organization for Standardization (ISO), ISO 3166 Maintenance Agency', NULL, 'https://www.iso.org/iso-3166-country-codes.html', 'The builtin rows of country (which has no source column): the 249 officially assigned alpha-2 codes with their English short names, as published in the iso-codes list (iso_3166-1.json, version 4.15.0, https://salsa.debian.org/iso-codes-team/iso-codes). The rows US, KR, TW, CN, JP and NL keep the shorter names they shipped with; EU (exceptionally reserved) and ZZ (user-assigned) are not ISO 3166-1 country codes.', true),
    ('eu-countries', 'Countries: EU member countries in brief', 'European Union', NULL, 'https://european-union.europa.eu/principles-countries-history/country-profiles_en', 'Members of the European Union and their years of accession. The day is the entry into force of the founding Treaty of Rome (1958-01-01) and of each accession treaty (1973-01-01, 1981-01-01, 1986-01-01, 1995-01-01, 2004-05-01, 2007-01-01, 2013-07-01); the United Kingdom left on 31 January 2020 (Withdrawal Agreement), its last day as a member.', true),
    ('wco-hs-2017', 'Harmonized Commodity Description and Coding System (HS), 2017 edition', 'World Customs Organization (WCO)', '2017-01-01', 'https://www.wcoomd.org/en/topics/nomenclature/instrument-and-tools/hs-nomenclature-2017-edition.aspx', 'HS 2017 entered into force on 1 January 2017. Product names are the heading and subheading texts of the nomenclature; the stage of each product is what its text says it is.', true),
    ('ec-swd-2021-352', 'Strategic dependencies and capacities, Commission Staff Working Document SWD(2021) 352 final', 'European Commission', '2021-05-05', 'https://ec.europa.eu/info/sites/default/files/swd-strategic-dependencies-capacities_en.pdf', 'Accompanies the 2021 update of the EU industrial strategy. A product is a high dependency when the HHI of its extra-EU import sources is above 0.4, extra-EU imports are more than half of all EU imports of it, and extra-EU imports exceed total EU exports of it; the weights trade.* hold the three thresholds.', true),
    ('trade-flow', 'Bilateral trade flows loaded into supplychain.trade_flow', 'the user''s own trade data (for example CEPII BACI or UN Comtrade)', NULL, NULL, 'Cited by the dependency rows that load_trade_dependencies() writes, and only by them: it deletes and rewrites the rows citing this source for the year and importer it loads. Do not cite it in rows of your own.', true);

-- Every ISO 3166-1 alpha-2 code not shipped by 50_reference.sql (source iso-3166-1)
-- The foreign-key checks of dependency and trade_flow rows probe country's
-- key rather than scan the table once it holds every country (30_tables.sql).
ALTER TABLE @extschema@.country SET (fillfactor = 10);

-- A user row of a code that now ships becomes the shipped row (its ISO
-- name): the database is then a fresh install's plus the user's other rows,
-- and its dump does not hold a row that a fresh install would duplicate.
INSERT INTO @extschema@.country (code, name, builtin) VALUES
    ('AD', 'Andorra', true),
    ('AE', 'United Arab Emirates', true),
    ('AF', 'Afghanistan', true),
    ('AG', 'Antigua and Barbuda', true),
    ('AI', 'Anguilla', true),
    ('AL', 'Albania', true),
    ('AM', 'Armenia', true),
    ('AO', 'Angola', true),
    ('AQ', 'Antarctica', true),
    ('AR', 'Argentina', true),
    ('AS', 'American Samoa', true),
    ('AT', 'Austria', true),
    ('AU', 'Australia', true),
    ('AW', 'Aruba', true),
    ('AX', 'Åland Islands', true),
    ('AZ', 'Azerbaijan', true),
    ('BA', 'Bosnia and Herzegovina', true),
    ('BB', 'Barbados', true),
    ('BD', 'Bangladesh', true),
    ('BE', 'Belgium', true),
    ('BF', 'Burkina Faso', true),
    ('BG', 'Bulgaria', true),
    ('BH', 'Bahrain', true),
    ('BI', 'Burundi', true),
    ('BJ', 'Benin', true),
    ('BL', 'Saint Barthélemy', true),
    ('BM', 'Bermuda', true),
    ('BN', 'Brunei Darussalam', true),
    ('BO', 'Bolivia, Plurinational State of', true),
    ('BQ', 'Bonaire, Sint Eustatius and Saba', true),
    ('BR', 'Brazil', true),
    ('BS', 'Bahamas', true),
    ('BT', 'Bhutan', true),
    ('BV', 'Bouvet Island', true),
    ('BW', 'Botswana', true),
    ('BY', 'Belarus', true),
    ('BZ', 'Belize', true),
    ('CA', 'Canada', true),
    ('CC', 'Cocos (Keeling) Islands', true),
    ('CD', 'Congo, The Democratic Republic of the', true),
    ('CF', 'Central African Republic', true),
    ('CG', 'Congo', true),
    ('CH', 'Switzerland', true),
    ('CI', 'Côte d''Ivoire', true),
    ('CK', 'Cook Islands', true),
    ('CL', 'Chile', true),
    ('CM', 'Cameroon', true),
    ('CO', 'Colombia', true),
    ('CR', 'Costa Rica', true),
    ('CU', 'Cuba', true),
    ('CV', 'Cabo Verde', true),
    ('CW', 'Curaçao', true),
    ('CX', 'Christmas Island', true),
    ('CY', 'Cyprus', true),
    ('CZ', 'Czechia', true),
    ('DE', 'Germany', true),
    ('DJ', 'Djibouti', true),
    ('DK', 'Denmark', true),
    ('DM', 'Dominica', true),
    ('DO', 'Dominican Republic', true),
    ('DZ', 'Algeria', true),
    ('EC', 'Ecuador', true),
    ('EE', 'Estonia', true),
    ('EG', 'Egypt', true),
    ('EH', 'Western Sahara', true),
    ('ER', 'Eritrea', true),
    ('ES', 'Spain', true),
    ('ET', 'Ethiopia', true),
    ('FI', 'Finland', true),
    ('FJ', 'Fiji', true),
    ('FK', 'Falkland Islands (Malvinas)', true),
    ('FM', 'Micronesia, Federated States of', true),
    ('FO', 'Faroe Islands', true),
    ('FR', 'France', true),
    ('GA', 'Gabon', true),
    ('GB', 'United Kingdom', true),
    ('GD', 'Grenada', true),
    ('GE', 'Georgia', true),
    ('GF', 'French Guiana', true),
    ('GG', 'Guernsey', true),
    ('GH', 'Ghana', true),
    ('GI', 'Gibraltar', true),
    ('GL', 'Greenland', true),
    ('GM', 'Gambia', true),
    ('GN', 'Guinea', true),
    ('GP', 'Guadeloupe', true),
    ('GQ', 'Equatorial Guinea', true),
    ('GR', 'Greece', true),
    ('GS', 'South Georgia and the South Sandwich Islands', true),
    ('GT', 'Guatemala', true),
    ('GU', 'Guam', true),
    ('GW', 'Guinea-Bissau', true),
    ('GY', 'Guyana', true),
    ('HK', 'Hong Kong', true),
    ('HM', 'Heard Island and McDonald Islands', true),
    ('HN', 'Honduras', true),
    ('HR', 'Croatia', true),
    ('HT', 'Haiti', true),
    ('HU', 'Hungary', true),
    ('ID', 'Indonesia', true),
    ('IE', 'Ireland', true),
    ('IL', 'Israel', true),
    ('IM', 'Isle of Man', true),
    ('IN', 'India', true),
    ('IO', 'British Indian Ocean Territory', true),
    ('IQ', 'Iraq', true),
    ('IR', 'Iran, Islamic Republic of', true),
    ('IS', 'Iceland', true),
    ('IT', 'Italy', true),
    ('JE', 'Jersey', true),
    ('JM', 'Jamaica', true),
    ('JO', 'Jordan', true),
    ('KE', 'Kenya', true),
    ('KG', 'Kyrgyzstan', true),
    ('KH', 'Cambodia', true),
    ('KI', 'Kiribati', true),
    ('KM', 'Comoros', true),
    ('KN', 'Saint Kitts and Nevis', true),
    ('KP', 'Korea, Democratic People''s Republic of', true),
    ('KW', 'Kuwait', true),
    ('KY', 'Cayman Islands', true),
    ('KZ', 'Kazakhstan', true),
    ('LA', 'Lao People''s Democratic Republic', true),
    ('LB', 'Lebanon', true),
    ('LC', 'Saint Lucia', true),
    ('LI', 'Liechtenstein', true),
    ('LK', 'Sri Lanka', true),
    ('LR', 'Liberia', true),
    ('LS', 'Lesotho', true),
    ('LT', 'Lithuania', true),
    ('LU', 'Luxembourg', true),
    ('LV', 'Latvia', true),
    ('LY', 'Libya', true),
    ('MA', 'Morocco', true),
    ('MC', 'Monaco', true),
    ('MD', 'Moldova, Republic of', true),
    ('ME', 'Montenegro', true),
    ('MF', 'Saint Martin (French part)', true),
    ('MG', 'Madagascar', true),
    ('MH', 'Marshall Islands', true),
    ('MK', 'North Macedonia', true),
    ('ML', 'Mali', true),
    ('MM', 'Myanmar', true),
    ('MN', 'Mongolia', true),
    ('MO', 'Macao', true),
    ('MP', 'Northern Mariana Islands', true),
    ('MQ', 'Martinique', true),
    ('MR', 'Mauritania', true),
    ('MS', 'Montserrat', true),
    ('MT', 'Malta', true),
    ('MU', 'Mauritius', true),
    ('MV', 'Maldives', true),
    ('MW', 'Malawi', true),
    ('MX', 'Mexico', true),
    ('MY', 'Malaysia', true),
    ('MZ', 'Mozambique', true),
    ('NA', 'Namibia', true),
    ('NC', 'New Caledonia', true),
    ('NE', 'Niger', true),
    ('NF', 'Norfolk Island', true),
    ('NG', 'Nigeria', true),
    ('NI', 'Nicaragua', true),
    ('NO', 'Norway', true),
    ('NP', 'Nepal', true),
    ('NR', 'Nauru', true),
    ('NU', 'Niue', true),
    ('NZ', 'New Zealand', true),
    ('OM', 'Oman', true),
    ('PA', 'Panama', true),
    ('PE', 'Peru', true),
    ('PF', 'French Polynesia', true),
    ('PG', 'Papua New Guinea', true),
    ('PH', 'Philippines', true),
    ('PK', 'Pakistan', true),
    ('PL', 'Poland', true),
    ('PM', 'Saint Pierre and Miquelon', true),
    ('PN', 'Pitcairn', true),
    ('PR', 'Puerto Rico', true),
    ('PS', 'Palestine, State of', true),
    ('PT', 'Portugal', true),
    ('PW', 'Palau', true),
    ('PY', 'Paraguay', true),
    ('QA', 'Qatar', true),
    ('RE', 'Réunion', true),
    ('RO', 'Romania', true),
    ('RS', 'Serbia', true),
    ('RU', 'Russian Federation', true),
    ('RW', 'Rwanda', true),
    ('SA', 'Saudi Arabia', true),
    ('SB', 'Solomon Islands', true),
    ('SC', 'Seychelles', true),
    ('SD', 'Sudan', true),
    ('SE', 'Sweden', true),
    ('SG', 'Singapore', true),
    ('SH', 'Saint Helena, Ascension and Tristan da Cunha', true),
    ('SI', 'Slovenia', true),
    ('SJ', 'Svalbard and Jan Mayen', true),
    ('SK', 'Slovakia', true),
    ('SL', 'Sierra Leone', true),
    ('SM', 'San Marino', true),
    ('SN', 'Senegal', true),
    ('SO', 'Somalia', true),
    ('SR', 'Suriname', true),
    ('SS', 'South Sudan', true),
    ('ST', 'Sao Tome and Principe', true),
    ('SV', 'El Salvador', true),
    ('SX', 'Sint Maarten (Dutch part)', true),
    ('SY', 'Syrian Arab Republic', true),
    ('SZ', 'Eswatini', true),
    ('TC', 'Turks and Caicos Islands', true),
    ('TD', 'Chad', true),
    ('TF', 'French Southern Territories', true),
    ('TG', 'Togo', true),
    ('TH', 'Thailand', true),
    ('TJ', 'Tajikistan', true),
    ('TK', 'Tokelau', true),
    ('TL', 'Timor-Leste', true),
    ('TM', 'Turkmenistan', true),
    ('TN', 'Tunisia', true),
    ('TO', 'Tonga', true),
    ('TR', 'Türkiye', true),
    ('TT', 'Trinidad and Tobago', true),
    ('TV', 'Tuvalu', true),
    ('TZ', 'Tanzania, United Republic of', true),
    ('UA', 'Ukraine', true),
    ('UG', 'Uganda', true),
    ('UM', 'United States Minor Outlying Islands', true),
    ('UY', 'Uruguay', true),
    ('UZ', 'Uzbekistan', true),
    ('VA', 'Holy See (Vatican City State)', true),
    ('VC', 'Saint Vincent and the Grenadines', true),
    ('VE', 'Venezuela, Bolivarian Republic of', true),
    ('VG', 'Virgin Islands, British', true),
    ('VI', 'Virgin Islands, U.S.', true),
    ('VN', 'Viet Nam', true),
    ('VU', 'Vanuatu', true),
    ('WF', 'Wallis and Futuna', true),
    ('WS', 'Samoa', true),
    ('YE', 'Yemen', true),
    ('YT', 'Mayotte', true),
    ('ZA', 'South Africa', true),
    ('ZM', 'Zambia', true),
    ('ZW', 'Zimbabwe', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, builtin = true;

-- Products: HS codes as text, so that leading zeros stay ('010121').  An HS
-- code is 2, 4 or 6 digits (chapter, heading, subheading): a 5-digit code is
-- a 6-digit one that lost its leading zero on the way through a spreadsheet.
CREATE TABLE @extschema@.product (
    code           text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z.-]*$'),
    name           text NOT NULL,
    classification text NOT NULL DEFAULT 'HS2017',
    note           text,
    source         text REFERENCES @extschema@.source,
    builtin        boolean NOT NULL DEFAULT false,
    CONSTRAINT product_hs_code CHECK (classification !~ '^HS' OR code ~ '^([0-9]{2}){1,3}$')
);
COMMENT ON TABLE @extschema@.product IS
    'traded products, by code of a classification (HS 2017 by default); trade_flow and product_stage refer to them';
COMMENT ON COLUMN @extschema@.product.code IS 'the product code as text, e.g. HS subheading ''850760''; HS codes have 2, 4 or 6 digits, leading zeros kept';
COMMENT ON COLUMN @extschema@.product.name IS 'the product''s name in the classification';
COMMENT ON COLUMN @extschema@.product.classification IS 'the nomenclature of the code: ''HS2017'' (default), ''HS1992'', ... or one of your own';
COMMENT ON COLUMN @extschema@.product.note IS 'free text';
COMMENT ON COLUMN @extschema@.product.source IS 'the publication of the code and name';
COMMENT ON COLUMN @extschema@.product.builtin IS 'true for the rows that come with the extension (read-only)';

-- product_stage: which products feed which stage.  item is the dependency
-- item that load_trade_dependencies() writes; it defaults to the product
-- code.  Products mapped to the same (stage, item) are one item: the shares
-- are then shares of their imports together.
CREATE TABLE @extschema@.product_stage (
    product text NOT NULL REFERENCES @extschema@.product,
    stage   text NOT NULL REFERENCES @extschema@.stage,
    item    text NOT NULL CHECK (item <> ''),
    note    text,
    source  text REFERENCES @extschema@.source,
    builtin boolean NOT NULL DEFAULT false,
    PRIMARY KEY (product, stage)
);
COMMENT ON TABLE @extschema@.product_stage IS
    'which products feed which stage; load_trade_dependencies() writes a dependency per (stage, item) from the trade flows of its products';
COMMENT ON COLUMN @extschema@.product_stage.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.product_stage.stage IS 'the stage it feeds (stage.id)';
COMMENT ON COLUMN @extschema@.product_stage.item IS 'the dependency item the product counts toward; defaults to the product code';
COMMENT ON COLUMN @extschema@.product_stage.note IS 'why the product belongs to the stage';
COMMENT ON COLUMN @extschema@.product_stage.source IS 'the publication that says so';
COMMENT ON COLUMN @extschema@.product_stage.builtin IS 'true for the rows that come with the extension (read-only)';

CREATE FUNCTION @extschema@.product_stage_item() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.item := COALESCE(NEW.item, NEW.product);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.product_stage_item() IS
    'trigger: product_stage.item defaults to the product code';
CREATE TRIGGER item_default BEFORE INSERT OR UPDATE ON @extschema@.product_stage
    FOR EACH ROW EXECUTE FUNCTION @extschema@.product_stage_item();

-- trade_flow: one row per year, exporter, importer and product, as CEPII
-- BACI and UN Comtrade publish them.  The key is in the order of BACI's
-- files (t, i, j, k), so a COPY of one appends to the primary key's index;
-- year leads it, so the table can be partitioned by year later (docs/trade.md).
-- The other indexes let a filter on importer, exporter or product reach the
-- rows without reading the table.  No builtin column: no flows are shipped.
CREATE TABLE @extschema@.trade_flow (
    year     integer NOT NULL CHECK (year BETWEEN 1800 AND 2999),
    exporter text NOT NULL REFERENCES @extschema@.country,
    importer text NOT NULL REFERENCES @extschema@.country,
    product  text NOT NULL REFERENCES @extschema@.product,
    value    numeric NOT NULL,
    quantity numeric,
    source   text REFERENCES @extschema@.source,
    PRIMARY KEY (year, exporter, importer, product),
    CONSTRAINT trade_flow_value_not_negative CHECK (value >= 0),
    CONSTRAINT trade_flow_quantity_not_negative CHECK (quantity >= 0),
    CONSTRAINT trade_flow_exporter_is_not_importer CHECK (exporter <> importer)
);
CREATE INDEX trade_flow_importer ON @extschema@.trade_flow (importer, product, year);
CREATE INDEX trade_flow_exporter ON @extschema@.trade_flow (exporter, product, year);
CREATE INDEX trade_flow_product ON @extschema@.trade_flow (product, year);
COMMENT ON TABLE @extschema@.trade_flow IS
    'bilateral trade flows (CEPII BACI, UN Comtrade): what exporter shipped to importer of product in year; none are shipped';
COMMENT ON COLUMN @extschema@.trade_flow.year IS 'the calendar year of the flow';
COMMENT ON COLUMN @extschema@.trade_flow.exporter IS 'the exporting country (country.code)';
COMMENT ON COLUMN @extschema@.trade_flow.importer IS 'the importing country (country.code), never the exporter';
COMMENT ON COLUMN @extschema@.trade_flow.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.trade_flow.value IS 'the value of the flow, >= 0, in the source''s unit (BACI: thousand current US dollars); shares and ratios do not depend on the unit';
COMMENT ON COLUMN @extschema@.trade_flow.quantity IS 'the quantity, >= 0 (BACI: metric tons); NULL when not reported';
COMMENT ON COLUMN @extschema@.trade_flow.source IS 'the data set the flow comes from (source.id)';

-- country_group: groups of countries, such as the European Union, with the
-- dates of each membership.  A group is itself a country row (code 'EU'),
-- so that it can depend on suppliers.  A member counts in year Y when
-- since <= Y-12-31 and (until IS NULL OR until >= Y-01-01): a member for
-- part of a year counts for all of it.  Periods of one member do not overlap.
CREATE TABLE @extschema@.country_group (
    group_code text NOT NULL REFERENCES @extschema@.country,
    member     text NOT NULL REFERENCES @extschema@.country,
    since      date NOT NULL,
    until      date,
    note       text,
    source     text REFERENCES @extschema@.source,
    builtin    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (group_code, member, since),
    CHECK (member <> group_code),
    CHECK (until >= since)
);
COMMENT ON TABLE @extschema@.country_group IS
    'members of a country group (EU = the European Union) with their dates; a member counts in year Y when since <= Y-12-31 and (until IS NULL or until >= Y-01-01)';
COMMENT ON COLUMN @extschema@.country_group.group_code IS 'the group, itself a country row (country.code), e.g. ''EU''';
COMMENT ON COLUMN @extschema@.country_group.member IS 'the member country (country.code)';
COMMENT ON COLUMN @extschema@.country_group.since IS 'the first day of membership';
COMMENT ON COLUMN @extschema@.country_group.until IS 'the last day of membership; NULL = still a member';
COMMENT ON COLUMN @extschema@.country_group.note IS 'free text';
COMMENT ON COLUMN @extschema@.country_group.source IS 'the publication of the dates';
COMMENT ON COLUMN @extschema@.country_group.builtin IS 'true for the rows that come with the extension (read-only)';

-- A member counted twice in a year would count its trade twice.
CREATE FUNCTION @extschema@.country_group_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad record;
BEGIN
    -- the table the trigger fires on (on Citus, each placement of the
    -- reference table), named through TG_RELID as the other rules do
    EXECUTE pg_catalog.format($q$
        SELECT a.group_code, a.member, a.since, a.until, b.since AS other
        FROM (SELECT DISTINCT n.group_code, n.member FROM new_rows n) k
        JOIN %1$s a
          ON a.group_code OPERATOR(pg_catalog.=) k.group_code AND a.member OPERATOR(pg_catalog.=) k.member
        JOIN %1$s b
          ON b.group_code OPERATOR(pg_catalog.=) a.group_code AND b.member OPERATOR(pg_catalog.=) a.member
         AND b.since OPERATOR(pg_catalog.>) a.since
        WHERE a.until IS NULL OR a.until OPERATOR(pg_catalog.>=) b.since
        ORDER BY a.group_code, a.member, a.since
        LIMIT 1
    $q$, TG_RELID::regclass) INTO bad;
    IF bad.group_code IS NOT NULL THEN
        RAISE EXCEPTION 'membership periods of % in group % overlap', bad.member, bad.group_code
            USING ERRCODE = 'exclusion_violation',
                  DETAIL = pg_catalog.format('The period from %s to %s and the one from %s overlap.',
                                             bad.since, COALESCE(bad.until::text, 'now'), bad.other),
                  HINT = 'End the earlier period (until) before the next one starts.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.country_group_check() IS
    'trigger: the membership periods of one country in one group do not overlap';
CREATE TRIGGER overlap_check_insert AFTER INSERT ON @extschema@.country_group
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.country_group_check();
CREATE TRIGGER overlap_check_update AFTER UPDATE ON @extschema@.country_group
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.country_group_check();

SELECT @extschema@.protect_shipped_rows('@extschema@.product');
SELECT @extschema@.protect_shipped_rows('@extschema@.product_stage');
SELECT @extschema@.protect_shipped_rows('@extschema@.country_group');
-- pg_dump keeps every flow: none are shipped
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trade_flow', '');

-- The European Union: the 27 members and the United Kingdom until it left
INSERT INTO @extschema@.country_group (group_code, member, since, until, note, source, builtin) VALUES
    ('EU', 'BE', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'DE', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'FR', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'IT', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'LU', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'NL', '1958-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'DK', '1973-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'IE', '1973-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'GB', '1973-01-01', '2020-01-31', 'Left the European Union on 31 January 2020, its last day as a member.', 'eu-countries', true),
    ('EU', 'GR', '1981-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'ES', '1986-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'PT', '1986-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'AT', '1995-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'FI', '1995-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'SE', '1995-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'CY', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'CZ', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'EE', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'HU', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'LT', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'LV', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'MT', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'PL', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'SI', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'SK', '2004-05-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'BG', '2007-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'RO', '2007-01-01', NULL, NULL, 'eu-countries', true),
    ('EU', 'HR', '2013-07-01', NULL, NULL, 'eu-countries', true);

-- The HS 2017 codes of the brief's two chains whose text says what they are
INSERT INTO @extschema@.product (code, name, classification, source, builtin) VALUES
    ('260400', 'Nickel ores and concentrates', 'HS2017', 'wco-hs-2017', true),
    ('260500', 'Cobalt ores and concentrates', 'HS2017', 'wco-hs-2017', true),
    ('282520', 'Lithium oxide and hydroxide', 'HS2017', 'wco-hs-2017', true),
    ('283691', 'Lithium carbonates', 'HS2017', 'wco-hs-2017', true),
    ('381800', 'Chemical elements doped for use in electronics, in the form of discs, wafers or similar forms; chemical compounds doped for use in electronics', 'HS2017', 'wco-hs-2017', true),
    ('848620', 'Machines and apparatus for the manufacture of semiconductor devices or of electronic integrated circuits', 'HS2017', 'wco-hs-2017', true),
    ('850760', 'Electric accumulators: lithium-ion', 'HS2017', 'wco-hs-2017', true),
    ('854231', 'Electronic integrated circuits: processors and controllers, whether or not combined with memories, converters, logic circuits, amplifiers, clock and timing circuits, or other circuits', 'HS2017', 'wco-hs-2017', true),
    ('854232', 'Electronic integrated circuits: memories', 'HS2017', 'wco-hs-2017', true),
    ('854233', 'Electronic integrated circuits: amplifiers', 'HS2017', 'wco-hs-2017', true),
    ('854239', 'Electronic integrated circuits: other', 'HS2017', 'wco-hs-2017', true);

INSERT INTO @extschema@.product_stage (product, stage, note, source, builtin) VALUES
    ('260400', 'batteries.raw', 'Mined nickel: the brief''s raw materials stage "focuses on nickel, lithium, and cobalt".', 'wco-hs-2017', true),
    ('260500', 'batteries.raw', 'Mined cobalt: the brief''s raw materials stage "focuses on nickel, lithium, and cobalt".', 'wco-hs-2017', true),
    ('282520', 'batteries.refining', 'A processed lithium chemical (lithium hydroxide), made from mined lithium.', 'wco-hs-2017', true),
    ('283691', 'batteries.refining', 'A processed lithium chemical (lithium carbonate), made from mined lithium.', 'wco-hs-2017', true),
    ('850760', 'batteries.cells', 'Lithium-ion accumulators: battery cells (and the packs made of them, which the subheading does not tell apart).', 'wco-hs-2017', true),
    ('381800', 'semiconductors.materials', 'Doped wafers: a semiconductor material.', 'wco-hs-2017', true),
    ('848620', 'semiconductors.equipment', 'Machines for making semiconductor devices and integrated circuits: manufacturing equipment.', 'wco-hs-2017', true),
    ('854231', 'semiconductors.fabrication', 'Integrated circuits (processors and controllers): the output of fabrication.', 'wco-hs-2017', true),
    ('854232', 'semiconductors.fabrication', 'Integrated circuits (memories): the output of fabrication.', 'wco-hs-2017', true),
    ('854233', 'semiconductors.fabrication', 'Integrated circuits (amplifiers): the output of fabrication.', 'wco-hs-2017', true),
    ('854239', 'semiconductors.fabrication', 'Integrated circuits (other): the output of fabrication.', 'wco-hs-2017', true);

-- Statistics from the start: autovacuum would not analyze tables this small,
-- and without statistics the planner takes country_group for a table of
-- hundreds of rows and hashes trade_flow to join it.
ANALYZE @extschema@.country, @extschema@.country_group, @extschema@.product, @extschema@.product_stage;

-- The thresholds of the strategic-dependency test (ec-swd-2021-352)
INSERT INTO @extschema@.weight (name, value, description, builtin) VALUES
    ('trade.hhi_above', 0.4, 'import_dependency: concentrated when the HHI of the partners'' shares of imports is above this (European Commission, SWD(2021) 352)', true),
    ('trade.outside_share_above', 0.5, 'import_dependency: import_dependent when imports from outside the group are above this share of all imports (SWD(2021) 352)', true),
    ('trade.import_export_ratio_above', 1, 'import_dependency: hard_to_substitute when imports are above this multiple of exports, or exports are 0 (SWD(2021) 352)', true);
UPDATE @extschema@.weight SET default_value = value WHERE builtin AND name LIKE 'trade.%';

-- group_import_partner: a group's imports from each partner, per product
-- and year: the sum over the members that year of their imports from the
-- partner; inside marks a partner that is itself a member that year (the
-- members' trade with each other).  Membership is by the flow's year
-- (country_group).
-- (A member's periods do not overlap, so the outer join finds at most one
-- row: a hash join, where a subquery would run once per partner.)
CREATE VIEW @extschema@.group_import_partner AS
SELECT g.group_code AS importer, f.product, f.year, f.exporter AS partner, sum(f.value) AS value,
       x.member IS NOT NULL AS inside
FROM @extschema@.trade_flow f
JOIN @extschema@.country_group g
  ON g.member = f.importer
 AND g.since <= make_date(f.year, 12, 31)
 AND (g.until IS NULL OR g.until >= make_date(f.year, 1, 1))
LEFT JOIN @extschema@.country_group x
  ON x.group_code = g.group_code AND x.member = f.exporter
 AND x.since <= make_date(f.year, 12, 31)
 AND (x.until IS NULL OR x.until >= make_date(f.year, 1, 1))
GROUP BY g.group_code, f.product, f.year, f.exporter, x.member IS NOT NULL;
COMMENT ON VIEW @extschema@.group_import_partner IS
    'imports of each country group (its members together, by the flow''s year) from each partner, per product and year; inside = the partner is a member';
COMMENT ON COLUMN @extschema@.group_import_partner.importer IS 'the group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.group_import_partner.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.group_import_partner.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.group_import_partner.partner IS 'the exporting country';
COMMENT ON COLUMN @extschema@.group_import_partner.value IS 'the imports from the partner into all members that year';
COMMENT ON COLUMN @extschema@.group_import_partner.inside IS 'true when the partner is a member of the group that year';

-- import_partner: the imports of each importer from each partner, per product
-- and year: a country's flows, and the groups' rows of group_import_partner.
-- Filters on importer, product, year or partner reach trade_flow through its
-- indexes.
CREATE VIEW @extschema@.import_partner AS
SELECT f.importer, f.product, f.year, f.exporter AS partner, f.value, false AS inside
FROM @extschema@.trade_flow f
UNION ALL
SELECT g.importer, g.product, g.year, g.partner, g.value, g.inside
FROM @extschema@.group_import_partner g;
COMMENT ON VIEW @extschema@.import_partner IS
    'imports of each importer (a country, or a group: its members together) from each partner, per product and year; inside = the partner is a member of the group';
COMMENT ON COLUMN @extschema@.import_partner.importer IS 'the importing country, or a group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.import_partner.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.import_partner.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.import_partner.partner IS 'the exporting country';
COMMENT ON COLUMN @extschema@.import_partner.value IS 'the imports from the partner (for a group: into all members that year)';
COMMENT ON COLUMN @extschema@.import_partner.inside IS 'true when the partner is a member of the importing group that year; always false for a country';

-- import_dependency: the European Commission's 2021 strategic-dependency
-- test per importer, product and year (docs/trade.md, "Formulas"):
--   imports        sum of the imports from partners outside the importer
--                  (a country: all its imports)
--   hhi            sum over partners of (value / imports)^2, computed in one
--                  pass as sum(value^2) / imports^2
--   outside_share  imports / (imports + inside_imports)
--   exports        the importer's exports of the product (a group: its
--                  members' exports to non-members)
--   concentrated   hhi > trade.hhi_above
--   import_dependent  outside_share > trade.outside_share_above
--   hard_to_substitute  imports / exports > trade.import_export_ratio_above,
--                  or no exports
-- The flags compare the exact values; the columns show them to 4 decimals.
-- The top partner is found in the same pass: the largest array
-- [value, -code] is the largest value, and of equal values the first code
-- (country codes are two capital letters, so the code is a number).
CREATE VIEW @extschema@.import_dependency AS
WITH imports AS (
    -- a country: its flows, one per partner (no filters to evaluate)
    SELECT f.importer, f.product, f.year,
           sum(f.value) AS imports,
           count(*) FILTER (WHERE f.value > 0) AS partners,
           sum(f.value * f.value) AS squares,
           max(ARRAY[f.value, (-256 * ascii(f.exporter) - ascii(substr(f.exporter, 2)))::numeric])
               FILTER (WHERE f.value > 0) AS top,
           0::numeric AS inside_imports
    FROM @extschema@.trade_flow f
    GROUP BY f.importer, f.product, f.year
    UNION ALL
    SELECT p.importer, p.product, p.year,
           COALESCE(sum(p.value) FILTER (WHERE NOT p.inside), 0),
           count(*) FILTER (WHERE NOT p.inside AND p.value > 0),
           sum(p.value * p.value) FILTER (WHERE NOT p.inside),
           max(ARRAY[p.value, (-256 * ascii(p.partner) - ascii(substr(p.partner, 2)))::numeric])
               FILTER (WHERE NOT p.inside AND p.value > 0),
           COALESCE(sum(p.value) FILTER (WHERE p.inside), 0)
    FROM @extschema@.group_import_partner p
    GROUP BY p.importer, p.product, p.year
), exports AS (
    SELECT f.exporter, f.product, f.year, sum(f.value) AS exports
    FROM @extschema@.trade_flow f
    GROUP BY f.exporter, f.product, f.year
    UNION ALL
    SELECT g.group_code, f.product, f.year, sum(f.value)
    FROM @extschema@.trade_flow f
    JOIN @extschema@.country_group g
      ON g.member = f.exporter
     AND g.since <= make_date(f.year, 12, 31)
     AND (g.until IS NULL OR g.until >= make_date(f.year, 1, 1))
    WHERE NOT EXISTS (SELECT FROM @extschema@.country_group x
                      WHERE x.group_code = g.group_code AND x.member = f.importer
                        AND x.since <= make_date(f.year, 12, 31)
                        AND (x.until IS NULL OR x.until >= make_date(f.year, 1, 1)))
    GROUP BY g.group_code, f.product, f.year
), w AS (
    SELECT max(value) FILTER (WHERE name = 'trade.hhi_above') AS hhi_above,
           max(value) FILTER (WHERE name = 'trade.outside_share_above') AS outside_share_above,
           max(value) FILTER (WHERE name = 'trade.import_export_ratio_above') AS ratio_above
    FROM @extschema@.weight WHERE name LIKE 'trade.%'
), r AS (
    SELECT i.importer, i.product, i.year, i.imports, i.partners, i.top, i.inside_imports,
           COALESCE(e.exports, 0) AS exports,
           i.squares / NULLIF(i.imports * i.imports, 0) AS hhi,
           i.top[1] / NULLIF(i.imports, 0) AS top_share,
           i.imports / NULLIF(i.imports + i.inside_imports, 0) AS outside_share,
           i.imports / NULLIF(e.exports, 0) AS ratio
    FROM imports i
    LEFT JOIN exports e ON e.exporter = i.importer AND e.product = i.product AND e.year = i.year
)
SELECT r.importer,
       r.product,
       r.year,
       r.imports,
       r.partners::integer AS partners,
       chr((-r.top[2])::integer / 256) || chr((-r.top[2])::integer % 256) AS top_partner,
       round(r.top_share, 4) AS top_share,
       round(r.hhi, 4) AS hhi,
       r.inside_imports,
       round(r.outside_share, 4) AS outside_share,
       r.exports,
       round(r.ratio, 4) AS import_export_ratio,
       COALESCE(r.hhi > w.hhi_above, false) AS concentrated,
       COALESCE(r.outside_share > w.outside_share_above, false) AS import_dependent,
       COALESCE(r.ratio > w.ratio_above, r.exports = 0) AS hard_to_substitute,
       COALESCE(r.hhi > w.hhi_above, false)
           AND COALESCE(r.outside_share > w.outside_share_above, false)
           AND COALESCE(r.ratio > w.ratio_above, r.exports = 0) AS dependent
FROM r CROSS JOIN w;
COMMENT ON VIEW @extschema@.import_dependency IS
    'per importer (country or group), product and year: import concentration and the European Commission''s 2021 strategic-dependency test (concentrated, import_dependent, hard_to_substitute; dependent = all three)';
COMMENT ON COLUMN @extschema@.import_dependency.importer IS 'the importing country, or a group (country_group.group_code)';
COMMENT ON COLUMN @extschema@.import_dependency.product IS 'the product (product.code)';
COMMENT ON COLUMN @extschema@.import_dependency.year IS 'the year of the flows';
COMMENT ON COLUMN @extschema@.import_dependency.imports IS 'imports from partners outside the importer (a group: from non-members), in trade_flow''s unit';
COMMENT ON COLUMN @extschema@.import_dependency.partners IS 'the number of partners with imports above 0 (a group: non-members)';
COMMENT ON COLUMN @extschema@.import_dependency.top_partner IS 'the partner with the largest imports (of equal ones, the first code); NULL when imports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.top_share IS 'the top partner''s share of imports (4 decimals)';
COMMENT ON COLUMN @extschema@.import_dependency.hhi IS 'the Herfindahl-Hirschman index of the partners'' shares of imports, 0..1 (4 decimals); NULL when imports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.inside_imports IS 'a group: the members'' imports from each other; a country: 0';
COMMENT ON COLUMN @extschema@.import_dependency.outside_share IS 'imports / (imports + inside_imports) (4 decimals); 1 for a country';
COMMENT ON COLUMN @extschema@.import_dependency.exports IS 'the importer''s exports of the product (a group: its members'' exports to non-members); 0 when none';
COMMENT ON COLUMN @extschema@.import_dependency.import_export_ratio IS 'imports / exports (4 decimals); NULL when exports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.concentrated IS 'hhi > weight trade.hhi_above (0.4)';
COMMENT ON COLUMN @extschema@.import_dependency.import_dependent IS 'outside_share > weight trade.outside_share_above (0.5)';
COMMENT ON COLUMN @extschema@.import_dependency.hard_to_substitute IS 'import_export_ratio > weight trade.import_export_ratio_above (1), or exports are 0';
COMMENT ON COLUMN @extschema@.import_dependency.dependent IS 'concentrated and import_dependent and hard_to_substitute: a strategic dependency';

-- load_trade_dependencies: a year of trade flows as dependency rows.  For
-- each importer (a country or a group; NULL: every one with flows that year),
-- each (stage, item) of product_stage and each partner, one row: kind
-- supply, share = the partner's share of the importer's imports of the
-- item's products (for a group: from non-members), as_of = the year's last
-- day, source 'trade-flow'.  Shares are truncated to 10 decimals, so the
-- shares of one item never sum above 1.  The function owns the rows citing
-- 'trade-flow': it deletes those of the year (and importer) before writing,
-- and never touches other rows.  A partner that supplied the item in
-- another loaded year and not in this one gets share 0 (step 2).  Returns
-- the number of rows written.  Writes nothing (and needs no privilege) when
-- there is nothing to delete or write.
CREATE FUNCTION @extschema@.load_trade_dependencies(year integer, importer text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    for_year constant integer := $1;
    for_importer constant text := $2;
    as_of date;
    only_importer text := '';
    found_rows boolean;
    written bigint := 0;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF for_importer IS NOT NULL THEN
        IF NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_importer) THEN
            RAISE EXCEPTION 'unknown importer: %', pg_catalog.quote_literal(for_importer)
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Give a code of supplychain.country (a country or a group such as ''EU''), or NULL for every importer.';
        END IF;
        only_importer := ' AND %1$s OPERATOR(pg_catalog.=) $3';
    END IF;
    as_of := pg_catalog.make_date(for_year, 12, 31);
    -- one load at a time: two loads of the same rows would both delete
    -- them and then both insert
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.load_trade_dependencies'));

    -- 1. this year's own rows go
    EXECUTE pg_catalog.format($q$
        SELECT EXISTS (SELECT FROM @extschema@.dependency d
                       WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.=) $1 %s)
    $q$, pg_catalog.format(only_importer, 'd.country')) INTO found_rows USING as_of, for_year, for_importer;
    IF found_rows THEN
        EXECUTE pg_catalog.format($q$
            DELETE FROM @extschema@.dependency d
            WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.=) $1 %s
        $q$, pg_catalog.format(only_importer, 'd.country')) USING as_of, for_year, for_importer;
    END IF;

    -- 2. the partners' shares of the year, and shares 0 in one statement
    -- (the share rule is checked after each): at each own date of an item,
    -- a supplier with an own row at an earlier date and none at that date
    -- gets share 0, so that its earlier share does not count there (the
    -- rule counts each supplier's latest row).  Every own date then lists
    -- every supplier seen before it, whichever year is loaded first, and
    -- deleting one year's rows (step 1) never brings an older share back.
    EXECUTE pg_catalog.format($q$
        SELECT EXISTS (SELECT FROM @extschema@.import_partner p
                       JOIN @extschema@.product_stage ps ON ps.product OPERATOR(pg_catalog.=) p.product
                       WHERE p.year OPERATOR(pg_catalog.=) $2 AND NOT p.inside
                         AND p.value OPERATOR(pg_catalog.>) 0 %s)
    $q$, pg_catalog.format(only_importer, 'p.importer')) INTO found_rows USING as_of, for_year, for_importer;
    IF found_rows THEN
        EXECUTE pg_catalog.format($q$
            WITH new AS (
                SELECT s.stage, s.importer AS country, s.partner AS supplier, s.item,
                       pg_catalog.trim_scale(pg_catalog.div(s.value OPERATOR(pg_catalog.*) 10000000000::numeric, s.total)
                                             OPERATOR(pg_catalog./) 10000000000::numeric) AS share,
                       pg_catalog.format('trade_flow %%s: %%s of %%s imported by %%s (products %%s)',
                                         $2, s.value, s.total, s.importer, s.products) AS note
                FROM (SELECT v.*, pg_catalog.sum(v.value) OVER (PARTITION BY v.importer, v.stage, v.item) AS total
                      FROM (SELECT p.importer, ps.stage, ps.item, p.partner, pg_catalog.sum(p.value) AS value,
                                   pg_catalog.string_agg(DISTINCT p.product, ' ' ORDER BY p.product) AS products
                            FROM @extschema@.import_partner p
                            JOIN @extschema@.product_stage ps ON ps.product OPERATOR(pg_catalog.=) p.product
                            WHERE p.year OPERATOR(pg_catalog.=) $2 AND NOT p.inside
                              AND p.value OPERATOR(pg_catalog.>) 0 %1$s
                            GROUP BY p.importer, ps.stage, ps.item, p.partner) v) s
            ), own AS (
                SELECT d.stage, d.country, d.item, d.supplier, d.as_of
                FROM @extschema@.dependency d
                WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.kind OPERATOR(pg_catalog.=) 'supply'
                  AND EXISTS (SELECT FROM new n
                              WHERE n.stage OPERATOR(pg_catalog.=) d.stage AND n.country OPERATOR(pg_catalog.=) d.country
                                AND n.item OPERATOR(pg_catalog.=) d.item)
                UNION ALL
                SELECT n.stage, n.country, n.item, n.supplier, $1 FROM new n
            ), zero AS (
                SELECT DISTINCT t.stage, t.country, t.item, o.supplier, t.as_of
                FROM (SELECT DISTINCT o.stage, o.country, o.item, o.as_of FROM own o) t
                JOIN own o ON o.stage OPERATOR(pg_catalog.=) t.stage AND o.country OPERATOR(pg_catalog.=) t.country
                          AND o.item OPERATOR(pg_catalog.=) t.item AND o.as_of OPERATOR(pg_catalog.<) t.as_of
                WHERE NOT EXISTS (SELECT FROM own x
                                  WHERE x.stage OPERATOR(pg_catalog.=) t.stage AND x.country OPERATOR(pg_catalog.=) t.country
                                    AND x.item OPERATOR(pg_catalog.=) t.item AND x.supplier OPERATOR(pg_catalog.=) o.supplier
                                    AND x.as_of OPERATOR(pg_catalog.=) t.as_of)
                  AND NOT EXISTS (SELECT FROM @extschema@.dependency h
                                  WHERE h.stage OPERATOR(pg_catalog.=) t.stage AND h.country OPERATOR(pg_catalog.=) t.country
                                    AND h.kind OPERATOR(pg_catalog.=) 'supply' AND h.item OPERATOR(pg_catalog.=) t.item
                                    AND h.supplier OPERATOR(pg_catalog.=) o.supplier AND h.as_of OPERATOR(pg_catalog.=) t.as_of)
            )
            INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source)
            SELECT n.stage, n.country, n.supplier, 'supply', n.item, n.share, $1, n.note, 'trade-flow' FROM new n
            UNION ALL
            SELECT z.stage, z.country, z.supplier, 'supply', z.item, 0, z.as_of,
                   pg_catalog.format('trade_flow %%s: no imports from %%s', pg_catalog.date_part('year', z.as_of), z.supplier),
                   'trade-flow'
            FROM zero z
        $q$, pg_catalog.format(only_importer, 'p.importer')) USING as_of, for_year, for_importer;
        GET DIAGNOSTICS written = ROW_COUNT;
    END IF;
    RETURN written;
END
$fn$;
COMMENT ON FUNCTION @extschema@.load_trade_dependencies(integer, text) IS
    'writes the year''s trade flows as dependency rows (kind supply, share = the partner''s share of the importer''s imports of each product_stage item, as_of = the year''s last day, source trade-flow), replacing its own rows of that year and importer (NULL: all); returns the rows written';

DROP FUNCTION @extschema@.protect_shipped_rows(regclass, text, text);
GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;
SET LOCAL supplychain.maintenance = off;
