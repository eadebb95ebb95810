# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by bench/run, bench/launcher.sh and bench/prep.sh (sourced, POSIX sh). bench/run
# exports the BENCH_* variables below before anything else runs:
#   BENCH_WORK      scratch directory of this run (rootfs, configs, run dirs, raw results)
#   BENCH_OUT       raw results ($BENCH_WORK/out)
#   BENCH_PREFIX    prefix of every container name this run makes (unique per run)
#   BENCH_CTL       the ctlaunch binary measured
#   BENCH_SETTINGS  ctlaunch settings: run dir in BENCH_WORK, no shares, no inherited variables
#   BENCH_CONFIG    the LXC config every runtime runs (rootfs, uts.name, mount.auto, net empty)
#   BENCH_ROOTFS    the busybox root filesystem it names
#   BENCH_LXCPATH   lxcpath for lxc-execute and lxc-start/lxc-stop
#   BENCH_BUNDLE    the runc bundle: lxc2oci's translation of BENCH_CONFIG
#   BENCH_RUNC_ROOT runc --root
#   BENCH_STOPFLOOR bench/stopfloor, the stop floor (see launcher.sh stop20)

# The applications of the stop benchmarks. Both say when their trap is set (a file in the
# rootfs's /tmp) so that a stop never races the shell's start-up, then idle as a service does:
# blocked in the shell's own `read` on a FIFO, which a trapped signal interrupts at once, with
# no child process. (A `sleep 0.01` loop, used before, cost each container 100 fork+exec a
# second, so twenty of them loaded both CPUs; and a sleep child forked just after lxc's init
# sent SIGTERM to every process survives it, so the init waits its 1 s alarm to SIGKILL it.)
bench_app() { # term|ignore NAME
	case $1 in
	term) _ba_trap='"exit 0"' ;;
	ignore) _ba_trap='""' ;;
	*) echo "bench: unknown application $1" >&2 && return 2 ;;
	esac
	printf 'trap %s TERM; f=/tmp/idle.%s; rm -f $f; mkfifo $f; : >/tmp/ready.%s; ' \
		"$_ba_trap" "$2" "$2"
	printf 'while :; do read x <>$f; done'
}

bench_wait_ready() { # NAME: up to 5 s
	_wr_n=0
	while [ ! -e "$BENCH_ROOTFS/tmp/ready.$1" ]; do
		_wr_n=$((_wr_n + 1))
		if [ "$_wr_n" -gt 2500 ]; then
			echo "bench: $1 did not come up within 5 s" >&2
			return 1
		fi
		sleep 0.002
	done
}

bench_ctl() { # COMMAND [ARG...]: ctlaunch with the bench settings
	_c=$1
	shift
	"$BENCH_CTL" "$_c" --config "$BENCH_SETTINGS" "$@"
}

bench_start_ctl() { # NAME term|ignore
	rm -f "$BENCH_ROOTFS/tmp/ready.$1"
	"$BENCH_CTL" start --config "$BENCH_SETTINGS" -d -f "$BENCH_CONFIG" -n "$1" \
		-- sh -c "$(bench_app "$2" "$1")"
	bench_wait_ready "$1"
}

# lxc-start reads NAME's config from the lxcpath, as lxc-stop does (lxc-stop learns the halt
# signal from it). VARIANT sigterm adds lxc.signal.halt = SIGTERM (liblxc's default is SIGPWR).
bench_start_lxc() { # NAME term|ignore [sigterm]
	mkdir -p "$BENCH_LXCPATH/$1"
	cp "$BENCH_CONFIG" "$BENCH_LXCPATH/$1/config"
	if [ "${3:-}" = sigterm ]; then
		echo "lxc.signal.halt = SIGTERM" >>"$BENCH_LXCPATH/$1/config"
	fi
	rm -f "$BENCH_ROOTFS/tmp/ready.$1"
	lxc-start -P "$BENCH_LXCPATH" -n "$1" -d -- sh -c "$(bench_app "$2" "$1")"
	bench_wait_ready "$1"
}

bench_init_pid_ctl() { # NAME
	"$BENCH_CTL" state --config "$BENCH_SETTINGS" -n "$1" --format json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["init_pid"])'
}

