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

-- every read of a per-country table (the raw rows and the maintained state)
-- in the plan of a query: its table, and whether it is an index scan whose
-- index condition holds the country.  A risk view's plan has both of its
-- branches, the state's and the raw rows' (history).
CREATE FUNCTION pg_temp.reads(query text)
RETURNS TABLE (relation text, by_country boolean)
LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
    RETURN QUERY
    SELECT n->>'Relation Name',
           n->>'Node Type' IN ('Index Scan', 'Index Only Scan', 'Bitmap Heap Scan')
           AND COALESCE(n->>'Index Cond', n->>'Recheck Cond', '') ~ '\mcountry = '
    FROM jsonb_path_query(plan, 'strict $.**') n
    WHERE jsonb_typeof(n) = 'object'
      AND n->>'Relation Name' IN ('dependency', 'assessment', 'policy_impact', 'stage_state',
                                  'supplier_state', 'country_state', 'country_total_state');
END
$$;
-- the property per query: it reads the tables it must (at least), and every
-- read of a per-country table goes through the index by country.  Which
-- further reads a plan has is the planner's choice and differs between
-- server versions (17 reads dependency for weakest_stage, 15 does not).
CREATE FUNCTION pg_temp.pushed_down(query text, must_read text[],
    OUT reads_what_it_must boolean, OUT every_read_by_country boolean, OUT reads integer)
LANGUAGE sql AS $$
    SELECT COALESCE(array_agg(DISTINCT relation), '{}') @> must_read,
           COALESCE(bool_and(by_country), false),
           count(*)::integer
    FROM pg_temp.reads(query)
$$;

SELECT v AS view, p.reads_what_it_must, p.every_read_by_country, p.reads > 0 AS reads_a_table
FROM (VALUES ('current_dependency', '{dependency}'), ('current_assessment', '{assessment}'),
             ('current_policy_impact', '{policy_impact}'),
             ('stage_risk', '{assessment,dependency,stage_state}'),
             ('stage_supplier_risk', '{assessment,dependency,supplier_state}'),
             ('country_risk', '{assessment,dependency,country_state,country_total_state}'),
             ('weakest_stage', '{assessment,stage_state}'),
             ('policy_risk', '{policy_impact}'), ('policy_balance', '{policy_impact}'),
             ('tier_exposure', '{dependency,supplier_state}')) t (v, must_read),
     LATERAL pg_temp.pushed_down(format('SELECT * FROM supplychain.%I WHERE country = %L', v, 'US'),
                                 must_read::text[]) p
ORDER BY 1;

-- with sector, stage or supplier as well, the country still reaches the index
SELECT q, p.reads_what_it_must, p.every_read_by_country
FROM (VALUES ($$SELECT * FROM country_risk WHERE country = 'US' AND sector = 'batteries'$$),
             ($$SELECT * FROM stage_risk WHERE country = 'US' AND stage_id = 'batteries.cells'$$),
             ($$SELECT * FROM stage_supplier_risk WHERE country = 'US' AND supplier = 'CN'$$)) t (q),
     LATERAL pg_temp.pushed_down(q, '{assessment,dependency}') p;

-- at the current date the state branch runs and the raw one is skipped: the
-- one-country country_risk reads its sectors off stage_state's index, then
-- each sector's rows in rank order off country_state's (one loop per sector:
-- no sort of a row) and never touches dependency
CREATE FUNCTION pg_temp.executed(query text) RETURNS TABLE (relation text, loops bigint, sorts bigint)
LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || query INTO plan;
    RETURN QUERY
    -- (18 prints actual rows with decimals: read them as numeric)
    SELECT n->>'Relation Name', sum((n->>'Actual Loops')::numeric)::bigint,
           count(*) FILTER (WHERE n->>'Node Type' ~ 'Sort' AND (n->>'Actual Rows')::numeric > 0)
    FROM jsonb_path_query(plan, 'strict $.**') n
    WHERE jsonb_typeof(n) = 'object' AND n ? 'Node Type'
    GROUP BY 1 ORDER BY 1 NULLS FIRST;
END
$$;
SET enable_sort = off;
SET enable_bitmapscan = off;
SELECT * FROM pg_temp.executed($$SELECT * FROM country_risk WHERE country = 'US'$$)
WHERE loops > 0 OR relation IS NULL;
RESET enable_sort;
RESET enable_bitmapscan;

-- the test can fail: without the country, the views read whole tables
SELECT v AS view, p.every_read_by_country
FROM unnest(ARRAY['country_risk', 'stage_risk']) v,
     LATERAL pg_temp.pushed_down(format('SELECT * FROM supplychain.%I WHERE sector = %L', v, 'batteries'),
                                 '{dependency}') p;

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

-- the maintained state equals its recomputation from the raw rows
SELECT count(*) AS state_differences FROM supplychain.verify_state();
