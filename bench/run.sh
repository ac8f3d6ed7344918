#!/usr/bin/env bash
# run.sh - the benchmark behind make bench: each hot path of the extension
# against what PostgreSQL itself does, as medians of alternating runs.
#
# make bench runs it inside test/harness.sh (packages, build, install, a
# throwaway cluster; PGHOST, PGPORT, PGUSER, SC_DIR and SC_BINDIR set).  It
# also runs against any server where the extension is installed, but it only
# changes server settings (shared_buffers, autovacuum, max_wal_size; one
# restart) when the server is the harness's throwaway cluster under $SC_DIR.
#
# Sizes and knobs (environment):
#   BENCH_QUICK=1          tiny sizes: a smoke run of well under a minute
#   BENCH_SCALE=f          multiply every default row count by f
#   BENCH_CASES="1 2 3 4 5 6 7 8"
#   BENCH_RUNS=5 BENCH_WARMUP=1     measured rounds, warm-up rounds
#   BENCH_C1_ROWS BENCH_C2_ROWS BENCH_C3_ROWS
#   BENCH_C4_SMALL BENCH_C4_LARGE BENCH_C4_COUNTRIES BENCH_C4_STAGES
#   BENCH_C4_SECTORS BENCH_C4_SUPPLIERS BENCH_C4_BATCH (rows per INSERT)
#   BENCH_C4_COPY          rows COPYed through the constraints (default: the small size)
#   BENCH_C4_LOAD_BUDGET   seconds of loading through the constraints per
#                          size; the rest goes in with triggers off, checked
#   BENCH_C5_EDGES BENCH_C5_FANIN BENCH_C5_TIERS
#   BENCH_C6_FLOWS BENCH_C6_COUNTRIES (trade flows of one year; products = flows / (10 x countries);
#                          BENCH_C6_FLOWS may list sizes, "1000000 10000000": case 6 runs at each)
#   BENCH_C6_YEARS         years loaded one after the other at the first size of case 6
#   BENCH_C7_SOAK          seconds of each soak run of case 7 (writes)
#   BENCH_C8_ROWS BENCH_C8_FLOWS   case 8 (early warning): the rows of one INSERT into
#                          dependency, the flows of one loaded year
#   BENCH_WORK_MEM=2GB BENCH_WORKERS=2 BENCH_SEED=0.42
#   BENCH_SHARED_BUFFERS=2GB (keep: leave the server's)
#   BENCH_SERVER=1         change the throwaway cluster's settings (default 0
#                          with BENCH_QUICK=1, so that a smoke run inside
#                          make test leaves the test cluster alone)
#   BENCH_COPY_LOGGED=1    case 2 COPYs into logged tables (default: unlogged)
#   BENCH_DB=supplychain_bench BENCH_RESULTS=bench/results
# Output: the table on stdout, and in $BENCH_RESULTS: latest.txt (the
# report), latest.csv (the table), latest-timings.csv (every run), plus
# time-stamped copies of the first two.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

bindir=${SC_BINDIR:-$("${PG_CONFIG:-pg_config}" --bindir)}
SC_BINDIR=$bindir
. test/lib/cluster.sh
say() { printf '\n== %s\n' "$*"; }
die() { echo "bench: $*" >&2; exit 1; }

# --- sizes -----------------------------------------------------------------
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	d_c1=200000 d_c2=200000 d_c3=500000
	d_c4_small=20000 d_c4_large=200000 d_c4_countries=50 d_c4_stages=200 d_c4_sectors=5
	d_c5_edges=20000 d_c4_budget=15 d_c4_batch=10000 d_server=0
	d_c6_flows=20000 d_c6_countries=50 d_c6_years=3 d_c7_soak=3
	d_c8_rows=2000 d_c8_flows=20000
else
	d_c1=5000000 d_c2=5000000 d_c3=10000000
	d_c4_small=1000000 d_c4_large=10000000 d_c4_countries=200 d_c4_stages=2000 d_c4_sectors=20
	d_c5_edges=1000000 d_c4_budget=60 d_c4_batch=100000 d_server=1
	d_c6_flows="1000000 10000000" d_c6_countries=200 d_c6_years=25 d_c7_soak=10
	d_c8_rows=10000 d_c8_flows=1000000
