-- supplychain 0.8.0 -> 0.9.0: writes to dependency cost their keys' rows at
-- any table size: the share rule and the state read each key's index range
-- (never a scan and a sort of the whole table), the country rows are summed
-- from one read of each (country, supplier)'s terms and written only where
-- they change; trade_country_total is computed in one pass in C (the
-- aggregate trade_totals() and trade_totals_scan()), exactly.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.9.0'" to load this file. \quit

-- the country rows: country_lock() gives way to country_sums(), and
-- refresh_country() always locks its rows itself
DROP FUNCTION @extschema@.refresh_country(regclass, text[], text[], text[], boolean);
DROP FUNCTION @extschema@.country_lock(regclass, regclass);
CREATE FUNCTION @extschema@.country_sums(sup regclass, al regclass, wt regclass) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.format($q$
        k AS (
            SELECT DISTINCT country, sector, supplier FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)
        ), pairs AS (
            SELECT DISTINCT country, supplier FROM k
        ), terms AS MATERIALIZED (
            SELECT p.country, p.supplier, s.sector, pg_catalog.count(*)::integer AS stages,
                   pg_catalog.sum(s.dependencies)::integer AS dependencies,
                   pg_catalog.sum(s.unknown_shares)::integer AS unknown_shares,
                   pg_catalog.sum(s.known_share) AS known_share, pg_catalog.sum(s.weighted) AS weighted
            FROM pairs p
            -- OFFSET 0: a probe per (country, supplier), never a scan of the table
            CROSS JOIN LATERAL (SELECT s.sector, s.dependencies, s.unknown_shares, s.known_share, s.weighted
                                FROM %1$s s
                                WHERE s.country OPERATOR(pg_catalog.=) p.country
                                  AND s.supplier OPERATOR(pg_catalog.=) p.supplier
                                OFFSET 0) s
            GROUP BY p.country, p.supplier, s.sector
        ), x AS (
            SELECT k.country, k.sector, k.supplier, t.stages, t.dependencies, t.unknown_shares, t.known_share, t.weighted
            FROM k LEFT JOIN terms t
              ON t.country OPERATOR(pg_catalog.=) k.country AND t.supplier OPERATOR(pg_catalog.=) k.supplier
             AND t.sector OPERATOR(pg_catalog.=) k.sector
            WHERE k.sector IS NOT NULL
            UNION ALL
            SELECT p.country, NULL, p.supplier, t.stages, t.dependencies, t.unknown_shares, t.known_share, t.weighted
            FROM pairs p LEFT JOIN (
                SELECT country, supplier, pg_catalog.sum(stages)::integer AS stages,
                       pg_catalog.sum(dependencies)::integer AS dependencies,
                       pg_catalog.sum(unknown_shares)::integer AS unknown_shares,
                       pg_catalog.sum(known_share) AS known_share, pg_catalog.sum(weighted) AS weighted
                FROM terms GROUP BY country, supplier) t
              ON t.country OPERATOR(pg_catalog.=) p.country AND t.supplier OPERATOR(pg_catalog.=) p.supplier
        ), sums AS MATERIALIZED (
            SELECT x.country, x.sector, x.supplier, al.relation, COALESCE(x.stages, 0) AS stages,
                   COALESCE(x.dependencies, 0) AS dependencies, COALESCE(x.unknown_shares, 0) AS unknown_shares,
                   x.known_share, x.weighted,
                   pg_catalog.round(x.weighted OPERATOR(pg_catalog.*) wa.value, 4) AS risk
            FROM x
            LEFT JOIN %2$s al ON al.country OPERATOR(pg_catalog.=) x.country AND al.partner OPERATOR(pg_catalog.=) x.supplier
            LEFT JOIN %3$s wa ON wa.name OPERATOR(pg_catalog.=) ('alignment.' OPERATOR(pg_catalog.||) COALESCE(al.relation, 'unknown'))
        )$q$, sup, al, wt)
$$;
COMMENT ON FUNCTION @extschema@.country_sums(regclass, regclass, regclass) IS
    'internal: the statement part of the state''s triggers that computes country_state and country_total_state rows from supplier_state';

