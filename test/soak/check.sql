-- check.sql - after the soak: invariants hold and every committed write is there.
\set ON_ERROR_STOP 1
SET search_path = public, supplychain;
\pset footer off
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
SELECT (SELECT count(*) FROM soak_ledger WHERE op = 'write') AS writes,
       (SELECT count(*) FROM soak_ledger WHERE op = 'delete') AS deletes,
       (SELECT COALESCE(sum(n), 0) FROM soak_errors WHERE sqlstate = '23514') AS rejected_23514,
       (SELECT count(*) FROM dependency WHERE stage LIKE 'soak.%') AS rows_now;
\echo keys above 1: :keys_above_one, share_total wrong: :totals_wrong, ledger mismatches: :ledger_mismatch, rows without ledger: :rows_without_ledger
SELECT (:keys_above_one + :totals_wrong + :ledger_mismatch + :rows_without_ledger) = 0 AS ok \gset
\if :ok
\echo soak invariants hold
\else
\echo soak invariants VIOLATED
\quit 1
\endif
