-- 01_types.sql - properties of stage_rating and impact_score: every level
-- round-trips through text, integer and binary; ordering agrees with the
-- integer values; -(-x) = x; aggregates agree with integer arithmetic.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
SET search_path = public, supplychain;
BEGIN;
SELECT plan(24);

-- round trips, every level
SELECT is((SELECT count(*) FROM generate_series(1, 3) i
           WHERE i::stage_rating::text::stage_rating::integer = i), 3::bigint,
          'stage_rating: integer -> text -> rating -> integer is the identity');
SELECT is((SELECT count(*) FROM generate_series(-2, 2) i
           WHERE i::impact_score::text::impact_score::integer = i), 5::bigint,
          'impact_score: integer -> text -> score -> integer is the identity');
SELECT is((SELECT count(*) FROM generate_series(1, 3) i
           WHERE stage_rating_send(i::stage_rating) = set_byte('\x00'::bytea, 0, i)), 3::bigint,
          'stage_rating: send gives the integer value as one byte');
SELECT is((SELECT count(*) FROM generate_series(-2, 2) i
           WHERE impact_score_send(i::impact_score) = set_byte('\x00'::bytea, 0, (i + 256) % 256)), 5::bigint,
          'impact_score: send gives the integer value as one two''s-complement byte');
SELECT is((SELECT count(*) FROM generate_series(-2, 2) i, unnest(ARRAY['gear', 'sun']) l
           WHERE symbol(i::impact_score, l)::impact_score = i::impact_score), 10::bigint,
          'impact_score: every symbol in both legends parses back to its score');

-- ordering agrees with the integer values, for every pair and operator
SELECT is((SELECT count(*) FROM generate_series(1, 3) a, generate_series(1, 3) b
           WHERE (a::stage_rating < b::stage_rating) = (a < b)
             AND (a::stage_rating <= b::stage_rating) = (a <= b)
             AND (a::stage_rating = b::stage_rating) = (a = b)
             AND (a::stage_rating <> b::stage_rating) = (a <> b)
             AND (a::stage_rating >= b::stage_rating) = (a >= b)
             AND (a::stage_rating > b::stage_rating) = (a > b)
             AND sign(stage_rating_cmp(a::stage_rating, b::stage_rating)) = sign(a - b)), 9::bigint,
          'stage_rating: all six operators and cmp agree with integer order');
SELECT is((SELECT count(*) FROM generate_series(-2, 2) a, generate_series(-2, 2) b
           WHERE (a::impact_score < b::impact_score) = (a < b)
             AND (a::impact_score <= b::impact_score) = (a <= b)
             AND (a::impact_score = b::impact_score) = (a = b)
             AND (a::impact_score <> b::impact_score) = (a <> b)
             AND (a::impact_score >= b::impact_score) = (a >= b)
             AND (a::impact_score > b::impact_score) = (a > b)
             AND sign(impact_score_cmp(a::impact_score, b::impact_score)) = sign(a - b)), 25::bigint,
          'impact_score: all six operators and cmp agree with integer order');
SELECT is((SELECT count(*) FROM generate_series(1, 3) a, generate_series(1, 3) b
           WHERE (stage_rating_hash(a::stage_rating) = stage_rating_hash(b::stage_rating)) = (a = b)), 9::bigint,
          'stage_rating: hashes differ exactly when values differ');
SELECT is((SELECT count(*) FROM generate_series(-2, 2) a
           WHERE (impact_score_hash_extended(a::impact_score, 0) & 4294967295)
                 = (impact_score_hash(a::impact_score)::bigint & 4294967295)
             AND impact_score_hash_extended(a::impact_score, 1) <> impact_score_hash_extended(a::impact_score, 0)), 5::bigint,
          'impact_score: extended hash with seed 0 matches the 32-bit hash; seeds change it');

-- a sorted random sample is sorted by integer value
SELECT setseed(0.42);
CREATE TEMP TABLE sample AS
    SELECT (1 + floor(random() * 3))::int AS r, (floor(random() * 5) - 2)::int AS s
    FROM generate_series(1, 5000);
SELECT is((SELECT array_agg(r::stage_rating::int ORDER BY r::stage_rating) FROM sample),
          (SELECT array_agg(r ORDER BY r) FROM sample),
          'stage_rating: ORDER BY matches integer ORDER BY on 5000 random values');
SELECT is((SELECT array_agg(s::impact_score::int ORDER BY s::impact_score DESC) FROM sample),
          (SELECT array_agg(s ORDER BY s DESC) FROM sample),
          'impact_score: ORDER BY DESC matches integer ORDER BY DESC');

-- negation
SELECT is((SELECT count(*) FROM generate_series(-2, 2) i
           WHERE -(-(i::impact_score)) = i::impact_score AND (-(i::impact_score))::int = -i), 5::bigint,
          'impact_score: -(-x) = x and -x has value -value(x)');

-- aggregates agree with integer arithmetic
SELECT is((SELECT min(r::stage_rating)::int FROM sample), (SELECT min(r) FROM sample), 'stage_rating: min');
SELECT is((SELECT max(r::stage_rating)::int FROM sample), (SELECT max(r) FROM sample), 'stage_rating: max');
SELECT is((SELECT min(s::impact_score)::int FROM sample), (SELECT min(s) FROM sample), 'impact_score: min');
SELECT is((SELECT max(s::impact_score)::int FROM sample), (SELECT max(s) FROM sample), 'impact_score: max');
SELECT is((SELECT sum(s::impact_score) FROM sample), (SELECT sum(s) FROM sample), 'impact_score: sum');
SELECT is((SELECT avg(s::impact_score) FROM sample), (SELECT avg(s) FROM sample), 'impact_score: avg');
SELECT is((SELECT array_agg(sm ORDER BY r) FROM (SELECT r, sum(s::impact_score) sm FROM sample GROUP BY r) t),
          (SELECT array_agg(sm ORDER BY r) FROM (SELECT r, sum(s)::bigint sm FROM sample GROUP BY r) t),
          'impact_score: grouped sums');

-- errors carry the right SQLSTATE
SELECT throws_ok($$SELECT 'medium'::supplychain.stage_rating$$, '22P02',
                 'invalid input syntax for type stage_rating: "medium"', 'bad rating text is 22P02');
SELECT throws_ok($$SELECT 'great'::supplychain.impact_score$$, '22P02',
                 'invalid input syntax for type impact_score: "great"', 'bad impact text is 22P02');
SELECT throws_ok($$SELECT 4::supplychain.stage_rating$$, '22003', NULL, 'rating out of integer range is 22003');
SELECT throws_ok($$SELECT (-3)::supplychain.impact_score$$, '22003', NULL, 'impact out of integer range is 22003');
SELECT throws_ok($$SELECT supplychain.symbol('positive', 'moon')$$, '22023', NULL, 'unknown legend is 22023');

SELECT * FROM finish();
ROLLBACK;
