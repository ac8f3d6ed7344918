#!/usr/bin/env bash
# scan.sh DIR - read the valgrind logs of a run: count every error, print and
# fail on those with a frame in the extension's library (supplychain.so).
set -euo pipefail
dir=$1
shopt -s nullglob
logs=("$dir"/valgrind.*.log)
total=0
ours=0
for f in "${logs[@]}"; do
	n=$(grep -c VALGRINDERROR-BEGIN "$f" || true)
	total=$((total + n))
	# print each error block that names our library
	mine=$(awk '/VALGRINDERROR-BEGIN/{b="";on=1} on{b=b $0 "\n"} /VALGRINDERROR-END/{on=0; if (b ~ /supplychain\.so/) printf "%s", b}' "$f")
	if [ -n "$mine" ]; then
		printf '%s\n' "$mine"
		ours=$((ours + $(printf '%s' "$mine" | grep -c VALGRINDERROR-BEGIN)))
	fi
done
echo "valgrind: ${#logs[@]} processes, $total errors in all, $ours in supplychain.so"
[ "${#logs[@]}" -gt 0 ] || { echo "no valgrind logs: did the server run under valgrind?"; exit 1; }
[ "$ours" -eq 0 ]
