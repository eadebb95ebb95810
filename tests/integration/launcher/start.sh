#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch start in the foreground: exit status, argv, stdio, environment, finding configs.
. "$(dirname "$0")/lib.sh"

plan 26
require_root
setup

mkcontainer
C=$NAME

ctl -q -n "$C" -- /bin/true
expect "exit_status_zero_passes_through" 0 $?

ctl -q -n "$C" -- /bin/sh -c 'exit 3'
expect "exit_status_three_passes_through" 3 $?

ctl -q -n "$C" -- /bin/sh -c 'kill -TERM $$'
expect "death_by_sigterm_exits_143" 143 $?

ctl -q -n "$C" -- /bin/sh -c 'kill -KILL $$'
expect "death_by_sigkill_exits_137" 137 $?

got=$(ctl -q -n "$C" -- /bin/sh -c 'for a; do printf "<%s>\n" "$a"; done' sh \
	"a b" "c'd\"e" "" '$HOME *' '  lead')
want=$(printf '<%s>\n' "a b" "c'd\"e" "" '$HOME *' '  lead')
expect "argv_with_spaces_and_quotes_arrives_intact" "$want" "$got"

got=$(printf 'ping\npong\n' | ctl -q -n "$C" -- /bin/cat)
expect "stdin_and_stdout_pass_through" "$(printf 'ping\npong')" "$got"

got=$(ctl -q -n "$C" -- /bin/sh -c 'echo to-stderr >&2' 2>&1 >/dev/null)
expect "stderr_passes_through" "to-stderr" "$got"

mkcontainer "lxc.environment = CTL_T_SET" "lxc.environment = CTL_T_UNSET" \
	"lxc.environment = CTL_T_FIXED=fixed value"
E=$NAME
unset CTL_T_UNSET
export CTL_T_SET="set value"
out=$(ctl -n "$E" -- /bin/sh -c 'echo "[$CTL_T_SET][${CTL_T_UNSET-unset}][$CTL_T_FIXED]"' \
	2>"$WORK/env.err")
rc=$?
expect "environment_set_variable_is_inherited_unset_skipped" \
	"0 [set value][unset][fixed value]" "$rc $out"
check "environment_unset_variable_warns_with_location" \
	grep -q "config:5: warning: .*CTL_T_UNSET is not set" "$WORK/env.err"

out=$(COMMUNICATOR_CONNECTOR=/tmp/communicator ctl -q -n "$C" -- /bin/sh -c \
	'echo "$COMMUNICATOR_CONNECTOR"')
expect "settings_variables_are_always_inherited" "/tmp/communicator" "$out"

out=$(ctl -q -n "$C" -- /bin/cat "$WORK/share/hello")
expect "settings_shares_are_mounted_in_every_container" "shared" "$out"

mkcontainer "lxc.init.cmd = /bin/sh -c exit"
ctl -q -n "$NAME"
expect "config_init_cmd_runs_when_no_command_given" 0 $?

# Without a command, lxc.init.cmd is the container's init itself (as lxc-start runs it), not a
# child of init.lxc: a system container's /sbin/init refuses to run as anything but PID 1. Its
# output goes to the container's console (a terminal only when ctlaunch has one), so the script
# leaves its pid in a file.
printf '#!/bin/sh\necho "pid $$" >/tmp/pid1-$(hostname)\nexit 5\n' >"$WORK/rootfs/bin/ctl-pid1"
chmod 755 "$WORK/rootfs/bin/ctl-pid1"
mkcontainer "lxc.init.cmd = /bin/ctl-pid1"
ctl -q -n "$NAME"
expect "config_init_cmd_runs_as_pid_1_and_its_status_passes_through" "5 pid 1" \
	"$? $(cat "$WORK/rootfs/tmp/pid1-$NAME" 2>&1)"

mkcontainer "lxc.init.cmd = /bin/ctl-pid1"
ctl -q -n "$NAME" -- /bin/ctl-pid1
expect "a_given_command_runs_under_init_lxc_even_with_lxc_init_cmd" "5 pid 2" \
	"$? $(cat "$WORK/rootfs/tmp/pid1-$NAME" 2>&1)"

mkcontainer "lxc.execute.cmd = /bin/false"
ctl -q -n "$NAME"
expect "config_execute_cmd_runs_when_no_command_given" 1 $?

ctl -n "ctl-test-$$-nope" -- /bin/true 2>"$WORK/nope.err"
rc=$?
check "unknown_name_says_where_it_looked" \
	test "$rc" = 125 -a -n "$(grep "$WORK/thunder/ctl-test-$$-nope/Container/config" \
	"$WORK/nope.err" | grep "$WORK/lxc/ctl-test-$$-nope/config")"

newname
mkdir -p "$WORK/lxc/$NAME"
printf 'lxc.rootfs.path = dir:%s\nlxc.mount.auto = proc:mixed\n' "$WORK/rootfs" \
	>"$WORK/lxc/$NAME/config"
