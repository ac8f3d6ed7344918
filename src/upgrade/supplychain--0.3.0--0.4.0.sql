-- supplychain 0.3.0 -> 0.4.0: risk views whose filters on the depending
-- country reach the tables through an index (primary keys that lead with
-- country; no grouping sets; one propagation per country), as_of defaults
-- to today, reference texts in ASCII and symbols in the database's encoding.
-- Frozen once released: a later change is a new version with a new script.

\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.4.0'" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;
SET LOCAL supplychain.maintenance = on;

-- Dated rows default to today.
ALTER TABLE @extschema@.assessment ALTER COLUMN as_of SET DEFAULT CURRENT_DATE;
ALTER TABLE @extschema@.dependency ALTER COLUMN as_of SET DEFAULT CURRENT_DATE;
ALTER TABLE @extschema@.policy_impact ALTER COLUMN as_of SET DEFAULT CURRENT_DATE;

-- Primary keys that lead with the depending country.
ALTER TABLE @extschema@.assessment DROP CONSTRAINT assessment_pkey,
    ADD CONSTRAINT assessment_pkey PRIMARY KEY (country, stage, as_of);
ALTER TABLE @extschema@.dependency DROP CONSTRAINT dependency_pkey,
    ADD CONSTRAINT dependency_pkey PRIMARY KEY (country, stage, kind, item, supplier, as_of);
ALTER TABLE @extschema@.policy_impact DROP CONSTRAINT policy_impact_pkey,
    ADD CONSTRAINT policy_impact_pkey PRIMARY KEY (country, policy, horizon, as_of);

