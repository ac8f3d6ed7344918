# tap.sh - TAP output for the test stages (sourced): the lines prove reads, so
# that make test sums every stage up in one summary.
#
#   ok DESCRIPTION, not_ok DESCRIPTION   one numbered test line
#   is DESCRIPTION GOT WANT              ok when GOT equals WANT, else both are shown
#   check DESCRIPTION COMMAND...         ok when COMMAND exits 0; its output becomes
#                                        comments, its stderr is shown when it fails
#   relay [DESCRIPTION]                  the "ok ..." / "not ok ..." lines read from stdin
#                                        become tests of this stage (renumbered), the
#                                        other lines comments; returns the failures seen
#   note TEXT... or ... | note           a comment on stdout (prove -v shows it)
#   diag TEXT... or ... | diag           a comment on stderr (prove always shows it)
#   done_testing                         the plan line 1..N, last; returns 1 when a test failed
#
# Every line a stage writes to stdout is either one of these or a comment: a
# stray line starting with "ok" would count as a test.

tap_tests=0
tap_failed=0

ok() {
	tap_tests=$((tap_tests + 1))
	printf 'ok %d - %s\n' "$tap_tests" "$*"
}
not_ok() {
	tap_tests=$((tap_tests + 1))
	tap_failed=$((tap_failed + 1))
	printf 'not ok %d - %s\n' "$tap_tests" "$*"
}

# comments: the arguments, or stdin when there are none
note() {
	if [ $# -gt 0 ]; then printf '%s\n' "$*" | sed 's/^/# /'; else sed 's/^/# /'; fi
}
diag() {
	if [ $# -gt 0 ]; then printf '%s\n' "$*" | sed 's/^/# /' >&2; else sed 's/^/# /' >&2; fi
}

is() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "     got: '$2'"
		diag "    want: '$3'"
	fi
}

# check DESCRIPTION COMMAND...: COMMAND runs in this shell (no subshell), so
# that a function may set variables
check() {
	local what=$1 out err rc
	shift
	out=$(mktemp)
	err=$(mktemp)
	"$@" >"$out" 2>"$err"
	rc=$?
	note <"$out"
	if [ "$rc" -eq 0 ]; then
		ok "$what"
	else
		not_ok "$what (exit $rc)"
		head -n 40 "$err" | diag
	fi
	rm -f "$out" "$err"
	return "$rc"
}

relay() {
	local line desc before=$tap_failed
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		ok | "ok "* | "not ok" | "not ok "*)
			desc=${line#not ok}
			desc=${desc#ok}
			desc=$(printf '%s' "$desc" | sed -E 's/^[[:space:]]*[0-9]*[[:space:]]*(- )?//')
			case $line in
			not*) not_ok "$desc" ;;
			*) ok "$desc" ;;
			esac
			;;
		"#"*) printf '%s\n' "$line" ;;
		"") echo "#" ;;
		*) printf '# %s\n' "$line" ;;
		esac
	done
	return $((tap_failed - before))
}

done_testing() {
	echo "1..$tap_tests"
	[ "$tap_failed" -eq 0 ]
}
