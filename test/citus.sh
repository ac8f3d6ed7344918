#!/usr/bin/env bash
# citus.sh - the extension on Citus: a coordinator and two workers (three
# more throwaway clusters on loopback), the extension's own tables
# distributed by supplychain.distribute(), and what must hold there.
#
# Run by test/harness.sh (make test), which exports PGHOST, PGPORT, PGUSER,
# SC_BINDIR and PG_CONFIG: that cluster is the single-server baseline.  This
# stage uses the Citus installed in that server (pg_config --pkglibdir),
# whatever its version, and reports a TAP skip where there is none (the
# project neither ships nor builds Citus); it starts the three clusters itself (shared_preload_libraries =
# citus, private socket directories, free ports, fsync=off) and stops them on
# every exit path.  It prints TAP.  docs/citus.md says what is tested and
# what is not; the checks, in order:
#   - Citus installed; the clusters up; the extension updated from the
#     previous version on the Citus cluster (every node);
#   - distribute(): placements, colocation, idempotence, every row kept by
#     Citus's copy into the shards (through the shards' triggers);
#   - on shards: the share rule (23514), also for COPY and two concurrent
#     writers on the coordinator, and the shipped-row rule (23001), with
#     messages that name the table; the helpers on a worker;
#   - shard moves in both transfer modes keep the rows and the rules;
#   - verify_state() finds no difference after distribute(), after the shard
#     moves and concurrent writers, and after undistribute();
#   - every table, view and function equals the single server holding the
#     same rows (about 104,000 dependency rows); one-country queries run as
#     one task;
#   - pg_dump of the coordinator restores; ALTER EXTENSION UPDATE; DROP
#     EXTENSION refused while distributed, undistribute(), then DROP.
# Known failures of a view's formulation on Citus (known_error below) are TAP
# TODO lines with the reason.
set -uo pipefail

: "${PGHOST:?run through test/harness.sh}" "${PGPORT:?}" "${SC_BINDIR:?}"
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/test/citus
bindir=$SC_BINDIR
PG_CONFIG=${PG_CONFIG:-$bindir/pg_config}
started=$SECONDS

DB=sc_citus         # the distributed database, on every node
SINGLE=citus_single # the baseline, on the harness's cluster

. "$top/test/lib/tap.sh"
. "$top/test/lib/cluster.sh"
# todo DESCRIPTION REASON: a known failure, reported and not counted
todo() {
	tap_tests=$((tap_tests + 1))
	printf 'not ok %d - %s # TODO %s\n' "$tap_tests" "$1" "$2"
}
# state_verifies DESCRIPTION: verify_state() on the coordinator returns no row
state_verifies() {
	local got
	got=$(qc -c "SELECT count(*) FROM supplychain.verify_state()" 2>&1)
	is "$1" "$got" 0
	[ "$got" = 0 ] || qc -c "SELECT object, key, state, recomputed FROM supplychain.verify_state() LIMIT 8" 2>&1 | diag
}
finish() {
	note "citus stage: $((SECONDS - started)) s"
	done_testing
	exit
}
# fatal DESCRIPTION [DETAIL]: a step the rest depends on failed
fatal() {
	not_ok "$1"
	[ -n "${2:-}" ] && diag "$2"
	finish
}

# --- Citus: the one installed in this server, or the stage is skipped -------
citus_so=$("$PG_CONFIG" --pkglibdir)/citus.so
citus_control=$("$PG_CONFIG" --sharedir)/extension/citus.control
if [ ! -f "$citus_so" ] || [ ! -f "$citus_control" ]; then
	echo "1..0 # SKIP no Citus in PostgreSQL $("$PG_CONFIG" --version | awk '{print $2}') ($citus_so): install Citus for this server as Citus's documentation describes (a package, or a build from github.com/citusdata/citus with this pg_config) to run this stage"
	exit 0
