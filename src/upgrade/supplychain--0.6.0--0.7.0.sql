-- supplychain 0.6.0 -> 0.7.0: writes to the maintained state cost what they
-- change.  A write to dependency of up to 100 (country, stage, supplier) keys
-- recomputes only those suppliers' terms and sums its pairs' own terms from
-- the stored ones and each share key's HHI, which the share rule now keeps
-- (share_total.hhi); country_risk reads each (country, sector) of the state
-- in rank order off its index; a partial covering index of the supply terms
-- serves tier_exposure and chain_exposure.  Ends by rebuilding the state
-- (share_total.hhi of the rows already there).

\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.7.0'" to load this file. \quit

-- Resolve every unqualified name in pg_catalog only (LOCAL: for this script).
SET LOCAL search_path = pg_catalog, pg_temp;

-- the share rule's per-key HHI
ALTER TABLE @extschema@.share_total ADD COLUMN hhi double precision;
COMMENT ON COLUMN @extschema@.share_total.hhi IS 'the HHI of the known shares of each supplier''s latest row of the key; NULL when none is known; written by the share check (the maintained state sums a stage''s most concentrated item from it)';

-- key_rows() in C (it was SQL)
CREATE OR REPLACE FUNCTION @extschema@.key_rows(x1 text[], x2 text[], x3 text[] DEFAULT NULL, x4 text[] DEFAULT NULL)
RETURNS TABLE (a text, b text, c text, d text)
AS 'MODULE_PATHNAME', 'sc_key_rows'
LANGUAGE C IMMUTABLE PARALLEL SAFE SUPPORT @extschema@.key_rows_support;
COMMENT ON FUNCTION @extschema@.key_rows(text[], text[], text[], text[]) IS
    'internal: the rows of up to four parallel arrays (the triggers'' keys), with a row estimate for the planner';

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
        SELECT pg_catalog.array_agg(stage ORDER BY stage, country, kind, item), pg_catalog.array_agg(country ORDER BY stage, country, kind, item),
               pg_catalog.array_agg(kind ORDER BY stage, country, kind, item), pg_catalog.array_agg(item ORDER BY stage, country, kind, item)
          INTO stages, countries, kinds, items
          FROM (SELECT DISTINCT stage, country, kind, item FROM new_rows) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(stage ORDER BY stage, country, kind, item), pg_catalog.array_agg(country ORDER BY stage, country, kind, item),
               pg_catalog.array_agg(kind ORDER BY stage, country, kind, item), pg_catalog.array_agg(item ORDER BY stage, country, kind, item)
          INTO stages, countries, kinds, items
          FROM (SELECT DISTINCT stage, country, kind, item FROM old_rows) k;
    ELSE
        SELECT pg_catalog.array_agg(stage ORDER BY stage, country, kind, item), pg_catalog.array_agg(country ORDER BY stage, country, kind, item),
               pg_catalog.array_agg(kind ORDER BY stage, country, kind, item), pg_catalog.array_agg(item ORDER BY stage, country, kind, item)
          INTO stages, countries, kinds, items
          FROM (SELECT stage, country, kind, item FROM new_rows
                UNION SELECT stage, country, kind, item FROM old_rows) k;
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
    -- its date on; the running sum is the key's total at each date.  (The
    -- cached current total is written by joining the latest date's total to
    -- share_total through its primary key: linear in the statement's keys.)
    -- The key's HHI is summed over each supplier's latest row, suppliers in
    -- descending order: the order the maintained state sums them in
    -- (42_state.sql), so that a float sum comes out the same to the last digit.
    SELECT r1 INTO bad FROM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (
            SELECT * FROM @extschema@.key_rows($1, $2, $3, $4) k (stage, country, kind, item)
        ), delta AS (
            SELECT d.stage, d.country, d.kind, d.item, d.as_of,
                   COALESCE(d.share, 0) - COALESCE(lag(d.share) OVER (
                       PARTITION BY d.stage, d.country, d.kind, d.item, d.supplier
                       ORDER BY d.as_of), 0) AS delta
            FROM %2$s d JOIN k USING (stage, country, kind, item)
        ), per_date AS (
            SELECT stage, country, kind, item, as_of, sum(delta) AS delta
            FROM delta GROUP BY stage, country, kind, item, as_of
        ), running AS (
            SELECT stage, country, kind, item, as_of,
                   sum(delta) OVER (PARTITION BY stage, country, kind, item ORDER BY as_of) AS total,
                   row_number() OVER (PARTITION BY stage, country, kind, item ORDER BY as_of DESC) AS latest
            FROM per_date
        ), updated AS (
            UPDATE %1$s t SET total = r.total, hhi = c.hhi
            FROM running r
            CROSS JOIN LATERAL (
                -- each supplier's latest row: the key's index range backward
                SELECT @extschema@.hhi(x.share ORDER BY x.supplier DESC) AS hhi
                FROM (SELECT DISTINCT ON (d.supplier) d.supplier, d.share FROM %2$s d
                      WHERE (d.stage, d.country, d.kind, d.item) = (r.stage, r.country, r.kind, r.item)
                      ORDER BY d.supplier DESC, d.as_of DESC) x) c
            WHERE r.latest = 1
              AND (t.stage, t.country, t.kind, t.item) = (r.stage, r.country, r.kind, r.item)
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
COMMENT ON FUNCTION @extschema@.dependency_share_check() IS
    'trigger: rejects known shares of one item summing above 1 at any date, serializing writers of a key on share_total';

-- functions whose arguments changed
DROP FUNCTION @extschema@.state_terms(regclass, regclass, regclass, text[], text[]);
DROP FUNCTION @extschema@.refresh_country(regclass, text[], text[], text[]);
DROP FUNCTION @extschema@.refresh_state(regclass, text[], text[]);
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

CREATE FUNCTION @extschema@.country_lock(cs regclass, ct regclass) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.format($q$
        by_sector AS (
            INSERT INTO %1$s AS t (country, sector, supplier, stages, dependencies, unknown_shares)
            SELECT DISTINCT country, sector, supplier, 0, 0, 0 FROM k WHERE sector IS NOT NULL
            ORDER BY country, sector, supplier
            ON CONFLICT (country, supplier, sector) DO UPDATE SET stages = t.stages
        ), all_sectors AS (
            INSERT INTO %2$s AS t (country, supplier, stages, dependencies, unknown_shares)
            SELECT DISTINCT country, supplier, 0, 0, 0 FROM k
            ORDER BY country, supplier
            ON CONFLICT (country, supplier) DO UPDATE SET stages = t.stages
        )$q$, cs, ct)
$$;
COMMENT ON FUNCTION @extschema@.country_lock(regclass, regclass) IS
    'internal: the statement part of the state''s triggers that locks country_state and country_total_state rows in order';

CREATE FUNCTION @extschema@.refresh_country(beside regclass, countries text[], sectors text[], suppliers text[],
                                            locked boolean DEFAULT false)
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
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    IF NOT locked THEN
        PERFORM @extschema@.exec_cached(pg_catalog.format($q$
            WITH k AS (SELECT * FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)),
            %s
            SELECT NULL::text[]
        $q$, @extschema@.country_lock(cs, ct)), countries, sectors, suppliers);
    END IF;

    -- recompute the rows from the suppliers' stage terms (a new snapshot: a
    -- writer we waited for is seen): a sector row sums its sector's terms,
    -- the all-sectors row every term (the same exact numbers as the sum of
    -- the sector rows); a key without terms goes
    PERFORM @extschema@.exec_cached(pg_catalog.format($q$
        WITH k AS (SELECT DISTINCT country, sector, supplier
                   FROM @extschema@.key_rows($1, $2, $3) k (country, sector, supplier)),
        sums AS MATERIALIZED (
            SELECT k.country, k.sector, k.supplier, x.*,
                   al.relation, pg_catalog.round(x.weighted OPERATOR(pg_catalog.*) wa.value, 4) AS risk
            FROM (SELECT country, sector, supplier FROM k WHERE sector IS NOT NULL
                  UNION SELECT country, NULL, supplier FROM k) k
            CROSS JOIN LATERAL (
                SELECT pg_catalog.count(*)::integer AS stages,
                       COALESCE(pg_catalog.sum(s.dependencies), 0)::integer AS dependencies,
                       COALESCE(pg_catalog.sum(s.unknown_shares), 0)::integer AS unknown_shares,
                       pg_catalog.sum(s.known_share) AS known_share,
                       pg_catalog.sum(s.weighted) AS weighted
                FROM %1$s s
                WHERE s.country OPERATOR(pg_catalog.=) k.country AND s.supplier OPERATOR(pg_catalog.=) k.supplier
                  AND (k.sector IS NULL OR s.sector OPERATOR(pg_catalog.=) k.sector)) x
            LEFT JOIN %4$s al ON al.country OPERATOR(pg_catalog.=) k.country AND al.partner OPERATOR(pg_catalog.=) k.supplier
            LEFT JOIN %5$s wa ON wa.name OPERATOR(pg_catalog.=) ('alignment.' OPERATOR(pg_catalog.||) COALESCE(al.relation, 'unknown'))
        ), sector_kept AS (
            UPDATE %2$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.sector IS NOT NULL AND r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
        ), sector_gone AS (
            DELETE FROM %2$s t USING sums r
            WHERE r.sector IS NOT NULL AND r.stages OPERATOR(pg_catalog.=) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
              AND t.sector OPERATOR(pg_catalog.=) r.sector
        ), total_kept AS (
            UPDATE %3$s t
            SET relation = r.relation, stages = r.stages, dependencies = r.dependencies,
                unknown_shares = r.unknown_shares, known_share = r.known_share, weighted = r.weighted, risk = r.risk
            FROM sums r
            WHERE r.sector IS NULL AND r.stages OPERATOR(pg_catalog.>) 0
              AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
        )
        DELETE FROM %3$s t USING sums r
        WHERE r.sector IS NULL AND r.stages OPERATOR(pg_catalog.=) 0
          AND t.country OPERATOR(pg_catalog.=) r.country AND t.supplier OPERATOR(pg_catalog.=) r.supplier
    $q$, sup, cs, ct, al, wt), countries, sectors, suppliers);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_country(regclass, text[], text[], text[], boolean) IS
    'internal: recomputes the country_state rows of (country, sector, supplier) keys and the country_total_state rows of their (country, supplier), from supplier_state';

