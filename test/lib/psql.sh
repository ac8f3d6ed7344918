# psql.sh - the one psql of the test stages (sourced): no psqlrc, quiet, and
# the first error stops the script and the exit status says so.
#   sc_psql [psql arguments]    needs SC_BINDIR (or PG_CONFIG)
SC_BINDIR=${SC_BINDIR:-$("${PG_CONFIG:-pg_config}" --bindir)}
sc_psql() { "$SC_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
