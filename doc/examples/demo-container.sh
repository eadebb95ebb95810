# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by demo.sh: build a busybox container from the shipped nanoservice template in a
# Thunder layout, run it with ctlaunch in the foreground, then daemonised: state, stop.
# Needs root (containers); $src, $bin and $out come from demo.sh.
if [ "$(id -u)" != 0 ]; then
	echo "== 4. (skipped: running a container needs root; run 'sudo make demo')"
	return 0
fi
thunder=$out/Thunder
mkdir -p "$thunder"
chmod 755 "$out"
cat >"$out/ctlaunch.yaml" <<EOT
search-paths:
  - $thunder
run-dir: $out/run
stop-timeout: 5
kill-timeout: 2
EOT
sh "$src/tests/lib/mkrootfs.sh" "$out/rootfs.dir"
tar -C "$out/rootfs.dir" -cf "$out/rootfs.tar" .
ctl() { "$bin/ctlaunch" --config "$out/ctlaunch.yaml" "$@"; }

echo "== 4. ctlaunch init: a container named Demo from a rootfs tarball and the nanoservice template"
CTLAUNCH_TEMPLATE_DIR=$src/templates ctl init -n Demo --rootfs "$out/rootfs.tar" --template nanoservice
find "$thunder" -maxdepth 3 -not -path '*/rootfs/*' | sed "s|$out/||"
echo
echo "== 5. ctlaunch -n Demo: runs in the foreground, exit status passed through"
set +e
ctl -n Demo -- /bin/sh -c 'echo "hello from $(hostname): uid $(id -u), /tmp shared: $(ls -d /tmp)"; exit 3'
echo "exit status: $?"
set -e
echo
echo "== 6. daemonised, then state and a bounded stop"
ctl start -d -n Demo -- /bin/sh -c 'trap "exit 0" TERM; while :; do sleep 1; done'
ctl state -n Demo
ctl stop -n Demo -t 5
ctl state -n Demo
