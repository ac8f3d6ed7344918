-- single.sql - the single-server baseline of the postgres_fdw scale-out test
-- (test/fdw.sh): one ordinary supplychain database holding every country's
-- rows, loaded through the extension's own tables (and so its share_total
-- triggers).  Its views are the reference the distributed results must equal.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION supplychain;
\ir generate.sql
INSERT INTO supplychain.dependency SELECT * FROM fdwtest.dependency_rows(ARRAY(SELECT code FROM fdwtest.country));
INSERT INTO supplychain.assessment SELECT * FROM fdwtest.assessment_rows(ARRAY(SELECT code FROM fdwtest.country));
INSERT INTO supplychain.policy_impact SELECT * FROM fdwtest.policy_impact_rows(ARRAY(SELECT code FROM fdwtest.country));
SELECT supplychain.trade_flow_year(2022);
INSERT INTO supplychain.trade_flow SELECT * FROM fdwtest.trade_flow_rows();
ANALYZE;
-- Results of the extension's functions that read the tables, as views that
-- the coordinator imports (schema single_fn) and compares with the same
-- functions re-created over the distributed tables: history at the date :at
-- (variable set by fdw.sh), the multi-tier exposure, a disruption scenario
-- and the heat map.
CREATE VIEW fdwtest.stage_risk_at AS SELECT * FROM supplychain.stage_risk_at(:'at');
CREATE VIEW fdwtest.country_risk_at AS SELECT * FROM supplychain.country_risk_at(:'at');
CREATE VIEW fdwtest.policy_risk_at AS SELECT * FROM supplychain.policy_risk_at(:'at');
CREATE VIEW fdwtest.policy_balance_at AS SELECT * FROM supplychain.policy_balance_at(:'at');
CREATE VIEW fdwtest.chain_exposure AS SELECT * FROM supplychain.chain_exposure();
CREATE VIEW fdwtest.disruption AS SELECT * FROM supplychain.disruption('CN', 0.5);
CREATE VIEW fdwtest.heatmap_svg AS SELECT supplychain.heatmap_svg('US') AS svg;
SELECT format('single server: rows: dependency %s, assessment %s, policy_impact %s',
              (SELECT count(*) FROM supplychain.dependency),
              (SELECT count(*) FROM supplychain.assessment),
              (SELECT count(*) FROM supplychain.policy_impact));
