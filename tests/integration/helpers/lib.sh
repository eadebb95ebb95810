# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the helper integration tests (sourced): TAP output, the root/scope gate, a busybox
# rootfs with the static probe, the templates with @TEMPLATEDIR@ resolved, a settings file.
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR}
CTLAUNCH=${CTLAUNCH:-$TOP_BUILDDIR/ctlaunch}
tap_n=0
tap_failed=0

ok() { # ok COND-STATUS NAME [DIAG]
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -40 | sed 's/^/# /'
	fi
	return 0
}
done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# gate NAME: exits the script when integration tests cannot run here.
gate() {
	if [ "${CT_TEST_SCOPE:-}" = unit ]; then
		echo "ok 1 - $1 # SKIP CT_TEST_SCOPE=unit"; echo "1..1"; exit 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		if [ "${CI:-}" = true ]; then
			echo "not ok 1 - $1 (needs root, and CI=true forbids skipping)"; echo "1..1"; exit 1
		fi
		echo "ok 1 - $1 # SKIP needs root"; echo "1..1"; exit 0
	fi
}

# setup_tmp: $T, removed at exit (containers named $PFX-* are stopped first).
setup_tmp() {
	T=$(mktemp -d /tmp/ctlh-test.XXXXXX)
	chmod 711 "$T" # the mapped root of userns containers walks through it
	PFX=ctlh$$
	trap cleanup_tmp EXIT
}
cleanup_tmp() {
	for d in "$T"/lxc "$T"/run; do
		[ -d "$d" ] || continue
		for c in $(ls "$d" 2>/dev/null); do
			lxc-stop -k -n "$c" -P "$d" >/dev/null 2>&1 || true
		done
	done
	rm -rf "$T"
}

# make_rootfs DIR: busybox rootfs with /bin/sysprobe.
make_rootfs() {
	sh "$TOP_SRCDIR/tests/lib/mkrootfs.sh" "$1" >/dev/null || return 1
	mkdir -p "$1/run"
	cp "$T/sysprobe" "$1/bin/sysprobe"
}
build_probe() {
	gcc -static -O2 -o "$T/sysprobe" "$TOP_SRCDIR/tests/integration/helpers/sysprobe.c"
}
# The templates as installed, into $T/tpl.
install_templates() {
	mkdir -p "$T/tpl"
	for f in "$TOP_SRCDIR"/templates/*.conf "$TOP_SRCDIR"/templates/*.seccomp; do
		sed "s|@TEMPLATEDIR@|$T/tpl|g" "$f" >"$T/tpl/$(basename "$f")"
	done
}
# write_settings: $T/settings.yaml, search path $T/sp, run dir $T/run, no global shares.
write_settings() {
	mkdir -p "$T/sp" "$T/run"
	printf 'search-paths:\n  - %s/sp\nrun-dir: %s/run\nshares: []\nstop-timeout: 5\n' \
		"$T" "$T" >"$T/settings.yaml"
}
