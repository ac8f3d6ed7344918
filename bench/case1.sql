-- case1.sql - stage_rating and impact_score against int2 and a native enum
-- holding the same values: filter, full sort, GROUP BY.
-- Variables: rows, seed, runs, warmup.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The values, drawn once; every table below is filled from them in the same
-- order, one column per table, so that all tables of a type have the same
-- number of pages (a heap tuple is 24 bytes of header plus the value,
-- padded to 32 bytes for 1, 2 and 4-byte values alike).
SELECT setseed(:seed);
CREATE TABLE bench.c1_src AS
SELECT i, 1 + floor(random() * 3)::integer AS rating, 1 + floor(random() * 5)::integer AS impact
FROM generate_series(1, :rows) i;

CREATE TABLE bench.c1_rating_ours AS SELECT rating::stage_rating AS r FROM bench.c1_src ORDER BY i;
CREATE TABLE bench.c1_rating_int2 AS SELECT rating::smallint AS r FROM bench.c1_src ORDER BY i;
CREATE TABLE bench.c1_rating_enum AS
SELECT (enum_range(NULL::bench.rating_enum))[rating] AS r FROM bench.c1_src ORDER BY i;
CREATE TABLE bench.c1_impact_ours AS SELECT (impact - 3)::impact_score AS r FROM bench.c1_src ORDER BY i;
CREATE TABLE bench.c1_impact_int2 AS SELECT (impact - 3)::smallint AS r FROM bench.c1_src ORDER BY i;
CREATE TABLE bench.c1_impact_enum AS
SELECT (enum_range(NULL::bench.impact_enum))[impact] AS r FROM bench.c1_src ORDER BY i;
DROP TABLE bench.c1_src;
VACUUM (FREEZE, ANALYZE) bench.c1_rating_ours, bench.c1_rating_int2, bench.c1_rating_enum,
    bench.c1_impact_ours, bench.c1_impact_int2, bench.c1_impact_enum;

-- The same values everywhere: each level occurs equally often in the three tables.
DO $$
DECLARE
    bad bigint;
BEGIN
    SELECT count(*) INTO bad FROM (
        (SELECT r::integer AS v, count(*) FROM bench.c1_rating_ours GROUP BY 1
         EXCEPT SELECT r::integer, count(*) FROM bench.c1_rating_int2 GROUP BY 1)
        UNION ALL
        (SELECT array_position(enum_range(NULL::bench.rating_enum), r), count(*) FROM bench.c1_rating_enum GROUP BY 1
         EXCEPT SELECT r::integer, count(*) FROM bench.c1_rating_int2 GROUP BY 1)
        UNION ALL
        (SELECT r::integer, count(*) FROM bench.c1_impact_ours GROUP BY 1
         EXCEPT SELECT r::integer, count(*) FROM bench.c1_impact_int2 GROUP BY 1)
        UNION ALL
        (SELECT array_position(enum_range(NULL::bench.impact_enum), r) - 3, count(*) FROM bench.c1_impact_enum GROUP BY 1
         EXCEPT SELECT r::integer, count(*) FROM bench.c1_impact_int2 GROUP BY 1)) d;
    IF bad <> 0 THEN
        RAISE EXCEPTION 'case 1: the tables do not hold the same values';
    END IF;
END
$$;

SELECT relname AS "case 1 table", pg_relation_size(oid) / 8192 AS pages
FROM pg_class WHERE relnamespace = 'bench'::regnamespace AND relname LIKE 'c1\_%' AND relkind = 'r'
ORDER BY relname;

-- filter: WHERE r < const (2/3 of ratings, 3/5 of impacts pass)
CALL bench.measure(ARRAY['c1.rating.filter.ours', 'c1.rating.filter.int2', 'c1.rating.filter.enum'],
    ARRAY['SELECT r FROM bench.c1_rating_ours WHERE r < ''satisfactory''::stage_rating',
          'SELECT r FROM bench.c1_rating_int2 WHERE r < 3::smallint',
          'SELECT r FROM bench.c1_rating_enum WHERE r < ''satisfactory''::bench.rating_enum'],
    'explain', :runs, :warmup);
CALL bench.measure(ARRAY['c1.impact.filter.ours', 'c1.impact.filter.int2', 'c1.impact.filter.enum'],
    ARRAY['SELECT r FROM bench.c1_impact_ours WHERE r < ''positive''::impact_score',
          'SELECT r FROM bench.c1_impact_int2 WHERE r < 1::smallint',
          'SELECT r FROM bench.c1_impact_enum WHERE r < ''positive''::bench.impact_enum'],
    'explain', :runs, :warmup);

-- full sort: every row goes through the Sort node (EXPLAIN ANALYZE fetches
-- them all); work_mem is large enough for an in-memory quicksort, which the
-- report's plan section shows.
CALL bench.measure(ARRAY['c1.rating.sort.ours', 'c1.rating.sort.int2', 'c1.rating.sort.enum'],
    ARRAY['SELECT r FROM bench.c1_rating_ours ORDER BY r',
          'SELECT r FROM bench.c1_rating_int2 ORDER BY r',
          'SELECT r FROM bench.c1_rating_enum ORDER BY r'],
    'explain', :runs, :warmup);
CALL bench.measure(ARRAY['c1.impact.sort.ours', 'c1.impact.sort.int2', 'c1.impact.sort.enum'],
    ARRAY['SELECT r FROM bench.c1_impact_ours ORDER BY r',
          'SELECT r FROM bench.c1_impact_int2 ORDER BY r',
          'SELECT r FROM bench.c1_impact_enum ORDER BY r'],
    'explain', :runs, :warmup);

-- GROUP BY (hash aggregate for all three: same plan shape, shown in the report)
CALL bench.measure(ARRAY['c1.rating.group.ours', 'c1.rating.group.int2', 'c1.rating.group.enum'],
    ARRAY['SELECT r, count(*) FROM bench.c1_rating_ours GROUP BY r',
          'SELECT r, count(*) FROM bench.c1_rating_int2 GROUP BY r',
          'SELECT r, count(*) FROM bench.c1_rating_enum GROUP BY r'],
    'explain', :runs, :warmup);
CALL bench.measure(ARRAY['c1.impact.group.ours', 'c1.impact.group.int2', 'c1.impact.group.enum'],
    ARRAY['SELECT r, count(*) FROM bench.c1_impact_ours GROUP BY r',
          'SELECT r, count(*) FROM bench.c1_impact_int2 GROUP BY r',
          'SELECT r, count(*) FROM bench.c1_impact_enum GROUP BY r'],
    'explain', :runs, :warmup);

INSERT INTO bench.result ("case", name, rows, ours, base, target, note)
SELECT '1', format('%s %s vs %s', op, typ, base), :rows,
       format('c1.%s.%s.ours', short, op), format('c1.%s.%s.%s', short, op, base),
       CASE base WHEN 'int2' THEN 1.05 END,
       CASE base WHEN 'enum' THEN 'reference' END
FROM (VALUES (1, 'stage_rating', 'rating'), (2, 'impact_score', 'impact')) t(tn, typ, short),
     (VALUES (1, 'filter'), (2, 'sort'), (3, 'group')) o(onum, op),
     (VALUES (1, 'int2'), (2, 'enum')) b(bn, base)
ORDER BY onum, tn, bn;

DROP TABLE bench.c1_rating_ours, bench.c1_rating_int2, bench.c1_rating_enum,
    bench.c1_impact_ours, bench.c1_impact_int2, bench.c1_impact_enum;