fi
citus_version=$(sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$citus_control")
ok "Citus $citus_version is installed ($citus_so)"

# --- three clusters ----------------------------------------------------------
work=$(mktemp -d /tmp/supplychain-citus.XXXXXX)
cluster_on_exit 'rm -rf "$work"'
cluster_on_exit '"$bindir/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $SINGLE WITH (FORCE)"'
nodes=(c w1 w2)
declare -A port
for x in "${nodes[@]}"; do
	# wal_level logical: shard moves by logical replication
	# (supplychain after citus: its executor hook evaluates the early warning
	# of the writes the coordinator routes, docs/citus.md)
	cluster_init "$x" -c shared_preload_libraries=citus,supplychain -c fsync=off -c synchronous_commit=off \
		-c wal_level=logical -c max_connections=60 -c shared_buffers=32MB -c max_worker_processes=16 \
		-c citus.shard_count=8 2>"$work/err" && cluster_start "$x" -t 60 2>>"$work/err" ||
		fatal "node $x: a cluster with Citus preloaded" "$(cat "$work/err")"
	port[$x]=$(cluster_port "$x")
done
ok "three clusters with Citus preloaded: coordinator port ${port[c]}, workers ${port[w1]} and ${port[w2]}"

psql_at() { local x=$1; shift; sc_psql -At -h "$(cluster_dir "$x")" -p "${port[$x]}" -d "${QDB:-$DB}" "$@"; }
qc() { psql_at c "$@"; }
qs() { sc_psql -At -d "$SINGLE" "$@"; }

for x in "${nodes[@]}"; do
	cluster_psql "$x" -c "CREATE DATABASE $DB" &&
		psql_at "$x" -c "CREATE EXTENSION citus" >/dev/null || fatal "CREATE EXTENSION citus on $x"
done
qc -c "SELECT citus_set_coordinator_host('127.0.0.1', ${port[c]})" \
	-c "SELECT citus_add_node('127.0.0.1', ${port[w1]})" -c "SELECT citus_add_node('127.0.0.1', ${port[w2]})" >/dev/null ||
	fatal "coordinator and workers joined"
is "Citus cluster: coordinator and two workers" "$(qc -c "SELECT count(*) FILTER (WHERE groupid = 0) || ' ' || count(*) FILTER (WHERE groupid > 0 AND isactive) FROM pg_dist_node")" "1 2"

# --- the single server: the same rows, no Citus -----------------------------
sc_psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $SINGLE WITH (FORCE)" -c "CREATE DATABASE $SINGLE" >/dev/null
{
	qs -c "SET client_min_messages = warning" -c "CREATE EXTENSION supplychain" &&
		qs -f "$here/helpers.sql" && qs -v part=countries -f "$here/generate.sql" &&
		qs -v part=rows -v lo=A -v hi=XK -f "$here/generate.sql" &&
		qs -v part=rows -v lo=XL -v hi=ZZ -f "$here/generate.sql" &&
		qs -v part=trade -v lo=A -v hi=ZZ -f "$here/generate.sql"
} 2>"$work/err" || fatal "single server loaded" "$(cat "$work/err")"
dependency_rows=$(qs -c "SELECT count(*) FROM supplychain.dependency")
is "single server: distribute() without Citus says what it needs" \
	"$(qs -c "SELECT citustest.try('SELECT supplychain.distribute()')")" \
	"55000 supplychain.distribute() needs the citus extension"
is "single server: shard_of() and table_label() name the tables themselves" \
	"$(qs -c "SELECT supplychain.shard_of('supplychain.share_total', 'supplychain.dependency') || ' ' || supplychain.table_label('supplychain.dependency')")" \
	"supplychain.share_total supplychain.dependency"

# --- the previous version, updated on the Citus cluster ----------------------
default=$(qc -c "SELECT default_version FROM pg_available_extensions WHERE name = 'supplychain'")
previous=$(qc -c "SELECT version FROM pg_available_extension_versions WHERE name = 'supplychain' AND version <> '$default'
                  ORDER BY string_to_array(version, '.')::integer[] DESC LIMIT 1")
if [ -n "$previous" ]; then
	qc -c "SET client_min_messages = warning" -c "CREATE EXTENSION supplychain VERSION '$previous'" 2>"$work/err" ||
		fatal "CREATE EXTENSION supplychain VERSION '$previous' on the coordinator" "$(cat "$work/err")"
else
	qc -c "SET client_min_messages = warning" -c "CREATE EXTENSION supplychain" 2>"$work/err" ||
		fatal "CREATE EXTENSION supplychain on the coordinator" "$(cat "$work/err")"
fi
# the user rows of some countries before distribute(), the others after
{
	qc -f "$here/helpers.sql" && qc -v part=countries -f "$here/generate.sql" &&
		qc -v part=rows -v lo=A -v hi=XK -f "$here/generate.sql"
} 2>"$work/err" || fatal "user rows loaded on the coordinator" "$(cat "$work/err")"
if [ -n "$previous" ]; then
	qc -c "ALTER EXTENSION supplychain UPDATE" 2>"$work/err"
	rc=$?
	versions=$(for x in "${nodes[@]}"; do psql_at "$x" -c "SELECT extversion FROM pg_extension WHERE extname = 'supplychain'"; done | paste -sd ' ')
	if [ $rc -eq 0 ] && [ "$versions" = "$default $default $default" ]; then
		ok "ALTER EXTENSION supplychain UPDATE from $previous on the coordinator updates every node to $default"
	else
		not_ok "ALTER EXTENSION supplychain UPDATE from $previous on the coordinator updates every node to $default"
		diag "exit $rc, versions $versions; $(cat "$work/err")"
	fi
else
	tap_tests=$((tap_tests + 1))
	echo "ok $tap_tests # SKIP no earlier version of supplychain is available"
fi

# trade flows (a table of the current version) into the same countries
qc -v part=trade -v lo=A -v hi=XK -f "$here/generate.sql" 2>"$work/err" ||
	fatal "trade flows loaded on the coordinator" "$(cat "$work/err")"

# --- distribute() --------------------------------------------------------------
before=$(qc -c "SELECT * FROM citustest.tables()")
out=$(qc -c "SELECT supplychain.distribute()" 2>"$work/notices") || fatal "SELECT supplychain.distribute()" "$(cat "$work/notices")"
is "distribute(): says what it did" "$out" "reference tables: 18 new, 0 already; distributed: 11 new, 0 already"
is "distribute(): a NOTICE per table" "$(grep -c '^NOTICE:  supplychain\.[a-z_]* is now ' "$work/notices")" 29
is "distribute(): each table placed as distribution_plan() says" \
	"$(qc -c "SELECT count(*) FROM supplychain.distribution_plan() p JOIN pg_dist_partition d ON d.logicalrelid = p.table_name
	          WHERE (p.placement = 'reference' AND d.partmethod = 'n' AND d.repmodel = 't')
	             OR (p.placement = 'distributed' AND d.partmethod = 'h'
	                 AND column_to_column_name(d.logicalrelid, d.partkey) = p.distribution_column)")" 29
is "distribute(): the per-country tables (the raw rows, share_total and the maintained state) colocated, and the trade tables (by product) beside each other" \
	"$(qc -c "SELECT string_agg(n::text, ' ' ORDER BY n) FROM (SELECT count(*) AS n FROM pg_dist_partition d
	          JOIN supplychain.distribution_plan() p ON p.table_name = d.logicalrelid WHERE p.placement = 'distributed'
	          GROUP BY d.colocationid) g")" "3 8"
is "distribute(): every reference table on all three nodes" \
	"$(qc -c "SELECT count(*) FROM (SELECT s.logicalrelid FROM pg_dist_shard s JOIN pg_dist_placement pl USING (shardid)
	          JOIN pg_dist_partition d USING (logicalrelid) WHERE d.partmethod = 'n' AND d.repmodel = 't'
	          GROUP BY s.logicalrelid HAVING count(DISTINCT pl.groupid) = 3) r")" 18
is "distribute() again: nothing to do, says so" \
	"$(qc -c "SET client_min_messages = warning" -c "SELECT supplychain.distribute()")" \
	"reference tables: 0 new, 18 already; distributed: 0 new, 11 already"
is "Citus's copy into the shards (shipped rows, user rows, share_total) passed the rules and kept every row" \
	"$(qc -c "SELECT * FROM citustest.tables()")" "$before"
is "distribute() on a worker: refused" \
	"$(psql_at w1 -c "SELECT citustest.try('SELECT supplychain.distribute()')")" \
	"55000 supplychain.distribute() runs on the coordinator"

# --- writes through the shards ------------------------------------------------
qc -v part=rows -v lo=XL -v hi=ZZ -f "$here/generate.sql" 2>"$work/err" &&
	qc -v part=trade -v lo=XL -v hi=ZZ -f "$here/generate.sql" 2>>"$work/err" &&
	qc -f "$here/mutations.sql" >/dev/null 2>>"$work/err" &&
	qs -f "$here/mutations.sql" >/dev/null 2>>"$work/err"
rc=$?
is "the other countries' rows (INSERT ... SELECT through the shards' triggers) and user writes (mutations.sql) on both: $dependency_rows dependency rows" \
	"$rc $(qc -c "SELECT count(*) FROM supplychain.dependency")" "0 $(qs -c "SELECT count(*) FROM supplychain.dependency")"
[ -s "$work/err" ] && diag "$(cat "$work/err")"
is "a shipped weight changed on the coordinator is the user's row on every placement" \
	"$(qc -c "SELECT string_agg(result, ',') FROM run_command_on_placements('supplychain.weight',
	          \$\$SELECT value || ' ' || builtin FROM %s WHERE name = 'weakness.weak'\$\$)")" "0.7 false,0.7 false,0.7 false"
is "a user weight named like a shipped one took it over in place, on every placement" \
	"$(qc -c "SELECT string_agg(result, ',') FROM run_command_on_placements('supplychain.weight',
	          \$\$SELECT count(*) || ' ' || min(value) || ' ' || bool_or(builtin) FROM %s WHERE name = 'alignment.concern'\$\$)")" \
	"1 1.25 false,1 1.25 false,1 1.25 false"
state_verifies "distribute(), then writes through the shards: verify_state() finds no difference"

# --- early warning: evaluated on the coordinator --------------------------------
rules="INSERT INTO supplychain.watch (name, measure, comparison, threshold, enabled)
       VALUES ('citus-risk', 'country_risk.risk', '>', 0.2, true);
       UPDATE supplychain.watch SET enabled = true WHERE name = 'single-partner-above-half'"
alerts="SELECT watch, key, value_after FROM supplychain.alert WHERE cleared_at IS NULL ORDER BY 1, 2"
qs -c "$rules" >/dev/null && qc -c "$rules" >/dev/null 2>"$work/err" && qc -c "SELECT supplychain.watch_refresh()" >/dev/null 2>>"$work/err"
is "rules enabled on the coordinator, then watch_refresh() there: the single server's open alerts ($(qs -c "SELECT count(*) FROM supplychain.alert"))" \
	"$(qc -c "$alerts" 2>&1 | md5sum)" "$(qs -c "$alerts" | md5sum)"
[ -s "$work/err" ] && diag "$(cat "$work/err")"
is "watch_verify() on the coordinator: no difference" "$(qc -c "SELECT count(*) FROM supplychain.watch_verify()" 2>&1)" 0

# --- early warning: the writes the coordinator routes (its executor hook) ---------
# A row that moves US's risk on VN over the rule: the alerts are raised in
# the writing transaction, as on the single server (and gone with a
# rollback); a COPY the same; the notifications reach the coordinator's
# listener at commit.
hook_row="INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
          VALUES ('batteries.cells', 'US', 'VN', 'supply', 'citus hook', 0.5, '2024-01-01')"
vn_open="SELECT count(*) FROM supplychain.alert WHERE cleared_at IS NULL AND subject @> '{\"country\": \"US\", \"supplier\": \"VN\"}'"
want=$(qs -c "BEGIN" -c "$hook_row" -c "$vn_open" -c "ROLLBACK" | grep -x '[0-9]*' | head -1)
got=$(qc -c "BEGIN" -c "$hook_row" -c "$vn_open" -c "ROLLBACK" 2>&1 | grep -x '[0-9]*' | head -1)
if [ -n "$want" ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ] && [ "$(qc -c "$vn_open")" = 0 ]; then
	ok "a write through the coordinator raises its alerts in its own transaction, as the single server ($got); rolled back, none is left"
else
	not_ok "a write through the coordinator raises its alerts in its own transaction, as the single server"
	diag "single server: $want; coordinator: $got; after the rollback: $(qc -c "$vn_open" 2>&1)"
fi
heard=$(qc -c "LISTEN supplychain_alert" -c "$hook_row" 2>&1 | grep -c 'Asynchronous notification "supplychain_alert"')
is "a listener on the coordinator hears the alerts of a write through it at its commit" "$heard" "$want"
qs -c "$hook_row" >/dev/null
printf 'batteries.raw\tUS\tVN\tsupply\tcitus hook copy\t0.6\t2024-01-01\n' >"$work/hook.tsv"
hook_copy="\\copy supplychain.dependency (stage, country, supplier, kind, item, share, as_of) FROM '$work/hook.tsv'"
qc -c "$hook_copy" >/dev/null && qs -c "$hook_copy" >/dev/null
is "a write and a COPY through the coordinator, committed: its open alerts are the single server's, without watch_refresh() ($(qs -c "SELECT count(*) FROM supplychain.alert WHERE cleared_at IS NULL"))" \
	"$(qc -c "$alerts" 2>&1 | md5sum)" "$(qs -c "$alerts" | md5sum)"
is "watch_verify() on the coordinator after them: no difference" "$(qc -c "SELECT count(*) FROM supplychain.watch_verify()" 2>&1)" 0

# --- the rules on the shards -----------------------------------------------------
try() { qc -c "SELECT citustest.try(\$try\$$1\$try\$)"; }
share_msg='23514 known shares of a dependency sum to'
check_try() { # DESCRIPTION SQL WANT (the whole "SQLSTATE message")
	is "$1" "$(try "$2")" "$3"
}
check_try_prefix() { # DESCRIPTION SQL PREFIX
	local got
	got=$(try "$2")
	if [[ "$got" == "$3"* ]]; then ok "$1"; else not_ok "$1"; diag "got:  $got"$'\n'"want: $3..."; fi
}
check_try_prefix "share rule, one shard: an INSERT of two shares summing to 1.2 is rejected (23514)" \
	"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) VALUES
	 ('batteries.raw', 'XA', 'CN', 'supply', 'test item', 0.6, '2024-01-01'),
	 ('batteries.raw', 'XA', 'JP', 'supply', 'test item', 0.6, '2024-01-01')" "$share_msg 1.2 (above 1)"
check_try_prefix "share rule, several shards: a multi-country INSERT with one key above 1 is rejected" \
	"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) VALUES
	 ('batteries.raw', 'XB', 'CN', 'supply', 'test item', 0.5, '2024-01-01'),
	 ('batteries.raw', 'XP', 'CN', 'supply', 'test item', 0.7, '2024-01-01'),
	 ('batteries.raw', 'XP', 'JP', 'supply', 'test item', 0.7, '2024-01-01'),
	 ('batteries.raw', 'KR', 'CN', 'supply', 'test item', 0.5, '2024-01-01')" "$share_msg 1.4 (above 1)"
check_try_prefix "share rule: an UPDATE that lifts known shares above 1 is rejected" \
	"UPDATE supplychain.dependency SET share = 0.5 WHERE country = 'XT' AND stage = 'semiconductors.design'
	 AND kind = 'supply' AND item = 'generated item 1' AND share IS NOT NULL" "$share_msg"
check_try_prefix "share rule: the shipped shares of US fabrication (0.92 + 0.08) take no third one" \
	"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
	 VALUES ('semiconductors.fabrication', 'US', 'JP', 'supply', 'leading-edge logic chips', 0.01, '2021-06-01')" \
	"$share_msg 1.01 (above 1)"
copy_err=$(printf 'batteries.raw\tXC\tCN\tsupply\tcopied item\t0.7\t2024-01-01\nbatteries.raw\tXC\tJP\tsupply\tcopied item\t0.7\t2024-01-01\n' |
	qc -c "\\copy supplychain.dependency (stage, country, supplier, kind, item, share, as_of) FROM STDIN" 2>&1 >/dev/null | head -1)
is "share rule: COPY through the coordinator is checked on the shard" "$copy_err" "ERROR:  known shares of a dependency sum to 1.4 (above 1)"
check_try "shipped rows: UPDATE of a reference table's shipped row (23001, names the table)" \
	"UPDATE supplychain.country SET name = 'x' WHERE code = 'US'" \
	"23001 cannot update a shipped reference row of supplychain.country"
check_try "shipped rows: DELETE of a distributed table's shipped row" \
	"DELETE FROM supplychain.dependency WHERE country = 'US' AND builtin" \
	"23001 cannot delete a shipped reference row of supplychain.dependency"
check_try "shipped rows: a user row cannot be inserted as shipped" \
	"INSERT INTO supplychain.assessment (stage, country, rating, as_of, builtin) VALUES ('batteries.raw', 'XA', 'weak', '2024-01-01', true)" \
	"23001 cannot mark a row of supplychain.assessment as shipped reference data"
check_try "shipped rows: a user row cannot be claimed as shipped (several shards)" \
	"UPDATE supplychain.policy_impact SET builtin = true WHERE country IN ('XA', 'XM')" \
	"23001 cannot mark a row of supplychain.policy_impact as shipped reference data"
check_try "shipped rows: TRUNCATE is refused" "TRUNCATE supplychain.policy_impact" \
	"23001 cannot truncate supplychain.policy_impact: it holds shipped reference rows"
check_try "shipped rows: a shipped weight cannot be deleted" "DELETE FROM supplychain.weight WHERE name = 'kind.supply'" \
	"23001 cannot delete a shipped reference row of supplychain.weight"

# the helpers on a worker: a dependency shard there, and share_total beside it
helpers=$(psql_at w1 -c "SET citus.override_table_visibility = off" -c "
	SELECT supplychain.table_label(x.shard) || ' ' || supplychain.shard_of('supplychain.share_total', x.shard)::text
	       || ' ' || (supplychain.shard_of('supplychain.share_total', x.shard)::text
	                  = (SELECT shard_name(t.logicalrelid, t.shardid) FROM pg_dist_shard t
	                     WHERE t.logicalrelid = 'supplychain.share_total'::regclass AND t.shardminvalue = x.shardminvalue))
	FROM (SELECT shard_name(s.logicalrelid, s.shardid)::regclass AS shard, s.shardminvalue
	      FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node nd USING (groupid)
	      WHERE s.logicalrelid = 'supplychain.dependency'::regclass AND nd.nodeport = ${port[w1]}
	      ORDER BY s.shardid LIMIT 1) x" 2>&1)
if [[ "$helpers" =~ ^supplychain\.dependency\ supplychain\.share_total_[0-9]+\ true$ ]]; then
	ok "on a worker: table_label(shard) is the table, shard_of() the colocated share_total shard ($helpers)"
else
	not_ok "on a worker: table_label(shard) is the table, shard_of() the colocated share_total shard"
	diag "$helpers"
fi

# two writers of one key on the coordinator: the second waits for the first
# (its worker transaction waits on share_total's row), then sees its row
concurrent() { # ISOLATION COUNTRY ITEM
	local iso=$1 c=$2 item=$3 t0 got
	qc -c "BEGIN ISOLATION LEVEL $iso" \
		-c "INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) VALUES ('batteries.raw', '$c', 'CN', 'supply', '$item', 0.6, '2024-01-01')" \
		-c "SELECT pg_sleep(3)" -c "COMMIT" >"$work/first" 2>&1 &
	local first=$!
	sleep 1
	t0=$(date +%s.%N)
	got=$(qc -c "BEGIN ISOLATION LEVEL $iso" -c "SELECT citustest.try(\$\$INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
	           VALUES ('batteries.raw', '$c', 'JP', 'supply', '$item', 0.6, '2024-01-01')\$\$)" -c "COMMIT")
	python3 -c "print(round($(date +%s.%N) - $t0, 1))" >"$work/waited"
	wait "$first"
	echo "$got"
}
got=$(concurrent 'READ COMMITTED' XH 'race item')
waited=$(cat "$work/waited")
if [[ "$got" == "$share_msg 1.2 (above 1)" ]] && python3 -c "import sys; sys.exit(0 if $waited >= 1.0 else 1)"; then
	ok "two writers on the coordinator, READ COMMITTED: the second waited ${waited} s for the first, then was rejected (23514)"
else
	not_ok "two writers on the coordinator, READ COMMITTED: the second waits, then is rejected (23514)"
	diag "second: $got (after $waited s); first: $(cat "$work/first")"
fi
got=$(concurrent 'REPEATABLE READ' XI 'race item rr')
is "two writers on the coordinator, REPEATABLE READ: the second gets a serialization failure (40001)" \
	"${got%%could not serialize*}" "40001 "
# the first writers committed: the single server gets their rows too
qs -c "INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) VALUES
       ('batteries.raw', 'XH', 'CN', 'supply', 'race item', 0.6, '2024-01-01'),
       ('batteries.raw', 'XI', 'CN', 'supply', 'race item rr', 0.6, '2024-01-01')"

# --- shard moves --------------------------------------------------------------
sid=$(qc -c "SELECT get_shard_id_for_distribution_column('supplychain.dependency', 'US')")
node_of() { qc -c "SELECT nodeport FROM pg_dist_placement JOIN pg_dist_node USING (groupid) WHERE shardid = $sid"; }
per_country="SELECT * FROM citustest.tables() t WHERE t ~ '^(dependency|assessment|policy_impact|share_total) '"
rows_before=$(qc -c "$per_country")
move_item=0
for mode in block_writes force_logical; do
	from=$(node_of)
	if [ "$from" = "${port[w1]}" ]; then to=${port[w2]}; else to=${port[w1]}; fi
	# the previous move's source shards are dropped in the background: drop
	# them now, or the move may fail on one not yet cleaned up
	qc -c "CALL citus_cleanup_orphaned_resources()" >/dev/null 2>&1
	if qc -c "SELECT citus_move_shard_placement($sid, '127.0.0.1', $from, '127.0.0.1', $to, shard_transfer_mode => '$mode')" >/dev/null 2>"$work/err" &&
		[ "$(node_of)" = "$to" ]; then
		ok "citus_move_shard_placement($mode) moves the shards of US (with shipped rows) from port $from to $to"
	else
		not_ok "citus_move_shard_placement($mode) moves the shards of US from port $from to $to"
		diag "$(cat "$work/err")"
	fi
	is "after the $mode move: every row of the per-country tables as before" "$(qc -c "$per_country")" "$rows_before"
	check_try_prefix "after the $mode move: the share rule holds on the moved shard" \
		"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
		 VALUES ('semiconductors.fabrication', 'US', 'JP', 'supply', 'leading-edge logic chips', 0.05, '2021-06-01')" "$share_msg 1.05"
	check_try "after the $mode move: the shipped-row rule holds on the moved shard" \
		"DELETE FROM supplychain.dependency WHERE country = 'US' AND builtin" \
		"23001 cannot delete a shipped reference row of supplychain.dependency"
	move_item=$((move_item + 1))
	insert="INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of)
	        VALUES ('batteries.cells', 'US', 'KR', 'supply', 'after move $move_item', 0.25, '2024-01-01')"
	is "after the $mode move: a user row is written on the moved shard" "$(try "$insert")" ok
	qs -c "$insert"
	rows_before=$(qc -c "$per_country")
done
qc -c "CALL citus_cleanup_orphaned_resources()" >/dev/null 2>&1

is "share_total agrees with the dependency rows on the shards" \
	"$(qc -f "$top/test/dba/share_total.sql" 2>&1)" 0
state_verifies "after the shard moves and concurrent writers: verify_state() finds no difference"

# --- every table, view and function: the single server's rows ------------------
# (the writes through the coordinator kept the alerts: watch_refresh()
# finds nothing to raise or clear)
is "after the shard moves and concurrent writers: watch_refresh() on the coordinator raises and clears nothing" \
	"$(qc -c "SELECT supplychain.watch_refresh()" 2>&1)" 0
qs -f "$here/results.sql" 2>"$work/err" && qc -f "$here/results.sql" 2>>"$work/err" ||
	fatal "result queries listed (test/citus/results.sql)" "$(cat "$work/err")"
# errors of Citus known to come from a view's formulation, and why
declare -A known_error=(
	['could not run distributed query with GROUPING SETS']="Citus runs no GROUPING SETS over distributed tables"
)
known() { # ERRORFILE: the reason when its first error is a known one
	local e
	for e in "${!known_error[@]}"; do
		if grep -qF "$e" "$1"; then echo "${known_error[$e]}"; return 0; fi
	done
	return 1
}
i=0
while IFS=$'\t' read -r name kind; do
	i=$((i + 1))
	sql=$(qs -c "SELECT sql FROM citustest.result WHERE name = \$\$${name}\$\$")
	qs -c "COPY ($sql) TO STDOUT" 2>"$work/err_s" | LC_ALL=C sort >"$work/single_$i" &&
		qc -c "COPY ($sql) TO STDOUT" 2>"$work/err_c" | LC_ALL=C sort >"$work/citus_$i"
	rows=$(wc -l <"$work/single_$i")
	if [ -s "$work/err_s" ]; then
		not_ok "$name: runs on the single server"
		diag "$(cat "$work/err_s")"
	elif reason=$(known "$work/err_c"); then
		todo "$name: on Citus, the single server's $rows rows" "$reason: $(head -1 "$work/err_c")"
	elif [ -s "$work/err_c" ]; then
		not_ok "$name: on Citus, the single server's $rows rows"
		diag "$(cat "$work/err_c")"
	elif cmp -s "$work/single_$i" "$work/citus_$i"; then
		if [ "$rows" -gt 0 ] || [[ "$name" == "table share_total" ]]; then
			ok "$name: on Citus, the single server's $rows rows"
		else
			not_ok "$name: on Citus, the single server's $rows rows (none: the check proves nothing)"
		fi
	else
		not_ok "$name: on Citus, the single server's $rows rows"
		diag "$(diff "$work/single_$i" "$work/citus_$i" | head -8)"
	fi
done < <(qs -F $'\t' -c "SELECT name, kind FROM citustest.result ORDER BY kind DESC, name")

# one-country queries: one task, on one worker
for v in $(qc -c "SELECT c.relname FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
                  WHERE c.relkind = 'v' AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'country')
                  ORDER BY 1"); do
	qc -c "EXPLAIN SELECT * FROM supplychain.$v WHERE country = 'XQ'" >"$work/plan" 2>&1
	plan=$(cat "$work/plan")
	counts=$(grep -oE 'Task Count: [0-9]+' <<<"$plan" | awk '{print $3}' | paste -sd ' ')
	what="EXPLAIN SELECT * FROM $v WHERE country = 'XQ': one task (Task Count: 1)"
	if [ "$counts" = 1 ]; then
		ok "$what"
	elif reason=$(known "$work/plan"); then
		todo "$what, not: $(head -1 "$work/plan")" "$reason"
	else
		not_ok "$what"
		diag "task counts: ${counts:-none}"$'\n'"$plan"
	fi
done
is "EXPLAIN SELECT * FROM dependency WHERE country = 'XQ': one task on one worker" \
	"$(qc -c "EXPLAIN SELECT * FROM supplychain.dependency WHERE country = 'XQ'" | grep -cE 'Task Count: 1$')" 1

# --- pg_dump of the coordinator -------------------------------------------------
user_rows="SELECT t.table_name::text || ' ' || citustest.digest(format('SELECT * FROM %s%s', t.table_name,
               CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = t.table_name AND a.attname = 'builtin')
                    THEN ' WHERE NOT builtin' ELSE '' END))
           FROM supplychain.distribution_plan() t
           WHERE t.table_name NOT IN ('supplychain.share_total'::regclass, 'supplychain.alert'::regclass) ORDER BY 1"
