# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the launcher's integration tests (sourced). TAP output; real containers as root.
# Each test script: plan N; require_root; setup; then check "name" command... ; finish.

CTL=${TOP_BUILDDIR:-$(pwd)}/ctlaunch
MKROOTFS=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/mkrootfs.sh
TESTNUM=0
FAILED=0
PLAN=0
NAMES=()
SEQ=0

plan() {
	PLAN=$1
	echo "1..$PLAN"
}

ok() {
	TESTNUM=$((TESTNUM + 1))
	echo "ok $TESTNUM - $1"
}

not_ok() {
	TESTNUM=$((TESTNUM + 1))
	echo "not ok $TESTNUM - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
	FAILED=1
}

# check NAME COMMAND...: the command's status decides.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name" "failed: $*"
	fi
}

# expect NAME WANT GOT: equality, with both shown on failure.
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $(printf '%q' "$2")" "got:      $(printf '%q' "$3")"
	fi
}

require_root() {
	[ "$(id -u)" = 0 ] && return 0
	local i
	for i in $(seq 1 "$PLAN"); do
		if [ "${CI:-}" = true ]; then
			echo "not ok $i - needs root (CI=true)"
		else
			echo "ok $i # SKIP needs root"
		fi
	done
	[ "${CI:-}" = true ] && exit 1
	exit 0
}

cleanup() {
	local n
	for n in "${NAMES[@]}"; do
		timeout 30 "$CTL" --config "$SETTINGS" stop -q -t 0 --kill-after 5 -n "$n" \
			>/dev/null 2>&1
	done
	[ -n "${WORK:-}" ] && [ -z "${KEEP:-}" ] && rm -rf "$WORK"
}

setup() {
	WORK=$(mktemp -d "/tmp/ctl-test-$$.XXXXXX")
	trap cleanup EXIT
	"$MKROOTFS" "$WORK/rootfs" || { echo "Bail out! mkrootfs failed"; exit 1; }
	mkdir -p "$WORK/thunder" "$WORK/lxc" "$WORK/share"
	echo shared >"$WORK/share/hello"
	SETTINGS=$WORK/settings.yaml
	cat >"$SETTINGS" <<EOT
search-paths: [$WORK/thunder]
lxc-path: $WORK/lxc
run-dir: $WORK/run
stop-timeout: 5
kill-timeout: 2
shares: [$WORK/share]
log:
  file: $WORK/lxc.log
  level: INFO
EOT
}

# newname: a unique container name in $NAME (registered for clean-up).
newname() {
	SEQ=$((SEQ + 1))
	NAME=ctl-test-$$-$SEQ
	NAMES+=("$NAME")
}

# mkcontainer [CONFIG-LINE...]: a new container in the Thunder layout; name in $NAME.
mkcontainer() {
	newname
	local dir=$WORK/thunder/$NAME/Container
	mkdir -p "$dir"
	{
		echo "lxc.rootfs.path = dir:$WORK/rootfs"
		echo "lxc.uts.name = $NAME"
		echo "lxc.mount.auto = proc:mixed sys:ro"
		local line
		for line in "$@"; do
			echo "$line"
		done
	} >"$dir/config"
}

ctl() {
	timeout 30 "$CTL" --config "$SETTINGS" "$@"
}

# wait_state NAME STATE [SECONDS]: poll until ctlaunch state says STATE.
wait_state() {
	local i
	for i in $(seq 1 $((${3:-10} * 20))); do
		ctl state -n "$1" 2>/dev/null | grep -q "^state: $2\$" && return 0
		sleep 0.05
	done
	return 1
}

# Apps say when their traps are set: READY is appended to their shell script, then the test
# waits for the file in the shared rootfs (the hostname is the container name).
READY='touch /tmp/ready-$(hostname)'

# wait_ready NAME [SECONDS]
wait_ready() {
	local i
	for i in $(seq 1 $((${2:-10} * 20))); do
		[ -e "$WORK/rootfs/tmp/ready-$1" ] && return 0
		sleep 0.05
	done
	return 1
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

finish() {
	if [ "$TESTNUM" != "$PLAN" ]; then
		echo "# ran $TESTNUM tests, planned $PLAN"
		exit 1
	fi
	exit 0
}
