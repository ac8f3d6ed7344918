#!/usr/bin/env bash
# security.sh - hostile search_path and privileges: trojans planted by a
# non-superuser never run during CREATE/ALTER EXTENSION, the views, the
# functions, the triggers or the demo report; readers only read (the
# functions that write the maintained state refuse them too, and the C
# functions that run SQL run it with the caller's rights); writers keep the
# share rule and leave a state that verify_state() confirms.  Model:
# contrib/seg's sql/security.sql and the PostgreSQL docs, "Security
# Considerations for Extension Scripts".
#
# Runs in the cluster of test/harness.sh (PGHOST, PGPORT, PGUSER = a
# superuser, SC_BINDIR), in databases and roles of its own (sec_*), which it
# drops on exit (SC_SECURITY_KEEP=1 keeps them, with the logs).  Reports TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/test/lib/tap.sh"
sec=$top/test/security
psql=${SC_BINDIR:?run under test/harness.sh}/psql
work=$(mktemp -d /tmp/supplychain-security.XXXXXX)
chmod 755 "$work"

mallory=sec_mallory
reader=sec_reader
writer=sec_writer
hostile_path='mallory_schema, public, supplychain'
dbs=(sec_install sec_demo sec_precreated sec_nonsuper sec_shadow)

fail() { not_ok "$@"; }
# advisory: reported, not a failure
warn() { note "WARN $*"; }

# psql as a role, under a search_path, output appended to a log
#   as ROLE DB PATH LOG psql-args...
as() {
	local role=$1 db=$2 path=$3 log=$4
	shift 4
	PGOPTIONS="-c search_path=${path// /}" "$psql" -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-U "$role" -d "$db" "$@" >>"$work/$log.log" 2>&1
}
# the superuser, under a safe search_path, for set-up and verdicts
super() { PGOPTIONS="-c search_path=pg_catalog -c client_min_messages=warning" "$psql" -X -q -v ON_ERROR_STOP=1 -At -U "$PGUSER" "$@"; }

# The verdict on a log: which trojans fired (each reports "hijacked: NAME").
hijacks() { grep -o 'hijacked: [^"]* called by [a-z_]*' "$work/$1.log" 2>/dev/null | sort | uniq -c | sed 's/^ */x/'; }
# ... and on a database: the non-transactional counters (a trojan whose
# exception someone caught still counted its call).
counted() {
	local s
	for s in $(super -d "$1" -c "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	                          WHERE c.relname = 'hijack_count'"); do
		super -d "$1" -c "SELECT '$s.hijack_count: ' || last_value || ' call(s)' FROM \"$s\".hijack_count WHERE is_called"
	done
}
# no_hijack WHAT LOG [DB]: judge a step
no_hijack() {
	local what=$1 log=$2 db=${3:-} h c=""
	h=$(hijacks "$log")
	[ -n "$db" ] && c=$(counted "$db")
	if [ -z "$h" ] && [ -z "$c" ]; then
		ok "$what: no trojan called"
	else
		fail "$what: trojan called (log $work/$log.log)"
		[ -n "$h" ] && printf '%s\n' "$h" | sed 's/^/        /' | diag
		[ -n "$c" ] && printf '%s\n' "$c" | sed 's/^/        /' | diag
	fi
}
# expect_state ROLE DB SQLSTATE WHAT SQL: the statement fails with SQLSTATE
# (or succeeds, for SQLSTATE 00000), under the hostile search_path
expect_state() {
	if state_verdict "$@"; then ok "$verdict"; else fail "$verdict"; fi
}
# state_verdict: expect_state's judgement, in $verdict, without reporting it
state_verdict() {
	local role=$1 db=$2 want=$3 what=$4 sql=$5 out got
	out=$(PGOPTIONS="-c search_path=${hostile_path// /}" "$psql" -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-U "$role" -d "$db" -c "$sql" 2>&1 >/dev/null)
	printf '%s\n-- %s\n%s\n' "$sql" "$what" "$out" >>"$work/expect.log"
	got=$(printf '%s\n' "$out" | sed -n 's/^\(psql:[^ ]* \)\{0,1\}ERROR:  \([0-9A-Z]\{5\}\):.*/\2/p' | head -1)
	got=${got:-00000}
	if printf '%s\n' "$out" | grep -q 'hijacked:'; then
		verdict="$what: trojan called: $(printf '%s\n' "$out" | grep -o 'hijacked: .*' | head -1)"
		return 1
	elif [ "$got" = "$want" ]; then
		verdict="$what ($want)"
	else
		verdict="$what: SQLSTATE $got, expected $want: $(printf '%s\n' "$out" | grep -m1 'ERROR' || true)"
		return 1
	fi
}

