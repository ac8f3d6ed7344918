-- verify_state.sql - how many differences supplychain.verify_state() finds
-- between the maintained risk state (stage_state, supplier_state,
-- country_state, country_total_state, share_total) and its recomputation
-- from the raw rows (0: the state is right), then the first ten of them, one
-- a line.  Run with psql -XAt; test/dba.sh reads the first line.
\set ON_ERROR_STOP 1
SET search_path = pg_catalog;
CREATE TEMP TABLE dba_state_diff AS SELECT * FROM supplychain.verify_state();
SELECT count(*) FROM dba_state_diff;
SELECT pg_catalog.translate(pg_catalog.concat_ws(' ', object, key, 'state', coalesce(state, '(none)'),
                                                  'recomputed', coalesce(recomputed, '(none)')), E'\n', ' ')
FROM dba_state_diff ORDER BY object, key LIMIT 10;
-- what kinds of differences, when there are any
SELECT 'by object: ' || string_agg(object || ' ' || n, ', ' ORDER BY object)
FROM (SELECT object, count(*) AS n FROM dba_state_diff GROUP BY object) o HAVING count(*) > 0;
