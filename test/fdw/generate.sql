-- generate.sql - deterministic user rows for the postgres_fdw scale-out test
-- (test/fdw.sh).  Loaded into every database of the test (both shards, the
-- coordinator and the single-server baseline): each generates exactly the
-- same rows for the same countries, because the rows are a pure function of
-- the extension's own reference rows (stages, countries, policies) and of a
-- portable hash (hashtextextended is the hash of hash partitioning, the same
-- on every platform).  No random().
--
-- Dependencies respect the extension's rule that known shares of one
-- (stage, country, kind, item, as_of) sum to at most 1: each supplier's share
-- is at most 0.13 * 7 / (number of other countries), so the sum is <= 0.91.

CREATE SCHEMA fdwtest;

-- The countries that depend and supply: those of the brief's own rows.  The
-- extension ships every ISO 3166-1 code; with all of them the rows would
-- grow with the square of 251 countries.
CREATE VIEW fdwtest.country AS
SELECT code FROM supplychain.country WHERE code IN ('US', 'KR', 'TW', 'CN', 'JP', 'NL', 'EU', 'ZZ');

CREATE FUNCTION fdwtest.h(VARIADIC parts text[]) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT pg_catalog.hashtextextended(pg_catalog.array_to_string(parts, '|'), 0) & 9223372036854775807 $$;

-- dependency rows of the depending countries in `countries`: every stage,
-- 3 items, 3 kinds, every other country as supplier, two dates (2023 rows
-- supersede 2022 rows of the same key, so current_dependency has work to do);
-- about one key in three is left out and one share in seven is unknown.
CREATE FUNCTION fdwtest.dependency_rows(countries text[]) RETURNS SETOF supplychain.dependency
LANGUAGE sql STABLE
AS $$
SELECT s.id, c.code, p.code, k.kind, 'generated item ' || i,
       CASE WHEN x.h % 7 = 0 THEN NULL
            ELSE round(((x.h % 14) * 7 / (n.n - 1)) / 100.0, 2) END,
       d.as_of, 'generated', NULL, false
FROM supplychain.stage s
CROSS JOIN fdwtest.country c
CROSS JOIN fdwtest.country p
CROSS JOIN (VALUES ('supply'), ('market'), ('talent')) k (kind)
CROSS JOIN generate_series(1, 3) i
CROSS JOIN (VALUES (date '2022-01-01'), (date '2023-01-01')) d (as_of)
CROSS JOIN (SELECT count(*)::integer AS n FROM fdwtest.country) n
CROSS JOIN LATERAL (SELECT fdwtest.h(s.id, c.code, p.code, k.kind, i::text,
                                     to_char(d.as_of, 'YYYY-MM-DD')) AS h) x
WHERE c.code = ANY (countries) AND p.code <> c.code AND x.h % 3 <> 0
ORDER BY 1, 2, 3, 4, 5, 7
$$;

-- assessments: each stage rated by each country at one or both dates; about
-- one in four (stage, country, date) is left unassessed.
CREATE FUNCTION fdwtest.assessment_rows(countries text[]) RETURNS SETOF supplychain.assessment
LANGUAGE sql STABLE
AS $$
SELECT s.id, c.code, ((x.h % 3) + 1)::integer::supplychain.stage_rating, d.as_of,
       'generated', NULL, NULL, false
FROM supplychain.stage s
CROSS JOIN fdwtest.country c
CROSS JOIN (VALUES (date '2022-01-01'), (date '2023-01-01')) d (as_of)
CROSS JOIN LATERAL (SELECT fdwtest.h(s.id, c.code, to_char(d.as_of, 'YYYY-MM-DD')) AS h) x
WHERE c.code = ANY (countries) AND x.h % 4 <> 0
ORDER BY 1, 2, 4
$$;

-- policy impacts on each affected country: every policy, both horizons, two
-- dates; about one in three left out.
CREATE FUNCTION fdwtest.policy_impact_rows(countries text[]) RETURNS SETOF supplychain.policy_impact
LANGUAGE sql STABLE
AS $$
SELECT p.id, c.code, hz.horizon, ((x.h % 5) - 2)::integer::supplychain.impact_score, d.as_of,
       'generated', NULL, false
FROM supplychain.policy p
CROSS JOIN fdwtest.country c
CROSS JOIN (VALUES ('short'), ('long')) hz (horizon)
CROSS JOIN (VALUES (date '2022-01-01'), (date '2023-01-01')) d (as_of)
CROSS JOIN LATERAL (SELECT fdwtest.h(p.id, c.code, hz.horizon, to_char(d.as_of, 'YYYY-MM-DD')) AS h) x
WHERE c.code = ANY (countries) AND x.h % 3 <> 0
ORDER BY 1, 2, 3, 5
$$;

-- trade flows of one year among the countries (the EU and ZZ apart), every
-- ordered pair, each shipped HS code.  trade_flow has no depending-country
-- column and is not distributed here: the single server and the
-- coordinator hold the same flows, so that the trade views are compared
-- like the others.
CREATE FUNCTION fdwtest.trade_flow_rows() RETURNS SETOF supplychain.trade_flow
LANGUAGE sql STABLE
AS $$
SELECT 2022, e.code, i.code, p.code, (fdwtest.h(e.code, i.code, p.code) % 100000) / 100.0, NULL::numeric, NULL::text
FROM fdwtest.country e
CROSS JOIN fdwtest.country i
CROSS JOIN (SELECT code FROM supplychain.product WHERE builtin) p
WHERE e.code <> i.code AND e.code NOT IN ('EU', 'ZZ') AND i.code NOT IN ('EU', 'ZZ')
ORDER BY 1, 2, 3, 4
$$;

-- the views of the extension (every one, or those with a country column:
-- each of their rows depends on one depending/affected country, so a shard
-- computes them for its own countries)
CREATE FUNCTION fdwtest.extension_views(with_country boolean) RETURNS SETOF text
LANGUAGE sql STABLE
AS $$
SELECT c.relname::text
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                           AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
WHERE c.relkind = 'v'
  -- open_alert reads the alerts, which each server keeps of its own rows
  -- (docs/scaling.md): none of the distributed tables
  AND c.relname <> 'open_alert'
  AND (NOT with_country OR EXISTS (SELECT FROM pg_catalog.pg_attribute a
                                   WHERE a.attrelid = c.oid AND a.attname = 'country'
                                     AND NOT a.attisdropped))
ORDER BY 1
$$;