# state_verified WHAT DB: verify_state(), under a safe search_path, finds
# no difference between the maintained state (written by the triggers and
# the state functions under the hostile one) and its recomputation
state_verified() {
	local what=$1 db=$2 got
	got=$(super -d "$db" -c "SELECT pg_catalog.count(*) FROM supplychain.verify_state()" 2>&1)
	if [ "$got" = 0 ]; then
		ok "$what: verify_state() finds no difference"
	else
		fail "$what: verify_state(): $got"
		super -d "$db" -c "SELECT * FROM supplychain.verify_state() LIMIT 5" 2>&1 | sed 's/^/        /' | diag
	fi
}

# our databases and roles, from this run or a kept one
drop_all() {
	local db
	for db in "${dbs[@]}" $(super -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'sec\_update\_%'"); do
		super -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	done
	super -d postgres -c "DROP ROLE IF EXISTS $mallory, $reader, $writer" >/dev/null
}
cleanup() {
	if [ "${SC_SECURITY_KEEP:-}" = 1 ]; then
		note "kept: databases ${dbs[*]}, roles $mallory $reader $writer, logs in $work"
		return
	fi
	[ "$tap_failed" -eq 0 ] && rm -rf "$work"
	drop_all 2>/dev/null
}
trap cleanup EXIT

# A database where mallory, an ordinary user, may create schemas and write
# public (PostgreSQL 15 no longer lets everyone write public: a DBA granted
# it here, or the database came from an older release).  Mallory plants the
# trojans in public and in a schema of her own.
new_db() {
	local db=$1
	super -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	super -d postgres -c "CREATE DATABASE $db" >/dev/null &&
		super -d "$db" -c "GRANT CREATE ON DATABASE $db TO $mallory; GRANT CREATE ON SCHEMA public TO $mallory" >/dev/null &&
		as "$mallory" "$db" pg_catalog plant -c 'CREATE SCHEMA mallory_schema' &&
		as "$mallory" "$db" pg_catalog plant -v schema=mallory_schema -f "$sec/plant.sql" &&
		as "$mallory" "$db" pg_catalog plant -v schema=public -f "$sec/plant.sql"
}
# trojans on the extension's types, once mallory may use them
plant_ext() {
	local db=$1
	# once per database: an update path of several steps plants before each
	# step, and a second planting would only fail on existing names
	if [ "$(super -d "$db" -c "SELECT has_schema_privilege('$mallory', 'supplychain', 'USAGE')
	                            AND NOT EXISTS (SELECT FROM pg_proc WHERE proname = 'trojan_ext_op_1'
	                                            AND pronamespace = 'mallory_schema'::regnamespace)")" = t ]; then
		as "$mallory" "$db" pg_catalog plant -v schema=mallory_schema -f "$sec/plant_ext.sql" &&
			as "$mallory" "$db" pg_catalog plant -v schema=public -f "$sec/plant_ext.sql"
	fi
}
# catalog verdicts (test/security/catalog_checks.sql)
catalog() {
	local what=$1 db=$2 out problems line
	out=$(super -d "$db" -f "$sec/catalog_checks.sql" 2>&1) || { fail "$what: catalog checks did not run: $out"; return; }
	printf '%s\n' "$out" | sed -n 's/^checked: /      checked: /p' | note
	problems=$(printf '%s\n' "$out" | grep '^problem: ' || true)
	if [ -n "$problems" ]; then
		while IFS= read -r line; do fail "$what: ${line#problem: }"; done <<<"$problems"
	else
		ok "$what: no SECURITY DEFINER, SQL/PL functions pin search_path, views and constraints bound to pg_catalog or the extension, owned by a superuser"
	fi
}
# every relation read in full and every function, aggregate, operator and
# cast called, under the hostile search_path, by ROLE
exercise() {
	local what=$1 db=$2 role=$3 log=$4 rels calls
	rels=$work/$db.relations.sql
	calls=$work/$db.calls.sql
	super -d "$db" -v part=relations -v role="$role" -f "$sec/gen_exercise.sql" >"$rels" || { fail "$what: cannot list relations"; return; }
	super -d "$db" -v part=calls -v role="$role" -f "$sec/gen_exercise.sql" >"$calls" || { fail "$what: cannot list calls"; return; }
	if grep -q '^-- MISSING SAMPLE' "$calls"; then
		fail "$what: no sample arguments in gen_exercise.sql for: $(grep '^-- MISSING SAMPLE' "$calls" | sed 's/^-- MISSING SAMPLE: //' | paste -sd, -)"
	fi
	if grep -q '^-- STALE' "$calls"; then
		fail "$what: gen_exercise.sql: $(grep '^-- STALE' "$calls" | sed 's/^-- STALE: //' | paste -sd';' -)"
	fi
	local bad=0 line n=0 counts=""
	while IFS= read -r line; do
		n=$((n + 1))
		if out=$(PGOPTIONS="-c search_path=${hostile_path// /}" "$psql" -X -q -At -v ON_ERROR_STOP=1 \
			-U "$role" -d "$db" -c "$line" 2>>"$work/$log.log"); then
			counts="$counts ${out/|/=}"
		else
			bad=$((bad + 1))
			fail "$what: $role cannot read: $line"
		fi
	done <"$rels"
	[ "$bad" -eq 0 ] && ok "$what: $role read all rows of $n relations:$counts"
	# the functions that write, called by a role that may not write (gen_exercise.sql's fn_write)
	local refused
	refused=$(grep -c "EXCEPTION WHEN SQLSTATE '42501'" "$calls")
	if [ "$role" != "$PGUSER" ] && [ "$refused" -eq 0 ]; then
		fail "$what: $role, who may not write, is refused none of the functions that write: gen_exercise.sql's fn_write matches none"
	fi
	if as "$role" "$db" "$hostile_path" "$log" -f "$calls"; then
		ok "$what: $role ran $(grep -c '^SELECT' "$calls") queries calling every function, aggregate, operator and cast (qualified and unqualified) and the types' btree and hash support"
		[ "$refused" -gt 0 ] && ok "$what: $role refused (42501) in all $refused calls of the functions that write the state and share_total"
	else
		fail "$what: $role: a call failed (log $work/$log.log): $(grep -m1 'ERROR' "$work/$log.log")"
	fi
	if [ "$role" = "$PGUSER" ] && grep -q '^-- SHADOWED' "$calls"; then
		note "not called unqualified: $(grep '^-- SHADOWED' "$calls" | sed 's/^-- SHADOWED: //' | paste -sd, - | sed 's/,/, /g')"
		note "(mallory planted the same name and arguments earlier on this search_path: that is search_path semantics)"
	fi
}

note "trojans: operators = <> < > <= >= + - * / || ~ on text, numeric, integer, bigint, date, boolean, double precision and mixed pairs;"
note "  regclass, oid and text[] comparisons, text[] concatenation; aggregates sum avg max min count hhi array_agg;"
note "  lower upper left round format text() numeric() int4() pg_extension_config_dump unnest(text[]) cardinality concat_ws to_regclass ...;"
note "  planted by the non-superuser $mallory in public and mallory_schema; sessions use search_path '$hostile_path'"
serverlog=${SC_DIR:-}/server.log
[ -r "$serverlog" ] && logstart=$(wc -c <"$serverlog") || logstart=

drop_all
super -d postgres -c "CREATE ROLE $mallory LOGIN; CREATE ROLE $reader LOGIN; CREATE ROLE $writer LOGIN" >/dev/null ||
	{ fail "cannot create roles"; exit 1; }

default=$(super -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'supplychain'")
trusted=$(super -d postgres -c "SELECT trusted FROM pg_available_extension_versions WHERE name = 'supplychain' AND version = '$default'")
note "supplychain $default (control file: trusted = $trusted)"

# --- 1. CREATE EXTENSION among trojans; then everything a user does ----------
note ""
note "-- CREATE EXTENSION supplychain, then views, functions, triggers"
db=sec_install
if new_db $db; then
	if as "$PGUSER" $db "$hostile_path" install -c 'CREATE EXTENSION supplychain'; then
		ok "CREATE EXTENSION supplychain ($default) by the superuser under the hostile search_path"
	else
		fail "CREATE EXTENSION failed: $(grep -m1 ERROR "$work/install.log")"
	fi
	no_hijack "CREATE EXTENSION" install $db
	catalog "catalog" $db
	plant_ext $db && note "trojans on the extension's types planted too (casts as functions, count(type), comparisons with text and integer)"
	exercise "superuser" $db "$PGUSER" exercise
	no_hijack "views, functions, aggregates, operators, casts" exercise $db
	if as "$PGUSER" $db "$hostile_path" dml -v tag=sec -f "$sec/dml.sql"; then
		ok "DML by the superuser: inserts, an update and a delete of dependency rows, weights, every table, the views over them"
	else
		fail "DML by the superuser failed (log $work/dml.log): $(grep -m1 ERROR "$work/dml.log")"
	fi
	no_hijack "triggers (share check, weight ownership, shipped rows)" dml $db
	expect_state "$PGUSER" $db 23514 "known shares above 1 rejected under the hostile search_path" \
		"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
		 VALUES ('sec-widgets.parts', 'US', 'CN', 'supply', 'bolts', 0.2, '2024-01-01')"
	expect_state "$PGUSER" $db 23514 "an update pushing shares above 1 rejected" \
		"UPDATE supplychain.dependency SET share = 0.7 WHERE stage = 'sec-widgets.parts' AND supplier = 'XB' AND item = 'bolts'"
	got=$(super -d $db -c "SELECT r.hhi || ' ' || r.risk || ' ' || w.builtin || ' '
	                              || (r.hhi = 0.41 AND r.risk = round(k.value * 0.41, 4) AND NOT w.builtin)
	                       FROM supplychain.stage_risk r, supplychain.weight w, supplychain.weight k
	                       WHERE r.stage_id = 'sec-widgets.parts' AND r.country = 'US'
	                         AND w.name = 'hhi.concentrated' AND k.name = 'weakness.weak'")
	if [ "${got##* }" = true ]; then
		ok "results under the hostile search_path: HHI 0.5^2 + 0.4^2 = 0.41, risk = weakness(weak) x 0.41, a changed weight is the user's (${got% *})"
	else
		fail "results under the hostile search_path: hhi, risk, builtin = '${got% *}', expected 0.4100, weakness.weak x 0.41, false"
	fi
	# dml.sql's material: WGI 0.5 and -0.5 scaled to 4.0 and 6.0; GS 0.6^2 x 4.0 + 0.4^2 x 6.0 x 0.8 = 2.208,
	# EU 0.7^2 x 4.0 = 1.96; SR = (2.208 x 0.3 + 1.96 x 0.7) x (1 - 0.1) x 0.9 = 1.6479; EI 3.0: critical
	got=$(super -d $db -c "SELECT concat_ws(' ', hhi_wgi_gs, hhi_wgi_eu, supply_risk, critical)
	                       FROM supplychain.material_risk WHERE material = 'sec-testium'")
	if [ "$got" = "2.2080 1.9600 1.6479 t" ]; then
		ok "EU supply risk under the hostile search_path: HHI_WGI 2.208 (global) and 1.96 (EU), supply risk 1.6479, critical ($got)"
	else
		fail "EU supply risk under the hostile search_path: '$got', expected '2.2080 1.9600 1.6479 t'"
	fi
	state_verified "the maintained state after the DML and the state functions' calls under the hostile search_path" $db
fi

# --- 2. privileges ------------------------------------------------------------
note ""
note "-- privileges: $reader (PUBLIC only), $writer (INSERT, UPDATE, DELETE granted)"
if [ -n "$(super -d $db -c "SELECT 1 FROM pg_extension WHERE extname = 'supplychain'" 2>/dev/null)" ]; then
	: >"$work/reader.log"
	exercise "reader" $db $reader reader
	no_hijack "reader" reader
	# every table: the writes fail on privileges (one line for all the
	# successes, each failure in full)
	n=0
	m=0
	for t in $(super -d $db -c "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'supplychain'::regnamespace
	                         AND c.relkind IN ('r', 'p') ORDER BY 1"); do
		for stmt in "INSERT INTO supplychain.$t SELECT * FROM supplychain.$t LIMIT 1" \
			"UPDATE supplychain.$t SET builtin = builtin" \
			"DELETE FROM supplychain.$t" \
			"TRUNCATE supplychain.$t"; do
			case $t in
			share_total) stmt=${stmt/SET builtin = builtin/SET total = total} ;;
			trade_flow | trade_flow_[0-9]*) stmt=${stmt/SET builtin = builtin/SET value = value} ;;  # no shipped rows, no builtin column
			trade_country_total | trade_country_group_total) stmt=${stmt/SET builtin = builtin/SET imports = imports} ;;
			# the maintained state: internal like share_total, no builtin column
			stage_state | supplier_state) stmt=${stmt/SET builtin = builtin/SET sector = sector} ;;
			country_state | country_total_state) stmt=${stmt/SET builtin = builtin/SET risk = risk} ;;
			alert) stmt=${stmt/SET builtin = builtin/SET note = note} ;;  # the early warning's: no shipped rows
			esac
			if state_verdict $reader $db 42501 "reader: $stmt" "$stmt"; then n=$((n + 1)); else fail "$verdict"; m=$((m + 1)); fi
		done
	done
	[ "$m" -eq 0 ] && ok "reader: all $n INSERT, UPDATE, DELETE and TRUNCATE statements on every table fail with 42501"
	expect_state $reader $db 42501 "reader: a realistic dependency insert" \
		"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
		 VALUES ('semiconductors.design', 'US', 'JP', 'supply', 'ip', 0.1, '2024-01-01')"
	expect_state $reader $db 42501 "reader: a weight update" "UPDATE supplychain.weight SET value = 2 WHERE name = 'kind.supply'"
	expect_state $reader $db 42501 "reader: an assessment delete" "DELETE FROM supplychain.assessment WHERE stage = 'sec-widgets.parts'"
	# the C functions that run SQL run it with the caller's rights: exec_cached()
	# runs the statement it is given, state_terms() reads the tables it is given
	expect_state $reader $db 42501 "reader: exec_cached() of a write to the state (it runs as the caller)" \
		"SELECT supplychain.exec_cached('DELETE FROM supplychain.stage_state')"
	super -d $db -c "CREATE SCHEMA sec_private; GRANT USAGE ON SCHEMA sec_private TO PUBLIC;
	                 CREATE TABLE sec_private.dependency AS SELECT * FROM supplychain.dependency;
	                 CREATE TABLE sec_private.weight AS SELECT * FROM supplychain.weight" >/dev/null
	expect_state $reader $db 42501 "reader: exec_cached() of a read of a table it may not read" \
		"SELECT supplychain.exec_cached('SELECT pg_catalog.array_agg(supplier) FROM sec_private.dependency')"
	expect_state $reader $db 42501 "reader: state_terms() over a dependency table it may not read" \
		"SELECT * FROM supplychain.state_terms('sec_private.dependency', 'supplychain.assessment', 'supplychain.weight',
		                                       ARRAY['US']::text[], ARRAY['batteries.cells']::text[])"
	expect_state $reader $db 42501 "reader: state_terms() over a weight table it may not read" \
		"SELECT * FROM supplychain.state_terms('supplychain.dependency', 'supplychain.assessment', 'sec_private.weight',
		                                       ARRAY['US']::text[], ARRAY['batteries.cells']::text[])"

	super -d $db -c "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA supplychain TO $writer" >/dev/null
	# the year of dml.sql's flows: a partition only the owner of trade_flow makes
	super -d $db -c "SELECT supplychain.trade_flow_year(2024)" >/dev/null
	: >"$work/writer.log"
	if as $writer $db "$hostile_path" writer -v tag=wr -f "$sec/dml.sql"; then
		ok "writer: inserts its own source, country, sector, stages, links, assessments, dependencies, policy rows, figures, weights; updates and deletes its dependencies"
	else
		fail "writer: DML failed (log $work/writer.log): $(grep -m1 ERROR "$work/writer.log")"
	fi
	no_hijack "writer" writer $db
	expect_state $writer $db 23514 "writer: a supplier pushing the known shares above 1 is rejected" \
		"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
		 VALUES ('wr-widgets.parts', 'US', 'KR', 'supply', 'bolts', 0.2, '2024-01-01')"
	expect_state $writer $db 23514 "writer: an update pushing them above 1 is rejected" \
		"UPDATE supplychain.dependency SET share = 0.9 WHERE stage = 'wr-widgets.parts' AND supplier = 'XA' AND item = 'bolts'"
	expect_state $writer $db 23514 "writer: zeroing share_total (which it may write) and adding a share still fails" \
		"UPDATE supplychain.share_total SET total = 0 WHERE stage = 'wr-widgets.parts';
		 INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
		 VALUES ('wr-widgets.parts', 'US', 'KR', 'supply', 'bolts', 0.2, '2024-01-01')"
	expect_state $writer $db 23514 "writer: deleting the share_total rows and adding a share still fails" \
		"DELETE FROM supplychain.share_total WHERE stage = 'wr-widgets.parts';
		 INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
		 VALUES ('wr-widgets.parts', 'US', 'KR', 'supply', 'bolts', 0.2, '2024-01-01')"
	got=$(super -d $db -c "SELECT max(total) FROM (SELECT sum(share) AS total FROM supplychain.current_dependency
	                    GROUP BY stage, country, kind, item) s")
	if [ -n "$got" ] && [ "$(super -d $db -c "SELECT $got <= 1")" = t ]; then
		ok "after the writers: no item's known shares sum above 1 (largest $got)"
	else
		fail "after the writers: an item's known shares sum to $got"
	fi
	state_verified "after the writers: the maintained state" $db
	expect_state $writer $db 42501 "writer: no CREATE in schema supplychain" \
		"CREATE FUNCTION supplychain.count(text) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint'"