open_alerts="SELECT watch || ' ' || key FROM supplychain.alert WHERE cleared_at IS NULL ORDER BY 1"
if as_pg "$bindir/pg_dump" -h "$(cluster_dir c)" -p "${port[c]}" -d "$DB" -Fc -f "$(cluster_dir c)/dump" 2>"$work/err" && [ ! -s "$work/err" ]; then
	ok "pg_dump -Fc of the coordinator (distributed tables): no error"
else
	not_ok "pg_dump -Fc of the coordinator (distributed tables): no error"
	diag "$(cat "$work/err")"
fi
cluster_psql c -c "CREATE DATABASE sc_restored" >/dev/null
as_pg "$bindir/pg_restore" -h "$(cluster_dir c)" -p "${port[c]}" -d sc_restored "$(cluster_dir c)/dump" 2>"$work/err"
rc=$?
is "pg_restore of it into a new database (local tables): exit $rc, the user rows of every table" \
	"$rc $(QDB=sc_restored qc -c "$user_rows" 2>&1)" "0 $(qc -c "$user_rows")"
[ -s "$work/err" ] && diag "$(head -5 "$work/err")"
is "the restored database: share_total rebuilt by the triggers" "$(QDB=sc_restored qc -f "$top/test/dba/share_total.sql" 2>&1)" 0
is "the restored database: the open alerts raised again by the restore, as on the coordinator" \
	"$(QDB=sc_restored qc -c "$open_alerts" 2>&1 | md5sum)" "$(qc -c "$open_alerts" | md5sum)"

