-- state.sql - the maintained risk state: every path that changes an input
-- keeps it equal to the raw rows' recomputation (verify_state() returns no
-- row), a planted error is found, writes that bypass the triggers leave it
-- detectably stale, and rebuild_state() repairs it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS supplychain;
RESET client_min_messages;
SET search_path = public, supplychain;

-- differences, by object (no row: the state is right)
CREATE FUNCTION pg_temp.diffs() RETURNS TABLE (object text, differences bigint)
LANGUAGE sql AS $$
    SELECT object, count(*) FROM supplychain.verify_state() GROUP BY object ORDER BY object
$$;

-- the reference data, as installed
SELECT count(*) > 0 AS stage_state, (SELECT count(*) > 0 FROM supplier_state) AS supplier_state,
       (SELECT count(*) > 0 FROM country_state) AS country_state,
       (SELECT count(*) > 0 FROM country_total_state) AS country_total_state
FROM stage_state;
SELECT * FROM pg_temp.diffs();

-- a user's chain: two stages, three suppliers, two kinds, a superseded row,
-- an unknown share, a future date
INSERT INTO country (code, name) VALUES ('XA', 'State test A'), ('XB', 'State test B'), ('XC', 'State test C');
INSERT INTO sector (code, name) VALUES ('xs', 'State test sector'), ('xt', 'State test sector 2');
INSERT INTO stage (id, sector, position, name) VALUES
    ('xs.one', 'xs', 1, 'One'), ('xs.two', 'xs', 2, 'Two'), ('xt.one', 'xt', 1, 'One');
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('xs.one', 'XA', 'weak', '2024-01-01');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES
    ('xs.one', 'XA', 'XB', 'supply', 'a', 0.50, '2024-01-01'),
    ('xs.one', 'XA', 'XC', 'supply', 'a', 0.25, '2024-01-01'),
    ('xs.one', 'XA', 'XB', 'supply', 'b', 0.7, '2024-01-01'),
    ('xs.one', 'XA', 'XB', 'market', 'a', 0.125, '2024-01-01'),
    ('xs.two', 'XA', 'XC', 'supply', 'a', NULL, '2024-01-01'),
    ('xs.two', 'XA', 'XB', 'supply', 'a', 0.3, '2023-01-01'),
    ('xs.two', 'XA', 'XB', 'supply', 'a', 0.4, '2024-01-01'),
    ('xt.one', 'XA', 'CN', 'talent', 'people', 0.2, '2099-01-01');
SELECT * FROM pg_temp.diffs();
SELECT country, sector, supplier, relation, stages, dependencies, unknown_shares, known_share, risk, rank
FROM country_risk WHERE country = 'XA' ORDER BY sector NULLS LAST, rank, supplier;
SELECT stage, rating_label, suppliers, unknown_shares, hhi, top_supplier, top_share, risk
FROM stage_risk WHERE country = 'XA' ORDER BY stage_id;

-- each way a row changes
UPDATE dependency SET share = 0.05 WHERE country = 'XA' AND stage = 'xs.one' AND supplier = 'XC';
SELECT 'update share' AS step, * FROM pg_temp.diffs();
UPDATE dependency SET supplier = 'US' WHERE country = 'XA' AND stage = 'xs.one' AND supplier = 'XC';
SELECT 'update supplier' AS step, * FROM pg_temp.diffs();
UPDATE dependency SET stage = 'xt.one', item = 'moved' WHERE country = 'XA' AND stage = 'xs.two' AND supplier = 'XC';
SELECT 'update stage' AS step, * FROM pg_temp.diffs();
DELETE FROM dependency WHERE country = 'XA' AND stage = 'xs.two' AND as_of = '2024-01-01';
SELECT 'delete the latest row' AS step, * FROM pg_temp.diffs();
SELECT known_share FROM country_risk WHERE country = 'XA' AND sector = 'xs' AND supplier = 'XB';
COPY dependency (stage, country, supplier, kind, item, share, as_of) FROM STDIN WITH (FORMAT csv);
xs.two,XB,XA,supply,a,0.5,2024-01-01
xs.two,XB,XC,supply,a,0.25,2024-01-01
xs.one,XB,XA,talent,t,,2024-01-01
\.
SELECT 'copy' AS step, * FROM pg_temp.diffs();
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
SELECT 'xt.one', c, s, 'supply', 'i' || n, 0.01 * n, '2024-06-01'
FROM unnest(ARRAY['XA', 'XB', 'XC']) c, unnest(ARRAY['CN', 'JP', 'KR']) s, generate_series(1, 5) n;
SELECT 'insert select' AS step, * FROM pg_temp.diffs();

