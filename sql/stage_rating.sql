-- stage_rating: input spellings, errors, ordering, casts, binary I/O,
-- operator classes, indexes, joins and aggregates.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- the storage the design promises: one byte, passed by value
SELECT typname, typlen, typbyval, typalign, typstorage
FROM pg_type WHERE typnamespace = 'supplychain'::regnamespace
  AND typname IN ('stage_rating', 'impact_score') ORDER BY typname;

-- catch an error as text: SQLSTATE and message
CREATE FUNCTION try_input(v text, t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT %L::%s', v, t);
    RETURN 'ok';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- every accepted spelling, and what it means
SELECT v AS input, v::stage_rating AS rating, v::stage_rating::integer AS value
FROM (VALUES ('very weak'), ('weak'), ('satisfactory'),
             ('Very_Weak'), (' very-weak '), ('VERY WEAK'), (E'\tvery weak\n'),
             ('Weak'), ('WEAK'), ('  weak'), ('Satisfactory'), ('SATISFACTORY ')) AS t(v);

-- rejected spellings: each 22P02, naming the type and the value
SELECT v AS input, try_input(v, 'stage_rating') AS result
FROM (VALUES (''), ('   '), ('medium'), ('very  weak'), ('veryweak'), ('very__weak'),
             ('very weak!'), ('weakk'), ('1'), ('satisfactory satisfactory'),
             ('very' || chr(160) || 'weak'), ('wea'), ('-weak'), ('weak_'),
             ('☔'), ('very weakly'), ('неуд')) AS t(v);

-- the full error, with its hint; the server is still up afterwards
SELECT 'medium'::stage_rating;
SELECT 1 AS still_up;
-- a very long input is clipped in the message
SELECT try_input(repeat('weak ', 10000), 'stage_rating');

-- ordering agrees with the integer values
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge, a > b AS gt,
       stage_rating_cmp(a, b) AS cmp
FROM unnest('{very weak,weak,satisfactory}'::stage_rating[]) a,
     unnest('{very weak,weak,satisfactory}'::stage_rating[]) b
ORDER BY a, b;
SELECT 'Very_Weak'::stage_rating < 'satisfactory' AS issue_example;

-- casts to and from integer; out of range is 22003
SELECT i, i::stage_rating FROM generate_series(1, 3) i;
SELECT 0::stage_rating;
SELECT 4::stage_rating;
SELECT (-2147483648)::stage_rating;
SELECT 'weak'::stage_rating::text, 'weak'::text::stage_rating;

-- binary: one byte, the integer value
SELECT stage_rating_send(r) FROM unnest('{very weak,weak,satisfactory}'::stage_rating[]) r;
CREATE TABLE rating_io (r stage_rating);
INSERT INTO rating_io VALUES ('very weak'), ('weak'), ('satisfactory'), (NULL);
\copy rating_io TO 'results/stage_rating.bin' WITH (FORMAT binary)
CREATE TABLE rating_back (r stage_rating);
\copy rating_back FROM 'results/stage_rating.bin' WITH (FORMAT binary)
SELECT r FROM rating_back ORDER BY r NULLS LAST;
SELECT (SELECT count(*) FROM rating_io a JOIN rating_back b ON a.r = b.r) AS matched;
-- recv rejects a byte out of range, and a field of the wrong length
CREATE TABLE bad_bytes (c "char", s smallint);
INSERT INTO bad_bytes VALUES (E'\\007', 1);
\copy (SELECT c FROM bad_bytes) TO 'results/rating_bad.bin' WITH (FORMAT binary)
\copy rating_back FROM 'results/rating_bad.bin' WITH (FORMAT binary)
\copy (SELECT s FROM bad_bytes) TO 'results/rating_short.bin' WITH (FORMAT binary)
\copy rating_back FROM 'results/rating_short.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_after_bad_copies FROM rating_back;

-- the operator classes are valid
SELECT opc.opcname, am.amname, amvalidate(opc.oid)
FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
WHERE opc.opcnamespace = 'supplychain'::regnamespace ORDER BY 1, 2;

-- a btree index, and a hash index, used by the planner
CREATE TABLE ratings AS
    SELECT i AS id, (1 + i % 3)::stage_rating AS r FROM generate_series(1, 3000) i;
CREATE INDEX ratings_r ON ratings (r);
CREATE INDEX ratings_r_hash ON ratings USING hash (r);
ANALYZE ratings;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ratings WHERE r < 'weak';
SELECT count(*) FROM ratings WHERE r < 'weak';
SELECT count(*) FROM ratings WHERE r >= 'weak';
DROP INDEX ratings_r;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ratings WHERE r = 'satisfactory';
SELECT count(*) FROM ratings WHERE r = 'satisfactory';
RESET enable_seqscan;
RESET enable_bitmapscan;

-- sorting, grouping, DISTINCT; hash aggregation when sorting is off
SELECT r, count(*) FROM ratings GROUP BY r ORDER BY r DESC;
SELECT DISTINCT r FROM ratings ORDER BY r;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT r, count(*) FROM ratings GROUP BY r;
SELECT r, count(*) FROM ratings GROUP BY r ORDER BY 2, 1::text;
RESET enable_sort;

-- a merge join and a hash join on the type
CREATE TABLE rating_names AS
    SELECT r, upper(r::text) AS name FROM unnest('{very weak,weak,satisfactory}'::stage_rating[]) r;
ANALYZE rating_names;
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT n.name, count(*) FROM ratings x JOIN rating_names n ON x.r = n.r GROUP BY n.name;
SELECT n.name, count(*) FROM ratings x JOIN rating_names n ON x.r = n.r GROUP BY n.name ORDER BY 1;
RESET enable_hashjoin;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT n.name, count(*) FROM ratings x JOIN rating_names n ON x.r = n.r GROUP BY n.name;
SELECT n.name, count(*) FROM ratings x JOIN rating_names n ON x.r = n.r GROUP BY n.name ORDER BY 1;
RESET enable_mergejoin;
RESET enable_nestloop;

-- min and max, also over no rows and with NULLs
SELECT min(r), max(r) FROM ratings;
SELECT min(r), max(r) FROM ratings WHERE id < 0;
SELECT min(r), max(r) FROM (VALUES (NULL::stage_rating), ('weak')) t(r);