CREATE FUNCTION @extschema@.refresh_state(beside regclass, countries text[], stages text[], suppliers text[] DEFAULT NULL)
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
    cs constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_state', beside) ELSE '@extschema@.country_state' END;
    ct constant regclass := CASE WHEN citus THEN @extschema@.shard_of('@extschema@.country_total_state', beside) ELSE '@extschema@.country_total_state' END;
    by_supplier boolean := suppliers IS NOT NULL;
    changed record;
BEGIN
    IF countries IS NULL OR pg_catalog.cardinality(countries) = 0 THEN
        RETURN;
    END IF;
    IF by_supplier AND pg_catalog.cardinality(countries) > 100 THEN
        -- many keys: their pairs, each read whole
        SELECT pg_catalog.array_agg(c ORDER BY c, s), pg_catalog.array_agg(s ORDER BY c, s) INTO countries, stages
          FROM (SELECT DISTINCT c, s FROM ROWS FROM (pg_catalog.unnest(countries), pg_catalog.unnest(stages)) k (c, s)) k;
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
    -- print differently); the pairs' own terms; and the country rows of the
    -- changed terms locked (their keys come back)
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
            SELECT o.* FROM p JOIN %4$s o
              ON o.country OPERATOR(pg_catalog.=) p.country AND o.stage OPERATOR(pg_catalog.=) p.stage %9$s
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
        ), k AS MATERIALIZED (
            SELECT o_country AS country, o_sector AS sector, o_supplier AS supplier FROM diff WHERE o_country IS NOT NULL
            UNION
            SELECT country, sector, supplier FROM diff WHERE country IS NOT NULL
        ), %11$s
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
        )$t$ END,
        @extschema@.country_lock(cs, ct)),
        countries, stages, suppliers);

    PERFORM @extschema@.refresh_country(beside, changed.r1, changed.r2, changed.r3, true);
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_state(regclass, text[], text[], text[]) IS
    'internal: recomputes the maintained state of (country, stage) pairs, or of (country, stage, supplier) keys and their pairs, from the raw rows, then the country rows whose terms changed';

