#!/usr/bin/env bash
# harness.sh - the set-up behind make demo / make test: packages, build,
# install, a throwaway cluster, then the job.
# Usage: harness.sh demo | test [FILE...] | valgrind | shell COMMAND...
set -euo pipefail

job=${1:?usage: harness.sh demo | test [FILE...] | valgrind | shell COMMAND...}
shift || true
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

say() { printf '\n== %s\n' "$*"; }

# --- the server: pg_config from PATH unless PG_CONFIG names one -------------
PG_CONFIG=${PG_CONFIG:-pg_config}
if ! command -v "$PG_CONFIG" >/dev/null 2>&1; then
	echo "no $PG_CONFIG: install PostgreSQL (Debian: postgresql-NN), or set PG_CONFIG to its pg_config" >&2
	exit 1
fi
pg_major=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
case $pg_major in
'' | *[!0-9]*) echo "cannot read the server version from $PG_CONFIG --version" >&2; exit 1 ;;
esac

# --- packages: those of this server's major version, only what is missing ---
# (apt needs root).  The names without a version are Debian's defaults of
# each release (clang, the JDK), so that the same list serves every suite.
all_packages="postgresql-server-dev-$pg_major postgresql-$pg_major-pgtap libtap-parser-sourcehandler-pgtap-perl clang libclang-rt-dev libpostgresql-jdbc-java python3-psycopg2 odbc-postgresql unixodbc default-jdk-headless"
if [ "$job" = demo ]; then all_packages="postgresql-server-dev-$pg_major"; fi
PACKAGES=${PACKAGES:-$all_packages}
. "$top/test/lib/packages.sh"
# shellcheck disable=SC2086
apt_install_missing "for the tests" $PACKAGES || exit 1
# the pg_config of exactly that server from now on: Debian's wrapper on PATH
# follows whichever server-dev package is newest
PG_CONFIG=$("$PG_CONFIG" --bindir)/pg_config

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


case "$job" in
demo)
	sc_psql -c "CREATE DATABASE supplychain_demo"
	PGDATABASE=supplychain_demo sc_psql -f test/demo.sql
	;;
test)
	# Every stage prints TAP and prove runs them one after the other (never in
	# parallel: they share this cluster and the machine), so one summary
	# counts them all: pg_regress (test/regress.sh), each test/*.sh, and each
	# pgTAP file through pg_prove's source handler.  Arguments: a subset.
	sc_psql -c "CREATE DATABASE supplychain_tap"
	PGDATABASE=supplychain_tap sc_psql -c "CREATE EXTENSION pgtap"
	stages=("$@")
	if [ ${#stages[@]} -eq 0 ]; then
		stages=(test/regress.sh)
		for t in test/*.sh; do
			case $t in test/harness.sh | test/regress.sh | test/matrix.sh) continue ;; esac
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
