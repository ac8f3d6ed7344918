-- Maintained risk state: what the risk views would otherwise recompute from
-- the raw rows at every query, kept by the statement triggers of the tables
-- it derives from, in the same transaction as the write.
--
--   stage_state          per (country, stage) with data: the current rating
--                        and stage_risk's supply terms; its row is also the
--                        lock that serializes the writers of the pair
--   supplier_state       per (country, stage, supplier): the stage's term of
--                        country_risk (stage_supplier_risk's row)
--   country_state        per (country, sector, supplier): country_risk's row
--   country_total_state  per (country, supplier): the all-sectors row
--
-- Every write to dependency or assessment names the (country, stage) pairs
-- it touched; refresh_state() recomputes those pairs from the raw rows (their
-- index ranges), then the country rows of the suppliers whose terms changed.
-- Locks are taken in one order by every writer, each set sorted: the share
-- rule's keys (40_rules.sql), then the pairs (stage_state), then the country
-- rows (country_state, country_total_state).  verify_state() recomputes all
-- of it through the views' own formulas and returns every difference;
-- rebuild_state() rebuilds it from the raw rows (docs/internals.md,
-- "Maintained state").  The tables are not dumped: a restore rebuilds them
-- through the triggers as the rows arrive.

CREATE TABLE @extschema@.stage_state (
    country        text NOT NULL,
    stage          text NOT NULL,
    sector         text NOT NULL,
    rating         @extschema@.stage_rating,     -- the current assessment; NULL: not assessed
    rated_as_of    date,
    rows           integer NOT NULL,             -- current dependency rows, every kind
    suppliers      integer NOT NULL,             -- distinct suppliers of current supply rows
    unknown_shares integer NOT NULL,             -- current supply rows without a share
    hhi            double precision,             -- the most concentrated item's HHI of known supply shares
    top_supplier   text,
    top_share      numeric,
    PRIMARY KEY (country, stage)
) WITH (fillfactor = 70);
-- a country's assessed chains in one sector (stage_risk for a country and
-- sector) from the index alone
CREATE INDEX stage_state_sector ON @extschema@.stage_state (country, sector) INCLUDE (rating);
CREATE TABLE @extschema@.supplier_state (
    country        text NOT NULL,
    stage          text NOT NULL,
    supplier       text NOT NULL,
    sector         text NOT NULL,
    dependencies   integer NOT NULL,             -- current rows, every kind
    unknown_shares integer NOT NULL,
    supply_rows    integer NOT NULL,             -- of them, kind supply
    supply_unknown integer NOT NULL,
    share_supply   numeric,                      -- the largest known share of each kind
    share_market   numeric,
    share_talent   numeric,
    known_share    numeric,                      -- their sum; NULL: none known
    weighted       numeric,                      -- sum of share x weakness x kind weight
    PRIMARY KEY (country, stage, supplier)
) WITH (fillfactor = 70);
-- a supplier's terms of one country, by sector: what country rows sum
CREATE INDEX supplier_state_supplier ON @extschema@.supplier_state (country, supplier, sector);
-- a country's direct suppliers of each stage and their supply shares, from
-- the index alone: what tier_exposure and chain_exposure read (three times
-- per country) of the terms with supply rows
CREATE INDEX supplier_state_supply ON @extschema@.supplier_state (country, stage, supplier)
    INCLUDE (share_supply, supply_unknown) WHERE supply_rows > 0;
CREATE TABLE @extschema@.country_state (
    country        text NOT NULL,
    sector         text NOT NULL,
    supplier       text NOT NULL,
    relation       text,
    stages         integer NOT NULL,
    dependencies   integer NOT NULL,
    unknown_shares integer NOT NULL,
    known_share    numeric,
    weighted       numeric,
    risk           numeric,
    -- the supplier leads the sector: a supplier's rows of one country, which
    -- its all-sectors row sums, are one index range
    PRIMARY KEY (country, supplier, sector)
) WITH (fillfactor = 70);
-- the order of country_risk's rank, with every column the view shows: the
-- view reads a country's (or every) row in rank order from the index alone,
-- neither sorting nor visiting the table
CREATE INDEX country_state_rank ON @extschema@.country_state (country, sector, risk DESC NULLS LAST)
    INCLUDE (supplier, relation, stages, dependencies, unknown_shares, known_share);