-- Shipped texts in ASCII: the brief's typographic quotes, arrows and circled
-- numbers as the 0.3.0 scripts stored them (UTF-8 bytes, read in the
-- database's encoding) become ", ', -> and (N), as 50_reference.sql now
-- writes them.
DO $$
DECLARE
    fixes constant text[] := ARRAY['e28099', '''', 'e2809c', '"', 'e2809d', '"',
                                   'e28692', '->', 'e291a6', '(7)', 'e291a1', '(2)'];
    col record;
    expr text;
    i integer;
BEGIN
    FOR col IN
        SELECT c.oid::regclass AS tbl, a.attname
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind = 'r'
          AND a.atttypid = 'text'::regtype
          AND EXISTS (SELECT FROM pg_catalog.pg_attribute b
                      WHERE b.attrelid = c.oid AND b.attname = 'builtin' AND NOT b.attisdropped)
        ORDER BY 1, 2
    LOOP
        expr := pg_catalog.quote_ident(col.attname);
        FOR i IN 1 .. pg_catalog.array_length(fixes, 1) BY 2 LOOP
            expr := pg_catalog.format('pg_catalog.replace(%s, pg_catalog.convert_from(%L::bytea, pg_catalog.getdatabaseencoding()), %L)',
                                      expr, '\x' || fixes[i], fixes[i + 1]);
        END LOOP;
        EXECUTE pg_catalog.format('UPDATE %s SET %I = %s WHERE builtin AND %I IS DISTINCT FROM %s',
                                  col.tbl, col.attname, expr, col.attname, expr);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.symbol(@extschema@.impact_score, text) IS
    'the score as the brief draws it: legend ''gear'' (umbrellas, cloud, gears) or ''sun'' (frowning faces, cloud, suns); UTF-8 symbols, converted to the database encoding (an error where it has none)';

-- The views keep their columns and are replaced in place (user views on
-- them survive the update); chain_exposure, disruption_rows and disruption
-- gain a country argument: the new functions are created beside the old
-- ones, tier_exposure is pointed at the new chain_exposure, and the old
-- signatures are dropped.  The *_at functions return the same row types
-- and are unchanged.
-- Each reads the latest row of each key off its table's primary key, which
-- leads with the depending country: a backward index scan meets each key's
-- rows newest first, so DISTINCT ON keeps the first without sorting, and a
-- condition on country (or on the key's other columns) is an index condition.
CREATE OR REPLACE VIEW @extschema@.current_assessment AS
SELECT DISTINCT ON (a.country, a.stage) a.*,
       a.rating::text AS rating_label, a.rating::integer AS rating_level
FROM @extschema@.assessment a
WHERE a.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY a.country DESC, a.stage DESC, a.as_of DESC;
COMMENT ON VIEW @extschema@.current_assessment IS 'the latest assessment of each (stage, country)';

CREATE OR REPLACE VIEW @extschema@.current_dependency AS
SELECT DISTINCT ON (d.country, d.stage, d.kind, d.item, d.supplier) d.*
FROM @extschema@.dependency d
WHERE d.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY d.country DESC, d.stage DESC, d.kind DESC, d.item DESC, d.supplier DESC, d.as_of DESC;
COMMENT ON VIEW @extschema@.current_dependency IS 'the latest row of each dependency (stage, country, supplier, kind, item)';

CREATE OR REPLACE VIEW @extschema@.current_policy_impact AS
SELECT DISTINCT ON (i.country, i.policy, i.horizon) i.*,
       i.score::text AS score_label, i.score::integer AS score_value
FROM @extschema@.policy_impact i
WHERE i.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY i.country DESC, i.policy DESC, i.horizon DESC, i.as_of DESC;
COMMENT ON VIEW @extschema@.current_policy_impact IS 'the latest impact of each (policy, country, horizon)';

-- stage_risk: one row per stage of each assessed chain (country, sector).
-- hhi is the Herfindahl-Hirschman index of the known supply shares of the
-- stage's most concentrated item; risk = weakness(rating) x hhi, NULL when no
-- share is known.  supply is NOT MATERIALIZED so that a condition on the
-- country reaches each of its three readers (and the index) rather than
-- stopping at a materialized CTE.

CREATE OR REPLACE VIEW @extschema@.stage_risk AS
WITH chain AS (
    SELECT DISTINCT a.country, s.sector
    FROM @extschema@.current_assessment a
    JOIN @extschema@.stage s ON s.id = a.stage
), supply AS NOT MATERIALIZED (
    SELECT d.stage, d.country, d.supplier, d.item, d.share
    FROM @extschema@.current_dependency d
    WHERE d.kind = 'supply'
), item_hhi AS (
    SELECT stage, country, item, @extschema@.hhi(share) AS hhi
    FROM supply GROUP BY stage, country, item
), stage_hhi AS (
    SELECT stage, country, max(hhi) AS hhi
    FROM item_hhi GROUP BY stage, country
), counts AS (
    SELECT stage, country, count(DISTINCT supplier) AS suppliers,
           count(*) FILTER (WHERE share IS NULL) AS unknown_shares
    FROM supply GROUP BY stage, country
), top AS (
    SELECT DISTINCT ON (stage, country) stage, country, supplier, share
    FROM supply WHERE share IS NOT NULL
    ORDER BY stage, country, share DESC, supplier
)
SELECT c.country,
       s.sector,
       s.name AS stage,
       s.position,
       a.rating,
       a.rating::text AS rating_label,
       a.rating::integer AS rating_level,
       COALESCE(n.suppliers, 0)::integer AS suppliers,
       COALESCE(n.unknown_shares, 0)::integer AS unknown_shares,
       round(h.hhi::numeric, 4) AS hhi,
       t.supplier AS top_supplier,
       t.share AS top_share,
       round(w.value, 4) AS weakness,
       round(w.value * h.hhi::numeric, 4) AS risk,
       h.hhi::numeric > hc.value AS concentrated,
       s.id AS stage_id,
       a.as_of
FROM chain c
JOIN @extschema@.stage s ON s.sector = c.sector
LEFT JOIN @extschema@.current_assessment a ON a.stage = s.id AND a.country = c.country
LEFT JOIN counts n ON n.stage = s.id AND n.country = c.country
LEFT JOIN stage_hhi h ON h.stage = s.id AND h.country = c.country
LEFT JOIN top t ON t.stage = s.id AND t.country = c.country
LEFT JOIN @extschema@.weight w
       ON w.name = CASE WHEN a.rating IS NULL THEN 'weakness.unassessed'
                        ELSE 'weakness.' || a.rating::text END
LEFT JOIN @extschema@.weight hc ON hc.name = 'hhi.concentrated';
COMMENT ON VIEW @extschema@.stage_risk IS
    'per stage of each assessed chain: rating, supplier count, HHI of known supply shares, top supplier, risk = weakness x HHI';

-- country_risk: dependency risk of country P on supplier C, per sector and
-- over all sectors (sector NULL):
--   risk = sum over P's stages k and kinds of
--          share(k, C) x weakness(rating(k)) x kind weight x alignment weight(P, C)
-- where share(k, C) is C's largest known share among the stage's items.
-- Dependencies with unknown share are counted (unknown_shares) but add
-- nothing to risk; risk is NULL when no share is known.

CREATE OR REPLACE VIEW @extschema@.stage_supplier_risk AS
WITH per_kind AS (
    SELECT d.country, s.sector, d.supplier, d.stage, d.kind,
           max(d.share) AS share,
           count(*) AS dependencies,
           count(*) FILTER (WHERE d.share IS NULL) AS unknown_shares
    FROM @extschema@.current_dependency d
    JOIN @extschema@.stage s ON s.id = d.stage
    GROUP BY d.country, s.sector, d.supplier, d.stage, d.kind
)
SELECT p.country,
       p.sector,
       p.stage AS stage_id,
       p.supplier,
       sum(p.dependencies)::integer AS dependencies,
       sum(p.unknown_shares)::integer AS unknown_shares,
       sum(p.share) AS known_share,
       sum(p.share * wr.value * wk.value) AS weighted,
       round(sum(p.share * wr.value * wk.value) * wa.value, 4) AS risk
FROM per_kind p
LEFT JOIN @extschema@.current_assessment a ON a.stage = p.stage AND a.country = p.country
LEFT JOIN @extschema@.weight wr
       ON wr.name = CASE WHEN a.rating IS NULL THEN 'weakness.unassessed'
                         ELSE 'weakness.' || a.rating::text END
LEFT JOIN @extschema@.weight wk ON wk.name = 'kind.' || p.kind
LEFT JOIN @extschema@.alignment al ON al.country = p.country AND al.partner = p.supplier
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown')
GROUP BY p.country, p.sector, p.stage, p.supplier, wa.value;
COMMENT ON VIEW @extschema@.stage_supplier_risk IS
    'one stage''s term of country_risk: weighted = sum over kinds of known share x stage weakness x kind weight; risk = weighted x alignment weight';

CREATE OR REPLACE VIEW @extschema@.country_risk AS
WITH summed AS (
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
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown');
COMMENT ON VIEW @extschema@.country_risk IS
    'dependency risk of country on supplier per sector (sector NULL: all sectors); rank 1 = most risky';

-- policy_risk: per policy and affected country, the short- and long-term
-- impact, their sum (net), the trend (long - short) and the long-term flag.

CREATE OR REPLACE VIEW @extschema@.policy_risk AS
WITH affected AS (
    SELECT DISTINCT policy, country FROM @extschema@.current_policy_impact
)
SELECT f.country,
       p.sector,
       p.number AS policy_no,
       p.title AS policy,
       st.score AS short_term,
       lt.score AS long_term,
       st.score::integer AS short_value,
       lt.score::integer AS long_value,
       st.score::text AS short_label,
       lt.score::text AS long_label,
       st.score::integer + lt.score::integer AS net,
       lt.score::integer - st.score::integer AS trend,
       lt.score::integer < w.value AS long_term_risk,
       p.country AS issuer,
       p.id AS policy_id
FROM affected f
JOIN @extschema@.policy p ON p.id = f.policy
LEFT JOIN @extschema@.current_policy_impact st
       ON st.policy = f.policy AND st.country = f.country AND st.horizon = 'short'
LEFT JOIN @extschema@.current_policy_impact lt
       ON lt.policy = f.policy AND lt.country = f.country AND lt.horizon = 'long'
LEFT JOIN @extschema@.weight w ON w.name = 'policy.long_term_risk_below';
COMMENT ON VIEW @extschema@.policy_risk IS
    'per policy and affected country: short and long-term impact, net = short + long, trend = long - short, long_term_risk';

-- policy_balance: per affected country, sector (NULL: all sectors) and
-- horizon, how many policies help, are neutral or hurt, and their sum.

CREATE OR REPLACE VIEW @extschema@.policy_balance AS
SELECT i.country,
       g.sector,
       i.horizon,
       count(*) FILTER (WHERE i.score::integer > 0)::integer AS positive,
       count(*) FILTER (WHERE i.score::integer = 0)::integer AS neutral,
       count(*) FILTER (WHERE i.score::integer < 0)::integer AS negative,
       @extschema@.sum(i.score) AS net,
       round(@extschema@.avg(i.score), 4) AS mean
FROM @extschema@.current_policy_impact i
JOIN @extschema@.policy p ON p.id = i.policy
-- each impact counts for its sector and for all sectors (NULL), in one aggregation
CROSS JOIN LATERAL (VALUES (p.sector), (NULL)) g (sector)
GROUP BY i.country, g.sector, i.horizon;
COMMENT ON VIEW @extschema@.policy_balance IS
    'per affected country, sector (NULL: all) and horizon: counts of positive, neutral and negative impacts, their sum and mean';

-- weakest_stage: the lowest-rated stages of each assessed chain.

CREATE OR REPLACE VIEW @extschema@.weakest_stage AS
SELECT r.country, r.sector, r.stage, r.position, r.rating, r.rating_label, r.rating_level
FROM (SELECT r.*, min(r.rating_level) OVER (PARTITION BY r.country, r.sector) AS weakest
      FROM @extschema@.stage_risk r) r
WHERE r.rating_level = r.weakest;
COMMENT ON VIEW @extschema@.weakest_stage IS 'the lowest-rated stage(s) of each assessed chain';

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
BEGIN
    IF for_supplier IS NOT NULL THEN
        origins_sql := origins_sql
            || pg_catalog.format(' WHERE o.supplier OPERATOR(pg_catalog.=) %L', for_supplier);
    END IF;
    RETURN QUERY
        SELECT pg_catalog.left(p.node, 2), pg_catalog.substr(p.node, 3), p.country, p.exposure, p.tier
        FROM @extschema@.propagate_exposure(edges_sql, origins_sql, COALESCE(max_tiers, 64)) p;
END
$fn$;
COMMENT ON FUNCTION @extschema@.chain_exposure(text, integer, text) IS
    'propagate_exposure on the schema''s data: per depending country (for_country NULL: all), stage and supplier country (for_supplier NULL: all), the multi-tier exposure from known supply shares along stage_link';

-- tier_exposure: the multi-tier exposure of each assessed chain (the US
-- chains of the reference data) per supplier country, beside the direct
-- share.  exposure counts known shares only; unknown_shares > 0 marks a
-- direct dependency without a figure, so exposure is then a lower bound
-- (NULL when nothing is known).  tier 0 = a direct supplier of the stage.
CREATE OR REPLACE VIEW @extschema@.tier_exposure AS
WITH chain AS (
    -- the depending countries with data, one propagation each: the graphs of
    -- two countries share no node, and a condition on country then runs only
    -- that country's propagation, on rows read through the index
    SELECT d.country FROM @extschema@.current_dependency d
    UNION
    SELECT a.country FROM @extschema@.current_assessment a
)
SELECT c.country,
       s.sector,
       s.name AS stage,
       t.supplier,
       t.direct_share,
       round(t.exposure::numeric, 4) AS exposure,
       t.tier,
       t.unknown_shares,
       s.position,
       s.id AS stage_id
FROM chain c
CROSS JOIN LATERAL (
    SELECT COALESCE(x.stage_id, d.stage) AS stage_id,
           COALESCE(x.supplier, d.supplier) AS supplier,
           d.direct_share,
           x.exposure,
           CASE WHEN d.stage IS NOT NULL THEN 0 ELSE x.tier END AS tier,
           COALESCE(d.unknown_shares, 0) AS unknown_shares
    FROM (SELECT e.stage_id, e.supplier, e.exposure, e.tier
          FROM @extschema@.chain_exposure(NULL, 64, c.country) e) x
    FULL JOIN (SELECT d.stage, d.supplier,
                      max(d.share) AS direct_share,
                      count(*) FILTER (WHERE d.share IS NULL)::integer AS unknown_shares
               FROM @extschema@.current_dependency d
               WHERE d.kind = 'supply' AND d.country = c.country
               GROUP BY d.stage, d.supplier) d
           ON d.stage = x.stage_id AND d.supplier = x.supplier
) t
JOIN @extschema@.stage s ON s.id = t.stage_id;
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
        SELECT e.country AS x_country, e.stage_id AS x_stage, e.exposure AS x_exposure
        FROM @extschema@.chain_exposure(for_supplier, 64, for_country) e
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

DROP FUNCTION @extschema@.disruption(text, double precision, text);
DROP FUNCTION @extschema@.disruption_rows(text, double precision, text);
DROP FUNCTION @extschema@.chain_exposure(text, integer);

GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;

SET LOCAL supplychain.maintenance = off;