out=$(ctl -q -n "$NAME" -- /bin/echo from-lxc-path)
expect "lxc_path_is_searched_after_the_search_paths" "from-lxc-path" "$out"

out=$(ctl -q -f "$WORK/lxc/$NAME/config" -n "$NAME-f" -- /bin/echo from-file)
NAMES+=("$NAME-f")
expect "config_file_named_with_f_runs" "from-file" "$out"

# Signals go to ctlaunch itself, the child of timeout(1), never to timeout: timeout passes a
# signal on to its child and then to its whole process group, so ctlaunch would get it twice,
# and the second one, arriving after liblxc has restored ctlaunch's signal mask at the end of
# the run, kills ctlaunch (status 143 or 129 instead of the application's). ctl runs in a
# subshell ($!), whose child is timeout, whose child is ctlaunch.
bg_ctl() {
	ctl "$@" &
	BG=$!
	CTLPID=
	local to=
	for _ in $(seq 1 100); do
		to=$(pgrep -P $BG -x timeout) && CTLPID=$(pgrep -P "$to" -x ctlaunch) && break
		sleep 0.05
	done
}
bg_wait() {
	wait $BG
}
# liblxc's monitor (ctlaunch in the foreground) takes signals through a signalfd once its main
# loop is up; one sent before that kills ctlaunch itself, as it would lxc-start. Wait (bounded)
# until the monitor blocks SIG ($1: 1 HUP, 2 INT, 15 TERM) before sending it.
wait_blocked() {
	local bit=$((1 << ($1 - 1))) blk
	for _ in $(seq 1 100); do
		blk=$(awk '/^SigBlk:/ {print $2}' "/proc/$CTLPID/status" 2>/dev/null)
		[ -n "$blk" ] && [ $((0x$blk & bit)) != 0 ] && return 0
		sleep 0.05
	done
	return 1
}

rm -f "$WORK/rootfs/tmp/ready-$C"
bg_ctl -q -n "$C" -- /bin/sh -c "trap \"exit 7\" TERM; $READY; while :; do sleep 0.1; done"
wait_ready "$C" 10
wait_blocked 15
kill -TERM $CTLPID
bg_wait
expect "sigterm_to_ctlaunch_reaches_the_application" 7 $?

rm -f "$WORK/rootfs/tmp/ready-$C"
bg_ctl -q -n "$C" -- /bin/sh -c "trap \"exit 9\" INT; $READY; while :; do sleep 0.1; done"
wait_ready "$C" 10
wait_blocked 2
kill -INT $CTLPID
bg_wait
expect "sigint_to_ctlaunch_reaches_the_application" 9 $?

# liblxc's monitor (ctlaunch) turns a hang-up into SIGTERM for the container.
rm -f "$WORK/rootfs/tmp/ready-$C"
bg_ctl -q -n "$C" -- /bin/sh -c "trap \"exit 5\" TERM; $READY; while :; do sleep 0.1; done"
wait_ready "$C" 10
wait_blocked 1
kill -HUP $CTLPID
bg_wait
st=$?
expect "sighup_to_ctlaunch_ends_the_application_with_sigterm" 5 $st

left=$(ls -A "$WORK/thunder/$C/Container"; ls -A "$WORK/run" | grep -v '\.lock$')
expect "nothing_is_left_next_to_the_config_or_in_the_run_dir" "config" "$left"

# An OCI bundle: config.json translated in memory, process.args passed as an argv array.
newname
O=$NAME
mkdir -p "$WORK/thunder/$O/Container"
(cd "$WORK/thunder/$O/Container" && runc spec) &&
	"${PYTHON3:-python3}" - "$WORK/thunder/$O/Container/config.json" "$WORK/rootfs" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"] = {"path": sys.argv[2], "readonly": False}
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", 'printf "<%s>" "$@"; exit 6', "sh", "a b", "'q\""]
json.dump(c, open(sys.argv[1], "w"))
PY
out=$(ctl -q -n "$O" 2>"$WORK/oci.err")
expect "oci_bundle_in_thunder_layout_runs_with_its_args_and_status" "6 <a b><'q\">" "$? $out"
out=$(ctl -q -b "$WORK/thunder/$O/Container" -n "$O-b" -- /bin/echo override 2>>"$WORK/oci.err")
NAMES+=("$O-b")
expect "oci_bundle_named_with_b_takes_a_command" "override" "$out"
left=$(ls -A "$WORK/thunder/$O/Container")
expect "oci_bundle_leaves_no_stray_files" "config.json" "$left"

ctl -q -n "$C" -- /nonexistent/binary 2>/dev/null
rc=$?
check "missing_binary_fails_without_hanging" test "$rc" -ne 0 -a "$rc" -ne 124

finish