# --- ALTER EXTENSION UPDATE, DROP EXTENSION, undistribute() ---------------------------
qc -c "ALTER EXTENSION supplychain UPDATE" 2>"$work/err"
is "ALTER EXTENSION supplychain UPDATE on the distributed installation: already $default, says so" \
	"$? $(cat "$work/err")" "0 NOTICE:  version \"$default\" of extension \"supplychain\" is already installed"
refusal="55000 cannot drop supplychain while Citus distributes its tables"
is "DROP EXTENSION supplychain while distributed: refused, pointing to undistribute()" \
	"$(try "DROP EXTENSION supplychain")" "$refusal"
is "DROP EXTENSION supplychain CASCADE while distributed: refused too (it would leave the shards)" \
	"$(try "DROP EXTENSION supplychain CASCADE")" "$refusal"
is "DROP SCHEMA supplychain CASCADE while distributed: refused too" \
	"$(try "DROP SCHEMA supplychain CASCADE")" "$refusal"
hint=$(qc -c "DROP EXTENSION supplychain" 2>&1 | grep '^HINT')
is "the refusal's hint" "$hint" "HINT:  SELECT supplychain.undistribute() first: it brings the rows back into the coordinator's tables."
before=$(qc -c "SELECT * FROM citustest.tables()")
is "undistribute(): says what it did" "$(qc -c "SET client_min_messages = warning" -c "SELECT supplychain.undistribute()" 2>&1)" "29 tables undistributed"
is "undistribute(): no Citus table of the extension left" \
	"$(qc -c "SELECT count(*) FROM pg_dist_partition d JOIN supplychain.distribution_plan() p ON p.table_name = d.logicalrelid")" 0
