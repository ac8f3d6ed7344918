-- The risk views: on the reference data (the brief's own tables and
-- conclusions), and on a small user dataset whose figures are computed by
-- hand in the comments.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- Reference data: what was shipped
SELECT 'source' AS tab, count(*) FROM source UNION ALL
SELECT 'country', count(*) FROM country UNION ALL
SELECT 'stage', count(*) FROM stage UNION ALL
SELECT 'stage_link', count(*) FROM stage_link UNION ALL
SELECT 'assessment', count(*) FROM assessment UNION ALL
SELECT 'dependency', count(*) FROM dependency UNION ALL
SELECT 'alignment', count(*) FROM alignment UNION ALL
SELECT 'policy', count(*) FROM policy UNION ALL
SELECT 'policy_measure', count(*) FROM policy_measure UNION ALL
SELECT 'policy_impact', count(*) FROM policy_impact UNION ALL
SELECT 'figure', count(*) FROM figure UNION ALL
SELECT 'weight', count(*) FROM weight;

-- Tables 1 and 3: the US self-assessment, stage by stage
SELECT country, sector, position, stage, rating, rating_label, rating_level, suppliers, unknown_shares,
       hhi, top_supplier, top_share, weakness, risk, concentrated
FROM stage_risk ORDER BY country, sector DESC, position;

-- The weakest stages: fabrication and refining, both very weak
SELECT country, sector, stage, rating FROM weakest_stage ORDER BY sector DESC;

-- Dependency risk: fabrication TW 0.92 x very weak 1 x partner 0.5 = 0.46;
-- EUV tools NL 1.0 x satisfactory 1/3 x ally 0.25 = 0.0833; KR 0.08 x 1 x 0.25 = 0.02;
-- cells CN 0.75 x weak 2/3 x concern 1 = 0.5.  Unknown shares: risk NULL, counted.
SELECT country, sector, supplier, relation, stages, dependencies, unknown_shares, known_share, risk, rank
FROM country_risk ORDER BY country, sector NULLS LAST, rank, supplier;

-- Tables 5 and 6: impact on Korea of each US policy
SELECT country, sector, policy_no, short_term, long_term, short_value, long_value, net, trend, long_term_risk
FROM policy_risk ORDER BY country, sector DESC, policy_no;

-- The headline: short-term positives outweigh negatives (semiconductors +9,
-- batteries +2); mid-to-long term -3 and 0
SELECT country, sector, horizon, positive, neutral, negative, net, mean
FROM policy_balance ORDER BY country, sector DESC NULLS LAST, horizon DESC;

-- The stage graph, cycles included
SELECT stage, upstream, depth FROM stage_closure ORDER BY stage, depth, upstream;

-- Subsidy and capacity figures, each with its source
SELECT id, country, metric, qualifier, value, unit, period, source FROM figure ORDER BY id;

-- A user's own chain: widgets, two stages, four supplier countries
INSERT INTO sector (code, name) VALUES ('widgets', 'Widgets');
INSERT INTO stage (id, sector, position, name) VALUES
    ('widgets.parts', 'widgets', 1, 'Parts'), ('widgets.assembly', 'widgets', 2, 'Assembly');
INSERT INTO stage_link (upstream, downstream) VALUES ('widgets.parts', 'widgets.assembly');
INSERT INTO assessment (stage, country, rating, as_of) VALUES
    ('widgets.parts', 'US', 'weak', '2024-01-01'),
    ('widgets.assembly', 'US', 'Satisfactory', '2024-01-01');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES
    ('widgets.parts', 'US', 'CN', 'supply', 'bolts', 0.5, '2024-01-01'),
    ('widgets.parts', 'US', 'MX', 'supply', 'bolts', 0.3, '2024-01-01'),
    ('widgets.parts', 'US', 'VN', 'supply', 'bolts', NULL, '2024-01-01'),
    ('widgets.parts', 'US', 'DE', 'supply', 'nuts', 0.6, '2024-01-01'),
    ('widgets.assembly', 'US', 'MX', 'supply', 'assembly services', 0.4, '2024-01-01'),
    ('widgets.assembly', 'US', 'CN', 'supply', 'assembly services', 0.2, '2024-01-01');
INSERT INTO alignment (country, partner, relation) VALUES ('US', 'MX', 'partner'), ('US', 'DE', 'ally');

