#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Launcher benchmarks, one section per call (bench/run sets the environment up, see lib.sh, and
# cleans up): raw results go to $BENCH_OUT for bench/report.py.
#   launcher.sh start    start-to-exit of /bin/true: ctlaunch, lxc-execute, runc (and ctlaunch
#                        on the runc bundle), BENCH_ROUNDS rounds of BENCH_RUNS runs each, the
#                        rounds interleaved so that background load hits every runtime alike
#   launcher.sh stop     stop latency: SIGTERM-handling, SIGTERM-ignoring and frozen applications
#   launcher.sh stop20   one ctlaunch stop of twenty containers against one of one container
#   launcher.sh rss      resident memory of the monitor per running container
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

P=$BENCH_PREFIX
S=$BENCH_SETTINGS
hf() { # hyperfine, quiet, commands run without a shell
	hyperfine -N --style basic "$@" >>"$BENCH_OUT/hyperfine.log" 2>&1
}

section_start() {
	r=1
	while [ "$r" -le "${BENCH_ROUNDS:-4}" ]; do
		hf --warmup 3 --runs "${BENCH_RUNS:-50}" --export-json "$BENCH_OUT/start-$r.json" \
			-n ctlaunch "$BENCH_CTL start --config $S -f $BENCH_CONFIG -- /bin/true" \
			-n lxc-execute "lxc-execute -P $BENCH_LXCPATH -n ${P}x -f $BENCH_CONFIG -- /bin/true" \
			-n runc "runc --root $BENCH_RUNC_ROOT run --bundle $BENCH_BUNDLE ${P}r" \
			-n ctlaunch-bundle "$BENCH_CTL start --config $S -b $BENCH_BUNDLE -n ${P}b"
		r=$((r + 1))
	done
}

# Time one stop of a container prepared by prep.sh, bounded by timeout 20: prints the
# milliseconds, or "timeout" (exit status 124). Used to find out whether lxc-stop hangs on a
# frozen container before hyperfine runs it again and again.
probe() { # PREP-ARGS... -- STOP-COMMAND...
	pargs=""
	while [ "$1" != -- ]; do
		pargs="$pargs $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	sh "$here/prep.sh" $pargs
	t0=$(date +%s%N)
	rc=0
	timeout 20 "$@" >/dev/null 2>&1 || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" -eq 124 ]; then
		echo timeout
	else
		echo $(((t1 - t0) / 1000000))
	fi
}

section_stop() {
	prep="sh $here/prep.sh"
	lxcstop="lxc-stop -P $BENCH_LXCPATH"
	# An application that handles SIGTERM. lxc-stop sends lxc.signal.halt, SIGPWR by default,
	# which the application (PID 1 under lxc-start) does not handle: it waits the timeout.
	hf -i --warmup 1 --runs 30 --export-json "$BENCH_OUT/stop-term.json" \
		--prepare "$prep ctl ${P}t term" -n "term: ctlaunch stop -t 5" \
		"$BENCH_CTL stop --config $S -n ${P}t -t 5" \
		--prepare "$prep lxc ${P}u term sigterm" -n "term: lxc-stop -t 5, lxc.signal.halt = SIGTERM" \
		"$lxcstop -n ${P}u -t 5"
	hf -i --runs 3 --export-json "$BENCH_OUT/stop-term-sigpwr.json" \
		--prepare "$prep lxc ${P}v term" -n "term: lxc-stop -t 5, default halt signal (SIGPWR)" \
		"$lxcstop -n ${P}v -t 5"
	# An application that ignores SIGTERM: both wait the timeout, then kill.
	hf -i --runs 5 --export-json "$BENCH_OUT/stop-ignore.json" \
		--prepare "$prep ctl ${P}i ignore" -n "ignore: ctlaunch stop -t 1" \
		"$BENCH_CTL stop --config $S -n ${P}i -t 1" \
		--prepare "$prep lxc ${P}j ignore" -n "ignore: lxc-stop -t 1" "$lxcstop -n ${P}j -t 1"
	# A frozen container (cgroup freezer), with a timeout and without one (-t 0, lxc-stop -k).
	# Both are run under timeout 20, as lxc-stop may hang on a frozen container.
	frozen_pair frozen "-t 1" "-t 1" 5
	frozen_pair frozen-kill "-t 0" "-k" 10
}

