-- encoding.sql - the extension in a database whose encoding is not UTF8
-- (LATIN1), read by a UTF-8 client such as JDBC.  The install scripts
-- declare their encoding (UTF8, supplychain.control) and their text is
-- ASCII, so the shipped rows read the same in any encoding; a symbol,
-- which LATIN1 cannot hold, is refused with 22P05 instead of being sent as
-- UTF-8 bytes that the client would show as mojibake.
-- (back to the database the suite runs in afterwards, whatever its name)
SELECT current_database() AS regress_db \gset
CREATE DATABASE sc_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c sc_latin1
SET client_encoding = 'UTF8';
SET client_min_messages = warning;
CREATE EXTENSION supplychain;
SET search_path = public, supplychain;
SELECT pg_catalog.getdatabaseencoding();

-- every shipped text is ASCII, so none can have been mangled
SELECT t.relname AS table_with_non_ascii_text, count(*)
FROM (SELECT 'stage_link' AS relname, note AS txt FROM stage_link
      UNION ALL SELECT 'assessment', concat(diagnosis, basis) FROM assessment
      UNION ALL SELECT 'alignment', note FROM alignment
      UNION ALL SELECT 'policy', title FROM policy
      UNION ALL SELECT 'policy_measure', measure FROM policy_measure
      UNION ALL SELECT 'policy_impact', rationale FROM policy_impact
      UNION ALL SELECT 'figure', note FROM figure
      UNION ALL SELECT 'dependency', note FROM dependency
      UNION ALL SELECT 'source', concat(title, publisher, note) FROM source
      UNION ALL SELECT 'stage', concat(name, description) FROM stage) t
WHERE t.txt ~ '[^\x01-\x7e]'
GROUP BY 1;
-- the typographic characters of the brief arrive as their ASCII spellings
SELECT note FROM stage_link WHERE upstream = 'batteries.packs';

-- words and integers in and out, as in UTF8
SELECT 'very positive'::impact_score AS word, '-2'::impact_score AS integer,
       'weak'::stage_rating AS rating;

-- a symbol has no LATIN1 equivalent: a clear error, not mojibake
\set VERBOSITY terse
SELECT symbol('2');
SELECT symbol('-1', 'sun');
SET client_min_messages = notice;
DO $$
BEGIN
    PERFORM supplychain.symbol('2');
EXCEPTION WHEN untranslatable_character THEN
    RAISE NOTICE 'symbol(''2'') in LATIN1: SQLSTATE %', SQLSTATE;
END
$$;
-- the legends' error hint is ASCII here
\set VERBOSITY default
SELECT symbol('1', 'moon');
-- LATIN1 text whose bytes are a gear's UTF-8 bytes is not read as a gear,
-- and the hint of the error is ASCII
SELECT pg_catalog.convert_from('\xe29a99'::bytea, 'LATIN1')::impact_score;
-- a UTF-8 client's symbol cannot reach a LATIN1 database at all: the
-- server refuses the conversion before the type sees it
\set VERBOSITY terse
SELECT U&'\2699'::impact_score;
\set VERBOSITY default

\c :regress_db
DROP DATABASE sc_latin1;
