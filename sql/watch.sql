-- watch.sql - early warning: rules, alerts raised and cleared by the writes
-- that move a measure (values computed by hand), rolled-back writes, scoped
-- rules, weights moving many subjects at once, trade flows and a year's load,
-- changes() from the history, persistence.  Every stage that writes ends by
-- comparing the open alerts with their recomputation (watch_verify()) and the
-- state with its own (verify_state()).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- the proof: 'ok', or what differs
CREATE FUNCTION pg_temp.proof() RETURNS text
LANGUAGE sql AS $$
    SELECT COALESCE((SELECT string_agg(format('%s %s open=%s meets=%s', watch, subject, alert_open, meets), '; ')
                     FROM supplychain.watch_verify()), 'ok')
        || COALESCE((SELECT ' state: ' || string_agg(DISTINCT object, ', ') FROM supplychain.verify_state()), '')
$$;
-- the alerts of a rule, oldest first
CREATE FUNCTION pg_temp.alerts(rule text)
RETURNS TABLE (subject jsonb, value_before numeric, value_after numeric, open boolean, value_cleared numeric)
LANGUAGE sql AS $$
    SELECT subject, value_before, value_after, cleared_at IS NULL, value_cleared
    FROM supplychain.alert WHERE watch = rule ORDER BY raised_at, subject::text, cleared_at NULLS LAST
$$;
CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

---------------------------------------------------------------------------
-- The shipped rules: cited, disabled
---------------------------------------------------------------------------
SELECT w.name, w.measure, w.importer, w.comparison, w.threshold, w.enabled, w.builtin, s.publisher
FROM watch w JOIN source s ON s.id = w.source ORDER BY w.name;
SELECT count(*) AS alerts FROM alert;

-- bad rules
SELECT pg_temp.try($$INSERT INTO watch (name, measure, threshold) VALUES ('x', 'country_risk.hhi', 1)$$) AS unknown_measure;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, comparison, threshold) VALUES ('x', 'country_risk.risk', '=>', 1)$$) AS bad_comparison;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, threshold) VALUES ('x', 'country_risk.risk', NULL)$$) AS no_threshold;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, product, threshold) VALUES ('x', 'country_risk.risk', '850760', 1)$$) AS product_scope_of_risk;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, country, threshold) VALUES ('x', 'import_dependency.hhi', 'KR', 1)$$) AS country_scope_of_trade;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, supplier, threshold) VALUES ('x', 'stage_risk.hhi', 'CN', 1)$$) AS supplier_scope_of_stage;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, importer, threshold) VALUES ('x', 'import_dependency.hhi', 'Q!', 1)$$) AS unknown_importer;
SELECT pg_temp.try($$INSERT INTO watch (name, measure, product, threshold) VALUES ('x', 'import_dependency.hhi', 'nope', 1)$$) AS unknown_product;
SELECT pg_temp.try($$DELETE FROM watch WHERE name = 'eu-strategic-dependency'$$) AS delete_shipped;
SELECT pg_temp.try($$UPDATE watch SET name = 'mine' WHERE name = 'eu-strategic-dependency'$$) AS rename_shipped;
SELECT pg_temp.try($$SELECT acknowledge('00000000-0000-0000-0000-000000000000')$$) AS acknowledge_unknown;
SELECT pg_temp.try($$SELECT acknowledge('not an id')$$) AS acknowledge_not_an_id;

---------------------------------------------------------------------------
-- country_risk.risk by hand.  KR has no alignment with CN (unknown: 0.75),
-- batteries.cells is not assessed (weakness 1), kind supply weighs 1: KR's
-- risk on CN in batteries is the share x 0.75.
---------------------------------------------------------------------------
INSERT INTO watch (name, measure, country, sector, comparison, threshold, enabled, note)
VALUES ('kr-batteries', 'country_risk.risk', 'KR', 'batteries', '>', 0.5, true, 'KR''s battery risk above 0.5');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('batteries.cells', 'KR', 'CN', 'supply', 'cathode', 0.6, '2024-01-01');
-- 0.6 x 0.75 = 0.45: below
SELECT * FROM pg_temp.alerts('kr-batteries');
-- up: 0.8 x 0.75 = 0.6, raised at the writing transaction's time
BEGIN;
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('batteries.cells', 'KR', 'CN', 'supply', 'cathode', 0.8, '2024-06-01');
SELECT watch, measure, country, sector, supplier, comparison, threshold, value_before, value_after,
       raised_at = now() AS raised_now, acknowledged_at FROM open_alert;
