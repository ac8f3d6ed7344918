-- results.sql - what test/citus.sh compares between the Citus coordinator and
-- the single server: one query per line of citustest.result, run on both
-- (COPY ... TO STDOUT, sorted) and compared byte for byte.
--
-- Every table and every view of the extension (read from the catalog, so a
-- new one is covered without editing this file), every function that reads
-- the tables, one-country reads of the views, and the extension's aggregates
-- grouped so that Citus splits them into worker_partial_agg/coord_combine_agg.
-- Results of type double precision are rounded to 10 decimals: a partial
-- aggregate adds in another order than one pass over the rows.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TABLE citustest.result (name text PRIMARY KEY, sql text NOT NULL, kind text NOT NULL);

INSERT INTO citustest.result
SELECT CASE c.relkind WHEN 'r' THEN 'table ' ELSE 'view ' END || c.relname,
       format('SELECT * FROM supplychain.%I', c.relname),
       CASE c.relkind WHEN 'r' THEN 'table' ELSE 'view' END
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
WHERE c.relkind IN ('r', 'v');

INSERT INTO citustest.result (name, sql, kind) VALUES
    ('stage_risk_at(2022-06-01)', $$SELECT * FROM supplychain.stage_risk_at('2022-06-01')$$, 'function'),
    ('country_risk_at(2022-06-01)', $$SELECT * FROM supplychain.country_risk_at('2022-06-01')$$, 'function'),
    ('policy_risk_at(2022-06-01)', $$SELECT * FROM supplychain.policy_risk_at('2022-06-01')$$, 'function'),
    ('policy_balance_at(2022-06-01)', $$SELECT * FROM supplychain.policy_balance_at('2022-06-01')$$, 'function'),
    ('chain_exposure()', $$SELECT country, stage_id, supplier, round(exposure::numeric, 10), tier FROM supplychain.chain_exposure()$$, 'function'),
    ('chain_exposure(CN, 8)', $$SELECT country, stage_id, supplier, round(exposure::numeric, 10), tier FROM supplychain.chain_exposure('CN', 8)$$, 'function'),
    ('chain_exposure(NULL, 64, XQ)', $$SELECT country, stage_id, supplier, round(exposure::numeric, 10), tier FROM supplychain.chain_exposure(NULL, 64, 'XQ')$$, 'function'),
    ('disruption(CN, 0.5)', $$SELECT country, sector, stage, round(direct_loss::numeric, 10), round(total_loss::numeric, 10) FROM supplychain.disruption('CN', 0.5)$$, 'function'),
    ('disruption(XA, 1, batteries)', $$SELECT country, sector, stage, round(direct_loss::numeric, 10), round(total_loss::numeric, 10) FROM supplychain.disruption('XA', 1.0, 'batteries')$$, 'function'),
    ('disruption(CN, 0.5, NULL, XQ)', $$SELECT country, sector, stage, round(direct_loss::numeric, 10), round(total_loss::numeric, 10) FROM supplychain.disruption('CN', 0.5, NULL, 'XQ')$$, 'function'),
    ('heatmap_svg(US)', $$SELECT supplychain.heatmap_svg('US')$$, 'function'),
    ('import_dependency, importer XQ', $$SELECT * FROM supplychain.import_dependency WHERE importer = 'XQ'$$, 'one country'),
    ('import_dependency, importer EU (a group)', $$SELECT * FROM supplychain.import_dependency WHERE importer = 'EU'$$, 'one country'),
    ('heatmap_svg(XQ, semiconductors)', $$SELECT supplychain.heatmap_svg('XQ', 'semiconductors')$$, 'function'),
    ('hhi(share) by supplier', $$SELECT supplier, kind, round(supplychain.hhi(share)::numeric, 10), count(*) FROM supplychain.dependency GROUP BY supplier, kind$$, 'aggregate'),
    ('min/max(stage_rating) by stage', $$SELECT stage, supplychain.min(rating), supplychain.max(rating), count(*) FILTER (WHERE rating OPERATOR(supplychain.<) 'weak') FROM supplychain.assessment GROUP BY stage$$, 'aggregate'),
    ('sum/avg(impact_score) by horizon', $$SELECT horizon, supplychain.sum(score), round(supplychain.avg(score), 10), supplychain.min(score), supplychain.max(score) FROM supplychain.policy_impact GROUP BY horizon$$, 'aggregate');

-- one country of each view with a country column, a generated one and US
INSERT INTO citustest.result (name, sql, kind)
SELECT format('view %s, country %s', c.relname, k.code),
       format('SELECT * FROM supplychain.%I WHERE country = %L', c.relname, k.code), 'one country'
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
CROSS JOIN (VALUES ('US'), ('XQ')) k (code)
WHERE c.relkind = 'v'
  AND EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'country');

-- the alerts: the open ones, by rule and subject (their ids, times and the
-- values before are each server's own: the single server raised them as
-- the rows arrived, the coordinator in watch_refresh())
UPDATE citustest.result SET sql = 'SELECT watch, key FROM supplychain.alert WHERE cleared_at IS NULL'
WHERE name = 'table alert';
UPDATE citustest.result SET sql = replace(sql, 'SELECT *', 'SELECT watch, measure, country, sector, stage, supplier, importer, product, year, policy')
WHERE name LIKE 'view open_alert%';
