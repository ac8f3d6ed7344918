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
RETURNS TABLE (step integer, table_name regclass, placement text)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.step::integer, pg_catalog.format('@extschema@.%I', r.name)::regclass, 'reference'
    FROM pg_catalog.unnest(ARRAY['source', 'country', 'sector', 'stage', 'stage_link', 'alignment',
                                 'policy', 'policy_measure', 'figure', 'weight',
                                 'material', 'material_supply', 'governance']) WITH ORDINALITY AS r(name, step)
    UNION ALL
    SELECT 100 + d.step::integer, pg_catalog.format('@extschema@.%I', d.name)::regclass, 'distributed'
    FROM pg_catalog.unnest(ARRAY['share_total', 'dependency', 'assessment', 'policy_impact'])
         WITH ORDINALITY AS d(name, step)
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
                PERFORM pg_catalog.create_distributed_table(t.table_name, 'country',
                    colocate_with => COALESCE(anchor::text, 'none'));
                made_dist := made_dist + 1;
                RAISE NOTICE '% is now distributed by country', t.table_name;
            ELSIF method = 'h' AND key = 'country'
                  AND colocation = COALESCE((SELECT p.colocationid FROM pg_catalog.pg_dist_partition p
                                             WHERE p.logicalrelid = anchor), colocation) THEN
                kept_dist := kept_dist + 1;
                RAISE NOTICE '% is distributed by country already', t.table_name;
            ELSE
                RAISE EXCEPTION '% is a Citus table already, but not distributed by country beside the extension''s other tables', t.table_name
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
