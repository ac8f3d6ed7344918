-- lib.sql - the benchmark's driver: timing procedure, result tables, report.
--
-- Every case is timed by bench.measure(): one or more statements ("sides"),
-- a warm-up, then at least five measured rounds in which the sides alternate
-- (forward order in even rounds, reverse order in odd rounds, so that no side
-- always runs right after the same neighbour).  Each round commits, so a
-- round's garbage (COPY targets, temporary files) is gone before the next.
--
-- Two ways to time a statement, chosen per call and always the same for all
-- sides of one comparison:
--   'explain'  EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON): the server's own
--              execution time; the rows are produced and discarded, no
--              client transfer, no per-node clock reads.
--   'clock'    clock_timestamp() around EXECUTE (for COPY, which EXPLAIN
--              cannot run).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- one row per measured execution
CREATE TABLE bench.timing (
    label text NOT NULL,             -- e.g. 'c1.filter.stage_rating'
    round integer NOT NULL,
    ms    double precision NOT NULL,
    info  jsonb                      -- plan facts (workers launched, sort method)
);

-- one row per line of the final table
CREATE TABLE bench.result (
    seq      serial,
    "case"   text NOT NULL,
    name     text NOT NULL,
    rows     bigint,
    ours     text,                   -- label in bench.timing, or NULL
    base     text,                   -- label in bench.timing, or NULL
    ours_ms  double precision,       -- set directly when not from bench.timing
    base_ms  double precision,
    target   double precision,       -- ratio must be <= target; NULL = for information
    require  text,                   -- a plan node every run of ours must show
    note     text,
    error    text                    -- set when the case could not be measured or answered wrongly
);

-- settings and facts printed with the table
CREATE TABLE bench.fact (seq serial, key text NOT NULL, value text);

-- Collect the interesting facts of an EXPLAIN (FORMAT JSON) plan.
CREATE FUNCTION bench.plan_facts(plan jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    WITH RECURSIVE n(node, path) AS (
        SELECT plan -> 0 -> 'Plan', ARRAY[1]
        UNION ALL
        SELECT c.value, n.path || c.ordinality::integer
        FROM n, jsonb_array_elements(n.node -> 'Plans') WITH ORDINALITY c
    )
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'nodes', (SELECT string_agg(CASE WHEN node ->> 'Partial Mode' IN ('Partial', 'Finalize')
                                         THEN (node ->> 'Partial Mode') || ' ' ELSE '' END
                                    || (node ->> 'Node Type'), ' > ' ORDER BY path)
                  FROM n),
        'workers_launched', (SELECT max((node ->> 'Workers Launched')::int) FROM n),
        'sort', (SELECT string_agg(DISTINCT (node ->> 'Sort Method') || ' ' || (node ->> 'Sort Space Type'), ', ')
                 FROM n WHERE node ? 'Sort Method'),
        'hash_batches', (SELECT max((node ->> 'HashAgg Batches')::int) FROM n),
        'disk_kb', (SELECT sum((node ->> 'Disk Usage')::bigint) FROM n WHERE node ? 'Disk Usage'),
        'planning_ms', round((plan -> 0 ->> 'Planning Time')::numeric, 3)
    ))
$$;

-- Time the statements sql[i] (labels label[i]); before[i], when not NULL,
-- runs untimed and committed just before each execution of sql[i].
CREATE PROCEDURE bench.measure(label text[], sql text[], how text,
                               runs integer, warmup integer,
                               before text[] DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    n integer := array_length(sql, 1);
    r integer;
    k integer;
    i integer;
    t0 timestamptz;
    ms double precision;
    plan jsonb;
    facts jsonb;
BEGIN
    IF how NOT IN ('explain', 'clock') THEN
        RAISE EXCEPTION 'unknown timing method %', how;
    END IF;
    FOR r IN 1 - warmup .. runs LOOP
        FOR k IN 1 .. n LOOP
            i := CASE WHEN r % 2 = 0 THEN k ELSE n + 1 - k END;
            IF before IS NOT NULL AND before[i] IS NOT NULL THEN
                EXECUTE before[i];
                COMMIT;
            END IF;
            facts := NULL;
            IF how = 'explain' THEN
                EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) ' || sql[i] INTO plan;
                ms := (plan -> 0 ->> 'Execution Time')::double precision;
                facts := bench.plan_facts(plan);
            ELSE
                t0 := clock_timestamp();
                EXECUTE sql[i];
                ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
            END IF;
            IF r >= 1 THEN
                INSERT INTO bench.timing VALUES (label[i], r, ms, facts);
            END IF;
            COMMIT;
        END LOOP;
    END LOOP;
