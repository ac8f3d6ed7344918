-- case6.sql - trade data: loading a year with load_trade_flows() against a
-- plain COPY followed by CREATE INDEX of the same indexes (the floor: what
-- PostgreSQL does with the rows at the least), import_dependency against a
-- bare GROUP BY over the same flows (all importers of a year, and one
-- importer), load_trade_dependencies() for one importer and year, and
-- (years > 0) that many years loaded one after the other, the last ones
-- against the first.
-- Variables: flows (about countries x products x 10), countries, years,
-- tag (appended to the labels: one run per size), runs, warmup, datadir
-- (the server's data directory, where the file goes).
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

-- Loading the year: ours is docs/trade.md's recipe, a COPY into a table of
-- trade_flow's columns and load_trade_flows(), which makes that table the
-- year's partition; the floor is a COPY into such a table followed by its
-- primary key and three indexes, each built by sort; and for information a
-- COPY straight into trade_flow (rows one by one through its indexes,
-- foreign keys, checks and triggers).
CREATE TABLE bench.c6_staging (LIKE supplychain.trade_flow);
CREATE TABLE bench.c6_floor (LIKE supplychain.trade_flow INCLUDING DEFAULTS);
CALL bench.measure(ARRAY['c6.load.ours.' || :'tag', 'c6.load.floor.' || :'tag'],
    ARRAY[format('COPY bench.c6_staging (year, exporter, importer, product, value, quantity) FROM %L WITH (FORMAT csv); '
                 'SELECT supplychain.load_trade_flows(2021, ''bench.c6_staging'')', :'flows_file'),
          format('COPY bench.c6_floor (year, exporter, importer, product, value, quantity) FROM %L WITH (FORMAT csv); '
                 'ALTER TABLE bench.c6_floor ADD PRIMARY KEY (year, exporter, importer, product); '
                 'CREATE INDEX c6_floor_importer ON bench.c6_floor (importer, product, year); '
                 'CREATE INDEX c6_floor_exporter ON bench.c6_floor (exporter, product, year); '
                 'CREATE INDEX c6_floor_product ON bench.c6_floor (product, year)', :'flows_file')],
    'clock', :runs, :warmup,
    ARRAY['DROP TABLE IF EXISTS bench.c6_staging; CREATE TABLE bench.c6_staging (LIKE supplychain.trade_flow); '
          'TRUNCATE supplychain.trade_flow; DROP TABLE IF EXISTS supplychain.trade_flow_2021',
          'DROP TABLE bench.c6_floor; CREATE TABLE bench.c6_floor (LIKE supplychain.trade_flow INCLUDING DEFAULTS)']);
DROP TABLE bench.c6_floor;
-- for information: COPY straight into trade_flow (the year's empty partition)
CALL bench.measure(ARRAY['c6.copy.direct.' || :'tag'],
    ARRAY[format('COPY supplychain.trade_flow (year, exporter, importer, product, value, quantity) FROM %L WITH (FORMAT csv)', :'flows_file')],
    'clock', 1, 0, ARRAY['TRUNCATE supplychain.trade_flow; DROP TABLE IF EXISTS supplychain.trade_flow_2021; '
                         'SELECT supplychain.trade_flow_year(2021)']);
SELECT count(*) AS c6_copy_differences FROM supplychain.verify_state() \gset
TRUNCATE supplychain.trade_flow;
DROP TABLE IF EXISTS bench.c6_staging;
CREATE TABLE bench.c6_staging (LIKE supplychain.trade_flow);
COPY bench.c6_staging (year, exporter, importer, product, value, quantity) FROM :'flows_file' WITH (FORMAT csv);
SELECT supplychain.load_trade_flows(2021, 'bench.c6_staging') AS "case 6 flows loaded";
VACUUM ANALYZE supplychain.trade_flow, supplychain.trade_country_total;
CHECKPOINT;
SELECT count(*) AS "case 6 trade_flow rows", pg_size_pretty(pg_total_relation_size('supplychain.trade_flow_2021')) AS size
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
CALL bench.measure(ARRAY['c6.all.import_dependency.' || :'tag', 'c6.all.group_by.' || :'tag'],
    ARRAY['SELECT * FROM supplychain.import_dependency WHERE year = 2021',
          'SELECT importer, product, sum(value), sum(value * value) FROM supplychain.trade_flow WHERE year = 2021 GROUP BY importer, product'],
    'explain', :runs, :warmup);
CALL bench.measure(ARRAY['c6.one.import_dependency.' || :'tag', 'c6.one.group_by.' || :'tag'],
    ARRAY[$q$SELECT * FROM supplychain.import_dependency WHERE importer = 'US' AND year = 2021$q$,
          $q$SELECT importer, product, sum(value), sum(value * value) FROM supplychain.trade_flow WHERE importer = 'US' AND year = 2021 GROUP BY importer, product$q$],
    'explain', :runs, :warmup);
-- for the report: a group importer (the EU's 27 members, their flows joined
-- to the membership)
CALL bench.measure(ARRAY['c6.eu.import_dependency.' || :'tag', 'c6.eu.group_by.' || :'tag'],
    ARRAY[$q$SELECT * FROM supplychain.import_dependency WHERE importer = 'EU' AND year = 2021$q$,
          $q$SELECT product, sum(value), sum(value * value) FROM supplychain.trade_flow WHERE importer IN (SELECT member FROM supplychain.country_group WHERE group_code = 'EU' AND until IS NULL) AND year = 2021 GROUP BY product$q$],
    'explain', :runs, :warmup);

-- load_trade_dependencies for one importer and year: every product is
-- mapped, so it writes 10 rows per product.  Each run is a first load (see
-- below); then, for information, loads of the same year again, which find
-- every row as it should be and write none.
-- Against it, what PostgreSQL itself does with those rows: written by one
-- INSERT into a table with dependency's primary key and checks and nothing
-- else; and the same with the rows of the maintained state that the write
-- makes (share_total, stage_state, supplier_state, country_state,
-- country_total_state of the keys it touches), each written once by a plain
-- INSERT into a table with the same indexes; and that with one read of the
-- importer's flows, summed per (stage, item, partner) as the load needs
-- them: the least PostgreSQL does for the load.  The rows are those of a
-- load (untimed, before).
SELECT supplychain.load_trade_dependencies(2021, 'US') AS c6_load_rows \gset
CREATE TABLE bench.c6_want AS SELECT * FROM supplychain.dependency WHERE source = 'trade-flow';
CREATE TABLE bench.c6_want_share AS SELECT t.* FROM supplychain.share_total t
    WHERE (t.stage, t.country, t.kind, t.item) IN (SELECT stage, country, kind, item FROM bench.c6_want);
CREATE TABLE bench.c6_want_stage AS SELECT t.* FROM supplychain.stage_state t
    WHERE (t.country, t.stage) IN (SELECT country, stage FROM bench.c6_want);
CREATE TABLE bench.c6_want_sup AS SELECT t.* FROM supplychain.supplier_state t
    WHERE (t.country, t.stage, t.supplier) IN (SELECT country, stage, supplier FROM bench.c6_want);
CREATE TABLE bench.c6_want_cs AS SELECT t.* FROM supplychain.country_state t
    WHERE (t.country, t.sector, t.supplier) IN (SELECT country, sector, supplier FROM bench.c6_want_sup);
CREATE TABLE bench.c6_want_ct AS SELECT t.* FROM supplychain.country_total_state t
    WHERE (t.country, t.supplier) IN (SELECT country, supplier FROM bench.c6_want_sup);
CREATE TABLE bench.c6_pkey (LIKE supplychain.dependency INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TABLE bench.c6_f_share (LIKE supplychain.share_total INCLUDING ALL);
CREATE TABLE bench.c6_f_stage (LIKE supplychain.stage_state INCLUDING ALL) WITH (fillfactor = 70);
CREATE TABLE bench.c6_f_sup (LIKE supplychain.supplier_state INCLUDING ALL) WITH (fillfactor = 70);
CREATE TABLE bench.c6_f_cs (LIKE supplychain.country_state INCLUDING ALL) WITH (fillfactor = 70);
CREATE TABLE bench.c6_f_ct (LIKE supplychain.country_total_state INCLUDING ALL) WITH (fillfactor = 70);
SELECT (SELECT count(*) FROM bench.c6_want_share) AS c6_floor_share, (SELECT count(*) FROM bench.c6_want_stage) AS c6_floor_stage,
       (SELECT count(*) FROM bench.c6_want_sup) AS c6_floor_sup, (SELECT count(*) FROM bench.c6_want_cs) AS c6_floor_cs,
       (SELECT count(*) FROM bench.c6_want_ct) AS c6_floor_ct \gset
-- Each run is a first load: before it, untimed, the last run's rows are
-- deleted (the floor's tables truncated) and the tables vacuumed, so that
-- no side finds the dead rows of the last run under its keys (a first load
-- of a year meets none).  VACUUM cannot run in a procedure: the rounds are
-- issued from here, the sides alternating as bench.measure() does.
WITH f (writes, clear) AS (
    -- the floor: the load's rows and the state's rows, each INSERTed once
    SELECT 'INSERT INTO bench.c6_pkey SELECT * FROM bench.c6_want; '
           'INSERT INTO bench.c6_f_share SELECT * FROM bench.c6_want_share; '
           'INSERT INTO bench.c6_f_stage SELECT * FROM bench.c6_want_stage; '
           'INSERT INTO bench.c6_f_sup SELECT * FROM bench.c6_want_sup; '
           'INSERT INTO bench.c6_f_cs SELECT * FROM bench.c6_want_cs; '
           'INSERT INTO bench.c6_f_ct SELECT * FROM bench.c6_want_ct',
           'TRUNCATE bench.c6_pkey, bench.c6_f_share, bench.c6_f_stage, bench.c6_f_sup, bench.c6_f_cs, bench.c6_f_ct'
)
SELECT x.stmt
FROM generate_series(1 - :warmup, :runs) r
CROSS JOIN f
CROSS JOIN LATERAL (VALUES
    (1, 'c6.deps.us.' || :'tag', $q$SELECT supplychain.load_trade_dependencies(2021, 'US')$q$,
     $q$DELETE FROM supplychain.dependency WHERE source = 'trade-flow'$q$),
    (2, 'c6.deps.pkey.' || :'tag', 'INSERT INTO bench.c6_pkey SELECT * FROM bench.c6_want', 'TRUNCATE bench.c6_pkey'),
    (3, 'c6.deps.floor.' || :'tag', f.writes, f.clear),
    -- and the importer's flows read once, summed as the load needs them
    (4, 'c6.deps.floor_read.' || :'tag',
     f.writes || '; SELECT count(*) FROM (SELECT p.importer, ps.stage, ps.item, p.partner, sum(p.value) '
     'FROM supplychain.import_partner p JOIN supplychain.product_stage ps ON ps.product = p.product '
     'WHERE p.year = 2021 AND NOT p.inside AND p.value > 0 AND p.importer = ''US'' '
     'GROUP BY p.importer, ps.stage, ps.item, p.partner) s',
     f.clear)
) s (k, label, sql, before)
CROSS JOIN LATERAL (VALUES
    (1, s.before),
    (2, 'VACUUM supplychain.dependency, supplychain.share_total, supplychain.stage_state, supplychain.supplier_state, '
        'supplychain.country_state, supplychain.country_total_state, bench.c6_pkey, bench.c6_f_share, bench.c6_f_stage, '
        'bench.c6_f_sup, bench.c6_f_cs, bench.c6_f_ct'),
    (3, format('CALL bench.measure_once(%L, %s, %L)', s.label, r, s.sql))) x (step, stmt)
ORDER BY r, CASE WHEN r % 2 = 0 THEN s.k ELSE 5 - s.k END, x.step \gexec
-- (the timed loads wrote what the first one did)
SELECT count(*) AS c6_load_again FROM supplychain.dependency WHERE source = 'trade-flow' \gset
SELECT :c6_load_again = :c6_load_rows AS c6_load_same \gset
\if :c6_load_same
\else
DO $$ BEGIN RAISE EXCEPTION 'case 6: the timed loads wrote other rows than the first'; END $$;
\endif
DROP TABLE bench.c6_want, bench.c6_want_share, bench.c6_want_stage, bench.c6_want_sup, bench.c6_want_cs, bench.c6_want_ct,
    bench.c6_pkey, bench.c6_f_share, bench.c6_f_stage, bench.c6_f_sup, bench.c6_f_cs, bench.c6_f_ct;
CALL bench.measure(ARRAY['c6.deps.again.' || :'tag'], ARRAY[$q$SELECT supplychain.load_trade_dependencies(2021, 'US')$q$],
    'clock', :runs, :warmup);

INSERT INTO bench.result ("case", name, rows, ours, base, target, note) VALUES
    ('6', 'load_trade_flows (COPY into staging + load) vs COPY + CREATE INDEX of the same four indexes', :flows,
     'c6.load.ours.' || :'tag', 'c6.load.floor.' || :'tag', 1.5, 'the floor: what PostgreSQL does with the rows at the least'),
    ('6', 'import_dependency, all importers of a year vs GROUP BY importer, product (sum, sum of squares)', :flows,
     'c6.all.import_dependency.' || :'tag', 'c6.all.group_by.' || :'tag', 1.5, format('%s countries x %s products x 10 exporters', :c6_countries, :c6_products)),
    ('6', 'import_dependency, one importer (US) vs the same GROUP BY filtered to it', :flows / :c6_countries,
     'c6.one.import_dependency.' || :'tag', 'c6.one.group_by.' || :'tag', 2.0, NULL),
    ('6', 'import_dependency, the EU (27 members) vs GROUP BY product over the members'' imports', :flows * 27 / :c6_countries,
     'c6.eu.import_dependency.' || :'tag', 'c6.eu.group_by.' || :'tag', NULL, 'for information: a group is aggregated from its members'' flows'),
    ('6', 'COPY straight into trade_flow vs the same floor', :flows,
     'c6.copy.direct.' || :'tag', 'c6.load.floor.' || :'tag', NULL,
     format('for information: rows one by one through the indexes, foreign keys and triggers; state differences after it: %s',
            :'c6_copy_differences'));
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '6', 'load_trade_dependencies(2021, ''US''), a first load: dependency rows written', :c6_load_rows, median_ms, NULL, NULL,
       format('%s rows per second (median of %s runs)', round(:c6_load_rows / (median_ms / 1000)), runs)
FROM bench.stat WHERE label = 'c6.deps.us.' || :'tag';
INSERT INTO bench.result ("case", name, rows, ours, base, target, note)
SELECT '6', 'load_trade_dependencies(2021, ''US''), a first load, vs the same rows INSERTed into a table with dependency''s primary key alone',
       :c6_load_rows, 'c6.deps.us.' || :'tag', 'c6.deps.pkey.' || :'tag', NULL,
       format('for information: PostgreSQL''s own write of the rows, %s rows per second', round(:c6_load_rows / (median_ms / 1000)))
FROM bench.stat WHERE label = 'c6.deps.pkey.' || :'tag';
INSERT INTO bench.result ("case", name, rows, ours, base, target, note)
SELECT '6', 'the same vs those rows and the state''s rows of their keys, each INSERTed once into a table with the same indexes',
       :c6_load_rows, 'c6.deps.us.' || :'tag', 'c6.deps.floor.' || :'tag', NULL,
       format('for information: the floor with the maintained state (share_total %s, stage_state %s, supplier_state %s, country_state %s, country_total_state %s rows), %s rows per second',
              :c6_floor_share, :c6_floor_stage, :c6_floor_sup, :c6_floor_cs, :c6_floor_ct, round(:c6_load_rows / (median_ms / 1000)))
FROM bench.stat WHERE label = 'c6.deps.floor.' || :'tag';
INSERT INTO bench.result ("case", name, rows, ours, base, target, note)
SELECT '6', 'the same vs that floor and one read of the importer''s flows, summed per stage, item and partner',
       :c6_load_rows, 'c6.deps.us.' || :'tag', 'c6.deps.floor_read.' || :'tag', NULL,
       format('for information: the least PostgreSQL does for the load (its rows and the state''s, each written once, and the flows read once), %s rows per second',
              round(:c6_load_rows / (median_ms / 1000)))
FROM bench.stat WHERE label = 'c6.deps.floor_read.' || :'tag';
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '6', 'load_trade_dependencies(2021, ''US'') again, the flows unchanged: rows found as they should be', :c6_load_rows,
       median_ms, NULL, NULL, format('for information: none written; %s rows per second (median of %s runs)',
                                    round(:c6_load_rows / (median_ms / 1000)), runs)
FROM bench.stat WHERE label = 'c6.deps.again.' || :'tag';

-- Years one after the other: each load_trade_flows() of the same flows as
-- another year, timed alone; the median of the last three against the
-- median of the first three (one load is one measurement: three smooth
-- the noise of a single one)
DELETE FROM supplychain.dependency WHERE source = 'trade-flow';
TRUNCATE supplychain.trade_flow;
DROP TABLE IF EXISTS supplychain.trade_flow_2021;
\if :{?years}
\else
\set years 0
\endif
SELECT :years > 0 AS c6_years \gset
\if :c6_years
CREATE UNLOGGED TABLE bench.c6_base (LIKE supplychain.trade_flow);
COPY bench.c6_base (year, exporter, importer, product, value, quantity) FROM :'flows_file' WITH (FORMAT csv);
CREATE PROCEDURE bench.c6_years(n integer, tag text)
LANGUAGE plpgsql AS $$
DECLARE
    y integer;
    t0 timestamptz;
BEGIN
    FOR y IN 2001 .. 2000 + n LOOP
        -- the year's table, as a COPY would fill it (not timed)
        CREATE TABLE bench.c6_year (LIKE supplychain.trade_flow);
        INSERT INTO bench.c6_year SELECT y, exporter, importer, product, value, quantity FROM bench.c6_base;
        COMMIT;
        t0 := clock_timestamp();
        PERFORM supplychain.load_trade_flows(y, 'bench.c6_year');
        INSERT INTO bench.timing VALUES ('c6.year.' || tag, y - 2000, 1000 * extract(epoch FROM clock_timestamp() - t0), NULL);
        -- (taken over by the load: gone, unless it was copied)
        DROP TABLE IF EXISTS bench.c6_year;
        COMMIT;
    END LOOP;
END
$$;
CALL bench.c6_years(:years, :'tag');
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, target, note)
SELECT '6', format('load_trade_flows, year %s vs year 1 (the median of the last three vs the first three)', :years),
       :flows, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE round > :years - 3),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE round <= 3), 1.2,
       format('%s years of %s flows; each year ms: %s', :years, :flows, string_agg(round(ms)::text, ' ' ORDER BY round))
FROM bench.timing WHERE label = 'c6.year.' || :'tag';
DROP PROCEDURE bench.c6_years(integer, text);
DROP TABLE bench.c6_base;
\endif

-- leave the database as the other cases expect it
DELETE FROM supplychain.dependency WHERE source = 'trade-flow';
TRUNCATE supplychain.trade_flow;
DO $$
DECLARE
    p regclass;
BEGIN
    FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'supplychain.trade_flow'::regclass LOOP
        EXECUTE format('DROP TABLE %s', p);
    END LOOP;
END
$$;
DROP TABLE IF EXISTS bench.c6_staging;
DELETE FROM supplychain.product_stage WHERE NOT builtin;
DELETE FROM supplychain.product WHERE NOT builtin;
COPY (SELECT WHERE false) TO :'flows_file';
DROP FUNCTION bench.c6_flows(integer, integer);
DROP TABLE bench.c6_country;
