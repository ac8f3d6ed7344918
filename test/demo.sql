-- demo.sql - what make demo prints: the types, then the risk report.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION supplychain;
SET search_path = "$user", public, supplychain;

\echo
\echo '== The two types =='
SELECT 'Very_Weak'::stage_rating < 'satisfactory' AS "'Very_Weak' < 'satisfactory'",
       '⚙⚙'::impact_score = 'very positive' AS "'⚙⚙' = 'very positive'",
       symbol('-2', 'sun') AS "symbol('-2', 'sun')";
SELECT s AS impact_score, s::integer AS value, symbol(s) AS gear, symbol(s, 'sun') AS sun, -s AS negated
FROM unnest('{very negative,negative,neutral,positive,very positive}'::impact_score[]) s;
