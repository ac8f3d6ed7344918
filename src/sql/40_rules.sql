-- The rules the tables keep: the share rule on dependency, read-only shipped
-- rows, and weights that users change becoming their own rows.

-- The known shares of one item never sum above 1: for each key (stage,
-- country, kind, item) and at every date, the latest row of each supplier
-- up to that date counts, and the sum of the known shares is at most 1.
-- A CHECK cannot see other rows, and a trigger that sums them races with
-- concurrent writers, so writers of a key first lock its row in
-- share_total (an upsert): under READ COMMITTED the second writer waits and
-- then sees the first one's rows; under REPEATABLE READ or SERIALIZABLE it
-- gets a serialization failure.  The check then recomputes the sums from the
-- dependency rows themselves, so share_total holds nothing the check trusts.

CREATE TABLE @extschema@.share_total (
    stage   text NOT NULL,
    country text NOT NULL,
    kind    text NOT NULL,
    item    text NOT NULL,
    total   numeric NOT NULL,
    hhi     double precision,       -- the HHI of the current known shares (0.7.0)
    PRIMARY KEY (stage, country, kind, item)
);
COMMENT ON TABLE @extschema@.share_total IS
    'internal: one row per dependency key (stage, country, kind, item) that has rows, locked by writers of the key; total = its current known share';

-- exec_cached(): the triggers' statements name their tables at run time (on
-- a Citus worker, the shards beside the one a trigger fires on); EXECUTE
-- would plan each anew, and for a one-row write the planning costs more than
-- the work.  This runs a statement through a generic plan kept for the
-- session (src/exec_cached.c), with up to four text[] parameters, and
-- returns its first row's first three text[] columns.
CREATE FUNCTION @extschema@.exec_cached(statement text, a text[] DEFAULT NULL, b text[] DEFAULT NULL,
                                        c text[] DEFAULT NULL, d text[] DEFAULT NULL,
                                        OUT r1 text[], OUT r2 text[], OUT r3 text[])
RETURNS record
AS 'MODULE_PATHNAME', 'sc_exec_cached'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.exec_cached(text, text[], text[], text[], text[]) IS
    'internal: runs a statement of the triggers through a generic plan kept for the session, with up to four text[] parameters ($1..$4); returns the first row''s first three text[] columns';

