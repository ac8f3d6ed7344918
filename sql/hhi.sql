-- hhi: the Herfindahl-Hirschman index aggregate over shares 0..1.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- 0.92^2 + 0.08^2 = 0.8464 + 0.0064 = 0.8528 (Taiwan and Korea, below 10 nm)
SELECT round(hhi(s)::numeric, 10) FROM (VALUES (0.92::float8), (0.08)) t(s);
SELECT round(hhi(s)::numeric, 10) FROM (VALUES (0.92::numeric), (0.08)) t(s);
-- one supplier: 1; four equal suppliers: 4 * 0.25^2 = 0.25; NULLs ignored
SELECT hhi(s) FROM (VALUES (1.0::float8)) t(s);
SELECT hhi(s) FROM (VALUES (0.25::float8), (0.25), (NULL), (0.25), (0.25)) t(s);
-- no known share: NULL, not 0
SELECT hhi(s) IS NULL AS unknown FROM (VALUES (NULL::float8), (NULL)) t(s);
SELECT hhi(s) IS NULL AS unknown FROM (SELECT 0.5::numeric WHERE false) t(s);
-- shares outside 0..1 are errors
SELECT hhi(s) FROM (VALUES (1.2::float8)) t(s);
SELECT hhi(s) FROM (VALUES (-0.1::numeric)) t(s);
SELECT hhi(s) FROM (VALUES ('NaN'::float8)) t(s);
SELECT hhi(s) FROM (VALUES ('NaN'::numeric)) t(s);

-- parallel: partial aggregates combine to the serial answer
CREATE TABLE shares AS SELECT (i % 1000) / 1000.0 AS s, ((i % 1000) / 1000.0)::float8 AS f
    FROM generate_series(1, 300000) i;
ANALYZE shares;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT hhi(f) FROM shares;
SELECT round(hhi(f)::numeric, 6) AS parallel_f, round(hhi(s)::numeric, 6) AS parallel_n FROM shares;
SET max_parallel_workers_per_gather = 0;
SELECT round(hhi(f)::numeric, 6) AS serial_f, round(sum(s * s), 6) AS exact FROM shares;
RESET max_parallel_workers_per_gather;
