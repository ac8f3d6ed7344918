#!/usr/bin/env bash
# crash.sh - SIGKILL the postmaster and its backends during a bulk load of
# dependency rows in committed batches; after crash recovery every
# committed batch is whole, no partial batch is there, and the constraints
# and running totals hold.  Runs in its own cluster.
set -euo pipefail
batches=${CRASH_BATCHES:-400}
dir=$(mktemp -d /tmp/supplychain-crash.XXXXXX)
chmod 755 "$dir"
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg() { as_pg "$SC_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-k $dir -p $port -c listen_addresses=''" "$@"; }
cleanup() { as_pg "$SC_BINDIR/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
as_pg "$SC_BINDIR/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
pg start >/dev/null
q() { "$SC_BINDIR/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

q <<'SQL'
CREATE EXTENSION supplychain;
SET search_path = public, supplychain;
INSERT INTO sector (code, name) VALUES ('crash', 'Crash test');
INSERT INTO stage (id, sector, position, name) VALUES ('crash.1', 'crash', 1, 'Crash stage');
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
for _ in $(seq 1 200); do
	n=$(q -At -c "SELECT count(*) FROM batch_done" 2>/dev/null || echo 0)
	[ "$n" -ge 20 ] && break
	sleep 0.05
done
pm=$(head -1 "$dir/data/postmaster.pid")
kids=$(pgrep -P "$pm" || true)
kill -9 "$pm" $kids
wait "$loader" || true
# SIGKILL is asynchronous: wait until no process of the old server is left
for _ in $(seq 1 100); do
	alive=0
	for p in $pm $kids; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ $alive -eq 0 ] && break
	sleep 0.1
done
echo "killed the postmaster (pid $pm) and $(echo $kids | wc -w) children with SIGKILL after $n committed batches"

# crash recovery
rm -f "$dir"/.s.PGSQL.*
pg start >/dev/null || { tail -20 "$dir/server.log"; exit 1; }
grep -q "database system was interrupted\|not properly shut down" "$dir/server.log" && echo "server restarted with crash recovery"

q -At <<'SQL' | tee "$dir/result"
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
CREATE EXTENSION IF NOT EXISTS amcheck;
SELECT 'indexes checked: ' || count(bt_index_check(c.oid, true))
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
WHERE a.amname = 'btree' AND c.relnamespace = 'supplychain'::regnamespace;
SQL
grep -q "^committed batches: [1-9]" "$dir/result" || { echo "no batch committed before the kill"; exit 1; }
for k in "incomplete batches" "rows of uncommitted batches" "keys above 1" "totals wrong"; do
	grep -q "^$k: 0$" "$dir/result" || { echo "FAILED: $k"; exit 1; }
done
rows=$(sed -n 's/^rows: //p' "$dir/result")
done_=$(sed -n 's/^committed batches: //p' "$dir/result")
[ "$rows" -eq $((done_ * 100)) ] || { echo "FAILED: $rows rows for $done_ batches"; exit 1; }
echo "crash test passed"
