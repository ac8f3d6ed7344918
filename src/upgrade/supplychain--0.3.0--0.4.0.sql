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

COMMENT ON COLUMN @extschema@.source.id IS 'short readable key, e.g. ''kiet-2021''';
COMMENT ON COLUMN @extschema@.source.title IS 'title of the publication';
COMMENT ON COLUMN @extschema@.source.publisher IS 'who published it';
COMMENT ON COLUMN @extschema@.source.published IS 'publication date; the first day of the month when only the month is known; NULL if unknown';
COMMENT ON COLUMN @extschema@.source.url IS 'where to read it; NULL if none is known';
COMMENT ON COLUMN @extschema@.source.note IS 'free-text note on the source (authors, what it covers); NULL if none';
COMMENT ON COLUMN @extschema@.source.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- country
COMMENT ON COLUMN @extschema@.country.code IS 'two-letter ISO 3166-1 alpha-2 code, capitals; EU = the European Union as a bloc, ZZ = unspecified foreign countries';
COMMENT ON COLUMN @extschema@.country.name IS 'name of the country';
COMMENT ON COLUMN @extschema@.country.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- sector
COMMENT ON COLUMN @extschema@.sector.code IS 'short key, e.g. ''semiconductors'', ''batteries''';
COMMENT ON COLUMN @extschema@.sector.name IS 'name of the industry';
COMMENT ON COLUMN @extschema@.sector.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- stage
COMMENT ON COLUMN @extschema@.stage.id IS 'short readable key, by convention sector.stage, e.g. ''semiconductors.fabrication''';
COMMENT ON COLUMN @extschema@.stage.sector IS 'the sector whose chain the stage belongs to (sector.code)';
COMMENT ON COLUMN @extschema@.stage.position IS 'place of the stage in its sector''s chain order; > 0, unique per sector';
COMMENT ON COLUMN @extschema@.stage.name IS 'name of the stage, e.g. ''Fabrication''';
COMMENT ON COLUMN @extschema@.stage.description IS 'what the stage covers; NULL if not described';
COMMENT ON COLUMN @extschema@.stage.source IS 'source.id of the publication that defines the stage; NULL if none is cited';
COMMENT ON COLUMN @extschema@.stage.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- stage_link
COMMENT ON COLUMN @extschema@.stage_link.upstream IS 'stage.id of the stage that feeds';
COMMENT ON COLUMN @extschema@.stage_link.downstream IS 'stage.id of the stage it feeds';
COMMENT ON COLUMN @extschema@.stage_link.note IS 'free-text note on the link, e.g. the quote it comes from; NULL if none';
COMMENT ON COLUMN @extschema@.stage_link.source IS 'source.id of the publication that gives the link; NULL if none is cited';
COMMENT ON COLUMN @extschema@.stage_link.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- assessment
COMMENT ON COLUMN @extschema@.assessment.stage IS 'stage.id of the rated stage';
COMMENT ON COLUMN @extschema@.assessment.country IS 'the country whose own stage is rated (country.code)';
COMMENT ON COLUMN @extschema@.assessment.rating IS 'stage_rating: very weak < weak < satisfactory (integer 1..3)';
COMMENT ON COLUMN @extschema@.assessment.as_of IS 'date the rating holds from; the latest as_of of each (stage, country) up to supplychain.as_of is current';
COMMENT ON COLUMN @extschema@.assessment.diagnosis IS 'the source''s diagnosis of the stage, as quoted; NULL if none';
COMMENT ON COLUMN @extschema@.assessment.source IS 'source.id of the publication the rating is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.assessment.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- dependency
COMMENT ON COLUMN @extschema@.dependency.stage IS 'stage.id of the stage at which country depends on supplier';
COMMENT ON COLUMN @extschema@.dependency.country IS 'the depending country (country.code)';
COMMENT ON COLUMN @extschema@.dependency.supplier IS 'the country depended on (country.code); never country itself';
COMMENT ON COLUMN @extschema@.dependency.item IS 'what is depended on, free text, e.g. ''chip sales''; the known shares of one (stage, country, kind, item) sum to at most 1';
COMMENT ON COLUMN @extschema@.dependency.as_of IS 'date the row holds from; the latest as_of of each (stage, country, kind, item, supplier) up to supplychain.as_of is current';
COMMENT ON COLUMN @extschema@.dependency.note IS 'free-text note, e.g. the quote the dependency is read from; NULL if none';
COMMENT ON COLUMN @extschema@.dependency.source IS 'source.id of the publication the dependency is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.dependency.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- alignment
COMMENT ON COLUMN @extschema@.alignment.country IS 'the country whose view of partner this is (country.code)';
COMMENT ON COLUMN @extschema@.alignment.partner IS 'the country regarded (country.code); never country itself';
COMMENT ON COLUMN @extschema@.alignment.relation IS 'ally, partner, neutral or concern; the risk views weigh it by the weight alignment.<relation> (a pair without a row: alignment.unknown)';
COMMENT ON COLUMN @extschema@.alignment.note IS 'free-text note, e.g. the treaty or quote behind the relation; NULL if none';
COMMENT ON COLUMN @extschema@.alignment.source IS 'source.id of the publication that gives the relation; NULL if none is cited';
COMMENT ON COLUMN @extschema@.alignment.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- policy
COMMENT ON COLUMN @extschema@.policy.id IS 'short readable key, e.g. ''us-semiconductors-1''';
COMMENT ON COLUMN @extschema@.policy.country IS 'the issuing country (country.code)';
COMMENT ON COLUMN @extschema@.policy.sector IS 'the sector the policy is for (sector.code)';
COMMENT ON COLUMN @extschema@.policy.number IS 'number of the recommendation among the issuer''s for the sector; > 0, unique per (country, sector)';
COMMENT ON COLUMN @extschema@.policy.title IS 'title of the recommendation, as quoted';
COMMENT ON COLUMN @extschema@.policy.agency IS 'the agency in charge, e.g. ''U.S. Department of Commerce''; NULL if none is named';
COMMENT ON COLUMN @extschema@.policy.source IS 'source.id of the publication that gives the policy; NULL if none is cited';
COMMENT ON COLUMN @extschema@.policy.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- policy_measure
COMMENT ON COLUMN @extschema@.policy_measure.policy IS 'policy.id of the policy; its measures are deleted with it';
COMMENT ON COLUMN @extschema@.policy_measure.position IS 'order of the measure within the policy; > 0';
COMMENT ON COLUMN @extschema@.policy_measure.measure IS 'text of the measure, as quoted';
COMMENT ON COLUMN @extschema@.policy_measure.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- policy_impact
COMMENT ON COLUMN @extschema@.policy_impact.policy IS 'policy.id of the policy; its impacts are deleted with it';
COMMENT ON COLUMN @extschema@.policy_impact.country IS 'the affected country, whose industry the policy impacts (country.code)';
COMMENT ON COLUMN @extschema@.policy_impact.horizon IS 'short (short term) or long (mid-to-long term)';
COMMENT ON COLUMN @extschema@.policy_impact.score IS 'impact_score: very negative < negative < neutral < positive < very positive (integer -2..+2)';
COMMENT ON COLUMN @extschema@.policy_impact.as_of IS 'date the score holds from; the latest as_of of each (policy, country, horizon) up to supplychain.as_of is current';
COMMENT ON COLUMN @extschema@.policy_impact.rationale IS 'why the policy has this impact, as quoted; NULL if none';
COMMENT ON COLUMN @extschema@.policy_impact.source IS 'source.id of the publication the score is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.policy_impact.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- figure
COMMENT ON COLUMN @extschema@.figure.id IS 'short readable key, e.g. ''us-fab-capacity-share''';
COMMENT ON COLUMN @extschema@.figure.country IS 'the country the figure is about (country.code); NULL if none';
COMMENT ON COLUMN @extschema@.figure.sector IS 'the sector the figure is about (sector.code); NULL if none';
COMMENT ON COLUMN @extschema@.figure.stage IS 'the stage the figure is about (stage.id); NULL if none';
COMMENT ON COLUMN @extschema@.figure.metric IS 'what is measured, e.g. ''central government subsidy'', ''share of global cell capacity''';
COMMENT ON COLUMN @extschema@.figure.qualifier IS 'about, more than or less than, as quoted; NULL = exact as quoted';
COMMENT ON COLUMN @extschema@.figure.value IS 'the number, in unit';
COMMENT ON COLUMN @extschema@.figure.unit IS 'unit of value, e.g. ''USD'', ''fraction'' (0..1)';
COMMENT ON COLUMN @extschema@.figure.period IS 'period the figure covers, free text, e.g. ''2015-2025'', ''2019''; NULL if none is stated';
COMMENT ON COLUMN @extschema@.figure.note IS 'free-text note, e.g. the quote the figure is read from; NULL if none';
COMMENT ON COLUMN @extschema@.figure.source IS 'source.id of the publication the figure is quoted from; never NULL';
COMMENT ON COLUMN @extschema@.figure.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- weight
COMMENT ON COLUMN @extschema@.weight.name IS 'key; the views read weakness.<rating>, weakness.unassessed, alignment.<relation>, alignment.unknown, kind.<kind>, hhi.concentrated and policy.long_term_risk_below';
COMMENT ON COLUMN @extschema@.weight.value IS 'the value the views use; change it to change the views';
COMMENT ON COLUMN @extschema@.weight.description IS 'what the weight means';
COMMENT ON COLUMN @extschema@.weight.default_value IS 'the shipped value (set value = default_value to go back); NULL for your own weights; a weight that has one cannot be deleted';
COMMENT ON COLUMN @extschema@.weight.builtin IS 'true for a shipped weight never changed; changing its value or description makes it false, a row of yours that pg_dump keeps';