frozen_pair() { # TAG CTLAUNCH-OPTION LXC-STOP-OPTION RUNS
	# shellcheck disable=SC2086 # $3 is an option and its value
	lxc_ms=$(probe lxc "${P}f$1" term frozen -- lxc-stop -P "$BENCH_LXCPATH" -n "${P}f$1" $3)
	echo "$lxc_ms" >"$BENCH_OUT/stop-$1.probe"
	if [ "$lxc_ms" = timeout ]; then
		bench_thaw_all
		timeout 20 lxc-stop -P "$BENCH_LXCPATH" -n "${P}f$1" -k >/dev/null 2>&1 || true
		hf -i --runs "$4" --export-json "$BENCH_OUT/stop-$1.json" \
			--prepare "$prep ctl ${P}g$1 term frozen" -n "frozen: ctlaunch stop $2" \
			"timeout 20 $BENCH_CTL stop --config $S -n ${P}g$1 $2"
	else
		hf -i --runs "$4" --export-json "$BENCH_OUT/stop-$1.json" \
			--prepare "$prep ctl ${P}g$1 term frozen" -n "frozen: ctlaunch stop $2" \
			"timeout 20 $BENCH_CTL stop --config $S -n ${P}g$1 $2" \
			--prepare "$prep lxc ${P}f$1 term frozen" -n "frozen: lxc-stop $3" \
			"timeout 20 lxc-stop -P $BENCH_LXCPATH -n ${P}f$1 $3"
	fi
}

section_stop20() {
	names=""
	i=1
	while [ "$i" -le 20 ]; do
		names="$names -n ${P}m$i"
		i=$((i + 1))
	done
	# The floor: the same containers ended by a program that only opens the inits' pidfds,
	# sends SIGTERM to all and polls (bench/stopfloor.c): what the kernel and the containers
	# take on this machine, with no launcher in the way.
	hf -i --warmup 1 --runs 15 --export-json "$BENCH_OUT/stop20.json" \
		--prepare "sh $here/prep.sh ctl ${P}o term" -n "ctlaunch stop, 1 container" \
		"$BENCH_CTL stop --config $S -t 5 -n ${P}o" \
		--prepare "sh $here/prep.sh ctl-many ${P}m 20" -n "ctlaunch stop, 20 containers" \
		"$BENCH_CTL stop --config $S -t 5$names" \
		--prepare "sh $here/prep.sh ctl ${P}o term" -n "floor, 1 container" \
		"$BENCH_STOPFLOOR $BENCH_WORK/run ${P}o" \
		--prepare "sh $here/prep.sh ctl-many ${P}m 20" -n "floor, 20 containers" \
		"$BENCH_STOPFLOOR $BENCH_WORK/run$(echo "$names" | sed 's/ -n / /g')"
}

# VmRSS and Pss (kB) of a process, with its role, as one line of rss.tsv.
rss_line() { # RUNTIME ROLE PID
	comm=$(tr '\0' ' ' <"/proc/$3/cmdline" | cut -c1-60)
	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$3/status")
	pss=$(awk '$1 == "Pss:" { print $2 }' "/proc/$3/smaps_rollup")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$rss" "$pss" "$comm" \
		>>"$BENCH_OUT/rss.tsv"
}

ppid_of() {
	awk '$1 == "PPid:" { print $2 }' "/proc/$1/status"
}

section_rss() {
	n=${BENCH_RSS_CONTAINERS:-5}
	i=1
	while [ "$i" -le "$n" ]; do
		bench_start_ctl "${P}c$i" term
		bench_start_lxc "${P}l$i" term
		i=$((i + 1))
	done
	sleep 0.5
	i=1
	while [ "$i" -le "$n" ]; do
		init=$(bench_init_pid_ctl "${P}c$i")
		rss_line ctlaunch monitor "$(ppid_of "$init")"
		rss_line ctlaunch init "$init"
		app=$(bench_init_pid_lxc "${P}l$i")
		rss_line lxc-start monitor "$(ppid_of "$app")"
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$n" ]; do
		bench_ctl stop -q -n "${P}c$i" -t 0 >/dev/null
		lxc-stop -P "$BENCH_LXCPATH" -n "${P}l$i" -k
		i=$((i + 1))
	done
}

case ${1:-} in
start | stop | stop20 | rss) "section_$1" ;;
*)
	echo "usage: launcher.sh start|stop|stop20|rss" >&2
	exit 2
	;;
esac
