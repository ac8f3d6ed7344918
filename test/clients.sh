#!/usr/bin/env bash
# clients.sh - the extension through real client drivers, as a BI tool or an
# application sees it (issue 7, "Real drivers").  Run by `make test` through
# test/harness.sh, which exports PGHOST, PGPORT, PGUSER and SC_BINDIR; alone:
#     bash test/harness.sh shell bash test/clients.sh
#
#   1. JDBC (pgjdbc, Java 17)     test/clients/ViewsCheck.java
#   2. psycopg2 (/usr/bin/python3) test/clients/views_check.py
#   3. ODBC (psqlODBC, unixODBC)  isql on a temporary DSN, then
#                                  test/clients/odbc_types.py (SQLDescribeCol)
#   4. binary protocol (libpq)    test/clients/binary_check.c, and binary COPY
#   5. early warning: listeners on supplychain_alert while two writers cross
#      a rule (issue 20)         test/clients/alerts_listen.py (psycopg2),
#                                  test/clients/AlertsListen.java (pgjdbc)
#
# Each program prints "ok - ..." / "not ok - ..." lines, which this stage
# numbers into its TAP, with one more test per step (built, ran to its end).
# Everything built (classes, binaries, ODBC configuration) goes to a
# temporary directory.
set -uo pipefail

