#!/usr/bin/env bash
# fdw.sh - scale-out on an existing engine: the supplychain data as
# partitioned tables whose partitions are postgres_fdw foreign tables on two
# more throwaway clusters ("shards"), with OPTIONS (extensions 'supplychain').
#
# Run by test/harness.sh (make test), which exports PGHOST, PGPORT, PGUSER,
# SC_BINDIR: that cluster is the coordinator.  This stage starts the two shards
# itself with test/lib/cluster.sh, and reports TAP.
#
# Asserts (details in test/fdw/*.sql):
#  (a) comparisons on stage_rating and impact_score are in the shards' Remote
#      SQL, and are not through a server without the extensions option;
#  (b) with enable_partitionwise_aggregate, hhi(), min/max(stage_rating),
#      sum/avg/min/max(impact_score) grouped by the partition key run on each
#      shard (Remote SQL has the aggregate and GROUP BY, per partition);
#      grouped without it, nothing is aggregated remotely (PostgreSQL 15's
#      postgres_fdw pushes no partial aggregates) and the results still agree;
#  (c) the rows, the queries, country_risk's per-stage aggregation and every
#      view of the extension equal a single server's, EXCEPT ALL both ways;
#      the views three ways: run whole on the shards (pushed.*, Remote SQL
#      checked), re-created over the partitioned tables (dist.*), and as
#      shipped after loading the distributed rows into the coordinator;
#      the functions that read the tables (history at a date, multi-tier
#      exposure, disruption, heat map) re-created over the partitioned
#      tables equal a single server's; the shards do not see the
#      coordinator's supplychain.as_of;
#      inserts through the partitioned table reach the right shard, whose
#      trigger still rejects shares above 1.
# The README text on scaling this backs is the README's Scaling section.
set -uo pipefail

: "${PGHOST:?run through test/harness.sh}" "${PGPORT:?}" "${SC_BINDIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
sql=$here/fdw
bindir=$SC_BINDIR
pguser=${PGUSER:-postgres}
start=$SECONDS
. "$here/lib/tap.sh"
. "$here/lib/cluster.sh"


# Shard 1 holds these depending countries; shard 2 (the DEFAULT partition)
# all the others.
S1="'US', 'KR', 'TW', 'CN'"
# History is compared at this date: after the generated 2022 rows, before the
# 2023 rows that supersede them (test/fdw/generate.sql).
AT=2022-06-01

work=$(mktemp -d /tmp/supplychain-fdw.XXXXXX)
cluster_on_exit 'rm -rf "$work"'
cluster_on_exit 'sc_psql -d postgres -c "DROP DATABASE IF EXISTS fdw_coord WITH (FORCE)" -c "DROP DATABASE IF EXISTS fdw_single WITH (FORCE)"'

# --- two shard clusters ------------------------------------------------------
for i in 1 2; do
	check "shard $i: a cluster of its own" cluster_init "s$i" -c fsync=off -c max_connections=20 -c shared_buffers=16MB &&
		check "shard $i starts" cluster_start "s$i" -t 60 || exit 1
	note "shard $i: socket $(cluster_dir "s$i"), port $(cluster_port "s$i")"
	check "shard $i: extension, schema shard, its countries' rows" \
		cluster_psql "s$i" -At -v shard="$i" -v s1="$S1" -f "$sql/shard.sql" || exit 1
done

# --- coordinator and single-server baseline (the harness's cluster) ---------
check "coordinator and single-server databases" sc_psql -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS fdw_coord WITH (FORCE)" -c "DROP DATABASE IF EXISTS fdw_single WITH (FORCE)" \
	-c "CREATE DATABASE fdw_single" -c "CREATE DATABASE fdw_coord" \
	-c "ALTER DATABASE fdw_coord SET search_path = public, supplychain" \
	-c "ALTER DATABASE fdw_coord SET enable_partitionwise_aggregate = on" \
	-c "ALTER DATABASE fdw_coord SET enable_partitionwise_join = on" || exit 1
