#!/usr/bin/env bash
# replication.sh - logical replication of the extension's tables, and the
# maintained risk state on the subscribers.  Two clusters of its own
# (test/lib/cluster.sh) with wal_level = logical: a publisher and a
# subscriber, each with CREATE EXTENSION supplychain (so both hold the same
# shipped rows and the same state, and the subscriptions copy nothing).
#
#   publication sc_all     FOR TABLES IN SCHEMA supplychain: the input rows
#                          and the state the publisher's triggers wrote
#                          beside them, in the same transactions
#   publication sc_inputs  every table but the state (stage_state,
#                          supplier_state, country_state, country_total_state)
#                          and share_total
#
# The apply worker runs with session_replication_role = replica: ordinary
# triggers, the state's among them, do not fire on a subscriber.  So the
# subscriber of sc_all gets the state with the rows (verify_state() returns
# no rows, every table and view as on the publisher), and the subscriber of
# sc_inputs, the negative control, gets the rows only: its state is stale,
# verify_state() says so, and rebuild_state() repairs it.
#
# A table published for UPDATE and DELETE needs a replica identity (its
# primary key by default): without one the publisher refuses those writes,
# the triggers' writes to the state included.  Every table of the schema has
# a primary key (checked below); a table without one would be left out of
# the publications, and the check fails.
#
# A stage of make test, reporting TAP; needs SC_BINDIR or PG_CONFIG.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/tap.sh"
. "$here/lib/cluster.sh"
fingerprint_sql=$here/dba/fingerprint.sql
timeout=${REPLICATION_TIMEOUT:-30}
started=$SECONDS

# pq CLUSTER DATABASE [psql arguments]
pq() {
	local c=$1 db=$2
	shift 2
	sc_psql -h "$(cluster_dir "$c")" -p "$(cluster_port "$c")" -U "$cluster_user" -d "$db" "$@"
}
# pqa CLUSTER DATABASE SQL: one unaligned value per line
pqa() { local c=$1 db=$2; shift 2; pq "$c" "$db" -At -c "$*"; }

work=$(mktemp -d /tmp/supplychain-replication.XXXXXX)
cluster_on_exit "rm -rf '$work'"

# --- two clusters -------------------------------------------------------------
opts=(-c wal_level=logical -c fsync=off -c max_wal_senders=10 -c max_replication_slots=10
	-c max_logical_replication_workers=4 -c wal_sender_timeout=10s -c wal_receiver_status_interval=1s)
check "publisher cluster: initdb (wal_level = logical)" cluster_init pub "${opts[@]}" || { done_testing; exit 1; }
check "subscriber cluster: initdb (wal_level = logical)" cluster_init sub "${opts[@]}" || { done_testing; exit 1; }
check "the publisher starts" cluster_start pub || { done_testing; exit 1; }
check "the subscriber starts" cluster_start sub || { done_testing; exit 1; }
server=$(pqa pub postgres "SHOW server_version_num")
note "PostgreSQL $(pqa pub postgres "SHOW server_version"); publisher port $(cluster_port pub), subscriber port $(cluster_port sub)"

create_all() {
	pqa pub postgres "CREATE DATABASE sc_pub" && pq pub sc_pub -c "CREATE EXTENSION supplychain" &&
		pqa sub postgres "CREATE DATABASE sc_all" && pq sub sc_all -c "CREATE EXTENSION supplychain" &&
		pqa sub postgres "CREATE DATABASE sc_inputs" && pq sub sc_inputs -c "CREATE EXTENSION supplychain"
}
check "CREATE EXTENSION supplychain: on the publisher (database sc_pub) and in two subscriber databases (sc_all, sc_inputs)" \
	create_all || { done_testing; exit 1; }

