-- propagate: multi-tier exposure (propagate_exposure), on small graphs whose
-- answers are worked out by hand, on random graphs against WITH RECURSIVE,
-- and on the reference data (chain_exposure, tier_exposure, disruption).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- exposure(n, c) = own(n, c) + sum over edges s -> n of share x exposure(s, c),
-- over walks of at most max_tiers edges; tier = the shortest such walk.

-- A chain a -> b -> c.  a makes everything in X; b makes half itself in Y
-- and takes half from a; c makes 0.6 itself in Z and takes 0.4 from b.
--   a: X 1                                    tier 0
--   b: X 0.5 x 1 = 0.5 (tier 1), Y 0.5 (tier 0)
--   c: X 0.4 x 0.5 = 0.2 (tier 2), Y 0.4 x 0.5 = 0.2 (tier 1), Z 0.6 (tier 0)
SELECT * FROM propagate_exposure(
    $$VALUES ('a', 'b', 0.5), ('b', 'c', 0.4)$$,
    $$VALUES ('a', 'X', 1.0), ('b', 'Y', 0.5), ('c', 'Z', 0.6)$$)
ORDER BY node, country;

-- max_tiers = 1 cuts the walk a -> b -> c: c loses X, the rest is unchanged.
SELECT * FROM propagate_exposure(
    $$VALUES ('a', 'b', 0.5), ('b', 'c', 0.4)$$,
    $$VALUES ('a', 'X', 1.0), ('b', 'Y', 0.5), ('c', 'Z', 0.6)$$, 1)
ORDER BY node, country;

-- A diamond s -> l -> t, s -> r -> t; shares that do not sum to 1.
--   l takes 0.5 from s and makes 0.5 itself in JP; r takes all from s;
--   t takes 0.3 from l and 0.7 from r.
--   l: CN 0.5 (1), JP 0.5 (0)      r: CN 1.0 (1)
--   t: CN 0.3 x 0.5 + 0.7 x 1.0 = 0.85 (2, both ways), JP 0.3 x 0.5 = 0.15 (1)
SELECT node, country, round(exposure::numeric, 12) AS exposure, tier
FROM propagate_exposure(
    $$VALUES ('s', 'l', 0.5), ('s', 'r', 1.0), ('l', 't', 0.3), ('r', 't', 0.7)$$,
    $$VALUES ('s', 'CN', 1.0), ('l', 'JP', 0.5)$$)
ORDER BY node, country;

-- A cycle p <-> q, each taking half from the other, each making half itself
-- (p in X, q in Y).  Walks from p back to p have even length, to q odd:
--   max_tiers 3: p X = 0.5 (1 + 1/4) = 0.625 (0), q X = 0.5 x 0.5 (1 + 1/4) = 0.3125 (1)
--   max_tiers 32: p X = 0.5 (1 - 4^-17) / (3/4) = 0.666666666628 -> 2/3 in the limit,
--                 q X = 0.25 (1 - 4^-16) / (3/4) = 0.333333333256 -> 1/3
SELECT * FROM propagate_exposure(
    $$VALUES ('p', 'q', 0.5), ('q', 'p', 0.5)$$,
    $$VALUES ('p', 'X', 0.5), ('q', 'Y', 0.5)$$, 3)
ORDER BY node, country;
SELECT node, country, round(exposure::numeric, 10) AS exposure, tier
FROM propagate_exposure(
    $$VALUES ('p', 'q', 0.5), ('q', 'p', 0.5)$$,
    $$VALUES ('p', 'X', 0.5), ('q', 'Y', 0.5)$$)
ORDER BY node, country;
-- a self-loop: n keeps half of its own output; 0.5 + 0.25 + 0.125 at 2 tiers
SELECT * FROM propagate_exposure($$VALUES ('n', 'n', 0.5)$$, $$VALUES ('n', 'X', 0.5)$$, 2);
-- a cycle that no origin reaches gives nothing; neither does a cycle of
-- shares 1 without own production (the loop never ends without max_tiers)
SELECT count(*) FROM propagate_exposure(
    $$VALUES ('u', 'v', 1.0), ('v', 'u', 1.0), ('a', 'b', 1.0)$$,
    $$VALUES ('a', 'X', 1.0)$$);

