-- case8.sql - early warning: what the rules add to the writes they watch.
--   A. a 10,000-row INSERT into dependency with 100 enabled rules (on
--      country_risk.risk, stage_risk.hhi and stage_risk.risk, some raising
--      alerts) against the same INSERT with none enabled;
--   B. a year of trade flows loaded by load_trade_flows() with the three
--      shipped rules enabled against disabled.
-- Each side's state is set before each of its runs (not timed): the rows of
-- the last run gone, the rules enabled or disabled.
-- Variables: rows (A), flows (B, about countries x products x 10),
-- countries, runs, warmup.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- A. the rows: countries x the ten shipped stages x items x 5 suppliers,
-- shares 0.3, 0.25, 0.2, 0.15, 0.1 of each item (10,000 rows: 200
-- countries, one item)
CREATE TABLE bench.c8_country AS
SELECT (row_number() OVER (ORDER BY code) - 1)::integer AS n, code
FROM supplychain.country WHERE code NOT IN ('EU', 'ZZ') ORDER BY code LIMIT :countries;
SELECT count(*) AS c8_countries FROM bench.c8_country \gset
SELECT greatest(1, :rows / (:c8_countries * 10 * 5)) AS c8_items \gset
CREATE TABLE bench.c8_rows AS
SELECT s.id AS stage, c.code AS country, x.code AS supplier, 'supply'::text AS kind, 'c8-' || i AS item,
       (0.35 - 0.05 * j)::numeric AS share, date '2026-01-01' AS as_of
FROM bench.c8_country c
CROSS JOIN (SELECT id FROM supplychain.stage WHERE builtin ORDER BY id LIMIT 10) s
CROSS JOIN generate_series(1, :c8_items) i
CROSS JOIN generate_series(1, 5) j
JOIN bench.c8_country x ON x.n = (c.n + i + j * 7) % :c8_countries;
SELECT count(*) AS c8_rows FROM bench.c8_rows \gset
-- half the countries have assessed their chains: stage_risk has their stages
INSERT INTO supplychain.assessment (stage, country, rating, as_of)
SELECT s.id, c.code, 'weak', date '2026-01-01'
FROM bench.c8_country c CROSS JOIN (SELECT id FROM supplychain.stage WHERE builtin ORDER BY id LIMIT 10) s
WHERE c.n % 2 = 0
ON CONFLICT DO NOTHING;

-- 100 rules, disabled: a third on each measure, half of them scoped to one
-- country.  An early warning is for exceptions: the thresholds are met by
-- about one subject in a hundred that the rows make (country risks run from
-- 0.56 to 2.25, the stages' HHI is 0.225 and their risk 0.15 where the
-- chain is assessed), and a few rules by every stage of their country
INSERT INTO supplychain.watch (name, measure, country, comparison, threshold)
SELECT 'c8-' || r, m.measure, CASE WHEN scoped THEN (SELECT code FROM bench.c8_country WHERE n = r % :c8_countries) END,
       '>', CASE m.measure WHEN 'country_risk.risk' THEN CASE WHEN scoped THEN 1.5 ELSE 2.15 END + (r % 7) / 10.0
                           WHEN 'stage_risk.hhi' THEN CASE WHEN scoped AND r % 7 = 0 THEN 0.2 ELSE 0.35 END
                           ELSE CASE WHEN scoped AND r % 7 = 0 THEN 0.1 ELSE 0.35 END END
FROM generate_series(1, 100) r
CROSS JOIN LATERAL (SELECT (ARRAY['country_risk.risk', 'stage_risk.hhi', 'stage_risk.risk'])[r % 3 + 1] AS measure,
                           r % 2 = 0 AS scoped) m;

\set c8_insert 'INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) SELECT * FROM bench.c8_rows'
\set c8_clear 'DELETE FROM supplychain.dependency WHERE item LIKE ''c8-%'''
CALL bench.measure(ARRAY['c8.insert.rules', 'c8.insert.none'],
    ARRAY[:'c8_insert', :'c8_insert'],
    'clock', :runs, :warmup,
    ARRAY[:'c8_clear' || '; UPDATE supplychain.watch SET enabled = true WHERE name LIKE ''c8-%''',
          :'c8_clear' || '; UPDATE supplychain.watch SET enabled = false WHERE name LIKE ''c8-%''']);
-- the last run of each side raised what it should
UPDATE supplychain.watch SET enabled = true WHERE name LIKE 'c8-%';
SELECT count(*) AS c8_open FROM supplychain.alert WHERE watch LIKE 'c8-%' AND cleared_at IS NULL \gset
SELECT count(*) AS c8_differences FROM supplychain.watch_verify() \gset
DELETE FROM supplychain.dependency WHERE item LIKE 'c8-%';
DELETE FROM supplychain.watch WHERE name LIKE 'c8-%';
DELETE FROM supplychain.assessment WHERE as_of = '2026-01-01' AND NOT builtin;

