-- setup.sql - the soak test's stages, ledger and helpers.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
SET search_path = public, supplychain;

INSERT INTO country (code, name)
SELECT 'X' || chr(65 + i), 'Soak supplier ' || i FROM generate_series(0, 19) i;
INSERT INTO sector (code, name) VALUES ('soak', 'Soak test');
INSERT INTO stage (id, sector, position, name)
SELECT 'soak.' || i, 'soak', i, 'Soak stage ' || i FROM generate_series(1, 5) i;
INSERT INTO assessment (stage, country, rating, as_of)
SELECT 'soak.' || i, 'US', (1 + i % 3)::stage_rating, '2024-01-01' FROM generate_series(1, 5) i;

-- every committed write is also written here, in the same transaction
CREATE TABLE soak_ledger (
    op       text NOT NULL,
    stage    text NOT NULL,
    supplier text NOT NULL,
    share    numeric,
    at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- documented errors caught inside the writers' transactions, by SQLSTATE
CREATE TABLE soak_errors (sqlstate text NOT NULL, n bigint NOT NULL DEFAULT 1);

-- add or change one supplier's share of item 'x' at a stage; a share that
-- would push the stage above 1 is rejected (23514) and counted
CREATE FUNCTION soak_write(stage_no int, supplier_no int, share numeric) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    st text := 'soak.' || stage_no;
    sup text := 'X' || chr(65 + supplier_no);
BEGIN
    INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
    VALUES (st, 'US', sup, 'supply', 'x', share, '2024-01-01')
    ON CONFLICT (stage, country, supplier, kind, item, as_of)
    DO UPDATE SET share = excluded.share;
    INSERT INTO soak_ledger (op, stage, supplier, share) VALUES ('write', st, sup, share);
EXCEPTION WHEN check_violation THEN
    INSERT INTO soak_errors (sqlstate) VALUES (SQLSTATE);
END
$$;

CREATE FUNCTION soak_delete(stage_no int, supplier_no int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    st text := 'soak.' || stage_no;
    sup text := 'X' || chr(65 + supplier_no);
BEGIN
    DELETE FROM supplychain.dependency
    WHERE stage = st AND country = 'US' AND supplier = sup AND kind = 'supply' AND item = 'x';
    IF FOUND THEN
        INSERT INTO soak_ledger (op, stage, supplier) VALUES ('delete', st, sup);
    END IF;
END
$$;