fingerprint() { pq "$1" "$2" -At -f "$fingerprint_sql" 2>&1; }
# the first line: how many rows verify_state() returns; then the first ten
state_report() {
	pq "$1" "$2" -At 2>&1 <<-'SQL'
		CREATE TEMP TABLE diff AS SELECT * FROM supplychain.verify_state();
		SELECT count(*) FROM diff;
		SELECT translate(concat_ws(' ', object, key, 'state', coalesce(state, '(none)'),
		                           'recomputed', coalesce(recomputed, '(none)')), E'\n', ' ')
		FROM diff ORDER BY object, key LIMIT 10;
		SELECT 'by object: ' || string_agg(object || ' ' || n, ', ' ORDER BY object)
		FROM (SELECT object, count(*) AS n FROM diff GROUP BY object) o HAVING count(*) > 0;
	SQL
}
# state_verifies DESCRIPTION CLUSTER DATABASE: verify_state() returns no rows
state_verifies() {
	local out n
	out=$(state_report "$2" "$3")
	n=$(head -n 1 <<<"$out")
	if [ "$n" = 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ]; then
		ok "$1"
	else
		not_ok "$1: verify_state() returned '$n'"
		sed 1d <<<"$out" | diag
	fi
}
# state_stale DESCRIPTION CLUSTER DATABASE: verify_state() does return rows
state_stale() {
	local out n
	out=$(state_report "$2" "$3")
	n=$(head -n 1 <<<"$out")
	if [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ]; then ok "$1 ($n rows)"; else not_ok "$1: verify_state() returned '$n'"; fi
	sed 1d <<<"$out" | note
}
# same_data DESCRIPTION FILE1 FILE2: identical, or the differing lines are shown
same_data() {
	if diff -u "$2" "$3" >"$work/diff" 2>&1; then
		ok "$1"
	else
		not_ok "$1"
		sed -n '1,40p' "$work/diff" | diag
	fi
}
# all rows of a table, in a fixed order, and a digest of them
rows_of() { pqa "$1" "$2" "SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), 'empty') FROM supplychain.$3 t"; }

fingerprint pub sc_pub >"$work/fp_pub_fresh"
fingerprint sub sc_all >"$work/fp_all_fresh"
same_data "before replication: every table and view of the extension alike on both sides (the shipped rows and their state)" \
	"$work/fp_pub_fresh" "$work/fp_all_fresh"

# --- replica identity -----------------------------------------------------------
# tables of the schema a publication cannot carry UPDATE and DELETE of (a
# partitioned table's rows are its partitions', which carry the identity:
# trade_flow's years each have the key)
pqa pub sc_pub "
	SELECT c.relname || ' (' || CASE WHEN c.relpersistence <> 'p' THEN 'not logged'
	                                 WHEN c.relreplident = 'n' THEN 'REPLICA IDENTITY NOTHING'
	                                 ELSE 'no primary key' END || ')'
	FROM pg_class c
	WHERE c.relnamespace = 'supplychain'::regnamespace AND c.relkind = 'r'
	  AND (c.relpersistence <> 'p' OR c.relreplident = 'n'
	       OR (c.relreplident = 'd' AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
	       OR (c.relreplident = 'i' AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)))
	ORDER BY 1" >"$work/no_identity"
tables=$(pqa pub sc_pub "SELECT count(*) FROM pg_class WHERE relnamespace = 'supplychain'::regnamespace AND relkind IN ('r', 'p')")
if [ ! -s "$work/no_identity" ]; then
	ok "every table of schema supplychain ($tables) has a replica identity (its primary key): UPDATE and DELETE replicate"
else
	not_ok "tables of schema supplychain without a replica identity (left out of the publications): $(tr '\n' ' ' <"$work/no_identity")"
fi
left_out=$(sed 's/ (.*//' "$work/no_identity" | tr '\n' ' ')
# the tables of a publication, as a FOR TABLE list: all but those and the ones named
table_list() {
	local skip=" $left_out $* "
	pqa pub sc_pub "SELECT relname FROM pg_class WHERE relnamespace = 'supplychain'::regnamespace
	                AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname" |
		while read -r t; do [[ "$skip" == *" $t "* ]] || printf 'supplychain.%s\n' "$t"; done | paste -sd, -
}
state_tables="stage_state supplier_state country_state country_total_state share_total"

# --- publications and subscriptions ---------------------------------------------
if [ -z "$left_out" ] && [ "$server" -ge 150000 ]; then
	all_pub="CREATE PUBLICATION sc_all FOR TABLES IN SCHEMA supplychain"
else
	all_pub="CREATE PUBLICATION sc_all FOR TABLE $(table_list)"
fi
# shellcheck disable=SC2086 # the names, one argument each
inputs_pub="CREATE PUBLICATION sc_inputs FOR TABLE $(table_list $state_tables)"
check "publisher: $all_pub; and sc_inputs, the same less $state_tables" \
	pq pub sc_pub -c "$all_pub" -c "$inputs_pub" || { done_testing; exit 1; }
note "sc_all publishes $(pqa pub sc_pub "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'sc_all'") tables, sc_inputs $(pqa pub sc_pub "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'sc_inputs'")"
is "sc_inputs leaves out exactly the state and share_total" \
	"$(pqa pub sc_pub "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM (
	                   SELECT tablename FROM pg_publication_tables WHERE pubname = 'sc_all'
	                   EXCEPT SELECT tablename FROM pg_publication_tables WHERE pubname = 'sc_inputs') t")" \
	"$(tr ' ' '\n' <<<"$state_tables" | sort | paste -sd' ' -)"

