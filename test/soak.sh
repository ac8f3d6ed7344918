#!/usr/bin/env bash
# soak.sh - concurrent writers racing to push a stage's shares above 1, plus
# readers of every view, with pgbench (8 clients, loopback); then the
# invariants, as TAP, the maintained risk state among them (verify_state()
# returns no row, and does return rows for a write that bypassed the triggers).  make test runs SOAK_SECONDS=10; make soak runs 60.
set -uo pipefail
cd "$(dirname "$0")/soak"
. ../lib/tap.sh
seconds=${SOAK_SECONDS:-10}
db=supplychain_soak
. ../lib/psql.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
check "database $db: stages, the ledger of committed writes, the pgbench scripts' helpers" \
	sc_psql -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db" -c "\\connect $db" -f setup.sql || exit 1
start=$(sc_psql -d $db -At -c "SELECT pg_postmaster_start_time()")
note "pgbench: 8 clients, ${seconds}s: writers (read committed and repeatable read), deleters, readers of every view"
"$SC_BINDIR/pgbench" -n -c 8 -j 2 -T "$seconds" --max-tries=20 --failures-detailed \
	-f write_rc.sql@4 -f write_rr.sql@2 -f delete.sql@1 -f read.sql@2 $db >"$log" 2>&1
rc=$?
grep -E "^(number of|total number|tps|latency average)" "$log" | note
if [ $rc -eq 0 ] && ! grep -q "aborted in command" "$log"; then
	ok "pgbench ran ${seconds}s: no client aborted by an undocumented error"
else
	not_ok "pgbench ran ${seconds}s: no client aborted by an undocumented error (exit $rc)"
	diag <"$log"
fi
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
# check.sql prints one TAP line per invariant
sc_psql -d $db -At -f check.sql >"$log" 2>&1
rc=$?
relay <"$log"
if [ $? -eq 0 ] && [ $rc -ne 0 ]; then not_ok "check.sql ran to its end (exit $rc)"; diag <"$log"; fi
is "the server did not restart during the soak" "$(sc_psql -d $db -At -c "SELECT pg_postmaster_start_time()")" "$start"
note "failed transactions after retries: ${failed:-0} (serialization failures out of retries only)"
sc_psql -c "DROP DATABASE $db"
done_testing
