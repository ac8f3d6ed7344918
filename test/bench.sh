#!/usr/bin/env bash
# bench.sh - the benchmark's smoke run (tiny sizes), as TAP: bench/run.sh runs
# to its end and every case runs and finds its two sides agree (else
# bench/run.sh records an error for the case); figures are printed as
# comments, never judged here.
set -uo pipefail
cd "$(dirname "$0")/.."
. test/lib/tap.sh
. test/lib/psql.sh
: "${SC_BINDIR:?run through test/harness.sh}"
db=${BENCH_DB:-supplychain_bench}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# (its tiny sizes are no measurement: the results go to a directory of
# their own, never over bench/results/latest.*, the last make bench's)
results=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$results"' EXIT
BENCH_QUICK=1 BENCH_RESULTS=$results bash bench/run.sh >"$log" 2>&1
rc=$?
note <"$log"
if [ "$rc" -eq 0 ]; then ok "bench/run.sh (BENCH_QUICK=1) exits 0"; else not_ok "bench/run.sh (BENCH_QUICK=1) exits 0 (exit $rc)"; fi
for c in ${BENCH_CASES:-1 2 3 4 5 6 7 8}; do
	# case 2's rows include "2s", the symbols' COPY
	got=$(sc_psql -At -d "$db" -c "
		SELECT count(*) || ' rows, ' || count(error) || ' errors' || COALESCE(': ' || string_agg(error, '; '), '')
		FROM bench.result WHERE \"case\" ~ '^$c[a-z]*\$'" 2>&1)
	if [[ $got =~ ^([0-9]+)\ rows,\ 0\ errors$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
		ok "case $c ran to its end, its sides agree ($got)"
	else
		not_ok "case $c ran to its end, its sides agree: $got"
	fi
done
done_testing
