-- The EU supply-risk indicator on worked examples computed by hand.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- wgi_scaled(w) = 2 x (2.5 - w): the best governed score 0, the worst 10
SELECT w, wgi_scaled(w) FROM unnest('{2.5,1.5,0,-0.5,-2.5}'::float8[]) w;
SELECT wgi_scaled(3);

-- hhi_wgi: China 0.6 of supply, WGI -0.5 (scaled 6.0), trade parameter 1 (NULL = default)
--          Australia 0.4, WGI 1.5 (scaled 2.0), trade parameter 0.8 (trade agreement)
--          0.36 x 6.0 x 1 + 0.16 x 2.0 x 0.8 = 2.16 + 0.256 = 2.416
SELECT round(hhi_wgi(s, wgi_scaled(w), t)::numeric, 6)
FROM (VALUES (0.6::float8, -0.5::float8, NULL::float8), (0.4, 1.5, 0.8)) v(s, w, t);
-- a row with no known share is skipped; a known share without governance score: unknown
SELECT round(hhi_wgi(s, w, t)::numeric, 6)
FROM (VALUES (0.6::float8, 6.0::float8, 1.0::float8), (NULL, 2.0, 1.0)) v(s, w, t);
SELECT hhi_wgi(s, w, t) IS NULL AS unknown
FROM (VALUES (0.6::float8, 6.0::float8, 1.0::float8), (0.4, NULL, 1.0)) v(s, w, t);
SELECT hhi_wgi(s, w, t) FROM (VALUES (1.5::float8, 6.0::float8, 1.0::float8)) v(s, w, t);

-- GS only (EU mix unknown): SR = 2.416 x (1 - 0.1) x 0.9 = 1.95696
SELECT round(eu_supply_risk(2.416, NULL, 0.6, 0.1, 0.9)::numeric, 6) AS gs_only;
-- GS and EU, EU mix China 0.5 (6.0), Australia 0.5 (2.0, t 0.8): HHI_EU = 1.5 + 0.4 = 1.9;
-- IR 0.6: 2.416 x 0.3 + 1.9 x 0.7 = 0.7248 + 1.33 = 2.0548; x 0.9 x 0.9 = 1.664388
SELECT round(eu_supply_risk(2.416, 1.9, 0.6, 0.1, 0.9)::numeric, 6) AS gs_and_eu;
-- unknown inputs give unknown risk; out-of-range inputs are errors
SELECT eu_supply_risk(2.416, 1.9, NULL, 0.1, 0.9) IS NULL AS eu_mix_without_ir,
       eu_supply_risk(NULL, NULL, 0.6, 0.1, 0.9) IS NULL AS no_gs,
       eu_supply_risk(2.416, NULL, NULL, 0.1, 0.9) IS NOT NULL AS gs_only_needs_no_ir;
SELECT eu_supply_risk(2.416, NULL, 0.6, 1.5, 0.9);
SELECT eu_supply_risk(2.416, 1.9, -0.1, 0.1, 0.9);
SELECT eu_supply_risk(-1, NULL, 0.6, 0.1, 0.9);
SELECT eu_supply_risk('Infinity', NULL, 0.6, 0.1, 0.9);

-- The view on a user material: the same figures from tables
INSERT INTO governance (country, year, wgi) VALUES ('CN', 2019, -0.9), ('CN', 2020, -0.5), ('AU', 2020, 1.5);
INSERT INTO material (id, name, import_reliance, eol_rir, substitution, economic_importance)
VALUES ('testium', 'Testium', 0.6, 0.1, 0.9, 3.0), ('otherium', 'Otherium', NULL, 0.1, 0.9, 2.0);
INSERT INTO material_supply (material, scope, country, share, trade_parameter) VALUES
    ('testium', 'global', 'CN', 0.6, NULL), ('testium', 'global', 'AU', 0.4, 0.8),
    ('otherium', 'global', 'CN', 0.6, NULL), ('otherium', 'global', 'AU', 0.4, 0.8);
-- testium GS only: 1.95696 (critical: SR >= 1 and EI 3.0 >= 2.8);
-- otherium: same SR, EI 2.0 < 2.8: not critical
SELECT material, gs_countries, hhi_wgi_gs, hhi_wgi_eu, method, supply_risk, critical
FROM material_risk WHERE material IN ('testium', 'otherium') ORDER BY material;
INSERT INTO material_supply (material, scope, country, share, trade_parameter) VALUES
    ('testium', 'eu', 'CN', 0.5, NULL), ('testium', 'eu', 'AU', 0.5, 0.8);
-- testium GS and EU: 1.664388
SELECT material, hhi_wgi_gs, hhi_wgi_eu, method, supply_risk, critical
FROM material_risk WHERE material = 'testium';
-- the reference materials: named by the brief, no figures, so nothing to compute
SELECT material, sector, method, supply_risk FROM material_risk WHERE material NOT IN ('testium', 'otherium')
ORDER BY sector, material;
DELETE FROM material WHERE id IN ('testium', 'otherium');
DELETE FROM governance WHERE NOT builtin;

-- an EU mix with a country lacking a governance score: the EU index is
-- unknown, so the risk is unknown (not the GS-only figure)
INSERT INTO governance (country, year, wgi) VALUES ('CN', 2020, -0.5), ('AU', 2020, 1.5);
INSERT INTO material (id, name, import_reliance, eol_rir, substitution, economic_importance)
VALUES ('testium', 'Testium', 0.6, 0.1, 0.9, 3.0);
INSERT INTO material_supply (material, scope, country, share) VALUES
    ('testium', 'global', 'CN', 0.6), ('testium', 'global', 'AU', 0.4),
    ('testium', 'eu', 'CN', 0.5), ('testium', 'eu', 'KR', 0.5);
SELECT material, hhi_wgi_gs, hhi_wgi_eu, method, supply_risk, critical FROM material_risk WHERE material = 'testium';
DELETE FROM material WHERE id = 'testium';
DELETE FROM governance WHERE NOT builtin;

-- the maintained state equals its recomputation from the raw rows
SELECT count(*) AS state_differences FROM supplychain.verify_state();
