SELECT count(*) FROM supplychain.stage_risk;
SELECT count(*) FROM supplychain.country_risk;
SELECT count(*) FROM supplychain.policy_risk;
SELECT count(*) FROM supplychain.policy_balance;
SELECT count(*) FROM supplychain.weakest_stage;
SELECT count(*) FROM supplychain.stage_closure;
