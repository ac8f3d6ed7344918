#!/usr/bin/env bash
# fuzz.sh - the short fuzzing pass of make test: test/fuzz/run.sh with small counts
# (make fuzz runs the long form), its checks numbered as this stage's TAP.  Needs the
# cluster test/harness.sh starts.
set -uo pipefail
cd "$(dirname "$0")/.."
. test/lib/tap.sh
out=$(mktemp)
trap 'rm -f "$out"' EXIT
FUZZ_RUNS=${FUZZ_RUNS:-200000} MUTATIONS=${MUTATIONS:-2000} bash test/fuzz/run.sh >"$out"
rc=$?
relay <"$out"
if [ $? -eq 0 ] && [ "$rc" -ne 0 ]; then not_ok "test/fuzz/run.sh ran to its end (exit $rc)"; fi
done_testing