-- share_total
COMMENT ON COLUMN @extschema@.share_total.stage IS 'the dependency key''s stage, as in dependency.stage';
COMMENT ON COLUMN @extschema@.share_total.country IS 'the dependency key''s depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.share_total.kind IS 'the dependency key''s kind, as in dependency.kind';
COMMENT ON COLUMN @extschema@.share_total.item IS 'the dependency key''s item, as in dependency.item';
COMMENT ON COLUMN @extschema@.share_total.total IS 'sum of the known shares of each supplier''s latest row of the key (unknown = 0), 0..1; 0 once the key has no rows; written by the share check, which recomputes it from dependency rather than trust it';

-- material
COMMENT ON COLUMN @extschema@.material.id IS 'short readable key, e.g. ''lithium''';
COMMENT ON COLUMN @extschema@.material.name IS 'name of the material';
COMMENT ON COLUMN @extschema@.material.sector IS 'the sector it serves (sector.code); NULL if none';
COMMENT ON COLUMN @extschema@.material.import_reliance IS 'import reliance IR of the EU, 0..1; used only with an EU sourcing mix; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.eol_rir IS 'end-of-life recycling input rate EOL_RIR, 0..1; the risk is multiplied by 1 - eol_rir; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.substitution IS 'substitution index SI_SR, 0..1; the risk is multiplied by it; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.economic_importance IS 'economic importance EI, >= 0; critical needs at least 2.8; NULL = unknown';
COMMENT ON COLUMN @extschema@.material.note IS 'free-text note, e.g. the quote that names the material; NULL if none';
COMMENT ON COLUMN @extschema@.material.source IS 'source.id of the publication that names the material; NULL if none is cited';
COMMENT ON COLUMN @extschema@.material.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- material_supply
COMMENT ON COLUMN @extschema@.material_supply.material IS 'material.id; its supply rows are deleted with it';
COMMENT ON COLUMN @extschema@.material_supply.scope IS 'global: the global supply mix (GS); eu: the EU sourcing mix (EU)';
COMMENT ON COLUMN @extschema@.material_supply.country IS 'the supplying country (country.code)';
COMMENT ON COLUMN @extschema@.material_supply.share IS 'fraction 0..1 of the mix that comes from country';
COMMENT ON COLUMN @extschema@.material_supply.trade_parameter IS 'trade parameter t, above 0 and at most 10 (above 1 for export restrictions, 0.8 for EU trade-agreement partners); NULL = 1.0';
COMMENT ON COLUMN @extschema@.material_supply.source IS 'source.id of the publication the share is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.material_supply.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- governance
COMMENT ON COLUMN @extschema@.governance.country IS 'the country scored (country.code)';
COMMENT ON COLUMN @extschema@.governance.year IS 'year of the score; material_risk uses each country''s latest year';
COMMENT ON COLUMN @extschema@.governance.wgi IS 'the World Governance Indicator, -2.5..2.5 (higher = better governed), the mean of the six dimensions; wgi_scaled puts it on 0..10';
COMMENT ON COLUMN @extschema@.governance.source IS 'source.id of the publication the score is read from; NULL if none is cited';
COMMENT ON COLUMN @extschema@.governance.builtin IS 'true for shipped reference rows (read-only, left out by pg_dump); false for your own rows';

