-- Multi-tier exposure: the propagate_exposure kernel (C), chain_exposure,
-- tier_exposure and disruption.

-- propagate_exposure: the kernel, on any graph the caller describes with two
-- queries (the pgRouting convention).  exposure(n, c) = own(n, c) + sum over
-- edges s -> n of share x exposure(s, c), summed over walks of at most
-- max_tiers edges; tier = the length of the shortest such walk (README,
-- "Multi-tier exposure").  VOLATILE and PARALLEL UNSAFE: it runs the
-- caller's SQL, which may call anything.
CREATE FUNCTION @extschema@.propagate_exposure(
    edges_sql text,
    origins_sql text,
    max_tiers integer DEFAULT 32)
RETURNS TABLE (node text, country text, exposure double precision, tier integer)
AS 'MODULE_PATHNAME', 'propagate_exposure'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.propagate_exposure(text, text, integer) IS
    'multi-tier exposure: edges_sql gives (supplier, customer, share), origins_sql (node, country, share); per node and country the fraction of supply tracing back to the country over walks of at most max_tiers edges, and the shortest tier';

-- chain_exposure: propagate_exposure on the schema's data.  Nodes are the
-- stages of each depending country's chains (the id is the two-letter
-- country code followed by the stage id, which the country code's CHECK
-- makes unambiguous).  A stage's own production in supplier country C is C's
-- known supply share (the largest over the stage's items, as the risk views
-- take it).  The rest of the stage's supply, 1 - min(1, sum of its known
-- import shares), is made at home from its upstream stages, in equal parts:
-- stage_link carries no weights.  Unknown shares add nothing.  64 tiers: on
-- the reference data's recycling loop (gain 1/8 per 4 links) the truncated
-- series is then within about 1e-14 of its limit.
CREATE FUNCTION @extschema@.chain_exposure(
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

-- tier_exposure: the multi-tier exposure of each assessed chain (the US
-- chains of the reference data) per supplier country, beside the direct
-- share.  exposure counts known shares only; unknown_shares > 0 marks a
-- direct dependency without a figure, so exposure is then a lower bound
-- (NULL when nothing is known).  tier 0 = a direct supplier of the stage.
CREATE VIEW @extschema@.tier_exposure AS
WITH direct AS (
    -- each direct supplier of each stage: its largest known supply share and
    -- its supply rows without one (the maintained state, or at a date the
    -- raw rows)
    SELECT s.country, s.stage, s.supplier, s.share_supply AS direct_share, s.supply_unknown AS unknown_shares
    FROM @extschema@.supplier_state s
    WHERE s.supply_rows > 0 AND (SELECT @extschema@.state_is_current())
    UNION ALL
    SELECT d.country, d.stage, d.supplier, max(d.share),
           (count(*) FILTER (WHERE d.share IS NULL))::integer
    FROM @extschema@.current_dependency d
    WHERE d.kind = 'supply' AND NOT (SELECT @extschema@.state_is_current())
    GROUP BY d.country, d.stage, d.supplier
), chain AS (
    -- one propagation per country (the graphs of two countries share no
    -- node), a country without data giving none; a condition on country runs
    -- only that country's, through the country table's key.  The countries
    -- come from that (reference) table so that a distributed engine calls
    -- the function for rows it holds on the coordinator
    SELECT c.code AS country FROM @extschema@.country c
), exposed AS (
    SELECT c.country, e.stage_id AS stage, e.supplier, e.exposure, e.tier
    FROM chain c
    CROSS JOIN LATERAL @extschema@.chain_exposure(NULL, 64, c.country) e
), terms AS (
    -- a direct supplier is tier 0; an exposure without a direct share is at
    -- its shortest tier (one row per stage and supplier of either kind: a
    -- union grouped, which a distributed engine runs, rather than a full join)
    SELECT u.country, u.stage, u.supplier,
           max(u.direct_share) AS direct_share,
           max(u.exposure) AS exposure,
           CASE WHEN bool_or(u.direct) THEN 0 ELSE min(u.tier) END AS tier,
           COALESCE(max(u.unknown_shares), 0) AS unknown_shares
    FROM (SELECT d.country, d.stage, d.supplier, d.direct_share, NULL::double precision AS exposure,
                 NULL::integer AS tier, d.unknown_shares, true AS direct
          FROM direct d
          UNION ALL
          SELECT x.country, x.stage, x.supplier, NULL, x.exposure, x.tier, NULL, false
          FROM exposed x) u
    GROUP BY u.country, u.stage, u.supplier
)
SELECT t.country,
       s.sector,
       s.name AS stage,
       t.supplier,
       t.direct_share,
       round(t.exposure::numeric, 4) AS exposure,
       t.tier,
       t.unknown_shares,
       s.position,
       s.id AS stage_id
FROM terms t
JOIN @extschema@.stage s ON s.id = t.stage;
COMMENT ON VIEW @extschema@.tier_exposure IS
    'per assessed chain, stage and supplier country: direct known share, multi-tier exposure along stage_link (4 decimals), shortest tier, unknown shares';

-- disruption: if supplier cuts loss of its supply, the fraction of each
-- stage's supply lost directly (loss x its known share) and in total
-- (loss x its multi-tier exposure, chain_exposure): linear in loss, and
-- total_loss >= direct_loss.  One row per stage of every chain that has data.
-- The body is a PL/pgSQL function of its own because PL/pgSQL cannot have an
-- argument and a result column of the same name (sector).
CREATE FUNCTION @extschema@.disruption_rows(
    for_supplier text,
    loss_fraction double precision,
    for_sector text,
    for_country text)
RETURNS TABLE (country text, sector text, stage text,
               direct_loss double precision, total_loss double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ex_country text[];
    ex_stage text[];
    ex_exposure double precision[];
BEGIN
    IF for_supplier IS NULL
       OR NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_supplier) THEN
        RAISE EXCEPTION 'unknown supplier country: %', COALESCE(pg_catalog.quote_literal(for_supplier), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.country, e.g. ''CN''.';
    END IF;
    -- NaN sorts above every number, so it fails the second test
    IF loss_fraction IS NULL OR NOT (loss_fraction OPERATOR(pg_catalog.>=) 0::pg_catalog.float8
                                     AND loss_fraction OPERATOR(pg_catalog.<=) 1::pg_catalog.float8) THEN
        RAISE EXCEPTION 'loss must be between 0 and 1, not %', COALESCE(loss_fraction::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'loss is the fraction of its supply that the supplier cuts.';
    END IF;
    IF for_country IS NOT NULL
       AND NOT EXISTS (SELECT FROM @extschema@.country k WHERE k.code OPERATOR(pg_catalog.=) for_country) THEN
        RAISE EXCEPTION 'unknown country: %', pg_catalog.quote_literal(for_country)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.country, e.g. ''US'', or NULL for all.';
    END IF;
    IF for_sector IS NOT NULL
       AND NOT EXISTS (SELECT FROM @extschema@.sector k WHERE k.code OPERATOR(pg_catalog.=) for_sector) THEN
        RAISE EXCEPTION 'unknown sector: %', pg_catalog.quote_literal(for_sector)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a code of supplychain.sector, e.g. ''batteries'', or NULL for all.';
    END IF;

    -- the exposures first, in a statement of their own: on Citus a query that
    -- reads one country's rows runs on its worker, where chain_exposure()
    -- could not read the distributed tables
    SELECT pg_catalog.array_agg(e.country), pg_catalog.array_agg(e.stage_id), pg_catalog.array_agg(e.exposure)
      INTO ex_country, ex_stage, ex_exposure
      FROM @extschema@.chain_exposure(for_supplier, 64, for_country) e;

    RETURN QUERY
    WITH chain AS (
        SELECT d.country AS chain_country, s.sector AS chain_sector
        FROM @extschema@.current_dependency d
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) d.stage
        WHERE for_country IS NULL OR d.country OPERATOR(pg_catalog.=) for_country
        UNION
        SELECT a.country, s.sector
        FROM @extschema@.current_assessment a
        JOIN @extschema@.stage s ON s.id OPERATOR(pg_catalog.=) a.stage
        WHERE for_country IS NULL OR a.country OPERATOR(pg_catalog.=) for_country
    ), direct AS (
        SELECT d.country AS direct_country, d.stage AS direct_stage,
               pg_catalog.max(d.share)::pg_catalog.float8 AS direct_share
        FROM @extschema@.current_dependency d
        WHERE d.kind OPERATOR(pg_catalog.=) 'supply' AND d.share IS NOT NULL
          AND d.supplier OPERATOR(pg_catalog.=) for_supplier
          AND (for_country IS NULL OR d.country OPERATOR(pg_catalog.=) for_country)
        GROUP BY d.country, d.stage
    ), x AS (
        SELECT u.x_country, u.x_stage, u.x_exposure
        FROM ROWS FROM (pg_catalog.unnest(ex_country), pg_catalog.unnest(ex_stage), pg_catalog.unnest(ex_exposure))
             AS u (x_country, x_stage, x_exposure)
    )
    SELECT c.chain_country, s.sector, s.name,
           loss_fraction OPERATOR(pg_catalog.*) COALESCE(di.direct_share, 0::pg_catalog.float8),
           loss_fraction OPERATOR(pg_catalog.*) COALESCE(x.x_exposure, 0::pg_catalog.float8)
    FROM chain c
    JOIN @extschema@.stage s ON s.sector OPERATOR(pg_catalog.=) c.chain_sector
    LEFT JOIN direct di ON di.direct_country OPERATOR(pg_catalog.=) c.chain_country
                       AND di.direct_stage OPERATOR(pg_catalog.=) s.id
    LEFT JOIN x ON x.x_country OPERATOR(pg_catalog.=) c.chain_country
               AND x.x_stage OPERATOR(pg_catalog.=) s.id
    WHERE for_sector IS NULL OR s.sector OPERATOR(pg_catalog.=) for_sector
    ORDER BY c.chain_country, s.sector, s.position;
END
$fn$;
COMMENT ON FUNCTION @extschema@.disruption_rows(text, double precision, text, text) IS
    'internal: the body of disruption(), which documents it';

CREATE FUNCTION @extschema@.disruption(
    supplier text,
    loss double precision DEFAULT 1.0,
    sector text DEFAULT NULL,
    country text DEFAULT NULL)
RETURNS TABLE (country text, sector text, stage text,
               direct_loss double precision, total_loss double precision)
LANGUAGE sql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT r.country, r.sector, r.stage, r.direct_loss, r.total_loss
    FROM @extschema@.disruption_rows($1, $2, $3, $4) r
$fn$;
COMMENT ON FUNCTION @extschema@.disruption(text, double precision, text, text) IS
    'if supplier cuts loss (0..1) of its supply: per stage of each chain (sector NULL: all; country NULL: every depending country), the fraction of supply lost directly (loss x known share) and in total through upstream stages (loss x multi-tier exposure)';