COMMIT;
SELECT * FROM pg_temp.alerts('kr-batteries');
SELECT pg_temp.proof();
-- a write that leaves it above changes nothing: 0.7 x 0.75 = 0.525
UPDATE dependency SET share = 0.7 WHERE country = 'KR' AND item = 'cathode' AND as_of = '2024-06-01';
SELECT * FROM pg_temp.alerts('kr-batteries');
-- down: 0.6 x 0.75 = 0.45
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('batteries.cells', 'KR', 'CN', 'supply', 'cathode', 0.6, '2025-01-01');
SELECT * FROM pg_temp.alerts('kr-batteries');
SELECT pg_temp.proof();
-- up again: a second alert, the first stays cleared: 0.9 x 0.75 = 0.675
UPDATE dependency SET share = 0.9 WHERE country = 'KR' AND item = 'cathode' AND as_of = '2025-01-01';
SELECT * FROM pg_temp.alerts('kr-batteries');
SELECT pg_temp.proof();

-- a rolled-back write leaves no trace: it cleared the alert inside
-- (0.2 x 0.75 = 0.15)
BEGIN;
UPDATE dependency SET share = 0.2 WHERE country = 'KR' AND item = 'cathode' AND as_of = '2025-01-01';
SELECT * FROM pg_temp.alerts('kr-batteries');
ROLLBACK;
SELECT * FROM pg_temp.alerts('kr-batteries');
SELECT pg_temp.proof();

-- a savepoint rolled back too
BEGIN;
SAVEPOINT s;
UPDATE dependency SET share = 0.1 WHERE country = 'KR' AND item = 'cathode' AND as_of = '2025-01-01';
ROLLBACK TO SAVEPOINT s;
COMMIT;
SELECT count(*) FILTER (WHERE cleared_at IS NULL) AS open, count(*) AS alerts FROM alert WHERE watch = 'kr-batteries';

-- the scope: another country's risk above 0.5 raises nothing for the KR
-- rule (JP on CN: 0.9 x 0.75 = 0.675)
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('batteries.cells', 'JP', 'CN', 'supply', 'cathode', 0.9, '2025-01-01');
SELECT count(*) AS kr_alerts FROM alert WHERE watch = 'kr-batteries';
-- ... and an unscoped rule has both, with the all-sectors rows
INSERT INTO watch (name, measure, comparison, threshold, enabled) VALUES ('any-risk', 'country_risk.risk', '>', 0.5, true);
SELECT subject, value_before, value_after FROM alert WHERE watch = 'any-risk' ORDER BY subject::text;
SELECT pg_temp.proof();

---------------------------------------------------------------------------
-- One weight change moves many subjects at once: alignment.unknown 0.75 ->
-- 0.5 puts KR's and JP's risk on CN at 0.45 (all four rows clear), then 1
-- puts it at 0.9 (four new alerts)
---------------------------------------------------------------------------
UPDATE weight SET value = 0.5 WHERE name = 'alignment.unknown';
SELECT subject, value_cleared FROM alert WHERE watch = 'any-risk' AND cleared_at IS NOT NULL ORDER BY subject::text;
SELECT count(*) AS open FROM alert WHERE cleared_at IS NULL AND watch IN ('any-risk', 'kr-batteries');
SELECT pg_temp.proof();
UPDATE weight SET value = 1 WHERE name = 'alignment.unknown';
SELECT subject, value_before, value_after FROM alert WHERE watch = 'any-risk' AND cleared_at IS NULL ORDER BY subject::text;
SELECT pg_temp.proof();
UPDATE weight SET value = 0.75 WHERE name = 'alignment.unknown';
SELECT pg_temp.proof();

---------------------------------------------------------------------------
-- A rule changed, disabled, enabled, deleted
---------------------------------------------------------------------------
-- a higher threshold: 0.675 is not above 0.7, the rule's alerts clear
UPDATE watch SET threshold = 0.7 WHERE name = 'any-risk';
SELECT count(*) FILTER (WHERE cleared_at IS NULL) AS open FROM alert WHERE watch = 'any-risk';
UPDATE watch SET threshold = 0.5 WHERE name = 'any-risk';
SELECT count(*) FILTER (WHERE cleared_at IS NULL) AS open FROM alert WHERE watch = 'any-risk';
UPDATE watch SET enabled = false WHERE name = 'any-risk';
SELECT count(*) FILTER (WHERE cleared_at IS NULL) AS open FROM alert WHERE watch = 'any-risk';
SELECT pg_temp.proof();
DELETE FROM watch WHERE name = 'any-risk';
SELECT count(*) AS alerts FROM alert WHERE watch = 'any-risk';