-- current_assessment
COMMENT ON COLUMN @extschema@.current_assessment.stage IS 'as in assessment.stage';
COMMENT ON COLUMN @extschema@.current_assessment.country IS 'as in assessment.country';
COMMENT ON COLUMN @extschema@.current_assessment.rating IS 'as in assessment.rating: the current rating';
COMMENT ON COLUMN @extschema@.current_assessment.as_of IS 'as in assessment.as_of: the latest of the (stage, country) up to supplychain.as_of';
COMMENT ON COLUMN @extschema@.current_assessment.diagnosis IS 'as in assessment.diagnosis';
COMMENT ON COLUMN @extschema@.current_assessment.basis IS 'as in assessment.basis';
COMMENT ON COLUMN @extschema@.current_assessment.source IS 'as in assessment.source';
COMMENT ON COLUMN @extschema@.current_assessment.builtin IS 'as in assessment.builtin';
COMMENT ON COLUMN @extschema@.current_assessment.rating_label IS 'rating as text: very weak, weak or satisfactory';
COMMENT ON COLUMN @extschema@.current_assessment.rating_level IS 'rating as an integer, 1 (very weak) .. 3 (satisfactory)';

-- current_dependency
COMMENT ON COLUMN @extschema@.current_dependency.stage IS 'as in dependency.stage';
COMMENT ON COLUMN @extschema@.current_dependency.country IS 'as in dependency.country';
COMMENT ON COLUMN @extschema@.current_dependency.supplier IS 'as in dependency.supplier';
COMMENT ON COLUMN @extschema@.current_dependency.kind IS 'as in dependency.kind';
COMMENT ON COLUMN @extschema@.current_dependency.item IS 'as in dependency.item';
COMMENT ON COLUMN @extschema@.current_dependency.share IS 'as in dependency.share: the current share, 0..1; NULL when unknown';
COMMENT ON COLUMN @extschema@.current_dependency.as_of IS 'as in dependency.as_of: the latest of the (stage, country, kind, item, supplier) up to supplychain.as_of';
COMMENT ON COLUMN @extschema@.current_dependency.note IS 'as in dependency.note';
COMMENT ON COLUMN @extschema@.current_dependency.source IS 'as in dependency.source';
COMMENT ON COLUMN @extschema@.current_dependency.builtin IS 'as in dependency.builtin';