CREATE FUNCTION @extschema@.refresh_country(beside regclass, countries text[], sectors text[], suppliers text[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- shard_of() is a call per name: skipped where there is no Citus
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    sup constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.supplier_state', beside) ELSE '@extschema@.supplier_state' END;
    cs constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_state', beside) ELSE '@extschema@.country_state' END;
    ct constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_total_state', beside) ELSE '@extschema@.country_total_state' END;
    al constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.alignment', beside) ELSE '@extschema@.alignment' END;
    wt constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.weight', beside) ELSE '@extschema@.weight' END;
    sums constant text := @extschema@.country_sums(sup, al, wt);
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    -- lock the rows, in order; a new key's row is a placeholder until the
    -- next statement computes it
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (SELECT DISTINCT country, sector, supplier
                   FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)),
        by_sector AS (
            INSERT INTO %1$s AS t (country, sector, supplier, stages, dependencies, unknown_shares)
            SELECT country, sector, supplier, 0, 0, 0 FROM k WHERE sector IS NOT NULL
            ORDER BY country, sector, supplier
            ON CONFLICT (country, supplier, sector) DO UPDATE SET stages = t.stages
        ), all_sectors AS (
            INSERT INTO %2$s AS t (country, supplier, stages, dependencies, unknown_shares)
            SELECT DISTINCT country, supplier, 0, 0, 0 FROM k
            ORDER BY country, supplier
            ON CONFLICT (country, supplier) DO UPDATE SET stages = t.stages
        )
        SELECT NULL::text[]
    $q$, cs, ct), countries, sectors, suppliers);

    -- recompute them (a new snapshot: a writer we waited for is seen) and
    -- write the ones that differ (numbers compared as text: 0.5 and 0.50
    -- print differently); a key without terms goes
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH %3$s,
        sector_kept AS (
            UPDATE %1$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.sector IS NOT NULL AND r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
              AND (t.relation, t.stages, t.dependencies, t.unknown_shares, t.known_share::text, t.weighted::text, t.risk::text)
                  IS DISTINCT FROM (r.relation, r.stages, r.dependencies, r.unknown_shares, r.known_share::text, r.weighted::text, r.risk::text)
        ), sector_gone AS (
            DELETE FROM %1$s t USING sums r
            WHERE r.sector IS NOT NULL AND r.stages OPERATOR(pg_catalog.=) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
        ), total_kept AS (
            UPDATE %2$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.sector IS NULL AND r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND (t.relation, t.stages, t.dependencies, t.unknown_shares, t.known_share::text, t.weighted::text, t.risk::text)
                  IS DISTINCT FROM (r.relation, r.stages, r.dependencies, r.unknown_shares, r.known_share::text, r.weighted::text, r.risk::text)
        )
        DELETE FROM %2$s t USING sums r
        WHERE r.sector IS NULL AND r.stages OPERATOR(pg_catalog.=) 0
          AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
    $q$, cs, ct, sums), countries, sectors, suppliers);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_country(regclass, text[], text[], text[]) IS
    'internal: recomputes the country_state rows of (country, sector, supplier) keys and the country_total_state rows of their (country, supplier), from supplier_state';

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
    -- float sum comes out the same to the last digit.  Each key's rows are
    -- read through its index range (the lateral subquery, kept from being
    -- flattened into a join by OFFSET 0), so that a statement costs its
    -- keys' rows, never a scan and a sort of the whole table.
    SELECT r1 INTO bad FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (
            SELECT * FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
        ), r AS MATERIALIZED (
            SELECT k.stage, k.country, k.kind, k.item, d.supplier, d.share, d.as_of,
                   COALESCE(d.share, 0) - COALESCE(lag(d.share) OVER w, 0) AS delta,
                   lead(d.as_of) OVER w IS NULL AS latest
            FROM k CROSS JOIN LATERAL (
                SELECT d.supplier, d.share, d.as_of FROM %2$s d
                WHERE d.country = k.country AND d.stage = k.stage AND d.kind = k.kind AND d.item = k.item
                OFFSET 0) d
            WINDOW w AS (PARTITION BY k.stage, k.country, k.kind, k.item, d.supplier ORDER BY d.as_of)
        ), running AS MATERIALIZED (
            SELECT stage, country, kind, item, as_of,
                   sum(delta) OVER (PARTITION BY stage, country, kind, item ORDER BY as_of) AS total,
                   row_number() OVER (PARTITION BY stage, country, kind, item ORDER BY as_of DESC) AS latest
            FROM (SELECT stage, country, kind, item, as_of, sum(delta) AS delta
                  FROM r GROUP BY stage, country, kind, item, as_of) per_date
        ), updated AS (
            UPDATE %1$s t SET total = x.total, hhi = h.hhi
            FROM running x
            JOIN (SELECT stage, country, kind, item, @extschema@.hhi(share ORDER BY supplier DESC) AS hhi
                  FROM r WHERE latest GROUP BY stage, country, kind, item) h
              USING (stage, country, kind, item)
            WHERE x.latest = 1
              AND (t.stage, t.country, t.kind, t.item) = (x.stage, x.country, x.kind, x.item)
        )
        SELECT ARRAY[stage, country, kind, item, as_of::text, total::text] FROM running
        WHERE total > 1 ORDER BY stage, country, kind, item, as_of LIMIT 1
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

