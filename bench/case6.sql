-- case6.sql - trade data: import_dependency against a bare GROUP BY over
-- the same flows (all importers of a year, and one importer), COPY into
-- trade_flow against COPY into plain tables, and load_trade_dependencies()
-- for one importer and year.
-- Variables: flows (about countries x products x 10), countries, runs,
-- warmup, datadir (the server's data directory, where the file goes).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The countries: the EU's members, the US, then others by code; each
-- importer buys each product from 10 exporters, so there are flows / (10
-- x countries) products, coded 'b000001' ...
CREATE TABLE bench.c6_country AS
SELECT (row_number() OVER (ORDER BY eu DESC, us DESC, code) - 1)::integer AS n, code
FROM (SELECT c.code, EXISTS (SELECT FROM supplychain.country_group g WHERE g.group_code = 'EU' AND g.member = c.code
                             AND g.until IS NULL) AS eu, c.code = 'US' AS us
      FROM supplychain.country c WHERE c.code NOT IN ('EU', 'ZZ')) c
ORDER BY eu DESC, us DESC, code LIMIT :countries;
SELECT count(*) AS c6_countries, greatest(1, :flows / (10 * count(*))) AS c6_products FROM bench.c6_country \gset
INSERT INTO supplychain.product (code, name, classification)
SELECT 'b' || lpad(p::text, 6, '0'), 'Generated product ' || p, 'bench' FROM generate_series(1, :c6_products) p;
-- every product feeds one stage (its item is its code)
INSERT INTO supplychain.product_stage (product, stage)
SELECT 'b' || lpad(p::text, 6, '0'), (SELECT id FROM supplychain.stage ORDER BY id OFFSET p % 10 LIMIT 1)
FROM generate_series(1, :c6_products) p;

-- One year of flows in BACI's order (year, exporter, importer, product),
-- as a CSV file: importer c buys product p from the exporters c + b + j,
-- j = 1..10 (b depends on c and p; never c itself); values in thousands
-- with 3 decimals, from arithmetic on the numbers.
\set flows_file :datadir '/bench_c6_flows.csv'
CREATE FUNCTION bench.c6_flows(n_country integer, n_product integer)
RETURNS TABLE (year integer, exporter text, importer text, product text, value numeric, quantity numeric)
LANGUAGE sql STABLE AS $$
    SELECT 2021, e.code, i.code, 'b' || lpad(p::text, 6, '0'),
           ((i.n * 7919 + p * 104729 + j * 1299709) % 1000000 + 1) / 1000.0,
           ((i.n * 31 + p * 17 + j) % 1000) / 10.0
    FROM bench.c6_country i
    CROSS JOIN generate_series(1, n_product) p
    CROSS JOIN generate_series(1, 10) j
    JOIN bench.c6_country e ON e.n = (i.n + (i.n * 7 + p * 13) % (n_country - 11) + j) % n_country
$$;
COPY (SELECT * FROM bench.c6_flows(:c6_countries, :c6_products) ORDER BY year, exporter, importer, product)
    TO :'flows_file' WITH (FORMAT csv);
SELECT (pg_stat_file(:'flows_file')).size AS "case 6 file bytes",
       (SELECT count(*) FROM bench.c6_flows(:c6_countries, :c6_products)) AS "case 6 flows";

-- COPY into trade_flow (primary key, three indexes, foreign keys to
-- country and product, checks) against COPY into a table of the same
-- columns without any of them, and into one with the primary key only
CREATE TABLE bench.c6_plain (LIKE supplychain.trade_flow INCLUDING DEFAULTS);
CREATE TABLE bench.c6_pk (LIKE supplychain.trade_flow INCLUDING DEFAULTS, PRIMARY KEY (year, exporter, importer, product));
CALL bench.measure(ARRAY['c6.copy.ours', 'c6.copy.plain', 'c6.copy.pk'],
    ARRAY[format('COPY supplychain.trade_flow (year, exporter, importer, product, value, quantity) FROM %L WITH (FORMAT csv)', :'flows_file'),
          format('COPY bench.c6_plain (year, exporter, importer, product, value, quantity) FROM %L WITH (FORMAT csv)', :'flows_file'),
          format('COPY bench.c6_pk (year, exporter, importer, product, value, quantity) FROM %L WITH (FORMAT csv)', :'flows_file')],
    'clock', :runs, :warmup,
    ARRAY['TRUNCATE supplychain.trade_flow', 'TRUNCATE bench.c6_plain', 'TRUNCATE bench.c6_pk']);
DROP TABLE bench.c6_plain, bench.c6_pk;
VACUUM ANALYZE supplychain.trade_flow;
CHECKPOINT;
SELECT count(*) AS "case 6 trade_flow rows", pg_size_pretty(pg_total_relation_size('supplychain.trade_flow')) AS size
FROM supplychain.trade_flow;

-- the view computes what the baseline computes (its countries' rows)
DO $$
DECLARE
    bad bigint;
BEGIN
    SELECT count(*) INTO bad FROM (
        SELECT importer, product, imports, round(hhi, 4) FROM supplychain.import_dependency
        WHERE year = 2021 AND importer <> 'EU'
        EXCEPT
        SELECT importer, product, sum(value), round(sum(value * value) / (sum(value) * sum(value)), 4)
        FROM supplychain.trade_flow WHERE year = 2021 GROUP BY importer, product) d;
    IF bad <> 0 THEN
        RAISE EXCEPTION 'case 6: % rows of import_dependency differ from the GROUP BY', bad;
    END IF;
END
$$;

\echo '== case 6: plans of import_dependency (all importers; one importer)'
EXPLAIN (COSTS OFF) SELECT * FROM supplychain.import_dependency WHERE year = 2021;
EXPLAIN (COSTS OFF) SELECT * FROM supplychain.import_dependency WHERE importer = 'US' AND year = 2021;
CALL bench.measure(ARRAY['c6.all.import_dependency', 'c6.all.group_by'],
    ARRAY['SELECT * FROM supplychain.import_dependency WHERE year = 2021',
          'SELECT importer, product, sum(value), sum(value * value) FROM supplychain.trade_flow WHERE year = 2021 GROUP BY importer, product'],
    'explain', :runs, :warmup);
CALL bench.measure(ARRAY['c6.one.import_dependency', 'c6.one.group_by'],
    ARRAY[$q$SELECT * FROM supplychain.import_dependency WHERE importer = 'US' AND year = 2021$q$,
          $q$SELECT importer, product, sum(value), sum(value * value) FROM supplychain.trade_flow WHERE importer = 'US' AND year = 2021 GROUP BY importer, product$q$],
    'explain', :runs, :warmup);
-- for the report: a group importer (the EU's 27 members, their flows joined
-- to the membership)
CALL bench.measure(ARRAY['c6.eu.import_dependency', 'c6.eu.group_by'],
    ARRAY[$q$SELECT * FROM supplychain.import_dependency WHERE importer = 'EU' AND year = 2021$q$,
          $q$SELECT product, sum(value), sum(value * value) FROM supplychain.trade_flow WHERE importer IN (SELECT member FROM supplychain.country_group WHERE group_code = 'EU' AND until IS NULL) AND year = 2021 GROUP BY product$q$],
    'explain', :runs, :warmup);

-- load_trade_dependencies for one importer and year: every product is
-- mapped, so it writes 10 rows per product; each run replaces the last
CALL bench.measure(ARRAY['c6.load.us'], ARRAY[$q$SELECT supplychain.load_trade_dependencies(2021, 'US')$q$],
    'clock', :runs, :warmup);
SELECT count(*) AS c6_load_rows FROM supplychain.dependency WHERE source = 'trade-flow' \gset

INSERT INTO bench.result ("case", name, rows, ours, base, target, note) VALUES
    ('6', 'import_dependency, all importers of a year vs GROUP BY importer, product (sum, sum of squares)', :flows,
     'c6.all.import_dependency', 'c6.all.group_by', 1.5, format('%s countries x %s products x 10 exporters', :c6_countries, :c6_products)),
    ('6', 'import_dependency, one importer (US) vs the same GROUP BY filtered to it', :flows / :c6_countries,
     'c6.one.import_dependency', 'c6.one.group_by', 2.0, NULL),
    ('6', 'import_dependency, the EU (27 members) vs GROUP BY product over the members'' imports', :flows * 27 / :c6_countries,
     'c6.eu.import_dependency', 'c6.eu.group_by', NULL, 'for information: a group also reads its members'' exports and splits inside from outside'),
    ('6', 'COPY into trade_flow vs COPY into a table without constraints or indexes', :flows,
     'c6.copy.ours', 'c6.copy.plain', 1.5, NULL),
    ('6', 'COPY into trade_flow vs COPY into a table with the primary key only', :flows,
     'c6.copy.ours', 'c6.copy.pk', NULL, 'for information: the cost of the three indexes, foreign keys and checks beyond the key');
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '6', 'load_trade_dependencies(2021, ''US''): dependency rows written', :c6_load_rows, median_ms, NULL, NULL,
       format('%s rows per second (median of %s runs)', round(:c6_load_rows / (median_ms / 1000)), runs)
FROM bench.stat WHERE label = 'c6.load.us';

-- leave the database as the other cases expect it
DELETE FROM supplychain.dependency WHERE source = 'trade-flow';
TRUNCATE supplychain.trade_flow;
DELETE FROM supplychain.product_stage WHERE NOT builtin;
DELETE FROM supplychain.product WHERE NOT builtin;
COPY (SELECT WHERE false) TO :'flows_file';
DROP FUNCTION bench.c6_flows(integer, integer);
DROP TABLE bench.c6_country;
