-- The risk views: current rows, stage, supplier and country risk, policy
-- risk and balance, the weakest stages, and the stage closure.

-- Current rows: the latest as_of of each key, up to the date in the setting
-- supplychain.as_of (unset: no limit; 80_history.sql's *_at(date) functions
-- set it for one call).

CREATE FUNCTION @extschema@.as_of_limit() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE(NULLIF(pg_catalog.current_setting('supplychain.as_of', true), '')::date,
                    'infinity'::date)
$$;
COMMENT ON FUNCTION @extschema@.as_of_limit() IS
    'the date the views evaluate at: setting supplychain.as_of, or infinity when unset';

-- Each reads the latest row of each key off its table's primary key, which
-- leads with the depending country: a backward index scan meets each key's
-- rows newest first, so DISTINCT ON keeps the first without sorting, and a
-- condition on country (or on the key's other columns) is an index condition.
CREATE VIEW @extschema@.current_assessment AS
SELECT DISTINCT ON (a.country, a.stage) a.*,
       a.rating::text AS rating_label, a.rating::integer AS rating_level
FROM @extschema@.assessment a
WHERE a.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY a.country DESC, a.stage DESC, a.as_of DESC;
COMMENT ON VIEW @extschema@.current_assessment IS 'the latest assessment of each (stage, country)';

CREATE VIEW @extschema@.current_dependency AS
SELECT DISTINCT ON (d.country, d.stage, d.kind, d.item, d.supplier) d.*
FROM @extschema@.dependency d
WHERE d.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY d.country DESC, d.stage DESC, d.kind DESC, d.item DESC, d.supplier DESC, d.as_of DESC;
COMMENT ON VIEW @extschema@.current_dependency IS 'the latest row of each dependency (stage, country, supplier, kind, item)';

CREATE VIEW @extschema@.current_policy_impact AS
SELECT DISTINCT ON (i.country, i.policy, i.horizon) i.*,
       i.score::text AS score_label, i.score::integer AS score_value
FROM @extschema@.policy_impact i
WHERE i.as_of <= (SELECT @extschema@.as_of_limit())
ORDER BY i.country DESC, i.policy DESC, i.horizon DESC, i.as_of DESC;
COMMENT ON VIEW @extschema@.current_policy_impact IS 'the latest impact of each (policy, country, horizon)';

-- stage_risk: one row per stage of each assessed chain (country, sector).
-- hhi is the Herfindahl-Hirschman index of the known supply shares of the
-- stage's most concentrated item; risk = weakness(rating) x hhi, NULL when no
-- share is known.
--
-- Each risk view reads the maintained state (42_state.sql) when
-- supplychain.as_of is unset, and computes from the raw rows at a date set
-- (history, and verify_state() at 'infinity'): two branches of a UNION ALL,
-- one of which a one-time filter skips.  A condition on the country reaches
-- the index of either branch.  In the raw branch, supply is NOT MATERIALIZED
-- so that the condition reaches each of its three readers.

CREATE VIEW @extschema@.stage_risk AS
WITH state_chain AS (
    SELECT DISTINCT ss.country, ss.sector
    FROM @extschema@.stage_state ss
    WHERE ss.rating IS NOT NULL
)
SELECT c.country,
       s.sector,
       s.name AS stage,
       s.position,
       ss.rating,
       ss.rating::text AS rating_label,
       ss.rating::integer AS rating_level,
       COALESCE(ss.suppliers, 0)::integer AS suppliers,
       COALESCE(ss.unknown_shares, 0)::integer AS unknown_shares,
       round(ss.hhi::numeric, 4) AS hhi,
       ss.top_supplier,
       ss.top_share,
       round(w.value, 4) AS weakness,
       round(w.value * ss.hhi::numeric, 4) AS risk,
       ss.hhi::numeric > hc.value AS concentrated,
       s.id AS stage_id,
       ss.rated_as_of AS as_of
FROM state_chain c
JOIN @extschema@.stage s ON s.sector = c.sector
LEFT JOIN @extschema@.stage_state ss ON ss.country = c.country AND ss.stage = s.id
LEFT JOIN @extschema@.weight w
       ON w.name = CASE WHEN ss.rating IS NULL THEN 'weakness.unassessed'
                        ELSE 'weakness.' || ss.rating::text END
LEFT JOIN @extschema@.weight hc ON hc.name = 'hhi.concentrated'
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
(WITH chain AS (
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
LEFT JOIN @extschema@.weight hc ON hc.name = 'hhi.concentrated'
WHERE NOT (SELECT @extschema@.state_is_current()));
COMMENT ON VIEW @extschema@.stage_risk IS
    'per stage of each assessed chain: rating, supplier count, HHI of known supply shares, top supplier, risk = weakness x HHI';

-- country_risk: dependency risk of country P on supplier C, per sector and
-- over all sectors (sector NULL):
--   risk = sum over P's stages k and kinds of
--          share(k, C) x weakness(rating(k)) x kind weight x alignment weight(P, C)
-- where share(k, C) is C's largest known share among the stage's items.
-- Dependencies with unknown share are counted (unknown_shares) but add
-- nothing to risk; risk is NULL when no share is known.

CREATE VIEW @extschema@.stage_supplier_risk AS
SELECT t.country,
       t.sector,
       t.stage AS stage_id,
       t.supplier,
       t.dependencies,
       t.unknown_shares,
       t.known_share,
       t.weighted,
       round(t.weighted * wa.value, 4) AS risk
FROM @extschema@.supplier_state t
LEFT JOIN @extschema@.alignment al ON al.country = t.country AND al.partner = t.supplier
LEFT JOIN @extschema@.weight wa ON wa.name = 'alignment.' || COALESCE(al.relation, 'unknown')
WHERE (SELECT @extschema@.state_is_current())
UNION ALL
(WITH per_kind AS (
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
WHERE NOT (SELECT @extschema@.state_is_current())
GROUP BY p.country, p.sector, p.stage, p.supplier, wa.value);
COMMENT ON VIEW @extschema@.stage_supplier_risk IS
    'one stage''s term of country_risk: weighted = sum over kinds of known share x stage weakness x kind weight; risk = weighted x alignment weight';

CREATE VIEW @extschema@.country_risk AS
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
COMMENT ON VIEW @extschema@.country_risk IS
    'dependency risk of country on supplier per sector (sector NULL: all sectors); rank 1 = most risky';

-- policy_risk: per policy and affected country, the short- and long-term
-- impact, their sum (net), the trend (long - short) and the long-term flag.

CREATE VIEW @extschema@.policy_risk AS
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

CREATE VIEW @extschema@.policy_balance AS
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

CREATE VIEW @extschema@.weakest_stage AS
SELECT r.country, r.sector, r.stage, r.position, r.rating, r.rating_label, r.rating_level
FROM (SELECT r.*, min(r.rating_level) OVER (PARTITION BY r.country, r.sector) AS weakest
      FROM @extschema@.stage_risk r) r
WHERE r.rating_level = r.weakest;
COMMENT ON VIEW @extschema@.weakest_stage IS 'the lowest-rated stage(s) of each assessed chain';

-- stage_closure: every stage upstream of each stage, at its shortest
-- distance.  Cycles are allowed (recycling feeds refining feeds ...
-- recycling); the walk ends because no shortest path has more links than
-- there are stages, and UNION never revisits a (stage, upstream, depth).
CREATE VIEW @extschema@.stage_closure AS
WITH RECURSIVE up (stage, upstream, depth) AS (
    SELECT l.downstream, l.upstream, 1 FROM @extschema@.stage_link l
    UNION
    SELECT u.stage, l.upstream, u.depth + 1
    FROM up u JOIN @extschema@.stage_link l ON l.downstream = u.upstream
    WHERE u.depth < (SELECT count(*) FROM @extschema@.stage)
)
SELECT stage, upstream, min(depth)::integer AS depth
FROM up GROUP BY stage, upstream;
COMMENT ON VIEW @extschema@.stage_closure IS
    'every stage upstream of each stage (transitively) and its shortest distance in links; terminates on cycles';
