-- case5.sql - propagate_exposure on a generated supplier graph, against the
-- WITH RECURSIVE formulation of the same result and against one sequential
-- scan of the edge table.  run.sh runs this file only when
-- supplychain.propagate_exposure exists.
-- Variables: edges, fanin, tiers, countries, runs, warmup.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- A layered DAG: tiers 0 .. :tiers of :width nodes each (node id = tier x
-- width + k); node k of a tier above 0 buys from the :fanin nodes k, k + 7,
-- k + 14, ... (mod width) of the tier below, so paths fan out and meet again
-- (many diamonds) while each node's upstream cone stays regional.  Shares
-- are truncated below 1/:fanin, so they sum below 1 into every node.  Tier-0
-- nodes produce 0.6 in the country of their block of width / :countries
-- nodes and 0.4 in the next country, so a node traces back to a few
-- countries and the result has a few rows per node, not one per country.
-- Pure arithmetic on row numbers: the same graph on every run.
\set width ((:edges + :fanin * :tiers - 1) / (:fanin * :tiers))
CREATE TABLE bench.c5_edges (supplier bigint NOT NULL, customer bigint NOT NULL, share double precision NOT NULL);
INSERT INTO bench.c5_edges
SELECT c / :width * :width + (c % :width + j * 7) % :width,
       (c / :width + 1) * :width + c % :width,
       trunc((e * 2654435761 % 10000) / (10000.0 * :fanin), 6)
FROM generate_series(0, :edges - 1) e,
     LATERAL (SELECT e / :fanin AS c, e % :fanin AS j) x;
CREATE TABLE bench.c5_origins (node bigint NOT NULL, country text NOT NULL, share double precision NOT NULL);
INSERT INTO bench.c5_origins
SELECT k, chr(65 + (b / 26)::integer) || chr(65 + (b % 26)::integer), share
FROM generate_series(0, :width - 1) k,
     LATERAL (VALUES (k * :countries / :width, 0.6),
                     ((k * :countries / :width + 1) % :countries, 0.4)) o(b, share);
VACUUM (FREEZE, ANALYZE) bench.c5_edges, bench.c5_origins;
SELECT (SELECT count(*) FROM bench.c5_edges) AS "case 5 edges",
       (SELECT count(*) FROM bench.c5_origins) AS origins,
       :width AS nodes_per_tier, :tiers + 1 AS tiers,
       pg_size_pretty(pg_total_relation_size('bench.c5_edges')) AS edge_table;

-- Tier convention of the reference: a node's own production is tier 0, its
-- direct suppliers' production tier 1, and so on.
CREATE VIEW bench.c5_recursive AS
WITH RECURSIVE walk (node, country, exposure, tier) AS (
    SELECT node, country, share, 0 FROM bench.c5_origins
    UNION ALL
    SELECT e.customer, w.country, w.exposure * e.share, w.tier + 1
    FROM walk w JOIN bench.c5_edges e ON e.supplier = w.node
    WHERE w.tier < 32
)
SELECT node::text AS node, country, sum(exposure) AS exposure, min(tier) AS tier
FROM walk GROUP BY node, country;

CREATE VIEW bench.c5_kernel AS
SELECT * FROM supplychain.propagate_exposure(
    'SELECT supplier, customer, share FROM bench.c5_edges',
    'SELECT node, country, share FROM bench.c5_origins');

-- Same answer?  Exposures must agree to 1e-9; a constant tier offset is a
-- convention and only noted.
CREATE TABLE bench.c5_check AS
WITH k AS (SELECT node::text AS node, country::text AS country, exposure, tier FROM bench.c5_kernel
           WHERE exposure <> 0),
     r AS (SELECT * FROM bench.c5_recursive WHERE exposure <> 0)
SELECT count(*) FILTER (WHERE k.node IS NULL) AS only_recursive,
       count(*) FILTER (WHERE r.node IS NULL) AS only_kernel,
       count(*) FILTER (WHERE abs(k.exposure - r.exposure) > 1e-9) AS exposure_differs,
       count(DISTINCT k.tier - r.tier) AS tier_offsets,
       min(k.tier - r.tier) AS tier_offset,
       count(*) AS pairs
FROM k FULL JOIN r ON k.node = r.node AND k.country = r.country;
SELECT * FROM bench.c5_check;

-- Peak memory of one call: each in a fresh backend (a used one keeps freed
-- memory resident, which hides new allocations), after reading the edges
-- once, as VmHWM (reset just before the call) above the resident size.
CREATE TABLE bench.c5_mem (what text, rss_before_kb bigint, peak_kb bigint);
\connect
SELECT count(*) AS edges_read FROM bench.c5_edges;
CALL bench.vm_hwm_reset();
INSERT INTO bench.c5_mem SELECT 'kernel', bench.vm_rss_kb(), NULL;
SELECT count(*) AS kernel_rows FROM bench.c5_kernel;
UPDATE bench.c5_mem SET peak_kb = bench.vm_hwm_kb() WHERE what = 'kernel';
\connect
SELECT count(*) AS edges_read FROM bench.c5_edges;
CALL bench.vm_hwm_reset();
INSERT INTO bench.c5_mem SELECT 'recursive', bench.vm_rss_kb(), NULL;
SELECT count(*) AS recursive_rows FROM bench.c5_recursive;
UPDATE bench.c5_mem SET peak_kb = bench.vm_hwm_kb() WHERE what = 'recursive';
\connect
SET client_min_messages = warning;
SELECT what, rss_before_kb, peak_kb, peak_kb - rss_before_kb AS peak_above_kb FROM bench.c5_mem;

CALL bench.measure(ARRAY['c5.kernel', 'c5.recursive', 'c5.scan'],
    ARRAY['SELECT * FROM bench.c5_kernel',
          'SELECT * FROM bench.c5_recursive',
          'SELECT supplier, customer, share FROM bench.c5_edges'],
    'explain', :runs, :warmup);

INSERT INTO bench.result ("case", name, rows, ours, base, target, note, error)
SELECT '5', 'propagate_exposure vs WITH RECURSIVE (>= 10x faster)', :edges, 'c5.kernel', 'c5.recursive', 0.1,
       format('%s (node, country) pairs; tier offset %s', c.pairs, c.tier_offset),
       CASE WHEN c.only_recursive + c.only_kernel + c.exposure_differs > 0
            THEN format('results differ: %s pairs only in WITH RECURSIVE, %s only in the kernel, %s exposures off by > 1e-9',
                        c.only_recursive, c.only_kernel, c.exposure_differs)
            WHEN c.tier_offsets > 1 THEN 'tiers differ from the WITH RECURSIVE tiers by more than a constant' END
FROM bench.c5_check c
UNION ALL
SELECT '5', 'propagate_exposure vs one seq scan of the edges', :edges, 'c5.kernel', 'c5.scan', 3, NULL, NULL;
INSERT INTO bench.result ("case", name, rows, ours_ms, base_ms, note)
SELECT '5', 'peak backend memory in MB (not ms): propagate_exposure vs WITH RECURSIVE', :edges,
       round((k.peak_kb - k.rss_before_kb) / 1024.0, 1), round((r.peak_kb - r.rss_before_kb) / 1024.0, 1),
       format('VmHWM above the session''s resident size before the call (%s MB)', round(k.rss_before_kb / 1024.0))
FROM bench.c5_mem k, bench.c5_mem r WHERE k.what = 'kernel' AND r.what = 'recursive';

DROP VIEW bench.c5_kernel, bench.c5_recursive;
DROP TABLE bench.c5_edges, bench.c5_origins, bench.c5_check, bench.c5_mem;