-- A disconnected node (own production, no edges) is its own exposure; a
-- node that no origin reaches has no row; a zero share carries nothing.
SELECT * FROM propagate_exposure(
    $$VALUES ('a', 'b', 0.5), ('c', 'd', 0.0)$$,
    $$VALUES ('z', 'W', 0.3), ('c', 'X', 1.0)$$)
ORDER BY node, country;

-- Duplicate edges and duplicate origin rows add up: 0.25 + 0.25 into b;
-- a's own production 0.5 + 0.5 in X.
SELECT * FROM propagate_exposure(
    $$VALUES ('a', 'b', 0.25), ('a', 'b', 0.25)$$,
    $$VALUES ('a', 'X', 0.5), ('a', 'X', 0.5)$$)
ORDER BY node, country;

-- Ids: bigint, integer and smallint are read as integers; mixed with text
-- they meet as decimal text (10000000000 and '10000000000' are one node).
SELECT * FROM propagate_exposure(
    $$VALUES (10000000000::bigint, 9223372036854775807::bigint, 0.5)$$,
    $$VALUES (10000000000::bigint, 'CN', 1.0)$$)
ORDER BY node, country;
SELECT * FROM propagate_exposure(
    $$VALUES (1, 2::smallint, 0.5)$$,
    $$VALUES (1::bigint, 'CN', 1.0)$$)
ORDER BY node, country;
SELECT * FROM propagate_exposure(
    $$VALUES (10000000000::bigint, -7, 0.5)$$,
    $$VALUES ('10000000000', 'CN', 1.0)$$)
ORDER BY node, country;
-- shares as real, numeric or integer; ids and countries as varchar or
-- character(n) (trailing blanks are not part of the value)
SELECT * FROM propagate_exposure(
    $$VALUES ('a'::varchar, 'b'::char(3), 0.5::real), ('b', 'c', 1)$$,
    $$VALUES ('a '::char(2), 'CN'::char(4), 1::numeric)$$)
ORDER BY node, country;
-- columns are taken by position, whatever their names; a table works
CREATE TABLE link (customer text, supplier text, fraction numeric);
INSERT INTO link VALUES ('b', 'a', 0.5);
SELECT * FROM propagate_exposure(
    'SELECT supplier, customer, fraction FROM link',
    $$SELECT 'a', 'CN', 1$$)
ORDER BY node, country;
-- no rows in, no rows out
SELECT count(*) FROM propagate_exposure(
    'SELECT supplier, customer, fraction FROM link WHERE false',
    $$SELECT 'a', 'CN', 1 WHERE false$$);
-- STRICT: a NULL argument gives no rows
SELECT count(*) FROM propagate_exposure(NULL, $$SELECT 'a', 'CN', 1$$);

