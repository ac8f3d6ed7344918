-- 04_propagate.sql - properties of propagate_exposure and disruption: how
-- they are marked, bounds, monotonicity in max_tiers, linearity, the same
-- answer whatever the type of the ids.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
SET search_path = public, supplychain;
BEGIN;
SELECT plan(16);

-- how the functions are marked
SELECT is((SELECT provolatile::text || proparallel::text || proisstrict::text || prosecdef::text
           FROM pg_proc WHERE oid = 'supplychain.propagate_exposure(text, text, integer)'::regprocedure),
          'vutruefalse', 'propagate_exposure is VOLATILE, PARALLEL UNSAFE, STRICT, not SECURITY DEFINER');
SELECT is((SELECT count(*) FROM pg_proc
           WHERE oid IN ('supplychain.disruption(text, double precision, text, text)'::regprocedure,
                         'supplychain.disruption_rows(text, double precision, text, text)'::regprocedure,
                         'supplychain.chain_exposure(text, integer, text)'::regprocedure)
             AND provolatile = 's' AND proparallel = 'u' AND NOT prosecdef
             AND 'search_path=pg_catalog, pg_temp' = ANY (proconfig)), 3::bigint,
          'disruption and chain_exposure are STABLE, PARALLEL UNSAFE, with a pinned search_path');

-- A random graph with cycles in which own production plus incoming shares
-- sum to at most 1 at every node: then every exposure is a fraction and a
-- node's exposures over all countries sum to at most 1.
SELECT setseed(0.25);
CREATE TEMP TABLE g_edges AS
WITH raw AS (
    SELECT i AS supplier, j AS customer, random() AS w
    FROM generate_series(1, 300) i, generate_series(1, 300) j
    WHERE i <> j AND random() < CASE WHEN i < j THEN 0.02 ELSE 0.004 END
)
SELECT supplier::bigint, customer::bigint,
       0.7 * w / sum(w) OVER (PARTITION BY customer) AS share
FROM raw;
CREATE TEMP TABLE g_origins AS
SELECT i::bigint AS node, 'C' || (i % 7) AS country, 0.3 AS share
FROM generate_series(1, 300) i;

CREATE TEMP TABLE r10 AS
SELECT * FROM propagate_exposure('SELECT supplier, customer, share FROM g_edges',
                                 'SELECT node, country, share FROM g_origins', 10);
CREATE TEMP TABLE r20 AS
SELECT * FROM propagate_exposure('SELECT supplier, customer, share FROM g_edges',
                                 'SELECT node, country, share FROM g_origins', 20);

SELECT ok((SELECT count(*) FROM r20) > 300, 'the random graph gives rows beyond own production');
SELECT is((SELECT count(*) FROM r20 WHERE NOT (exposure > 0 AND exposure <= 1 + 1e-12)), 0::bigint,
          'every exposure is in (0, 1]');
SELECT is((SELECT count(*) FROM (SELECT node FROM r20 GROUP BY node HAVING sum(exposure) > 1 + 1e-12) t),
          0::bigint, 'a node''s exposures over all countries sum to at most 1');
SELECT is((SELECT count(*) FROM r20 WHERE tier < 0 OR tier > 20), 0::bigint,
          'tiers lie between 0 and max_tiers');

-- more tiers: more walks, never less exposure, never a later tier
SELECT is((SELECT count(*) FROM r10 a LEFT JOIN r20 b USING (node, country)
           WHERE b.node IS NULL OR b.exposure < a.exposure - 1e-15 OR b.tier <> a.tier), 0::bigint,
          'exposure grows with max_tiers and tiers already found stay');

-- the same graph with text ids, and with integer ids and other share
-- types, gives the same rows
SELECT is((SELECT count(*)
           FROM r20 a
           FULL JOIN propagate_exposure('SELECT ''n'' || supplier, ''n'' || customer, share FROM g_edges',
                                        'SELECT ''n'' || node, country, share FROM g_origins', 20) b
             ON b.node = 'n' || a.node AND b.country = a.country
           WHERE a.node IS NULL OR b.node IS NULL OR a.tier <> b.tier
              OR abs(a.exposure - b.exposure) > 1e-12), 0::bigint,
          'text ids give the same rows as bigint ids');
SELECT is((SELECT count(*)
           FROM r20 a
           FULL JOIN propagate_exposure('SELECT supplier::integer, customer::integer, share::numeric FROM g_edges',
                                        'SELECT node::integer, country::varchar, share::numeric FROM g_origins', 20) b
             USING (node, country)
           WHERE a.node IS NULL OR b.node IS NULL OR a.tier <> b.tier
              OR abs(a.exposure - b.exposure) > 1e-12), 0::bigint,
          'integer ids, varchar countries and numeric shares give the same rows');

-- linear in own production: halving it halves every exposure
SELECT is((SELECT count(*) FROM r20 a
           JOIN propagate_exposure('SELECT supplier, customer, share FROM g_edges',
                                   'SELECT node, country, share / 2 FROM g_origins', 20) b
             USING (node, country)
           WHERE abs(b.exposure - a.exposure / 2) > 1e-12), 0::bigint,
          'exposure is linear in own production');

-- on an acyclic graph shallower than max_tiers the answer is exact:
-- any larger max_tiers gives the same rows
CREATE TEMP TABLE dag AS SELECT * FROM g_edges WHERE supplier < customer;
SELECT is((SELECT count(*) FROM (
               SELECT node, country, round(exposure::numeric, 12), tier
               FROM propagate_exposure('SELECT * FROM dag', 'SELECT * FROM g_origins', 300)
               EXCEPT
               SELECT node, country, round(exposure::numeric, 12), tier
               FROM propagate_exposure('SELECT * FROM dag', 'SELECT * FROM g_origins', 100000)) t),
          0::bigint, 'on a DAG, max_tiers beyond its depth changes nothing');

-- disruption: linear in loss, total never below direct
SELECT is((SELECT count(*) FROM disruption('CN', 0.3) a
           JOIN disruption('CN', 1.0) b USING (country, sector, stage)
           WHERE abs(a.total_loss - 0.3 * b.total_loss) > 1e-12
              OR abs(a.direct_loss - 0.3 * b.direct_loss) > 1e-12), 0::bigint,
          'disruption is linear in loss');
SELECT is((SELECT count(*) FROM country c, LATERAL disruption(c.code) d
           WHERE d.total_loss < d.direct_loss - 1e-12 OR d.total_loss > 1 + 1e-12), 0::bigint,
          'for every supplier, direct_loss <= total_loss <= 1');

-- errors
SELECT throws_ok($$SELECT * FROM supplychain.propagate_exposure('SELECT 1, 2', 'SELECT 1, ''X'', 1')$$,
                 '42804', NULL, 'a wrong column count is 42804');
SELECT throws_ok($$SELECT * FROM supplychain.propagate_exposure('VALUES (1, 2, 0.7), (3, 2, 0.7)', 'SELECT 1, ''X'', 1')$$,
                 '22023', 'shares into node 2 sum to 1.4, above 1', 'shares into a node above 1 are 22023');
SELECT throws_ok($$SELECT * FROM supplychain.disruption('CN', 2)$$,
                 '22023', NULL, 'a loss above 1 is 22023');

SELECT * FROM finish();
ROLLBACK;
