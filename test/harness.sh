#!/usr/bin/env bash
# harness.sh - the set-up behind make demo / make test: packages, build,
# install, a throwaway cluster, then the job.  Usage: harness.sh demo|test|valgrind|shell
set -euo pipefail

job=${1:?usage: harness.sh demo|test|valgrind|shell [command...]}
shift || true
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PACKAGES=${PACKAGES:-"postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl clang libclang-rt-14-dev libpostgresql-jdbc-java python3-psycopg2 odbc-postgresql unixodbc openjdk-17-jdk-headless"}

say() { printf '\n== %s\n' "$*"; }

# --- packages: install only what is missing (apt needs root) -------------
missing=()
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or install them first)" >&2
		exit 1
	fi
	say "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

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
# PostgreSQL refuses to run as root: the cluster belongs to an unprivileged
# user, in a private directory, on a free loopback port, and is stopped on
# every exit path.
bindir=$("$PG_CONFIG" --bindir)
pguser=postgres
[ "$(id -u)" -ne 0 ] && pguser=$(id -un)
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$pguser" -- "$@"); else "$@"; fi; }

SC_DIR=$(mktemp -d /tmp/supplychain.XXXXXX)
chmod 755 "$SC_DIR"
[ "$(id -u)" -eq 0 ] && chown "$pguser" "$SC_DIR"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SC_PORT=$(free_port)

stop_cluster() {
	as_pg "$bindir/pg_ctl" -D "$SC_DIR/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$SC_DIR"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

as_pg "$bindir/initdb" -D "$SC_DIR/data" -U "$pguser" -A trust -E UTF8 --locale=C --no-sync >/dev/null
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
as_pg "$bindir/pg_ctl" -D "$SC_DIR/data" -l "$SC_DIR/server.log" -w "${server[@]}" \
	-o "-k $SC_DIR -p $SC_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c max_worker_processes=16" start >/dev/null
export PGHOST=$SC_DIR PGPORT=$SC_PORT PGUSER=$pguser PGDATABASE=postgres
export SC_DIR SC_PORT SC_BINDIR=$bindir PG_CONFIG
say "throwaway cluster: $("$bindir/postgres" --version)"
echo "   socket $SC_DIR, port $SC_PORT, fsync=off"

psql_q() { "$bindir/psql" -X -v ON_ERROR_STOP=1 -q "$@"; }

case "$job" in
demo)
	psql_q -c "CREATE DATABASE supplychain_demo"
	PGDATABASE=supplychain_demo psql_q -f test/demo.sql
	;;
test)
	passed=0
	failed=0
	stage() {
		local name=$1
		shift
		say "$name"
		if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
	}
	regress() {
		if make -s PG_CONFIG="$PG_CONFIG" installcheck; then return 0; fi
		[ -f regression.diffs ] && cat regression.diffs
		return 1
	}
	stage "pg_regress (sql/ -> expected/)" regress
	for t in test/*.sh; do
		[ "$t" = test/harness.sh ] && continue
		stage "$(basename "$t")" bash "$t"
	done
	say "before pg_prove: $passed passed, $failed failed"
	psql_q -c "CREATE DATABASE supplychain_tap"
	PGDATABASE=supplychain_tap psql_q -c "CREATE EXTENSION pgtap"
	say "pgTAP (test/pgtap)"
	prove_rc=0
	pg_prove -d supplychain_tap test/pgtap/*.sql || prove_rc=$?
	if [ "$failed" -ne 0 ] || [ "$prove_rc" -ne 0 ]; then exit 1; fi
	;;
shell)
	"$@"
	;;
valgrind)
	# the regression suites against the server under valgrind; only errors
	# with a frame in the extension's library fail the run
	rc=0
	make -s PG_CONFIG="$PG_CONFIG" installcheck || { rc=1; [ -f regression.diffs ] && cat regression.diffs; }
	as_pg "$bindir/pg_ctl" -D "$SC_DIR/data" -m fast -t 600 stop >/dev/null || true
	bash test/valgrind/scan.sh "$SC_DIR" || rc=1
	exit $rc
	;;
*)
	echo "unknown job: $job" >&2
	exit 2
	;;
esac
