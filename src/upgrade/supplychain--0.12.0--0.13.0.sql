-- supplychain 0.12.0 -> 0.13.0: dependency's foreign keys are checked once
-- per statement by reference_check() (src/references.c); their row
-- triggers on dependency are disabled.  No table changes, no rows written.
\echo Use "ALTER EXTENSION supplychain UPDATE TO '0.13.0'" to load this file. \quit

-- dependency's foreign keys are checked once per statement, not row by row:
-- reference_check() (src/references.c) takes the distinct codes of each key
-- column from the statement's new rows and looks them up in one query per
-- key, locking the referenced rows FOR KEY SHARE as the owner of their table,
-- as PostgreSQL's row check does, and fails with its error (23503).  The
-- row triggers of those keys on dependency (RI_FKey_check_ins and _upd) are
-- disabled; the constraints stay declared (pg_dump orders the tables' data
-- by them, and BI tools read them), and the other side's triggers, which
-- refuse to delete or rename a country, stage or source that rows use, are
-- PostgreSQL's own.  A key whose row trigger is enabled again (ALTER TABLE
-- ... ENABLE TRIGGER ALL) is checked by PostgreSQL, row by row, and skipped
-- here.
CREATE FUNCTION @extschema@.reference_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'sc_reference_check'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.reference_check() IS
    'trigger: checks the foreign keys whose row triggers are disabled once per statement, from the new rows (locking the referenced rows FOR KEY SHARE)';
CREATE TRIGGER reference_check_insert AFTER INSERT ON @extschema@.dependency
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.reference_check();
CREATE TRIGGER reference_check_update AFTER UPDATE ON @extschema@.dependency
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.reference_check();
DO $$
DECLARE
    t name;
BEGIN
    FOR t IN SELECT g.tgname FROM pg_catalog.pg_trigger g
             JOIN pg_catalog.pg_constraint c ON c.oid OPERATOR(pg_catalog.=) g.tgconstraint
             WHERE g.tgrelid OPERATOR(pg_catalog.=) '@extschema@.dependency'::pg_catalog.regclass
               AND c.conrelid OPERATOR(pg_catalog.=) g.tgrelid AND c.contype OPERATOR(pg_catalog.=) 'f'
               AND g.tgfoid OPERATOR(pg_catalog.=) ANY (ARRAY['pg_catalog."RI_FKey_check_ins"'::pg_catalog.regproc,
                                                            'pg_catalog."RI_FKey_check_upd"'::pg_catalog.regproc])
             ORDER BY g.tgname
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.dependency DISABLE TRIGGER %I', t);
    END LOOP;
END
$$;