-- key_rows(): the rows of up to four parallel arrays (the keys a trigger
-- passes to its statements), in C (src/exec_cached.c), with a support
-- function that estimates its rows: a few for a parameter (a generic plan
-- then probes the tables' indexes per key), the array's length for a
-- constant.
CREATE FUNCTION @extschema@.key_rows_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'sc_key_rows_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@.key_rows_support(internal) IS
    'internal: the planner''s row estimate of key_rows()';
CREATE FUNCTION @extschema@.key_rows(x1 text[], x2 text[], x3 text[] DEFAULT NULL, x4 text[] DEFAULT NULL)
RETURNS TABLE (a text, b text, c text, d text)
AS 'MODULE_PATHNAME', 'sc_key_rows'
LANGUAGE C IMMUTABLE PARALLEL SAFE SUPPORT @extschema@.key_rows_support;
COMMENT ON FUNCTION @extschema@.key_rows(text[], text[], text[], text[]) IS
    'internal: the rows of up to four parallel arrays (the triggers'' keys), with a row estimate for the planner';

-- share_rule(supplier, as_of, share): over one key's rows, its total at the
-- latest date, its HHI (each supplier's latest known share, suppliers in
-- descending order), and the first date whose running total is above 1,
-- with that total (src/share_rule.c)
CREATE TYPE @extschema@.share_sums AS (total numeric, hhi double precision, bad_as_of date, bad_total numeric);
COMMENT ON TYPE @extschema@.share_sums IS
    'internal: what share_rule() gives of one dependency key: its total, its HHI, and the first date above 1 with its total';
CREATE FUNCTION @extschema@.share_rule_accum(internal, text, date, numeric) RETURNS internal
AS 'MODULE_PATHNAME', 'share_rule_accum' LANGUAGE C IMMUTABLE;
COMMENT ON FUNCTION @extschema@.share_rule_accum(internal, text, date, numeric) IS 'share_rule() transition';
CREATE FUNCTION @extschema@.share_rule_final(internal) RETURNS @extschema@.share_sums
AS 'MODULE_PATHNAME', 'share_rule_final' LANGUAGE C IMMUTABLE;
COMMENT ON FUNCTION @extschema@.share_rule_final(internal) IS 'share_rule() final';
CREATE AGGREGATE @extschema@.share_rule(text, date, numeric) (
    SFUNC = @extschema@.share_rule_accum, STYPE = internal, FINALFUNC = @extschema@.share_rule_final
);
COMMENT ON AGGREGATE @extschema@.share_rule(text, date, numeric) IS
    'internal: the share rule over one dependency key''s rows (supplier, as_of, share): its total, HHI and first date above 1';

CREATE FUNCTION @extschema@.dependency_share_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    stages text[];
    countries text[];
    kinds text[];
    items text[];
    bad text[];
    locked text[];
    -- the table the trigger fires on, and share_total beside it: on a Citus
    -- worker, a shard and its colocated shard (45_citus.sql)
    dep constant regclass := TG_RELID::regclass;
    tot constant regclass := CASE WHEN pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL
                                  THEN '@extschema@.share_total'
                                  ELSE @extschema@.shard_of('@extschema@.share_total', TG_RELID::regclass) END;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE pg_catalog.format('DELETE FROM %s', tot);
        RETURN NULL;
    END IF;
    -- the keys the statement touched, in the lock order
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(stage), pg_catalog.array_agg(country),
               pg_catalog.array_agg(kind), pg_catalog.array_agg(item)
          INTO stages, countries, kinds, items
          -- (hashed, then the distinct keys sorted: a statement's rows are
          -- many more than its keys)
          FROM (SELECT stage, country, kind, item FROM new_rows GROUP BY stage, country, kind, item
                ORDER BY stage, country, kind, item) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(stage), pg_catalog.array_agg(country),
               pg_catalog.array_agg(kind), pg_catalog.array_agg(item)
          INTO stages, countries, kinds, items
          FROM (SELECT stage, country, kind, item FROM old_rows GROUP BY stage, country, kind, item
                ORDER BY stage, country, kind, item) k;
    ELSE
        SELECT pg_catalog.array_agg(stage), pg_catalog.array_agg(country),
               pg_catalog.array_agg(kind), pg_catalog.array_agg(item)
          INTO stages, countries, kinds, items
          FROM (SELECT stage, country, kind, item FROM new_rows
                UNION SELECT stage, country, kind, item FROM old_rows ORDER BY stage, country, kind, item) k;
    END IF;
    IF stages IS NULL THEN
        RETURN NULL;
    END IF;

    -- each row adds its share minus the same supplier's previous share from
    -- its date on; the running sum is the key's total at each date, and the
    -- latest date's total is written to share_total with the key's HHI,
    -- summed over each supplier's latest row, suppliers in descending order:
    -- the order the maintained state sums them in (42_state.sql), so that a
    -- float sum comes out the same to the last digit.  share_rule() does it
    -- per key in one pass over the key's rows (src/share_rule.c), read
    -- through the key's index range (a subquery per key), so that a
    -- statement costs its keys' rows, never a scan and a sort of the whole
    -- table.
    --
    -- The keys are locked in that fixed order, so that writers never
    -- deadlock: a key's row in share_total is inserted, or locked and not
    -- rewritten (WHERE false).  A key without a row (in the statement's
    -- snapshot) is checked first and inserted with its sums: a writer of the
    -- key in flight waits for that row, and checks the key again after.  A
    -- key whose row exists, or that a writer in flight inserts, is checked by
    -- the next statement (a new snapshot: a writer we waited for is seen).
    SELECT r1, r2 INTO bad, locked FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH s AS MATERIALIZED (
            SELECT k.stage, k.country, k.kind, k.item, f.fresh,
                   CASE WHEN f.fresh
                        THEN (SELECT @extschema@.share_rule(d.supplier, d.as_of, d.share) FROM %2$s d
                              WHERE d.country = k.country AND d.stage = k.stage AND d.kind = k.kind AND d.item = k.item)
                   END AS s
            FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
            CROSS JOIN LATERAL (SELECT NOT EXISTS (SELECT FROM %1$s t
                                                   WHERE t.stage = k.stage AND t.country = k.country
                                                     AND t.kind = k.kind AND t.item = k.item) AS fresh) f
        ), written AS (
            INSERT INTO %1$s AS t (stage, country, kind, item, total, hhi)
            SELECT stage, country, kind, item, COALESCE((s).total, 0), (s).hhi FROM s
            ORDER BY stage, country, kind, item
            ON CONFLICT (stage, country, kind, item) DO UPDATE SET total = t.total WHERE false
            RETURNING t.stage, t.country, t.kind, t.item
        )
        -- the first key above 1 (of those inserted here), and how many keys
        -- were locked instead
        SELECT (SELECT ARRAY[stage, country, kind, item, (s).bad_as_of::text, (s).bad_total::text] FROM s
                WHERE (s).bad_as_of IS NOT NULL ORDER BY stage, country, kind, item LIMIT 1),
               ARRAY[(SELECT pg_catalog.count(*) FROM s
                      WHERE NOT s.fresh
                         OR NOT EXISTS (SELECT FROM written w
                                        WHERE w.stage = s.stage AND w.country = s.country
                                          AND w.kind = s.kind AND w.item = s.item))::text]
    $q$, tot, dep), stages, countries, kinds, items);

    -- the keys locked (not inserted here, or without rows): checked now
    IF locked[1]::bigint > 0 THEN
        SELECT r1 INTO bad FROM @extschema@.exec_cached(pg_catalog.format($q$
            WITH s AS MATERIALIZED (
                SELECT k.stage, k.country, k.kind, k.item,
                       (SELECT @extschema@.share_rule(d.supplier, d.as_of, d.share) FROM %2$s d
                        WHERE d.country = k.country AND d.stage = k.stage AND d.kind = k.kind AND d.item = k.item) AS s
                FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
            ), updated AS (
                UPDATE %1$s t SET total = (x.s).total, hhi = (x.s).hhi
                FROM s x
                WHERE (x.s).total IS NOT NULL
                  AND (t.stage, t.country, t.kind, t.item) = (x.stage, x.country, x.kind, x.item)
            )
            SELECT ARRAY[stage, country, kind, item, (s).bad_as_of::text, (s).bad_total::text] FROM s
            WHERE (s).bad_as_of IS NOT NULL ORDER BY stage, country, kind, item LIMIT 1
        $q$, tot, dep), stages, countries, kinds, items);
    END IF;

    -- a key whose rows are all gone has no row, as a key never written
    -- (locked above, deleted here: its next writer inserts it again)
    IF TG_OP <> 'INSERT' THEN
        PERFORM @extschema@.exec_cached(pg_catalog.format($q$
            DELETE FROM %1$s t
            USING @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
            WHERE (t.stage, t.country, t.kind, t.item) = (k.stage, k.country, k.kind, k.item)
              AND NOT EXISTS (SELECT FROM %2$s d
                              WHERE (d.stage, d.country, d.kind, d.item) = (k.stage, k.country, k.kind, k.item))
        $q$, tot, dep), stages, countries, kinds, items);
    END IF;

    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'known shares of a dependency sum to % (above 1)', bad[6]
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Stage %s, country %s, kind %s, item "%s", as of %s: the latest known share of each supplier up to that date.',
                                  bad[1], bad[2], bad[3], bad[4], bad[5]),
                  HINT = 'Shares are fractions of one item at one stage. Lower another supplier''s share at the same or an earlier date first.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.dependency_share_check() IS
    'trigger: rejects known shares of one item summing above 1 at any date, serializing writers of a key on share_total';

