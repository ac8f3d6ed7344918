-- supplychain 0.13.0 -> 0.14.0: load_trade_dependencies() computes its rows
-- with trade_shares() (src/trade_shares.c), in one pass over the flows.
-- No table changes, no rows written.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.14.0'" to load this file. \quit

-- trade_shares(import_partner, product_stage, year, importer): the rows a
-- year of flows gives, one per importer (NULL: every one with flows that
-- year), (stage, item) of product_stage and partner with imports above 0:
-- share = the partner's share of the importer's imports of the item's
-- products (outside the importer, for a group), truncated to 10 decimals;
-- a note with the figures and the products.  In one pass over the flows
-- (src/trade_shares.c); sql/trade_shares.sql compares it with the formula
-- in SQL.
CREATE FUNCTION @extschema@.trade_shares(import_partner regclass, product_stage regclass, year integer, importer text)
RETURNS TABLE (stage text, country text, supplier text, item text, share numeric, note text)
AS 'MODULE_PATHNAME', 'sc_trade_shares'
-- (one importer's rows, about: the planner joins them to dependency's rows
-- by hash rather than by nested loops, as it did the grouping's estimate)
LANGUAGE C STABLE ROWS 10000;
COMMENT ON FUNCTION @extschema@.trade_shares(regclass, regclass, integer, text) IS
    'internal: the dependency rows a year of trade flows gives (load_trade_dependencies()), in one pass over the flows';

-- load_trade_dependencies: a year of trade flows as dependency rows.  For
-- each importer (a country or a group; NULL: every one with flows that year),
-- each (stage, item) of product_stage and each partner, one row: kind
-- supply, share = the partner's share of the importer's imports of the
-- item's products (for a group: from non-members), as_of = the year's last
-- day, source 'trade-flow'.  Shares are truncated to 10 decimals, so the
-- shares of one item never sum above 1.  The function owns the rows citing
-- 'trade-flow': it replaces those of the year (and importer), writing only
-- the rows that change, and never touches other rows.  A partner that
-- supplied the item in another loaded year and not in this one gets share 0
-- (step 1).  Returns the number of rows written (inserted or changed).
-- Writes nothing (and needs no privilege) when there are neither flows nor
-- own rows of the year.
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
    wanted text;
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
    -- (no flows: no rows)
    wanted := $q$
        WITH new AS (
            -- (codes in the default collation, dependency's: its index
            -- serves the probes below)
            SELECT t.stage, t.country, t.supplier, t.item, t.share, t.note
            FROM @extschema@.trade_shares('@extschema@.import_partner', '@extschema@.product_stage', $2, $3) t
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
        ), w (stage, country, supplier, item, share, as_of, note) AS (
            -- (the zeros first: computed before a row is inserted, their
            -- probes of dependency do not read the statement's new rows)
            SELECT z.stage, z.country, z.supplier, z.item, 0, z.as_of,
                   pg_catalog.format('trade_flow %s: no imports from %s', pg_catalog.date_part('year', z.as_of), z.supplier)
            FROM zero z
            UNION ALL
            SELECT n.stage, n.country, n.supplier, n.item, n.share, $1 AS as_of, n.note FROM new n
        )
    $q$;
    IF NOT own_rows AND pg_catalog.has_table_privilege('@extschema@.dependency', 'INSERT')
       AND NOT pg_catalog.current_setting('transaction_read_only')::boolean THEN
        -- a first load of the year (and importer): the rows inserted as
        -- they are computed (by a writer in a transaction that may write:
        -- otherwise the statement below finds whether there is anything to
        -- write, and nothing is written when there is not)
        EXECUTE wanted || $q$
            INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source)
            SELECT w.stage, w.country, w.supplier, 'supply', w.item, w.share, w.as_of, w.note, 'trade-flow' FROM w
        $q$ USING as_of, for_year, for_importer;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END IF;
    EXECUTE wanted || $q$
        SELECT pg_catalog.array_agg(w.stage) AS stages, pg_catalog.array_agg(w.country) AS countries,
               pg_catalog.array_agg(w.supplier) AS suppliers, pg_catalog.array_agg(w.item) AS items,
               pg_catalog.array_agg(w.share) AS shares, pg_catalog.array_agg(w.as_of) AS as_ofs,
               pg_catalog.array_agg(w.note) AS notes
        FROM w
    $q$ INTO want USING as_of, for_year, for_importer;

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
COMMENT ON FUNCTION @extschema@.load_trade_dependencies(integer, text) IS
    'writes the year''s trade flows as dependency rows (kind supply, share = the partner''s share of the importer''s imports of each product_stage item, as_of = the year''s last day, source trade-flow), replacing its own rows of that year and importer (NULL: all); returns the rows written';