CREATE FUNCTION @extschema@.state_track_dependency() RETURNS trigger
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
        SELECT pg_catalog.array_agg(country ORDER BY country, stage, supplier),
               pg_catalog.array_agg(stage ORDER BY country, stage, supplier),
               pg_catalog.array_agg(supplier ORDER BY country, stage, supplier)
          INTO countries, stages, suppliers
          FROM (SELECT DISTINCT country, stage, supplier FROM new_rows) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(country ORDER BY country, stage, supplier),
               pg_catalog.array_agg(stage ORDER BY country, stage, supplier),
               pg_catalog.array_agg(supplier ORDER BY country, stage, supplier)
          INTO countries, stages, suppliers
          FROM (SELECT DISTINCT country, stage, supplier FROM old_rows) k;
    ELSE
        SELECT pg_catalog.array_agg(country ORDER BY country, stage, supplier),
               pg_catalog.array_agg(stage ORDER BY country, stage, supplier),
               pg_catalog.array_agg(supplier ORDER BY country, stage, supplier)
          INTO countries, stages, suppliers
          FROM (SELECT country, stage, supplier FROM new_rows
                UNION SELECT country, stage, supplier FROM old_rows) k;
    END IF;
    PERFORM @extschema@.refresh_state(TG_RELID::regclass, countries, stages, suppliers);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.state_track_dependency() IS
    'trigger: refreshes the maintained state of the (country, stage, supplier) keys a statement on dependency touched';

