#!/usr/bin/env bash
# bench.sh - the benchmark's smoke run (tiny sizes): every case runs and
# checks its two sides agree; figures are printed, never judged here.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_QUICK=1 bash bench/run.sh
