#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# hyperfine --prepare helper of the stop benchmarks (run by bench/launcher.sh, environment from
# bench/run): start the container(s) the next timed stop acts on and wait until their
# application has set its trap.
#   prep.sh ctl NAME term|ignore [frozen]       ctlaunch start -d
#   prep.sh lxc NAME term|ignore [frozen|sigterm]  lxc-start -d (config in the lxcpath)
#   prep.sh ctl-many PREFIX COUNT               COUNT SIGTERM-handling containers PREFIX1...
# A container left running by a failed previous stop is killed first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

kind=$1
shift
case $kind in
ctl)
	bench_ctl stop -q -n "$1" -t 0 >/dev/null 2>&1 || true
	bench_start_ctl "$1" "$2"
	if [ "${3:-}" = frozen ]; then
		bench_freeze "$(bench_init_pid_ctl "$1")"
	fi
	;;
lxc)
	if [ -d "$BENCH_LXCPATH/$1" ] &&
		[ "$(lxc-info -P "$BENCH_LXCPATH" -n "$1" -sH 2>/dev/null)" != STOPPED ]; then
		bench_thaw_all
		timeout 20 lxc-stop -P "$BENCH_LXCPATH" -n "$1" -k >/dev/null 2>&1 || true
	fi
	bench_start_lxc "$1" "$2" "${3:-}"
	if [ "${3:-}" = frozen ]; then
		bench_freeze "$(bench_init_pid_lxc "$1")"
	fi
	;;
ctl-many)
	i=1
	while [ "$i" -le "$2" ]; do
		bench_ctl stop -q -n "$1$i" -t 0 >/dev/null 2>&1 || true
		rm -f "$BENCH_ROOTFS/tmp/ready.$1$i"
		"$BENCH_CTL" start --config "$BENCH_SETTINGS" -d -f "$BENCH_CONFIG" -n "$1$i" \
			-- sh -c "$(bench_app term "$1$i")"
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$2" ]; do
		bench_wait_ready "$1$i"
		i=$((i + 1))
	done
	;;
*)
	echo "usage: prep.sh ctl|lxc|ctl-many ..." >&2
	exit 2
	;;
esac
