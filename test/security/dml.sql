-- dml.sql - user DML that fires every trigger of the extension, run under
-- the hostile search_path: inserts (share check), an update and a delete of
-- dependency rows, a changed and a new weight (weight ownership), a change
-- to a shipped row (whatever the extension's rule for those is), and the
-- risk views over the new rows.  Only "no trojan fired" is judged here;
-- security.sh checks the results under a safe search_path.  -v tag=NAME
-- keeps the keys of two runs apart.
\set ON_ERROR_STOP 1
-- keys built by psql, so that no SQL operator is needed to make them
\set sector :tag '-widgets'
\set parts :tag '-widgets.parts'
\set assembly :tag '-widgets.assembly'
\set policy :tag '-policy-1'
\set figure :tag '-figure-1'
\set source :tag '-source'
\set weight :tag '.test'
\set material :tag '-testium'

INSERT INTO supplychain.country (code, name) VALUES ('XA', 'Test land A'), ('XB', 'Test land B')
ON CONFLICT DO NOTHING;
INSERT INTO supplychain.sector (code, name) VALUES (:'sector', 'Widgets');
INSERT INTO supplychain.stage (id, sector, position, name) VALUES
    (:'parts', :'sector', 1, 'Parts'), (:'assembly', :'sector', 2, 'Assembly');
INSERT INTO supplychain.stage_link (upstream, downstream) VALUES (:'parts', :'assembly');
INSERT INTO supplychain.assessment (stage, country, rating, as_of) VALUES
    (:'parts', 'US', 'weak', '2024-01-01'), (:'assembly', 'US', 'satisfactory', '2024-01-01');
INSERT INTO supplychain.alignment (country, partner, relation) VALUES ('US', 'XA', 'partner')
ON CONFLICT DO NOTHING;
INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) VALUES
    (:'parts', 'US', 'XA', 'supply', 'bolts', 0.5, '2024-01-01'),
    (:'parts', 'US', 'XB', 'supply', 'bolts', 0.3, '2024-01-01'),
    (:'parts', 'US', 'CN', 'supply', 'nuts', 0.6, '2024-01-01'),
    (:'parts', 'US', 'XA', 'supply', 'screws', NULL, '2024-01-01'),
    (:'assembly', 'US', 'XB', 'market', 'widgets', 0.25, '2024-01-01');
UPDATE supplychain.dependency SET share = 0.4
WHERE stage = :'parts' AND supplier = 'XB' AND item = 'bolts';
DELETE FROM supplychain.dependency WHERE stage = :'parts' AND item = 'screws';
INSERT INTO supplychain.policy (id, country, sector, number, title) VALUES
    (:'policy', 'US', :'sector', 1, 'Make more widgets');
INSERT INTO supplychain.policy_measure (policy, position, measure) VALUES
    (:'policy', 1, 'Subsidise widget plants');
INSERT INTO supplychain.policy_impact (policy, country, horizon, score, as_of) VALUES
    (:'policy', 'KR', 'short', '☀', '2024-01-01'),
    (:'policy', 'KR', 'long', '☹☹', '2024-01-01');
INSERT INTO supplychain.figure (id, country, sector, metric, value, unit, source) VALUES
    (:'figure', 'US', :'sector', 'widget output', 42, 'units', 'kiet-2021');
INSERT INTO supplychain.source (id, title, publisher) VALUES (:'source', 'Notes', 'Us');

