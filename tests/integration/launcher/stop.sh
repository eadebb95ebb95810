#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch stop: fast with a SIGTERM handler, bounded when SIGTERM is ignored or the container
# is frozen, the configured halt signal, several containers at once.
. "$(dirname "$0")/lib.sh"

plan 24
require_root
setup

HANDLES="trap 'exit 0' TERM; $READY; while :; do sleep 0.1; done"
IGNORES="trap '' TERM; $READY; while :; do sleep 0.1; done"

# elapsed_ms CMD...: run CMD, put its status in RC and its duration in MS.
elapsed_ms() {
	local t0
	t0=$(now_ms)
	"$@"
	RC=$?
	MS=$(($(now_ms) - t0))
}

mkcontainer
A=$NAME
ctl -q -d -n "$A" -- /bin/sh -c "$HANDLES"
wait_ready "$A"
elapsed_ms ctl stop -n "$A" -t 10 >"$WORK/a.out"
check "stop_sigterm_handler_is_fast" test "$RC" = 0 -a "$MS" -lt 1000
check "stop_reports_stopped_by_sigterm" grep -q "^$A: stopped (SIGTERM" "$WORK/a.out"
check "stopped_container_is_not_running" wait_state "$A" STOPPED 2

# stop returns once the container's processes are gone, liblxc's monitor may still be cleaning
# up: state says STOPPED at once, and the same name starts again at once (the start waits for
# that monitor).
rm -f "$WORK/rootfs/tmp/ready-$A"
ctl -q -d -n "$A" -- /bin/sh -c "$HANDLES"
wait_ready "$A"
ctl -q stop -n "$A" -t 10
check "state_right_after_stop_is_stopped" \
	test "$(ctl state -n "$A" 2>&1 | sed -n 's/^state: //p')" = STOPPED
rm -f "$WORK/rootfs/tmp/ready-$A"
ctl -q -d -n "$A" -- /bin/sh -c "$HANDLES" 2>"$WORK/restart.err"
expect "start_right_after_stop_of_the_same_name_works" 0 $?
wait_ready "$A"
ctl -q stop -n "$A" -t 10
ctl -n "$A" -- /bin/echo again >"$WORK/again.out" 2>&1
check "foreground_run_right_after_stop_of_the_same_name_works" grep -qx again "$WORK/again.out"
check "no_leftover_warning_after_a_clean_stop" test ! -s "$WORK/restart.err"

mkcontainer
B=$NAME
ctl -q -d -n "$B" -- /bin/sh -c "$IGNORES"
wait_ready "$B"
elapsed_ms ctl stop -n "$B" -t 0.5 --kill-after 2 >"$WORK/b.out"
check "stop_ignoring_sigterm_is_bounded_by_timeout_and_kill_after" \
	test "$RC" = 0 -a "$MS" -ge 450 -a "$MS" -lt 3000
check "ignoring_container_is_gone" wait_state "$B" STOPPED 2

mkcontainer
F=$NAME
ctl -q -d -n "$F" -- /bin/sh -c "$HANDLES"
wait_ready "$F"
echo FROZEN >"/sys/fs/cgroup/freezer/lxc.payload.$F/freezer.state" 2>/dev/null ||
	echo 1 >"/sys/fs/cgroup/lxc.payload.$F/cgroup.freeze"
check "frozen_container_reports_frozen" wait_state "$F" FROZEN 2
elapsed_ms ctl stop -n "$F" -t 1 --kill-after 2 >"$WORK/f.out" 2>&1
check "stop_of_frozen_container_is_bounded" \
	test "(" "$RC" = 0 -o "$RC" = 3 ")" -a "$MS" -lt 4500
check "frozen_container_is_reported_killed_or_stuck" grep -Eq "killed|stuck" "$WORK/f.out"

mkcontainer "lxc.signal.halt = SIGUSR1"
H=$NAME
ctl -q -d -n "$H" -- /bin/sh -c "trap 'exit 0' USR1; $READY; while :; do sleep 0.1; done"
wait_ready "$H"
ctl stop -n "$H" -t 5 >"$WORK/h.out"
check "stop_uses_lxc_signal_halt" grep -q "^$H: stopped (SIGUSR1" "$WORK/h.out"

# Containers ctlaunch did not start: lxc-start under another lxcpath than ctlaunch's run
# directory (their monitor is out of reach; the init is found through its cgroup), so
# lxc.signal.halt comes from the config file, found by name. Their init is a
# shell script that exits on SIGUSR1 and, being PID 1 without a handler for it, ignores SIGTERM.
printf '#!/bin/sh\ntrap "touch /tmp/usr1-$(hostname); exit 0" USR1\n%s\nwhile :; do sleep 0.1; done\n' \
	"$READY" >"$WORK/rootfs/bin/ctl-usr1app"
