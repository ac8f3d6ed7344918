-- input_soft.sql - soft input errors (PostgreSQL 16 and later): for every
-- rejected spelling of stage_rating.sql and impact_score.sql,
-- pg_input_is_valid() is false and pg_input_error_info() reports what the
-- hard error reports: SQLSTATE 22P02, the same message and the same hint.
-- Before 16 the functions do not exist: input_soft_1.out is that run.
SELECT current_setting('server_version_num')::integer < 160000 AS no_soft_errors \gset
\if :no_soft_errors
\echo 'soft input errors need PostgreSQL 16 or later'
\quit
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- the hard error of one input, as pg_input_error_info() would report it
CREATE FUNCTION pg_temp.hard_error(v text, t text,
    OUT message text, OUT detail text, OUT hint text, OUT sql_error_code text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT %L::%s', v, t);
    RAISE EXCEPTION 'input % was accepted', v;
EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
                            hint = PG_EXCEPTION_HINT, sql_error_code = RETURNED_SQLSTATE;
    detail := NULLIF(detail, '');
    hint := NULLIF(hint, '');
END $$;

CREATE TEMP TABLE rejected (t text, v text);
INSERT INTO rejected SELECT 'stage_rating', v
FROM (VALUES (''), ('   '), ('medium'), ('very  weak'), ('veryweak'), ('very__weak'),
             ('very weak!'), ('weakk'), ('1'), ('satisfactory satisfactory'),
             ('very' || chr(160) || 'weak'), ('wea'), ('-weak'), ('weak_'),
             ('☔'), ('very weakly'), ('неуд'), (repeat('weak ', 10000))) AS x(v);
INSERT INTO rejected SELECT 'impact_score', v
FROM (VALUES (''), (' '), ('great'), ('3'), ('-3'), ('+'), ('02'), ('1.0'), ('++1'),
             ('very  negative'), ('positive positive'),
             ('☔⚙️'), ('⚙️☔'), ('☀⚙'), ('☹☀'), ('☁☁'), ('⚙⚙⚙'), ('☀☀☀'),
             ('⚙ ⚙'), ('️⚙'), ('⚙️️'), ('☂'), ('⚙️x'), ('x⚙️')) AS x(v);

-- every rejected spelling is invalid, softly, with the hard error's report
SELECT r.t, count(*) AS rejected,
       count(*) FILTER (WHERE NOT pg_input_is_valid(r.v, r.t)) AS invalid,
       count(*) FILTER (WHERE (s.*) IS NOT DISTINCT FROM (h.*)) AS same_report,
       count(*) FILTER (WHERE s.sql_error_code = '22P02') AS code_22p02
FROM rejected r,
     LATERAL pg_input_error_info(r.v, r.t) s,
     LATERAL pg_temp.hard_error(r.v, r.t) h
GROUP BY r.t ORDER BY r.t;

-- what one report looks like
SELECT * FROM pg_input_error_info('very strong', 'stage_rating');
SELECT * FROM pg_input_error_info('great', 'impact_score');

-- valid spellings stay valid, and a soft check leaves nothing behind
SELECT pg_input_is_valid('Very_Weak', 'stage_rating') AS rating_valid,
       pg_input_is_valid('⚙️⚙️', 'impact_score') AS symbol_valid,
       pg_input_is_valid('-2', 'impact_score') AS integer_valid;
-- a type's input outside a soft context still throws
SELECT 'very strong'::stage_rating;
