-- references.sql - dependency's foreign keys, checked once per statement by
-- reference_check() (src/references.c) in place of their row triggers:
-- every key refuses an unknown code with PostgreSQL's own error, nothing of
-- the statement stays, a NULL source references nothing, the referenced side
-- still refuses deletes and renames of codes in use, and a key whose row
-- trigger is enabled again is checked by PostgreSQL instead.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- an error's code, message and detail, or 'ok'
CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    m text;
    d text;
    c text;
BEGIN
    EXECUTE statement;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, c = CONSTRAINT_NAME;
    RETURN format('%s: %s / %s / constraint %s', SQLSTATE, m, d, c);
END
$$;

-- the declared keys, and which of their triggers on dependency are off:
-- the row checks (INSERT, UPDATE) of all four, nothing else
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = 'dependency'::regclass AND contype = 'f' ORDER BY conname;
SELECT c.conname, g.tgfoid::regproc AS check_function, g.tgenabled
FROM pg_trigger g JOIN pg_constraint c ON c.oid = g.tgconstraint
WHERE g.tgrelid = 'dependency'::regclass ORDER BY c.conname, g.tgfoid::regproc::text;
SELECT tgname, tgenabled FROM pg_trigger
WHERE tgrelid = 'dependency'::regclass AND tgname LIKE 'reference_check%' ORDER BY tgname;

INSERT INTO country (code, name) VALUES ('QM', 'Reference test A'), ('QN', 'Reference test B'),
    ('QO', 'Reference test C');
INSERT INTO sector (code, name) VALUES ('rs', 'Reference test sector');
INSERT INTO stage (id, sector, position, name) VALUES ('rs.one', 'rs', 1, 'One');
INSERT INTO source (id, title, publisher) VALUES ('ref-test', 'Reference test source', 'Nobody');

-- each key, alone wrong, in a statement of several rows whose others are
-- right: the key's error, and none of the rows
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'QN', 'supply', 'i', 0.1), ('rs.nope', 'QM', 'QO', 'supply', 'i', 0.1)$$) AS stage;
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'QN', 'supply', 'i', 0.1), ('rs.one', 'R?', 'QO', 'supply', 'i', 0.1)$$) AS country;
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'QN', 'supply', 'i', 0.1), ('rs.one', 'QM', 'QZ', 'supply', 'i', 0.1)$$) AS supplier;
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share, source) VALUES
    ('rs.one', 'QM', 'QN', 'supply', 'i', 0.1, 'ref-test'), ('rs.one', 'QM', 'QO', 'supply', 'i', 0.1, 'no-such')$$) AS source;
-- several unknown values of one key: the first in byte order is named
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share)
    SELECT 'rs.one', 'QM', s, 'supply', 'i' || n, 0.1
    FROM unnest(ARRAY['QN', 'QY', 'QO', 'QX', 'QY']) WITH ORDINALITY u (s, n)$$) AS first_missing;
-- a code is compared exactly: no case folding, no trailing blanks
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'qn', 'supply', 'i', 0.1)$$) AS lower_case;
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'QN ', 'supply', 'i', 0.1)$$) AS trailing_blank;
SELECT count(*) AS rows_after_refusals FROM dependency WHERE country = 'QM';

-- COPY is one statement too
SELECT pg_temp.try($$COPY dependency (stage, country, supplier, kind, item, share) FROM PROGRAM
    'printf "rs.one\tRA\tRB\tsupply\tc\t0.2\nrs.one\tRA\tRQ\tsupply\tc\t0.2\n"'$$) AS copy_supplier;
SELECT count(*) AS rows_after_copy FROM dependency WHERE country = 'QM';

-- right rows go in: a NULL source references nothing, many rows name few codes
INSERT INTO dependency (stage, country, supplier, kind, item, share, source)
SELECT 'rs.one', 'QM', CASE WHEN n % 2 = 0 THEN 'QN' ELSE 'QO' END, 'supply', 'item ' || n, 0.5,
       CASE WHEN n % 3 = 0 THEN NULL ELSE 'ref-test' END
FROM generate_series(1, 1000) n;
SELECT count(*) AS rows, count(DISTINCT supplier) AS suppliers, count(source) AS with_source
FROM dependency WHERE country = 'QM';