shards=$(for x in "${nodes[@]}"; do psql_at "$x" -c "SET citus.override_table_visibility = off" \
	-c "SELECT count(*) FROM pg_class WHERE relnamespace = 'supplychain'::regnamespace AND relname ~ '_[0-9]{5,}$'"; done | paste -sd ' ')
is "undistribute(): no shard left on any node" "$shards" "0 0 0"
is "undistribute(): the coordinator's tables hold every row" "$(qc -c "SELECT * FROM citustest.tables()")" "$before"
for v in country_risk policy_balance; do
	is "after undistribute(): $v equals the single server's" \
		"$(qc -c "SELECT citustest.digest('SELECT * FROM supplychain.$v')")" "$(qs -c "SELECT citustest.digest('SELECT * FROM supplychain.$v')")"
done
state_verifies "after undistribute(): verify_state() finds no difference"
check_try_prefix "after undistribute(): the share rule holds" \
	"INSERT INTO supplychain.dependency (stage, country, supplier, kind, item, share, as_of) VALUES
	 ('batteries.raw', 'XA', 'CN', 'supply', 'test item', 0.6, '2024-01-01'),
	 ('batteries.raw', 'XA', 'JP', 'supply', 'test item', 0.6, '2024-01-01')" "$share_msg 1.2 (above 1)"
# (the test's own view over country goes first: it depends on the extension)
qc -c "DROP VIEW citustest.countries" -c "DROP EXTENSION supplychain" 2>"$work/err"
rc=$?
left=$(for x in "${nodes[@]}"; do psql_at "$x" -c "SET citus.override_table_visibility = off" \
	-c "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'supplychain') + (SELECT count(*) FROM pg_class WHERE relnamespace = to_regnamespace('supplychain'))"; done | paste -sd ' ')
is "then DROP EXTENSION supplychain: done on every node, nothing left" "$rc $left" "0 0 0 0"
[ -s "$work/err" ] && diag "$(cat "$work/err")"

finish
