-- shard.sql - one shard of the postgres_fdw scale-out test (test/fdw.sh).
-- Variables: shard (1 or 2), s1 (the countries of shard 1, as SQL literals:
-- 'US', 'KR', ...).  Shard 1 holds those depending countries, shard 2 all the
-- others (it is the DEFAULT partition on the coordinator).
--
-- A shard is an ordinary supplychain database: the extension's own tables
-- hold the shard's rows, its triggers keep share_total on the shard (every
-- (stage, country, kind, item, as_of) lives on one shard because the
-- partition key is the depending country), and its views work on the shard's
-- countries.  Every shard also holds the shipped reference rows (CREATE
-- EXTENSION inserts them, and they cannot be deleted), so the coordinator
-- does not read the extension's tables directly but, per table, a view of the
-- rows inside the partition's bound: shard 1 the countries :s1, shard 2 all
-- the others.  The views are simple, hence updatable, and WITH CHECK OPTION,
-- so rows inserted through the coordinator land in the extension's tables
-- (and its triggers) and a row sent to the wrong shard is refused.  The same
-- for the extension's views (shard.country_risk, ...), so that the
-- coordinator can also read whole views computed on the shards.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION supplychain;
\ir generate.sql

SELECT :shard = 1 AS first \gset
\if :first
\set bound 'IN'
\else
\set bound 'NOT IN'
\endif
CREATE SCHEMA shard;
CREATE VIEW shard.dependency AS
    SELECT * FROM supplychain.dependency WHERE country :bound (:s1) WITH CHECK OPTION;
CREATE VIEW shard.assessment AS
    SELECT * FROM supplychain.assessment WHERE country :bound (:s1) WITH CHECK OPTION;
CREATE VIEW shard.policy_impact AS
    SELECT * FROM supplychain.policy_impact WHERE country :bound (:s1) WITH CHECK OPTION;
-- the maintained state of this shard's countries (its triggers keep it)
CREATE VIEW shard.stage_state AS SELECT * FROM supplychain.stage_state WHERE country :bound (:s1);
CREATE VIEW shard.supplier_state AS SELECT * FROM supplychain.supplier_state WHERE country :bound (:s1);
CREATE VIEW shard.country_state AS SELECT * FROM supplychain.country_state WHERE country :bound (:s1);
CREATE VIEW shard.country_total_state AS SELECT * FROM supplychain.country_total_state WHERE country :bound (:s1);
-- The extension's views, for the rows of this shard's countries: every view
-- with a country column computes each row from one country's rows (and the
-- reference tables, the same on every shard), so the whole view can run here.
SET fdwtest.bound = :'bound';
SET fdwtest.s1 = :'s1';
DO $$
DECLARE
    v text;
BEGIN
    FOR v IN SELECT * FROM fdwtest.extension_views(true) LOOP
        EXECUTE format('CREATE VIEW shard.%I AS SELECT * FROM supplychain.%I WHERE country %s (%s)',
                       v, v, current_setting('fdwtest.bound'), current_setting('fdwtest.s1'));
    END LOOP;
END
$$;

CREATE TEMP TABLE mine AS
SELECT code FROM fdwtest.country WHERE code :bound (:s1);
INSERT INTO supplychain.dependency SELECT * FROM fdwtest.dependency_rows(ARRAY(SELECT code FROM mine));
INSERT INTO supplychain.assessment SELECT * FROM fdwtest.assessment_rows(ARRAY(SELECT code FROM mine));
INSERT INTO supplychain.policy_impact SELECT * FROM fdwtest.policy_impact_rows(ARRAY(SELECT code FROM mine));
ANALYZE;

SELECT format('shard %s: countries %s; rows: dependency %s, assessment %s, policy_impact %s',
              :shard, (SELECT string_agg(code, ',' ORDER BY code) FROM mine),
              (SELECT count(*) FROM shard.dependency),
              (SELECT count(*) FROM shard.assessment),
              (SELECT count(*) FROM shard.policy_impact));