-- weights: a changed value (the row becomes the user's) and a new weight
UPDATE supplychain.weight SET value = value WHERE name = 'hhi.concentrated';
UPDATE supplychain.weight SET value = 0.3 WHERE name = 'hhi.concentrated';
INSERT INTO supplychain.weight (name, value, description) VALUES (:'weight', 1, 'a weight of ours');

-- the EU supply-risk tables: material_risk runs wgi_scaled, hhi_wgi and
-- eu_supply_risk over these rows (security.sh checks the figures)
INSERT INTO supplychain.governance (country, year, wgi) VALUES ('XA', 2022, 0.5), ('XB', 2022, -0.5)
ON CONFLICT DO NOTHING;
INSERT INTO supplychain.material (id, name, sector, import_reliance, eol_rir, substitution, economic_importance)
VALUES (:'material', 'Testium', :'sector', 0.6, 0.1, 0.9, 3.0);
INSERT INTO supplychain.material_supply (material, scope, country, share, trade_parameter) VALUES
    (:'material', 'global', 'XA', 0.6, NULL), (:'material', 'global', 'XB', 0.4, 0.8),
    (:'material', 'eu', 'XA', 0.5, NULL);
UPDATE supplychain.material_supply SET share = 0.7 WHERE material = :'material' AND scope = 'eu';
-- trade data: a product, its stage (the item defaults by trigger), a
-- group (the overlap check), flows (foreign keys, checks), and the load
\set product :tag '-gadget'
INSERT INTO supplychain.product (code, name, classification) VALUES (:'product', 'Gadget', 'test');
INSERT INTO supplychain.product_stage (product, stage) VALUES (:'product', :'assembly');
INSERT INTO supplychain.country_group (group_code, member, since) VALUES ('XA', 'XB', '2000-01-01')
ON CONFLICT DO NOTHING;
-- (the year's partition: the owner makes it; security.sh made it for the writer)
SELECT supplychain.trade_flow_year(2024) IS NOT NULL AS year_2024
WHERE pg_catalog.to_regclass('supplychain.trade_flow_2024') IS NULL;
INSERT INTO supplychain.trade_flow (year, exporter, importer, product, value) VALUES
    (2024, 'XB', 'US', :'product', 100), (2024, 'CN', 'US', :'product', 300), (2024, 'US', 'XB', :'product', 50);
UPDATE supplychain.trade_flow SET value = 200 WHERE product = :'product' AND exporter = 'XB';
SELECT supplychain.load_trade_dependencies(2024, 'US');
SELECT supplychain.load_trade_dependencies(2024, 'XA');

-- the views over the new rows
SELECT stage, rating, suppliers, unknown_shares, hhi, top_supplier, risk, concentrated
FROM supplychain.stage_risk WHERE sector = :'sector' ORDER BY position;
SELECT supplier, relation, known_share, risk, rank
FROM supplychain.country_risk WHERE country = 'US' AND sector = :'sector' ORDER BY rank, supplier;
SELECT * FROM supplychain.policy_risk WHERE sector = :'sector';
SELECT * FROM supplychain.policy_balance WHERE country = 'KR';
SELECT * FROM supplychain.weakest_stage WHERE sector = :'sector';
SELECT * FROM supplychain.stage_closure WHERE stage = :'assembly';
SELECT * FROM supplychain.material_risk WHERE material = :'material';
SELECT * FROM supplychain.tier_exposure WHERE sector = :'sector';
SELECT * FROM supplychain.import_dependency WHERE product = :'product';
SELECT * FROM supplychain.import_partner WHERE importer = 'XA';
-- the functions over them: multi-tier exposure, disruption, heat map, history
SELECT * FROM supplychain.chain_exposure('XA') WHERE stage_id = :'assembly';
SELECT * FROM supplychain.disruption('XA', 0.5, :'sector');
SELECT length(supplychain.heatmap_svg('US', :'sector'));
SELECT * FROM supplychain.stage_risk_at('2024-06-01') WHERE sector = :'sector';
SELECT * FROM supplychain.country_risk_at('2023-12-31') WHERE sector = :'sector';
SELECT * FROM supplychain.policy_risk_at('2024-06-01') WHERE sector = :'sector';
SELECT * FROM supplychain.policy_balance_at('2024-06-01') WHERE country = 'KR';
SET supplychain.as_of = '2023-12-31';
SELECT * FROM supplychain.current_dependency WHERE stage = :'parts';
SELECT * FROM supplychain.current_assessment WHERE stage = :'parts';
SELECT * FROM supplychain.current_policy_impact WHERE policy = :'policy';
RESET supplychain.as_of;

-- shipped rows and TRUNCATE: the outcome is the extension's business (it
-- may refuse them); only the absence of a trojan call is judged
\set ON_ERROR_STOP 0
UPDATE supplychain.country SET name = name WHERE code = 'US';
UPDATE supplychain.dependency SET share = share WHERE builtin;
DELETE FROM supplychain.weight WHERE name = 'kind.talent';
TRUNCATE supplychain.figure;
UPDATE supplychain.material SET name = name WHERE builtin;
TRUNCATE supplychain.material_supply;
\set ON_ERROR_STOP 1
