-- Citus: the helpers through which the trigger functions (40_rules.sql) find
-- their tables on a shard, distribute() and undistribute(), and the guard of
-- DROP EXTENSION.  Before the reference data (50_reference.sql): its inserts
-- fire the triggers that call the helpers.

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

-- shard_for(tbl, country): on a Citus worker, the local shard of tbl that
-- holds country's rows (a reference table's shard for any country), for code
-- that a one-country query runs there (chain_exposure() inside tier_exposure,
-- which Citus routes whole to the worker of that country, where the name tbl
-- would be a distributed query, refused inside a query on a shard).  tbl
-- itself on a single server, on the coordinator, and for a table Citus does
-- not know.
CREATE FUNCTION @extschema@.shard_for(tbl regclass, country text) RETURNS regclass
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    method "char";
    coordinator boolean;
    shard regclass;
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RETURN tbl;                         -- no Citus
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO coordinator;
    EXECUTE 'SELECT p.partmethod FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1'
        INTO method USING tbl;
    IF coordinator OR method IS NULL THEN
        RETURN tbl;
    END IF;
    EXECUTE $q$
        SELECT pg_catalog.to_regclass(pg_catalog.shard_name($1,
                   CASE WHEN $3 OPERATOR(pg_catalog.=) 'n'
                        THEN (SELECT s.shardid FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid OPERATOR(pg_catalog.=) $1)
                        ELSE pg_catalog.get_shard_id_for_distribution_column($1, $2) END))
    $q$ INTO shard USING tbl, country, method;
    RETURN COALESCE(shard, tbl);
END
$$;
COMMENT ON FUNCTION @extschema@.shard_for(regclass, text) IS
    'internal: on a Citus worker, the local shard of tbl holding country''s rows (or a reference table''s shard); tbl itself elsewhere';

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
-- view computes for one country are on one node.  share_total and the
-- maintained state (42_state.sql) come first: the triggers on dependency's
-- and assessment's shards need their colocated shards while Citus copies the
-- existing rows into them.  A new table is one line.
CREATE FUNCTION @extschema@.distribution_plan()
RETURNS TABLE (step integer, table_name regclass, placement text, distribution_column text)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.step::integer, pg_catalog.format('@extschema@.%I', r.name)::regclass, 'reference', NULL::text
    FROM pg_catalog.unnest(ARRAY['source', 'country', 'sector', 'stage', 'stage_link', 'alignment',
                                 'policy', 'policy_measure', 'figure', 'weight',
                                 'material', 'material_supply', 'governance',
                                 'product', 'product_stage', 'country_group',
                                 -- the early warning (0.10.0): evaluated on the coordinator
                                 'watch', 'alert']) WITH ORDINALITY AS r(name, step)
    UNION ALL
    -- the depending country; the trade data by product (since 0.8.0), so
    -- that both sides of a country's trade in a product, its totals and a
    -- group's members' flows are on one node (a colocation group of their
    -- own: Citus colocates columns of one collation only, and theirs is "C")
    SELECT 100 + d.step::integer, pg_catalog.format('@extschema@.%I', d.name)::regclass, 'distributed', d.col
    FROM ROWS FROM (pg_catalog.unnest(ARRAY['share_total', 'stage_state', 'supplier_state', 'country_state',
                                            'country_total_state', 'dependency', 'assessment', 'policy_impact',
                                            'trade_country_total', 'trade_country_group_total', 'trade_flow']),
                    pg_catalog.unnest(ARRAY['country', 'country', 'country', 'country', 'country', 'country',
                                            'country', 'country', 'product', 'product', 'product']))
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
    anchor regclass;                    -- the first distributed table of the same collation
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
    -- the maintained state moves with the rows (its tables come first in the
    -- plan): the triggers do not recompute it from rows half copied
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.copying = on; END $d$';

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
            -- colocated with the first table of the plan distributed by a
            -- column of the same collation (Citus colocates no others): the
            -- per-country tables, and the trade tables by their COLLATE "C"
            -- product
            SELECT q.table_name INTO anchor
              FROM @extschema@.distribution_plan() q
              JOIN pg_catalog.pg_attribute qa ON qa.attrelid = q.table_name AND qa.attname = q.distribution_column
              JOIN pg_catalog.pg_attribute ta ON ta.attrelid = t.table_name AND ta.attname = t.distribution_column
             WHERE q.placement = 'distributed' AND q.step < t.step AND qa.attcollation = ta.attcollation
             ORDER BY q.step LIMIT 1;
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
        END IF;
    END LOOP;

    -- back to the caller's mode, on the workers too
    EXECUTE pg_catalog.format('DO $d$ BEGIN SET LOCAL supplychain.maintenance = %L; END $d$',
                              COALESCE(maintenance, 'off'));
    EXECUTE 'DO $d$ BEGIN SET LOCAL supplychain.copying = off; END $d$';
    RETURN pg_catalog.format('reference tables: %s new, %s already; distributed: %s new, %s already',
                             made_ref, kept_ref, made_dist, kept_dist);
END
$$;
COMMENT ON FUNCTION @extschema@.distribute() IS
    'on a Citus coordinator: makes the small tables reference tables and distributes dependency, assessment, policy_impact, share_total and the risk state by country, colocated, and the trade tables by product (distribution_plan()); idempotent';

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
    part record;
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
        -- a partitioned table's partitions first (trade_flow's years:
        -- tables of Citus's own beside it), then the table
        FOR part IN SELECT x.table_name, c.relname, n.nspname
                      FROM (SELECT i.inhrelid::regclass AS table_name, 0 AS last
                            FROM pg_catalog.pg_inherits i
                            WHERE i.inhparent = t.table_name
                              AND EXISTS (SELECT FROM pg_catalog.pg_dist_partition d WHERE d.logicalrelid = i.inhrelid)
                            UNION ALL
                            SELECT t.table_name, 1) x
                      JOIN pg_catalog.pg_class c ON c.oid = x.table_name
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     ORDER BY x.last, c.relname LOOP
            PERFORM pg_catalog.master_remove_distributed_table_metadata_from_workers(part.table_name, part.nspname, part.relname);
            PERFORM pg_catalog.citus_drop_all_shards(part.table_name, part.nspname, part.relname, false);
            PERFORM pg_catalog.master_remove_partition_metadata(part.table_name, part.nspname, part.relname);
            -- and the trigger through which Citus truncates the shards
            FOR trigger_name IN SELECT g.tgname FROM pg_catalog.pg_trigger g
                                 WHERE g.tgrelid = part.table_name
                                   AND g.tgfoid = 'pg_catalog.citus_truncate_trigger()'::regprocedure LOOP
                EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, part.table_name);
            END LOOP;
        END LOOP;
        n := n + 1;
        RAISE NOTICE '% is a local table again', t.table_name;
    END LOOP;

    -- the rows back, in maintenance mode (shipped rows), parents first, the
    -- maintained state with them (not recomputed meanwhile)
    SET LOCAL supplychain.maintenance = on;
    SET LOCAL supplychain.copying = on;
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
    SET LOCAL supplychain.copying = off;
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
