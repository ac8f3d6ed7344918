-- supplychain 0.11.0 -> 0.12.0: the trade totals' writers recompute their
-- keys' rows through one helper, trade_recompute(), for both tables; the
-- loader's pass in C (trade_totals_scan) is faster, with the same results
-- and signature.  load_trade_dependencies() writes only the rows that
-- change.  No table changes, no rows written.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.12.0'" to load this file. \quit

-- trade_recompute(target, code, fresh, columns, keys): the rows of the
-- (code, product, year) keys in target (trade_country_total or
-- trade_country_group_total, or a shard of either; code names its code
-- column), whose rows the caller has locked, from fresh, a query of their
-- recomputed rows ($1, $2, $3: the keys' codes, products and years): a key
-- without a fresh row loses its row, the others take the fresh values of
-- columns.
CREATE FUNCTION @extschema@.trade_recompute(target regclass, code name, fresh text, columns name[],
                                            codes text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE pg_catalog.format($q$
        WITH fresh AS MATERIALIZED (%3$s),
        gone AS (
            DELETE FROM %1$s t
            USING ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (code, product, year)
            WHERE t.%2$I OPERATOR(pg_catalog.=) k.code AND t.product OPERATOR(pg_catalog.=) k.product
              AND t.year OPERATOR(pg_catalog.=) k.year
              AND NOT EXISTS (SELECT FROM fresh f WHERE f.%2$I OPERATOR(pg_catalog.=) k.code
                                AND f.product OPERATOR(pg_catalog.=) k.product AND f.year OPERATOR(pg_catalog.=) k.year)
        )
        UPDATE %1$s t
        SET %4$s
        FROM fresh f
        WHERE t.%2$I OPERATOR(pg_catalog.=) f.%2$I AND t.product OPERATOR(pg_catalog.=) f.product
          AND t.year OPERATOR(pg_catalog.=) f.year
    $q$, target, code, fresh,
         (SELECT pg_catalog.string_agg(pg_catalog.format('%I = f.%I', c, c), ', ') FROM pg_catalog.unnest(columns) c))
    USING codes, products, years;
END
$$;
COMMENT ON FUNCTION @extschema@.trade_recompute(regclass, name, text, name[], text[], text[], integer[]) IS
    'internal: recomputes the locked rows of the given (code, product, year) keys of a trade totals table (or shard) from a query of their fresh rows: deletes those without one, updates the others';

-- refresh_trade() and refresh_trade_groups() recompute through it
CREATE OR REPLACE FUNCTION @extschema@.refresh_trade(beside regclass, countries text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_total', beside) ELSE '@extschema@.trade_country_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
    before @extschema@.watch_snapshot;
    g record;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    EXECUTE pg_catalog.format($q$
        INSERT INTO %s AS t (country, product, year)
        SELECT DISTINCT k.country, k.product, k.year
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        ORDER BY 3, 1, 2
        ON CONFLICT (year, country, product) DO UPDATE SET import_flows = t.import_flows
    $q$, tot) USING countries, products, years;
    -- the groups' keys: the memberships of the keys' countries that year,
    -- read once no change of them is under way
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('supplychain.country_group'));
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(g.group_code ORDER BY g.year, g.group_code, g.product) AS groups,
               pg_catalog.array_agg(g.product ORDER BY g.year, g.group_code, g.product) AS products,
               pg_catalog.array_agg(g.year ORDER BY g.year, g.group_code, g.product) AS years
        FROM (SELECT DISTINCT m.group_code COLLATE "C" AS group_code, k.product, k.year
              FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
              JOIN %s m ON m.member OPERATOR(pg_catalog.=) k.country
               AND m.since OPERATOR(pg_catalog.<=) pg_catalog.make_date(k.year, 12, 31)
               AND (m.until IS NULL OR m.until OPERATOR(pg_catalog.>=) pg_catalog.make_date(k.year, 1, 1))) g
    $q$, CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_group', beside) ELSE '@extschema@.country_group' END)
    INTO g USING countries, products, years;
    IF g.groups IS NOT NULL THEN
        EXECUTE pg_catalog.format($q$
            INSERT INTO %s AS t (group_code, product, year)
            SELECT k.group_code, k.product, k.year
            FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (group_code, product, year)
            ON CONFLICT (year, group_code, product) DO UPDATE SET import_flows = t.import_flows
        $q$, CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_group_total', beside)
                  ELSE '@extschema@.trade_country_group_total' END) USING g.groups, g.products, g.years;
    END IF;
    -- the early warning's values before (44_watch.sql), of keys now locked
    before := @extschema@.watch_before(beside, '{import_dependency.top_share,import_dependency.hhi,import_dependency.dependent}',
                                       countries, products, NULL, years);
    PERFORM @extschema@.trade_recompute(tot, 'country',
        pg_catalog.format('SELECT * FROM @extschema@.trade_country_totals(%L, $1, $2, $3)', flows),
        '{import_flows,imports,squares,partners,top_value,top_partner,export_flows,exports}',
        countries, products, years);
    PERFORM @extschema@.refresh_trade_groups(beside, g.groups, g.products, g.years);
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, products, NULL, years);
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION @extschema@.refresh_trade_groups(beside regclass, groups text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_country_group_total', beside) ELSE '@extschema@.trade_country_group_total' END;
    flows constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.trade_flow', beside) ELSE '@extschema@.trade_flow' END;
    cg constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_group', beside) ELSE '@extschema@.country_group' END;
BEGIN
    IF groups IS NULL OR pg_catalog.cardinality(groups) = 0 THEN
        RETURN;
    END IF;
    IF products IS NULL THEN
        EXECUTE pg_catalog.format('DELETE FROM %s t WHERE t.group_code OPERATOR(pg_catalog.=) ANY ($1)', tot) USING groups;
        EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_group_totals(%L, %L, $1)', tot, flows, cg)
            USING groups;
        RETURN;
    END IF;
    PERFORM @extschema@.trade_recompute(tot, 'group_code',
        pg_catalog.format('SELECT * FROM @extschema@.trade_group_totals(%L, %L, $1, $2, $3)', flows, cg),
        '{import_flows,imports,squares,partners,top_value,top_partner,inside_imports,export_flows,exports}',
        groups, products, years);
END
$$;

-- load_trade_dependencies(): the year's rows as they should be are left
-- alone; those that the flows no longer give go, those that changed are
-- updated, the others inserted
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
        ), own AS (
            -- each item's own rows through its index range (OFFSET 0:
            -- a probe per item, never a scan of dependency), but the
            -- year's
            SELECT d.stage, d.country, d.item, d.supplier, d.as_of
            FROM (SELECT DISTINCT n.stage, n.country, n.item FROM new n) k
            CROSS JOIN LATERAL (
                SELECT d.stage, d.country, d.item, d.supplier, d.as_of FROM @extschema@.dependency d
                WHERE d.country OPERATOR(pg_catalog.=) k.country AND d.stage OPERATOR(pg_catalog.=) k.stage
                  AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) k.item
                  AND d.source OPERATOR(pg_catalog.=) 'trade-flow' AND d.as_of OPERATOR(pg_catalog.<>) $1
                OFFSET 0) d
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
