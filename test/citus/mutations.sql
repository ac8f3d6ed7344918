-- mutations.sql - user writes after the data is loaded, the same on the
-- Citus coordinator (where they run through the shards' triggers) and on the
-- single server: single-shard and multi-shard UPDATE and DELETE under the
-- share rule, a changed shipped weight (it becomes the user's row on every
-- placement of the reference table) and a user weight that takes a shipped
-- default over in place.
\set ON_ERROR_STOP 1
UPDATE supplychain.dependency SET share = share / 2
 WHERE country = 'XB' AND stage = 'batteries.raw' AND share IS NOT NULL;
UPDATE supplychain.dependency SET share = NULL
 WHERE country IN ('XE', 'XR') AND supplier = 'CN' AND kind = 'supply';
DELETE FROM supplychain.dependency WHERE country = 'XC' AND kind = 'talent';
DELETE FROM supplychain.dependency WHERE country IN ('XF', 'XS') AND as_of = '2023-01-01' AND item = 'generated item 2';
DELETE FROM supplychain.assessment WHERE country = 'XD' AND as_of = '2023-01-01';
UPDATE supplychain.policy_impact SET score = 'very negative' WHERE country = 'XG' AND horizon = 'long';
UPDATE supplychain.weight SET value = 0.7 WHERE name = 'weakness.weak';
INSERT INTO supplychain.weight (name, value, description)
VALUES ('alignment.concern', 1.25, 'weight of a dependency on a country of concern (ours)');
