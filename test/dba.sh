#!/usr/bin/env bash
# dba.sh - what a DBA does to the extension, end to end: versions and update
# paths, pg_dump/pg_restore of users' rows, ALTER EXTENSION UPDATE from every
# older version (then the full suites on the updated database), DROP and
# CREATE, and the PGXN metadata and release archive.  After each restore and
# update the maintained risk state must verify (verify_state() returns no
# rows); a restore with --disable-triggers must leave it detectably stale,
# and rebuild_state() must repair it.
#
# A stage of make test, reporting TAP: test/harness.sh exports PGHOST, PGPORT,
# PGUSER, SC_BINDIR and PG_CONFIG for its throwaway cluster.  Versions come
# from the control file and pg_available_extension_versions, never from this
# file.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. test/lib/tap.sh
: "${PGHOST:?run through test/harness.sh, which starts the cluster}"
bindir=${SC_BINDIR:-$("${PG_CONFIG:-pg_config}" --bindir)}
PG_CONFIG=${PG_CONFIG:-$bindir/pg_config}
export PGDATABASE=postgres
dir=test/dba
work=$(mktemp -d /tmp/supplychain-dba.XXXXXX)
started=$SECONDS

dbs=()
cleanup() {
	local d
	for d in "${dbs[@]}"; do "$bindir/dropdb" --if-exists "$d" >/dev/null 2>&1; done
	rm -rf "$work"
}
trap cleanup EXIT

section() { printf '#\n# --- %s\n' "$*"; }
# same DESCRIPTION GOT WANT
same() {
	if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}