-- an UPDATE is checked on its new rows: a new code refused, the row as it was
SELECT pg_temp.try($$UPDATE dependency SET supplier = 'QV' WHERE country = 'QM' AND item = 'item 2'$$) AS update_supplier;
SELECT pg_temp.try($$UPDATE dependency SET stage = 'rs.two' WHERE country = 'QM' AND item = 'item 2'$$) AS update_stage;
SELECT supplier, stage FROM dependency WHERE country = 'QM' AND item = 'item 2';
-- and a right one goes through
UPDATE dependency SET supplier = 'QN', source = NULL WHERE country = 'QM' AND item = 'item 1';
SELECT supplier, source FROM dependency WHERE country = 'QM' AND item = 'item 1';

-- the referenced side is PostgreSQL's own: a code in use cannot go or change
SELECT pg_temp.try($$DELETE FROM country WHERE code = 'QO'$$) AS delete_supplier;
SELECT pg_temp.try($$DELETE FROM country WHERE code = 'QM'$$) AS delete_country;
SELECT pg_temp.try($$UPDATE stage SET id = 'rs.uno' WHERE id = 'rs.one'$$) AS rename_stage;
SELECT pg_temp.try($$DELETE FROM source WHERE id = 'ref-test'$$) AS delete_source;

-- the references are taken with the row check's lock: the rows the
-- statement names (QN, QO; not QM) are locked by this transaction (FOR KEY
-- SHARE: their xmax) until it ends
BEGIN;
INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES ('rs.one', 'QN', 'QO', 'market', 'lock', 0.1);
SELECT code, xmax::text = pg_current_xact_id()::text AS locked_here FROM country
WHERE code IN ('QM', 'QN', 'QO') ORDER BY code;
SELECT id, xmax::text = pg_current_xact_id()::text AS locked_here FROM stage WHERE id = 'rs.one';
ROLLBACK;

-- a key whose row trigger is enabled again is PostgreSQL's: the row check
-- names it (its error), and reference_check() skips it (nothing twice)
DO $$
DECLARE
    t name;
BEGIN
    FOR t IN SELECT g.tgname FROM pg_trigger g JOIN pg_constraint c ON c.oid = g.tgconstraint
             WHERE g.tgrelid = 'supplychain.dependency'::regclass AND c.conname = 'dependency_supplier_fkey'
               AND g.tgfoid = '"RI_FKey_check_ins"'::regproc LOOP
        EXECUTE format('ALTER TABLE supplychain.dependency ENABLE TRIGGER %I', t);
    END LOOP;
END
$$;
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'QU', 'supply', 'again', 0.1)$$) AS supplier_row_check;
SELECT pg_temp.try($$INSERT INTO dependency (stage, country, supplier, kind, item, share) VALUES
    ('rs.one', 'QM', 'QN', 'supply', 'again', 0.1), ('rs.nine', 'QM', 'QN', 'supply', 'again', 0.1)$$) AS stage_still_checked;
DO $$
DECLARE
    t name;
BEGIN
    FOR t IN SELECT g.tgname FROM pg_trigger g JOIN pg_constraint c ON c.oid = g.tgconstraint
             WHERE g.tgrelid = 'supplychain.dependency'::regclass AND c.conname = 'dependency_supplier_fkey'
               AND g.tgfoid = '"RI_FKey_check_ins"'::regproc LOOP
        EXECUTE format('ALTER TABLE supplychain.dependency DISABLE TRIGGER %I', t);
    END LOOP;
END
$$;

-- the function is a statement trigger with a new table, nothing else
SELECT pg_temp.try($$SELECT supplychain.reference_check()$$) AS called_directly;
CREATE TABLE public.ref_row (code text REFERENCES country);
CREATE TRIGGER wrong AFTER INSERT ON public.ref_row FOR EACH ROW EXECUTE FUNCTION supplychain.reference_check();
SELECT pg_temp.try($$INSERT INTO public.ref_row VALUES ('QM')$$) AS row_trigger;
DROP TABLE public.ref_row;

-- the state followed every write
SELECT object, count(*) FROM verify_state() GROUP BY object ORDER BY object;

DELETE FROM dependency WHERE country IN ('QM', 'QN');
DELETE FROM stage WHERE id = 'rs.one';
DELETE FROM sector WHERE code = 'rs';
DELETE FROM source WHERE id = 'ref-test';
DELETE FROM country WHERE code IN ('QM', 'QN', 'QO');
SELECT object, count(*) FROM verify_state() GROUP BY object ORDER BY object;
