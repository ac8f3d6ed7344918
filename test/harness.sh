#!/usr/bin/env bash
# harness.sh - the set-up behind make demo / make test: packages, build,
# install, a throwaway cluster, then the job.
# Usage: harness.sh demo | test [FILE...] | valgrind | shell COMMAND...
set -euo pipefail

job=${1:?usage: harness.sh demo | test [FILE...] | valgrind | shell COMMAND...}
shift || true
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PACKAGES=${PACKAGES:-"postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl clang libclang-rt-14-dev libpostgresql-jdbc-java python3-psycopg2 odbc-postgresql unixodbc openjdk-17-jdk-headless"}

say() { printf '\n== %s\n' "$*"; }

# --- packages: install only what is missing (apt needs root) -------------
. "$top/test/lib/packages.sh"
# shellcheck disable=SC2086
apt_install_missing "for the tests" $PACKAGES || exit 1

# --- build and install -----------------------------------------------------
# One run at a time per machine: each installs into the server's shared
# directories, so a second run would overwrite the first's files.
exec 9>/tmp/supplychain-harness.lock
flock 9
say "building with $PG_CONFIG ($("$PG_CONFIG" --version))"
make -s PG_CONFIG="$PG_CONFIG" >/dev/null
# make install adds files and removes none: a script another checkout
# installed (another version, or a full script where this tree has a chain
# of updates) would be what CREATE EXTENSION runs
sharedir=$("$PG_CONFIG" --sharedir)
rm -f "$sharedir"/extension/supplychain.control "$sharedir"/extension/supplychain--*.sql
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

# --- throwaway cluster -------------------------------------------------------
# test/lib/cluster.sh: an unprivileged owner, a private directory, a free
# loopback port, stopped and removed on every exit path
SC_BINDIR=$("$PG_CONFIG" --bindir)
. test/lib/cluster.sh
bindir=$SC_BINDIR
cluster_init main -c fsync=off -c max_worker_processes=16
SC_DIR=$(cluster_dir main)
# make valgrind: the server runs under memcheck, through a wrapper that
# pg_ctl starts in place of the postgres binary (backends are forks of it)
server=()
if [ "$job" = valgrind ]; then
	cat >"$SC_DIR/postgres-valgrind" <<WRAP
#!/bin/sh
exec valgrind --quiet --leak-check=no --num-callers=30 --read-var-info=no \\
	--suppressions=$top/test/valgrind/postgres.supp \\
	--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \\
	--log-file=$SC_DIR/valgrind.%p.log $bindir/postgres "\$@"
WRAP
	chmod 755 "$SC_DIR/postgres-valgrind"
	server=(-p "$SC_DIR/postgres-valgrind" -t 600)
fi
cluster_start main "${server[@]}"
cluster_env main
SC_PORT=$(cluster_port main)
export PGDATABASE=postgres SC_DIR SC_PORT SC_BINDIR PG_CONFIG
say "throwaway cluster: $("$bindir/postgres" --version)"
echo "   socket $SC_DIR, port $SC_PORT, fsync=off"

psql_q() { "$bindir/psql" -X -v ON_ERROR_STOP=1 -q "$@"; }

case "$job" in
demo)
	psql_q -c "CREATE DATABASE supplychain_demo"
	PGDATABASE=supplychain_demo psql_q -f test/demo.sql
	;;
test)
	# Every stage prints TAP and prove runs them one after the other (never in
	# parallel: they share this cluster and the machine), so one summary
	# counts them all: pg_regress (test/regress.sh), each test/*.sh, and each
	# pgTAP file through pg_prove's source handler.  Arguments: a subset.
	psql_q -c "CREATE DATABASE supplychain_tap"
	PGDATABASE=supplychain_tap psql_q -c "CREATE EXTENSION pgtap"
	stages=("$@")
	if [ ${#stages[@]} -eq 0 ]; then
		stages=(test/regress.sh)
		for t in test/*.sh; do
			case $t in test/harness.sh | test/regress.sh) continue ;; esac
			stages+=("$t")
		done
		stages+=(test/pgtap/*.sql)
	fi
	say "prove: ${#stages[@]} files"
	# PROVE_FLAGS: prove's options (make test PROVE_FLAGS=--timer: one line per file)
	prove_flags=${PROVE_FLAGS-"--verbose --timer"}
	# shellcheck disable=SC2086
	prove $prove_flags --source pgTAP --pgtap-option psql="$bindir/psql" \
		--pgtap-option dbname=supplychain_tap "${stages[@]}"
	;;
shell)
	"$@"
	;;
valgrind)
	# the regression suites against the server under valgrind; only errors
	# with a frame in the extension's library fail the run
	rc=0
	make -s PG_CONFIG="$PG_CONFIG" installcheck || { rc=1; [ -f regression.diffs ] && cat regression.diffs; }
	cluster_stop main fast -t 600 || true
	bash test/valgrind/scan.sh "$SC_DIR" || rc=1
	exit $rc
	;;
*)
	echo "unknown job: $job" >&2
	exit 2
	;;
esac
