#!/usr/bin/env bash
# run.sh - fuzz the label parsers: the libFuzzer harness over src/labels.c, then the SQL-level
# mutation fuzzer against the server.  make fuzz runs it inside test/harness.sh's throwaway
# cluster; test/fuzz.sh runs a short pass in make test.
#
#   FUZZ_RUNS=10000000  libFuzzer executions (each runs both parsers and all property checks)
#   FUZZ_MAX_LEN=64     longest input libFuzzer generates
#   FUZZ_SEED=0         libFuzzer seed (0: a random one, printed in the log)
#   MUTATIONS=20000     mutants fed to both types' text input (0 skips the SQL-level fuzzer)
#   MUTATION_SEED=...   the SQL-level fuzzer's fixed seed (see mutate_sql.py)
#   SC_FUZZ_ORACLE=0    skip only the harness's comparison with its reference parser
#
# Reports TAP lines ("ok - ..." / "not ok - ...", the rest as "# " comments; test/fuzz.sh
# numbers them).  Exits non-zero if either fuzzer finds a crash or a property violation; the
# input that libFuzzer failed on is kept as test/fuzz/build/crash-* (replay: build/fuzz_labels FILE).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$here/build
FUZZ_RUNS=${FUZZ_RUNS:-10000000}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-64}
FUZZ_SEED=${FUZZ_SEED:-0}
MUTATIONS=${MUTATIONS:-20000}
CLANG=${CLANG:-clang}

mkdir -p "$build"
work=$(mktemp -d "$build/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- build: compile to a private name, then rename, so concurrent runs never
# execute a half-written binary
echo "# == libFuzzer: building $build/fuzz_labels"
if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -I"$top/src" \
	"$here/fuzz_labels.c" "$top/src/labels.c" -o "$work/fuzz_labels" 2>"$work/build.log"; then
	echo "not ok - libFuzzer: the harness builds ($CLANG, ASan, UBSan)"
	sed 's/^/# /' "$work/build.log"
	exit 1
fi
mv -f "$work/fuzz_labels" "$build/fuzz_labels"
echo "ok - libFuzzer: the harness builds ($CLANG, ASan, UBSan)"

# A dictionary of the grammar's tokens speeds libFuzzer up; it is generated,
# not committed, because the corpus already holds every spelling.
cat >"$build/labels.dict" <<'EOF'
"very"
"weak"
"satisfactory"
"negative"
"neutral"
"positive"
"very weak"
"very_"
"very-"
"+"
"-"
"\xe2\x98\x94"
"\xe2\x98\x81"
"\xe2\x9a\x99"
"\xe2\x98\xb9"
"\xe2\x98\x80"
"\xef\xb8\x8f"
"\xe2\x98"
"\xe2\x9a"
"\xef\xb8"
"\x00"
"\x09"
"\x0b"
"\x0c"
"\x0d"
EOF

# --- libFuzzer over a copy of the seed corpus (new inputs go to the copy)
mkdir "$work/corpus"
cp "$here/corpus/"* "$work/corpus/"
echo "# == libFuzzer: $FUZZ_RUNS executions, max_len $FUZZ_MAX_LEN, $(ls "$here/corpus" | wc -l) seeds"
fuzz_rc=0
start=$(date +%s.%N)
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$build/fuzz_labels" -runs="$FUZZ_RUNS" -max_len="$FUZZ_MAX_LEN" -seed="$FUZZ_SEED" \
	-dict="$build/labels.dict" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$build/" "$work/corpus" >"$work/libfuzzer.log" 2>&1 || fuzz_rc=$?
end=$(date +%s.%N)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/libfuzzer.log" | tail -n 1)
if [ "$fuzz_rc" -ne 0 ]; then
	# the report: the violated property or sanitizer error, the stack, the reproducer
	unit=$(sed -n 's/.*Test unit written to //p' "$work/libfuzzer.log" | tail -n 1)
	echo "not ok - libFuzzer: FAILED (exit $fuzz_rc) after ${execs:-?} executions; reproducer: ${unit:-none written}"
	grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED|RELOAD)' "$work/libfuzzer.log" | tail -n 60 | sed 's/^/# /'
	if [ -n "$unit" ]; then echo "# replay: $build/fuzz_labels $unit"; fi
else
	grep -E '^(INFO: Seed|#[0-9]+[[:space:]]+DONE|Done )' "$work/libfuzzer.log" | sed 's/^/# /' || true
	awk -v n="${execs:-0}" -v s="$start" -v e="$end" \
		'BEGIN { t = e - s; printf "ok - libFuzzer: %d executions in %.1f s (%.0f/s), no crash, no property violated\n", n, t, (t > 0 ? n / t : 0) }'
fi

# --- SQL-level mutation fuzzer, in the cluster the harness started
sql_rc=0
if [ "$MUTATIONS" -gt 0 ]; then
	if [ -z "${PGPORT:-}" ]; then
		echo "not ok - SQL fuzzer: no cluster (PGHOST/PGPORT unset); run through make fuzz, or set MUTATIONS=0"
		sql_rc=2
	else
		echo "# == SQL mutation fuzzer: $MUTATIONS mutants"
		MUTATIONS=$MUTATIONS /usr/bin/python3 "$here/mutate_sql.py" || sql_rc=$?
	fi
fi

[ "$fuzz_rc" -eq 0 ] && [ "$sql_rc" -eq 0 ]
