-- single.sql - the single-server baseline of the postgres_fdw scale-out test
-- (test/fdw.sh): one ordinary supplychain database holding every country's
-- rows, loaded through the extension's own tables (and so its share_total
-- triggers).  Its views are the reference the distributed results must equal.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION supplychain;
\ir generate.sql
INSERT INTO supplychain.dependency SELECT * FROM fdwtest.dependency_rows(ARRAY(SELECT code FROM supplychain.country));
INSERT INTO supplychain.assessment SELECT * FROM fdwtest.assessment_rows(ARRAY(SELECT code FROM supplychain.country));
INSERT INTO supplychain.policy_impact SELECT * FROM fdwtest.policy_impact_rows(ARRAY(SELECT code FROM supplychain.country));
ANALYZE;
SELECT format('single server: rows: dependency %s, assessment %s, policy_impact %s',
              (SELECT count(*) FROM supplychain.dependency),
              (SELECT count(*) FROM supplychain.assessment),
              (SELECT count(*) FROM supplychain.policy_impact));