CREATE TRIGGER share_check_insert AFTER INSERT ON @extschema@.dependency
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();
CREATE TRIGGER share_check_update AFTER UPDATE ON @extschema@.dependency
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();
CREATE TRIGGER share_check_delete AFTER DELETE ON @extschema@.dependency
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();
CREATE TRIGGER share_check_truncate AFTER TRUNCATE ON @extschema@.dependency
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dependency_share_check();

-- dependency's foreign keys are checked once per statement, not row by row:
-- reference_check() (src/references.c) takes the distinct codes of each key
-- column from the statement's new rows and looks them up in one query per
-- key, locking the referenced rows FOR KEY SHARE as the owner of their table,
-- as PostgreSQL's row check does, and fails with its error (23503).  The
-- row triggers of those keys on dependency (RI_FKey_check_ins and _upd) are
-- disabled; the constraints stay declared (pg_dump orders the tables' data
-- by them, and BI tools read them), and the other side's triggers, which
-- refuse to delete or rename a country, stage or source that rows use, are
-- PostgreSQL's own.  A key whose row trigger is enabled again (ALTER TABLE
-- ... ENABLE TRIGGER ALL) is checked by PostgreSQL, row by row, and skipped
-- here.
CREATE FUNCTION @extschema@.reference_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'sc_reference_check'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.reference_check() IS
    'trigger: checks the foreign keys whose row triggers are disabled once per statement, from the new rows (locking the referenced rows FOR KEY SHARE)';
