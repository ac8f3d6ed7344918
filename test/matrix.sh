#!/usr/bin/env bash
# matrix.sh - make test against other PostgreSQL major versions, each in a
# Debian chroot of its own with Debian's packages of that server: 17 from
# trixie, 18 from forky.  make test-matrix runs them all, make test-matrix
# PG=17 one.  Needs root (debootstrap, chroot, mount) and Debian's archive.
#
# The chroots are cached outside the checkout (SC_MATRIX_CACHE, default
# /var/cache/supplychain-matrix): the first run builds each with debootstrap
# (several minutes, in parallel), later runs reuse it.  Each run copies the
# working tree (tracked and untracked files, not the ignored ones) into the
# chroot and runs the project's own make test there, which installs what the
# tests need for that server inside the chroot.  The logs stay in the cache
# directory (pgNN/test.log).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SC_MATRIX_CACHE:-/var/cache/supplychain-matrix}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(17 18)

say() { printf '\n== %s\n' "$*"; }
die() { echo "matrix: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mount)"
. "$top/test/lib/packages.sh"
apt_install_missing "for the version matrix" debootstrap || die "cannot install debootstrap"

# Debian's suite of each server; bookworm's debootstrap has no forky
# script, so forky is built with sid's (the same one under another name)
suite() {
	case $1 in
	17) echo trixie ;;
	18) echo forky /usr/share/debootstrap/scripts/sid ;;
	*) return 1 ;;
	esac
}
for v in "${versions[@]}"; do suite "$v" >/dev/null || die "no Debian suite known for PostgreSQL $v (known: 17, 18)"; done

# the archive apt already uses
mirror=${SC_MATRIX_MIRROR:-$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

# ensure_chroot V: build pgV/root once; a chroot whose build did not finish
# (no .ready) is built again
ensure_chroot() {
	local v=$1 dir=$cache/pg$1 s
	mkdir -p "$dir"
	exec {lock}>"$dir.lock"
	flock "$lock"
	if [ ! -f "$dir/.ready" ]; then
		rm -rf "$dir/root"
		read -r -a s <<<"$(suite "$v")"
		echo "debootstrap ${s[0]} for PostgreSQL $v into $dir/root (log: $dir/debootstrap.log)"
		if ! debootstrap --variant=minbase \
			--include="postgresql-$v,postgresql-server-dev-$v,make,gcc,libc6-dev,perl,python3" \
			"${s[0]}" "$dir/root" "$mirror" ${s[1]:+"${s[1]}"} >"$dir/debootstrap.log" 2>&1; then
			tail -n 20 "$dir/debootstrap.log" >&2
			return 1
		fi
		touch "$dir/.ready"
	fi
	exec {lock}>&-
}

# mounts of a chroot while its server runs, undone on every exit path
mounted=()
unmount_all() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
	mounted=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM
mount_in() {
	local root=$1
	mkdir -p "$root/proc" "$root/dev/shm" "$root/dev/pts"
	mount -t proc proc "$root/proc" && mounted+=("$root/proc")
	mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && mounted+=("$root/dev/shm")
	mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" && mounted+=("$root/dev/pts")
}

# build the missing chroots side by side (the time goes to the network)
say "chroots in $cache: ${versions[*]}"
pids=()
for v in "${versions[@]}"; do
	ensure_chroot "$v" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a chroot could not be built"; done

rc=0
declare -A result=()
for v in "${versions[@]}"; do
	root=$cache/pg$v/root
	log=$cache/pg$v/test.log
	say "PostgreSQL $v: make test in $root (log: $log)"
	# the working tree as it is, committed or not, without build products
	rm -rf "$root/build/supplychain"
	mkdir -p "$root/build/supplychain"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat --printf '%n\0' 2>/dev/null |
		tar --null -T - -cf -) | tar -xf - -C "$root/build/supplychain"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	# a testing suite's Release file expires within weeks; an archive that is
	# a dated snapshot serves it expired, and apt then refuses the suite
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99supplychain-matrix"
	mount_in "$root"
	set +e
	chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb ${PROVE_FLAGS+PROVE_FLAGS="$PROVE_FLAGS"} \
		bash -c 'cd /build/supplychain && make test' 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	set -e
	unmount_all
	summary=$(grep -E '^(Files=|Result:)' "$log" | tr '\n' ' ')
	result[$v]="exit $status: ${summary:-no summary}"
	[ "$status" -eq 0 ] || rc=1
done

say "matrix"
for v in "${versions[@]}"; do echo "PostgreSQL $v: ${result[$v]}"; done
exit $rc