fi
scale=${BENCH_SCALE:-1}
scaled() { awk -v n="$1" -v s="$scale" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }'; }

C1_ROWS=${BENCH_C1_ROWS:-$(scaled $d_c1)}
C2_ROWS=${BENCH_C2_ROWS:-$(scaled $d_c2)}
C3_ROWS=${BENCH_C3_ROWS:-$(scaled $d_c3)}
C4_SMALL=${BENCH_C4_SMALL:-$(scaled $d_c4_small)}
C4_LARGE=${BENCH_C4_LARGE:-$(scaled $d_c4_large)}
C4_COUNTRIES=${BENCH_C4_COUNTRIES:-$d_c4_countries}
C4_STAGES=${BENCH_C4_STAGES:-$d_c4_stages}
C4_SECTORS=${BENCH_C4_SECTORS:-$d_c4_sectors}
C4_SUPPLIERS=${BENCH_C4_SUPPLIERS:-10}
C4_BATCH=${BENCH_C4_BATCH:-$d_c4_batch}
C4_BUDGET=${BENCH_C4_LOAD_BUDGET:-$d_c4_budget}
C4_COPY=${BENCH_C4_COPY:-$C4_SMALL}
C5_EDGES=${BENCH_C5_EDGES:-$(scaled $d_c5_edges)}
C5_FANIN=${BENCH_C5_FANIN:-2}
C5_TIERS=${BENCH_C5_TIERS:-4}
C6_FLOWS=${BENCH_C6_FLOWS:-$(for n in $d_c6_flows; do scaled "$n"; done | xargs)}
C6_YEARS=${BENCH_C6_YEARS:-$d_c6_years}
C6_COUNTRIES=${BENCH_C6_COUNTRIES:-$d_c6_countries}
C7_SOAK=${BENCH_C7_SOAK:-$d_c7_soak}
C8_ROWS=${BENCH_C8_ROWS:-$d_c8_rows}
C8_FLOWS=${BENCH_C8_FLOWS:-$(scaled $d_c8_flows)}
RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
CASES=${BENCH_CASES:-"1 2 3 4 5 6 7 8"}
WORK_MEM=${BENCH_WORK_MEM:-2GB}
WORKERS=${BENCH_WORKERS:-2}
SEED=${BENCH_SEED:-0.42}
SHARED_BUFFERS=${BENCH_SHARED_BUFFERS:-2GB}
SERVER=${BENCH_SERVER:-$d_server}
DB=${BENCH_DB:-supplychain_bench}
RESULTS=${BENCH_RESULTS:-bench/results}
PERSISTENCE=UNLOGGED
[ "${BENCH_COPY_LOGGED:-0}" = 1 ] && PERSISTENCE=

for v in C1_ROWS C2_ROWS C3_ROWS C4_SMALL C4_LARGE C4_COPY C4_COUNTRIES C4_STAGES C4_SECTORS C4_SUPPLIERS \
	C4_BATCH C4_BUDGET C5_EDGES C5_FANIN C5_TIERS C6_COUNTRIES C6_YEARS RUNS WARMUP WORKERS; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
[[ $C6_FLOWS =~ ^[0-9]+( [0-9]+)*$ ]] || die "C6_FLOWS must be whole numbers separated by spaces, not '$C6_FLOWS'"
[[ $SEED =~ ^-?[01](\.[0-9]+)?$ ]] || die "BENCH_SEED must be between -1 and 1"
[ "$RUNS" -ge 5 ] || echo "bench: warning: BENCH_RUNS=$RUNS; medians of fewer than 5 runs are not the benchmark's method" >&2
[ "$C4_COUNTRIES" -le 676 ] || die "BENCH_C4_COUNTRIES: at most 676 two-letter codes"
[ "$C4_SUPPLIERS" -lt $((C4_COUNTRIES - 1)) ] || die "BENCH_C4_SUPPLIERS must be below BENCH_C4_COUNTRIES - 1"
[ "$C4_SMALL" -lt "$C4_LARGE" ] || die "BENCH_C4_SMALL must be below BENCH_C4_LARGE"
[ "$C4_SMALL" -ge "$C4_SUPPLIERS" ] || die "BENCH_C4_SMALL must be at least BENCH_C4_SUPPLIERS"
[ $(((C4_LARGE + C4_COPY) / C4_SUPPLIERS)) -le $((C4_STAGES * C4_COUNTRIES * 9 * 9 / 10)) ] ||
	die "BENCH_C4_LARGE + BENCH_C4_COPY: $(((C4_LARGE + C4_COPY) / C4_SUPPLIERS)) share keys do not fit $C4_STAGES stages x $C4_COUNTRIES countries"