check "single server: the same rows in one database" sc_psql -d fdw_single -At -v at="$AT" -f "$sql/single.sql" || exit 1
check "coordinator: partitioned tables over the shards, the views and functions re-created over them" \
	sc_psql -d fdw_coord -At -v s1host="$(cluster_dir s1)" -v s1port="$(cluster_port s1)" \
	-v s2host="$(cluster_dir s2)" -v s2port="$(cluster_port s2)" \
	-v cohost="$PGHOST" -v coport="$PGPORT" -v pguser="$pguser" -v s1="$S1" \
	-f "$sql/coordinator.sql" || exit 1
check "coordinator: the queries and their plans" sc_psql -d fdw_coord -f "$sql/queries.sql" || exit 1
note "set-up: $((SECONDS - start)) s"

# --- plans: the Remote SQL ---------------------------------------------------
plans=$work/plans
mkdir -p "$plans"
for name in $(sc_psql -d fdw_coord -At -c "SELECT name FROM fdwtest.query ORDER BY name"); do
	sc_psql -d fdw_coord -At -c "SELECT line FROM fdwtest.plan WHERE name = '$name' ORDER BY n" >"$plans/$name"
done

# expect PLAN OP N REGEX WHAT: the number of plan lines matching the extended
# regular expression REGEX compares with N by OP (eq, ge).
expect() {
	local plan=$1 op=$2 want=$3 re=$4 what=$5 got
	got=$(grep -cE -- "$re" "$plans/$plan" || true)
	if case $op in eq) [ "$got" -eq "$want" ] ;; ge) [ "$got" -ge "$want" ] ;; *) false ;; esac; then
		ok "$plan: $what ($got)"
	else
		not_ok "$plan: $what: $got lines match /$re/, want $op $want"
	fi
}
show() {
	local re='Remote SQL|Relations:|Foreign Scan|Aggregate|Append|Filter:'
	case $1 in v_*) re='Remote SQL|Foreign Scan' ;; esac
	note "---- EXPLAIN VERBOSE (dist): $1"
	grep -E "$re" "$plans/$1" | sed -E 's/^ {20,}/                    /' | cut -c1-250 | sed 's/^/  /' | note
}

# (a) comparisons on the custom types are shipped
expect a_rating_lt eq 2 "^ *Remote SQL: SELECT .* WHERE .*rating OPERATOR\(supplychain\.<\) 'weak'(::supplychain\.stage_rating)?\)" \
	"rating < 'weak' in the Remote SQL of both partitions"
expect a_rating_lt eq 0 '^ *Filter:' "no local filter"
expect a_score_ge eq 2 "^ *Remote SQL: SELECT .* WHERE .*score OPERATOR\(supplychain\.>=\) 'positive'(::supplychain\.impact_score)?\)" \
	"score >= 'positive' in the Remote SQL of both partitions"
expect a_score_ge eq 2 "^ *Remote SQL: SELECT .* WHERE .*OPERATOR\(supplychain\.-\) score" \
	"unary -score in the Remote SQL of both partitions"
expect a_score_ge eq 0 '^ *Filter:' "no local filter"
expect a_noext eq 1 "^ *Filter: .*rating < 'weak'::(supplychain\.)?stage_rating" \
	"without OPTIONS (extensions ...) the comparison is a local Filter"
expect a_noext eq 0 "^ *Remote SQL: .*rating OPERATOR" "and is not in the Remote SQL"

# (b) whole aggregates per partition when grouped by the partition key
hhi='supplychain\.hhi\(share\)'
expect b_hhi_key eq 2 "^ *Remote SQL: SELECT .*$hhi.* GROUP BY " "$hhi with GROUP BY on both shards"
expect b_hhi_supplier_key eq 2 "^ *Remote SQL: SELECT .*$hhi.* GROUP BY " "$hhi with GROUP BY on both shards"
for p in s1 s2; do
	expect b_hhi_key eq 1 "^ *Relations: Aggregate on \(dist\.dependency_$p " "aggregate on partition $p"
	expect b_rating eq 1 "^ *Relations: Aggregate on \(dist\.assessment_$p " "aggregate on partition $p"
	expect b_score eq 1 "^ *Relations: Aggregate on \(dist\.policy_impact_$p " "aggregate on partition $p"