CREATE TABLE @extschema@.country_total_state (
    country        text NOT NULL,
    supplier       text NOT NULL,
    relation       text,
    stages         integer NOT NULL,
    dependencies   integer NOT NULL,
    unknown_shares integer NOT NULL,
    known_share    numeric,
    weighted       numeric,
    risk           numeric,
    PRIMARY KEY (country, supplier)
) WITH (fillfactor = 70);
CREATE INDEX country_total_state_rank ON @extschema@.country_total_state (country, risk DESC NULLS LAST)
    INCLUDE (supplier, relation, stages, dependencies, unknown_shares, known_share);

COMMENT ON TABLE @extschema@.stage_state IS
    'internal, maintained: per (country, stage) with data, the current rating and stage_risk''s supply terms';
COMMENT ON TABLE @extschema@.supplier_state IS
    'internal, maintained: per (country, stage, supplier), the stage''s term of country_risk';
COMMENT ON TABLE @extschema@.country_state IS
    'internal, maintained: country_risk''s row per (country, sector, supplier), without the rank';
COMMENT ON TABLE @extschema@.country_total_state IS
    'internal, maintained: country_risk''s all-sectors row per (country, supplier), without the rank';

-- state_is_current(): whether the views read the maintained state (the
-- current rows, supplychain.as_of unset) or compute from the raw rows (a
-- date set: history, and verify_state()'s recomputation at 'infinity').
CREATE FUNCTION @extschema@.state_is_current() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE(pg_catalog.current_setting('supplychain.as_of', true), '') = ''
$$;
COMMENT ON FUNCTION @extschema@.state_is_current() IS
    'internal: true when supplychain.as_of is unset, so that the risk views read the maintained state';

-- state_terms(): the terms of (country, stage) pairs from their current
-- dependency rows, in one pass over each pair's index range (src/state_terms.c):
-- one row per (pair, supplier), then one per pair (supplier NULL) with the
-- pair's own terms.  With suppliers, (countries[i], stages[i], suppliers[i])
-- names one supplier of a pair: only its rows are read and only its row
-- comes back.  The formulas are the views' (60_views.sql); the rating and the
-- weights are read from the tables given.
CREATE FUNCTION @extschema@.state_terms(dependency regclass, assessment regclass, weight regclass,
                                        countries text[], stages text[], suppliers text[] DEFAULT NULL)
RETURNS TABLE (country text, stage text, supplier text, dependencies integer, unknown_shares integer,
               supply_rows integer, supply_unknown integer, share_supply numeric, share_market numeric,
               share_talent numeric, known_share numeric, weighted numeric,
               hhi double precision, top_supplier text, top_share numeric)
AS 'MODULE_PATHNAME', 'sc_state_terms'
LANGUAGE C STABLE PARALLEL UNSAFE SUPPORT @extschema@.key_rows_support;
COMMENT ON FUNCTION @extschema@.state_terms(regclass, regclass, regclass, text[], text[], text[]) IS
    'internal: the maintained state''s terms of (country, stage) pairs, or of suppliers in pairs, computed from their current dependency rows';

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
CREATE FUNCTION @extschema@.refresh_country(beside regclass, countries text[], sectors text[], suppliers text[])
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
CREATE FUNCTION @extschema@.refresh_state(beside regclass, countries text[], stages text[], suppliers text[] DEFAULT NULL)
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

-- state_places(rel, state): where a change to a reference table (alignment,
-- weight, stage; country_group, for trade_country_group_total) fired at rel
-- moves the state: on a single server, the state table itself (stage_state
-- unless another is named); on a Citus node, where the trigger fires on each
-- placement of the reference table, the shards of the state table on that
-- node, so that every node refreshes its own rows and each state row once
-- (none while the state is not distributed: distribute() copies it).
CREATE FUNCTION @extschema@.state_places(rel regclass, state regclass DEFAULT '@extschema@.stage_state')
RETURNS SETOF regclass
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF @extschema@.table_label(rel) OPERATOR(pg_catalog.=) rel::text THEN
        RETURN NEXT state;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))
        FROM pg_catalog.pg_dist_shard s
        JOIN pg_catalog.pg_dist_placement p ON p.shardid OPERATOR(pg_catalog.=) s.shardid
        WHERE s.logicalrelid OPERATOR(pg_catalog.=) $1
          AND p.groupid OPERATOR(pg_catalog.=) (SELECT groupid FROM pg_catalog.pg_dist_local_group)
          AND pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid)) IS NOT NULL
    $q$ USING state;