-- Errors, each with its SQLSTATE.
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT what, pg_temp.sqlstate_of(query) AS error
FROM (VALUES
    ('two columns',        $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b'$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('four columns',       $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 1, 2$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('share as text',      $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', '0.5'::text$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('id as boolean',      $q$SELECT * FROM propagate_exposure($$SELECT true, 'b', 0.5$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('id as numeric',      $q$SELECT * FROM propagate_exposure($$SELECT 1.5, 2, 0.5$$, $$SELECT 1, 'X', 1$$)$q$),
    ('country as integer', $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 86, 1$$)$q$),
    ('origins, 2 columns', $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 'X'$$)$q$),
    ('no result rows',     $q$SELECT * FROM propagate_exposure('DELETE FROM link', $$SELECT 'a', 'X', 1$$)$q$),
    ('two statements',     $q$SELECT * FROM propagate_exposure('SELECT 1, 2, 0.5; SELECT 1, 2, 0.5', $$SELECT 1, 'X', 1$$)$q$),
    ('empty query',        $q$SELECT * FROM propagate_exposure('', $$SELECT 1, 'X', 1$$)$q$),
    ('a write',            $q$SELECT * FROM propagate_exposure('INSERT INTO link VALUES (1, 2, 0.5) RETURNING 1, 2, 0.5', $$SELECT 1, 'X', 1$$)$q$),
    ('syntax error',       $q$SELECT * FROM propagate_exposure('SELEC 1, 2, 0.5', $$SELECT 1, 'X', 1$$)$q$),
    ('negative share',     $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', -0.1$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('share above 1',      $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 1.5$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('share NaN',          $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 'NaN'::float8$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('origin above 1',     $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 'X', 1.01$$)$q$),
    ('origin negative',    $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 'X', -1$$)$q$),
    ('null supplier',      $q$SELECT * FROM propagate_exposure($$SELECT NULL::text, 'b', 0.5$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('null customer',      $q$SELECT * FROM propagate_exposure($$SELECT 1, NULL::int, 0.5$$, $$SELECT 1, 'X', 1$$)$q$),
    ('null share',         $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', NULL::float8$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('null origin node',   $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT NULL::text, 'X', 1$$)$q$),
    ('null country',       $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', NULL::text, 1$$)$q$),
    ('null origin share',  $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 'X', NULL::numeric$$)$q$),
    ('into b above 1',     $q$SELECT * FROM propagate_exposure($$VALUES ('a', 'b', 0.6), ('c', 'b', 0.5)$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('into b 1 + 1e-12',   $q$SELECT count(*) FROM propagate_exposure($$VALUES ('a', 'b', 0.5::float8), ('c', 'b', 0.5 + 1e-12)$$, $$SELECT 'a', 'X', 1$$)$q$),
    ('own X above 1',      $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$VALUES ('a', 'X', 0.6), ('a', 'X', 0.6)$$)$q$),
    ('max_tiers 0',        $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 'X', 1$$, 0)$q$),
    ('max_tiers -1',       $q$SELECT * FROM propagate_exposure($$SELECT 'a', 'b', 0.5$$, $$SELECT 'a', 'X', 1$$, -1)$q$)
) AS t(what, query);
-- the messages' details, in full
SELECT * FROM propagate_exposure($$SELECT 'a', 'b', '0.5'::text$$, $$SELECT 'a', 'X', 1$$);
SELECT * FROM propagate_exposure($$VALUES (7, 8, 0.5), (8, 9, 1.5)$$, $$SELECT 7, 'X', 1$$);
SELECT * FROM propagate_exposure($$VALUES ('a', 'b', 0.6), ('c', 'b', 0.5)$$, $$SELECT 'a', 'X', 1$$);
SELECT * FROM propagate_exposure($$VALUES ('a', 'b', NULL::real)$$, $$SELECT 'a', 'X', 1$$);

-- Around a cycle the exposure shrinks by the cycle's share product per
-- turn; once it has shrunk to nothing (double underflow, about 1,000 turns
-- of 0.25 here) it stops moving, so even two billion tiers end at once.
SELECT node, country, round(exposure::numeric, 12) AS exposure, tier FROM propagate_exposure(
    $$VALUES ('p', 'q', 0.5), ('q', 'p', 0.5)$$, $$VALUES ('p', 'X', 0.5)$$, 2000000000)
ORDER BY node;
-- Cancel and statement_timeout stop it: a cycle that loses only 1e-6 per
-- turn would run for hundreds of millions of tiers.
SET statement_timeout = '300ms';
SELECT count(*) FROM propagate_exposure(
    $$VALUES ('p', 'q', 1.0), ('q', 'p', 0.999999)$$, $$VALUES ('p', 'X', 0.000001)$$, 2000000000);
RESET statement_timeout;

-- Random graphs against the WITH RECURSIVE formulation of the same sum:
-- every walk of at most max_tiers edges from own production, enumerated.
-- make_graph: nodes 1..n; an edge i -> j for i < j with probability p (and
-- j -> i with probability back, making cycles); weights random, scaled so
-- that the shares into a node sum to at most 1/2; own production for about
-- half the nodes, in one or two of five countries, at most 1/4 each: so a
-- node's own production and incoming shares sum to at most 1.
CREATE TEMP TABLE re (supplier bigint, customer bigint, share float8);
CREATE TEMP TABLE ro (node bigint, country text, share float8);
CREATE FUNCTION pg_temp.make_graph(seed float8, n int, p float8, back float8) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM setseed(seed);
    TRUNCATE pg_temp.re, pg_temp.ro;
    INSERT INTO pg_temp.re
    WITH raw AS (
        SELECT i AS supplier, j AS customer, random() AS w
        FROM generate_series(1, n) i, generate_series(1, n) j
        WHERE (i < j AND random() < p) OR (i > j AND random() < back)
    )
    SELECT supplier, customer, w / (2 * (1 + count(*) OVER (PARTITION BY customer)))
    FROM raw;
    INSERT INTO pg_temp.ro
    SELECT i, (ARRAY['CN', 'JP', 'KR', 'TW', 'US'])[1 + floor(random() * 5)::int], random() / 4
    FROM generate_series(1, n) i, generate_series(1, 2) k
    WHERE random() < 0.35;
    RETURN (SELECT count(*) FROM pg_temp.re);
END
$$;
CREATE FUNCTION pg_temp.compare(tiers int, text_ids boolean,
                                OUT result_rows bigint, OUT mismatches bigint, OUT max_error float8)
LANGUAGE plpgsql AS $$
DECLARE
    id text := CASE WHEN text_ids THEN '''n'' || %s' ELSE '%s' END;
BEGIN
    SELECT count(*),
           count(*) FILTER (WHERE c.node IS NULL OR r.node IS NULL
                               OR abs(c.exposure - r.exposure) > 1e-9 OR c.tier <> r.tier),
           max(abs(c.exposure - r.exposure))
    INTO result_rows, mismatches, max_error
    FROM supplychain.propagate_exposure(
             format('SELECT ' || id || ', ' || id || ', share FROM pg_temp.re', 'supplier', 'customer'),
             format('SELECT ' || id || ', country, share FROM pg_temp.ro', 'node'),
             tiers) c
    FULL JOIN (
        WITH RECURSIVE walk (node, country, share, depth) AS (
            SELECT o.node, o.country, o.share, 0 FROM pg_temp.ro o
            UNION ALL
            SELECT e.customer, w.country, w.share * e.share, w.depth + 1
            FROM walk w JOIN pg_temp.re e ON e.supplier = w.node
            WHERE w.depth < tiers
        )
        SELECT CASE WHEN text_ids THEN 'n' || node ELSE node::text END AS node,
               country, sum(share) AS exposure, min(depth) AS tier
        FROM walk GROUP BY node, country
    ) r ON r.node = c.node AND r.country = c.country;
END
$$;
-- acyclic, walks within max_tiers (one topological pass); the same graphs
-- with text ids
SELECT pg_temp.make_graph(0.1, 200, 0.02, 0) AS edges;
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(32, false);
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(32, true);
SELECT pg_temp.make_graph(0.2, 150, 0.03, 0) AS edges;
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(32, false);
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(32, true);
SELECT pg_temp.make_graph(0.3, 120, 0.04, 0) AS edges;
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(32, false);
-- acyclic but cut at 3 tiers (tier by tier)
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(3, false);
-- with cycles, 6 or 8 tiers (tier by tier)
SELECT pg_temp.make_graph(0.6, 100, 0.03, 0.01) AS edges;
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(8, false);
SELECT pg_temp.make_graph(0.7, 60, 0.05, 0.02) AS edges;
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(6, true);
SELECT pg_temp.make_graph(0.8, 40, 0.06, 0.03) AS edges;
SELECT result_rows, mismatches, max_error < 1e-12 AS close FROM pg_temp.compare(6, false);

-- Reference data.  chain_exposure: nodes are the stages of each depending
-- country's chains; a stage's own production in supplier C is C's known
-- share (largest over items); the rest, 1 - min(1, known imports), comes
-- from its upstream stages in equal parts.  US batteries, China:
--   cells    = 0.75 + 0.25 x refining            (cells import 0.75 from CN)
--   refining = 0.5 x raw + 0.5 x recycling       (CN's refining share is unknown)
--   packs = cells, recycling = packs, raw = 0
--   so cells = 0.75 + 0.125 x cells = 6/7 = 0.857142857 (tier 0),
--   packs = recycling = 6/7 (tiers 1, 2), refining = 3/7 = 0.428571429 (tier 3).
-- US semiconductors: fabrication imports TW 0.92 + KR 0.08 = everything, so
-- nothing reaches it from upstream; ATP takes all its supply from fabrication.
SELECT country, stage_id, supplier, round(exposure::numeric, 9) AS exposure, tier
FROM chain_exposure()
ORDER BY country, stage_id, supplier;
SELECT * FROM tier_exposure WHERE country = 'US' ORDER BY sector, position, supplier;

-- disruption: direct_loss = loss x known share; total_loss = loss x exposure.
SELECT country, sector, stage, round(direct_loss::numeric, 9) AS direct_loss,
       round(total_loss::numeric, 9) AS total_loss
FROM disruption('CN');
-- the brief's headline: China holds over 75 % of cell capacity
SELECT stage, total_loss >= 0.75 AS at_least_recorded_share
FROM disruption('CN') WHERE stage = 'Manufacturing Materials and Cell Fabrication';
SELECT country, sector, stage, round(direct_loss::numeric, 9) AS direct_loss,
       round(total_loss::numeric, 9) AS total_loss
FROM disruption('TW', 0.5, 'semiconductors');
SELECT count(*) AS stages, sum(total_loss) AS total FROM disruption('NL', 0);
SELECT what, pg_temp.sqlstate_of(query) AS error
FROM (VALUES
    ('unknown supplier', $q$SELECT * FROM disruption('XX')$q$),
    ('null supplier',    $q$SELECT * FROM disruption(NULL)$q$),
    ('loss above 1',     $q$SELECT * FROM disruption('CN', 1.5)$q$),
    ('loss negative',    $q$SELECT * FROM disruption('CN', -0.5)$q$),
    ('loss NaN',         $q$SELECT * FROM disruption('CN', 'NaN')$q$),
    ('loss null',        $q$SELECT * FROM disruption('CN', NULL)$q$),
    ('unknown sector',   $q$SELECT * FROM disruption('CN', 1, 'cars')$q$)
) AS t(what, query);

-- A user's own data: a dependency on a new supplier flows down the chain.
BEGIN;
INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('batteries.raw', 'US', 'CN', 'supply', 'graphite', 0.4, '2024-01-01');
-- raw = 0.4; refining = 0.5 x 0.4 + 0.5 x recycling; cells = 0.75 + 0.25 x refining;
-- recycling = cells: cells = 0.75 + 0.05 + 0.125 cells = 0.8 / 0.875 = 0.914285714,
-- refining = 0.2 + 0.5 x 0.914285714 = 0.657142857
SELECT stage, round(direct_loss::numeric, 9) AS direct_loss, round(total_loss::numeric, 9) AS total_loss
FROM disruption('CN', 1, 'batteries');
ROLLBACK;

DROP TABLE link;

-- own production plus incoming shares above 1 would make exposures above 1: an error
SELECT * FROM propagate_exposure('VALUES (1, 1, 1.0)', 'VALUES (1, ''CN'', 1.0)');
SELECT * FROM propagate_exposure('VALUES (1, 2, 1.0)', 'VALUES (1, ''CN'', 1.0), (2, ''CN'', 1.0), (2, ''KR'', 1.0)');
SELECT * FROM propagate_exposure('VALUES (1, 2, 0.5)', 'VALUES (1, ''CN'', 0.8), (1, ''KR'', 0.8)');
-- the queries must be read-only: a writing query, a locking one, a utility statement
CREATE TEMP TABLE scratch (a int, b int, s float8);
SELECT * FROM propagate_exposure('INSERT INTO scratch VALUES (1, 2, 0.5) RETURNING a, b, s', 'VALUES (1, ''CN'', 1.0)');
SELECT * FROM propagate_exposure('SELECT a, b, s FROM scratch FOR UPDATE', 'VALUES (1, ''CN'', 1.0)');
SELECT count(*) AS rows_written FROM scratch;
-- a share too large for double precision is a bad share, not an overflow
SELECT * FROM propagate_exposure('VALUES (1, 2, 1e400::numeric)', 'VALUES (1, ''CN'', 1.0)');

-- the maintained state equals its recomputation from the raw rows
SELECT count(*) AS state_differences FROM supplychain.verify_state();
