-- impact_score: words, integers and both symbol legends; errors; ordering;
-- negation; symbol(); casts; binary I/O; aggregates.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

CREATE FUNCTION try_impact(v text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT %L::supplychain.impact_score', v);
    RETURN 'ok';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- every accepted spelling, and what it means
SELECT v AS input, v::impact_score AS score, v::impact_score::integer AS value
FROM (VALUES ('very negative'), ('negative'), ('neutral'), ('positive'), ('very positive'),
             ('Very_Negative'), (' very-positive '), ('NEUTRAL'),
             ('-2'), ('-1'), ('0'), ('+0'), ('-0'), ('1'), ('+1'), ('2'), ('+2'), (' +2 '),
             -- gear legend, as the brief prints it and without the variation selector
             ('☔☔'), ('☔'), ('☁️'), ('⚙️'), ('⚙️⚙️'), ('☁'), ('⚙'), ('⚙⚙'), ('⚙️⚙'), ('⚙⚙️'),
             ('☔️'), ('☔️☔️'),
             -- sun legend
             ('☹☹'), ('☹'), ('☀'), ('☀☀'), ('☀️☀️'), (' ☀☀ ')) AS t(v);

-- rejected spellings: each 22P02, naming the type and the value
SELECT v AS input, try_impact(v) AS result
FROM (VALUES (''), (' '), ('great'), ('3'), ('-3'), ('+'), ('02'), ('1.0'), ('++1'),
             ('very  negative'), ('positive positive'),
             ('☔⚙️'), ('⚙️☔'), ('☀⚙'), ('☹☀'), ('☁☁'), ('⚙⚙⚙'), ('☀☀☀'),
             ('⚙ ⚙'), ('️⚙'), ('⚙️️'), ('☂'), ('⚙️x'), ('x⚙️')) AS t(v);

-- the full error, with its hint
SELECT 'great'::impact_score;
-- invalid UTF-8 never reaches the type: the server rejects the literal
SELECT E'\xe2\x9a'::impact_score;
SELECT 1 AS still_up;

SELECT '⚙⚙'::impact_score = 'very positive' AS issue_example;

-- symbols in both legends, as the brief prints them
SELECT s, symbol(s) AS gear, symbol(s, 'gear') AS gear_explicit, symbol(s, 'sun') AS sun,
       symbol(s, 'SUN') = symbol(s, 'sun') AS legend_case_insensitive,
       symbol(s)::impact_score = s AS gear_round_trip, symbol(s, 'sun')::impact_score = s AS sun_round_trip
FROM unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) s;
SELECT symbol('-2', 'sun');
SELECT symbol('neutral', 'moon');

-- negation mirrors the scale
SELECT s, -s AS negated, -(-s) = s AS involution
FROM unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) s;
SELECT -'positive'::impact_score;

-- ordering agrees with the integer values
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (a < b) = (a::int < b::int) AND (a <= b) = (a::int <= b::int)
                          AND (a = b) = (a::int = b::int) AND (a <> b) = (a::int <> b::int)
                          AND (a >= b) = (a::int >= b::int) AND (a > b) = (a::int > b::int)
                          AND sign(impact_score_cmp(a, b)) = sign(a::int - b::int)) AS agreeing
FROM unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) a,
     unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) b;
SELECT s FROM unnest('{positive,very negative,neutral,very positive,negative}'::impact_score[]) s ORDER BY s;

-- casts to and from integer; out of range is 22003
SELECT i, i::impact_score FROM generate_series(-2, 2) i;
SELECT 3::impact_score;
SELECT (-3)::impact_score;
SELECT 2147483647::impact_score;

-- binary: one signed byte, the integer value
SELECT s, impact_score_send(s) FROM unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) s;
CREATE TABLE impact_io (s impact_score);
INSERT INTO impact_io SELECT i::impact_score FROM generate_series(-2, 2) i;
INSERT INTO impact_io VALUES (NULL);
\copy impact_io TO 'results/impact_score.bin' WITH (FORMAT binary)
CREATE TABLE impact_back (s impact_score);
\copy impact_back FROM 'results/impact_score.bin' WITH (FORMAT binary)
SELECT s FROM impact_back ORDER BY s NULLS LAST;
CREATE TABLE bad_impact (c "char");
INSERT INTO bad_impact VALUES (E'\\003'), (E'\\375');
\copy (SELECT c FROM bad_impact LIMIT 1) TO 'results/impact_bad.bin' WITH (FORMAT binary)
\copy impact_back FROM 'results/impact_bad.bin' WITH (FORMAT binary)
\copy (SELECT c FROM bad_impact OFFSET 1) TO 'results/impact_bad2.bin' WITH (FORMAT binary)
\copy impact_back FROM 'results/impact_bad2.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_after_bad_copies FROM impact_back;

-- aggregates: min, max, sum (bigint), avg (numeric); NULLs ignored; no rows gives NULL
CREATE TABLE impacts AS
    SELECT i AS id, (i % 4 - 1)::impact_score AS s FROM generate_series(1, 1000) i;
INSERT INTO impacts VALUES (0, NULL);
SELECT min(s), max(s), sum(s), avg(s), sum(s::int) AS int_sum, avg(s::int) AS int_avg FROM impacts;
SELECT min(s), max(s), sum(s), avg(s) FROM impacts WHERE id < 0;
SELECT pg_typeof(sum(s)) AS sum_type, pg_typeof(avg(s)) AS avg_type FROM impacts;

-- parallel aggregation: partial aggregates, same answer
CREATE TABLE impacts_big AS
    SELECT i AS id, (i % 4 - 1)::impact_score AS s FROM generate_series(1, 200000) i;
ANALYZE impacts_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT min(s), max(s), sum(s), avg(s) FROM impacts_big;
SELECT min(s), max(s), sum(s), avg(s) FROM impacts_big;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- grouping with hash aggregation, and a hash join
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT s, count(*) FROM impacts GROUP BY s;
SELECT s, count(*) FROM impacts GROUP BY s ORDER BY s::int NULLS FIRST;
RESET enable_sort;
CREATE TABLE impact_names AS
    SELECT s, upper(s::text) AS name FROM unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) s;
ANALYZE impacts;
ANALYZE impact_names;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT n.name, count(*) FROM impacts x JOIN impact_names n ON x.s = n.s GROUP BY n.name;
SELECT n.name, count(*) FROM impacts x JOIN impact_names n ON x.s = n.s GROUP BY n.name ORDER BY 1;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT n.name, count(*) FROM impacts x JOIN impact_names n ON x.s = n.s GROUP BY n.name;
SELECT n.name, count(*) FROM impacts x JOIN impact_names n ON x.s = n.s GROUP BY n.name ORDER BY 1;
RESET enable_hashjoin;
RESET enable_nestloop;