bench_init_pid_lxc() { # NAME
	lxc-info -P "$BENCH_LXCPATH" -n "$1" -pH
}

# Freeze the cgroup of PID (the container's init): the v1 freezer when the process is in one,
# else cgroup v2's cgroup.freeze. Waits until the kernel reports it frozen.
bench_freeze() { # PID
	_path=$(awk -F: '$2 == "freezer" { print $3 }' "/proc/$1/cgroup")
	if [ -n "$_path" ] && [ -e "/sys/fs/cgroup/freezer$_path/freezer.state" ]; then
		_f=/sys/fs/cgroup/freezer$_path/freezer.state
		echo FROZEN >"$_f"
		_want=FROZEN
	else
		_path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$1/cgroup")
		_mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
		echo 1 >"$_mnt$_path/cgroup.freeze"
		_f=$_mnt$_path/cgroup.events
		_want="frozen 1"
	fi
	_fz_n=0
	until grep -qx "$_want" "$_f"; do
		_fz_n=$((_fz_n + 1))
		if [ "$_fz_n" -gt 2500 ]; then
			echo "bench: pid $1 did not freeze" >&2
			return 1
		fi
		sleep 0.002
	done
}

# Thaw every frozen cgroup of this run's containers (v1 freezer and v2), so that nothing stays
# frozen whatever happened.
bench_thaw_all() {
	for _f in /sys/fs/cgroup/freezer/lxc.payload."$BENCH_PREFIX"*/freezer.state; do
		[ -e "$_f" ] && echo THAWED >"$_f" 2>/dev/null
	done
	_mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	for _f in "$_mnt"/lxc.payload."$BENCH_PREFIX"*/cgroup.freeze; do
		[ -e "$_f" ] && echo 0 >"$_f" 2>/dev/null
	done
	return 0
}

# Stop and remove everything this run made: ctlaunch's and lxc's containers (thawed first),
# runc's, then the scratch directory. Every wait is bounded.
bench_cleanup() {
	[ -n "${BENCH_WORK:-}" ] && [ -d "$BENCH_WORK" ] || return 0
	bench_thaw_all
	if [ -e "$BENCH_SETTINGS" ] && [ -d "$BENCH_WORK/run" ]; then
		timeout 30 "$BENCH_CTL" stop --config "$BENCH_SETTINGS" -q --all -t 0 \
			--kill-after 5 >/dev/null 2>&1 || true
	fi
	for _d in "$BENCH_LXCPATH"/*/; do
		[ -d "$_d" ] || continue
		_n=$(basename "$_d")
		if [ "$(lxc-info -P "$BENCH_LXCPATH" -n "$_n" -sH 2>/dev/null)" != STOPPED ]; then
			timeout 20 lxc-stop -P "$BENCH_LXCPATH" -n "$_n" -k >/dev/null 2>&1 || true
		fi
	done
	if [ -d "$BENCH_RUNC_ROOT" ]; then
		for _n in $(runc --root "$BENCH_RUNC_ROOT" list -q 2>/dev/null); do
			timeout 20 runc --root "$BENCH_RUNC_ROOT" delete -f "$_n" >/dev/null 2>&1 || true
		done
	fi
	# Whatever is still in a cgroup of ours (a run interrupted half-way through a start), then
	# the cgroups themselves.
	for _f in /sys/fs/cgroup/*/lxc.*."$BENCH_PREFIX"*/cgroup.procs \
		/sys/fs/cgroup/*/lxc.*."$BENCH_PREFIX"*/*/cgroup.procs \
		/sys/fs/cgroup/lxc.*."$BENCH_PREFIX"*/cgroup.procs; do
		[ -e "$_f" ] || continue
		while read -r _pid; do
			kill -9 "$_pid" 2>/dev/null || true
		done <"$_f"
	done
	find /sys/fs/cgroup -depth -type d -name "lxc.*.$BENCH_PREFIX*" -exec rmdir {} + \
		2>/dev/null || true
	if mountpoint -q "$BENCH_WORK/run"; then
		umount "$BENCH_WORK/run" || umount -l "$BENCH_WORK/run"
	fi
	rm -rf "$BENCH_WORK"
}
