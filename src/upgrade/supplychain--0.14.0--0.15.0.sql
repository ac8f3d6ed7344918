-- supplychain 0.14.0 -> 0.15.0: a new country row is written once, with its
-- values (refresh_country()); the state's locks write nothing (ON CONFLICT
-- ... DO UPDATE ... WHERE false); a key whose rows are all gone loses its
-- share_total row; load_trade_dependencies() looks for zero shares only
-- where the importer has rows of other years.  No table changes, no rows
-- written (the share_total rows at 0 of keys without rows that earlier
-- versions kept stay, harmless, until rebuild_state()).
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.15.0'" to load this file. \quit

-- country_sums() takes the query of its keys (a fourth argument)
DROP FUNCTION @extschema@.country_sums(regclass, regclass, regclass);

-- country_sums(sup, al, wt [, keys]): the statement part that computes
-- country rows from the suppliers' stage terms, for the keys of the
-- parameters $1..$3 (country, sector, supplier; sector NULL: the all-sectors
-- row only), or of the query keys (its columns country, sector, supplier): a
-- CTE "sums" with one row per key, sector NULL for the all-sectors rows
-- (every (country, supplier) of the keys has one).  Each (country,
-- supplier)'s terms are read once, through its index range, and summed by
-- sector; the all-sectors row sums the sector sums (the same exact numbers).
-- A key without terms has stages 0.
CREATE FUNCTION @extschema@.country_sums(sup regclass, al regclass, wt regclass,
                                         keys text DEFAULT 'SELECT * FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)')
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.format($q$
        k AS (
            SELECT DISTINCT country, sector, supplier FROM (%4$s) k
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
        )$q$, sup, al, wt, keys)
$$;
COMMENT ON FUNCTION @extschema@.country_sums(regclass, regclass, regclass, text) IS
    'internal: the statement part of the state''s triggers that computes country_state and country_total_state rows from supplier_state';