-- dependency's row triggers of the state name its (country, stage, supplier) keys
DROP TRIGGER state_insert ON @extschema@.dependency;
DROP TRIGGER state_update ON @extschema@.dependency;
DROP TRIGGER state_delete ON @extschema@.dependency;
CREATE TRIGGER state_insert AFTER INSERT ON @extschema@.dependency REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.state_track_dependency();
CREATE TRIGGER state_update AFTER UPDATE ON @extschema@.dependency REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.state_track_dependency();
CREATE TRIGGER state_delete AFTER DELETE ON @extschema@.dependency REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.state_track_dependency();

-- a country's direct suppliers of each stage and their supply shares, from
-- the index alone: what tier_exposure and chain_exposure read (three times
-- per country) of the terms with supply rows
CREATE INDEX supplier_state_supply ON @extschema@.supplier_state (country, stage, supplier)
    INCLUDE (share_supply, supply_unknown) WHERE supply_rows > 0;
CREATE OR REPLACE FUNCTION @extschema@.rebuild_state_beside(place regclass) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dep constant regclass := @extschema@.shard_of('@extschema@.dependency', place);
    ass constant regclass := @extschema@.shard_of('@extschema@.assessment', place);
    tot constant regclass := @extschema@.shard_of('@extschema@.share_total', place);
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
    -- statistics of the new contents, for the views' plans
    EXECUTE pg_catalog.format('ANALYZE %s, %s, %s, %s', place,
                              @extschema@.shard_of('@extschema@.supplier_state', place),
                              @extschema@.shard_of('@extschema@.country_state', place),
                              @extschema@.shard_of('@extschema@.country_total_state', place));
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s', place) INTO n;
    RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.rebuild_state_beside(regclass) IS
    'internal: rebuilds the state tables beside place (stage_state or one of its Citus shards) from the raw rows beside it';

CREATE OR REPLACE FUNCTION @extschema@.verify_state()
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
END
$$;
COMMENT ON FUNCTION @extschema@.verify_state() IS
    'recomputes the maintained risk state from the raw rows and returns one row per difference (none: the state is right)';

CREATE OR REPLACE FUNCTION @extschema@.chain_exposure(
    for_supplier text DEFAULT NULL,
    max_tiers integer DEFAULT 64,
    for_country text DEFAULT NULL)
