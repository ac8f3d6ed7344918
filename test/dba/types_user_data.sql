-- types_user_data.sql - user objects that every shipped version supports
-- (the types, their operator classes and aggregates exist since 0.1.0):
-- a table with btree and hash indexes on the types and a view that
-- aggregates them.  test/dba.sh loads it before ALTER EXTENSION UPDATE and
-- checks that rows, indexes and view survive the update.
\set ON_ERROR_STOP 1
CREATE TABLE public.dba_ratings (
    id     integer PRIMARY KEY,
    rating supplychain.stage_rating NOT NULL,
    score  supplychain.impact_score
);
INSERT INTO public.dba_ratings
SELECT i, (1 + i % 3)::integer::supplychain.stage_rating,
       CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 5 - 2)::integer::supplychain.impact_score END
FROM generate_series(1, 3000) i;
CREATE INDEX dba_ratings_rating_score ON public.dba_ratings (rating, score);
CREATE INDEX dba_ratings_score_hash ON public.dba_ratings USING hash (score);
CREATE VIEW public.dba_rating_summary AS
    SELECT r.rating, count(*) AS n,
           supplychain.min(r.score) AS worst, supplychain.max(r.score) AS best,
           supplychain.sum(r.score) AS net
    FROM public.dba_ratings r
    GROUP BY r.rating;
ANALYZE public.dba_ratings;