# same_file DESCRIPTION FILE1 FILE2: identical, or the diff is shown
same_file() {
	if diff -u "$2" "$3" >"$work/diff" 2>&1; then
		ok "$1"
	else
		not_ok "$1"
		sed -n '1,60p' "$work/diff" | sed 's/^/#   /'
	fi
}
# quiet_ok DESCRIPTION RC ERRFILE: exit status 0 and nothing on stderr
quiet_ok() {
	if [ "$2" -eq 0 ] && [ ! -s "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (exit $2)"
		sed -n '1,30p' "$3" | sed 's/^/#   /'
	fi
}

. test/lib/psql.sh
q() { local db=$1; shift; sc_psql -At -d "$db" -c "$*"; }
newdb() { "$bindir/dropdb" --if-exists "$1" >/dev/null 2>&1; "$bindir/createdb" "$1" && dbs+=("$1"); }
fingerprint() { sc_psql -At -d "$1" -f "$dir/fingerprint.sql"; }
# rows and view output of the user objects outside the extension
user_objects() {
	sc_psql -At -d "$1" <<-'EOF'
		SELECT 'table ' || c.oid::regclass || ' rows=' || (xpath('/row/n/text()',
		       query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
		       || ' md5=' || (xpath('/row/h/text()', query_to_xml(format(
		       'SELECT md5(string_agg(t::text, %L ORDER BY t::text)) AS h FROM %s t', ',', c.oid::regclass),
		       false, true, '')))[1]::text
		FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v')
		  AND c.relname LIKE 'dba\_%' ORDER BY 1;
		SELECT 'index ' || i.indexrelid::regclass || ' valid=' || i.indisvalid || ' ready=' || i.indisready
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		WHERE c.relnamespace = 'public'::regnamespace AND c.relname LIKE 'dba\_%' ORDER BY 1;
	EOF
}
# keys of share_total that disagree with a sum over dependency (see the file)
share_total_mismatches() { sc_psql -At -d "$1" -f "$dir/share_total.sql" 2>&1; }
# the maintained risk state against its recomputation from the rows: the
# number of rows supplychain.verify_state() returns, then the first of them
# (see the file)
state_report() { sc_psql -At -d "$1" -f "$dir/verify_state.sql" 2>&1; }
# state_verifies DESCRIPTION DB: verify_state() returns no rows; else the
# first differences are shown
state_verifies() {
	local out n
	out=$(state_report "$2")
	n=$(head -n 1 <<<"$out")
	if [ "$n" = 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ]; then
		ok "$1"
	elif [[ "$n" =~ ^[0-9]+$ ]]; then
		not_ok "$1: verify_state() returned $n rows"
		sed 1d <<<"$out" | sed 's/^/#   /'
	else
		not_ok "$1: verify_state() failed"
		sed 's/^/#   /' <<<"$out"
	fi
}
# state_stale DESCRIPTION DB: verify_state() does return rows (a negative
# control: writes that bypassed the triggers); its report becomes comments
state_stale() {
	local out n
	out=$(state_report "$2")
	n=$(head -n 1 <<<"$out")
	if [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ]; then
		ok "$1 ($n rows)"
	else
		not_ok "$1: verify_state() returned '$n'"
	fi
	sed 1d <<<"$out" | sed 's/^/#   /'
}

# ---------------------------------------------------------------------------
section "versions: control file, installed scripts, update paths"
default=$(sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" supplychain.control)
[ -n "$default" ] || { not_ok "supplychain.control has a default_version"; exit 1; }
same "installed default_version is the control file's ($default)" \
	"$(q postgres "SELECT default_version FROM pg_available_extensions WHERE name = 'supplychain'")" "$default"
mapfile -t versions < <(q postgres "SELECT version FROM pg_available_extension_versions WHERE name = 'supplychain'" | sort -V)
tree_versions=$( (for f in src/upgrade/supplychain--*.sql; do f=${f#src/upgrade/supplychain--}; f=${f%.sql}; printf '%s\n' "${f//--/$'\n'}"; done; echo "$default") | sort -uV)
same "pg_available_extension_versions lists exactly the versions the tree's scripts name (frozen ones and the generated default)" \
	"$(printf '%s\n' "${versions[@]}")" "$tree_versions"
older=()
for v in "${versions[@]}"; do
	[ "$v" = "$default" ] && continue
	if [ "$(printf '%s\n%s\n' "$v" "$default" | sort -V | head -n 1)" = "$v" ]; then
		older+=("$v")
	else
		not_ok "version $v is newer than default_version $default: no path can lead to the default"
	fi
done
note "shipped versions: ${versions[*]}; default $default; older: ${older[*]:-none}"
for v in "${older[@]}"; do
	path=$(q postgres "SELECT path FROM pg_extension_update_paths('supplychain') WHERE source = '$v' AND target = '$default'")
	if [ -n "$path" ]; then ok "update path $v -> $default: $path"; else not_ok "no update path from $v to $default"; fi
done

newdb dba_fresh && sc_psql -d dba_fresh -c "CREATE EXTENSION supplychain"
fingerprint dba_fresh >"$work/fp_fresh"
sc_psql -At -d dba_fresh -f "$dir/catalog.sql" >"$work/catalog_fresh"
# what the upgrade comparison below compares: every kind of fact must be
# there (a join gone wrong in catalog.sql would compare nothing)
kinds="extension|dump config|schema|member|comment|relation|column|constraint|index|trigger|view|function|functiondef|aggregate|type|operator|opclass|amop|amproc|cast|init privs"
counts=$(sed -n -E "s/^($kinds) .*/\1/p" "$work/catalog_fresh" | sort | uniq -c | awk '{ n = $1; $1 = ""; printf "%s%s %d", sep, substr($0, 2), n; sep = ", " }')
missing=$(tr '|' '\n' <<<"$kinds" | while read -r k; do grep -q "^$k " "$work/catalog_fresh" || printf '%s; ' "$k"; done)
state_verifies "fresh install: verify_state() returns no rows (the shipped rows' state is right)" dba_fresh
same "catalog.sql sees every kind of fact on a fresh install ($(wc -l <"$work/catalog_fresh") lines: $counts)" "$missing" ""
same "catalog.sql: column comments and table and schema privileges are among the facts" \
	"$(grep -c "^column .* comment='" "$work/catalog_fresh" | awk '$1 > 0 { print "comments" }') $(grep -c '^\(relation\|schema\) .*acl={' "$work/catalog_fresh" | awk '$1 > 0 { print "acls" }')" \
	"comments acls"

# ---------------------------------------------------------------------------
section "pg_dump / pg_restore: users' rows in every table"
newdb dba_src
sc_psql -d dba_src -c "CREATE EXTENSION supplychain" -f "$dir/user_data.sql" -f "$dir/user_data_trade.sql" 2>"$work/err"
quiet_ok "user rows loaded into every table ($dir/user_data.sql)" $? "$work/err"
fingerprint dba_src >"$work/fp_src"
user_objects dba_src >"$work/uo_src"

uncovered=$(grep -E '^table .* user=0 ' "$work/fp_src" | cut -d' ' -f2 | tr '\n' ' ')
same "every table with shipped rows also holds user rows (else extend $dir/user_data.sql)" "$uncovered" ""
unregistered=$(q dba_src "
	SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'builtin' AND NOT a.attisdropped
	WHERE c.relnamespace = 'supplychain'::regnamespace AND c.relkind = 'r'
	  AND NOT EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond)
	                  WHERE e.extname = 'supplychain' AND u.cfg = c.oid AND u.cond = 'WHERE NOT builtin')")
same "every table with a builtin flag is registered with pg_extension_config_dump(..., 'WHERE NOT builtin')" "$unregistered" ""
note "extension tables pg_dump leaves out (derived, rebuilt by triggers on restore): $(q dba_src "
	SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'supplychain'
	WHERE c.relkind = 'r' AND c.oid <> ALL (e.extconfig)")"
same "source: share_total equals the sum of known shares per key" "$(share_total_mismatches dba_src)" 0
state_verifies "source: verify_state() returns no rows (the triggers kept the state over the user's rows)" dba_src
same "source: a user share on a shipped key adds to the shipped one (battery cells: 0.75 + 0.2)" \
	"$(q dba_src "SELECT total FROM supplychain.share_total WHERE stage = 'batteries.cells' AND item = 'battery cells'")" 0.95
same "source: the changed shipped weight became a user row" \
	"$(q dba_src "SELECT value || ' builtin=' || builtin FROM supplychain.weight WHERE name = 'alignment.concern'")" "0.9 builtin=false"
same "source: the risk views see the user rows (widgets stages, MX supplier, user policy, MX balance)" \
	"$(q dba_src "SELECT (SELECT count(*) FROM supplychain.stage_risk WHERE sector = 'widgets') > 0
	              AND (SELECT count(*) FROM supplychain.country_risk WHERE supplier = 'MX') > 0
	              AND (SELECT count(*) FROM supplychain.policy_risk WHERE policy_id = 'dba-us-widgets-1') > 0
	              AND (SELECT count(*) FROM supplychain.policy_balance WHERE country = 'MX') > 0")" t
# material_risk by hand (user_data_material.sql): WGI scaled 2 x (2.5 - wgi):
# CN (latest year) 6.0, MX 5.8, DE 2.2, VN 5.6, US 2.8.
# dba-graphite GS 0.65^2 x 6.0 + 0.10^2 x 5.8 x 0.8 = 2.5814, EU 0.4^2 x 6.0 + 0.2^2 x 2.2 x 0.8 = 1.0304;
#   SR = (2.5814 x 0.49 + 1.0304 x 0.51) x 0.97 x 0.95 = 1.6498, EI 3.0: critical
# dba-zinc GS only 0.3^2 x 5.6 = 0.504, SR 0.504 x 0.7 x 0.9 = 0.3175, EI 2.0: not critical
# lithium (shipped, no figures) GS 0.15^2 x 6.0 + 0.05^2 x 2.8 x 1.2 = 0.1434, SR unknown
material_risk_check() {
	q "$1" "SELECT string_agg(concat_ws(' ', material, hhi_wgi_gs, hhi_wgi_eu, method, supply_risk, critical), '; ' ORDER BY material)
	        FROM supplychain.material_risk WHERE material IN ('dba-graphite', 'dba-zinc', 'lithium')"
}
material_risk_want='dba-graphite 2.5814 1.0304 GS and EU 1.6498 t; dba-zinc 0.5040 GS only 0.3175 f; lithium 0.1434 GS only'
same "source: material_risk sees the user's materials, shares and governance scores (hand-computed)" \
	"$(material_risk_check dba_src)" "$material_risk_want"

"$bindir/pg_dump" -Fc -d dba_src -f "$work/src.dump" 2>"$work/err"
quiet_ok "pg_dump -Fc" $? "$work/err"
note "archive: $("$bindir/pg_restore" -l "$work/src.dump" | grep -c 'TABLE DATA supplychain') TABLE DATA entries of the extension's tables"

# table and number of shipped rows, from a fingerprint
builtin_counts() { sed -n -E 's/^table ([^ ]+) rows=[0-9]+ builtin=([0-9]+) .*/\1 \2/p'; }
# verify_restore DB LABEL [user]: the restored database holds what the source
# held (and the user objects outside the extension, with "user")
verify_restore() {
	local db=$1 label=$2
	fingerprint "$db" >"$work/fp_$db"
	same_file "$label: all $(grep -c '^table ' "$work/fp_src") tables (rows, shipped/user split, md5 of all rows) and $(grep -c '^view ' "$work/fp_src") views (md5 of all rows) as in the source" \
		"$work/fp_src" "$work/fp_$db"
	same "$label: share_total equals the sum of known shares per key (triggers ran on restore)" \
		"$(share_total_mismatches "$db")" 0
	state_verifies "$label: verify_state() returns no rows (the state, not dumped, was rebuilt as the rows arrived)" "$db"
	same "$label: the changed weight is restored, once, as a user row" \
		"$(q "$db" "SELECT string_agg(value || ' builtin=' || builtin, ';') FROM supplychain.weight WHERE name = 'alignment.concern'")" \
		"0.9 builtin=false"
	# a fresh install's shipped rows, less the one weight the user changed
	same "$label: shipped rows per table as in a fresh install (less the changed weight and rule): none duplicated, none lost" \
		"$(builtin_counts <"$work/fp_$db" | tr '\n' ' ')" \
		"$(builtin_counts <"$work/fp_fresh" | awk '$1 == "weight" || $1 == "watch" { $2 -= 1 } 1' | tr '\n' ' ')"
	if [ -n "${3:-}" ]; then
		user_objects "$db" >"$work/uo_$db"
		same_file "$label: user table, indexes and view outside the extension as in the source" "$work/uo_src" "$work/uo_$db"
	fi
}

newdb dba_restored
"$bindir/pg_restore" -d dba_restored "$work/src.dump" 2>"$work/err"
quiet_ok "pg_restore into a fresh database: exit 0, no error or warning" $? "$work/err"
verify_restore dba_restored "pg_restore" user

newdb dba_plain
"$bindir/pg_dump" -Fp -d dba_src 2>"$work/err" | sc_psql -d dba_plain >/dev/null 2>>"$work/err"
quiet_ok "plain pg_dump | psql -v ON_ERROR_STOP=1" $? "$work/err"
verify_restore dba_plain "plain dump" user

# pg_restore -j loads TABLE DATA entries concurrently: pg_dump orders the
# extension's tables by their foreign keys but records no dependency between
# their data entries, so a parallel data section can fail.  The sections
# apart: parallel schema and indexes, serial data.
newdb dba_sections
{
	"$bindir/pg_restore" --section=pre-data -j 2 -d dba_sections "$work/src.dump" &&
		"$bindir/pg_restore" --section=data -d dba_sections "$work/src.dump" &&
		"$bindir/pg_restore" --section=post-data -j 2 -d dba_sections "$work/src.dump"
} 2>"$work/err"
quiet_ok "pg_restore by section (pre-data -j 2, data serial, post-data -j 2)" $? "$work/err"
verify_restore dba_sections "sectioned restore" user

"$bindir/pg_dump" -Fc --data-only -n supplychain -d dba_src -f "$work/data.dump" 2>"$work/err"
quiet_ok "pg_dump --data-only -n supplychain (users' rows only)" $? "$work/err"
newdb dba_dataonly && sc_psql -d dba_dataonly -c "CREATE EXTENSION supplychain"
# a data-only restore needs the tables outside the extension: trade_flow's
# partitions, one per year, made as the README says (trade_flow_year())
years=$(q dba_src "SELECT string_agg(DISTINCT year::text, ',') FROM supplychain.trade_flow")
make_years() { [ -z "$years" ] || sc_psql -d "$1" -c "SELECT supplychain.trade_flow_year(y) FROM unnest('{$years}'::integer[]) y" >/dev/null; }
make_years dba_dataonly
"$bindir/pg_restore" --data-only -d dba_dataonly "$work/data.dump" 2>"$work/err"
quiet_ok "pg_restore --data-only into a database that already has the extension" $? "$work/err"
verify_restore dba_dataonly "data-only restore"

# The same data-only restore with --disable-triggers (ALTER TABLE ... DISABLE
# TRIGGER ALL around each table's data): the user's rows arrive, the state
# and share_total, which pg_dump does not keep, stay as the shipped rows left
# them.  verify_state() must see that, and rebuild_state(), the documented
# repair, must make the database the source's.  The weight and watch tables
# go through an ordinary restore first (with source, which the user's rules
# cite): the user's row named like a shipped default takes that default over
# through its trigger (weight_ownership, watch_ownership), and without the
# trigger it would collide with it (a duplicate key).
"$bindir/pg_restore" -l "$work/data.dump" >"$work/data.toc"
grep -E ' TABLE DATA supplychain (source|weight|watch) ' "$work/data.toc" >"$work/data_weight.toc"
grep -v -E ' TABLE DATA supplychain (source|weight|watch) ' "$work/data.toc" >"$work/data_rest.toc"
newdb dba_notrig && sc_psql -d dba_notrig -c "CREATE EXTENSION supplychain"
make_years dba_notrig
{
	"$bindir/pg_restore" --data-only -L "$work/data_weight.toc" -d dba_notrig "$work/data.dump" &&
		"$bindir/pg_restore" --data-only --disable-triggers -L "$work/data_rest.toc" -d dba_notrig "$work/data.dump"
} 2>"$work/err"
quiet_ok "pg_restore --data-only --disable-triggers ($(grep -c 'TABLE DATA' "$work/data_rest.toc") tables; source, weight and watch, $(grep -c 'TABLE DATA' "$work/data_weight.toc") entries, with their triggers)" $? "$work/err"
same "--disable-triggers: the user's rows are there (dependency rows as in the source)" \
	"$(q dba_notrig "SELECT count(*) FROM supplychain.dependency")" "$(q dba_src "SELECT count(*) FROM supplychain.dependency")"
state_stale "--disable-triggers: the state is detectably stale: verify_state() returns rows" dba_notrig
rebuilt=$(q dba_notrig "SELECT supplychain.rebuild_state()" 2>&1)
if [[ "$rebuilt" =~ ^[0-9]+$ ]] && [ "$rebuilt" -gt 0 ]; then
	ok "--disable-triggers: SELECT supplychain.rebuild_state() ($rebuilt (country, stage) pairs with state)"
else
	not_ok "--disable-triggers: SELECT supplychain.rebuild_state(): $rebuilt"
fi
same "--disable-triggers, then rebuild_state(): as many pairs with state as the source" \
	"$rebuilt" "$(q dba_src "SELECT count(*) FROM supplychain.stage_state")"
verify_restore dba_notrig "--disable-triggers, then rebuild_state()"

# ---------------------------------------------------------------------------
# the user rows of every dump-registered table, over the columns it has now:
# run before and after an update, the two outputs must match
user_rows_queries() {
	q "$1" "
	SELECT format('SELECT %L || %L || count(*) || %L || coalesce(md5(string_agg(r::text, %L ORDER BY r::text)), %L)
	               FROM (SELECT %s FROM %s %s) r;',
	              cfg::regclass::text, ' rows=', ' md5=', ',', 'empty', cols, cfg::regclass, cond)
	FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond),
	     LATERAL (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS cols
	              FROM pg_attribute WHERE attrelid = cfg AND attnum > 0 AND NOT attisdropped) a
	WHERE e.extname = 'supplychain' AND cfg <> 'supplychain.country'::regclass ORDER BY cfg::regclass::text"
}
# the user's countries: an update that ships a code takes the user's row
# over as the shipped one, so they are compared by code, shipped or not
user_country_codes() {
	q "$1" "SELECT coalesce(string_agg(code, ' ' ORDER BY code), '') FROM supplychain.country WHERE NOT builtin"
}
binary_upgrade_schema() {
	# every member's DDL as pg_upgrade would recreate it, less OIDs, xids and
	# the session key; entries sorted, as pg_dump's order follows OIDs and
	# the user's objects, which differ between the two databases (trade_flow's
	# partitions are the user's tables: left out)
	"$bindir/pg_dump" --binary-upgrade --schema-only -N public -N dba_tools \
		-T 'supplychain.trade_flow_[0-9][0-9][0-9][0-9]' -d "$1" |
		grep -v -E '^\\(un)?restrict |binary_upgrade_set_next_|relfrozenxid = |^WHERE oid = '\''[0-9]+'\'';$' |
		sed -E "s/'\{[0-9,]+\}'/'{oids}'/" |
		python3 -c 'import sys; s = "\n--\n-- Name: "; print(s.join(sorted(sys.stdin.read().split(s))))'
}
pgxs=$("$PG_CONFIG" --pgxs)
pg_regress="$(dirname "$pgxs")/../../src/test/regress/pg_regress"
mapfile -t regress_tests < <(for f in sql/*.sql; do basename "$f" .sql; done | sort)
have_amcheck=$(q postgres "SELECT count(*) FROM pg_available_extensions WHERE name = 'amcheck'")

# The negative control of the two comparisons below: a copy of the fresh
# install that differs in one comment.  Compared with an upgraded database as
# the fresh install is, it must differ there, and only there.
plant="COMMENT ON VIEW supplychain.stage_risk IS 'planted'"
"$bindir/createdb" -T dba_fresh dba_planted && dbs+=(dba_planted)
sc_psql -d dba_planted -c "$plant"
sc_psql -At -d dba_planted -f "$dir/catalog.sql" >"$work/catalog_planted"
binary_upgrade_schema dba_planted >"$work/bu_planted"
# only_one_side FILE1 FILE2 [SEPARATOR]: each entry (a line, or a part between
# SEPARATORs: its first line and its first SQL line) found in one file and not
# the other, "<" for FILE1, ">" for FILE2
only_one_side() {
	python3 - "$@" <<-'EOF'
		import collections, sys
		sep = sys.argv[3] if len(sys.argv) > 3 else "\n"
		a, b = (collections.Counter(open(f).read().split(sep)) for f in sys.argv[1:3])
		for mark, only in (("<", a - b), (">", b - a)):
		    for entry in sorted(only.elements()):
		        lines = entry.strip("\n").split("\n")
		        sql = [l for l in lines[1:] if l and not l.startswith("--")]
		        print(mark, (lines[0] + (" | " + sql[0] if sql else ""))[:200])
	EOF
}
# planted DESCRIPTION FILE1 FILE2 PATTERN [SEPARATOR]: the comparison of
# same_file finds FILE1 (the planted copy) and FILE2 differ, and only in one
# entry on each side, both matching PATTERN: the planted one and the original
planted() {
	local what=$1 a=$2 b=$3 re=$4 sep=${5:-$'\n'} found
	found=$(only_one_side "$a" "$b" "$sep")
	if ! diff -q "$a" "$b" >/dev/null && [ "$(grep -c . <<<"$found")" -eq 2 ] &&
		grep -qE "^< $re.*planted" <<<"$found" && grep -qE "^> $re" <<<"$found"; then
		ok "$what"
	else
		not_ok "$what"
	fi
	note "  the comparison reports (< the planted copy, > the upgraded database):"
	sed 's/^/    /' <<<"$found" | note
}

for v in "${older[@]}"; do
	section "upgrade from $v to $default"
	db=dba_up_${v//[^0-9A-Za-z]/_}
	newdb "$db"
	sc_psql -d "$db" -c "CREATE EXTENSION supplychain VERSION '$v'" -f "$dir/types_user_data.sql" 2>"$work/err"
	quiet_ok "$v: CREATE EXTENSION VERSION '$v'; a user table on the types with btree and hash indexes, and a view" $? "$work/err"
	if [ "$(q "$db" "SELECT coalesce(cardinality(extconfig), 0) FROM pg_extension WHERE extname = 'supplychain'")" -gt 0 ]; then
		sc_psql -d "$db" -f "$dir/user_data.sql" 2>"$work/err"
		quiet_ok "$v: user rows in the extension's tables ($dir/user_data.sql)" $? "$work/err"
	else
		note "$v has no tables of its own: user data is the table on the types"
	fi
	user_rows_queries "$db" >"$work/user_rows_$db.sql"
	{ sc_psql -At -d "$db" -f "$work/user_rows_$db.sql"; user_objects "$db"; } >"$work/before_$db"
	countries_before=$(user_country_codes "$db")

	had_material=$(q "$db" "SELECT to_regclass('supplychain.material') IS NOT NULL")
	had_trade=$(q "$db" "SELECT to_regclass('supplychain.trade_flow') IS NOT NULL")
	sc_psql -d "$db" -c "ALTER EXTENSION supplychain UPDATE" 2>"$work/err"
	quiet_ok "$v: ALTER EXTENSION supplychain UPDATE" $? "$work/err"
	same "$v: extversion is the default_version" \
		"$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'supplychain'")" "$default"
	state_verifies "$v: verify_state() returns no rows after the update (an update from before 0.6.0 ends with rebuild_state())" "$db"
	{ sc_psql -At -d "$db" -f "$work/user_rows_$db.sql"; user_objects "$db"; } >"$work/after_$db"
	same_file "$v: user rows (over their old columns), user table, indexes and view unchanged by the update" \
		"$work/before_$db" "$work/after_$db"
	same "$v: the user's countries ($countries_before) kept, as shipped rows where the update ships the code" \
		"$(q "$db" "SELECT coalesce(string_agg(code, ' ' ORDER BY code), '') FROM supplychain.country
		            WHERE code = ANY (string_to_array('$countries_before', ' '))")" "$countries_before"
	# tables the update created take the user's rows beside the old ones
	# (which they reference: user countries, sector and source)
	if [ -s "$work/user_rows_$db.sql" ] && [ "$had_material" = f ]; then
		sc_psql -d "$db" -f "$dir/user_data_material.sql" 2>"$work/err"
		quiet_ok "$v: user rows in the tables the update created ($dir/user_data_material.sql)" $? "$work/err"
		same "$v: material_risk on the updated database sees them (hand-computed)" \
			"$(material_risk_check "$db")" "$material_risk_want"
	fi
	if [ -s "$work/user_rows_$db.sql" ] && [ "$had_trade" = f ] &&
		[ "$(q "$db" "SELECT to_regclass('supplychain.trade_flow') IS NOT NULL")" = t ]; then
		sc_psql -d "$db" -f "$dir/user_data_trade.sql" >/dev/null 2>"$work/err"
		quiet_ok "$v: user rows in the trade tables the update created ($dir/user_data_trade.sql)" $? "$work/err"
	fi

	sc_psql -At -d "$db" -f "$dir/catalog.sql" >"$work/catalog_$db"
	same_file "$v: catalog of the extension's members ($dir/catalog.sql) as in a fresh install" \
		"$work/catalog_fresh" "$work/catalog_$db"
	binary_upgrade_schema dba_fresh >"$work/bu_fresh"
	binary_upgrade_schema "$db" >"$work/bu_$db"
	same_file "$v: pg_dump --binary-upgrade --schema-only (every member's DDL) as in a fresh install" \
		"$work/bu_fresh" "$work/bu_$db"
	planted "$v: negative control: with $plant in the fresh install, the catalog comparison reports that comment, and only it" \
		"$work/catalog_planted" "$work/catalog_$db" "comment view supplychain\.stage_risk: "
	planted "$v: negative control: so does the pg_dump --binary-upgrade comparison" \
		"$work/bu_planted" "$work/bu_$db" "VIEW stage_risk; Type: COMMENT; Schema: supplychain;" $'\n--\n-- Name: '

	explain=$(sc_psql -At -d "$db" -c "SET search_path = public, supplychain" -c "SET enable_seqscan = off" \
		-c "EXPLAIN (COSTS OFF) SELECT count(*) FROM public.dba_ratings WHERE rating = 'weak' AND score >= 'positive'")
	if grep -q 'dba_ratings_rating_score' <<<"$explain"; then
		ok "$v: the btree index on (stage_rating, impact_score) is still used"
	else
		not_ok "$v: the btree index is not used:"$'\n'"$explain"
	fi
	counts="SELECT count(*) FILTER (WHERE rating = 'weak' AND score >= 'positive') || ' ' ||
	        count(*) FILTER (WHERE score = 'neutral') || ' ' || count(*) FILTER (WHERE rating < 'satisfactory')
	        FROM public.dba_ratings"
	by_index=$(sc_psql -At -d "$db" -c "SET search_path = public, supplychain" -c "SET enable_seqscan = off" -c "$counts" 2>&1)
	by_seqscan=$(sc_psql -At -d "$db" -c "SET search_path = public, supplychain" -c "SET enable_indexscan = off" \
		-c "SET enable_bitmapscan = off" -c "$counts" 2>&1)
	if [[ "$by_index" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]] && [ "$by_index" = "$by_seqscan" ]; then
		ok "$v: with and without index scans the same counts ($by_index)"
	else
		not_ok "$v: index scans give '$by_index', a sequential scan '$by_seqscan'"
	fi
	if [ "$have_amcheck" = 1 ]; then
		checked=$(sc_psql -At -d "$db" -c "CREATE SCHEMA dba_tools" -c "CREATE EXTENSION amcheck SCHEMA dba_tools" -c "
			SELECT string_agg(c.relname, ' ' ORDER BY c.relname)
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
			CROSS JOIN LATERAL dba_tools.bt_index_check(c.oid, true)
			WHERE am.amname = 'btree' AND c.relnamespace IN ('public'::regnamespace, 'supplychain'::regnamespace)" 2>&1)
		if [ $? -eq 0 ]; then
			ok "$v: amcheck bt_index_check(heapallindexed) passes on every btree index of the user's and the extension's tables ($(wc -w <<<"$checked") indexes)"
		else
			not_ok "$v: amcheck: $checked"
		fi
	else
		note "amcheck is not available: index structure not checked"
	fi

	# the suites count the shipped rows: take the user's rows out of the
	# extension's tables (and the user objects that reference them) and put
	# the shipped weight back, then the data must be a fresh install's.  The
	# user changed that weight in place (it became a user row, still
	# undeletable as a default the views need), so the cleanup runs in
	# maintenance mode, as the upgrade scripts do: it deletes the changed
	# default and re-creates the shipped row.
	sc_psql -d "$db" 2>"$work/err" <<-'EOF'
		SET client_min_messages = warning;
		SET supplychain.maintenance = on;
		DROP VIEW IF EXISTS public.dba_weak_stages;
		DROP TABLE IF EXISTS public.dba_supplier_rating;
		-- trade_flow's partitions (0.8.0): the user's tables, with their rows
		DO $$
		DECLARE
		    p regclass;
		BEGIN
		    IF to_regclass('supplychain.trade_flow') IS NOT NULL THEN
		        FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'supplychain.trade_flow'::regclass LOOP
		            EXECUTE format('DROP TABLE %s', p);
		        END LOOP;
		    END IF;
		END
		$$;
		DO $$
		DECLARE
		    cfg regclass;
		    cond text;
		    blocked integer;
		BEGIN
		    FOR pass IN 1 .. 20 LOOP    -- until no foreign key holds a row back
		        blocked := 0;
		        -- the registered condition selects the user's rows (trade_flow: all)
		        FOR cfg, cond IN SELECT u.cfg, u.cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(cfg, cond)
		                         WHERE e.extname = 'supplychain' LOOP
		            BEGIN
		                EXECUTE format('DELETE FROM %s %s', cfg, cond);
		            EXCEPTION WHEN foreign_key_violation THEN
		                blocked := blocked + 1;
		            END;
		        END LOOP;
		        EXIT WHEN blocked = 0;
		    END LOOP;
		    IF blocked > 0 THEN
		        RAISE EXCEPTION 'user rows of % tables are still referenced', blocked;
		    END IF;
		    -- share_total keeps a row for every key it has seen: drop the user's keys
		    EXECUTE (SELECT format('DELETE FROM supplychain.share_total t WHERE NOT EXISTS
		                            (SELECT FROM supplychain.dependency d WHERE %s)',
		                           string_agg(format('d.%1$I = t.%1$I', attname), ' AND '))
		             FROM pg_attribute WHERE attrelid = 'supplychain.share_total'::regclass
		               AND attnum > 0 AND NOT attisdropped
		               AND attnum = ANY ((SELECT conkey FROM pg_constraint
		                                  WHERE conrelid = 'supplychain.share_total'::regclass AND contype = 'p')::int2[]));
		END
		$$;
	EOF
	# a shipped row the user changed became the user's, and went with the
	# user rows: the shipped one comes back (weight; watch since 0.10.0)
	for shipped in weight watch; do
		if [ -n "$(q "$db" "SELECT to_regclass('supplychain.$shipped')")" ]; then
			q dba_fresh "COPY (SELECT * FROM supplychain.$shipped WHERE builtin) TO STDOUT" |
				sc_psql -d "$db" -c "CREATE TEMP TABLE w (LIKE supplychain.$shipped)" -c "COPY w FROM STDIN" \
					-c "SET supplychain.maintenance = on" \
					-c "INSERT INTO supplychain.$shipped SELECT * FROM w WHERE name NOT IN (SELECT name FROM supplychain.$shipped)" \
					2>>"$work/err"
		fi
	done
	quiet_ok "$v: user rows taken out of the extension's tables" $? "$work/err"
	fingerprint "$db" >"$work/fp_$db"
	same_file "$v: shipped data, share_total and views as in a fresh install" "$work/fp_fresh" "$work/fp_$db"
	same "$v: share_total equals the sum of known shares per key" "$(share_total_mismatches "$db")" 0
	state_verifies "$v: verify_state() returns no rows after the user rows were taken out" "$db"

	# pgTAP first: the regression suites leave user rows' traces behind
	sc_psql -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pgtap" 2>"$work/err"
	if pg_prove -d "$db" test/pgtap/*.sql >"$work/prove.log" 2>&1; then
		ok "$v: pg_prove test/pgtap on the updated database ($(tail -n 1 "$work/prove.log"))"
	else
		not_ok "$v: pg_prove test/pgtap on the updated database"
		sed 's/^/#   /' "$work/err" "$work/prove.log"
	fi
	# from the output directory: the suites \copy to and from results/
	mkdir -p "$work/regress_$db"
	if (cd "$work/regress_$db" && "$pg_regress" --inputdir="$top" --outputdir=. --bindir="$bindir" \
		--use-existing --dbname="$db" "${regress_tests[@]}") >"$work/regress.log" 2>&1; then
		ok "$v: pg_regress (${regress_tests[*]}) on the updated database"
	else
		not_ok "$v: pg_regress on the updated database"
		sed 's/^/#   /' "$work/regress.log"
		sed -n '1,80p' "$work/regress_$db/regression.diffs" 2>/dev/null | sed 's/^/#   /'
	fi
done

# ---------------------------------------------------------------------------
section "DROP EXTENSION and CREATE again"
newdb dba_drop
sc_psql -d dba_drop 2>"$work/err" <<-'EOF'
	CREATE EXTENSION supplychain;
	CREATE TABLE public.dba_plan (id integer PRIMARY KEY, rating supplychain.stage_rating);
	INSERT INTO public.dba_plan VALUES (1, 'weak'), (2, 'very weak'), (3, NULL);
	CREATE TABLE public.dba_scores (id integer PRIMARY KEY, score supplychain.impact_score);
	INSERT INTO public.dba_scores VALUES (1, '+2');
	CREATE VIEW public.dba_us_risk AS SELECT * FROM supplychain.country_risk WHERE country = 'US';
	INSERT INTO supplychain.country (code, name) VALUES ('XM', 'User land');
EOF
quiet_ok "a database with user tables on both types, a view on a risk view and a user row" $? "$work/err"
sc_psql -d dba_drop -v VERBOSITY=verbose -c "DROP EXTENSION supplychain" >/dev/null 2>"$work/err"
rc=$?
if [ $rc -ne 0 ] && grep -q '^ERROR:  2BP01: cannot drop extension supplychain because other objects depend on it$' "$work/err" &&
	grep -q 'column rating of table dba_plan depends on type supplychain.stage_rating' "$work/err" &&
	grep -q 'column score of table dba_scores depends on type supplychain.impact_score' "$work/err" &&
	grep -q 'view dba_us_risk depends on view supplychain.country_risk' "$work/err" &&
	grep -q '^HINT:  Use DROP ... CASCADE' "$work/err"; then
	ok "DROP EXTENSION without CASCADE fails with 2BP01, names each dependent column and view, hints CASCADE"
else
	not_ok "DROP EXTENSION without CASCADE (exit $rc)"
	sed 's/^/#   /' "$work/err"
fi
same "after the refused DROP: extension, user rows and view intact" \
	"$(q dba_drop "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'supplychain')
	               || ' ' || (SELECT count(*) FROM public.dba_plan WHERE rating IS NOT NULL)
	               || ' ' || (SELECT count(*) FROM supplychain.country WHERE NOT builtin)
	               || ' ' || (SELECT count(*) > 0 FROM public.dba_us_risk)")" "$default 2 1 true"
sc_psql -d dba_drop -c "DROP EXTENSION supplychain CASCADE" >/dev/null 2>"$work/notices"
rc=$?
grep -v '^NOTICE: \|^DETAIL: \|^drop cascades to ' "$work/notices" >"$work/err"
quiet_ok "DROP EXTENSION supplychain CASCADE ($(grep -c 'drop cascades to\|^DETAIL' "$work/notices") notice lines)" $rc "$work/err"
same "after CASCADE: no extension, nothing left in schema supplychain; user tables keep their other columns; the view is gone" \
	"$(q dba_drop "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'supplychain')
	               || ' ' || (SELECT count(*) FROM pg_class WHERE relnamespace::regnamespace::text = 'supplychain')
	                        + (SELECT count(*) FROM pg_type WHERE typnamespace::regnamespace::text = 'supplychain')
	                        + (SELECT count(*) FROM pg_proc WHERE pronamespace::regnamespace::text = 'supplychain')
	                        + (SELECT count(*) FROM pg_operator WHERE oprnamespace::regnamespace::text = 'supplychain')
	               || ' ' || (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
	                          WHERE attrelid = 'public.dba_plan'::regclass AND attnum > 0 AND NOT attisdropped)
	               || ' ' || (SELECT count(*) FROM public.dba_plan)
	               || ' ' || (SELECT count(*) FROM public.dba_scores)
	               || ' ' || (to_regclass('public.dba_us_risk') IS NULL)")" "0 0 id 3 1 true"
note "schema supplychain after DROP: $(q dba_drop "SELECT CASE WHEN to_regnamespace('supplychain') IS NULL THEN 'dropped with the extension' ELSE 'kept, empty (CREATE EXTENSION made it; it is not a member)' END")"
sc_psql -d dba_drop -c "CREATE EXTENSION supplychain" 2>"$work/err"
quiet_ok "CREATE EXTENSION supplychain after DROP ... CASCADE" $? "$work/err"
same "re-created at the default_version" "$(q dba_drop "SELECT extversion FROM pg_extension WHERE extname = 'supplychain'")" "$default"
state_verifies "re-created: verify_state() returns no rows" dba_drop
fingerprint dba_drop >"$work/fp_dba_drop"
same_file "re-created: shipped data and views as in a fresh install (the user's rows went with the extension)" \
	"$work/fp_fresh" "$work/fp_dba_drop"
sc_psql -d dba_drop -c "CREATE TABLE public.dba_again (r supplychain.stage_rating)" -c "INSERT INTO public.dba_again VALUES ('satisfactory')" 2>"$work/err"
quiet_ok "the re-created types are usable in user tables" $? "$work/err"

# ---------------------------------------------------------------------------
section "PGXN: META.json and the release archive"
server_version=$(q postgres "SHOW server_version_num")
control_comment=$(sed -n "s/^[[:space:]]*comment[[:space:]]*=[[:space:]]*'\(.*\)'[[:space:]]*$/\1/p" supplychain.control | sed "s/''/'/g")
meta_out=$(python3 - "$default" "$control_comment" "$server_version" <<-'EOF'
	import json, os, re, sys
	default, comment, server = sys.argv[1], sys.argv[2], int(sys.argv[3])
	semver = re.compile(r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$')
	licenses = {'agpl_3', 'apache_1_1', 'apache_2_0', 'artistic_1', 'artistic_2', 'bsd', 'freebsd', 'gfdl_1_2',
	            'gfdl_1_3', 'gpl_1', 'gpl_2', 'gpl_3', 'lgpl_2_1', 'lgpl_3_0', 'mit', 'mozilla_1_0', 'mozilla_1_1',
	            'openssl', 'perl_5', 'postgresql', 'qpl_1_0', 'ssleay', 'sun', 'zlib', 'open_source', 'restricted',
	            'unrestricted', 'unknown'}
	def check(desc, cond):
	    print(('ok - ' if cond else 'not ok - ') + desc)
	try:
	    m = json.load(open('META.json'))
	except Exception as e:
	    check('META.json is valid JSON (%s)' % e, False)
	    sys.exit(0)
	check('META.json is valid JSON', True)
	missing = [k for k in ('name', 'abstract', 'version', 'maintainer', 'license', 'provides', 'meta-spec') if k not in m]
	check('META.json has the mandatory keys of meta-spec 1.0.0%s' % (': missing ' + ', '.join(missing) if missing else ''), not missing)
	check('meta-spec version is 1.0.0', m.get('meta-spec', {}).get('version') == '1.0.0')
	check('name is the extension name (supplychain)', m.get('name') == 'supplychain')
	check('version %r is a semantic version' % m.get('version'), bool(semver.match(str(m.get('version')))))
	check('version %r equals the control file default_version %r' % (m.get('version'), default), m.get('version') == default)
	p = m.get('provides', {}).get('supplychain', {})
	check('provides.supplychain.version %r equals default_version %r' % (p.get('version'), default), p.get('version') == default)
	check('provides.supplychain.file %r exists' % p.get('file'), bool(p.get('file')) and os.path.isfile(p.get('file', '')))
	check('provides.supplychain.docfile %r exists' % p.get('docfile'), 'docfile' not in p or os.path.isfile(p['docfile']))
	check('abstract is the control file comment', m.get('abstract') == comment and p.get('abstract', comment) == comment)
	lic = m.get('license')
	if isinstance(lic, dict):
	    lic_ok = bool(lic) and all(isinstance(u, str) and u for u in lic.values())
	else:
	    lic_ok = bool(lic) and all(l in licenses for l in ([lic] if isinstance(lic, str) else lic))
	check('license %r is a meta-spec license' % (lic,), lic_ok)
	maint = m.get('maintainer')
	check('maintainer is a non-empty string or list', bool(maint) and (isinstance(maint, str) or all(isinstance(x, str) and x for x in maint)))
	pg = m.get('prereqs', {}).get('runtime', {}).get('requires', {}).get('PostgreSQL')
	ok_pg = bool(pg) and bool(semver.match(pg))
	if ok_pg:
	    major, minor, _ = (int(x) for x in pg.split('.')[:3])
	    need = major * 10000 + minor if major >= 10 else major * 10000 + minor * 100
	    ok_pg = need <= server
	check('prereqs.runtime.requires.PostgreSQL %r is a version this server (%d) satisfies' % (pg, server), ok_pg)
	for phase, rels in m.get('prereqs', {}).items():
	    for rel, reqs in rels.items():
	        bad = [k for k, val in reqs.items() if not (val == 0 or (isinstance(val, str) and re.match(r'^([<>!=]=?\s*)?\d', val)))]
	        check('prereqs.%s.%s versions are version ranges' % (phase, rel), not bad)
	check('release_status is stable, testing or unstable', m.get('release_status', 'stable') in ('stable', 'testing', 'unstable'))
	check('tags are strings of 1..255 characters', all(isinstance(t, str) and 0 < len(t) < 256 for t in m.get('tags', [])))
EOF
)
relay <<<"$meta_out"

# The archive make dist builds (see the Makefile's dist target): git archive
# of HEAD, prefixed supplychain-VERSION/, zip.  It must hold what PGXN and
# PGXS need and build on its own.
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	zip="$work/supplychain-$default.zip"
	if git -C "$top" archive --format=zip --prefix="supplychain-$default/" -o "$zip" HEAD 2>"$work/err"; then
		ok "git archive --format=zip --prefix=supplychain-$default/ HEAD (what make dist runs)"
		python3 -c 'import sys, zipfile; [print(n) for n in zipfile.ZipFile(sys.argv[1]).namelist()]' "$zip" >"$work/zip.list"
		missing=""
		uncommitted=""
		for f in META.json supplychain.control Makefile README.md src/upgrade/supplychain--*.sql src/sql/*.sql src/*.c; do
			if ! grep -qxF "supplychain-$default/$f" "$work/zip.list"; then
				if git -C "$top" cat-file -e "HEAD:$f" 2>/dev/null; then missing+=" $f"; else uncommitted+=" $f"; fi
			fi
		done
		same "the archive holds META.json, the control file, Makefile, README.md, every frozen script, SQL layer and C source" "$missing" ""
		[ -n "$uncommitted" ] && note "not committed yet, so not in an archive of HEAD:$uncommitted"
		mkdir -p "$work/dist"
		(cd "$work/dist" && python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall()' "$zip")
		if make -s -C "$work/dist/supplychain-$default" PG_CONFIG="$PG_CONFIG" >"$work/build.log" 2>&1; then
			ok "the archive builds on its own with PGXS (make, -Werror)"
		else
			not_ok "the archive does not build on its own"
			sed -n '1,30p' "$work/build.log" | sed 's/^/#   /'
		fi
	else
		not_ok "git archive of HEAD"
		sed 's/^/#   /' "$work/err"
	fi
else
	note "not a git work tree: release archive not checked"
fi

note "dba.sh: $((tap_tests - tap_failed)) passed, $tap_failed failed ($((SECONDS - started)) s)"
done_testing