[ "$C4_STAGES" -ge "$C4_SECTORS" ] || die "BENCH_C4_STAGES must be at least BENCH_C4_SECTORS"
[ "$C5_EDGES" -ge $((C5_FANIN * C5_TIERS)) ] || die "BENCH_C5_EDGES too small for the fan-in and tiers"
[ "$C6_COUNTRIES" -ge 12 ] && [ "$C6_COUNTRIES" -le 249 ] || die "BENCH_C6_COUNTRIES must be between 12 and 249 (ISO 3166-1 codes)"

export PGOPTIONS="-c work_mem=$WORK_MEM -c jit=off -c max_parallel_workers_per_gather=0 -c search_path=public,supplychain"
psql_db() { sc_psql -d "$DB" "$@"; }
value() { sc_psql -At -d "${2:-postgres}" -c "$1"; }

mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
started=$(date +%s)
tmp=$(mktemp -d)
cluster_on_exit 'rm -rf "$tmp"'

# --- the server --------------------------------------------------------------
# In the harness's throwaway cluster: shared_buffers large enough that every
# table of cases 1-3 stays in PostgreSQL's own cache (a sequential scan of a
# table above a quarter of shared_buffers goes through a small ring buffer
# and the OS cache), no autovacuum starting in the middle of a measurement
# (the benchmark vacuums explicitly after each load), and checkpoints spaced
# by the loads rather than by max_wal_size.
datadir=$(value "SHOW data_directory")
server_note="server settings as found"
if [ "$SERVER" = 1 ] && [ -n "${SC_DIR:-}" ] && [[ $datadir == "$SC_DIR"/* ]]; then
	restart=0
	if [ "$SHARED_BUFFERS" != keep ] && [ "$(value "SELECT setting::bigint * 8192 = pg_size_bytes('$SHARED_BUFFERS') FROM pg_settings WHERE name = 'shared_buffers'")" != t ]; then
		value "ALTER SYSTEM SET shared_buffers = '$SHARED_BUFFERS'" >/dev/null
		restart=1
	fi
	value "ALTER SYSTEM SET autovacuum = off" >/dev/null
	value "ALTER SYSTEM SET max_wal_size = '8GB'" >/dev/null
	if [ "$restart" = 1 ]; then
		cluster_adopt main "$(dirname "$datadir")"
		cluster_restart main
	else
		value "SELECT pg_reload_conf()" >/dev/null
	fi
	server_note="throwaway cluster: ALTER SYSTEM shared_buffers = $SHARED_BUFFERS, autovacuum = off, max_wal_size = 8GB"
fi

# --- what it runs on -----------------------------------------------------------
{
	echo "supplychain benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (+ uncommitted changes in src or the scripts)')"
	echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, Linux $(uname -r)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes single timings noisy: compare medians, and mind the min..max spread)"
	echo "server: $(value "SELECT version()")"
	echo "server settings: $server_note"
	echo "session settings (PGOPTIONS): $PGOPTIONS"
	echo "  work_mem = $WORK_MEM: every sort and hash of cases 1-4 stays in memory (plans below show the sort method)"
	echo "  jit = off: JIT compiles per query and moves single timings by tens of percent"
	echo "  max_parallel_workers_per_gather = 0: serial plans, except case 3's parallel runs ($WORKERS workers)"
	echo "sizes: case 1 $C1_ROWS rows, case 2 $C2_ROWS rows ($( [ -n "$PERSISTENCE" ] && echo unlogged || echo logged) tables), case 3 $C3_ROWS rows,"
	echo "       case 4 $C4_SMALL and $C4_LARGE dependency rows ($C4_COUNTRIES countries, $C4_STAGES stages in $C4_SECTORS sectors, $C4_SUPPLIERS suppliers per share key,"
	echo "       loaded $C4_BATCH rows per INSERT, at most $C4_BUDGET s per size through the constraints),"
	echo "       case 5 $C5_EDGES edges (fan-in $C5_FANIN, $C5_TIERS tiers above the raw nodes),"
	echo "       case 6 $C6_FLOWS trade flows of one year ($C6_COUNTRIES countries, 10 exporters per importer and product)"
	echo "method: $WARMUP warm-up round(s), then the median of $RUNS rounds; the sides of a comparison alternate"
	echo "        (A B C, C B A, ...); EXPLAIN (ANALYZE, TIMING OFF) execution time, COPY by clock_timestamp(); seed $SEED"
} >"$tmp/header.txt"
cat "$tmp/header.txt"
say "settings"
sc_psql -d postgres -P footer=off -c "SELECT name, setting, unit, source FROM pg_settings
	WHERE name IN ('shared_buffers', 'work_mem', 'hash_mem_multiplier', 'maintenance_work_mem',
	               'max_parallel_workers_per_gather', 'max_parallel_workers', 'max_worker_processes',
	               'jit', 'autovacuum', 'max_wal_size', 'fsync', 'synchronous_commit', 'lc_collate', 'server_encoding')
	ORDER BY name" | tee "$tmp/settings.txt"

# --- the database ----------------------------------------------------------
say "database $DB"
sc_psql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql_db -c "SET client_min_messages = warning" -c "CREATE EXTENSION supplychain"
psql_db -f bench/lib.sql
echo "supplychain $(value "SELECT extversion FROM pg_extension WHERE extname = 'supplychain'" "$DB")"

vars=(-v seed="$SEED" -v runs="$RUNS" -v warmup="$WARMUP")
case_failed() {
	local c=$1 what=$2
	echo "bench: case $c failed ($what); the other cases go on" >&2
	psql_db -c "INSERT INTO bench.result (\"case\", name, error) VALUES ('$c', 'case $c', 'failed: $what (see the log above)')"
}
run_case() {
	local c=$1
	shift
	local t0=$(date +%s)
	say "case $c"
	if ! psql_db "${vars[@]}" "$@" -f "bench/case$c.sql"; then
		case_failed "$c" "psql error"
	fi
	echo "case $c: $(($(date +%s) - t0)) s"
}

# case 7: writes, this version against 0.5.0, each in a database of its own
# (bench/case7.sql sets them up), timed alternately: a 1-row and a
# 10,000-row INSERT of new keys, each in a transaction rolled back.  Each
# round is a session of its own that starts by vacuuming the database (a
# rolled-back statement leaves dead rows in the keys and pairs it wrote,
# which autovacuum, off here, would clear, and which later statements' reads
# would step over, round after round; a VACUUM also makes every cached plan
# be made again, so it comes first): C7_WARM statements warm the session
# (PL/pgSQL plans its statements anew for their first five runs, and a
# connection pool's sessions are past that), then C7_MEASURE statements are
# timed; the result is the median of every timed statement.  Then the soak's transactions per
# second (test/soak: 8 clients) in turns.
run_case7() {
	local t0=$(date +%s) db v r order n k ms tps
	local W_STAGES=200 W_COUNTRIES=10 W_SECTORS=10 W_EXISTING=50000 C7_WARM=5 C7_MEASURE=5
	say "case 7"
	for v in cur 050; do
		db=bench_w_$v
		sc_psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
		if [ $v = cur ]; then ext="CREATE EXTENSION supplychain"; else ext="CREATE EXTENSION supplychain VERSION '0.5.0'"; fi
		sc_psql -d "$db" -c "SET client_min_messages = warning" -c "$ext" -v stages=$W_STAGES -v countries=$W_COUNTRIES \
			-v sectors=$W_SECTORS -v existing=$W_EXISTING -f bench/case7.sql >/dev/null || { case_failed 7 "setup of $db"; return; }
	done
	for r in $(seq 1 "$RUNS"); do
		if [ $((r % 2)) = 1 ]; then order="cur 050"; else order="050 cur"; fi
		for v in $order; do
			for n in 1 10000; do
				# one session: the warm-up statements, then the timed ones (keys:
				# round r's statement k uses its own range)
				{
					echo "VACUUM;"
					for k in $(seq 1 $((C7_WARM + C7_MEASURE))); do
						echo "BEGIN; SELECT bench7.insert($n, $((r * 20 + k)), $W_STAGES, $W_COUNTRIES, $W_SECTORS); ROLLBACK;"
					done
				} | sc_psql -d bench_w_$v -At | tail -n "$C7_MEASURE" | while read -r ms; do
					echo "INSERT INTO bench.timing VALUES ('c7.insert$n.$v', $r, $ms, NULL);"
				done | psql_db >/dev/null
			done
		done
	done
	for r in 1 2; do
		if [ $r = 1 ]; then order="cur 050"; else order="050 cur"; fi
		for v in $order; do
			db=bench_s_$v
			sc_psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
			[ $v = 050 ] && sc_psql -d $db -c "SET client_min_messages = warning" -c "CREATE EXTENSION supplychain VERSION '0.5.0'" >/dev/null
			(cd test/soak && sc_psql -d $db -f setup.sql >/dev/null) || { case_failed 7 "soak setup"; return; }
			tps=$(cd test/soak && "$bindir/pgbench" -n -c 8 -j 2 -T "$C7_SOAK" --max-tries=20 \
				-f write_rc.sql@4 -f write_rr.sql@2 -f delete.sql@1 -f read.sql@2 $db 2>/dev/null |
				sed -n 's/^tps = \([0-9.]*\).*/\1/p')
			[ -n "$tps" ] || { case_failed 7 "pgbench on $db"; return; }
			psql_db -c "INSERT INTO bench.timing VALUES ('c7.soak.$v', $r, 1000.0 / $tps, jsonb_build_object('tps', $tps))" >/dev/null
			sc_psql -d postgres -c "DROP DATABASE $db" >/dev/null
		done
	done
	psql_db >/dev/null <<-SQL
	INSERT INTO bench.result ("case", name, rows, ours, base, target, note) VALUES
	    ('7', '1-row INSERT into dependency: ms (the baseline is 1 ms; target 2 ms)', $W_EXISTING, 'c7.insert1.cur', NULL, 2, NULL),
	    ('7', '1-row INSERT: this version vs 0.5.0', $W_EXISTING, 'c7.insert1.cur', 'c7.insert1.050', NULL, NULL),
	    ('7', '10,000-row INSERT of new keys: this version vs 0.5.0', $W_EXISTING, 'c7.insert10000.cur', 'c7.insert10000.050', 1.5, NULL),
	    ('7', 'soak (8 clients, ${C7_SOAK}s): time per transaction vs 0.5.0 (tps >= 0.8x: <= 1.25)', NULL, 'c7.soak.cur', 'c7.soak.050', 1.25,
	     (SELECT format('tps %s vs %s', string_agg(DISTINCT (info->>'tps'), '/') FILTER (WHERE label LIKE '%cur'),
	                    string_agg(DISTINCT (info->>'tps'), '/') FILTER (WHERE label LIKE '%050'))
	      FROM bench.timing WHERE label LIKE 'c7.soak.%'));
	UPDATE bench.result SET base_ms = 1 WHERE "case" = '7' AND name LIKE '1-row INSERT into dependency: ms%';
	SQL
	for v in cur 050; do sc_psql -d postgres -c "DROP DATABASE bench_w_$v" >/dev/null; done
	echo "case 7: $(($(date +%s) - t0)) s"
}

for c in $CASES; do
	case $c in
	1) run_case 1 -v rows="$C1_ROWS" ;;
	2) run_case 2 -v rows="$C2_ROWS" -v persistence="$PERSISTENCE" -v datadir="$datadir" ;;
	3) run_case 3 -v rows="$C3_ROWS" -v workers="$WORKERS" ;;
	4) run_case 4 -v small="$C4_SMALL" -v large="$C4_LARGE" -v countries="$C4_COUNTRIES" \
		-v stages="$C4_STAGES" -v sectors="$C4_SECTORS" -v suppliers="$C4_SUPPLIERS" -v batch="$C4_BATCH" \
		-v budget="$C4_BUDGET" -v copy_rows="$C4_COPY" ;;
	5)
		if [ "$(value "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		               WHERE n.nspname = 'supplychain' AND p.proname = 'propagate_exposure'" "$DB")" = 0 ]; then
			say "case 5"
			echo "case 5: supplychain.propagate_exposure not available"
			psql_db -c "INSERT INTO bench.result (\"case\", name, rows, note)
			            VALUES ('5', 'propagate_exposure', $C5_EDGES, 'not available: supplychain.propagate_exposure does not exist')"
		else
			run_case 5 -v edges="$C5_EDGES" -v fanin="$C5_FANIN" -v tiers="$C5_TIERS" -v countries=200
		fi
		;;
	6)
		years=$C6_YEARS
		for n in $C6_FLOWS; do
			run_case 6 -v flows="$n" -v countries="$C6_COUNTRIES" -v years="$years" -v tag="$n" -v datadir="$datadir"
			years=0
		done
		;;
	7) run_case7 ;;
	8) run_case 8 -v rows="$C8_ROWS" -v flows="$C8_FLOWS" -v countries="$C6_COUNTRIES" ;;
	*) die "unknown case '$c' in BENCH_CASES" ;;
	esac