-- current_policy_impact
COMMENT ON COLUMN @extschema@.current_policy_impact.policy IS 'as in policy_impact.policy';
COMMENT ON COLUMN @extschema@.current_policy_impact.country IS 'as in policy_impact.country';
COMMENT ON COLUMN @extschema@.current_policy_impact.horizon IS 'as in policy_impact.horizon';
COMMENT ON COLUMN @extschema@.current_policy_impact.score IS 'as in policy_impact.score: the current score';
COMMENT ON COLUMN @extschema@.current_policy_impact.as_of IS 'as in policy_impact.as_of: the latest of the (policy, country, horizon) up to supplychain.as_of';
COMMENT ON COLUMN @extschema@.current_policy_impact.rationale IS 'as in policy_impact.rationale';
COMMENT ON COLUMN @extschema@.current_policy_impact.source IS 'as in policy_impact.source';
COMMENT ON COLUMN @extschema@.current_policy_impact.builtin IS 'as in policy_impact.builtin';
COMMENT ON COLUMN @extschema@.current_policy_impact.score_label IS 'score as text: very negative, negative, neutral, positive or very positive';
COMMENT ON COLUMN @extschema@.current_policy_impact.score_value IS 'score as an integer, -2 (very negative) .. +2 (very positive)';

-- stage_risk
COMMENT ON COLUMN @extschema@.stage_risk.country IS 'the country whose chain it is: one with a current assessment of a stage of the sector';
COMMENT ON COLUMN @extschema@.stage_risk.sector IS 'the chain''s sector, as in stage.sector';
COMMENT ON COLUMN @extschema@.stage_risk.stage IS 'name of the stage, as in stage.name (the key is stage_id)';
COMMENT ON COLUMN @extschema@.stage_risk.position IS 'as in stage.position: place in the chain';
COMMENT ON COLUMN @extschema@.stage_risk.rating IS 'the country''s current rating of the stage; NULL if it has not rated it';
COMMENT ON COLUMN @extschema@.stage_risk.rating_label IS 'rating as text; NULL if not rated';
COMMENT ON COLUMN @extschema@.stage_risk.rating_level IS 'rating as an integer 1..3; NULL if not rated';
COMMENT ON COLUMN @extschema@.stage_risk.suppliers IS 'number of distinct supplier countries of the stage''s current supply dependencies (known share or not); 0 if none';
COMMENT ON COLUMN @extschema@.stage_risk.unknown_shares IS 'number of the stage''s current supply dependencies without a share; 0 if none';
COMMENT ON COLUMN @extschema@.stage_risk.hhi IS 'concentration 0..1: the largest over the stage''s items of the sum of squared known supply shares (hhi()), 4 decimals; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.top_supplier IS 'the supplier with the largest known supply share at the stage (ties: the first by code); NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.top_share IS 'that supplier''s share of its item, 0..1; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.weakness IS 'the weight weakness.<rating>, or weakness.unassessed when not rated (by default 1/3 satisfactory, 2/3 weak, 1 very weak or not rated), 4 decimals';
COMMENT ON COLUMN @extschema@.stage_risk.risk IS 'weakness x hhi (both before rounding), 4 decimals; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.concentrated IS 'hhi above the weight hhi.concentrated (0.25 by default); NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_risk.stage_id IS 'as in stage.id';
COMMENT ON COLUMN @extschema@.stage_risk.as_of IS 'date of the current rating, as in assessment.as_of; NULL if not rated';