END
$$;

-- One timed execution of sql, recorded under label when round >= 1 (a round
-- below 1 is a warm-up), and committed: for measures whose untimed step
-- before each run cannot run in a procedure (VACUUM), the script issues
-- the rounds itself, alternating the sides as bench.measure() does.
CREATE PROCEDURE bench.measure_once(label text, round integer, sql text)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    ms double precision;
BEGIN
    t0 := clock_timestamp();
    EXECUTE sql;
    ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
    IF round >= 1 THEN
        INSERT INTO bench.timing VALUES (label, round, ms, NULL);
    END IF;
    COMMIT;
END
$$;

-- Median (and spread) of each label.
CREATE VIEW bench.stat AS
SELECT label,
       count(*) AS runs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms,
       min(ms) AS min_ms,
       max(ms) AS max_ms,
       string_agg(DISTINCT info ->> 'nodes', ' | ') AS plans,
       string_agg(DISTINCT info ->> 'sort', ', ') AS sort,
       min((info ->> 'workers_launched')::integer) AS min_workers,
       max((info ->> 'workers_launched')::integer) AS max_workers,
       max((info ->> 'hash_batches')::integer) AS hash_batches,
       max((info ->> 'disk_kb')::bigint) AS disk_kb
FROM bench.timing GROUP BY label;

CREATE VIEW bench.report AS
SELECT r.seq, r."case", r.name, r.rows, m.ours_ms, m.base_ms,
       m.ours_ms / NULLIF(m.base_ms, 0) AS ratio,
       r.target,
       CASE WHEN r.error IS NOT NULL THEN 'error'
            WHEN m.ours_ms IS NULL AND m.base_ms IS NULL THEN 'n/a'
            WHEN r.target IS NULL THEN 'info'
            WHEN m.ours_ms IS NULL OR m.base_ms IS NULL THEN 'n/a'
            WHEN m.lacks THEN 'missed'
            WHEN m.ours_ms / NULLIF(m.base_ms, 0) <= r.target THEN 'met'
            ELSE 'missed' END AS status,
       o.min_ms AS ours_min_ms, o.max_ms AS ours_max_ms,
       b.min_ms AS base_min_ms, b.max_ms AS base_max_ms,
       o.runs,
       concat_ws('; ', r.error, r.note,
                 CASE WHEN m.lacks THEN 'no ' || r.require || ' in the plan' END,
                 CASE WHEN o.max_workers IS NOT NULL
                      THEN format('workers launched %s..%s / %s..%s', o.min_workers, o.max_workers,
                                  b.min_workers, b.max_workers) END) AS note
FROM bench.result r
LEFT JOIN bench.stat o ON o.label = r.ours
LEFT JOIN bench.stat b ON b.label = r.base
CROSS JOIN LATERAL (
    SELECT COALESCE(r.ours_ms, o.median_ms) AS ours_ms,
           COALESCE(r.base_ms, b.median_ms) AS base_ms,
           r.require IS NOT NULL
           AND (NOT EXISTS (SELECT FROM bench.timing t WHERE t.label = r.ours)
                OR EXISTS (SELECT FROM bench.timing t WHERE t.label = r.ours
                           AND COALESCE(t.info ->> 'nodes', '') NOT LIKE '%' || r.require || '%')) AS lacks) m;

-- Peak resident memory of this backend (VmHWM), and resetting it.
CREATE FUNCTION bench.vm_hwm_kb() RETURNS bigint
LANGUAGE sql AS $$
    SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+) kB'))[1]::bigint
$$;
CREATE FUNCTION bench.vm_rss_kb() RETURNS bigint
LANGUAGE sql AS $$
    SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+) kB'))[1]::bigint
$$;
CREATE PROCEDURE bench.vm_hwm_reset()
LANGUAGE plpgsql AS $$
BEGIN
    -- "5" resets the peak RSS counter (Linux >= 4.0); harmless where it fails
    COPY (SELECT 5) TO '/proc/self/clear_refs';
EXCEPTION WHEN OTHERS THEN
    NULL;
END
$$;

-- Native enums with the labels of the two types, the baselines of cases 1 and 2.
CREATE TYPE bench.rating_enum AS ENUM ('very weak', 'weak', 'satisfactory');
CREATE TYPE bench.impact_enum AS ENUM ('very negative', 'negative', 'neutral', 'positive', 'very positive');
