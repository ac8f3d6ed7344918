#!/usr/bin/env bash
# soak.sh - concurrent writers racing to push a stage's shares above 1, plus
# readers of every view, with pgbench (8 clients, loopback); then the
# invariants.  make test runs SOAK_SECONDS=10; make soak runs 60.
set -euo pipefail
cd "$(dirname "$0")/soak"
seconds=${SOAK_SECONDS:-10}
db=supplychain_soak
psql() { "$SC_BINDIR/psql" -X -q "$@"; }
psql -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -d $db -f setup.sql
start=$(psql -d $db -At -c "SELECT pg_postmaster_start_time()")
echo "pgbench: 8 clients, ${seconds}s: writers (read committed and repeatable read), deleters, readers of every view"
log=$(mktemp)
set +e
"$SC_BINDIR/pgbench" -n -c 8 -j 2 -T "$seconds" --max-tries=20 --failures-detailed \
	-f write_rc.sql@4 -f write_rr.sql@2 -f delete.sql@1 -f read.sql@2 $db >"$log" 2>&1
rc=$?
set -e
grep -E "^(number of|total number|tps|latency average)" "$log" || true
if [ $rc -ne 0 ] || grep -q "aborted in command" "$log"; then
	echo "pgbench failed (exit $rc): an undocumented error aborted a client"
	cat "$log"
	exit 1
fi
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
rm -f "$log"
psql -d $db -f check.sql
now=$(psql -d $db -At -c "SELECT pg_postmaster_start_time()")
[ "$start" = "$now" ] || { echo "the server restarted during the soak"; exit 1; }
echo "failed transactions after retries: ${failed:-0} (serialization failures out of retries only)"
psql -c "DROP DATABASE $db"