RETURNS TABLE (country text, stage_id text, supplier text, exposure double precision, tier integer)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    -- for_country: the depending country's rows only, read through the index
    only_d constant text := CASE WHEN for_country IS NULL THEN ''
        ELSE pg_catalog.format(' AND d.country OPERATOR(pg_catalog.=) %L', for_country) END;
    only_a constant text := CASE WHEN for_country IS NULL THEN ''
        ELSE pg_catalog.format(' AND a.country OPERATOR(pg_catalog.=) %L', for_country) END;
    edges_sql constant text := pg_catalog.format($q$
        WITH direct AS (
            SELECT d.country, d.stage, d.supplier, pg_catalog.max(d.share) AS share
            FROM @extschema@.current_dependency d
            WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL %1$s
            GROUP BY d.country, d.stage, d.supplier
        ), imported AS (
            SELECT i.country, i.stage, pg_catalog.sum(i.share) AS share
            FROM direct i GROUP BY i.country, i.stage
        ), chain AS (
            SELECT d.country, s.sector
            FROM @extschema@.current_dependency d
            JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) d.stage
            WHERE true %1$s
            UNION
            SELECT a.country, s.sector
            FROM @extschema@.current_assessment a
            JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) a.stage
            WHERE true %2$s
        ), inputs AS (
            SELECT l.downstream, pg_catalog.count(*) AS n
            FROM @extschema@.stage_link l GROUP BY l.downstream
        )
        SELECT c.country OPERATOR(pg_catalog.||) l.upstream,
               c.country OPERATOR(pg_catalog.||) l.downstream,
               (1::numeric OPERATOR(pg_catalog.-) LEAST(COALESCE(i.share, 0::numeric), 1::numeric))::pg_catalog.float8
                   OPERATOR(pg_catalog./) n.n::pg_catalog.float8
        FROM @extschema@.stage_link l
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) l.downstream
        JOIN chain c ON c.sector OPERATOR(pg_catalog.=) s.sector
        JOIN inputs n ON n.downstream OPERATOR(pg_catalog.=) l.downstream
        LEFT JOIN imported i ON i.country OPERATOR(pg_catalog.=) c.country
                            AND i.stage OPERATOR(pg_catalog.=) l.downstream
    $q$, only_d, only_a);
    -- at the current date the same graph from the maintained state: each
    -- supplier's largest known supply share per stage (supplier_state, its
    -- terms with supply rows: the index supplier_state_supply alone), the
    -- chains with data (stage_state)
    only_s constant text := CASE WHEN for_country IS NULL THEN ''
        ELSE pg_catalog.format(' AND s.country OPERATOR(pg_catalog.=) %L', for_country) END;
    -- on a Citus worker (a one-country tier_exposure routed there) the
    -- local shards (45_citus.sql)
    sup constant regclass := @extschema@.shard_for('@extschema@.supplier_state', for_country);
    state_edges_sql constant text := pg_catalog.format($q$
        WITH imported AS (
            SELECT s.country, s.stage, pg_catalog.sum(s.share_supply) AS share
            FROM %2$s s
            WHERE s.supply_rows OPERATOR(pg_catalog.>) 0 AND s.share_supply IS NOT NULL %1$s
            GROUP BY s.country, s.stage
        ), chain AS (
            SELECT DISTINCT s.country, s.sector FROM %3$s s WHERE true %1$s
        ), inputs AS (
            SELECT l.downstream, pg_catalog.count(*) AS n
            FROM %4$s l GROUP BY l.downstream
        )
        SELECT c.country OPERATOR(pg_catalog.||) l.upstream,
               c.country OPERATOR(pg_catalog.||) l.downstream,
               (1::numeric OPERATOR(pg_catalog.-) LEAST(COALESCE(i.share, 0::numeric), 1::numeric))::pg_catalog.float8
                   OPERATOR(pg_catalog./) n.n::pg_catalog.float8
        FROM %4$s l
        JOIN %5$s s ON s.id OPERATOR(pg_catalog.=) l.downstream
        JOIN chain c ON c.sector OPERATOR(pg_catalog.=) s.sector
        JOIN inputs n ON n.downstream OPERATOR(pg_catalog.=) l.downstream
        LEFT JOIN imported i ON i.country OPERATOR(pg_catalog.=) c.country
                            AND i.stage OPERATOR(pg_catalog.=) l.downstream
    $q$, only_s, sup, @extschema@.shard_for('@extschema@.stage_state', for_country),
        @extschema@.shard_for('@extschema@.stage_link', for_country), @extschema@.shard_for('@extschema@.stage', for_country));
    state_origins_sql constant text := pg_catalog.format($q$
        SELECT o.node, o.supplier, o.share FROM (
            SELECT s.country OPERATOR(pg_catalog.||) s.stage AS node, s.supplier,
                   (s.share_supply OPERATOR(pg_catalog./)
                    GREATEST(1::numeric, pg_catalog.sum(s.share_supply) OVER (PARTITION BY s.country, s.stage)))::pg_catalog.float8 AS share
            FROM %s s
            WHERE s.supply_rows OPERATOR(pg_catalog.>) 0 AND s.share_supply IS NOT NULL %s) o
    $q$, sup, only_s);
    -- a stage's known imports are at most all of its supply: where the
    -- largest shares over items add up above 1, they are scaled down to 1
    origins_sql text := pg_catalog.format($q$
        SELECT o.node, o.supplier, o.share FROM (
            SELECT d.country OPERATOR(pg_catalog.||) d.stage AS node, d.supplier,
                   (pg_catalog.max(d.share) OPERATOR(pg_catalog./)
                    GREATEST(1::numeric, pg_catalog.sum(pg_catalog.max(d.share))
                                         OVER (PARTITION BY d.country, d.stage)))::pg_catalog.float8 AS share
            FROM @extschema@.current_dependency d
            WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL %s
            GROUP BY d.country, d.stage, d.supplier) o
    $q$, only_d);
    current constant boolean := @extschema@.state_is_current();