: "${PGHOST:?run through test/harness.sh}" "${PGPORT:?}" "${PGUSER:?}" "${SC_BINDIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
src=$here/clients
db=supplychain_clients
reader=sc_clients_reader # a plain role: no privilege beyond what the extension grants PUBLIC
python=/usr/bin/python3
jar=/usr/share/java/postgresql.jar
tmp=$(mktemp -d /tmp/supplychain-clients.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$here/lib/tap.sh"
. "$here/lib/psql.sh"

# step NAME FUNCTION: the function's checks, then whether it ran to its end
step() {
	local name=$1 t0=$SECONDS rc
	shift
	note "-- $name"
	"$@" >"$tmp/step.out" 2>"$tmp/step.err"
	rc=$?
	relay <"$tmp/step.out"
	if [ "$rc" -eq 0 ]; then
		note <"$tmp/step.err"
		ok "$name: built, ran to its end, every check passed ($((SECONDS - t0)) s)"
	else
		not_ok "$name: built, ran to its end, every check passed (exit $rc)"
		diag <"$tmp/step.err"
	fi
}
need() {
	local f
	for f in "$@"; do
		if ! command -v "$f" >/dev/null 2>&1 && [ ! -e "$f" ]; then
			echo "not ok - $f is missing (install it: see test/harness.sh PACKAGES)"
			return 1
		fi
	done
}

note "database $db on 127.0.0.1:$PGPORT (socket $PGHOST), user $PGUSER"
# As the README says: the operators are found through search_path, so the
# database puts the schema on it, after public (what a DBA does for BI users).
if ! sc_psql -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" ||
	! sc_psql -d "$db" -c "CREATE EXTENSION supplychain" \
		-c "ALTER DATABASE $db SET search_path = \"\$user\", public, supplychain" \
		-c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$reader')
		    THEN CREATE ROLE $reader NOLOGIN; END IF; END \$\$"; then
	not_ok "database $db with the extension, schema supplychain on its search_path, role $reader"
	exit 1
fi
ok "database $db with the extension, schema supplychain on its search_path, role $reader"

# 1. JDBC ------------------------------------------------------------------
jdbc() {
	need javac java "$jar" || return 1
	mkdir -p "$tmp/java"
	javac -d "$tmp/java" -cp "$jar" "$src/ViewsCheck.java" || return 1
	java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$tmp/java:$jar" ViewsCheck \
		"jdbc:postgresql://127.0.0.1:$PGPORT/$db?user=$PGUSER"
}

# 2. psycopg2 ----------------------------------------------------------------
psycopg() {
	need "$python" || return 1
	"$python" -c 'import psycopg2' || { echo "not ok - psycopg2 is not importable by $python"; return 1; }
	"$python" "$src/views_check.py" "host=127.0.0.1 port=$PGPORT dbname=$db user=$PGUSER" "$reader"
}

# 3. ODBC --------------------------------------------------------------------
# A private DSN: ODBCSYSINI names the folder of odbcinst.ini, ODBCINI the
# odbc.ini; the driver manager reads neither /etc/odbc*.ini nor ~/.odbc.ini.
odbc() {
	need isql || return 1
	local driver f
	driver=$(dpkg -L odbc-postgresql 2>/dev/null | grep '/psqlodbcw\.so$' | head -n 1)
	if [ -z "$driver" ]; then
		for f in /usr/lib/*/odbc/psqlodbcw.so; do [ -e "$f" ] && driver=$f && break; done
	fi
	if [ -z "$driver" ] || [ ! -e "$driver" ]; then
		echo "not ok - psqlodbcw.so not found (package odbc-postgresql)"
		return 1
	fi
	mkdir -p "$tmp/odbc"
	cat >"$tmp/odbc/odbcinst.ini" <<-EOF
		[PostgreSQL Unicode]
		Description = PostgreSQL ODBC driver (Unicode)
		Driver = $driver
	EOF
	cat >"$tmp/odbc/odbc.ini" <<-EOF
		[sc_clients]
		Driver = PostgreSQL Unicode
		Servername = 127.0.0.1
		Port = $PGPORT
		Database = $db
		Username = $PGUSER
		SSLmode = disable
	EOF
	local -x ODBCSYSINI=$tmp/odbc ODBCINI=$tmp/odbc/odbc.ini
	echo "# driver $driver, DSN sc_clients in $ODBCSYSINI"

	local out rc=0 n line
	out=$(isql -b -v -d'|' sc_clients <<-'EOF'
		SELECT policy_id, short_term, short_label, short_value, long_term, net FROM supplychain.policy_risk ORDER BY policy_id
	EOF
	) || { echo "not ok - isql failed:"; echo "$out"; return 1; }
	n=$(grep -c '^us-' <<<"$out")
	if [ "$n" -eq 11 ]; then echo "ok - isql reads 11 rows of policy_risk"; else
		echo "not ok - isql read $n rows of policy_risk, want 11:"; echo "$out"; rc=1; fi
	line=$(grep '^us-semiconductors-2|' <<<"$out")
	if [ "$line" = "us-semiconductors-2|very positive|very positive|2|negative|1" ]; then
		echo "ok - isql: us-semiconductors-2 is very positive (2) short, negative long, net 1"
	else
		echo "not ok - isql: us-semiconductors-2 row is '$line'"; rc=1
	fi
	out=$(isql -b -v -d'|' sc_clients <<-'EOF'
		SELECT stage, rating, rating_level FROM supplychain.weakest_stage ORDER BY stage
	EOF
	) || { echo "not ok - isql failed:"; echo "$out"; return 1; }
	if [ "$(grep -c 'very weak|1$' <<<"$out")" -eq 2 ] && grep -q '^Fabrication|very weak|1$' <<<"$out" &&
		grep -q '^Materials Refinement and Processing|very weak|1$' <<<"$out"; then
		echo "ok - isql: weakest_stage is Fabrication and Materials Refinement and Processing, very weak"
	else
		echo "not ok - isql: weakest_stage reads:"; echo "$out"; rc=1
	fi
	"$python" "$src/odbc_types.py" sc_clients || rc=1
	return $rc
}

# 4. binary protocol -----------------------------------------------------------
binary() {
	local pgc=${PG_CONFIG:-$SC_BINDIR/pg_config}
	need gcc "$pgc" || return 1
	local inc libdir rc=0 out
	inc=$("$pgc" --includedir)
	libdir=$("$pgc" --libdir)
	gcc -std=gnu99 -Wall -Wextra -Werror -I"$inc" -o "$tmp/binary_check" "$src/binary_check.c" \
		-L"$libdir" -lpq || return 1
	"$tmp/binary_check" "dbname=$db" || rc=1

	# binary COPY: out and back in again, and a bad byte in a COPY file
	out=$(sc_psql -d "$db" -tA <<-EOF 2>&1
		\copy (SELECT policy, country, horizon, as_of, score FROM supplychain.policy_impact) TO '$tmp/impact.bin' (FORMAT binary)
		\copy (SELECT stage, country, as_of, rating FROM supplychain.assessment) TO '$tmp/rating.bin' (FORMAT binary)
		CREATE TEMP TABLE impact_back (policy text, country text, horizon text, as_of date, score supplychain.impact_score);
		CREATE TEMP TABLE rating_back (stage text, country text, as_of date, rating supplychain.stage_rating);
		\copy impact_back FROM '$tmp/impact.bin' (FORMAT binary)
		\copy rating_back FROM '$tmp/rating.bin' (FORMAT binary)
		SELECT (SELECT count(*) FROM impact_back) = (SELECT count(*) FROM supplychain.policy_impact)
		   AND NOT EXISTS (SELECT policy, country, horizon, as_of, score FROM impact_back
		                   EXCEPT SELECT policy, country, horizon, as_of, score FROM supplychain.policy_impact)
		   AND (SELECT count(*) FROM rating_back) = (SELECT count(*) FROM supplychain.assessment)
		   AND NOT EXISTS (SELECT stage, country, as_of, rating FROM rating_back
		                   EXCEPT SELECT stage, country, as_of, rating FROM supplychain.assessment);
	EOF
	)
	if [ "$out" = t ]; then echo "ok - binary COPY of policy_impact.score and assessment.rating round-trips"; else
		echo "not ok - binary COPY round trip: $out"; rc=1; fi

	# header, flags, extension length; one tuple of one 1-byte field 0x07; trailer
	printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\1\0\0\0\1\7\377\377' >"$tmp/bad.bin"
	out=$(sc_psql -d "$db" -tA <<-EOF 2>&1
		\set VERBOSITY verbose
		CREATE TEMP TABLE bad (score supplychain.impact_score);
		\copy bad FROM '$tmp/bad.bin' (FORMAT binary)
	EOF
	)
	if grep -q 22P03 <<<"$out"; then echo "ok - binary COPY of impact_score byte 0x07 fails with 22P03"; else
		echo "not ok - binary COPY of a bad byte: $out"; rc=1; fi
	return $rc
}

# 5. early warning ------------------------------------------------------------
alerts_psycopg() {
	need "$python" || return 1
	"$python" "$src/alerts_listen.py" "host=127.0.0.1 port=$PGPORT dbname=$db user=$PGUSER"
}
alerts_jdbc() {
	need javac java "$jar" || return 1
	mkdir -p "$tmp/java"
	javac -d "$tmp/java" -cp "$jar" "$src/AlertsListen.java" || return 1
	java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$tmp/java:$jar" AlertsListen \
		"jdbc:postgresql://127.0.0.1:$PGPORT/$db?user=$PGUSER"
}

step "JDBC (pgjdbc)" jdbc
step "psycopg2" psycopg
step "ODBC (psqlODBC via unixODBC)" odbc
step "binary protocol (libpq resultFormat = 1, binary parameters, binary COPY)" binary
step "early warning: LISTEN through psycopg2, two writers" alerts_psycopg
step "early warning: LISTEN through pgjdbc (getNotifications), two writers" alerts_jdbc
done_testing
