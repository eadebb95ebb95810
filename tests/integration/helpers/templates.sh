#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Each template starts a real container; a static probe inside checks that the seccomp profile
# blocks what it must (kexec_load, open_by_handle_at, module calls, forced umount) and that what
# a nanoservice needs works.
set -u
. "$(dirname "$0")/lib.sh"
gate "templates start real containers"
setup_tmp
export COMMUNICATOR_CONNECTOR=/tmp/communicator MESSAGE_DISPATCHER_CONFIG=/tmp/MessageDispatcher

build_probe; ok $? "the static probe builds"
install_templates
make_rootfs "$T/rootfs"; ok $? "busybox rootfs"
mkdir -p "$T/lxc"

conf() { # conf TEMPLATE ROOTFS -> $T/TEMPLATE.conf
	printf 'lxc.include = %s/tpl/%s.conf\nlxc.rootfs.path = dir:%s\nlxc.uts.name = %s\n' \
		"$T" "$1" "$2" "$1" >"$T/$1.conf"
}
run() { # run TEMPLATE CMD...
	local t=$1; shift
	timeout 30 lxc-execute -n "$PFX-$t" -P "$T/lxc" -f "$T/$t.conf" -- "$@" 2>&1
}

# The profile alone, with every capability kept: EPERM can only come from seccomp.
printf 'lxc.rootfs.path = dir:%s\nlxc.seccomp.profile = %s/tpl/common.seccomp\nlxc.mount.auto = proc:rw\n' \
	"$T/rootfs" "$T" >"$T/seccomp-only.conf"
out=$(run seccomp-only /bin/sysprobe blocked); ok $? "common.seccomp alone blocks kexec_load, open_by_handle_at, modules, forced umount2" "$out"
printf 'lxc.rootfs.path = dir:%s\nlxc.mount.auto = proc:rw\n' "$T/rootfs" >"$T/no-seccomp.conf"
out=$(run no-seccomp /bin/sysprobe blocked); rc=$?
ok $((rc == 0)) "without the profile (all capabilities) the same calls are not EPERM: the probe tells them apart" "$out"

for t in common nanoservice; do
	conf "$t" "$T/rootfs"
	out=$(run "$t" /bin/sysprobe blocked); ok $? "$t.conf: the blocked calls fail with EPERM" "$out"
	out=$(run "$t" /bin/sysprobe allowed); ok $? "$t.conf: plain umount2, mmap, Unix sockets, fork, getrandom work" "$out"
	out=$(run "$t" /bin/sysprobe seccomp); echo "$out" | grep -q "Seccomp:.*2"; ok $? "$t.conf: the filter is loaded" "$out"
	start=$(date +%s%N); run "$t" /bin/true >/dev/null; end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	ok $((ms >= 300)) "$t.conf: start and stop of /bin/true take ${ms} ms (no lxcfs hook: < 300)"
done

# nanoservice: no network, read-only root, host /tmp shared, Thunder's variables inherited.
out=$(run nanoservice /bin/sh -c 'cat /proc/net/dev | grep -c :'); [ "$out" = 1 ]
ok $? "nanoservice.conf: only loopback in the network namespace" "$out"
out=$(run nanoservice /bin/sh -c 'touch /etc/x 2>&1; echo rc=$?'); echo "$out" | grep -q "Read-only"
ok $? "nanoservice.conf: the rootfs is read-only" "$out"
out=$(run nanoservice /bin/sh -c 'echo $COMMUNICATOR_CONNECTOR $MESSAGE_DISPATCHER_CONFIG')
[ "$out" = "/tmp/communicator /tmp/MessageDispatcher" ]; ok $? "nanoservice.conf: COMMUNICATOR_CONNECTOR and MESSAGE_DISPATCHER_CONFIG inherited" "$out"
mkdir -p "/tmp/$PFX.d" && chmod 1777 "/tmp/$PFX.d"
python3 - "/tmp/$PFX.d/communicator" >"$T/srv.out" 2>&1 <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777)
s.listen(1); s.settimeout(20); c, _ = s.accept(); print(c.recv(100).decode())
PY
srv=$!
for _ in $(seq 50); do [ -S "/tmp/$PFX.d/communicator" ] && break; sleep 0.1; done
out=$(run nanoservice /bin/sysprobe connect "/tmp/$PFX.d/communicator" hello-thunder)
wait $srv; grep -q hello-thunder "$T/srv.out"; ok $? "nanoservice.conf: the container reaches a host socket in /tmp" "$out $(cat "$T/srv.out")"
rm -rf "/tmp/$PFX.d"

