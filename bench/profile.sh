#!/usr/bin/env bash
# profile.sh - run SQL in one backend under perf and print where the time goes.
#
#   bench/profile.sh [-d database] [-s setup-sql] 'SQL' [perf report options]
#
# Uses the libpq environment (PGHOST, PGPORT, PGUSER) and, like run.sh,
# PGOPTIONS with work_mem and jit=off unless PGOPTIONS is already set.  The
# setup SQL runs first in the same session, unprofiled.  Needs perf and the
# right to attach to the backend (root, or the server's user).  Symbols of
# the server come from the postgresql-15-dbgsym package when installed;
# without it perf still names the exported functions.
set -euo pipefail

db=${PGDATABASE:-supplychain_bench}
setup=
while getopts d:s: opt; do
	case $opt in
	d) db=$OPTARG ;;
	s) setup=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
sql=${1:?usage: profile.sh [-d database] [-s setup-sql] 'SQL' [perf report options]}
shift
bindir=${SC_BINDIR:-$("${PG_CONFIG:-pg_config}" --bindir)}
. "$(dirname "$0")/../test/lib/psql.sh"
export PGOPTIONS=${PGOPTIONS:-"-c work_mem=2GB -c jit=off -c max_parallel_workers_per_gather=0 -c search_path=public,supplychain"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
chmod 755 "$out"

# psql's \! runs perf against this very backend; perf stops when told to.
sc_psql -d "$db" <<EOF
$setup
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PROFILE_PID :pid
\! perf record -q -F 997 -g -p \$BENCH_PROFILE_PID -o $out/perf.data >$out/perf.log 2>&1 & echo \$! >$out/perf.pid; sleep 1
\timing on
$sql
\timing off
\! kill -INT \$(cat $out/perf.pid); sleep 2
EOF
perf report -i "$out/perf.data" --stdio --children --percent-limit 3 --sort symbol -g none "$@" 2>/dev/null |
	grep -v '^#' | grep -v '^$' | head -40