fi

# --- 3. ALTER EXTENSION UPDATE from every older version -------------------------
# From each version, to the version farthest from it, one step at a time: in
# a chain of versions that runs every update script, from every start.
note ""
note "-- CREATE EXTENSION at each version, trojans planted, then ALTER EXTENSION UPDATE step by step to the farthest version"
i=0
while read -r v path; do
	[ -n "$v" ] || continue
	i=$((i + 1))
	db=sec_update_$i
	dbs+=("$db")
	log=update_$i
	new_db $db || { fail "$v: set-up failed"; continue; }
	if ! as "$PGUSER" $db "$hostile_path" $log -c "CREATE EXTENSION supplychain VERSION '$v'"; then
		fail "CREATE EXTENSION supplychain VERSION '$v': $(grep -m1 ERROR "$work/$log.log")"
		continue
	fi
	steps=${path#*--}
	for to in ${steps//--/ }; do
		# the seg attack: new trojans appear between versions
		plant_ext $db >/dev/null 2>&1 || true
		if ! as "$PGUSER" $db "$hostile_path" $log -c "ALTER EXTENSION supplychain UPDATE TO '$to'"; then
			fail "ALTER EXTENSION supplychain UPDATE TO '$to' (from $v): $(grep -m1 ERROR "$work/$log.log")"
			continue 2
		fi
	done
	ok "CREATE EXTENSION supplychain VERSION '$v', then ALTER EXTENSION UPDATE along $path"
	no_hijack "update from $v" $log $db
	catalog "catalog after update from $v" $db
	exercise "after update from $v" $db "$PGUSER" $log
	no_hijack "views and functions after update from $v" $log $db
done < <(super -d postgres -F ' ' -c "SELECT DISTINCT ON (source) source, path
                                   FROM pg_extension_update_paths('supplychain') WHERE path IS NOT NULL
                                   ORDER BY source, array_length(string_to_array(path, '--'), 1) DESC, target")
[ "$i" -eq 0 ] && note "no version to update from"

# --- 4. the demo report -------------------------------------------------------
note ""
note "-- the demo report (test/demo.sql)"
db=sec_demo
if new_db $db; then
	# as it is: it creates the extension and sets its own search_path; the
	# session's is the hostile one
	if as "$PGUSER" $db "$hostile_path" demo -f "$top/test/demo.sql"; then
		ok "demo.sql as it is ($(grep -c . "$work/demo.log") lines of report), session search_path hostile"
	else
		fail "demo.sql as it is failed: $(grep -m1 ERROR "$work/demo.log")"
	fi
	no_hijack "demo.sql as it is" demo $db
	plant_ext $db
	# and with the trojans' schemas first: its own SET search_path dropped
	{
		echo "SET search_path = $hostile_path;"
		grep -viE '^[[:space:]]*(SET[[:space:]]+search_path|CREATE[[:space:]]+EXTENSION)' "$top/test/demo.sql"
	} >"$work/demo_hostile.sql"
	for role in "$PGUSER" $reader; do
		if as $role $db "$hostile_path" demo_hostile -f "$work/demo_hostile.sql"; then
			ok "demo.sql by $role with search_path = $hostile_path"
		else
			fail "demo.sql by $role with the hostile search_path failed: $(grep -m1 ERROR "$work/demo_hostile.log")"
		fi
	done
	no_hijack "demo.sql under the hostile search_path" demo_hostile $db
fi

# --- 5. a schema named supplychain that mallory created first -------------------
# CREATE EXTENSION takes an existing schema of the control file's name as it
# is, and runs the scripts with search_path = that schema, pg_temp: objects
# mallory put there are candidates for every unqualified name in the
# scripts.  Her trojans here return pg_catalog's answer after reporting, so
# that the installation runs to its end and every one it reaches is listed.
note ""
note "-- CREATE EXTENSION when $mallory created the schema supplychain beforehand and planted trojans in it"
db=sec_precreated
if new_db $db && as "$mallory" $db pg_catalog plant -c 'CREATE SCHEMA supplychain' &&
	as "$mallory" $db pg_catalog plant -v schema=supplychain -v mode=warn -v extension_names=off -f "$sec/plant.sql"; then
	if as "$PGUSER" $db "$hostile_path" precreated -c 'CREATE EXTENSION supplychain'; then
		note "CREATE EXTENSION accepted the schema $mallory created"
		no_hijack "CREATE EXTENSION into $mallory's schema" precreated $db
		catalog "catalog, schema created by $mallory" $db
		: >"$work/precreated_use.log"
		exercise "schema created by $mallory" $db "$PGUSER" precreated_use
		as "$PGUSER" $db "$hostile_path" precreated_use -v tag=sec -f "$sec/dml.sql" || true
		no_hijack "views, functions, DML afterwards (calls during CREATE EXTENSION not counted again)" precreated_use
	elif grep -q 'hijacked:' "$work/precreated.log"; then
		no_hijack "CREATE EXTENSION into $mallory's schema" precreated $db
	else
		ok "CREATE EXTENSION refused the schema $mallory created: $(grep -m1 ERROR "$work/precreated.log" | sed 's/^.*ERROR:  //')"
	fi
fi

# --- 6. who may install ---------------------------------------------------------
note ""
note "-- CREATE EXTENSION by a non-superuser"
db=sec_nonsuper
if new_db $db; then
	if [ "$trusted" = t ]; then
		if as "$mallory" $db "$hostile_path" nonsuper -c 'CREATE EXTENSION supplychain'; then
			ok "trusted: $mallory installed the extension"
			no_hijack "CREATE EXTENSION by $mallory (trusted)" nonsuper $db
			catalog "catalog, installed by $mallory" $db
		else
			fail "trusted, but $mallory cannot install: $(grep -m1 ERROR "$work/nonsuper.log")"
		fi
	else
		expect_state "$mallory" $db 42501 "not trusted: $mallory (CREATE on the database) cannot CREATE EXTENSION" \
			'CREATE EXTENSION supplychain'
	fi
fi

# backstop: the server log saw no trojan either (before the steps below,
# which call trojans on purpose)
if [ -n "${logstart:-}" ]; then
	if tail -c +$((logstart + 1)) "$serverlog" | grep -q 'hijacked:'; then
		fail "server log: trojan calls: $(tail -c +$((logstart + 1)) "$serverlog" | grep -o 'hijacked: .*' | sort -u | head -5 | paste -sd';' -)"
	else
		ok "server log: no trojan call logged during the steps above"
	fi
fi

# --- 7. the trojans are live (else the steps above prove nothing) ----------------
note ""
note "-- control: the same trojans do fire when a query leaves the choice to search_path"
db=sec_install
for probe in "SELECT 1 < 1.5" "SELECT count(x) FROM (VALUES ('a'::text)) v(x)" "SELECT 1.0 / 3" \
	"SELECT format('%s %s %s %s %s', 'a'::text, 'b'::text, 'c'::text, 'd'::text, current_date)" \
	"SELECT array_agg(x) FROM (VALUES ('a'::text)) v(x)" "SELECT unnest(ARRAY['a']::text[])" \
	"SELECT 'pg_class'::regclass = 'pg_class'::regclass"; do
	out=$(PGOPTIONS="-c search_path=${hostile_path// /}" "$psql" -X -q -U "$PGUSER" -d $db -c "$probe" 2>&1)
	if printf '%s\n' "$out" | grep -q 'hijacked:'; then
		ok "control: $probe -> $(printf '%s\n' "$out" | grep -o 'hijacked: [^ ]*' | head -1)"
	else
		fail "control: $probe did not reach a trojan: the planted objects are not effective"
	fi
done

# --- 8. advisory: objects that shadow the extension's own names ------------------
note ""
note "-- advisory: trojans in public named like the extension's own objects, and demo.sql's search_path (\"\$user\", public, supplychain)"
db=sec_shadow
if new_db $db && as "$PGUSER" $db pg_catalog shadow -c 'CREATE EXTENSION supplychain' &&
	as "$mallory" $db pg_catalog shadow -f "$sec/plant_shadow_ext.sql"; then
	grep -viE '^[[:space:]]*CREATE[[:space:]]+EXTENSION' "$top/test/demo.sql" >"$work/demo_noext.sql"
	as "$PGUSER" $db pg_catalog shadow_demo -f "$work/demo_noext.sql" || true
	h=$(hijacks shadow_demo)
	if [ -n "$h" ]; then
		warn "demo.sql puts public before supplychain on its search_path: a user who may create in public captures its unqualified names:"
		printf '%s\n' "$h" | sed 's/^/        /' | note
		note "(not a failure of the extension: its own code never resolves these; on PostgreSQL 15 public is not writable by default)"
	else
		ok "demo.sql resolves none of the look-alikes in public"
	fi
fi

if [ "$tap_failed" -eq 0 ]; then
	note "security: all checks passed"
else
	diag "security: $tap_failed check(s) failed (logs kept in $work; SC_SECURITY_KEEP=1 keeps the databases too)"
fi
done_testing