-- B. a year of flows: importer c buys product p from 10 exporters (case 6's
-- pattern), the EU's members among the countries
CREATE TABLE bench.c8_trade_country AS
SELECT (row_number() OVER (ORDER BY eu DESC, code) - 1)::integer AS n, code
FROM (SELECT c.code, EXISTS (SELECT FROM supplychain.country_group g WHERE g.group_code = 'EU' AND g.member = c.code
                             AND g.until IS NULL) AS eu
      FROM supplychain.country c WHERE c.code NOT IN ('EU', 'ZZ')) c
ORDER BY eu DESC, code LIMIT :countries;
SELECT greatest(1, :flows / (10 * count(*))) AS c8_products FROM bench.c8_trade_country \gset
INSERT INTO supplychain.product (code, name, classification)
SELECT 'c8-' || lpad(p::text, 6, '0'), 'Generated product ' || p, 'bench' FROM generate_series(1, :c8_products) p;
CREATE UNLOGGED TABLE bench.c8_base AS
SELECT 2021 AS year, e.code AS exporter, i.code AS importer, 'c8-' || lpad(p::text, 6, '0') AS product,
       -- one partner in five supplies most of an importer's product
       ((i.n * 7919 + p * 104729 + j * 1299709) % 1000000 + 1) / 1000.0 * CASE WHEN j = 1 AND p % 5 = 0 THEN 20 ELSE 1 END AS value
FROM bench.c8_trade_country i
CROSS JOIN generate_series(1, :c8_products) p
CROSS JOIN generate_series(1, 10) j
JOIN bench.c8_trade_country e ON e.n = (i.n + (i.n * 7 + p * 13) % (:c8_countries - 11) + j) % :c8_countries;
SELECT count(*) AS c8_flows FROM bench.c8_base \gset
\set c8_year 'DROP TABLE IF EXISTS bench.c8_year; CREATE TABLE bench.c8_year (LIKE supplychain.trade_flow); INSERT INTO bench.c8_year (year, exporter, importer, product, value) SELECT * FROM bench.c8_base; TRUNCATE supplychain.trade_flow; DROP TABLE IF EXISTS supplychain.trade_flow_2021'
\set c8_shipped 'UPDATE supplychain.watch SET enabled = %s WHERE source IN (''kr-ews-2021'', ''eu-crma-2024'', ''ec-swd-2021-352'')'
CALL bench.measure(ARRAY['c8.load.rules', 'c8.load.none'],
    ARRAY['SELECT supplychain.load_trade_flows(2021, ''bench.c8_year'')',
          'SELECT supplychain.load_trade_flows(2021, ''bench.c8_year'')'],
    'clock', :runs, :warmup,
    ARRAY[:'c8_year' || '; ' || format(:'c8_shipped', 'true'), :'c8_year' || '; ' || format(:'c8_shipped', 'false')]);
UPDATE supplychain.watch SET enabled = true WHERE source IN ('kr-ews-2021', 'eu-crma-2024', 'ec-swd-2021-352');
SELECT count(*) AS c8_trade_open FROM supplychain.alert WHERE cleared_at IS NULL AND subject ? 'product' \gset
SELECT count(*) AS c8_trade_differences FROM supplychain.watch_verify() \gset
-- leave the database as the other cases expect it: the shipped rules
-- disabled (they stay user rows), no flows, no products of this case
UPDATE supplychain.watch SET enabled = false WHERE source IN ('kr-ews-2021', 'eu-crma-2024', 'ec-swd-2021-352');
DELETE FROM supplychain.alert;
TRUNCATE supplychain.trade_flow;
DROP TABLE IF EXISTS supplychain.trade_flow_2021;
DROP TABLE IF EXISTS bench.c8_year;
DELETE FROM supplychain.product WHERE classification = 'bench' AND code LIKE 'c8-%';

INSERT INTO bench.result ("case", name, rows, ours, base, target, note) VALUES
    ('8', 'INSERT into dependency with 100 enabled rules vs with none', :c8_rows,
     'c8.insert.rules', 'c8.insert.none', 1.2,
     format('%s alerts open after it; watch_verify() differences: %s', :c8_open, :c8_differences)),
    ('8', 'load_trade_flows with the three shipped rules enabled vs disabled', :c8_flows,
     'c8.load.rules', 'c8.load.none', 1.2,
     format('%s alerts open after it; watch_verify() differences: %s', :c8_trade_open, :c8_trade_differences));
DROP TABLE bench.c8_rows, bench.c8_country, bench.c8_trade_country, bench.c8_base;