-- acknowledge: once; the alert stays open
SELECT acknowledge(id, 'seen by procurement') AS first, acknowledge(id) AS again
FROM alert WHERE watch = 'kr-batteries' AND cleared_at IS NULL;
SELECT watch, acknowledged_by = current_user AS by_me, note FROM open_alert WHERE watch = 'kr-batteries';
-- by open_alert's id (text)
SELECT acknowledge(id) AS through_open_alert FROM open_alert WHERE watch = 'kr-batteries';

---------------------------------------------------------------------------
-- stage_risk: KR's batteries.cells has one known share, CN's 0.9: HHI
-- 0.81; assessing the stage weak puts its risk at 0.6667 x 0.81 = 0.54 (it
-- had no risk: the chain was not assessed)
---------------------------------------------------------------------------
INSERT INTO watch (name, measure, country, comparison, threshold, enabled)
VALUES ('kr-stage-risk', 'stage_risk.risk', 'KR', '>=', 0.5, true);
SELECT count(*) AS alerts FROM alert WHERE watch = 'kr-stage-risk';
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('batteries.cells', 'KR', 'weak', '2025-01-01');
SELECT * FROM pg_temp.alerts('kr-stage-risk');
-- satisfactory: 0.3333 x 0.81 = 0.27
UPDATE assessment SET rating = 'satisfactory' WHERE country = 'KR' AND stage = 'batteries.cells';
SELECT * FROM pg_temp.alerts('kr-stage-risk');
-- the weakness weight of satisfactory at 0.7: 0.567 (no value before: a
-- weight moved it)
UPDATE weight SET value = 0.7 WHERE name = 'weakness.satisfactory';
SELECT * FROM pg_temp.alerts('kr-stage-risk');
SELECT pg_temp.proof();
UPDATE weight SET value = default_value WHERE name = 'weakness.satisfactory';
SELECT pg_temp.proof();

---------------------------------------------------------------------------
-- policy_risk.long_value: a later long-term score of a policy for KR
---------------------------------------------------------------------------
INSERT INTO watch (name, measure, country, comparison, threshold, enabled)
VALUES ('kr-policy-hurts', 'policy_risk.long_value', 'KR', '<', -1, true);
SELECT count(*) AS alerts FROM alert WHERE watch = 'kr-policy-hurts';
-- us-semiconductors-3's long term: negative (-1), then very negative (-2)
INSERT INTO policy_impact (policy, country, horizon, score, as_of)
VALUES ('us-semiconductors-3', 'KR', 'long', 'very negative', '2030-01-01');
SELECT * FROM pg_temp.alerts('kr-policy-hurts');
DELETE FROM policy_impact WHERE policy = 'us-semiconductors-3' AND country = 'KR' AND as_of = '2030-01-01';
SELECT * FROM pg_temp.alerts('kr-policy-hurts');
SELECT pg_temp.proof();
-- a policy of one's own that hurts (-2), then deleted: its impacts go
-- with it (a cascade), and so does its alert
INSERT INTO policy (id, country, sector, number, title) VALUES ('kr-test-1', 'CN', 'batteries', 1, 'An export licence');
INSERT INTO policy_impact (policy, country, horizon, score, as_of) VALUES ('kr-test-1', 'KR', 'long', 'very negative', '2025-01-01');
SELECT subject, value_after, cleared_at IS NULL AS open FROM alert WHERE watch = 'kr-policy-hurts' AND subject ->> 'policy' = 'kr-test-1';
DELETE FROM policy WHERE id = 'kr-test-1';
SELECT subject, value_after, cleared_at IS NULL AS open FROM alert WHERE watch = 'kr-policy-hurts' AND subject ->> 'policy' = 'kr-test-1';
SELECT pg_temp.proof();