done
for agg in 'supplychain\.min\(rating\)' 'supplychain\.max\(rating\)' \
	"count\(\*\) FILTER \(WHERE \(rating OPERATOR\(supplychain\.<\) 'weak'(::supplychain\.stage_rating)?\)\)"; do
	expect b_rating eq 2 "^ *Remote SQL: SELECT .*$agg.* GROUP BY " "$agg with GROUP BY on both shards"
done
for agg in 'supplychain\.sum\(score\)' 'supplychain\.avg\(score\)' 'supplychain\.min\(score\)' 'supplychain\.max\(score\)'; do
	expect b_score eq 2 "^ *Remote SQL: SELECT .*$agg.* GROUP BY " "$agg with GROUP BY on both shards"
done
# (b) grouped without the partition key: no aggregate in any Remote SQL (a
# future postgres_fdw that pushes partial aggregates would fail here: then
# update the README's Scaling section and this check)
for plan in b_hhi_supplier b_score_horizon; do
	expect "$plan" ge 2 '^ *Remote SQL: SELECT ' "the shards are read"
	expect "$plan" eq 0 '^ *Remote SQL: .*(GROUP BY|hhi|sum\(|min\()' "nothing aggregated remotely (PostgreSQL 15: no partial aggregate pushdown)"
	expect "$plan" ge 1 '^ *(Finalize |Partial )?(Hash|Group)?Aggregate|^ *Aggregate' "aggregated on the coordinator"
done
# (c) latest row per key collapsed on the shards
expect c_current eq 2 '^ *Remote SQL: SELECT .*array_agg\(share ORDER BY as_of DESC.* GROUP BY ' "current rows on both shards"
expect c_per_stage eq 2 '^ *Remote SQL: SELECT .*array_agg\(share ORDER BY as_of DESC.* GROUP BY ' "per-stage inputs aggregated on both shards"
# the extension's views over dist: informational (see the README, Scaling)
for plan in v_country_risk v_stage_risk; do
	expect "$plan" ge 2 '^ *Remote SQL: SELECT ' "the view reads the shards"
	note "$plan: $(grep -cE '^ *Remote SQL: .*GROUP BY' "$plans/$plan" || true) Remote SQL statements with GROUP BY, $(grep -cE '^ *Remote SQL: ' "$plans/$plan" || true) in all"
done

# (c) the views computed on the shards: the view is the Remote SQL; a
# condition on the partition key prunes to one shard and is shipped with the rest
expect p_country_risk eq 2 '^ *Remote SQL: SELECT .* FROM shard\.country_risk$' "the whole view on both shards"
expect p_country_risk_us eq 1 "^ *Remote SQL: SELECT .* FROM shard\.country_risk WHERE .*country = 'US'.*sector = 'batteries'" \
	"one shard, conditions shipped"
expect p_country_risk_us eq 1 '^ *Foreign Scan on pushed\.country_risk_s1 ' "pruned to shard 1"
expect p_country_risk_us eq 0 '^ *Filter:' "no local filter"

for plan in a_rating_lt a_score_ge a_noext b_hhi_key b_rating b_score b_hhi_supplier b_score_horizon c_per_stage v_country_risk p_country_risk_us; do
	show "$plan"
done

# --- results: distributed = single server -------------------------------------
# compare.sql prints one TAP line per comparison
sc_psql -d fdw_coord -At -v at="$AT" -f "$sql/compare.sql" >"$work/compare.out" 2>"$work/compare.err"
rc=$?
relay <"$work/compare.out"
if [ "$rc" -eq 0 ]; then
	ok "compare.sql ran to its end, no comparison failed"
else
	not_ok "compare.sql ran to its end, no comparison failed (exit $rc)"
	diag <"$work/compare.err"
fi
note "fdw stage: $((SECONDS - start)) s"
done_testing