-- stage_supplier_risk
COMMENT ON COLUMN @extschema@.stage_supplier_risk.country IS 'the depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.sector IS 'the stage''s sector, as in stage.sector';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.stage_id IS 'as in dependency.stage';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.supplier IS 'as in dependency.supplier';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.dependencies IS 'number of current dependencies of country on supplier at the stage, all kinds and items';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.unknown_shares IS 'how many of them have no share';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.known_share IS 'sum over kinds of supplier''s largest known share among the stage''s items; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.weighted IS 'sum over kinds of that share x the stage''s weakness (weakness.<rating>, or weakness.unassessed when country has not rated it) x the weight kind.<kind>; not rounded; NULL when no share is known';
COMMENT ON COLUMN @extschema@.stage_supplier_risk.risk IS 'weighted x the weight alignment.<relation> (alignment.unknown without an alignment row), 4 decimals; NULL when no share is known';

-- country_risk
COMMENT ON COLUMN @extschema@.country_risk.country IS 'the depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.country_risk.sector IS 'the sector of the stages summed; NULL = all sectors together';
COMMENT ON COLUMN @extschema@.country_risk.supplier IS 'the country depended on, as in dependency.supplier';
COMMENT ON COLUMN @extschema@.country_risk.relation IS 'how country regards supplier, as in alignment.relation; NULL without an alignment row (weighted as alignment.unknown)';
COMMENT ON COLUMN @extschema@.country_risk.stages IS 'number of stages at which country depends on supplier (rows of stage_supplier_risk)';
COMMENT ON COLUMN @extschema@.country_risk.dependencies IS 'number of current dependencies behind them, all kinds and items';
COMMENT ON COLUMN @extschema@.country_risk.unknown_shares IS 'how many of them have no share';
COMMENT ON COLUMN @extschema@.country_risk.known_share IS 'sum of stage_supplier_risk.known_share over the stages (can exceed 1); NULL when no share is known';
COMMENT ON COLUMN @extschema@.country_risk.risk IS 'alignment weight x sum of stage_supplier_risk.weighted over the stages, 4 decimals; NULL when no share of supplier is known';
COMMENT ON COLUMN @extschema@.country_risk.rank IS 'rank of supplier by risk within (country, sector): 1 = most risky; ties share a rank; NULL risks rank last';