END
$$;
COMMENT ON FUNCTION @extschema@.state_places(regclass, regclass) IS
    'internal: the state tables (stage_state, or the one named) a change to a reference table fired at rel refreshes (on Citus, the shards on this node)';

-- state_track(): the statement triggers on assessment, and dependency's
-- TRUNCATE (both tables have country and stage): the pairs the statement
-- touched, sorted, are refreshed whole.  A TRUNCATE refreshes every pair
-- with state.
CREATE FUNCTION @extschema@.state_track() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.state_track() IS
    'trigger: refreshes the maintained state of the (country, stage) pairs a statement on dependency or assessment touched';

-- state_track_dependency(): the statement triggers on dependency's rows:
-- the (country, stage, supplier) keys the statement touched, sorted, are
-- refreshed (a TRUNCATE goes through state_track()).  Above a hundred keys
-- refresh_state() reads whole pairs: a statement of more keys names its
-- (country, stage) pairs only, and never gathers its keys.
CREATE FUNCTION @extschema@.state_track_dependency() RETURNS trigger
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

-- state_track_alignment(): an alignment changes the risk of its (country,
-- partner) rows, in every sector.
CREATE FUNCTION @extschema@.state_track_alignment() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    countries text[];
    partners text[];
    place regclass;
    k record;
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        -- every supplier of every country: the partners are NULL
        countries := ARRAY[NULL::text];
    ELSIF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(partner) INTO countries, partners FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(partner) INTO countries, partners FROM old_rows;
    ELSE
        SELECT pg_catalog.array_agg(country), pg_catalog.array_agg(partner) INTO countries, partners
          FROM (SELECT country, partner FROM new_rows UNION SELECT country, partner FROM old_rows) x;
    END IF;
    FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass) LOOP
        -- the sectors of each pair's terms (NULL: every country, every supplier)
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.array_agg(s.country) AS countries, pg_catalog.array_agg(s.sector) AS sectors,
                   pg_catalog.array_agg(s.supplier) AS suppliers
            FROM (SELECT DISTINCT s.country, s.sector, s.supplier
                  FROM @extschema@.key_rows($1, $2) p (country, partner)
                  JOIN %s s
                    ON (p.country IS NULL OR s.country OPERATOR(pg_catalog.=) p.country)
                   AND (p.partner IS NULL OR s.supplier OPERATOR(pg_catalog.=) p.partner)) s
        $q$, @extschema@.shard_of('@extschema@.supplier_state', place)) INTO k USING countries, partners;
        PERFORM @extschema@.refresh_country(place, k.countries, k.sectors, k.suppliers);
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_alignment() IS
    'trigger: recomputes the country rows of the (country, partner) pairs an alignment statement touched';