-- a one-supplier write reads only that supplier's rows; the pair's own terms
-- are summed from the stored terms and the per-item HHIs (share_total.hhi):
-- the top supplier on a tie (the first code), an item's HHI rising above the
-- others, then falling below another item's, a share rewritten at another
-- scale (0.6 and 0.60 print differently), the pair's last row gone
CREATE FUNCTION pg_temp.pair() RETURNS TABLE (rows integer, suppliers integer, hhi double precision,
                                              top_supplier text, top_share numeric, item_hhi text)
LANGUAGE sql AS $$
    SELECT s.rows, s.suppliers, s.hhi, s.top_supplier, s.top_share,
           (SELECT string_agg(item || '=' || hhi, ' ' ORDER BY item) FROM share_total
            WHERE country = 'XC' AND stage = 'xs.one' AND kind = 'supply')
    FROM stage_state s WHERE s.country = 'XC' AND s.stage = 'xs.one'
$$;
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES ('xs.one', 'XC', 'XB', 'supply', 'q', 0.6, '2024-01-01');
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES ('xs.one', 'XC', 'XA', 'supply', 'p', 0.6, '2024-01-01');
SELECT 'tie: XA first' AS step, * FROM pg_temp.pair();
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES ('xs.one', 'XC', 'XB', 'supply', 'p', 0.3, '2024-01-01');
SELECT 'p: 0.36 + 0.09' AS step, * FROM pg_temp.pair();
DELETE FROM dependency WHERE country = 'XC' AND stage = 'xs.one' AND supplier = 'XA';
SELECT 'p falls below q' AS step, * FROM pg_temp.pair();
UPDATE dependency SET share = 0.60 WHERE country = 'XC' AND stage = 'xs.one' AND item = 'q';
SELECT '0.60' AS step, * FROM pg_temp.pair();
SELECT 'one-supplier writes' AS step, * FROM pg_temp.diffs();
DELETE FROM dependency WHERE country = 'XC' AND stage = 'xs.one';
SELECT 'gone' AS step, count(*) FROM pg_temp.pair();
SELECT 'gone' AS step, * FROM pg_temp.diffs();
-- a write the share rule rejects changes nothing
\set VERBOSITY terse
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('xs.one', 'XA', 'JP', 'supply', 'a', 0.9, '2024-01-01');
\set VERBOSITY default
SELECT 'rejected write' AS step, * FROM pg_temp.diffs();

-- ratings, alignments, weights, sectors
INSERT INTO assessment (stage, country, rating, as_of) VALUES
    ('xs.one', 'XA', 'very weak', '2024-06-01'), ('xs.two', 'XB', 'satisfactory', '2024-01-01');
SELECT 'new ratings' AS step, * FROM pg_temp.diffs();
SELECT stage, rating_label, weakness, risk FROM stage_risk WHERE country IN ('XA', 'XB') AND sector = 'xs' ORDER BY country, stage_id;
DELETE FROM assessment WHERE country = 'XA' AND stage = 'xs.one' AND as_of = '2024-06-01';
SELECT 'rating deleted' AS step, * FROM pg_temp.diffs();
INSERT INTO alignment (country, partner, relation) VALUES ('XA', 'XB', 'concern'), ('XA', 'XC', 'ally');
SELECT 'alignment' AS step, * FROM pg_temp.diffs();
SELECT sector, supplier, relation, risk FROM country_risk WHERE country = 'XA' AND supplier IN ('XB', 'XC') ORDER BY sector NULLS LAST, supplier;
UPDATE alignment SET relation = 'partner' WHERE country = 'XA' AND partner = 'XB';
DELETE FROM alignment WHERE country = 'XA' AND partner = 'XC';
SELECT 'alignment changed' AS step, * FROM pg_temp.diffs();
UPDATE weight SET value = 0.5 WHERE name = 'weakness.weak';
UPDATE weight SET value = 2 WHERE name = 'alignment.partner';
UPDATE weight SET value = 0.75 WHERE name = 'kind.market';
SELECT 'weights' AS step, * FROM pg_temp.diffs();
SELECT sector, supplier, risk FROM country_risk WHERE country = 'XA' AND supplier = 'XB' ORDER BY sector NULLS LAST;
UPDATE weight SET value = default_value WHERE default_value IS NOT NULL AND value <> default_value;
SELECT 'weights back' AS step, * FROM pg_temp.diffs();
UPDATE stage SET sector = 'xt', position = 2 WHERE id = 'xs.two';
SELECT 'stage moved to another sector' AS step, * FROM pg_temp.diffs();
SELECT sector, stages, dependencies FROM country_risk WHERE country = 'XB' AND supplier = 'XA' ORDER BY sector NULLS LAST;

-- a rolled-back write leaves the state as it was
BEGIN;
DELETE FROM dependency WHERE country = 'XA';
SELECT count(*) AS xa_rows_inside FROM country_risk WHERE country = 'XA';
ROLLBACK;
SELECT count(*) > 0 AS xa_rows_after FROM country_risk WHERE country = 'XA';
SELECT 'rollback' AS step, * FROM pg_temp.diffs();