done

# --- report ------------------------------------------------------------------
say "report"
{
	cat "$tmp/header.txt"
	echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); total $(($(date +%s) - started)) s"
	echo
	cat "$tmp/settings.txt"
	echo
	psql_db -P footer=off -c "
	SELECT \"case\", name, rows,
	       to_char(ours_ms, 'FM999999990.0') AS \"ours ms\",
	       to_char(base_ms, 'FM999999990.0') AS \"baseline ms\",
	       to_char(ratio, 'FM99990.000') AS ratio,
	       COALESCE('<= ' || rtrim(rtrim(to_char(target, 'FM99990.00'), '0'), '.'), '') AS target,
	       status AS \"met/missed\"
	FROM bench.report ORDER BY seq"
	echo "ratio = ours / baseline (lower is better); a target <= 0.1 means at least 10x faster."
	echo
	psql_db -P footer=off -c "
	SELECT seq AS \"#\", \"case\", to_char(ours_min_ms, 'FM999999990.0') || '..' || to_char(ours_max_ms, 'FM999999990.0') AS \"ours min..max\",
	       to_char(base_min_ms, 'FM999999990.0') || '..' || to_char(base_max_ms, 'FM999999990.0') AS \"baseline min..max\",
	       runs, note
	FROM bench.report ORDER BY seq"
	echo
	psql_db -P footer=off -c "
	SELECT label, CASE WHEN length(plans) > 90 THEN left(plans, 88) || '...' ELSE plans END AS \"plan nodes (all runs)\",
	       sort, hash_batches AS \"hash batches\", disk_kb AS \"disk kB\"
	FROM bench.stat WHERE plans IS NOT NULL ORDER BY label"
} >"$tmp/report.txt"
cat "$tmp/report.txt"
cp "$tmp/report.txt" "$RESULTS/latest.txt"
cp "$tmp/report.txt" "$RESULTS/bench-$stamp.txt"
psql_db -c "\copy (SELECT \"case\", name, rows, round(ours_ms::numeric, 3) AS ours_ms, round(base_ms::numeric, 3) AS baseline_ms, round(ratio::numeric, 4) AS ratio, target, status, round(ours_min_ms::numeric, 3) AS ours_min_ms, round(ours_max_ms::numeric, 3) AS ours_max_ms, round(base_min_ms::numeric, 3) AS baseline_min_ms, round(base_max_ms::numeric, 3) AS baseline_max_ms, runs, note FROM bench.report ORDER BY seq) TO '$RESULTS/latest.csv' WITH (FORMAT csv, HEADER)"
cp "$RESULTS/latest.csv" "$RESULTS/bench-$stamp.csv"
psql_db -c "\copy (SELECT label, round, ms, info FROM bench.timing ORDER BY label, round) TO '$RESULTS/latest-timings.csv' WITH (FORMAT csv, HEADER)"
echo
echo "written: $RESULTS/latest.txt, $RESULTS/latest.csv, $RESULTS/latest-timings.csv (and bench-$stamp.*)"