-- refresh_weights(): the weakness and kind weights are in every stage term:
-- recompute the terms from their stored shares and the pairs' ratings (no
-- raw row is read), then every country row (the alignment weights are there).
CREATE FUNCTION @extschema@.refresh_weights(beside regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ss constant regclass := @extschema@.shard_of('@extschema@.stage_state', beside);
    sup constant regclass := @extschema@.shard_of('@extschema@.supplier_state', beside);
    wt constant regclass := @extschema@.shard_of('@extschema@.weight', beside);
    k record;
BEGIN
    -- lock every pair, in order, as a writer would
    EXECUTE pg_catalog.format('SELECT FROM %s ORDER BY country, stage FOR UPDATE', ss);
    EXECUTE pg_catalog.format($q$
        UPDATE %2$s t SET weighted = x.weighted
        FROM (SELECT s.country, s.stage, s.supplier,
                     (SELECT pg_catalog.sum(v.term) FROM (VALUES
                          (s.share_supply OPERATOR(pg_catalog.*) wr.value OPERATOR(pg_catalog.*) ws.value),
                          (s.share_market OPERATOR(pg_catalog.*) wr.value OPERATOR(pg_catalog.*) wm.value),
                          (s.share_talent OPERATOR(pg_catalog.*) wr.value OPERATOR(pg_catalog.*) wl.value)) v (term))
                         AS weighted
              FROM %2$s s
              JOIN %1$s p ON p.country OPERATOR(pg_catalog.=) s.country AND p.stage OPERATOR(pg_catalog.=) s.stage
              LEFT JOIN %3$s wr ON wr.name OPERATOR(pg_catalog.=) CASE WHEN p.rating IS NULL THEN 'weakness.unassessed'
                                            ELSE 'weakness.' OPERATOR(pg_catalog.||) p.rating::text END
              LEFT JOIN %3$s ws ON ws.name OPERATOR(pg_catalog.=) 'kind.supply'
              LEFT JOIN %3$s wm ON wm.name OPERATOR(pg_catalog.=) 'kind.market'
              LEFT JOIN %3$s wl ON wl.name OPERATOR(pg_catalog.=) 'kind.talent') x
        WHERE t.country OPERATOR(pg_catalog.=) x.country AND t.stage OPERATOR(pg_catalog.=) x.stage
          AND t.supplier OPERATOR(pg_catalog.=) x.supplier AND t.weighted::text IS DISTINCT FROM x.weighted::text
    $q$, ss, sup, wt);
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(country) AS countries, pg_catalog.array_agg(sector) AS sectors,
               pg_catalog.array_agg(supplier) AS suppliers
        FROM (SELECT DISTINCT country, sector, supplier FROM %s) s
    $q$, sup) INTO k;
    PERFORM @extschema@.refresh_country(beside, k.countries, k.sectors, k.suppliers);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_weights(regclass) IS
    'internal: recomputes every stage term and country row after a change of the weights they use';

-- state_track_weight(): only the weights the state holds matter: weakness
-- and kind weights (in every term) and alignment weights (in every risk).
CREATE FUNCTION @extschema@.state_track_weight() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    names text[];
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(name) INTO names FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(name) INTO names FROM old_rows;
    ELSE
        SELECT pg_catalog.array_agg(n.name) INTO names
          FROM new_rows n FULL JOIN old_rows o ON o.name OPERATOR(pg_catalog.=) n.name
         WHERE n.value IS DISTINCT FROM o.value;
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(names) n
               WHERE n LIKE 'weakness.%' OR n LIKE 'kind.%' OR n LIKE 'alignment.%') THEN
        PERFORM @extschema@.refresh_weights(place) FROM @extschema@.state_places(TG_RELID::regclass) place;
    END IF;
    -- measures that read a weight themselves: stage_risk's risk (the
    -- weakness) and import_dependency's test (its thresholds); every
    -- subject is evaluated again, without a value before (44_watch.sql)
    IF EXISTS (SELECT FROM pg_catalog.unnest(names) n WHERE n LIKE 'weakness.%') THEN
        PERFORM @extschema@.watch_reevaluate('{stage_risk.risk}', TG_RELID::regclass);
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(names) n WHERE n LIKE 'trade.%') THEN
        PERFORM @extschema@.watch_reevaluate('{import_dependency.dependent}', TG_RELID::regclass);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_weight() IS
    'trigger: a change of a weakness, kind or alignment weight recomputes the state that holds it';

-- state_track_stage(): a stage that moves to another sector moves its terms.
CREATE FUNCTION @extschema@.state_track_stage() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    moved text[];
    place regclass;
    k record;
BEGIN
    IF pg_catalog.current_setting('supplychain.copying', true) = 'on' THEN
        RETURN NULL;            -- distribute() or undistribute() moves the state with the rows
    END IF;
    SELECT pg_catalog.array_agg(n.id) INTO moved
      FROM new_rows n JOIN old_rows o ON o.id OPERATOR(pg_catalog.=) n.id
     WHERE n.sector IS DISTINCT FROM o.sector;
    IF moved IS NULL THEN
        RETURN NULL;
    END IF;
    FOR place IN SELECT * FROM @extschema@.state_places(TG_RELID::regclass) LOOP
        EXECUTE pg_catalog.format($q$
            SELECT pg_catalog.array_agg(country ORDER BY country, stage) AS countries,
                   pg_catalog.array_agg(stage ORDER BY country, stage) AS stages
            FROM %s WHERE stage OPERATOR(pg_catalog.=) ANY ($1)
        $q$, place) INTO k USING moved;
        PERFORM @extschema@.refresh_state(place, k.countries, k.stages);
    END LOOP;
    -- its stages leave one chain for another: every stage subject again
    -- (44_watch.sql)
    PERFORM @extschema@.watch_reevaluate('{stage_risk.hhi,stage_risk.risk}', TG_RELID::regclass);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_stage() IS
    'trigger: a stage moved to another sector moves its pairs'' state';

