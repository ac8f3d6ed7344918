-- case2.sql - text input: COPY of labels into a typed column against COPY
-- of the same labels into a native enum column.
-- Variables: rows, seed, runs, warmup, persistence (UNLOGGED or empty),
-- datadir (the server's data directory, where the input files go).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The symbol enum's labels are the gear legend exactly as the brief prints
-- it (cloud and gear with the emoji variation selector U+FE0F).
CREATE TYPE bench.symbol_enum AS ENUM
    (U&'\2614\2614', U&'\2614', U&'\2601\FE0F', U&'\2699\FE0F', U&'\2699\FE0F\2699\FE0F');

-- Input files, written by the server into its data directory, one label a
-- line, in canonical spelling (the enum accepts nothing else).
\set ratings_file :datadir '/bench_c2_ratings.txt'
\set impacts_file :datadir '/bench_c2_impacts.txt'
\set symbols_file :datadir '/bench_c2_symbols.txt'
SELECT setseed(:seed);
CREATE TABLE bench.c2_src AS
SELECT i, 1 + floor(random() * 3)::integer AS rating, 1 + floor(random() * 5)::integer AS impact
FROM generate_series(1, :rows) i;
COPY (SELECT (enum_range(NULL::bench.rating_enum))[rating] FROM bench.c2_src ORDER BY i) TO :'ratings_file';
COPY (SELECT (enum_range(NULL::bench.impact_enum))[impact] FROM bench.c2_src ORDER BY i) TO :'impacts_file';
COPY (SELECT (enum_range(NULL::bench.symbol_enum))[impact] FROM bench.c2_src ORDER BY i) TO :'symbols_file';

SELECT 'ratings' AS "case 2 file", (pg_stat_file(:'ratings_file')).size AS bytes
UNION ALL SELECT 'impacts', (pg_stat_file(:'impacts_file')).size
UNION ALL SELECT 'symbols', (pg_stat_file(:'symbols_file')).size;

CREATE :persistence TABLE bench.c2_rating_ours (r stage_rating);
CREATE :persistence TABLE bench.c2_rating_enum (r bench.rating_enum);
CREATE :persistence TABLE bench.c2_impact_ours (r impact_score);
CREATE :persistence TABLE bench.c2_impact_enum (r bench.impact_enum);
CREATE :persistence TABLE bench.c2_symbol_ours (r impact_score);
CREATE :persistence TABLE bench.c2_symbol_enum (r bench.symbol_enum);

-- Each COPY goes into an empty table (TRUNCATE, untimed and committed, just
-- before it).
CALL bench.measure(ARRAY['c2.rating.ours', 'c2.rating.enum'],
    ARRAY[format('COPY bench.c2_rating_ours FROM %L', :'ratings_file'),
          format('COPY bench.c2_rating_enum FROM %L', :'ratings_file')],
    'clock', :runs, :warmup,
    ARRAY['TRUNCATE bench.c2_rating_ours', 'TRUNCATE bench.c2_rating_enum']);
CALL bench.measure(ARRAY['c2.impact.ours', 'c2.impact.enum'],
    ARRAY[format('COPY bench.c2_impact_ours FROM %L', :'impacts_file'),
          format('COPY bench.c2_impact_enum FROM %L', :'impacts_file')],
    'clock', :runs, :warmup,
    ARRAY['TRUNCATE bench.c2_impact_ours', 'TRUNCATE bench.c2_impact_enum']);
CALL bench.measure(ARRAY['c2.symbol.ours', 'c2.symbol.enum'],
    ARRAY[format('COPY bench.c2_symbol_ours FROM %L', :'symbols_file'),
          format('COPY bench.c2_symbol_enum FROM %L', :'symbols_file')],
    'clock', :runs, :warmup,
    ARRAY['TRUNCATE bench.c2_symbol_ours', 'TRUNCATE bench.c2_symbol_enum']);

-- The typed columns read what the enum columns read.
DO $$
DECLARE
    bad bigint;
BEGIN
    SELECT count(*) INTO bad FROM (
        (SELECT r::text AS v, count(*) FROM bench.c2_rating_ours GROUP BY 1
         EXCEPT SELECT r::text, count(*) FROM bench.c2_rating_enum GROUP BY 1)
        UNION ALL
        (SELECT r::text, count(*) FROM bench.c2_impact_ours GROUP BY 1
         EXCEPT SELECT r::text, count(*) FROM bench.c2_impact_enum GROUP BY 1)
        UNION ALL
        (SELECT symbol(r), count(*) FROM bench.c2_symbol_ours GROUP BY 1
         EXCEPT SELECT r::text, count(*) FROM bench.c2_symbol_enum GROUP BY 1)) d;
    IF bad <> 0 THEN
        RAISE EXCEPTION 'case 2: the typed columns do not hold what the enum columns hold';
    END IF;
END
$$;

INSERT INTO bench.result ("case", name, rows, ours, base, target, note) VALUES
    ('2', 'COPY rating labels: stage_rating vs enum', :rows, 'c2.rating.ours', 'c2.rating.enum', 1.0, NULL),
    ('2', 'COPY impact labels: impact_score vs enum', :rows, 'c2.impact.ours', 'c2.impact.enum', 1.0, NULL),
    ('2s', 'COPY gear symbols: impact_score vs enum of the symbols', :rows, 'c2.symbol.ours', 'c2.symbol.enum', NULL,
     'reported separately');

-- empty the input files (the data directory keeps them, at zero bytes)
COPY (SELECT WHERE false) TO :'ratings_file';
COPY (SELECT WHERE false) TO :'impacts_file';
COPY (SELECT WHERE false) TO :'symbols_file';
DROP TABLE bench.c2_src, bench.c2_rating_ours, bench.c2_rating_enum, bench.c2_impact_ours,
    bench.c2_impact_enum, bench.c2_symbol_ours, bench.c2_symbol_enum;