chmod 755 "$WORK/rootfs/bin/ctl-usr1app"
# lxc_conf FILE NAME: a config lxc-start can run, with lxc.signal.halt = SIGUSR1.
lxc_conf() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "lxc.rootfs.path = dir:$WORK/rootfs" "lxc.uts.name = $2" \
		"lxc.mount.auto = proc:mixed sys:ro" "lxc.init.cmd = /bin/ctl-usr1app" \
		"lxc.signal.halt = SIGUSR1" >"$1"
}
newname
L=$NAME
lxc_conf "$WORK/lxc/$L/config" "$L"
lxc-start -d -n "$L" -P "$WORK/lxc"
wait_ready "$L"
elapsed_ms ctl stop -n "$L" -t 5 >"$WORK/l.out" 2>&1
check "stop_of_an_lxc_start_container_reads_lxc_signal_halt_from_its_config" \
	grep -q "^$L: stopped (SIGUSR1" "$WORK/l.out"
check "the_lxc_start_container_got_sigusr1_and_stopped_before_the_timeout" \
	test -e "$WORK/rootfs/tmp/usr1-$L" -a "$RC" = 0 -a "$MS" -lt 4000
lxc-stop -k -n "$L" -P "$WORK/lxc" >/dev/null 2>&1

# Its config neither recorded nor found by name: SIGTERM, said in a warning; bounded anyway.
newname
L2=$NAME
lxc_conf "$WORK/elsewhere/$L2.conf" "$L2"
lxc-start -d -n "$L2" -P "$WORK/elsewhere" -f "$WORK/elsewhere/$L2.conf"
wait_ready "$L2"
elapsed_ms ctl stop -n "$L2" -t 0.5 --kill-after 2 >"$WORK/l2.out" 2>&1
check "stop_without_record_or_config_warns_and_sends_sigterm" \
	grep -q "warning: stopping $L2: no record of its start .*: sending SIGTERM" "$WORK/l2.out"
check "stop_without_record_or_config_is_still_bounded" \
	test "$RC" = 0 -a "$MS" -lt 3000 -a -n "$(grep "^$L2: killed" "$WORK/l2.out")"
lxc-stop -k -n "$L2" -P "$WORK/elsewhere" >/dev/null 2>&1

# Started by ctlaunch, its run-time record gone: the monitor is asked.
mkcontainer "lxc.signal.halt = SIGUSR1"
R=$NAME
ctl -q -d -n "$R" -- /bin/sh -c "trap 'exit 0' USR1; $READY; while :; do sleep 0.1; done"
wait_ready "$R"
rm -f "$WORK/run/$R.meta"
ctl stop -n "$R" -t 5 >"$WORK/r.out" 2>&1
check "stop_without_the_run_time_record_asks_the_monitor_for_lxc_signal_halt" \
	grep -q "^$R: stopped (SIGUSR1" "$WORK/r.out"

ctl stop -n "$H" >"$WORK/h2.out"
check "stop_of_a_stopped_container_succeeds" \
	test $? = 0 -a -n "$(grep 'not running' "$WORK/h2.out")"

# Five containers that ignore SIGTERM: stopped together in about one timeout.
many=()
for _ in 1 2 3 4 5; do
	mkcontainer
	many+=("$NAME")
	ctl -q -d -n "$NAME" -- /bin/sh -c "$IGNORES"
done
for n in "${many[@]}"; do wait_ready "$n"; done
args=()
for n in "${many[@]}"; do args+=(-n "$n"); done
elapsed_ms ctl stop -t 0.5 --kill-after 2 "${args[@]}" >"$WORK/many.out"
check "five_stops_take_about_one_timeout" test "$RC" = 0 -a "$MS" -lt 1800
check "five_stops_each_reported" test "$(grep -c ': killed' "$WORK/many.out")" = 5

mkcontainer
ctl -q -d -n "$NAME" -- /bin/sh -c "$HANDLES"
ctl -q stop --all -t 2
check "stop_all_stops_every_running_container" wait_state "$NAME" STOPPED 2

mkcontainer
ctl -q -n "$NAME" -- /bin/sh -c "trap 'exit 4' TERM; $READY; while :; do sleep 0.1; done" &
fg=$!
wait_ready "$NAME"
ctl -q stop -n "$NAME"
wait $fg
expect "stop_of_a_foreground_run_ends_ctlaunch_with_the_app_status" 4 $?

ctl stop 2>/dev/null
expect "stop_without_names_is_a_usage_error" 2 $?

finish
