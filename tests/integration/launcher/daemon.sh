#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch -d, --pid-file, state, list, kill, exec, concurrent starts, a killed monitor.
. "$(dirname "$0")/lib.sh"

plan 22
require_root
setup

LOOP="trap 'exit 0' TERM; trap 'echo usr1 >/tmp/usr1-\$(hostname)' USR1; $READY; while :; do sleep 0.1; done"

mkcontainer
D=$NAME
ctl -q -d --pid-file "$WORK/pid" -n "$D" -- /bin/sh -c "$LOOP"
expect "daemon_returns_zero_once_running" 0 $?
wait_ready "$D"
check "daemon_state_is_running" wait_state "$D" RUNNING 1
pid=$(cat "$WORK/pid" 2>/dev/null)
check "pid_file_names_the_application" grep -q trap "/proc/${pid:-0}/cmdline"

mkcontainer
ctl -q --pid-file "$WORK/fgpid" -n "$NAME" -- /bin/sh -c 'sleep 1; echo fg-marker' >/dev/null &
fg=$!
for _ in $(seq 1 40); do [ -s "$WORK/fgpid" ] && break; sleep 0.05; done
fgpid=$(cat "$WORK/fgpid" 2>/dev/null)
check "foreground_pid_file_names_the_application" grep -q fg-marker "/proc/${fgpid:-0}/cmdline"
wait $fg

ctl state -n "$D" --format json >"$WORK/state.json"
"${PYTHON3:-python3}" - "$WORK/state.json" "$D" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["name"] == sys.argv[2], s
assert s["state"] == "RUNNING", s
assert isinstance(s["init_pid"], int) and s["init_pid"] > 1, s
assert s["monitor"] is True, s
assert s["config"].endswith("/Container/config"), s
assert s["started_at"].endswith("Z"), s
assert isinstance(s["memory"]["current"], int) and s["memory"]["current"] > 0, s
assert isinstance(s["memory"]["peak"], int) and s["memory"]["peak"] >= s["memory"]["current"], s
assert isinstance(s["cpu_time_ns"], int) and s["cpu_time_ns"] > 0, s
PY
expect "state_json_is_valid_and_complete" 0 $?

ctl list --format json >"$WORK/list.json"
"${PYTHON3:-python3}" - "$WORK/list.json" "$D" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
assert isinstance(v, list), v
mine = [s for s in v if s["name"] == sys.argv[2]]
assert len(mine) == 1 and mine[0]["state"] == "RUNNING", v
assert all(s["state"] in ("RUNNING", "STOPPED", "FROZEN") for s in v), v
PY
expect "list_json_is_valid_and_shows_the_container" 0 $?

check "list_text_shows_state" sh -c "timeout 30 '$CTL' --config '$SETTINGS' list | grep -q '^$D  *RUNNING'"

ctl -n "$D" -- /bin/true 2>"$WORK/again.err"
rc=$?
check "starting_a_running_container_is_refused" \
	test "$rc" = 125 -a -n "$(grep 'already running' "$WORK/again.err")"

ctl kill -n "$D" -s USR1
rc=$?
for _ in $(seq 1 40); do [ -e "$WORK/rootfs/tmp/usr1-$D" ] && break; sleep 0.05; done
check "kill_delivers_the_signal_and_returns" test "$rc" = 0 -a -e "$WORK/rootfs/tmp/usr1-$D"

out=$(ctl exec -n "$D" -- /bin/sh -c 'for a; do printf "<%s>" "$a"; done; exit 5' sh "a b" "'")
expect "exec_passes_argv_and_exit_status" "5 <a b><'>" "$? $out"

out=$(ctl exec -n "$D" --uid 65534 --gid 65534 --cwd /tmp --env K="v w" -- \
	/bin/sh -c 'echo "$(id -u):$(id -g):$(pwd):$K"')
expect "exec_sets_uid_gid_cwd_env" "65534:65534:/tmp:v w" "$out"

ctl exec -n "ctl-test-$$-absent" -- /bin/true 2>/dev/null
expect "exec_in_a_stopped_container_exits_4" 4 $?

# Two starts of one name at once: exactly one wins, the other says so.
mkcontainer
R=$NAME
ctl -q -n "$R" -- /bin/sleep 1 >/dev/null 2>"$WORK/r1.err" &
p1=$!
ctl -q -n "$R" -- /bin/sleep 1 >/dev/null 2>"$WORK/r2.err" &
p2=$!
wait $p1; rc1=$?
wait $p2; rc2=$?
both="$rc1 $rc2"
msg=$(cat "$WORK/r1.err" "$WORK/r2.err")
check "concurrent_start_exactly_one_wins" \
	test "$both" = "0 125" -o "$both" = "125 0"
check "concurrent_start_loser_says_so" \
	sh -c "echo '$msg' | grep -Eq 'another ctlaunch|already running'"

# kill after the container exited: no signal goes anywhere.
mkcontainer
K=$NAME
ctl -q -d -n "$K" -- /bin/sh -c 'sleep 0.3'
wait_state "$K" STOPPED 10
sleep 300 &
sentinel=$!
ctl kill -n "$K" -s KILL 2>"$WORK/kill.err"
rc=$?
check "kill_after_exit_reports_not_running" \
	test "$rc" = 4 -a -n "$(grep 'not running' "$WORK/kill.err")"
check "kill_after_exit_reaches_no_other_process" kill -0 $sentinel
kill $sentinel
wait $sentinel 2>/dev/null

# The daemonised container's monitor (a fork of ctlaunch) is SIGKILLed.
mon=$(pgrep -f "^\[lxc monitor\] $WORK/run $D\$")
check "monitor_process_found" test -n "$mon"
kill -KILL $mon
sleep 0.3
out=$(ctl state -n "$D")
check "state_works_after_the_monitor_was_killed" \
	sh -c "echo '$out' | grep -Eq '^state: (RUNNING|STOPPED)$'"
ctl -q stop -t 1 --kill-after 1 -n "$D"
expect "stop_works_after_the_monitor_was_killed" 0 $?
check "container_is_gone_after_stop" wait_state "$D" STOPPED 5
out=$(ctl -n "$D" -- /bin/echo restarted 2>"$WORK/restart.err"; echo "rc=$?" >>"$WORK/restart.err")
expect "restart_after_a_crash_cleans_leftovers" "restarted" "$out"
check "no_leftover_cgroups" sh -c "! ls -d /sys/fs/cgroup/*/lxc.*.$D-[0-9]* 2>/dev/null | grep -q ."

finish
