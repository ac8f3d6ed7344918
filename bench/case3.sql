-- case3.sql - hhi(share) against sum(share * share), serial and parallel.
-- Variables: rows, seed, runs, warmup, workers.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

SELECT setseed(:seed);
CREATE TABLE bench.c3 (share double precision) WITH (parallel_workers = :workers);
INSERT INTO bench.c3 SELECT random() FROM generate_series(1, :rows);
VACUUM (FREEZE, ANALYZE) bench.c3;

-- the aggregate computes what the baseline computes
DO $$
DECLARE
    a double precision;
    b double precision;
BEGIN
    SELECT hhi(share), sum(share * share) INTO a, b FROM bench.c3;
    IF abs(a - b) > 1e-9 * b THEN
        RAISE EXCEPTION 'case 3: hhi % differs from sum(share * share) %', a, b;
    END IF;
END
$$;

SET max_parallel_workers_per_gather = 0;
CALL bench.measure(ARRAY['c3.serial.hhi', 'c3.serial.sum'],
    ARRAY['SELECT hhi(share) FROM bench.c3',
          'SELECT sum(share * share) FROM bench.c3'],
    'explain', :runs, :warmup);

-- Parallel: the planner is told that workers are free, so that the same
-- parallel plan is chosen at every size (the plans are printed).
SET max_parallel_workers_per_gather = :workers;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
\echo
\echo '== case 3: parallel plans (hhi must run as Partial Aggregate in the workers)'
EXPLAIN (COSTS OFF) SELECT hhi(share) FROM bench.c3;
EXPLAIN (COSTS OFF) SELECT sum(share * share) FROM bench.c3;
CALL bench.measure(ARRAY['c3.parallel.hhi', 'c3.parallel.sum'],
    ARRAY['SELECT hhi(share) FROM bench.c3',
          'SELECT sum(share * share) FROM bench.c3'],
    'explain', :runs, :warmup);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

INSERT INTO bench.result ("case", name, rows, ours, base, target, require) VALUES
    ('3', 'hhi(share) vs sum(share * share), serial', :rows, 'c3.serial.hhi', 'c3.serial.sum', 1.1, NULL),
    ('3', format('hhi(share) vs sum(share * share), parallel (%s workers)', :workers), :rows,
     'c3.parallel.hhi', 'c3.parallel.sum', 1.1, 'Partial Aggregate');

DROP TABLE bench.c3;