-- track_state(): the statement triggers of one table, one per event named,
-- each with the transition tables its event has (a helper of the scripts
-- only: dropped below).
CREATE FUNCTION @extschema@.track_state(tbl regclass, fn regproc, events text[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e text;
BEGIN
    FOREACH e IN ARRAY events LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
            'state_' || pg_catalog.lower(e), e, tbl,
            CASE e WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                   WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows'
                   ELSE '' END,
            fn);
    END LOOP;
END
$$;
SELECT @extschema@.track_state('@extschema@.dependency', '@extschema@.state_track_dependency', '{INSERT,UPDATE,DELETE}');
SELECT @extschema@.track_state('@extschema@.dependency', '@extschema@.state_track', '{TRUNCATE}');
SELECT @extschema@.track_state('@extschema@.assessment', '@extschema@.state_track', '{INSERT,UPDATE,DELETE,TRUNCATE}');
SELECT @extschema@.track_state('@extschema@.alignment', '@extschema@.state_track_alignment', '{INSERT,UPDATE,DELETE,TRUNCATE}');
SELECT @extschema@.track_state('@extschema@.weight', '@extschema@.state_track_weight', '{INSERT,UPDATE,DELETE}');
SELECT @extschema@.track_state('@extschema@.stage', '@extschema@.state_track_stage', '{UPDATE}');
DROP FUNCTION @extschema@.track_state(regclass, regproc, text[]);

-- rebuild_state(): the state (and the share rule's totals, and
-- trade_flow's in trade_country_total and trade_country_group_total) from the raw rows, whatever they held: after
-- writes that bypassed the triggers (ALTER TABLE ... DISABLE TRIGGER,
-- session_replication_role = replica, a logical replication subscriber that
-- was not sent the state, pg_restore --disable-triggers).  Returns the
-- number of (country, stage) pairs with state.
CREATE FUNCTION @extschema@.rebuild_state() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    distributed boolean := false;
    n bigint;
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1)'
            INTO distributed USING '@extschema@.stage_state'::regclass;
    END IF;
    IF distributed THEN
        -- distributed: each shard of the colocation group on its node
        PERFORM pg_catalog.run_command_on_shards('@extschema@.stage_state',
                                                 'SELECT @extschema@.rebuild_state_beside(%L)');
        RETURN (SELECT pg_catalog.count(*) FROM @extschema@.stage_state);
    END IF;
    -- writers wait until the rebuild commits; readers keep reading the old state
    LOCK TABLE @extschema@.share_total, @extschema@.stage_state, @extschema@.supplier_state,
               @extschema@.country_state, @extschema@.country_total_state, @extschema@.trade_country_total,
               @extschema@.trade_country_group_total
          IN EXCLUSIVE MODE;
    n := @extschema@.rebuild_state_beside('@extschema@.stage_state');
    -- the trade totals were rebuilt without their triggers (44_watch.sql)
    PERFORM @extschema@.watch_refresh();
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state() IS
    'rebuilds the maintained risk state from the raw rows (after writes that bypassed the triggers); returns the number of (country, stage) pairs with state';

-- rebuild_state_beside(place): the rebuild of the state tables beside place
-- (stage_state, or on a Citus worker one of its shards), from the rows of
-- the dependency and assessment tables beside it.
CREATE FUNCTION @extschema@.rebuild_state_beside(place regclass) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dep constant regclass := @extschema@.shard_of('@extschema@.dependency', place);
    ass constant regclass := @extschema@.shard_of('@extschema@.assessment', place);
    tot constant regclass := @extschema@.shard_of('@extschema@.share_total', place);
    trade constant regclass := @extschema@.shard_of('@extschema@.trade_country_total', place);
    k record;
    n bigint;
BEGIN
    IF @extschema@.table_label(place) OPERATOR(pg_catalog.<>) '@extschema@.stage_state' THEN
        RAISE EXCEPTION 'rebuild_state_beside() rebuilds the state beside stage_state or one of its shards, not %', place
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the share rule's cached totals too (its check never trusts them)
    EXECUTE pg_catalog.format('DELETE FROM %s', tot);
    EXECUTE pg_catalog.format($q$
        INSERT INTO %s (stage, country, kind, item, total, hhi)
        SELECT stage, country, kind, item, COALESCE(pg_catalog.sum(share), 0),
               @extschema@.hhi(share ORDER BY supplier DESC)
        FROM (SELECT DISTINCT ON (country, stage, kind, item, supplier) *
              FROM %s ORDER BY country, stage, kind, item, supplier, as_of DESC) d
        GROUP BY stage, country, kind, item
    $q$, tot, dep);
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.country_total_state', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.country_state', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.supplier_state', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', place);
    EXECUTE pg_catalog.format($q$
        SELECT pg_catalog.array_agg(country ORDER BY country, stage) AS countries,
               pg_catalog.array_agg(stage ORDER BY country, stage) AS stages
        FROM (SELECT country, stage FROM %s UNION SELECT country, stage FROM %s) k
    $q$, dep, ass) INTO k;
    PERFORM @extschema@.refresh_state(place, k.countries, k.stages);
    -- trade_flow's totals (85_trade.sql)
    EXECUTE pg_catalog.format('DELETE FROM %s', trade);
    EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_country_totals(%L)',
                              trade, @extschema@.shard_of('@extschema@.trade_flow', place));
    EXECUTE pg_catalog.format('DELETE FROM %s', @extschema@.shard_of('@extschema@.trade_country_group_total', place));
    EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM @extschema@.trade_group_totals(%L, %L)',
                              @extschema@.shard_of('@extschema@.trade_country_group_total', place),
                              @extschema@.shard_of('@extschema@.trade_flow', place),
                              @extschema@.shard_of('@extschema@.country_group', place));
    -- statistics of the new contents, for the views' plans
    EXECUTE pg_catalog.format('ANALYZE %s, %s, %s, %s, %s', place,
                              @extschema@.shard_of('@extschema@.supplier_state', place),
                              @extschema@.shard_of('@extschema@.country_state', place),
                              @extschema@.shard_of('@extschema@.country_total_state', place), trade);
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s', place) INTO n;
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state_beside(regclass) IS
    'internal: rebuilds the state tables beside place (stage_state or one of its Citus shards) from the raw rows beside it';