# userns: the rootfs shifted with ctlaunch idmap, root is 100000 outside.
cp -a "$T/rootfs" "$T/rootfs-u"
conf userns "$T/rootfs-u"
out=$("$CTLAUNCH" idmap -f "$T/userns.conf" --chown-rootfs 2>&1); ok $? "ctlaunch idmap --chown-rootfs shifts the userns rootfs" "$out"
if ! "$CTLAUNCH" idmap -f "$T/userns.conf" >/dev/null 2>&1; then
	# newuidmap needs /etc/subuid entries for root: add them for the test, restore after.
	cp /etc/subuid "$T/subuid.bak"; cp /etc/subgid "$T/subgid.bak"
	echo "root:100000:65536" >>/etc/subuid; echo "root:100000:65536" >>/etc/subgid
	trap 'cp "$T/subuid.bak" /etc/subuid; cp "$T/subgid.bak" /etc/subgid; cleanup_tmp' EXIT
fi
out=$("$CTLAUNCH" idmap -f "$T/userns.conf" 2>&1); ok $? "ctlaunch idmap checks the userns container as usable" "$out"
out=$(run userns /bin/sysprobe blocked); ok $? "userns.conf: the blocked calls fail with EPERM" "$out"
out=$(run userns /bin/sysprobe allowed); ok $? "userns.conf: ordinary calls work" "$out"
out=$(run userns cat /proc/self/uid_map); echo "$out" | grep -qE '^ *0 +100000 +65536'
ok $? "userns.conf: container root is host uid 100000" "$out"

# system: busybox init as PID 1, SIGUSR1 halts it cleanly (shutdown actions run, no reboot).
cp -a "$T/rootfs" "$T/rootfs-s"
ln -sf /bin/busybox "$T/rootfs-s/sbin/init"
printf '::sysinit:/bin/touch /tmp/booted\n::respawn:/bin/sleep 3600\n::shutdown:/bin/touch /tmp/halted\n' \
	>"$T/rootfs-s/etc/inittab"
write_settings
mkdir -p "$T/sp/$PFX-sys/Container"
conf system "$T/rootfs-s"; cp "$T/system.conf" "$T/sp/$PFX-sys/Container/config"
lxc-start -n "$PFX-sys" -P "$T/run" -f "$T/system.conf" -d
for _ in $(seq 50); do [ -e "$T/rootfs-s/tmp/booted" ] && break; sleep 0.1; done
[ -e "$T/rootfs-s/tmp/booted" ]; ok $? "system.conf: busybox init boots as PID 1"
start=$(date +%s%N); out=$(timeout 20 lxc-stop -n "$PFX-sys" -P "$T/run" -t 8 2>&1); rc=$?; end=$(date +%s%N)
[ $rc -eq 0 ] && [ -e "$T/rootfs-s/tmp/halted" ] && [ $(((end - start) / 1000000)) -lt 8000 ]
ok $? "system.conf: the halt signal (SIGUSR1) shuts init down cleanly before the timeout" "$out"
sleep 0.5
! lxc-info -n "$PFX-sys" -P "$T/run" 2>/dev/null | grep -q RUNNING; ok $? "system.conf: the container did not reboot"
rm -f "$T"/rootfs-s/tmp/*
# ctlaunch start without a command: lxc.init.cmd is the container's init (PID 1), not a child
# of init.lxc; the pid file names it. ctlaunch stop sends lxc.signal.halt and waits, bounded.
out=$(timeout 20 "$CTLAUNCH" --config "$T/settings.yaml" -n "$PFX-sys" -d --pid-file "$T/sys.pid" 2>&1)
ok $? "system.conf: ctlaunch start -d boots the container" "$out"
for _ in $(seq 50); do [ -e "$T/rootfs-s/tmp/booted" ] && break; sleep 0.1; done
[ -e "$T/rootfs-s/tmp/booted" ]; ok $? "system.conf: ctlaunch start runs busybox init as PID 1 (its sysinit action ran)"
pid=$(cat "$T/sys.pid" 2>/dev/null)
nspid=$(awk '/^NSpid:/ {print $NF}' "/proc/${pid:-0}/status" 2>/dev/null)
comm=$(cat "/proc/${pid:-0}/comm" 2>/dev/null)
[ "$nspid" = 1 ] && [ "$comm" = init ]
ok $? "system.conf: the pid file names /sbin/init, PID 1 in the container" "pid=$pid nspid=$nspid comm=$comm"
start=$(date +%s%N)
out=$(timeout 20 "$CTLAUNCH" --config "$T/settings.yaml" stop -n "$PFX-sys" 2>&1); rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 0 ] && echo "$out" | grep -q "^$PFX-sys: stopped (SIGUSR1, " && [ -e "$T/rootfs-s/tmp/halted" ]
ok $? "system.conf: ctlaunch stop halts busybox init with SIGUSR1, its shutdown actions run" "$out"
[ $ms -lt 5000 ]; ok $? "system.conf: the halt ends before the stop timeout (${ms} ms < 5000)" "$out"
sleep 0.5
"$CTLAUNCH" --config "$T/settings.yaml" state -n "$PFX-sys" 2>&1 | grep -q '^state: STOPPED$'
ok $? "system.conf: after ctlaunch stop the container is stopped, not rebooted"
done_testing
