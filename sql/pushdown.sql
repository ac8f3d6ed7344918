-- pushdown.sql - a condition on the depending country reaches the tables.
-- For a one-country query on each risk view, every read of dependency,
-- assessment and policy_impact (the per-country tables) must be an index
-- scan whose index condition holds the country (the constant, or the
-- country of the row a lateral call is for): a rewrite that stops the
-- condition above a whole-table step (GROUPING SETS, a materialized CTE, a
-- correlated subquery, a full join on coalesced keys) fails here.  The
-- sequential scan is disabled because the reference tables are tiny: the
-- test asks whether an index path exists, not whether it is cheapest.
SET search_path = public, supplychain;
SET enable_seqscan = off;

CREATE FUNCTION pg_temp.reads(query text)
RETURNS TABLE (relation text, scan text, country_cond text)
LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
    RETURN QUERY
    SELECT DISTINCT n->>'Relation Name', n->>'Node Type',
           substring(COALESCE(n->>'Index Cond', n->>'Recheck Cond', '') FROM '\m(country = [^ )]+)')
    FROM jsonb_path_query(plan, 'strict $.**') n
    WHERE jsonb_typeof(n) = 'object'
      AND n->>'Relation Name' IN ('dependency', 'assessment', 'policy_impact')
    ORDER BY 1, 2, 3;
END
$$;

SELECT v AS view, r.*
FROM unnest(ARRAY[
    'current_dependency', 'current_assessment', 'current_policy_impact',
    'stage_risk', 'stage_supplier_risk', 'country_risk', 'weakest_stage',
    'policy_risk', 'policy_balance', 'tier_exposure']) v,
     LATERAL pg_temp.reads(format('SELECT * FROM supplychain.%I WHERE country = %L', v, 'US')) r
ORDER BY 1, 2, 3;

-- with sector, stage or supplier as well, the country still reaches the index
SELECT * FROM pg_temp.reads($$SELECT * FROM country_risk WHERE country = 'US' AND sector = 'batteries'$$);
SELECT * FROM pg_temp.reads($$SELECT * FROM stage_risk WHERE country = 'US' AND stage_id = 'batteries.cells'$$);
SELECT * FROM pg_temp.reads($$SELECT * FROM stage_supplier_risk WHERE country = 'US' AND supplier = 'CN'$$);

-- country_risk and policy_balance aggregate once: no grouping sets, and one
-- aggregation over the per-stage rows for the sector and all-sectors rows
SELECT count(*) AS grouping_sets_plans
FROM unnest(ARRAY['country_risk', 'policy_balance']) v,
     LATERAL (SELECT pg_catalog.pg_get_viewdef(('supplychain.' || v)::regclass) AS def) d
WHERE d.def ~* 'grouping sets|rollup|cube';

-- a one-country call gives that country's rows of the whole result; a
-- second depending country (a row without as_of: it defaults to today)
-- makes the filter matter
BEGIN;
INSERT INTO dependency (stage, country, supplier, kind, item, share)
VALUES ('batteries.cells', 'KR', 'CN', 'supply', 'cells', 0.4);
SELECT as_of = current_date AS as_of_defaults_to_today FROM dependency WHERE country = 'KR';
SELECT country, count(*) FROM disruption('CN', 0.5) GROUP BY 1 ORDER BY 1;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE country = 'US') AS us_rows
FROM disruption('CN', 0.5, NULL, 'US');
SELECT (SELECT count(*) FROM (SELECT * FROM disruption('CN', 0.5) WHERE country = 'US'
                              EXCEPT ALL SELECT * FROM disruption('CN', 0.5, NULL, 'US')) x)
     + (SELECT count(*) FROM (SELECT * FROM disruption('CN', 0.5, NULL, 'US')
                              EXCEPT ALL SELECT * FROM disruption('CN', 0.5) WHERE country = 'US') y)
       AS differences;
SELECT (SELECT count(*) FROM (SELECT * FROM chain_exposure() WHERE country = 'US'
                              EXCEPT ALL SELECT * FROM chain_exposure(NULL, 64, 'US')) x)
     + (SELECT count(*) FROM (SELECT * FROM chain_exposure(NULL, 64, 'US')
                              EXCEPT ALL SELECT * FROM chain_exposure() WHERE country = 'US') y)
       AS differences;
SELECT count(*) AS other_countries FROM chain_exposure(NULL, 64, 'US') WHERE country <> 'US';
SELECT count(*) AS kr_rows FROM tier_exposure WHERE country = 'KR';
ROLLBACK;
SELECT * FROM disruption('CN', 0.5, NULL, 'XX');