CREATE OR REPLACE FUNCTION @extschema@.refresh_state(beside regclass, countries text[], stages text[], suppliers text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- shard_of() is a call per name: skipped where there is no Citus
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    dep constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.dependency', beside) ELSE '@extschema@.dependency' END;
    ass constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.assessment', beside) ELSE '@extschema@.assessment' END;
    ss constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.stage_state', beside) ELSE '@extschema@.stage_state' END;
    sup constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.supplier_state', beside) ELSE '@extschema@.supplier_state' END;
    stg constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.stage', beside) ELSE '@extschema@.stage' END;
    wt constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.weight', beside) ELSE '@extschema@.weight' END;
    tot constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.share_total', beside) ELSE '@extschema@.share_total' END;
    by_supplier boolean := suppliers IS NOT NULL;
    changed record;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    IF by_supplier AND pg_catalog.cardinality(countries) > 100 THEN
        -- many keys: their pairs, each read whole
        SELECT pg_catalog.array_agg(c), pg_catalog.array_agg(s) INTO countries, stages
          FROM (SELECT DISTINCT c, s FROM ROWS FROM (pg_catalog.unnest(countries), pg_catalog.unnest(stages)) k (c, s) ORDER BY c, s) k;
        suppliers := NULL;
        by_supplier := false;
    END IF;

    -- lock the pairs, in order: writers of a pair serialize here
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        INSERT INTO %1$s AS t (country, stage, sector, rows, suppliers, unknown_shares)
        SELECT p.country, p.stage, s.sector, 0, 0, 0
        FROM (SELECT DISTINCT country, stage FROM @extschema@.key_rows($1, $2) p (country, stage)) p
        JOIN %2$s s ON s.id OPERATOR(pg_catalog.=) p.stage
        ORDER BY p.country, p.stage
        ON CONFLICT (country, stage) DO UPDATE SET rows = t.rows
    $q$, ss, stg), countries, stages);

    -- the terms from the current rows (state_terms); a supplier's term is
    -- written only where it changed (numbers compared as text: 0.5 and 0.50
    -- print differently); the pairs' own terms; and the keys of the country
    -- rows the changed terms move
    SELECT * INTO changed FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH p AS (SELECT %8$s FROM @extschema@.key_rows($1, $2, $3) p (country, stage, supplier)),
        pairs AS (SELECT DISTINCT country, stage FROM p),
        t AS MATERIALIZED (
            SELECT * FROM @extschema@.state_terms(%1$s::pg_catalog.oid, %2$s::pg_catalog.oid, %6$s::pg_catalog.oid, $1, $2, $3)
        ), fresh AS MATERIALIZED (
            SELECT t.country, t.stage, t.supplier, s.sector, t.dependencies, t.unknown_shares, t.supply_rows,
                   t.supply_unknown, t.share_supply, t.share_market, t.share_talent, t.known_share, t.weighted
            FROM t JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) t.stage
            WHERE t.supplier IS NOT NULL
        ), old AS MATERIALIZED (
            -- OFFSET 0: a probe per key, never a scan of the table
            SELECT o.* FROM p CROSS JOIN LATERAL (
                SELECT o.* FROM %4$s o
                WHERE o.country OPERATOR(pg_catalog.=) p.country AND o.stage OPERATOR(pg_catalog.=) p.stage %9$s
                OFFSET 0) o
        ), diff AS MATERIALIZED (
            -- the terms that changed: o only (gone), f only (new), both (changed)
            SELECT o.country AS o_country, o.stage AS o_stage, o.sector AS o_sector, o.supplier AS o_supplier,
                   f.*
            FROM old o
            FULL JOIN fresh f
              ON f.country OPERATOR(pg_catalog.=) o.country AND f.stage OPERATOR(pg_catalog.=) o.stage
             AND f.supplier OPERATOR(pg_catalog.=) o.supplier
            WHERE o.country IS NULL OR f.country IS NULL
               OR (o.sector, o.dependencies, o.unknown_shares, o.supply_rows, o.supply_unknown)
                  IS DISTINCT FROM (f.sector, f.dependencies, f.unknown_shares, f.supply_rows, f.supply_unknown)
               OR (o.share_supply::text, o.share_market::text, o.share_talent::text, o.known_share::text, o.weighted::text)
                  IS DISTINCT FROM (f.share_supply::text, f.share_market::text, f.share_talent::text, f.known_share::text, f.weighted::text)
        ), gone AS (
            DELETE FROM %4$s t USING diff x
            WHERE x.country IS NULL AND t.country OPERATOR(pg_catalog.=) x.o_country
              AND t.stage OPERATOR(pg_catalog.=) x.o_stage AND t.supplier OPERATOR(pg_catalog.=) x.o_supplier
        ), changed AS (
            UPDATE %4$s t
            SET sector = x.sector, dependencies = x.dependencies, unknown_shares = x.unknown_shares,
                supply_rows = x.supply_rows, supply_unknown = x.supply_unknown, share_supply = x.share_supply,
                share_market = x.share_market, share_talent = x.share_talent,
                known_share = x.known_share, weighted = x.weighted
            FROM diff x
            WHERE x.o_country IS NOT NULL AND x.country IS NOT NULL
              AND t.country OPERATOR(pg_catalog.=) x.country AND t.stage OPERATOR(pg_catalog.=) x.stage
              AND t.supplier OPERATOR(pg_catalog.=) x.supplier
        ), added AS (
            INSERT INTO %4$s
            SELECT x.country, x.stage, x.supplier, x.sector, x.dependencies, x.unknown_shares, x.supply_rows,
                   x.supply_unknown, x.share_supply, x.share_market, x.share_talent, x.known_share, x.weighted
            FROM diff x WHERE x.o_country IS NULL
        ), %10$s, terms AS (
            -- stage_risk's terms: the pair's own terms and its rating
            SELECT q.country, q.stage, s.sector, r.rating, r.as_of, x.rows, x.suppliers, x.unknown_shares,
                   x.hhi, x.top_supplier, x.top_share
            FROM pairs q
            JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) q.stage
            JOIN pair_terms x ON x.country OPERATOR(pg_catalog.=) q.country AND x.stage OPERATOR(pg_catalog.=) q.stage
            LEFT JOIN LATERAL (
                SELECT a.rating, a.as_of FROM %7$s a
                WHERE a.country OPERATOR(pg_catalog.=) q.country AND a.stage OPERATOR(pg_catalog.=) q.stage
                ORDER BY a.as_of DESC LIMIT 1) r ON true
        ), kept AS (
            UPDATE %3$s t
            SET sector = m.sector, rating = m.rating, rated_as_of = m.as_of, rows = m.rows,
                suppliers = m.suppliers, unknown_shares = m.unknown_shares, hhi = m.hhi,
                top_supplier = m.top_supplier, top_share = m.top_share
            FROM terms m
            WHERE (m.rows OPERATOR(pg_catalog.>) 0 OR m.rating IS NOT NULL)
              AND t.country OPERATOR(pg_catalog.=) m.country AND t.stage OPERATOR(pg_catalog.=) m.stage
        ), emptied AS (
            DELETE FROM %3$s t USING terms m
            WHERE m.rows OPERATOR(pg_catalog.=) 0 AND m.rating IS NULL
              AND t.country OPERATOR(pg_catalog.=) m.country AND t.stage OPERATOR(pg_catalog.=) m.stage
        ), k AS (
            SELECT o_country AS country, o_sector AS sector, o_supplier AS supplier FROM diff WHERE o_country IS NOT NULL
            UNION
            SELECT country, sector, supplier FROM diff WHERE country IS NOT NULL
        )
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(sector), pg_catalog.array_agg(supplier) FROM k
    $q$, dep::oid, ass::oid, ss, sup, stg, wt::oid, ass,
        CASE WHEN by_supplier THEN 'country, stage, supplier' ELSE 'country, stage' END,
        CASE WHEN by_supplier THEN 'AND o.supplier OPERATOR(pg_catalog.=) p.supplier' ELSE '' END,
        CASE WHEN by_supplier THEN pg_catalog.format($t$
        pair_terms AS (
            -- summed from the suppliers' terms: the pairs' others as stored
            -- and the fresh ones; the HHI of the most concentrated supply
            -- item from the share rule's per-item HHIs
            WITH every_term AS (
                SELECT o.country, o.stage, o.supplier, o.dependencies, o.supply_rows, o.supply_unknown, o.share_supply
                FROM pairs q JOIN %1$s o ON o.country OPERATOR(pg_catalog.=) q.country AND o.stage OPERATOR(pg_catalog.=) q.stage
                WHERE NOT EXISTS (SELECT FROM p WHERE p.country OPERATOR(pg_catalog.=) o.country
                                    AND p.stage OPERATOR(pg_catalog.=) o.stage AND p.supplier OPERATOR(pg_catalog.=) o.supplier)
                UNION ALL
                SELECT country, stage, supplier, dependencies, supply_rows, supply_unknown, share_supply FROM fresh
            )
            SELECT q.country, q.stage, COALESCE(n.rows, 0) AS rows, COALESCE(n.suppliers, 0) AS suppliers,
                   COALESCE(n.unknown_shares, 0) AS unknown_shares, h.hhi,
                   top.supplier AS top_supplier, top.share_supply AS top_share
            FROM pairs q
            LEFT JOIN (SELECT country, stage, pg_catalog.sum(dependencies)::integer AS rows,
                              pg_catalog.count(*) FILTER (WHERE supply_rows OPERATOR(pg_catalog.>) 0)::integer AS suppliers,
                              pg_catalog.sum(supply_unknown)::integer AS unknown_shares
                       FROM every_term GROUP BY country, stage) n
                   ON n.country OPERATOR(pg_catalog.=) q.country AND n.stage OPERATOR(pg_catalog.=) q.stage
            CROSS JOIN LATERAL (
                SELECT pg_catalog.max(i.hhi) AS hhi FROM %2$s i
                WHERE i.stage OPERATOR(pg_catalog.=) q.stage AND i.country OPERATOR(pg_catalog.=) q.country
                  AND i.kind OPERATOR(pg_catalog.=) 'supply') h
            -- the largest supply share, the first code on a tie
            LEFT JOIN LATERAL (
                SELECT e.supplier, e.share_supply FROM every_term e
                WHERE e.country OPERATOR(pg_catalog.=) q.country AND e.stage OPERATOR(pg_catalog.=) q.stage
                  AND e.share_supply IS NOT NULL
                ORDER BY e.share_supply DESC, e.supplier LIMIT 1) top ON true
        )$t$, sup, tot)
        -- whole pairs: state_terms' pair rows
        ELSE $t$
        pair_terms AS (
            SELECT country, stage, dependencies AS rows, supply_rows AS suppliers, supply_unknown AS unknown_shares,
                   hhi, top_supplier, top_share
            FROM t WHERE supplier IS NULL
        )$t$ END),
        countries, stages, suppliers);

    PERFORM @extschema@.refresh_country(beside, changed.r1, changed.r2, changed.r3);
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.state_track() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    stages text[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE pg_catalog.format(
            'SELECT pg_catalog.array_agg(country ORDER BY country, stage), pg_catalog.array_agg(stage ORDER BY country, stage) FROM %s',
            @extschema@.shard_of('@extschema@.stage_state', TG_RELID::regclass)) INTO countries, stages;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(stage)
          INTO countries, stages
          FROM (SELECT DISTINCT country, stage FROM new_rows ORDER BY country, stage) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(stage)
          INTO countries, stages
          FROM (SELECT DISTINCT country, stage FROM old_rows ORDER BY country, stage) k;
    ELSE
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(stage)
          INTO countries, stages
          FROM (SELECT country, stage FROM new_rows UNION SELECT country, stage FROM old_rows ORDER BY country, stage) k;
    END IF;
    PERFORM @extschema@.refresh_state(TG_RELID::regclass, countries, stages);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.state_track_dependency() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    stages text[];
    suppliers text[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(country),
               pg_catalog.array_agg(stage),
               pg_catalog.array_agg(supplier)
          INTO countries, stages, suppliers
          FROM (SELECT DISTINCT country, stage, supplier FROM new_rows ORDER BY country, stage, supplier) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(country),
               pg_catalog.array_agg(stage),
               pg_catalog.array_agg(supplier)
          INTO countries, stages, suppliers
          FROM (SELECT DISTINCT country, stage, supplier FROM old_rows ORDER BY country, stage, supplier) k;
    ELSE
        SELECT pg_catalog.array_agg(country),
               pg_catalog.array_agg(stage),
               pg_catalog.array_agg(supplier)
          INTO countries, stages, suppliers
          FROM (SELECT country, stage, supplier FROM new_rows
                UNION SELECT country, stage, supplier FROM old_rows ORDER BY country, stage, supplier) k;
    END IF;
    PERFORM @extschema@.refresh_state(TG_RELID::regclass, countries, stages, suppliers);
    RETURN NULL;
END
$$;

-- trade_totals: what trade_country_total keeps of one country's flows of a
-- product in a year (the flows, their sum and sum of squares, the positive
-- ones and the largest with its partner), in one pass and exactly, summing
-- in 128-bit integers while the values fit (src/trade_totals.c)
CREATE TYPE @extschema@.trade_totals_row AS (
    flows bigint, total numeric, squares numeric, partners bigint, top_value numeric, top_partner text
);
COMMENT ON TYPE @extschema@.trade_totals_row IS 'the result of trade_totals(numeric, text)';
CREATE FUNCTION @extschema@.trade_totals_accum(internal, numeric, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'trade_totals_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_final(internal) RETURNS @extschema@.trade_totals_row
    AS 'MODULE_PATHNAME', 'trade_totals_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'trade_totals_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'trade_totals_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trade_totals_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'trade_totals_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trade_totals_accum(internal, numeric, text) IS 'trade_totals(numeric, text) transition';
COMMENT ON FUNCTION @extschema@.trade_totals_final(internal) IS 'trade_totals(numeric, text) result';
COMMENT ON FUNCTION @extschema@.trade_totals_combine(internal, internal) IS 'trade_totals(numeric, text) combine';
COMMENT ON FUNCTION @extschema@.trade_totals_serialize(internal) IS 'trade_totals(numeric, text) state as bytea';
COMMENT ON FUNCTION @extschema@.trade_totals_deserialize(bytea, internal) IS 'trade_totals(numeric, text) state from bytea';
CREATE AGGREGATE @extschema@.trade_totals(numeric, text) (
    SFUNC = @extschema@.trade_totals_accum, STYPE = internal, FINALFUNC = @extschema@.trade_totals_final,
    COMBINEFUNC = @extschema@.trade_totals_combine,
    SERIALFUNC = @extschema@.trade_totals_serialize, DESERIALFUNC = @extschema@.trade_totals_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trade_totals(numeric, text) IS
    'count(*), sum(value), sum(value * value), and over positive values with a partner: their count, the largest and its partner (of equal values, the first partner), as a trade_totals_row; exact';

-- trade_totals_scan(flows): every key's totals from a table of flows, in one
-- pass over it in C (src/trade_totals.c), each flow to its importer's and its
-- exporter's row through a hash table; within the hash memory limit
-- (work_mem x hash_mem_multiplier), else it stops with 54000
CREATE FUNCTION @extschema@.trade_totals_scan(flows regclass) RETURNS SETOF @extschema@.trade_country_total
AS 'MODULE_PATHNAME', 'trade_totals_scan'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.trade_totals_scan(regclass) IS
    'internal: trade_country_total''s rows of every key of a table of flows, in one pass in C within the hash memory limit';

-- the totals: one pass in C, in the loader and for every key of a table
CREATE OR REPLACE FUNCTION @extschema@.trade_country_totals(flows regclass, countries text[] DEFAULT NULL,
                                         products text[] DEFAULT NULL, years integer[] DEFAULT NULL)
RETURNS SETOF @extschema@.trade_country_total
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF countries IS NULL THEN
        -- every key: one pass in C over a table (a partition), unless it is
        -- under row-level security or its keys outgrow the hash memory (then
        -- SQL, which spills to disk)
        IF (SELECT c.relkind OPERATOR(pg_catalog.=) 'r' AND NOT c.relrowsecurity
            FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) flows) THEN
            BEGIN
                RETURN QUERY SELECT * FROM @extschema@.trade_totals_scan(flows);
                RETURN;
            EXCEPTION WHEN program_limit_exceeded THEN
                NULL;
            END;
        END IF;
        RETURN QUERY EXECUTE pg_catalog.format($q$
            SELECT COALESCE(i.country, e.country), COALESCE(i.product, e.product), COALESCE(i.year, e.year),
                   COALESCE((i.t).flows, 0)::integer, COALESCE((i.t).total, 0), COALESCE((i.t).squares, 0),
                   COALESCE((i.t).partners, 0)::integer, (i.t).top_value, (i.t).top_partner,
                   COALESCE((e.t).flows, 0)::integer, COALESCE((e.t).total, 0)
            FROM (SELECT f.importer AS country, f.product, f.year, @extschema@.trade_totals(f.value, f.exporter) AS t
                  FROM %1$s f GROUP BY f.importer, f.product, f.year) i
            FULL JOIN (SELECT f.exporter AS country, f.product, f.year, @extschema@.trade_totals(f.value, NULL) AS t
                       FROM %1$s f GROUP BY f.exporter, f.product, f.year) e
              ON e.country OPERATOR(pg_catalog.=) i.country AND e.product OPERATOR(pg_catalog.=) i.product
             AND e.year OPERATOR(pg_catalog.=) i.year
        $q$, flows);
        RETURN;
    END IF;
    -- a few keys: each read through the indexes on importer and exporter
    RETURN QUERY EXECUTE pg_catalog.format($q$
        SELECT k.country, k.product, k.year,
               COALESCE((i.t).flows, 0)::integer, COALESCE((i.t).total, 0), COALESCE((i.t).squares, 0),
               COALESCE((i.t).partners, 0)::integer, (i.t).top_value, (i.t).top_partner,
               COALESCE((e.t).flows, 0)::integer, COALESCE((e.t).total, 0)
        FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) k (country, product, year)
        CROSS JOIN LATERAL (
            SELECT @extschema@.trade_totals(f.value, f.exporter) AS t
            FROM %1$s f
            WHERE f.importer OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) i
        CROSS JOIN LATERAL (
            SELECT @extschema@.trade_totals(f.value, NULL) AS t
            FROM %1$s f
            WHERE f.exporter OPERATOR(pg_catalog.=) k.country AND f.product OPERATOR(pg_catalog.=) k.product
              AND f.year OPERATOR(pg_catalog.=) k.year) e
        WHERE (i.t).flows OPERATOR(pg_catalog.>) 0 OR (e.t).flows OPERATOR(pg_catalog.>) 0
    $q$, flows) USING countries, products, years;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.load_trade_flows(year integer, staging regclass)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    for_year constant integer := $1;
    part text;
    building text;
    cols text[];
    missing text;
    select_list text;
    distributed boolean := false;
    old_part regclass;
    loaded bigint;
    bad text;
    suffix text;
    take_over boolean;
    staging_name text := staging::text;
    checks text;
    violated text;
    msg text;
    det text;
    state text;
BEGIN
    IF for_year IS NULL OR for_year NOT BETWEEN 1800 AND 2999 THEN
        RAISE EXCEPTION 'year must be between 1800 and 2999, not %', COALESCE(for_year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF staging IS NULL THEN
        RAISE EXCEPTION 'staging must name a table or view'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.array_agg(a.attname::text) INTO cols
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) staging AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    SELECT pg_catalog.string_agg(c, ', ') INTO missing
      FROM pg_catalog.unnest(ARRAY['year', 'exporter', 'importer', 'product', 'value']) c
     WHERE c OPERATOR(pg_catalog.<>) ALL (COALESCE(cols, '{}'));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% has no column %', staging, missing
            USING ERRCODE = 'undefined_column',
                  HINT = 'The staging table needs trade_flow''s columns year, exporter, importer, product and value (quantity and source are optional).';
    END IF;
    select_list := pg_catalog.format('s.year, s.exporter, s.importer, s.product, s.value, %s, %s',
        CASE WHEN 'quantity' OPERATOR(pg_catalog.=) ANY (cols) THEN 's.quantity' ELSE 'NULL' END,
        CASE WHEN 'source' OPERATOR(pg_catalog.=) ANY (cols) THEN 's.source' ELSE 'NULL' END);
    -- one load (or maker of the year's partition) at a time
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('supplychain.trade_flow_year'), for_year);

    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1)'
            INTO distributed USING '@extschema@.trade_flow'::regclass;
    END IF;
    IF distributed THEN
        -- through the distributed table: its triggers keep trade_country_total
        EXECUTE pg_catalog.format('SELECT s.year FROM %s s WHERE s.year IS DISTINCT FROM $1 LIMIT 1', staging)
            INTO bad USING for_year;
        IF bad IS NOT NULL OR FOUND THEN
            RAISE EXCEPTION 'a row of % is not of year %', staging, for_year
                USING ERRCODE = 'check_violation', DETAIL = pg_catalog.format('It is of year %s.', COALESCE(bad, 'NULL'));
        END IF;
        PERFORM @extschema@.trade_flow_year(for_year);
        DELETE FROM @extschema@.trade_flow f WHERE f.year OPERATOR(pg_catalog.=) for_year;
        EXECUTE pg_catalog.format(
            'INSERT INTO @extschema@.trade_flow (year, exporter, importer, product, value, quantity, source) SELECT %s FROM %s s',
            select_list, staging);
        GET DIAGNOSTICS loaded = ROW_COUNT;
        RETURN loaded;
    END IF;

    -- 1. the year as a table of its own, with trade_flow's columns and
    -- checks, and one more: every row is of the year (which also spares
    -- the attach a scan).  A table of the caller's with exactly
    -- trade_flow's columns and nothing else (no index, trigger, constraint,
    -- grant, rule, policy, inheritance; CREATE TABLE ... (LIKE
    -- supplychain.trade_flow)) becomes that table itself: it is moved into
    -- the extension's schema and checked in one scan, and its rows are
    -- never copied.  Anything else is copied.
    part := 'trade_flow_' || for_year;
    building := part || '_loading';
    SELECT c.relkind OPERATOR(pg_catalog.=) 'r' AND c.relpersistence OPERATOR(pg_catalog.=) 'p'
           AND NOT c.relispartition AND NOT c.relhassubclass AND NOT c.relhasrules AND NOT c.relhastriggers
           AND NOT c.relrowsecurity AND c.relacl IS NULL
           AND pg_catalog.pg_has_role(c.relowner, 'USAGE')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid)
           -- (NOT NULL constraints apart: PostgreSQL 18 lists them there)
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k
                           WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid AND k.contype OPERATOR(pg_catalog.<>) 'n')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid OPERATOR(pg_catalog.=) c.oid)
           AND (SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s %s', a.attname, a.atttypid, a.atttypmod, a.attcollation)
                                            ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0)
               OPERATOR(pg_catalog.=)
               (SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s %s', a.attname, a.atttypid, a.atttypmod, a.attcollation)
                                            ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND a.attnum OPERATOR(pg_catalog.>) 0)
      INTO take_over
      FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) staging;
    IF take_over THEN
        -- trade_flow's checks and NOT NULLs, and the year's, in one
        -- ALTER TABLE: one scan validates them all
        SELECT pg_catalog.string_agg(pg_catalog.format('ADD CONSTRAINT %I %s', k.conname, pg_catalog.pg_get_constraintdef(k.oid)), ', '),
               pg_catalog.string_agg(pg_catalog.format('NOT COALESCE(%s, true)',
                                                       pg_catalog.substr(pg_catalog.pg_get_constraintdef(k.oid), 7)), ' OR ')
          INTO checks, violated
          FROM pg_catalog.pg_constraint k
         WHERE k.conrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND k.contype OPERATOR(pg_catalog.=) 'c';
        SELECT checks || ', ' || pg_catalog.string_agg(pg_catalog.format('ALTER COLUMN %I SET NOT NULL', a.attname), ', '),
               violated || ' OR ' || pg_catalog.string_agg(pg_catalog.format('%I IS NULL', a.attname), ' OR ')
          INTO checks, violated
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@.trade_flow'::regclass AND a.attnum OPERATOR(pg_catalog.>) 0
           AND a.attnotnull;
        checks := checks || pg_catalog.format(', ADD CONSTRAINT %I CHECK (year OPERATOR(pg_catalog.=) %s)', part || '_year', for_year);
        violated := violated || pg_catalog.format(' OR year IS DISTINCT FROM %s', for_year);
        EXECUTE pg_catalog.format('ALTER TABLE %s RENAME TO %I', staging, building);
        IF (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) staging)
           OPERATOR(pg_catalog.<>) '@extschema@'::regnamespace THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s SET SCHEMA @extschema@', staging);
        END IF;
        BEGIN
            EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I %s', building, checks);
        EXCEPTION WHEN integrity_constraint_violation THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            EXECUTE pg_catalog.format('SELECT s::text FROM @extschema@.%I s WHERE %s LIMIT 1', building, violated) INTO bad;
            RAISE EXCEPTION 'a row of % is not a flow of %: %', staging_name, for_year, msg
                USING ERRCODE = state, DETAIL = pg_catalog.format('Failing row contains %s.', bad),
                      HINT = 'Nothing was loaded: the year keeps its previous flows, and the staging table its rows.';
        END;
    ELSE
        EXECUTE pg_catalog.format(
            'CREATE TABLE @extschema@.%I (LIKE @extschema@.trade_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (year OPERATOR(pg_catalog.=) %s))',
            building, part || '_year', for_year);
        BEGIN
            EXECUTE pg_catalog.format(
                'INSERT INTO @extschema@.%I (year, exporter, importer, product, value, quantity, source) SELECT %s FROM %s s',
                building, select_list, staging);
            GET DIAGNOSTICS loaded = ROW_COUNT;
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, state = RETURNED_SQLSTATE;
            RAISE EXCEPTION 'a row of % is not a flow of %: %', staging, for_year, msg
                USING ERRCODE = state, DETAIL = det,
                      HINT = 'Nothing was loaded: the year keeps its previous flows.';
        END;
    END IF;

    -- 2. its key and indexes, each built by one sort (a repeated key fails
    -- here)
    BEGIN
        PERFORM @extschema@.trade_flow_indexes(pg_catalog.format('@extschema@.%I', building)::regclass, building);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION 'two rows of % have the same year, exporter, importer and product', staging_name
            USING ERRCODE = 'unique_violation', DETAIL = det,
                  HINT = 'Nothing was loaded: the year keeps its previous flows.';
    END;

    -- 3. the swap: the year's previous partition goes, the new one is
    -- attached (its foreign keys are checked there) and takes the year's
    -- name
    old_part := @extschema@.trade_flow_partition(for_year);
    IF old_part IS NOT NULL THEN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow DETACH PARTITION %s', old_part);
        EXECUTE pg_catalog.format('DROP TABLE %s', old_part);
    END IF;
    BEGIN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.trade_flow ATTACH PARTITION @extschema@.%I FOR VALUES IN (%s)',
                                  building, for_year);
    EXCEPTION WHEN foreign_key_violation THEN
        GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.format('(%%s, %%s, %%s, %%s, %%s)', b.year, b.exporter, b.importer, b.product, b.value)
            FROM @extschema@.%I b
            WHERE NOT EXISTS (SELECT FROM @extschema@.country c WHERE c.code OPERATOR(pg_catalog.=) b.exporter)
               OR NOT EXISTS (SELECT FROM @extschema@.country c WHERE c.code OPERATOR(pg_catalog.=) b.importer)
               OR NOT EXISTS (SELECT FROM @extschema@.product p WHERE p.code OPERATOR(pg_catalog.=) b.product)
               OR (b.source IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.source s WHERE s.id OPERATOR(pg_catalog.=) b.source))
            ORDER BY b.exporter, b.importer, b.product LIMIT 1
        $q$, building) INTO bad;
        RAISE EXCEPTION 'a row of % names a country, product or source that does not exist', staging_name
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('%s The first such row (year, exporter, importer, product, value): %s.', det, bad),
                  HINT = 'Nothing was loaded: the year keeps its previous flows. Add the codes to supplychain.country or supplychain.product first.';
    END;
    EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I RENAME TO %I', building, part);
    FOREACH suffix IN ARRAY ARRAY['_pkey', '_importer_product_year_idx', '_exporter_product_year_idx', '_product_year_idx'] LOOP
        EXECUTE pg_catalog.format('ALTER INDEX @extschema@.%I RENAME TO %I', building || suffix, part || suffix);
    END LOOP;
    PERFORM @extschema@.trade_partition_ready(pg_catalog.format('@extschema@.%I', part)::regclass);

    -- 4. the year's totals, from the new partition alone: one pass in C
    -- (what trade_country_totals() gives, without its set in between), or
    -- in SQL when they outgrow the hash memory; a table taken over was
    -- loaded with as many flows as the totals count
    DELETE FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    BEGIN
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_totals_scan(%L)',
                                  pg_catalog.format('@extschema@.%I', part));
    EXCEPTION WHEN program_limit_exceeded THEN
        EXECUTE pg_catalog.format('INSERT INTO @extschema@.trade_country_total SELECT * FROM @extschema@.trade_country_totals(%L)',
                                  pg_catalog.format('@extschema@.%I', part));
    END;
    IF take_over THEN
        SELECT COALESCE(pg_catalog.sum(t.import_flows), 0) INTO loaded
          FROM @extschema@.trade_country_total t WHERE t.year OPERATOR(pg_catalog.=) for_year;
    END IF;
    -- (no ANALYZE: building the indexes counted the rows, and autovacuum
    -- analyzes the new partition soon)
    IF take_over THEN
        RAISE NOTICE 'the table % is now the partition %.% (its rows were not copied)', staging_name, '@extschema@', part
            USING HINT = 'To keep a staging table, give load_trade_flows a view of it, or a table of other columns.';
    END IF;
    RETURN loaded;
END
$fn$;

-- load_trade_dependencies: its own earlier rows read by a probe per item (in
-- dependency's collation), never by a scan of dependency
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
                -- a probe per item, never a scan of dependency)
                SELECT d.stage, d.country, d.item, d.supplier, d.as_of
                FROM (SELECT DISTINCT n.stage, n.country, n.item FROM new n) k
                CROSS JOIN LATERAL (
                    SELECT d.stage, d.country, d.item, d.supplier, d.as_of FROM @extschema@.dependency d
                    WHERE d.country OPERATOR(pg_catalog.=) k.country AND d.stage OPERATOR(pg_catalog.=) k.stage
                      AND d.kind OPERATOR(pg_catalog.=) 'supply' AND d.item OPERATOR(pg_catalog.=) k.item
                      AND d.source OPERATOR(pg_catalog.=) 'trade-flow'
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