conn="host=$(cluster_dir pub) port=$(cluster_port pub) user=$cluster_user dbname=sc_pub"
subscribe() {
	pq sub sc_all -c "CREATE SUBSCRIPTION sc_all CONNECTION '$conn' PUBLICATION sc_all WITH (copy_data = false)" &&
		pq sub sc_inputs -c "CREATE SUBSCRIPTION sc_inputs CONNECTION '$conn' PUBLICATION sc_inputs WITH (copy_data = false)"
}
check "subscriber: CREATE SUBSCRIPTION ... WITH (copy_data = false), in sc_all to sc_all and in sc_inputs to sc_inputs" \
	subscribe || { done_testing; exit 1; }

# both apply workers streaming: a walsender per subscription on the publisher
for ((i = 0; i < timeout * 10; i++)); do
	[ "$(pqa pub postgres "SELECT count(*) FROM pg_stat_replication WHERE application_name IN ('sc_all', 'sc_inputs') AND state = 'streaming'")" = 2 ] && break
	sleep 0.1
done
is "both subscriptions' apply workers stream from the publisher (pg_stat_replication, within ${timeout}s)" \
	"$(pqa pub postgres "SELECT string_agg(application_name || ' ' || state, ', ' ORDER BY application_name) FROM pg_stat_replication")" \
	"sc_all streaming, sc_inputs streaming"

# --- writes on the publisher ----------------------------------------------------
# a user country, sector and stages; assessments; dependency rows inserted,
# a share updated, a row deleted, one on a shipped key; an alignment, a
# changed shipped weight (every term it weighs is recomputed) and a stage
# moved to another sector: each trigger path of the state, in several
# transactions
check "publisher: user country, sector, stages, assessments and dependency rows; an update, a delete, an alignment, a weight, a stage moved" \
	pq pub sc_pub <<-'SQL'
	SET search_path = public, supplychain;
	INSERT INTO country (code, name) VALUES ('XR', 'Replica land');
	INSERT INTO sector (code, name) VALUES ('repl', 'Replication test'), ('repl2', 'Replication test 2');
	INSERT INTO stage (id, sector, position, name) VALUES
	    ('repl.parts', 'repl', 1, 'Parts'), ('repl.assembly', 'repl', 2, 'Assembly');
	INSERT INTO assessment (stage, country, rating, as_of) VALUES
	    ('repl.parts', 'US', 'weak', '2024-01-01'),
	    ('repl.assembly', 'US', 'very weak', '2024-01-01'),
	    ('repl.parts', 'XR', 'satisfactory', '2024-01-01');
	INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of) VALUES
	    ('repl.parts', 'US', 'CN', 'supply', 'bolts', 0.5, '2024-01-01'),
	    ('repl.parts', 'US', 'XR', 'supply', 'bolts', 0.3, '2024-01-01'),
	    ('repl.parts', 'US', 'MX', 'supply', 'nuts', 0.6, '2024-01-01'),
	    ('repl.parts', 'US', 'KR', 'talent', 'machinists', 0.1, '2024-01-01'),
	    ('repl.assembly', 'US', 'XR', 'supply', 'frames', NULL, '2024-01-01'),
	    ('repl.assembly', 'US', 'CN', 'market', 'frames', 0.4, '2024-01-01'),
	    ('repl.parts', 'XR', 'CN', 'supply', 'bolts', 0.9, '2024-01-01');
	BEGIN;
	UPDATE dependency SET share = 0.2
	WHERE stage = 'repl.parts' AND country = 'US' AND supplier = 'XR' AND item = 'bolts';
	DELETE FROM dependency WHERE stage = 'repl.parts' AND country = 'US' AND supplier = 'MX';
	-- a newer row of a supplier: the current one replaces the old in the state
	INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
	VALUES ('repl.parts', 'US', 'CN', 'supply', 'bolts', 0.6, '2024-06-01');
	COMMIT;
	-- a user row on a key of the shipped rows (battery cells: CN 0.75)
	INSERT INTO dependency (stage, country, supplier, kind, item, share, as_of)
	VALUES ('batteries.cells', 'US', 'XR', 'supply', 'battery cells', 0.1, '2021-06-01');
	INSERT INTO alignment (country, partner, relation) VALUES ('US', 'XR', 'ally');
	UPDATE weight SET value = 0.9 WHERE name = 'alignment.concern';
	UPDATE stage SET sector = 'repl2', position = 1 WHERE id = 'repl.assembly';
	-- the last transaction: when it is on a subscriber, all before it are
	INSERT INTO source (id, title, publisher) VALUES ('repl-marker', 'replication marker', 'replication.sh');
	SQL