-- parts: HHI(bolts) = 0.5^2 + 0.3^2 = 0.34, HHI(nuts) = 0.6^2 = 0.36, stage HHI = max = 0.36;
--        suppliers CN MX VN DE = 4, one unknown share; top DE 0.6;
--        risk = weak 2/3 x 0.36 = 0.24; concentrated (0.36 > 0.25)
-- assembly: HHI = 0.4^2 + 0.2^2 = 0.20; top MX 0.4; risk = 1/3 x 0.20 = 0.0667; not concentrated
SELECT stage, rating, suppliers, unknown_shares, hhi, top_supplier, top_share, weakness, risk, concentrated
FROM stage_risk WHERE sector = 'widgets' ORDER BY position;

-- CN: parts 0.5 x 2/3 + assembly 0.2 x 1/3 = 0.4, x concern 1   = 0.4000 (rank 1)
-- MX: parts 0.3 x 2/3 + assembly 0.4 x 1/3 = 1/3, x partner 0.5 = 0.1667 (rank 2)
-- DE: parts 0.6 x 2/3 = 0.4, x ally 0.25                          = 0.1000 (rank 3)
-- VN: share unknown: risk NULL, one unknown share                          (rank 4)
SELECT supplier, relation, stages, unknown_shares, known_share, risk, rank
FROM country_risk WHERE country = 'US' AND sector = 'widgets' ORDER BY rank, supplier;

-- the same per stage (stage_supplier_risk), whose sums make country_risk:
-- parts CN 0.5 x 2/3 x 1 = 0.3333, MX 0.3 x 2/3 x 0.5 = 0.1, DE 0.6 x 2/3 x 0.25 = 0.1, VN unknown;
-- assembly CN 0.2 x 1/3 x 1 = 0.0667, MX 0.4 x 1/3 x 0.5 = 0.0667
SELECT stage_id, supplier, dependencies, unknown_shares, known_share, risk
FROM stage_supplier_risk WHERE sector = 'widgets' ORDER BY stage_id DESC, supplier;

-- Weights are data: concern 0.4 makes CN 0.4 x 0.4 = 0.16 < MX 0.1667
BEGIN;
UPDATE weight SET value = 0.4 WHERE name = 'alignment.concern';
SELECT supplier, risk, rank FROM country_risk WHERE country = 'US' AND sector = 'widgets' ORDER BY rank, supplier;
ROLLBACK;

-- The latest as_of wins: parts re-rated very weak in 2025 -> risk 1 x 0.36
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('widgets.parts', 'US', 'very weak', '2025-01-01');
SELECT stage, rating, weakness, risk, as_of FROM stage_risk WHERE sector = 'widgets' ORDER BY position;

-- A user policy: short positive, long very negative -> net -1, trend -3, a long-term risk
INSERT INTO policy (id, country, sector, number, title) VALUES ('us-widgets-1', 'US', 'widgets', 1, 'Onshore widget assembly');
INSERT INTO policy_impact (policy, country, horizon, score, as_of) VALUES
    ('us-widgets-1', 'MX', 'short', '⚙', '2024-01-01'),
    ('us-widgets-1', 'MX', 'long', '☔☔', '2024-01-01');
SELECT country, sector, policy_no, short_term, long_term, net, trend, long_term_risk
FROM policy_risk WHERE sector = 'widgets';
SELECT country, sector, horizon, positive, neutral, negative, net, mean
FROM policy_balance WHERE country = 'MX' ORDER BY sector NULLS LAST, horizon DESC;

-- Clean up the user rows (the suites share one database)
DELETE FROM policy WHERE id = 'us-widgets-1';
DELETE FROM dependency WHERE stage LIKE 'widgets.%';
DELETE FROM assessment WHERE stage LIKE 'widgets.%';
DELETE FROM alignment WHERE partner IN ('MX', 'DE');
DELETE FROM stage_link WHERE upstream LIKE 'widgets.%';
DELETE FROM stage WHERE sector = 'widgets';
DELETE FROM sector WHERE code = 'widgets';
SELECT count(*) AS user_rows_left FROM dependency WHERE NOT builtin;

-- the maintained state equals its recomputation from the raw rows
SELECT count(*) AS state_differences FROM supplychain.verify_state();