---------------------------------------------------------------------------
-- Trade: the shipped rules enabled.  US imports 850760 from CN 400, KR 350,
-- JP 250: top share 0.4; then CN 600: 600 / 1200 = 0.5 (not above); then
-- 700: 700 / 1300 = 0.5385.  The EU imports 381800 (DE from JP 300, FR
-- from JP 100, NL from US 100): JP's share of the imports from non-members 0.8.
---------------------------------------------------------------------------
UPDATE watch SET enabled = true WHERE builtin;
SELECT name, builtin FROM watch WHERE source IS NOT NULL ORDER BY name;
SELECT trade_flow_year(2021) IS NOT NULL AS partition;
INSERT INTO trade_flow (year, exporter, importer, product, value) VALUES
    (2021, 'CN', 'US', '850760', 400), (2021, 'KR', 'US', '850760', 350), (2021, 'JP', 'US', '850760', 250);
SELECT * FROM pg_temp.alerts('single-partner-above-half');
UPDATE trade_flow SET value = 600 WHERE exporter = 'CN' AND importer = 'US';
SELECT * FROM pg_temp.alerts('single-partner-above-half');
UPDATE trade_flow SET value = 700 WHERE exporter = 'CN' AND importer = 'US';
SELECT * FROM pg_temp.alerts('single-partner-above-half');
SELECT pg_temp.proof();
-- the EU: a member's imports move the group's row
INSERT INTO trade_flow (year, exporter, importer, product, value) VALUES
    (2021, 'JP', 'DE', '381800', 300), (2021, 'JP', 'FR', '381800', 100), (2021, 'US', 'NL', '381800', 100);