-- policy_risk
COMMENT ON COLUMN @extschema@.policy_risk.country IS 'the affected country: one with a current impact of the policy, as in policy_impact.country';
COMMENT ON COLUMN @extschema@.policy_risk.sector IS 'the policy''s sector, as in policy.sector';
COMMENT ON COLUMN @extschema@.policy_risk.policy_no IS 'as in policy.number';
COMMENT ON COLUMN @extschema@.policy_risk.policy IS 'title of the policy, as in policy.title (the key is policy_id)';
COMMENT ON COLUMN @extschema@.policy_risk.short_term IS 'the current short-term impact score; NULL if none is recorded';
COMMENT ON COLUMN @extschema@.policy_risk.long_term IS 'the current long-term impact score; NULL if none is recorded';
COMMENT ON COLUMN @extschema@.policy_risk.short_value IS 'short_term as an integer -2..+2; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.long_value IS 'long_term as an integer -2..+2; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.short_label IS 'short_term as text; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.long_label IS 'long_term as text; NULL if none';
COMMENT ON COLUMN @extschema@.policy_risk.net IS 'short_value + long_value, -4..+4; NULL if either is missing';
COMMENT ON COLUMN @extschema@.policy_risk.trend IS 'long_value - short_value, -4..+4 (> 0: improves over time); NULL if either is missing';
COMMENT ON COLUMN @extschema@.policy_risk.long_term_risk IS 'long_value below the weight policy.long_term_risk_below (0 by default: any negative long-term impact); NULL if no long-term score';
COMMENT ON COLUMN @extschema@.policy_risk.issuer IS 'the issuing country, as in policy.country';
COMMENT ON COLUMN @extschema@.policy_risk.policy_id IS 'as in policy.id';

-- policy_balance
COMMENT ON COLUMN @extschema@.policy_balance.country IS 'the affected country, as in policy_impact.country';
COMMENT ON COLUMN @extschema@.policy_balance.sector IS 'the policies'' sector, as in policy.sector; NULL = all sectors together';
COMMENT ON COLUMN @extschema@.policy_balance.horizon IS 'as in policy_impact.horizon: short or long';
COMMENT ON COLUMN @extschema@.policy_balance.positive IS 'number of current impacts with a score above neutral (positive or very positive)';
COMMENT ON COLUMN @extschema@.policy_balance.neutral IS 'number of current impacts with a neutral score';
COMMENT ON COLUMN @extschema@.policy_balance.negative IS 'number of current impacts with a score below neutral (negative or very negative)';
COMMENT ON COLUMN @extschema@.policy_balance.net IS 'sum of the current scores'' integer values (-2..+2 each), as sum(impact_score)';
COMMENT ON COLUMN @extschema@.policy_balance.mean IS 'their mean, -2..+2, as avg(impact_score), 4 decimals';

-- weakest_stage
COMMENT ON COLUMN @extschema@.weakest_stage.country IS 'as in stage_risk.country';
COMMENT ON COLUMN @extschema@.weakest_stage.sector IS 'as in stage_risk.sector';
COMMENT ON COLUMN @extschema@.weakest_stage.stage IS 'as in stage_risk.stage: name of a stage with the chain''s lowest current rating';
COMMENT ON COLUMN @extschema@.weakest_stage.position IS 'as in stage_risk.position';
COMMENT ON COLUMN @extschema@.weakest_stage.rating IS 'as in stage_risk.rating: the lowest rating among the chain''s rated stages';
COMMENT ON COLUMN @extschema@.weakest_stage.rating_label IS 'as in stage_risk.rating_label';
COMMENT ON COLUMN @extschema@.weakest_stage.rating_level IS 'as in stage_risk.rating_level';

