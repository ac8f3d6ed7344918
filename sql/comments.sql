-- Every table and view of the extension has a comment, and so has every one
-- of their columns (src/sql/97_comments.sql), lowercase-first.  The counts
-- make a new table, view or column fail here until it is counted, and
-- commented.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = pg_catalog;

CREATE TEMP VIEW member_relation AS
SELECT c.oid, c.relname, c.relkind
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'supplychain'
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f');

CREATE TEMP VIEW member_column AS
SELECT r.relname, r.relkind, a.attnum, a.attname, col_description(r.oid, a.attnum) AS comment
FROM member_relation r
JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped;

-- what is checked
SELECT relkind, count(*) AS relations FROM member_relation GROUP BY relkind ORDER BY relkind;
SELECT r.relkind, count(*) AS columns
FROM member_column r GROUP BY r.relkind ORDER BY r.relkind;

-- tables and views without a comment: none
SELECT relname AS uncommented_relation
FROM member_relation
WHERE obj_description(oid, 'pg_class') IS NULL
ORDER BY relname;

-- columns without a comment: none
SELECT relname, attname AS uncommented_column
FROM member_column
WHERE comment IS NULL OR comment = ''
ORDER BY relname, attnum;

-- comments that do not start lowercase: none
SELECT relname, attname, comment
FROM member_column
WHERE left(comment, 1) <> lower(left(comment, 1))
ORDER BY relname, attnum;
