#!/usr/bin/env bash
# regress.sh - the pg_regress suites (sql/NAME.sql, compared with
# expected/NAME.out) through make installcheck, as TAP: one test per suite,
# and one for make's exit status.  A stage of make test, in the cluster of
# test/harness.sh (PGHOST, PGPORT, PG_CONFIG).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. test/lib/tap.sh
: "${PGHOST:?run through test/harness.sh, which starts the cluster}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

make -s PG_CONFIG="${PG_CONFIG:-pg_config}" installcheck >"$log" 2>&1
rc=$?
note <"$log"
# pg_regress 15 reports "test NAME ... ok" (serial) or "     NAME ... ok" (a
# parallel group), 16 and later TAP: "ok 3 - NAME  12 ms" or "not ok 3 -
# NAME"; each suite in sql/ must be there
for f in sql/*.sql; do
	suite=$(basename "$f" .sql)
	result=$(sed -n -E -e "s/^(test| )[[:space:]]+$suite[[:space:]]+\.\.\. ([a-zA-Z ()]+[a-zA-Z)]).*/\2/p" \
		-e "s/^(ok|not ok)[[:space:]]+[0-9]+[[:space:]]+[-+][[:space:]]+$suite[[:space:]].*/\1/p" "$log" | head -n 1)
	[ "$result" = "not ok" ] && result=FAILED
	case $result in
	ok) ok "$suite: sql/$suite.sql gives expected/$suite.out" ;;
	"") not_ok "$suite: not run" ;;
	*) not_ok "$suite: $result (sql/$suite.sql against expected/$suite.out)" ;;
	esac
done
if [ "$rc" -eq 0 ]; then
	ok "make installcheck exits 0"
else
	not_ok "make installcheck exits 0 (exit $rc)"
	[ -f regression.diffs ] && diag <regression.diffs
fi
done_testing
