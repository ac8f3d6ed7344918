# packages.sh - install the Debian packages a stage needs, only those that
# are missing (apt needs root).  Usage: apt_install_missing WHAT PACKAGE...
# prints what it installs on stderr and returns non-zero when it cannot.
apt_install_missing() {
	local what=$1 p missing=()
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages $what: ${missing[*]} (run as root, or install them first)" >&2
		return 1
	fi
	echo "installing ${missing[*]}" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
