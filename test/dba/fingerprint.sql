-- fingerprint.sql - one line per table and view of the extension's schema:
-- row counts (shipped and user rows apart) and an md5 of all rows in a fixed
-- order.  Two databases with the same lines hold the same data and their
-- views give the same results.  Tables and views are read from the catalog,
-- so a later version's new ones are covered without editing this file.
-- Run with psql -XAt; test/dba.sh diffs the output of two databases.
\set ON_ERROR_STOP 1
SET search_path = pg_catalog;
SELECT format(
    'SELECT %L || %L || count(*) || %s || %L || coalesce(md5(string_agg(t::text, %L ORDER BY t::text)), %L) FROM %I.%I t',
    CASE c.relkind WHEN 'r' THEN 'table ' ELSE 'view ' END, c.relname || ' rows=',
    CASE WHEN b.attname IS NOT NULL
         THEN $q$' builtin=' || count(*) FILTER (WHERE t.builtin) || ' user=' || count(*) FILTER (WHERE NOT t.builtin)$q$
         ELSE $q$''$q$ END,
    ' md5=', ',', 'empty', n.nspname, c.relname)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'supplychain'
LEFT JOIN pg_attribute b ON b.attrelid = c.oid AND b.attname = 'builtin' AND NOT b.attisdropped
WHERE c.relkind IN ('r', 'v')
ORDER BY c.relkind, c.relname
\gexec
