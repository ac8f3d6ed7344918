-- helpers.sql - functions of the Citus test (test/citus.sh), on the
-- coordinator and on the single server.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS citustest;

-- try(sql): 'ok', or the SQLSTATE and the primary message of its error
CREATE OR REPLACE FUNCTION citustest.try(sql text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- digest(sql): the number of rows of a query and an md5 of them in a fixed order
CREATE OR REPLACE FUNCTION citustest.digest(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE format('SELECT count(*) || '' '' || coalesce(md5(string_agg(t::text, E''\n'' ORDER BY t::text)), ''-'') FROM (%s) t', sql)
        INTO r;
    RETURN r;
END
$$;

-- tables(): digest of every table of the extension, one line each
CREATE OR REPLACE FUNCTION citustest.tables() RETURNS SETOF text
LANGUAGE sql AS $$
SELECT c.relname || ' ' || citustest.digest(format('SELECT * FROM supplychain.%I', c.relname))
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
WHERE c.relkind = 'r'
ORDER BY c.relname
$$;