-- verify_state(): the proof.  Every maintained table is recomputed from the
-- raw rows, independently of the triggers: the risk views read from the state
-- against the same views computed from the raw rows (their history path at
-- 'infinity'), and each state table against a plain GROUP BY of the current
-- rows.  One row per difference; none when the state is right.
CREATE FUNCTION @extschema@.verify_state()
RETURNS TABLE (object text, key text, state text, recomputed text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET supplychain.as_of = '' AS $$
BEGIN
    RETURN QUERY
    WITH st AS MATERIALIZED (SELECT * FROM @extschema@.country_risk),
         re AS MATERIALIZED (SELECT * FROM @extschema@.country_risk_at('infinity'))
    SELECT 'country_risk', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.sector, r.sector, '(all sectors)'),
                                                COALESCE(s.supplier, r.supplier)),
           s::text, r::text
    FROM st s FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.supplier OPERATOR(pg_catalog.=) s.supplier
     AND COALESCE(r.sector, '') OPERATOR(pg_catalog.=) COALESCE(s.sector, '')
    WHERE s::text IS DISTINCT FROM r::text;

    RETURN QUERY
    WITH st AS MATERIALIZED (SELECT * FROM @extschema@.stage_supplier_risk),
         re AS MATERIALIZED (SELECT * FROM @extschema@.stage_supplier_risk_at('infinity'))
    SELECT 'stage_supplier_risk', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage_id, r.stage_id),
                                                       COALESCE(s.supplier, r.supplier)),
           s::text, r::text
    FROM st s FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage_id OPERATOR(pg_catalog.=) s.stage_id
     AND r.supplier OPERATOR(pg_catalog.=) s.supplier
    WHERE s::text IS DISTINCT FROM r::text;

    RETURN QUERY
    WITH st AS MATERIALIZED (SELECT * FROM @extschema@.stage_risk),
         re AS MATERIALIZED (SELECT * FROM @extschema@.stage_risk_at('infinity'))
    SELECT 'stage_risk', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage_id, r.stage_id)),
           s::text, r::text
    FROM st s FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage_id OPERATOR(pg_catalog.=) s.stage_id
    WHERE s::text IS DISTINCT FROM r::text;

    -- the share rule's cached totals and HHIs: a key without rows holds 0
    -- and no HHI
    RETURN QUERY
    SELECT 'share_total', pg_catalog.concat_ws(' ', COALESCE(t.country, c.country), COALESCE(t.stage, c.stage),
                                               COALESCE(t.kind, c.kind), COALESCE(t.item, c.item)),
           pg_catalog.concat_ws(' ', t.total, t.hhi), pg_catalog.concat_ws(' ', c.total, c.hhi)
    FROM @extschema@.share_total t
    FULL JOIN (SELECT stage, country, kind, item, COALESCE(pg_catalog.sum(share), 0) AS total,
                      @extschema@.hhi(share ORDER BY supplier DESC) AS hhi
               FROM @extschema@.current_dependency GROUP BY stage, country, kind, item) c
      ON c.stage OPERATOR(pg_catalog.=) t.stage AND c.country OPERATOR(pg_catalog.=) t.country
     AND c.kind OPERATOR(pg_catalog.=) t.kind AND c.item OPERATOR(pg_catalog.=) t.item
    WHERE COALESCE(t.total, 0) OPERATOR(pg_catalog.<>) COALESCE(c.total, 0)
       OR t.hhi IS DISTINCT FROM c.hhi;

    -- the tables themselves, every row (the views show only assessed chains)
    RETURN QUERY
    WITH cur AS MATERIALIZED (SELECT * FROM @extschema@.current_dependency),
    re AS MATERIALIZED (
        SELECT p.country, p.stage, s.sector, a.rating, a.as_of AS rated_as_of,
               COALESCE(n.rows, 0)::integer AS rows, COALESCE(n.suppliers, 0)::integer AS suppliers,
               COALESCE(n.unknown_shares, 0)::integer AS unknown_shares, h.hhi,
               t.supplier AS top_supplier, t.share AS top_share
        FROM (SELECT country, stage FROM cur UNION SELECT country, stage FROM @extschema@.current_assessment) p
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN @extschema@.current_assessment a ON a.country OPERATOR(pg_catalog.=) p.country AND a.stage OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN (SELECT country, stage, pg_catalog.count(*) AS rows,
                          pg_catalog.count(DISTINCT supplier) FILTER (WHERE kind OPERATOR(pg_catalog.=) 'supply') AS suppliers,
                          pg_catalog.count(*) FILTER (WHERE kind OPERATOR(pg_catalog.=) 'supply' AND share IS NULL) AS unknown_shares
                   FROM cur GROUP BY country, stage) n
               ON n.country OPERATOR(pg_catalog.=) p.country AND n.stage OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN (SELECT country, stage, pg_catalog.max(hhi) AS hhi
                   -- in the order the state sums them (a float sum's last digit depends on it)
                   FROM (SELECT country, stage, item, @extschema@.hhi(share ORDER BY supplier DESC) AS hhi FROM cur
                         WHERE kind OPERATOR(pg_catalog.=) 'supply' GROUP BY country, stage, item) i
                   GROUP BY country, stage) h
               ON h.country OPERATOR(pg_catalog.=) p.country AND h.stage OPERATOR(pg_catalog.=) p.stage
        LEFT JOIN (SELECT DISTINCT ON (country, stage) country, stage, supplier, share FROM cur
                   WHERE kind OPERATOR(pg_catalog.=) 'supply' AND share IS NOT NULL
                   ORDER BY country, stage, share DESC, supplier) t
               ON t.country OPERATOR(pg_catalog.=) p.country AND t.stage OPERATOR(pg_catalog.=) p.stage
    )
    SELECT 'stage_state', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage, r.stage)),
           s::text, r::text
    -- the columns named (a whole-row reference to a distributed table in a
    -- join is not what Citus reads)
    FROM (SELECT country, stage, sector, rating, rated_as_of, rows, suppliers, unknown_shares, hhi,
                 top_supplier, top_share FROM @extschema@.stage_state) s
    FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage OPERATOR(pg_catalog.=) s.stage
    WHERE s::text IS DISTINCT FROM r::text;

    RETURN QUERY
    WITH per_kind AS (
        SELECT country, stage, supplier, kind, pg_catalog.max(share) AS share,
               pg_catalog.count(*) AS n, pg_catalog.count(*) FILTER (WHERE share IS NULL) AS unknown
        FROM @extschema@.current_dependency GROUP BY country, stage, supplier, kind
    ), re AS MATERIALIZED (
        SELECT k.country, k.stage, k.supplier, s.sector,
               pg_catalog.sum(k.n)::integer AS dependencies, pg_catalog.sum(k.unknown)::integer AS unknown_shares,
               COALESCE(pg_catalog.sum(k.n) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'supply'), 0)::integer AS supply_rows,
               COALESCE(pg_catalog.sum(k.unknown) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'supply'), 0)::integer AS supply_unknown,
               pg_catalog.max(k.share) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'supply') AS share_supply,
               pg_catalog.max(k.share) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'market') AS share_market,
               pg_catalog.max(k.share) FILTER (WHERE k.kind OPERATOR(pg_catalog.=) 'talent') AS share_talent
        FROM per_kind k JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) k.stage
        GROUP BY k.country, k.stage, k.supplier, s.sector
    )
    SELECT 'supplier_state', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.stage, r.stage),
                                                  COALESCE(s.supplier, r.supplier)),
           s::text, r::text
    FROM (SELECT country, stage, supplier, sector, dependencies, unknown_shares, supply_rows, supply_unknown,
                 share_supply, share_market, share_talent FROM @extschema@.supplier_state) s
    FULL JOIN re r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.stage OPERATOR(pg_catalog.=) s.stage
     AND r.supplier OPERATOR(pg_catalog.=) s.supplier
    WHERE s::text IS DISTINCT FROM r::text;

    -- trade_flow's totals (85_trade.sql)
    RETURN QUERY
    SELECT 'trade_country_total', pg_catalog.concat_ws(' ', COALESCE(s.country, r.country), COALESCE(s.product, r.product),
                                               COALESCE(s.year, r.year)),
           s::text, r::text
    FROM (SELECT country, product, year, import_flows, imports, squares, partners, top_value, top_partner,
                 export_flows, exports FROM @extschema@.trade_country_total) s
    FULL JOIN @extschema@.trade_country_totals('@extschema@.trade_flow') r
      ON r.country OPERATOR(pg_catalog.=) s.country AND r.product OPERATOR(pg_catalog.=) s.product
     AND r.year OPERATOR(pg_catalog.=) s.year
    WHERE s::text IS DISTINCT FROM r::text;

    -- the groups' (compared by value: of two partners' equal sums, the
    -- largest value is either's, whose display scales may differ)
    RETURN QUERY
    SELECT 'trade_country_group_total', pg_catalog.concat_ws(' ', COALESCE(s.group_code, r.group_code),
                                                             COALESCE(s.product, r.product), COALESCE(s.year, r.year)),
           s::text, r::text
    FROM @extschema@.trade_country_group_total s
    FULL JOIN @extschema@.trade_group_totals('@extschema@.trade_flow', '@extschema@.country_group') r
      ON r.group_code OPERATOR(pg_catalog.=) s.group_code AND r.product OPERATOR(pg_catalog.=) s.product
     AND r.year OPERATOR(pg_catalog.=) s.year
    WHERE (s.import_flows, s.imports, s.squares, s.partners, s.top_value, s.top_partner COLLATE "C", s.inside_imports,
           s.export_flows, s.exports)
          IS DISTINCT FROM (r.import_flows, r.imports, r.squares, r.partners, r.top_value, r.top_partner COLLATE "C",
                            r.inside_imports, r.export_flows, r.exports);
END
$$;
COMMENT ON FUNCTION @extschema@.verify_state() IS
    'recomputes the maintained risk state from the raw rows and returns one row per difference (none: the state is right)';
