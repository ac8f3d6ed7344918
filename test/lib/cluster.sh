# cluster.sh - throwaway PostgreSQL clusters for the test stages (sourced).
#
# PostgreSQL refuses to run as root: a cluster belongs to an unprivileged user
# (postgres when we are root), lives in a private directory that is also its
# socket directory, listens on a free loopback port, and is stopped and
# removed on every exit path of the script that made it.
#
#   cluster_init NAME [-c name=value ...]   initdb; the options go to postgres at every start
#   cluster_start NAME [pg_ctl options]     start (on a new free port when the probed one
#                                           was taken meanwhile)
#   cluster_stop NAME [MODE [pg_ctl options]]   stop, fast by default
#   cluster_kill9 NAME                      SIGKILL the postmaster and its children at once,
#                                           and wait until none is left
#   cluster_psql NAME [psql arguments]      sc_psql (psql.sh) on it, database postgres
#   cluster_env NAME                        export PGHOST, PGPORT, PGUSER for it
#   cluster_dir NAME, cluster_port NAME     its directory (DIR/data, DIR/server.log), its port
#   cluster_adopt NAME DIR                  a running cluster made by another script (a
#                                           stage's view of the harness's): the functions
#                                           work on it, and exit leaves it running
#   cluster_restart NAME [pg_ctl options]   restart it with the options it was started with
#   cluster_on_exit COMMAND                 run COMMAND (a string) on exit too, before the
#                                           clusters stop; latest first
#   as_pg COMMAND...                        run COMMAND as the clusters' user
#
# Needs SC_BINDIR or PG_CONFIG.  It owns the EXIT trap of the script that
# sources it: add to it with cluster_on_exit.

SC_BINDIR=${SC_BINDIR:-$("${PG_CONFIG:-pg_config}" --bindir)}
. "$(dirname "${BASH_SOURCE[0]}")/psql.sh"
if [ "$(id -u)" -eq 0 ]; then cluster_user=postgres; else cluster_user=$(id -un); fi

declare -A _cl_dir=() _cl_port=() _cl_opts=()
_cl_names=()
_cl_hooks=()

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$cluster_user" -- "$@"); else "$@"; fi
}

_cl_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_cl_cleanup() {
	local rc=$? i name
	trap - EXIT
	for ((i = ${#_cl_hooks[@]} - 1; i >= 0; i--)); do
		eval "${_cl_hooks[i]}" >/dev/null 2>&1 || true
	done
	for name in "${_cl_names[@]}"; do
		as_pg "$SC_BINDIR/pg_ctl" -D "${_cl_dir[$name]}/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "${_cl_dir[$name]}"
	done
	exit "$rc"
}
trap _cl_cleanup EXIT
trap 'exit 130' INT TERM

cluster_on_exit() { _cl_hooks+=("$1"); }

cluster_dir() {
	[ -n "${_cl_dir[$1]:-}" ] || { echo "no cluster named $1" >&2; return 1; }
	echo "${_cl_dir[$1]}"
}
cluster_port() { echo "${_cl_port[$1]:-}"; }

cluster_init() {
	local name=${1:?usage: cluster_init NAME [-c name=value ...]} dir
	shift
	[ -z "${_cl_dir[$name]:-}" ] || { echo "cluster $name exists already" >&2; return 1; }
	dir=$(mktemp -d "/tmp/supplychain-$name.XXXXXX") || return 1
	_cl_dir[$name]=$dir
	_cl_opts[$name]="$*"
	_cl_names+=("$name")
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then chown "$cluster_user" "$dir"; fi
	if ! as_pg "$SC_BINDIR/initdb" -D "$dir/data" -U "$cluster_user" -A trust -E UTF8 --locale=C --no-sync \
		>"$dir/initdb.log" 2>&1; then
		echo "initdb of cluster $name failed:" >&2
		cat "$dir/initdb.log" >&2
		return 1
	fi
}

cluster_start() {
	local name=${1:?usage: cluster_start NAME [pg_ctl options]} dir try port logsize
	shift
	dir=$(cluster_dir "$name") || return 1
	for try in 1 2 3; do
		# a port found free can be taken between the probe and the start
		port=${_cl_port[$name]:-}
		if [ "$try" -gt 1 ] || [ -z "$port" ]; then port=$(_cl_free_port); fi
		logsize=$(stat -c %s "$dir/server.log" 2>/dev/null || echo 0)
		if as_pg "$SC_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 "$@" \
			-o "-k $dir -p $port -c listen_addresses=127.0.0.1 ${_cl_opts[$name]}" start >"$dir/pg_ctl.log" 2>&1; then
			_cl_port[$name]=$port
			return 0
		fi
		tail -c +$((logsize + 1)) "$dir/server.log" 2>/dev/null | grep -q 'could not bind\|Address already in use' || break
	done
	echo "cluster $name did not start:" >&2
	tail -n 20 "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null
	return 1
}

cluster_adopt() {
	local name=${1:?usage: cluster_adopt NAME DIR} dir=${2:?usage: cluster_adopt NAME DIR}
	[ -f "$dir/data/postmaster.pid" ] || { echo "no cluster running in $dir" >&2; return 1; }
	_cl_dir[$name]=$dir
	_cl_port[$name]=$(sed -n 4p "$dir/data/postmaster.pid")
}

cluster_restart() {
	local name=${1:?usage: cluster_restart NAME [pg_ctl options]} dir
	shift
	dir=$(cluster_dir "$name") || return 1
	as_pg "$SC_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -m fast "$@" restart >/dev/null
}

cluster_stop() {
	local name=${1:?usage: cluster_stop NAME [MODE [pg_ctl options]]} mode=${2:-fast} dir
	shift $(($# < 2 ? $# : 2))
	dir=$(cluster_dir "$name") || return 1
	[ -f "$dir/data/postmaster.pid" ] || return 0
	as_pg "$SC_BINDIR/pg_ctl" -D "$dir/data" -m "$mode" -w "$@" stop >/dev/null
}

# cluster_kill9 NAME: sets cluster_killed_pid and cluster_killed_children
cluster_kill9() {
	local dir pids p alive
	dir=$(cluster_dir "${1:?usage: cluster_kill9 NAME}") || return 1
	cluster_killed_pid=$(head -n 1 "$dir/data/postmaster.pid") || return 1
	pids=$(pgrep -P "$cluster_killed_pid" || true)
	cluster_killed_children=$(echo $pids | wc -w)
	kill -9 "$cluster_killed_pid" $pids
	# SIGKILL is asynchronous: wait until no process of the old server is left
	for _ in $(seq 1 100); do
		alive=0
		for p in $cluster_killed_pid $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" -eq 0 ] && break
		sleep 0.1
	done
	rm -f "$dir"/.s.PGSQL.*
	[ "$alive" -eq 0 ]
}

cluster_psql() {
	local name=${1:?usage: cluster_psql NAME [psql arguments]} dir
	shift
	dir=$(cluster_dir "$name") || return 1
	sc_psql -h "$dir" -p "${_cl_port[$name]}" -U "$cluster_user" -d postgres "$@"
}

cluster_env() {
	local dir
	dir=$(cluster_dir "${1:?usage: cluster_env NAME}") || return 1
	export PGHOST=$dir PGPORT=${_cl_port[$1]} PGUSER=$cluster_user
}
