-- generate.sql - deterministic user rows for the Citus test (test/citus.sh),
-- loaded the same way into the Citus coordinator and into the single-server
-- baseline.  The rows are a pure function of the reference rows and of a
-- portable hash (hashtextextended), so both get exactly the same rows.
--
-- 22 user countries XA..XV beside the 8 shipped ones; every one of the 30
-- depends on every other for 3 items of 3 kinds at every stage, at two dates
-- (2023 rows supersede 2022 rows), one key in three left out and one share
-- in seven unknown: about 104,000 dependency rows.  A share is at most
-- 0.9 / 29, so the known shares of one item sum to at most 0.9.
--
-- psql variables: part = countries (all 22 user countries and the
-- alignments between them: before the data), or a country range lo..hi
-- (codes, inclusive) for dependency, assessment and policy_impact rows.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS citustest;

CREATE OR REPLACE FUNCTION citustest.h(VARIADIC parts text[]) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT pg_catalog.hashtextextended(pg_catalog.array_to_string(parts, '|'), 0) & 9223372036854775807 $$;

SELECT :'part' = 'countries' AS countries, :'part' = 'rows' AS rows, :'part' = 'trade' AS trade \gset
\if :countries
INSERT INTO supplychain.country (code, name)
SELECT 'X' || chr(ascii('A') + i), 'Generated country ' || chr(ascii('A') + i)
FROM generate_series(0, 21) i;
-- the 30 countries the rows are about: the generated ones and the eight the
-- brief names (country ships every ISO 3166-1 code)
CREATE VIEW citustest.countries AS
SELECT * FROM supplychain.country
WHERE code LIKE 'X%' OR code IN ('US', 'KR', 'TW', 'CN', 'JP', 'NL', 'EU', 'ZZ');
-- how the generated countries regard each other and the shipped ones
INSERT INTO supplychain.alignment (country, partner, relation)
SELECT c.code, p.code, (ARRAY['ally', 'partner', 'neutral', 'concern'])[1 + citustest.h(c.code, p.code) % 4]
FROM citustest.countries c CROSS JOIN citustest.countries p
WHERE c.code LIKE 'X%' AND p.code <> c.code AND citustest.h(c.code, p.code, 'aligned') % 3 = 0
ORDER BY 1, 2;
-- the EU indicator's tables: production shares of the shipped materials and
-- governance scores of every country
INSERT INTO supplychain.governance (country, year, wgi)
SELECT c.code, y, round(((citustest.h(c.code, y::text) % 500) / 100.0 - 2.5), 2)
FROM citustest.countries c CROSS JOIN generate_series(2020, 2022) y
ORDER BY 1, 2;
INSERT INTO supplychain.material_supply (material, scope, country, share)
SELECT m.id, sc.scope, c.code, round(1.0 / 30, 4)
FROM supplychain.material m CROSS JOIN citustest.countries c CROSS JOIN (VALUES ('global'), ('eu')) sc (scope)
WHERE citustest.h(m.id, sc.scope, c.code) % 2 = 0
ORDER BY 1, 2, 3;
\elif :rows
INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of, note)
SELECT s.id, c.code, p.code, k.kind, 'generated item ' || i,
       CASE WHEN x.h % 7 = 0 THEN NULL ELSE round((x.h % 1000) / 1000.0 * 0.9 / 29, 4) END,
       d.as_of, 'generated'
FROM supplychain.stage s
CROSS JOIN citustest.countries c
CROSS JOIN citustest.countries p
CROSS JOIN (VALUES ('supply'), ('market'), ('talent')) k (kind)
CROSS JOIN generate_series(1, 3) i
CROSS JOIN (VALUES (date '2022-01-01'), (date '2023-01-01')) d (as_of)
CROSS JOIN LATERAL (SELECT citustest.h(s.id, c.code, p.code, k.kind, i::text, to_char(d.as_of, 'YYYY-MM-DD')) AS h) x
WHERE c.code BETWEEN :'lo' AND :'hi' AND p.code <> c.code AND x.h % 3 <> 0
ORDER BY 1, 2, 3, 4, 5, 7;

INSERT INTO supplychain.assessment (stage, country, rating, as_of, diagnosis)
SELECT s.id, c.code, ((x.h % 3) + 1)::integer::supplychain.stage_rating, d.as_of, 'generated'
FROM supplychain.stage s
CROSS JOIN citustest.countries c
CROSS JOIN (VALUES (date '2022-01-01'), (date '2023-01-01')) d (as_of)
CROSS JOIN LATERAL (SELECT citustest.h(s.id, c.code, to_char(d.as_of, 'YYYY-MM-DD')) AS h) x
WHERE c.code BETWEEN :'lo' AND :'hi' AND x.h % 4 <> 0
ORDER BY 1, 2, 4;

INSERT INTO supplychain.policy_impact (policy, country, horizon, score, as_of, rationale)
SELECT p.id, c.code, hz.horizon, ((x.h % 5) - 2)::integer::supplychain.impact_score, d.as_of, 'generated'
FROM supplychain.policy p
CROSS JOIN citustest.countries c
CROSS JOIN (VALUES ('short'), ('long')) hz (horizon)
CROSS JOIN (VALUES (date '2022-01-01'), (date '2023-01-01')) d (as_of)
CROSS JOIN LATERAL (SELECT citustest.h(p.id, c.code, hz.horizon, to_char(d.as_of, 'YYYY-MM-DD')) AS h) x
WHERE c.code BETWEEN :'lo' AND :'hi' AND x.h % 3 <> 0
ORDER BY 1, 2, 3, 5;
\endif

-- part = trade: flows into the importers of the range lo..hi, of the
-- products the reference data maps to stages, in 2023 (one flow in four
-- left out); a part of its own, for the versions that have trade_flow
\if :trade
-- (since 0.8.0 a year needs its partition)
SELECT pg_catalog.to_regprocedure('supplychain.trade_flow_year(integer)') IS NOT NULL AS trade_years \gset
\if :trade_years
SELECT supplychain.trade_flow_year(2023);
\endif
INSERT INTO supplychain.trade_flow (year, exporter, importer, product, value, quantity)
SELECT 2023, e.code, c.code, m.product, 1 + x.h % 100000, NULLIF(x.h % 5, 0)
FROM (SELECT DISTINCT product FROM supplychain.product_stage) m
CROSS JOIN citustest.countries c
CROSS JOIN citustest.countries e
CROSS JOIN LATERAL (SELECT citustest.h(m.product, c.code, e.code, 'flow') AS h) x
WHERE c.code BETWEEN :'lo' AND :'hi' AND e.code <> c.code AND c.code <> 'EU' AND e.code <> 'EU'
  AND x.h % 4 <> 0
ORDER BY 2, 3, 4;
\endif
