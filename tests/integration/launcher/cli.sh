#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The command line: help, version, usage errors, settings errors. No containers, no root.
. "$(dirname "$0")/lib.sh"

plan 14
WORK=$(mktemp -d "/tmp/ctl-test-$$.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

out=$("$CTL" --help 2>/dev/null)
check "help_goes_to_stdout_and_exits_0" test $? = 0 -a -n "$(echo "$out" | grep '^Usage: ctlaunch')"

cmds=$(echo "$out" | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
expect "help_lists_all_ten_commands" "start stop kill state list exec idmap share init check " \
	"$cmds"
check "help_says_what_check_checks" \
	grep -q "^  check    check that this device can run containers\$" <<<"$out"

all=0
for cmd in start stop kill state list exec idmap share init check; do
	"$CTL" "$cmd" --help 2>/dev/null | grep -q "^Usage: ctlaunch.*$cmd\|^Usage: ctlaunch \[start\]" ||
		all=1
done
expect "every_subcommand_has_help" 0 $all

out=$("$CTL" --version)
check "version_lists_features_as_key_value" \
	sh -c "echo '$out' | grep -q '^pidfd: yes' && echo '$out' | grep -q '^seccomp: yes' &&
	       echo '$out' | grep -q '^cgroup-v2: yes' && echo '$out' | grep -q '^capabilities: yes'"

"$CTL" --bogus >"$WORK/out" 2>"$WORK/err"
rc=$?
expect "bad_option_exits_2" 2 $rc
expect "bad_option_prints_one_line_and_the_help_pointer" \
	"2 Try 'ctlaunch --help' for more information." \
	"$(wc -l <"$WORK/err") $(tail -1 "$WORK/err")"
expect "bad_option_prints_nothing_on_stdout" "" "$(cat "$WORK/out")"

"$CTL" frobnicate 2>"$WORK/err"
check "unknown_command_is_a_usage_error" \
	test $? = 2 -a -n "$(grep "unknown command 'frobnicate'" "$WORK/err")"

"$CTL" stop -t soon -n x 2>/dev/null
expect "stop_timeout_must_be_a_number" 2 $?

"$CTL" kill -n x -s NOSUCHSIG 2>/dev/null
expect "kill_unknown_signal_is_a_usage_error" 2 $?

printf 'run-dir: /r\nstop-timeout: [1]\n' >"$WORK/bad.yaml"
"$CTL" --config "$WORK/bad.yaml" state -n x 2>"$WORK/err"
check "settings_error_is_located_file_line_col" \
	test $? = 1 -a -n "$(grep "^ctlaunch: $WORK/bad.yaml:2:15: error: " "$WORK/err")"

printf 'search-paths: [%s]\nlxc-path: %s/lxc\n' "$WORK/none" "$WORK" >"$WORK/ok.yaml"
"$CTL" --config "$WORK/ok.yaml" -n nope 2>"$WORK/err"
check "unknown_container_exits_125_and_says_where_it_looked" \
	test $? = 125 -a -n "$(grep "$WORK/none/nope/Container/config, .*$WORK/lxc/nope/config" \
	"$WORK/err")"

"$CTL" --config "$WORK/ok.yaml" -n ../etc 2>"$WORK/err"
check "names_that_escape_the_search_paths_are_refused" \
	test $? = 125 -a -n "$(grep 'not a valid name' "$WORK/err")"

finish
