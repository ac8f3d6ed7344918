-- queries.sql - the queries of the postgres_fdw scale-out test (test/fdw.sh)
-- and their plans.  Each query is a template: %1$s is the schema, dist (the
-- partitioned tables on the shards) or local (the same rows on one server).
-- The plans of the dist form (EXPLAIN VERBOSE, partitionwise aggregation on)
-- go to fdwtest.plan, where fdw.sh greps them for the Remote SQL; compare.sql
-- runs the queries marked compare on both schemas and diffs the results.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- cmp: what compare.sql compares of the result (hhi is double precision:
-- compared to 12 decimals, see compare.sql)
CREATE TABLE fdwtest.query (
    name    text PRIMARY KEY,
    compare boolean NOT NULL,
    sql     text NOT NULL,
    cmp     text NOT NULL DEFAULT '*'
);
INSERT INTO fdwtest.query (name, compare, sql) VALUES
-- (a) comparisons on the custom types, shipped to the shards
('a_rating_lt', true,
 $q$SELECT stage, country, rating, as_of FROM %1$s.assessment WHERE rating < 'weak'$q$),
('a_score_ge', true,
 $q$SELECT policy, country, horizon, score, as_of FROM %1$s.policy_impact
    WHERE score >= 'positive' AND -score <= 'negative'$q$),
-- (a) negative control: the same comparison through a server without
-- OPTIONS (extensions 'supplychain') is evaluated on the coordinator
('a_noext', false,
 $q$SELECT stage, country, rating, as_of FROM noext.assessment WHERE rating < 'weak'$q$),
-- (b) aggregates grouped by the partition key (country): whole aggregates
-- run on each shard
('b_hhi_key', true,
 $q$SELECT country, stage, item, as_of, hhi(share) AS hhi, count(share) AS known
    FROM %1$s.dependency WHERE kind = 'supply'
    GROUP BY country, stage, item, as_of$q$),
('b_hhi_supplier_key', true,
 $q$SELECT country, supplier, hhi(share) AS hhi FROM %1$s.dependency
    GROUP BY country, supplier$q$),
('b_rating', true,
 $q$SELECT country, min(rating) AS weakest, max(rating) AS strongest,
           count(*) FILTER (WHERE rating < 'weak') AS very_weak
    FROM %1$s.assessment GROUP BY country$q$),
('b_score', true,
 $q$SELECT country, horizon, sum(score) AS net, avg(score) AS mean,
           min(score) AS worst, max(score) AS best
    FROM %1$s.policy_impact GROUP BY country, horizon$q$),
-- (b) grouping without the partition key: only partial aggregates could run
-- on the shards, and postgres_fdw (PostgreSQL 15) never pushes those
('b_hhi_supplier', true,
 $q$SELECT supplier, hhi(share) AS hhi FROM %1$s.dependency GROUP BY supplier$q$),
('b_score_horizon', true,
 $q$SELECT horizon, sum(score) AS net, min(score) AS worst FROM %1$s.policy_impact GROUP BY horizon$q$),
-- (c) country_risk's per-stage aggregation.  current_dependency (DISTINCT ON,
-- latest as_of per key) is written as an aggregate, so that the history is
-- collapsed on the shards; the rest runs on the coordinator (it joins the
-- coordinator's stage table).
('c_current', true,
 $q$SELECT country, stage, supplier, kind, item,
           (array_agg(share ORDER BY as_of DESC))[1] AS share, max(as_of) AS as_of
    FROM %1$s.dependency GROUP BY country, stage, supplier, kind, item$q$),
('c_per_stage', true,
 $q$WITH cur AS (
        SELECT country, stage, supplier, kind, item,
               (array_agg(share ORDER BY as_of DESC))[1] AS share
        FROM %1$s.dependency GROUP BY country, stage, supplier, kind, item)
    SELECT c.country, s.sector, c.supplier, c.stage, c.kind,
           max(c.share) AS share, count(*) AS dependencies,
           count(*) FILTER (WHERE c.share IS NULL) AS unknown_shares
    FROM cur c JOIN supplychain.stage s ON s.id = c.stage
    GROUP BY c.country, s.sector, c.supplier, c.stage, c.kind$q$),
-- (c) the extension's own view re-created over dist (compared with the
-- single server in compare.sql): shown for what it ships to the shards
('v_country_risk', false,
 $q$SELECT * FROM %1$s.country_risk$q$),
('v_stage_risk', false,
 $q$SELECT * FROM %1$s.stage_risk$q$),
-- (c) the extension's views computed on the shards (pushed.*): the whole
-- view is the Remote SQL, and a condition on the country prunes the shards
('p_country_risk', false,
 $q$SELECT * FROM pushed.country_risk$q$),
('p_country_risk_us', false,
 $q$SELECT supplier, relation, risk, rank FROM pushed.country_risk
    WHERE country = 'US' AND sector = 'batteries'$q$);

UPDATE fdwtest.query SET cmp = 'country, stage, item, as_of, round(hhi::numeric, 12) AS hhi, known'
WHERE name = 'b_hhi_key';
UPDATE fdwtest.query SET cmp = 'country, supplier, round(hhi::numeric, 12) AS hhi'
WHERE name = 'b_hhi_supplier_key';
UPDATE fdwtest.query SET cmp = 'supplier, round(hhi::numeric, 12) AS hhi'
WHERE name = 'b_hhi_supplier';

CREATE TABLE fdwtest.plan (name text, n integer, line text, PRIMARY KEY (name, n));
DO $$
DECLARE
    q record;
    line text;
    n integer;
BEGIN
    FOR q IN SELECT * FROM fdwtest.query ORDER BY name LOOP
        n := 0;
        FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || format(q.sql, 'dist') LOOP
            n := n + 1;
            INSERT INTO fdwtest.plan VALUES (q.name, n, line);
        END LOOP;
    END LOOP;
END
$$;
