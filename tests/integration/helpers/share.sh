#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch share: the LXC guide's shared-folder scenario end to end (uid 1000 passed through,
# a file and a Unix socket used from inside by uid 1000, read on the host), idempotence,
# --remove, and a hostile rootfs whose CONTAINER_DIR is a symlink to /etc.
set -u
. "$(dirname "$0")/lib.sh"
gate "ctlaunch share with real containers"
setup_tmp
export CTLAUNCH_TEMPLATE_DIR=$TOP_SRCDIR/templates
export COMMUNICATOR_CONNECTOR=/tmp/communicator MESSAGE_DISPATCHER_CONFIG=/tmp/MessageDispatcher
build_probe; make_rootfs "$T/rootfs"; write_settings
C=(--config "$T/settings.yaml")
N=$PFX-log
d=$T/sp/$N/Container
"$CTLAUNCH" init "${C[@]}" -n "$N" --rootfs "$T/rootfs" -t userns >/dev/null &&
	"$CTLAUNCH" idmap "${C[@]}" -n "$N" --chown-rootfs >/dev/null
ok $? "a userns container (init, idmap --chown-rootfs)"
cp /etc/subuid "$T/subuid.bak"; cp /etc/subgid "$T/subgid.bak"
trap 'cp "$T/subuid.bak" /etc/subuid; cp "$T/subgid.bak" /etc/subgid; cleanup_tmp' EXIT

out=$("$CTLAUNCH" share "${C[@]}" -n "$N" "$T/testshare" /TestLogging --uid 1000 --gid 1000 2>&1)
ok $? "share creates, passes 1000 through, mounts" "$out"
echo "$out" | grep -q "pass through" && echo "$out" | grep -q "lxc.mount.entry" &&
	echo "$out" | grep -q "created the host directory"
ok $? "each change is reported" "$out"
grep -q "^lxc.idmap = u 1000 1000 1$" "$d/config" && grep -q "^lxc.idmap = g 1000 1000 1$" "$d/config" &&
	grep -q "^lxc.mount.entry = $T/testshare TestLogging none bind,rw 0 0$" "$d/config"
ok $? "the config passes uid/gid 1000 through and binds the directory" "$(cat "$d/config" | grep -v '^#')"
sum=$(md5sum <"$d/config"); out=$("$CTLAUNCH" share "${C[@]}" -n "$N" "$T/testshare" /TestLogging --uid 1000 --gid 1000 2>&1)
[ "$out" = "nothing to change" ] && [ "$sum" = "$(md5sum <"$d/config")" ]; ok $? "a second run changes nothing" "$out"

# newuidmap needs the pass-through ids in /etc/subuid: ctlaunch idmap says which line.
out=$("$CTLAUNCH" idmap "${C[@]}" -n "$N" 2>&1)
for l in $(echo "$out" | sed -n 's/.*add this line to \/etc\/sub\([ug]\)id: \(.*\)/\1:\2/p'); do
	echo "${l#?:}" >>"/etc/sub${l%%:*}id"
done
out=$("$CTLAUNCH" idmap "${C[@]}" -n "$N" 2>&1); ok $? "the map checks out once /etc/subuid has the lines idmap printed" "$out"

out=$(timeout 30 "$CTLAUNCH" "${C[@]}" -n "$N" -- /bin/sysprobe --gid 1000 --uid 1000 write /TestLogging/log.txt from-container 2>&1)
[ "$(cat "$T/testshare/log.txt" 2>/dev/null)" = from-container ] && [ "$(stat -c %u:%g "$T/testshare/log.txt")" = 1000:1000 ]
ok $? "uid 1000 writes a file in the share, the host reads it as 1000:1000" "$out"
# The host creates a socket as root with umask 022 (mode 0755): uid 1000 cannot connect (the
# guide's "other write bit" trap; unix_bind applies the umask even under a default ACL).
python3 -c 'import os,socket,sys; os.umask(0o022); socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/testshare/host.sock"
out=$("$CTLAUNCH" share "${C[@]}" -n "$N" "$T/testshare" /TestLogging --uid 1000 --gid 1000 2>&1)
echo "$out" | grep -q "host.sock: socket made group 1000 rw" && [ "$(stat -c %g "$T/testshare/host.sock")" = 1000 ]
ok $? "share fixes a socket the host made with umask 022 and says so" "$out"
rm -f "$T/testshare/host.sock"
python3 - "$T/testshare/host.sock" >"$T/srv.out" 2>&1 <<'PY' &
import os, socket, sys
os.umask(0o002)
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); s.settimeout(25)
c, _ = s.accept(); print(c.recv(100).decode())
PY
srv=$!
for _ in $(seq 50); do [ -S "$T/testshare/host.sock" ] && break; sleep 0.1; done
out=$(timeout 30 "$CTLAUNCH" "${C[@]}" -n "$N" -- /bin/sysprobe --gid 1000 --uid 1000 connect /TestLogging/host.sock hello-host 2>&1)
wait $srv; grep -q hello-host "$T/srv.out"
ok $? "uid 1000 connects to a socket the host made (umask 002) in the setgid share" "$out $(cat "$T/srv.out")"

out=$("$CTLAUNCH" share "${C[@]}" -n "$N" "$T/testshare" /TestLogging --remove 2>&1)
! grep -q "TestLogging" "$d/config" && [ -f "$T/testshare/log.txt" ] && [ ! -e "$d/rootfs/TestLogging" ]
ok $? "--remove drops the entry and the empty mount point, keeps the data" "$out"

# Hostile rootfs: the container path is a symlink to /etc.
ln -s /etc "$d/rootfs/evil"
etc_before=$(stat -c '%u:%g %a' /etc; ls /etc | md5sum)
out=$("$CTLAUNCH" share "${C[@]}" -n "$N" "$T/evilshare" /evil/sub --uid 1000 2>&1); rc=$?
etc_after=$(stat -c '%u:%g %a' /etc; ls /etc | md5sum)
[ $rc -eq 1 ] && [ "$etc_before" = "$etc_after" ] && [ ! -e /etc/sub ] && ! grep -q evil "$d/config"
ok $? "a symlinked CONTAINER_DIR is refused and nothing outside the rootfs changes" "$out"
out=$("$CTLAUNCH" share "${C[@]}" -n "$N" "$T/x" 2>&1); [ $? -eq 2 ] && echo "$out" | grep -q "Try 'ctlaunch --help'"
ok $? "bad usage exits 2" "$out"
done_testing