BEGIN
    IF current THEN
        origins_sql := state_origins_sql;
    END IF;
    IF for_supplier IS NOT NULL THEN
        origins_sql := origins_sql
            || pg_catalog.format(' WHERE o.supplier OPERATOR(pg_catalog.=) %L', for_supplier);
    END IF;
    RETURN QUERY
        SELECT pg_catalog.left(p.node, 2), pg_catalog.substr(p.node, 3), p.country, p.exposure, p.tier
        FROM @extschema@.propagate_exposure(CASE WHEN current THEN state_edges_sql ELSE edges_sql END,
                                            origins_sql, COALESCE(max_tiers, 64)) p;
END
$fn$;
COMMENT ON FUNCTION @extschema@.chain_exposure(text, integer, text) IS
    'propagate_exposure on the schema''s data: per depending country (for_country NULL: all), stage and supplier country (for_supplier NULL: all), the multi-tier exposure from known supply shares along stage_link';

CREATE OR REPLACE VIEW @extschema@.country_risk AS
-- the state: one row per output row, each (country, sector) read in rank
-- order off the index country_state_rank (its sectors from stage_state's
-- index), so that no plan sorts the whole table for the rank.  The join
-- repeats the lateral condition so that a condition on the country reaches
-- both tables as a constant (and Citus routes it to one shard)
SELECT p.country, p.sector, c.supplier, c.relation, c.stages, c.dependencies, c.unknown_shares,
       c.known_share, c.risk, c.rank
FROM (SELECT DISTINCT s.country, s.sector FROM @extschema@.stage_state s
      WHERE (SELECT @extschema@.state_is_current())) p
JOIN LATERAL (
    SELECT c.country, c.sector, c.supplier, c.relation, c.stages, c.dependencies, c.unknown_shares,
           c.known_share, c.risk,
           rank() OVER (PARTITION BY c.country, c.sector ORDER BY c.risk DESC NULLS LAST)::integer AS rank
    FROM @extschema@.country_state c
    WHERE c.country = p.country AND c.sector = p.sector) c
  ON c.country = p.country AND c.sector = p.sector
UNION ALL
SELECT t.country, NULL::text, t.supplier, t.relation, t.stages, t.dependencies, t.unknown_shares,
       t.known_share, t.risk,
       rank() OVER (PARTITION BY t.country ORDER BY t.risk DESC NULLS LAST)::integer
FROM @extschema@.country_total_state t
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
-- the raw rows (a date set)
(WITH summed AS (
    SELECT country, sector, supplier,
           count(*)::integer AS stages,
           sum(dependencies)::integer AS dependencies,
           sum(unknown_shares)::integer AS unknown_shares,
           sum(known_share) AS known_share,
           sum(weighted) AS weighted
    FROM (SELECT r.country, g.sector, r.supplier, r.dependencies, r.unknown_shares,
                 r.known_share, r.weighted
          FROM @extschema@.stage_supplier_risk r
          -- each stage's term counts for its sector and for all sectors (NULL),
          -- in one aggregation
          CROSS JOIN LATERAL (VALUES (r.sector), (NULL)) g (sector)) t
    GROUP BY country, sector, supplier
)
SELECT x.country,
       x.sector,
       x.supplier,
       al.relation,
       x.stages,
       x.dependencies,
       x.unknown_shares,
       x.known_share,
       round(x.weighted * wa.value, 4) AS risk,
       rank() OVER (PARTITION BY x.country, x.sector
                    ORDER BY round(x.weighted * wa.value, 4) DESC NULLS LAST)::integer AS rank
FROM summed x
LEFT JOIN @extschema@.alignment al ON al.country = x.country AND al.partner = x.supplier
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown')
WHERE NOT (SELECT @extschema@.state_is_current()));

-- the state of the rows already there (share_total.hhi among it)
SELECT @extschema@.rebuild_state();