state_verifies "publisher: verify_state() returns no rows (its triggers kept the state)" pub sc_pub
target=$(pqa pub sc_pub "SELECT pg_current_wal_lsn()")

# --- the subscribers catch up ----------------------------------------------------
for db in sc_all sc_inputs; do
	t0=$SECONDS
	arrived=0
	for ((i = 0; i < timeout * 10; i++)); do
		if [ "$(pqa sub "$db" "SELECT count(*) FROM supplychain.source WHERE id = 'repl-marker'" 2>/dev/null)" = 1 ]; then
			arrived=1
			break
		fi
		sleep 0.1
	done
	if [ "$arrived" = 1 ]; then
		ok "$db caught up: the publisher's last transaction applied (within $((SECONDS - t0))s)"
	else
		not_ok "$db did not catch up within ${timeout}s"
		pqa sub "$db" "SELECT * FROM pg_stat_subscription" | diag
		tail -n 20 "$(cluster_dir sub)/server.log" | diag
	fi
	note "$db: pg_stat_subscription received_lsn $(pqa sub "$db" "SELECT received_lsn FROM pg_stat_subscription WHERE subname = '$db' AND relid IS NULL"), the publisher's WAL at its last write $target"
done

# --- sc_all: rows and state --------------------------------------------------------
is "sc_all: the dependency rows are the publisher's" "$(rows_of sub sc_all dependency)" "$(rows_of pub sc_pub dependency)"
is "sc_all: the assessment rows are the publisher's" "$(rows_of sub sc_all assessment)" "$(rows_of pub sc_pub assessment)"
state_verifies "sc_all: verify_state() returns no rows (the state arrived with the rows; no trigger fired here)" sub sc_all
fingerprint pub sc_pub >"$work/fp_pub"
fingerprint sub sc_all >"$work/fp_all"
same_data "sc_all: every table (the state and share_total among them) and every view of the extension as on the publisher" \
	"$work/fp_pub" "$work/fp_all"
if ! diff -q "$work/fp_pub_fresh" "$work/fp_pub" >/dev/null; then
	ok "the writes changed the publisher's data (so the comparisons above compare something): $(diff "$work/fp_pub_fresh" "$work/fp_pub" | grep -c '^>') lines of the fingerprint"
else
	not_ok "the writes left the publisher's fingerprint unchanged"
fi
is "sc_all: the stage_state rows are the publisher's (as its triggers wrote them)" \
	"$(rows_of sub sc_all stage_state)" "$(rows_of pub sc_pub stage_state)"

# --- sc_inputs: rows without state, then rebuild_state() -----------------------------
is "sc_inputs: the dependency rows are the publisher's" "$(rows_of sub sc_inputs dependency)" "$(rows_of pub sc_pub dependency)"
is "sc_inputs: no state row of the user's stages arrived (none published, and no trigger fired)" \
	"$(pqa sub sc_inputs "SELECT count(*) FROM supplychain.stage_state WHERE stage LIKE 'repl.%'")" 0
state_stale "sc_inputs (negative control): the state is stale and verify_state() says so" sub sc_inputs
rebuilt=$(pqa sub sc_inputs "SELECT supplychain.rebuild_state()" 2>&1)
is "sc_inputs: SELECT supplychain.rebuild_state() returns the publisher's number of (country, stage) pairs with state" \
	"$rebuilt" "$(pqa pub sc_pub "SELECT count(*) FROM supplychain.stage_state")"
state_verifies "sc_inputs: after rebuild_state(), verify_state() returns no rows" sub sc_inputs
# share_total keeps a key whose rows were all deleted (total 0: the lock row
# of its writers); rebuild_state() keeps only the keys with rows
fingerprint sub sc_inputs >"$work/fp_inputs"
grep -v '^table share_total ' "$work/fp_pub" >"$work/fp_pub_less"
grep -v '^table share_total ' "$work/fp_inputs" >"$work/fp_inputs_less"
same_data "sc_inputs: after rebuild_state(), every table (the state among them) but share_total, and every view, as on the publisher" \
	"$work/fp_pub_less" "$work/fp_inputs_less"
nonzero="SELECT count(*) || ' keys, md5 ' || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM supplychain.share_total t WHERE total <> 0"
is "sc_inputs: after rebuild_state(), share_total's keys with a known share as on the publisher" \
	"$(pqa sub sc_inputs "$nonzero")" "$(pqa pub sc_pub "$nonzero")"

note "replication.sh: $((SECONDS - started)) s"
done_testing
