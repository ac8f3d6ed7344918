-- check.sql - after the soak: invariants hold and every committed write is
-- there; one TAP line each (psql -At), exit status 1 when one fails.
\set ON_ERROR_STOP 1
SET search_path = public, supplychain;
-- known shares per key never above 1 (recomputed from the rows themselves)
SELECT count(*) AS keys_above_one FROM (
    SELECT stage, country, kind, item, as_of FROM dependency
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(share) > 1) k \gset
-- the running totals agree with the rows (one as_of per key here, so the current total is the sum)
SELECT count(*) AS totals_wrong FROM (
    SELECT d.stage, d.country, d.kind, d.item, sum(d.share) AS s
    FROM dependency d WHERE d.share IS NOT NULL GROUP BY 1, 2, 3, 4) d
FULL JOIN share_total t USING (stage, country, kind, item)
WHERE COALESCE(d.s, 0) <> COALESCE(t.total, 0) \gset
-- the last committed write or delete of each (stage, supplier) is what the table holds
SELECT count(*) AS ledger_mismatch FROM (
    SELECT DISTINCT ON (stage, supplier) stage, supplier, op, share
    FROM soak_ledger ORDER BY stage, supplier, at DESC) l
LEFT JOIN dependency d ON d.stage = l.stage AND d.supplier = l.supplier AND d.country = 'US'
WHERE (l.op = 'write' AND (d.share IS DISTINCT FROM l.share))
   OR (l.op = 'delete' AND d.stage IS NOT NULL) \gset
SELECT count(*) AS rows_without_ledger FROM dependency d
WHERE d.stage LIKE 'soak.%'
  AND NOT EXISTS (SELECT 1 FROM soak_ledger l WHERE l.stage = d.stage AND l.supplier = d.supplier) \gset
-- the maintained risk state (stage_state, supplier_state, country_state,
-- country_total_state, and share_total again) against a recomputation from
-- the raw rows: verify_state() returns one row per difference
SELECT count(*) AS state_differences FROM verify_state() \gset
-- the first differences, as comments (shown when the check fails)
SELECT format('# verify_state: %s %s: state %s, recomputed %s', object, key,
              coalesce(state, '(none)'), coalesce(recomputed, '(none)'))
FROM verify_state() ORDER BY object, key LIMIT 10;
-- negative control: a row written with the triggers off (as a replica
-- applies it) leaves the state stale, and verify_state() must say so; rolled back
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
VALUES ('soak.1', 'US', 'XA', 'supply', 'negative control', 0.5, '2024-01-01');
SELECT count(*) AS stale_differences FROM verify_state() \gset
ROLLBACK;
SELECT format('# writes %s, deletes %s, rejected with 23514 %s, rows now %s',
              (SELECT count(*) FROM soak_ledger WHERE op = 'write'),
              (SELECT count(*) FROM soak_ledger WHERE op = 'delete'),
              (SELECT COALESCE(sum(n), 0) FROM soak_errors WHERE sqlstate = '23514'),
              (SELECT count(*) FROM dependency WHERE stage LIKE 'soak.%'));
-- one TAP line per invariant (test/soak.sh numbers them)
SELECT CASE WHEN n = 0 THEN 'ok - ' ELSE 'not ok - ' END || what || ' (' || n || ')'
FROM (VALUES (1, :keys_above_one, 'no key''s known shares above 1'),
             (2, :totals_wrong, 'share_total agrees with the rows'),
             (3, :ledger_mismatch, 'the last committed write or delete of each stage and supplier is what the table holds'),
             (4, :rows_without_ledger, 'no row without a committed write in the ledger'),
             (5, :state_differences, 'verify_state(): the maintained risk state equals its recomputation from the rows')) v(i, n, what)
ORDER BY i;
SELECT CASE WHEN :stale_differences > 0 THEN 'ok - ' ELSE 'not ok - ' END
       || 'negative control: verify_state() sees a row inserted with session_replication_role = replica ('
       || :stale_differences || ' differences)';
SELECT (:keys_above_one + :totals_wrong + :ledger_mismatch + :rows_without_ledger + :state_differences) > 0
       OR :stale_differences = 0 AS violated \gset
-- (\quit takes no exit status: an error, with ON_ERROR_STOP, is what sets it)
\if :violated
DO $$ BEGIN RAISE EXCEPTION 'soak invariants violated'; END $$;
\endif