-- TRUNCATE (shipped rows: only in maintenance mode), inside a transaction
BEGIN;
SET LOCAL supplychain.maintenance = on;
TRUNCATE dependency;
SELECT (SELECT count(*) FROM supplier_state) AS supplier_state, (SELECT count(*) FROM country_state) AS country_state,
       (SELECT count(*) FROM stage_state WHERE rows > 0) AS pairs_with_rows,
       (SELECT count(*) > 0 FROM stage_state WHERE rating IS NOT NULL) AS assessed_pairs_kept;
SELECT 'truncate' AS step, * FROM pg_temp.diffs();
ROLLBACK;

-- the proof can fail: a planted error is reported where it is
UPDATE supplier_state SET known_share = known_share + 0.001 WHERE country = 'XA' AND stage = 'xs.one' AND supplier = 'XB';
DELETE FROM country_total_state WHERE country = 'XB';
UPDATE stage_state SET suppliers = suppliers + 1 WHERE country = 'XA' AND stage = 'xs.one';
SELECT * FROM pg_temp.diffs();
SELECT object, key FROM verify_state() WHERE object IN ('stage_state', 'supplier_state') ORDER BY 1, 2;
SELECT rebuild_state() > 0 AS rebuilt;
SELECT 'after rebuild_state()' AS step, * FROM pg_temp.diffs();

-- writes that bypass the triggers leave the state stale, detectably
ALTER TABLE dependency DISABLE TRIGGER state_insert;
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('xs.one', 'XC', 'XA', 'supply', 'bypass', 0.3, '2024-01-01');
ALTER TABLE dependency ENABLE TRIGGER state_insert;
SELECT * FROM pg_temp.diffs();
SET session_replication_role = replica;
DELETE FROM dependency WHERE country = 'XB' AND stage = 'xs.two';
RESET session_replication_role;
SELECT * FROM pg_temp.diffs();
SELECT rebuild_state() > 0 AS rebuilt;
SELECT 'after rebuild_state()' AS step, * FROM pg_temp.diffs();

-- history stays exact: a date set reads the raw rows (a row dated 2099 is
-- in the current state, not at 2025)
SELECT known_share AS with_2099_talent FROM stage_supplier_risk WHERE country = 'XA' AND stage_id = 'xt.one' AND supplier = 'CN';
SELECT known_share AS at_2025 FROM stage_supplier_risk_at('2025-01-01') WHERE country = 'XA' AND stage_id = 'xt.one' AND supplier = 'CN';

-- clean up: the state of the user's rows goes with them
DELETE FROM dependency WHERE country IN ('XA', 'XB', 'XC') OR supplier IN ('XA', 'XB', 'XC');
DELETE FROM assessment WHERE country IN ('XA', 'XB', 'XC');
DELETE FROM alignment WHERE country IN ('XA', 'XB', 'XC');
SELECT (SELECT count(*) FROM stage_state WHERE country IN ('XA', 'XB', 'XC')) AS stage_state_left,
       (SELECT count(*) FROM supplier_state WHERE country IN ('XA', 'XB', 'XC')) AS supplier_state_left,
       (SELECT count(*) FROM country_total_state WHERE country IN ('XA', 'XB', 'XC')) AS country_rows_left;
DELETE FROM stage WHERE id IN ('xs.one', 'xs.two', 'xt.one');
DELETE FROM sector WHERE code IN ('xs', 'xt');
DELETE FROM country WHERE code IN ('XA', 'XB', 'XC');
SELECT 'end' AS step, * FROM pg_temp.diffs();

-- state_terms() reads the tables it is given: a table of anyone's with the
-- wrong types or NULL keys is an error (its SQLSTATE: the message names a
-- temporary schema), never a crash
\set VERBOSITY sqlstate
CREATE TEMP TABLE d_nulls (country text, stage text, kind text, item text, supplier text, share numeric, as_of date);
INSERT INTO d_nulls VALUES ('US', 'x', NULL, 'i', 'CN', 0.5, '2024-01-01');
SELECT * FROM state_terms('pg_temp.d_nulls', 'supplychain.assessment', 'supplychain.weight', ARRAY['US'], ARRAY['x']);
CREATE TEMP TABLE d_types (country text, stage text, kind text, item text, supplier text, share text, as_of date);
INSERT INTO d_types VALUES ('US', 'x', 'supply', 'i', 'CN', '0.5', '2024-01-01');
SELECT * FROM state_terms('pg_temp.d_types', 'supplychain.assessment', 'supplychain.weight', ARRAY['US'], ARRAY['x']);
CREATE TEMP TABLE w_types (name text, value double precision);
SELECT * FROM state_terms('supplychain.dependency', 'supplychain.assessment', 'pg_temp.w_types', ARRAY['US'], ARRAY['x']);
\set VERBOSITY default
SELECT 1 AS still_up;
