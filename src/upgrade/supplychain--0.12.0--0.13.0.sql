-- supplychain 0.12.0 -> 0.13.0: dependency's foreign keys are checked once
-- per statement by reference_check() (src/references.c); their row
-- triggers on dependency are disabled.  The share rule's check sums each
-- key's rows with the aggregate share_rule() (src/share_rule.c), with the
-- same results.  No table changes, no rows written.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.13.0'" to load this file. \quit

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

-- the share rule's check through share_rule()
CREATE OR REPLACE FUNCTION @extschema@.dependency_share_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    stages text[];
    countries text[];
    kinds text[];
    items text[];
    bad text[];
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
          FROM (SELECT DISTINCT stage, country, kind, item FROM new_rows ORDER BY stage, country, kind, item) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(stage), pg_catalog.array_agg(country),
               pg_catalog.array_agg(kind), pg_catalog.array_agg(item)
          INTO stages, countries, kinds, items
          FROM (SELECT DISTINCT stage, country, kind, item FROM old_rows ORDER BY stage, country, kind, item) k;
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

    -- lock the keys, in that fixed order, so that writers never deadlock
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        INSERT INTO %s AS t (stage, country, kind, item, total)
        SELECT stage, country, kind, item, 0
        FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
        ORDER BY stage, country, kind, item
        ON CONFLICT (stage, country, kind, item) DO UPDATE SET total = t.total
    $q$, tot), stages, countries, kinds, items);

    -- each row adds its share minus the same supplier's previous share from
    -- its date on; the running sum is the key's total at each date, and the
    -- latest date's total is written to share_total with the key's HHI,
    -- summed over each supplier's latest row, suppliers in descending order:
    -- the order the maintained state sums them in (42_state.sql), so that a
    -- float sum comes out the same to the last digit.  share_rule() does it
    -- per key in one pass over the key's rows (src/share_rule.c).  Each
    -- key's rows are read through its index range (the lateral subquery,
    -- kept from being flattened into a join by OFFSET 0), so that a
    -- statement costs its keys' rows, never a scan and a sort of the whole
    -- table.
    SELECT r1 INTO bad FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH s AS MATERIALIZED (
            SELECT k.stage, k.country, k.kind, k.item, @extschema@.share_rule(d.supplier, d.as_of, d.share) AS s
            FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
            CROSS JOIN LATERAL (
                SELECT d.supplier, d.share, d.as_of FROM %2$s d
                WHERE d.country = k.country AND d.stage = k.stage AND d.kind = k.kind AND d.item = k.item
                OFFSET 0) d
            GROUP BY k.stage, k.country, k.kind, k.item
        ), updated AS (
            UPDATE %1$s t SET total = (x.s).total, hhi = (x.s).hhi
            FROM s x
            WHERE (t.stage, t.country, t.kind, t.item) = (x.stage, x.country, x.kind, x.item)
        )
        SELECT ARRAY[stage, country, kind, item, (s).bad_as_of::text, (s).bad_total::text] FROM s
        WHERE (s).bad_as_of IS NOT NULL ORDER BY stage, country, kind, item LIMIT 1
    $q$, tot, dep), stages, countries, kinds, items);

    -- keys whose rows are all gone now hold nothing
    IF TG_OP <> 'INSERT' THEN
        PERFORM @extschema@.exec_cached(pg_catalog.format($q$
            UPDATE %1$s t SET total = 0, hhi = NULL
            FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
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
