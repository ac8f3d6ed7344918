#!/usr/bin/env bash
# fuzz.sh - the short fuzzing pass of make test: test/fuzz/run.sh with small counts
# (make fuzz runs the long form).  Needs the cluster test/harness.sh starts.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_RUNS=${FUZZ_RUNS:-200000} MUTATIONS=${MUTATIONS:-2000} exec bash test/fuzz/run.sh
