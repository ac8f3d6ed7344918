-- supplychain 0.12.0 -> 0.13.0: dependency's foreign keys are checked once
-- per statement by reference_check() (src/references.c); their row
-- triggers on dependency are disabled.  The share rule's check sums each
-- key's rows with the aggregate share_rule() (src/share_rule.c), with the
-- same results.  load_trade_dependencies() looks for zero shares only in
-- items with rows of other years.  No table changes, no rows written.
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

-- load_trade_dependencies(): zeros only where an item has rows of other years
CREATE OR REPLACE FUNCTION @extschema@.load_trade_dependencies(year integer, importer text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    for_year constant integer := $1;
    for_importer constant text := $2;
    as_of date;
    only_importer text := '';
    own_rows boolean;
    want record;
    n bigint;
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

    -- 1. the rows the year should hold: the partners' shares, and shares 0
    -- (the share rule is checked after each statement): at each own date of
    -- an item, a supplier with an own row at an earlier date and none at
    -- that date gets share 0, so that its earlier share does not count
    -- there (the rule counts each supplier's latest row).  Every own date
    -- then lists every supplier seen before it, whichever year is loaded
    -- first, and replacing one year's rows never brings an older share back.
    -- The year's own rows (of the importer) are being replaced: they count
    -- neither as seen nor as taken.
    EXECUTE pg_catalog.format($q$
        SELECT EXISTS (SELECT FROM @extschema@.dependency d
                       WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.=) $1 %s)
    $q$, pg_catalog.format(only_importer, 'd.country')) INTO own_rows USING as_of, for_year, for_importer;
    -- (no flows: no rows, the arrays NULL)
    EXECUTE pg_catalog.format($q$
        WITH new AS (
            -- (the codes in dependency's collation: its index serves the probes below)
            SELECT s.stage, s.importer COLLATE pg_catalog."default" AS country,
                   s.partner COLLATE pg_catalog."default" AS supplier, s.item,
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
        ), other AS MATERIALIZED (
            -- each item's own rows of other years, through its index range
            -- (OFFSET 0: a probe per item, never a scan of dependency)
            SELECT d.stage, d.country, d.item, d.supplier, d.as_of
            FROM (SELECT DISTINCT n.stage, n.country, n.item FROM new n) k
            CROSS JOIN LATERAL (
                SELECT d.stage, d.country, d.item, d.supplier, d.as_of FROM @extschema@.dependency d
                WHERE d.country OPERATOR(pg_catalog.=) k.country AND d.stage OPERATOR(pg_catalog.=) k.stage
                  AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) k.item
                  AND d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.<>) $1
                OFFSET 0) d
        ), own AS (
            -- an item's own rows: of other years, and the year's as wanted
            SELECT * FROM other
            UNION ALL
            SELECT n.stage, n.country, n.item, n.supplier, $1 FROM new n
        ), zero AS (
            -- (only an item with rows of other years can get a zero: a
            -- first load of a single year computes none)
            SELECT DISTINCT t.stage, t.country, t.item, o.supplier, t.as_of
            FROM (SELECT DISTINCT o.stage, o.country, o.item, o.as_of
                  FROM (SELECT DISTINCT stage, country, item FROM other) i
                  JOIN own o ON o.stage OPERATOR(pg_catalog.=) i.stage AND o.country OPERATOR(pg_catalog.=) i.country
                            AND o.item OPERATOR(pg_catalog.=) i.item) t
            JOIN own o ON o.stage OPERATOR(pg_catalog.=) t.stage AND o.country OPERATOR(pg_catalog.=) t.country
                      AND o.item OPERATOR(pg_catalog.=) t.item AND o.as_of OPERATOR(pg_catalog.<) t.as_of
            WHERE NOT EXISTS (SELECT FROM own x
                              WHERE x.stage OPERATOR(pg_catalog.=) t.stage AND x.country OPERATOR(pg_catalog.=) t.country
                                AND x.item OPERATOR(pg_catalog.=) t.item AND x.supplier OPERATOR(pg_catalog.=) o.supplier
                                AND x.as_of OPERATOR(pg_catalog.=) t.as_of)
              AND NOT EXISTS (SELECT FROM @extschema@.dependency h
                              WHERE h.stage OPERATOR(pg_catalog.=) t.stage AND h.country OPERATOR(pg_catalog.=) t.country
                                AND h.kind OPERATOR(pg_catalog.=) 'supply' AND h.item OPERATOR(pg_catalog.=) t.item
                                AND h.supplier OPERATOR(pg_catalog.=) o.supplier AND h.as_of OPERATOR(pg_catalog.=) t.as_of
                                AND NOT (h.source OPERATOR(pg_catalog.=) 'trade-flow' AND h.as_of OPERATOR(pg_catalog.=) $1))
        )
        SELECT pg_catalog.array_agg(w.stage) AS stages, pg_catalog.array_agg(w.country) AS countries,
               pg_catalog.array_agg(w.supplier) AS suppliers, pg_catalog.array_agg(w.item) AS items,
               pg_catalog.array_agg(w.share) AS shares, pg_catalog.array_agg(w.as_of) AS as_ofs,
               pg_catalog.array_agg(w.note) AS notes
        FROM (SELECT n.stage, n.country, n.supplier, n.item, n.share, $1 AS as_of, n.note FROM new n
              UNION ALL
              SELECT z.stage, z.country, z.supplier, z.item, 0, z.as_of,
                     pg_catalog.format('trade_flow %%s: no imports from %%s', pg_catalog.date_part('year', z.as_of), z.supplier)
              FROM zero z) w
    $q$, pg_catalog.format(only_importer, 'p.importer'))
    INTO want USING as_of, for_year, for_importer;

    -- 2. the year's own rows that the flows no longer give go, those whose
    -- share or note changed are updated, and the others are inserted, in
    -- that order (after each step every sum the share rule checks is at
    -- most what it is at the end); rows as they should be are not written
    IF own_rows THEN
        EXECUTE pg_catalog.format($q$
            DELETE FROM @extschema@.dependency d
            WHERE d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.=) $1 %s
              -- (NOT IN: one hash of the rows wanted, no NULLs in either)
              AND (d.kind, d.stage, d.country, d.supplier, d.item) NOT IN (
                  SELECT 'supply', w.stage, w.country, w.supplier, w.item
                  FROM ROWS FROM (pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6),
                                  pg_catalog.unnest($7), pg_catalog.unnest($8)) w (stage, country, supplier, item, as_of)
                  WHERE w.as_of OPERATOR(pg_catalog.=) $1)
        $q$, pg_catalog.format(only_importer, 'd.country'))
        USING as_of, for_year, for_importer, want.stages, want.countries, want.suppliers, want.items, want.as_ofs;
        IF want.stages IS NOT NULL THEN
            UPDATE @extschema@.dependency d SET share = w.share, note = w.note
            FROM ROWS FROM (pg_catalog.unnest(want.stages), pg_catalog.unnest(want.countries), pg_catalog.unnest(want.suppliers),
                 pg_catalog.unnest(want.items), pg_catalog.unnest(want.shares), pg_catalog.unnest(want.as_ofs),
                 pg_catalog.unnest(want.notes))
                 w (stage, country, supplier, item, share, as_of, note)
            WHERE d.country OPERATOR(pg_catalog.=) w.country AND d.stage OPERATOR(pg_catalog.=) w.stage
              AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) w.item
              AND d.supplier OPERATOR(pg_catalog.=) w.supplier AND d.as_of OPERATOR(pg_catalog.=) w.as_of
              AND d.source OPERATOR(pg_catalog.=) 'trade-flow'
              AND (d.share, d.note) IS DISTINCT FROM (w.share, w.note);
            GET DIAGNOSTICS n = ROW_COUNT;
            written := written + n;
        END IF;
    END IF;
    IF want.stages IS NOT NULL THEN
        INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source)
        SELECT w.stage, w.country, w.supplier, 'supply', w.item, w.share, w.as_of, w.note, 'trade-flow'
        FROM ROWS FROM (pg_catalog.unnest(want.stages), pg_catalog.unnest(want.countries), pg_catalog.unnest(want.suppliers),
                 pg_catalog.unnest(want.items), pg_catalog.unnest(want.shares), pg_catalog.unnest(want.as_ofs),
                 pg_catalog.unnest(want.notes))
             w (stage, country, supplier, item, share, as_of, note)
        WHERE NOT (own_rows AND EXISTS (
                  SELECT FROM @extschema@.dependency d
                  WHERE d.country OPERATOR(pg_catalog.=) w.country AND d.stage OPERATOR(pg_catalog.=) w.stage
                    AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) w.item
                    AND d.supplier OPERATOR(pg_catalog.=) w.supplier AND d.as_of OPERATOR(pg_catalog.=) w.as_of
                    AND d.source OPERATOR(pg_catalog.=) 'trade-flow'));
        GET DIAGNOSTICS n = ROW_COUNT;
        written := written + n;
    END IF;
    RETURN written;
END
$fn$;