-- refresh_country(beside, countries, sectors, suppliers): recompute the
-- country rows of these keys (sector NULL: the all-sectors row only) from
-- supplier_state.  Every key's row goes through one upsert, in key order:
-- writers of a row serialize there.  A key without a row (in the
-- statement's snapshot) is computed first and inserted with its values; a
-- row that exists, or that a writer in flight inserts, is locked and not
-- written (DO UPDATE ... WHERE false), and then recomputed by a statement
-- of its own (a new snapshot: a writer we waited for is seen), as is a key
-- without terms.  So a new key's row is written once.
CREATE OR REPLACE FUNCTION @extschema@.refresh_country(beside regclass, countries text[], sectors text[], suppliers text[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    -- shard_of() is a call per name: skipped where there is no Citus
    citus constant boolean := pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL;
    sup constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.supplier_state', beside) ELSE '@extschema@.supplier_state' END;
    cs constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_state', beside) ELSE '@extschema@.country_state' END;
    ct constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_total_state', beside) ELSE '@extschema@.country_total_state' END;
    al constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.alignment', beside) ELSE '@extschema@.alignment' END;
    wt constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.weight', beside) ELSE '@extschema@.weight' END;
    rest record;
    before @extschema@.watch_snapshot;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    -- the new keys' rows computed and inserted, the others locked, in
    -- order; the keys left to recompute come back: those not written with
    -- terms (stages above 0), and the all-sectors rows (sector NULL) of
    -- their (country, supplier)
    SELECT * INTO rest FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH %3$s,
        keys AS (
            SELECT DISTINCT country, sector, supplier FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)
        ), by_sector AS (
            INSERT INTO %1$s AS t (country, sector, supplier, relation, stages, dependencies, unknown_shares,
                                   known_share, weighted, risk)
            SELECT k.country, k.sector, k.supplier, r.relation, COALESCE(r.stages, 0), COALESCE(r.dependencies, 0),
                   COALESCE(r.unknown_shares, 0), r.known_share, r.weighted, r.risk
            FROM keys k
            LEFT JOIN sums r ON r.country OPERATOR(pg_catalog.=) k.country AND r.sector OPERATOR(pg_catalog.=) k.sector
                            AND r.supplier OPERATOR(pg_catalog.=) k.supplier
            WHERE k.sector IS NOT NULL
            ORDER BY k.country, k.sector, k.supplier
            ON CONFLICT (country, supplier, sector) DO UPDATE SET stages = t.stages WHERE false
            RETURNING t.country, t.sector, t.supplier, t.stages
        ), all_sectors AS (
            INSERT INTO %2$s AS t (country, supplier, relation, stages, dependencies, unknown_shares,
                                   known_share, weighted, risk)
            SELECT p.country, p.supplier, r.relation, COALESCE(r.stages, 0), COALESCE(r.dependencies, 0),
                   COALESCE(r.unknown_shares, 0), r.known_share, r.weighted, r.risk
            FROM (SELECT DISTINCT country, supplier FROM keys) p
            LEFT JOIN sums r ON r.sector IS NULL AND r.country OPERATOR(pg_catalog.=) p.country
                            AND r.supplier OPERATOR(pg_catalog.=) p.supplier
                            AND NOT EXISTS (SELECT FROM %2$s o WHERE o.country OPERATOR(pg_catalog.=) p.country
                                              AND o.supplier OPERATOR(pg_catalog.=) p.supplier)
            ORDER BY p.country, p.supplier
            ON CONFLICT (country, supplier) DO UPDATE SET stages = t.stages WHERE false
            RETURNING t.country, t.supplier, t.stages
        ), left_over AS (
            SELECT k.country, k.sector, k.supplier FROM keys k
            WHERE k.sector IS NOT NULL
              AND NOT EXISTS (SELECT FROM by_sector w
                              WHERE w.country OPERATOR(pg_catalog.=) k.country AND w.sector OPERATOR(pg_catalog.=) k.sector
                                AND w.supplier OPERATOR(pg_catalog.=) k.supplier AND w.stages OPERATOR(pg_catalog.>) 0)
            UNION ALL
            SELECT p.country, NULL, p.supplier FROM (SELECT DISTINCT country, supplier FROM keys) p
            WHERE NOT EXISTS (SELECT FROM all_sectors w
                              WHERE w.country OPERATOR(pg_catalog.=) p.country AND w.supplier OPERATOR(pg_catalog.=) p.supplier
                                AND w.stages OPERATOR(pg_catalog.>) 0)
        )
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(sector), pg_catalog.array_agg(supplier) FROM left_over
    $q$, cs, ct, @extschema@.country_sums(sup, al, wt, pg_catalog.format($k$
        SELECT k.country, k.sector, k.supplier FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)
        WHERE CASE WHEN k.sector IS NULL
                   THEN NOT EXISTS (SELECT FROM %2$s o WHERE o.country OPERATOR(pg_catalog.=) k.country
                                      AND o.supplier OPERATOR(pg_catalog.=) k.supplier)
                   ELSE NOT EXISTS (SELECT FROM %1$s o WHERE o.country OPERATOR(pg_catalog.=) k.country
                                      AND o.supplier OPERATOR(pg_catalog.=) k.supplier
                                      AND o.sector OPERATOR(pg_catalog.=) k.sector) END$k$, cs, ct))),
        countries, sectors, suppliers);
    -- the early warning's values before (44_watch.sql), of the rows locked:
    -- a new key had none
    before := @extschema@.watch_before(beside, '{country_risk.risk}', COALESCE(rest.r1, '{}'),
                                       COALESCE(rest.r2, '{}'), COALESCE(rest.r3, '{}'));
    IF rest.r1 IS NOT NULL THEN
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
        $q$, cs, ct, @extschema@.country_sums(sup, al, wt)), rest.r1, rest.r2, rest.r3);
    END IF;
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, sectors, suppliers);
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_country(regclass, text[], text[], text[]) IS
    'internal: recomputes the country_state rows of (country, sector, supplier) keys and the country_total_state rows of their (country, supplier), from supplier_state';

-- refresh_state(beside, countries, stages [, suppliers]): recompute the state
-- of (country, stage) pairs from the raw rows, then the country rows whose
-- terms changed.  Without suppliers the arrays name pairs (distinct, sorted),
-- and each pair's rows are read whole.  With suppliers they name distinct
-- (country, stage, supplier) keys, the ones a write to dependency touched:
-- only those suppliers' rows are read, and the pairs' own terms are summed
-- from their suppliers' terms and the share rule's per-item HHIs (40_rules.sql),
-- so that a write costs what it changed, not the size of its pairs (above
-- a hundred keys, whole pairs are cheaper: they are read whole).  beside: the
-- table a trigger fired on (on a Citus worker a shard: the state's shards
-- beside it are used).  The pairs are locked, then their terms written
-- (the keys of the country rows they move come back), then the country rows
-- refreshed (refresh_country()).
CREATE OR REPLACE FUNCTION @extschema@.refresh_state(beside regclass, countries text[], stages text[], suppliers text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off AS $$
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
    before @extschema@.watch_snapshot;
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

    -- lock the pairs, in order: writers of a pair serialize here (a pair's
    -- row is inserted, or locked and not rewritten: WHERE false)
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        INSERT INTO %1$s AS t (country, stage, sector, rows, suppliers, unknown_shares)
        SELECT p.country, p.stage, s.sector, 0, 0, 0
        FROM (SELECT DISTINCT country, stage FROM @extschema@.key_rows($1, $2) p (country, stage)) p
        JOIN %2$s s ON s.id OPERATOR(pg_catalog.=) p.stage
        ORDER BY p.country, p.stage
        ON CONFLICT (country, stage) DO UPDATE SET rows = t.rows WHERE false
    $q$, ss, stg), countries, stages);
    -- the early warning's values before (44_watch.sql), of pairs now locked
    before := @extschema@.watch_before(beside, '{stage_risk.hhi,stage_risk.risk}', countries, stages);

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
    IF before.measures IS NOT NULL THEN
        PERFORM @extschema@.watch_after(before, countries, stages);
    END IF;

    PERFORM @extschema@.refresh_country(beside, changed.r1, changed.r2, changed.r3);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_state(regclass, text[], text[], text[]) IS
    'internal: recomputes the maintained state of (country, stage) pairs, or of (country, stage, supplier) keys and their pairs, from the raw rows, then the country rows whose terms changed';