-- stage_closure
COMMENT ON COLUMN @extschema@.stage_closure.stage IS 'stage.id of the downstream stage';
COMMENT ON COLUMN @extschema@.stage_closure.upstream IS 'stage.id of a stage that feeds it, directly or through others along stage_link (a stage on a cycle is upstream of itself)';
COMMENT ON COLUMN @extschema@.stage_closure.depth IS 'links on the shortest path from upstream to stage, >= 1 (1 = a direct stage_link)';

-- tier_exposure
COMMENT ON COLUMN @extschema@.tier_exposure.country IS 'the depending country, as in dependency.country';
COMMENT ON COLUMN @extschema@.tier_exposure.sector IS 'the stage''s sector, as in stage.sector';
COMMENT ON COLUMN @extschema@.tier_exposure.stage IS 'name of the stage, as in stage.name (the key is stage_id)';
COMMENT ON COLUMN @extschema@.tier_exposure.supplier IS 'the supplier country, direct or through upstream stages';
COMMENT ON COLUMN @extschema@.tier_exposure.direct_share IS 'supplier''s largest current known supply share among the stage''s items, 0..1; NULL if it is no direct supplier or its share is unknown';
COMMENT ON COLUMN @extschema@.tier_exposure.exposure IS 'multi-tier exposure 0..1 (chain_exposure): the fraction of the stage''s supply that traces back to supplier through known shares, 4 decimals; NULL when none is known';
COMMENT ON COLUMN @extschema@.tier_exposure.tier IS '0 for a direct supplier of the stage (known share or not), else the number of links to the nearest stage it supplies with a known share';
COMMENT ON COLUMN @extschema@.tier_exposure.unknown_shares IS 'number of the stage''s current supply dependencies on supplier without a share; when > 0, exposure is a lower bound';
COMMENT ON COLUMN @extschema@.tier_exposure.position IS 'as in stage.position: place in the chain';
COMMENT ON COLUMN @extschema@.tier_exposure.stage_id IS 'as in stage.id';

-- material_risk
COMMENT ON COLUMN @extschema@.material_risk.material IS 'as in material.id';
COMMENT ON COLUMN @extschema@.material_risk.name IS 'as in material.name';
COMMENT ON COLUMN @extschema@.material_risk.sector IS 'as in material.sector';
COMMENT ON COLUMN @extschema@.material_risk.gs_countries IS 'number of countries in the global supply mix (material_supply rows of scope global); NULL if none';
COMMENT ON COLUMN @extschema@.material_risk.hhi_wgi_gs IS 'governance-weighted HHI (HHI_WGI) of the global mix: sum of share^2 x wgi_scaled x trade parameter (latest governance year), 4 decimals; NULL if no share, or a share without governance score';
COMMENT ON COLUMN @extschema@.material_risk.hhi_wgi_eu IS 'the same for the EU sourcing mix (scope eu); NULL if no EU share, or a share without governance score';
COMMENT ON COLUMN @extschema@.material_risk.import_reliance IS 'as in material.import_reliance';
COMMENT ON COLUMN @extschema@.material_risk.eol_rir IS 'as in material.eol_rir';
COMMENT ON COLUMN @extschema@.material_risk.substitution IS 'as in material.substitution';
COMMENT ON COLUMN @extschema@.material_risk.economic_importance IS 'as in material.economic_importance';
COMMENT ON COLUMN @extschema@.material_risk.method IS '''GS and EU'' when the material has EU sourcing rows, else ''GS only''';
COMMENT ON COLUMN @extschema@.material_risk.supply_risk IS 'the EU supply risk SR = [hhi_wgi_gs x import_reliance/2 + hhi_wgi_eu x (1 - import_reliance/2)] x (1 - eol_rir) x substitution, GS only hhi_wgi_gs x (1 - eol_rir) x substitution; 4 decimals; NULL where an input is unknown';
COMMENT ON COLUMN @extschema@.material_risk.critical IS 'supply_risk >= 1 and economic_importance >= 2.8; NULL when an unknown input leaves it undecided';

GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;

SET LOCAL supplychain.maintenance = off;