CREATE TRIGGER reference_check_insert AFTER INSERT ON @extschema@.dependency
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.reference_check();
CREATE TRIGGER reference_check_update AFTER UPDATE ON @extschema@.dependency
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.reference_check();
DO $$
DECLARE
    t name;
BEGIN
    -- (a table Citus distributes is left as it is: its shards' keys are
    -- Citus's own, checked row by row, and reference_check() skips them)
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT FROM pg_catalog.pg_dist_partition p
                   WHERE p.logicalrelid OPERATOR(pg_catalog.=) '@extschema@.dependency'::pg_catalog.regclass) THEN
            RETURN;
        END IF;
    END IF;
    FOR t IN SELECT g.tgname FROM pg_catalog.pg_trigger g
             JOIN pg_catalog.pg_constraint c ON c.oid OPERATOR(pg_catalog.=) g.tgconstraint
             WHERE g.tgrelid OPERATOR(pg_catalog.=) '@extschema@.dependency'::pg_catalog.regclass
               AND c.conrelid OPERATOR(pg_catalog.=) g.tgrelid AND c.contype OPERATOR(pg_catalog.=) 'f'
               AND g.tgfoid OPERATOR(pg_catalog.=) ANY (ARRAY['pg_catalog."RI_FKey_check_ins"'::pg_catalog.regproc,
                                                            'pg_catalog."RI_FKey_check_upd"'::pg_catalog.regproc])
             ORDER BY g.tgname
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.dependency DISABLE TRIGGER %I', t);
    END LOOP;
END
$$;

-- Shipped rows are read-only: pg_dump does not keep them (CREATE EXTENSION
-- recreates them), so a change to one would be lost, and a restored user row
-- could then conflict with it.  Users record changes as their own rows
-- (dated tables: a later as_of).  Setting supplychain.maintenance = on lifts
-- the rule, for upgrade scripts that correct reference data.
CREATE FUNCTION @extschema@.builtin_readonly() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.builtin_readonly() IS
    'trigger: shipped reference rows cannot be created, updated or deleted (unless supplychain.maintenance = on)';

-- A shipped weight that a user changes becomes the user's row (builtin =
-- false), so pg_dump keeps it; restoring it (an INSERT of a user row with a
-- shipped name) takes over the default that CREATE EXTENSION has just
-- inserted, in place.
CREATE FUNCTION @extschema@.weight_ownership() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.weight_ownership() IS
    'trigger: a changed shipped weight becomes a user row, and a restored user row replaces the shipped default';
CREATE TRIGGER weight_ownership BEFORE INSERT OR UPDATE ON @extschema@.weight
    FOR EACH ROW EXECUTE FUNCTION @extschema@.weight_ownership();

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

SELECT @extschema@.protect_shipped_rows('@extschema@.source');
SELECT @extschema@.protect_shipped_rows('@extschema@.country');
SELECT @extschema@.protect_shipped_rows('@extschema@.sector');
SELECT @extschema@.protect_shipped_rows('@extschema@.stage');
SELECT @extschema@.protect_shipped_rows('@extschema@.stage_link');
SELECT @extschema@.protect_shipped_rows('@extschema@.assessment');
SELECT @extschema@.protect_shipped_rows('@extschema@.dependency');
SELECT @extschema@.protect_shipped_rows('@extschema@.alignment');
SELECT @extschema@.protect_shipped_rows('@extschema@.policy');
SELECT @extschema@.protect_shipped_rows('@extschema@.policy_measure');
SELECT @extschema@.protect_shipped_rows('@extschema@.policy_impact');
SELECT @extschema@.protect_shipped_rows('@extschema@.figure');
-- a shipped weight cannot be deleted, even once changed: the views need it
SELECT @extschema@.protect_shipped_rows('@extschema@.weight', 'DELETE', 'OLD.default_value IS NOT NULL');
