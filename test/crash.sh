#!/usr/bin/env bash
# crash.sh - SIGKILL the postmaster and its backends during a bulk load of
# dependency rows in committed batches; after crash recovery every
# committed batch is whole, no partial batch is there, and the constraints,
# running totals and maintained risk state (verify_state()) hold.  Runs in
# its own cluster (test/lib/cluster.sh); a stage of make test, reporting TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/tap.sh"
. "$here/lib/cluster.sh"
batches=${CRASH_BATCHES:-400}

q() { cluster_psql crash "$@"; }
check "a cluster of its own: initdb" cluster_init crash || exit 1
check "the cluster starts" cluster_start crash || exit 1

check "set-up: the extension, a sector and a rated stage, the ledger of committed batches" q <<'SQL' || exit 1
CREATE EXTENSION supplychain;
SET search_path = public, supplychain;
INSERT INTO sector (code, name) VALUES ('crash', 'Crash test');
INSERT INTO stage (id, sector, position, name) VALUES ('crash.1', 'crash', 1, 'Crash stage');
-- rated, so that the maintained state holds risk terms, not only counts
INSERT INTO assessment (stage, country, rating, as_of) VALUES ('crash.1', 'US', 'weak', '2024-01-01');
CREATE TABLE batch_done (batch int PRIMARY KEY);
SQL

# each batch: 100 rows (items b.0 .. b.99, 2 suppliers, shares 0.5 + 0.25) and its ledger row, one transaction
(
	for b in $(seq 1 "$batches"); do
		cat <<SQL
BEGIN;
INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
SELECT 'crash.1', 'US', s.code, 'supply', 'item $b.' || i, s.share, '2024-01-01'
FROM generate_series(0, 49) i, (VALUES ('CN', 0.5), ('KR', 0.25)) s(code, share);
INSERT INTO batch_done VALUES ($b);
COMMIT;
SQL
	done
) | q >/dev/null 2>&1 &
loader=$!

# wait until some batches have committed, then kill everything at once
n=0
for _ in $(seq 1 200); do
	n=$(q -At -c "SELECT count(*) FROM batch_done" 2>/dev/null || echo 0)
	[ "$n" -ge 20 ] && break
	sleep 0.05
done
if cluster_kill9 crash; then
	ok "SIGKILL of the postmaster (pid $cluster_killed_pid) and its $cluster_killed_children children after $n committed batches: no process left"
else
	not_ok "SIGKILL of the postmaster and its children: processes still alive after 10 s"
fi
wait "$loader"

# crash recovery
log=$(cluster_dir crash)/server.log
logsize=$(stat -c %s "$log")
check "the server starts again" cluster_start crash || exit 1
if tail -c +$((logsize + 1)) "$log" | grep -q "database system was interrupted\|not properly shut down"; then
	ok "it ran crash recovery (server log: the database system was interrupted)"
else
	not_ok "it ran crash recovery: the server log does not say so"
	tail -n 20 "$log" | diag
fi

result=$(q -At <<'SQL'
SET search_path = public, supplychain;
SELECT 'committed batches: ' || count(*) FROM batch_done;
SELECT 'rows: ' || count(*) FROM dependency WHERE stage = 'crash.1';
-- every committed batch is whole
SELECT 'incomplete batches: ' || count(*) FROM batch_done b
WHERE (SELECT count(*) FROM dependency d WHERE d.item LIKE 'item ' || b.batch || '.%') <> 100;
-- no row of a batch that did not commit
SELECT 'rows of uncommitted batches: ' || count(*) FROM dependency d
WHERE d.stage = 'crash.1'
  AND NOT EXISTS (SELECT 1 FROM batch_done b WHERE d.item LIKE 'item ' || b.batch || '.%');
-- constraints and running totals
SELECT 'keys above 1: ' || count(*) FROM (SELECT 1 FROM dependency GROUP BY stage, country, kind, item, as_of
                                         HAVING sum(share) > 1) k;
SELECT 'totals wrong: ' || count(*) FROM (
    SELECT stage, country, kind, item, sum(share) s FROM dependency WHERE share IS NOT NULL
    GROUP BY 1, 2, 3, 4) d
FULL JOIN share_total t USING (stage, country, kind, item)
WHERE COALESCE(d.s, 0) <> COALESCE(t.total, 0);
-- the maintained risk state (stage_state, supplier_state, country_state,
-- country_total_state, share_total) against its recomputation from the rows
SELECT 'state differences: ' || count(*) FROM verify_state();
SELECT 'state difference: ' || concat_ws(' ', object, key, 'state', coalesce(state, '(none)'),
                                         'recomputed', coalesce(recomputed, '(none)'))
FROM verify_state() ORDER BY object, key LIMIT 10;
CREATE EXTENSION IF NOT EXISTS amcheck;
SELECT 'indexes checked: ' || count(bt_index_check(c.oid, true))
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
WHERE a.amname = 'btree' AND c.relnamespace = 'supplychain'::regnamespace;
SQL
)
rc=$?
note "$result"
value() { sed -n "s/^$1: //p" <<<"$result"; }
done_=$(value "committed batches")
rows=$(value "rows")
if [ "${done_:-0}" -gt 0 ]; then ok "batches committed before the kill are there ($done_)"; else not_ok "no batch committed before the kill"; fi
is "every committed batch is whole (100 rows)" "$(value "incomplete batches")" 0
is "no row of a batch that did not commit" "$(value "rows of uncommitted batches")" 0
is "no key's known shares above 1" "$(value "keys above 1")" 0
is "share_total agrees with the rows" "$(value "totals wrong")" 0
is "verify_state(): the maintained risk state equals its recomputation from the rows (no difference)" \
	"$(value "state differences")" 0
is "rows = 100 x committed batches" "${rows:-none}" "$((${done_:-0} * 100))"
# negative control: a row written with the triggers off (as a replica applies
# it) must make verify_state() return rows; rolled back
stale=$(q -At -c "BEGIN" -c "SET LOCAL session_replication_role = replica" \
	-c "INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
	    VALUES ('crash.1', 'US', 'JP', 'supply', 'negative control', 0.5, '2024-01-01')" \
	-c "SELECT count(*) FROM supplychain.verify_state()" -c "ROLLBACK" 2>&1)
if [[ "$stale" =~ ^[0-9]+$ ]] && [ "$stale" -gt 0 ]; then
	ok "negative control: verify_state() sees a row inserted with session_replication_role = replica ($stale rows)"
else
	not_ok "negative control: verify_state() after a row inserted with session_replication_role = replica: '$stale'"
fi
checked=$(value "indexes checked")
if [ "$rc" -eq 0 ] && [ "${checked:-0}" -gt 0 ]; then
	ok "amcheck bt_index_check(heapallindexed) passes on the extension's $checked btree indexes"
else
	not_ok "amcheck bt_index_check on the extension's btree indexes (psql exit $rc)"
fi
done_testing