SELECT watch, subject, value_after FROM alert WHERE subject ->> 'product' = '381800' ORDER BY watch, subject::text;
-- the US's 300 into FR: JP 400 of the EU's 800, 0.5: the EU's top-share
-- rules clear (FR's own row, JP 100 and US 300, stays above half)
INSERT INTO trade_flow (year, exporter, importer, product, value) VALUES (2021, 'US', 'FR', '381800', 300);
SELECT watch, subject, value_after, cleared_at IS NULL AS open, value_cleared FROM alert
WHERE subject ->> 'importer' = 'EU' ORDER BY watch, raised_at;
SELECT pg_temp.proof();
-- deleting the flows clears their alerts (the subjects are gone)
DELETE FROM trade_flow WHERE product = '850760';
SELECT count(*) FILTER (WHERE cleared_at IS NULL) AS open FROM alert WHERE subject ->> 'product' = '850760';
SELECT pg_temp.proof();

-- a year's load: 2022's flows from a staging table raise their alerts in
-- one pass; loading the year again with two partners of 500 each clears
-- them (0.5 is not above half)
CREATE TABLE public.staging (LIKE trade_flow);
INSERT INTO public.staging (year, exporter, importer, product, value) VALUES
    (2022, 'CN', 'US', '850760', 800), (2022, 'KR', 'US', '850760', 200),
    (2022, 'CN', 'KR', '850760', 550), (2022, 'JP', 'KR', '850760', 450);
CREATE VIEW public.staging_view AS SELECT * FROM public.staging;
SELECT load_trade_flows(2022, 'public.staging_view') AS loaded;
SELECT subject, value_before, value_after FROM alert
WHERE watch = 'single-partner-above-half' AND cleared_at IS NULL AND subject ->> 'year' = '2022' ORDER BY subject::text;
UPDATE public.staging SET value = 500;
SELECT load_trade_flows(2022, 'public.staging_view') AS loaded;
SELECT subject, value_before, value_after, value_cleared FROM alert
WHERE watch = 'single-partner-above-half' AND subject ->> 'year' = '2022' ORDER BY subject::text;
SELECT pg_temp.proof();
-- a load that fails raises nothing: the year keeps its flows and alerts
INSERT INTO public.staging VALUES (2022, 'CN', 'US', '850760', 1);
SELECT pg_temp.try($$SELECT load_trade_flows(2022, 'public.staging_view')$$) AS duplicate_flow;
SELECT count(*) AS alerts_2022 FROM alert WHERE subject ->> 'year' = '2022';
SELECT pg_temp.proof();

-- a threshold of the test: the EU's 381800 has HHI (400^2 + 400^2) / 800^2
-- = 0.5, above trade.hhi_above (0.4), and no exports: dependent.  At 0.6 it
-- is no longer concentrated (the alert clears, value 0); back at 0.4 a new
-- alert is raised
SELECT importer, product, hhi, dependent FROM import_dependency WHERE importer = 'EU' AND product = '381800';
UPDATE weight SET value = 0.6 WHERE name = 'trade.hhi_above';
SELECT watch, subject, value_after, cleared_at IS NULL AS open, value_cleared FROM alert
WHERE watch = 'eu-strategic-dependency' ORDER BY raised_at, cleared_at NULLS LAST;
UPDATE weight SET value = default_value WHERE name = 'trade.hhi_above';
SELECT watch, subject, value_after, cleared_at IS NULL AS open FROM alert
WHERE watch = 'eu-strategic-dependency' ORDER BY raised_at, cleared_at NULLS LAST;
SELECT pg_temp.proof();

---------------------------------------------------------------------------
-- changes(): the same crossings replayed from the history.  KR's risk on
-- CN in batteries: 0.45 on 2024-03-01, 0.525 on 2024-07-01 (the 0.7 row);
-- on 2025-02-01 0.9 x 0.75, but the stage is assessed satisfactory from
-- 2025-01-01: x 0.3333 = 0.225 (the assessment cleared the alert)
---------------------------------------------------------------------------
SELECT watch, subject, value_from, value_to, change FROM changes('2024-03-01', '2024-07-01') WHERE watch = 'kr-batteries';
SELECT watch, subject, value_from, value_to, change FROM changes('2024-07-01', '2024-03-01') WHERE watch = 'kr-batteries';
SELECT watch, subject, value_from, value_to, change FROM changes('2024-07-01', '2025-02-01') WHERE watch = 'kr-batteries';
SELECT count(*) FILTER (WHERE cleared_at IS NULL) AS open FROM alert WHERE watch = 'kr-batteries';
SELECT count(*) AS no_change FROM changes('2024-06-15', '2024-07-01') WHERE watch = 'kr-batteries';
-- trade: 2021 against 2022, for the KR rule of one partner above half
SELECT watch, subject, value_from, value_to, change FROM changes('2021-12-31', '2022-12-31')
WHERE watch = 'single-partner-above-half' ORDER BY subject::text;

---------------------------------------------------------------------------
-- Persistence: dependent in how many of the three years to each
---------------------------------------------------------------------------
SELECT trade_flow_year(y) IS NOT NULL FROM generate_series(2018, 2020) y;
INSERT INTO trade_flow (year, exporter, importer, product, value)
SELECT y, 'CL', 'US', '283691', 100 FROM unnest(ARRAY[2018, 2020, 2021]) y;
SELECT year, dependent, dependent_years, persistent FROM import_dependency_persistence
WHERE importer = 'US' AND product = '283691' ORDER BY year;
SELECT pg_temp.proof();

-- rebuild_state() evaluates the rules again; watch_refresh() finds nothing to do
SELECT rebuild_state() > 0 AS rebuilt, watch_refresh() AS moved, pg_temp.proof();
-- every flow gone (TRUNCATE): the trade alerts clear
SELECT count(*) AS open_trade_alerts FROM alert WHERE cleared_at IS NULL AND subject ? 'product';
TRUNCATE trade_flow;
SELECT count(*) AS open_trade_alerts FROM alert WHERE cleared_at IS NULL AND subject ? 'product';
SELECT pg_temp.proof();
-- watch_refresh() clears a disabled rule's open alerts (here one planted
-- by hand: the rule disabled without its trigger)
ALTER TABLE watch DISABLE TRIGGER watch_changed;
UPDATE watch SET enabled = false WHERE name = 'kr-policy-hurts';
ALTER TABLE watch ENABLE TRIGGER watch_changed;
INSERT INTO alert (watch, country, key, subject, value_after)
VALUES ('kr-policy-hurts', 'KR', 'KR' || chr(31) || 'semiconductors' || chr(31) || 'us-semiconductors-3',
        '{"country": "KR", "sector": "semiconductors", "policy": "us-semiconductors-3"}', -2);
SELECT pg_temp.proof();
SELECT watch_refresh() AS moved, pg_temp.proof();
-- disabling the shipped rules clears their alerts; they stay the user's rows
UPDATE watch SET enabled = false WHERE source IS NOT NULL;
SELECT count(*) AS open FROM open_alert WHERE watch IN (SELECT name FROM watch WHERE source IS NOT NULL);
SELECT pg_temp.proof();

DROP VIEW public.staging_view;
DROP TABLE public.staging;
-- the years' partitions go (tables outside the extension)
TRUNCATE trade_flow;
SELECT string_agg(pg_temp.try(format('DROP TABLE %s', c.oid::regclass)), ', ') AS partitions_dropped
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'supplychain.trade_flow'::regclass;
SELECT pg_temp.proof();
