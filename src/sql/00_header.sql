-- Header of the install script: the guard, name resolution, the schema check.
-- The Makefile concatenates src/sql/*.sql in name order into
-- supplychain--VERSION.sql; each file is one layer (docs/development.md).

\echo Use "CREATE EXTENSION supplychain" to load this file. \quit

-- Resolve every unqualified name in pg_catalog only, whatever the caller's
-- search_path.  LOCAL: CREATE EXTENSION then puts back the caller's path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Install only into a schema this script creates, or an empty one a
-- superuser owns: objects planted in a pre-existing schema could otherwise
-- stand in for the extension's own.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
               WHERE n.nspname = '@extschema@' AND NOT r.rolsuper)
       OR EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = '@extschema@'::regnamespace)
       OR EXISTS (SELECT FROM pg_catalog.pg_proc WHERE pronamespace = '@extschema@'::regnamespace)
       OR EXISTS (SELECT FROM pg_catalog.pg_type WHERE typnamespace = '@extschema@'::regnamespace)
       OR EXISTS (SELECT FROM pg_catalog.pg_operator WHERE oprnamespace = '@extschema@'::regnamespace) THEN
        RAISE EXCEPTION 'schema "@extschema@" already exists and is not empty, or is not owned by a superuser'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Drop or rename that schema, then run CREATE EXTENSION supplychain again.';
    END IF;
END
$$;


-- The script ships reference rows (builtin = true), which the rules allow
-- only in maintenance mode; 99_footer.sql turns it off again.
SET LOCAL supplychain.maintenance = on;