CREATE OR REPLACE FUNCTION @extschema@.dependency_share_check() RETURNS trigger
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

-- refresh_trade(beside, keys): the keys' rows of trade_country_total, from the
-- flows, and the rows of trade_country_group_total of the groups each key's
-- country belongs to that year.  The keys' rows are locked in key order
-- (writers of a key serialize here), then the groups' rows (under the
-- memberships' lock, shared), then both are recomputed in statements that
-- see what the writers before committed.
CREATE OR REPLACE FUNCTION @extschema@.refresh_trade(beside regclass, countries text[], products text[], years integer[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off AS $$
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
        ON CONFLICT (year, country, product) DO UPDATE SET import_flows = t.import_flows WHERE false
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
            ON CONFLICT (year, group_code, product) DO UPDATE SET import_flows = t.import_flows WHERE false
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
COMMENT ON FUNCTION @extschema@.refresh_trade(regclass, text[], text[], integer[]) IS
    'internal: recomputes the rows of trade_country_total of the given (country, product, year) keys, and of trade_country_group_total of their groups, from trade_flow, beside a table or shard';

-- state_track_dependency(): the statement triggers on dependency's rows:
-- the (country, stage, supplier) keys the statement touched, sorted, are
-- refreshed (a TRUNCATE goes through state_track()).  Above a hundred keys
-- refresh_state() reads whole pairs: a statement of more keys names its
-- (country, stage) pairs only, and never gathers its keys.
CREATE OR REPLACE FUNCTION @extschema@.state_track_dependency() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- the statement's rows: its transition tables (which EXECUTE sees too)
    touched constant text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                             ELSE '(SELECT country, stage, supplier FROM new_rows
                                    UNION ALL SELECT country, stage, supplier FROM old_rows)' END;
    countries text[];
    stages text[];
    suppliers text[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    -- its keys, in order (hashed: its rows are many more than its keys);
    -- refresh_state() takes more than 100 keys as their pairs
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(stage), pg_catalog.array_agg(supplier)
        FROM (SELECT country, stage, supplier FROM %s k GROUP BY country, stage, supplier
              ORDER BY country, stage, supplier) k
    $q$, touched) INTO countries, stages, suppliers;
    PERFORM @extschema@.refresh_state(TG_RELID::regclass, countries, stages, suppliers);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_dependency() IS
    'trigger: refreshes the maintained state of the (country, stage, supplier) keys a statement on dependency touched';

-- load_trade_dependencies(): no zeros looked for where the importer has no
-- own rows of other years
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
    other_years boolean := true;
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
    -- and of other years (of all importers: looked for per item below)
    IF for_importer IS NOT NULL THEN
        SELECT EXISTS (SELECT FROM @extschema@.dependency d
                       WHERE d.country OPERATOR(pg_catalog.=) for_importer AND d.source OPERATOR(pg_catalog.=) 'trade-flow'
                         AND d.as_of OPERATOR(pg_catalog.<>) pg_catalog.make_date(for_year, 12, 31)) INTO other_years;
    END IF;
    -- (no flows: no rows)
    wanted := $q$
        WITH new AS (
            -- (codes in the default collation, dependency's: its index
            -- serves the probes below)
            SELECT t.stage, t.country, t.supplier, t.item, t.share, t.note
            FROM @extschema@.trade_shares('@extschema@.import_partner', '@extschema@.product_stage', $2, $3) t
        )
    $q$ || CASE WHEN NOT other_years THEN $q$
        -- (no own rows of other years: no zeros; new is read once, as it comes)
        , w (stage, country, supplier, item, share, as_of, note) AS (
            SELECT n.stage, n.country, n.supplier, n.item, n.share, $1, n.note FROM new n
        )
    $q$ ELSE $q$
        , other AS MATERIALIZED (
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
    $q$ END;
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

-- a key without rows has no share_total row
COMMENT ON TABLE @extschema@.share_total IS
    'internal: one row per dependency key (stage, country, kind, item) that has rows, locked by writers of the key; total = its current known share';
COMMENT ON COLUMN @extschema@.share_total.total IS 'sum of the known shares of each supplier''s latest row of the key (unknown = 0), 0..1; written by the share check (a key without rows has no row, since 0.15.0), which recomputes it from dependency rather than trust it';
