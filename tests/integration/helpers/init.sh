#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch init: a container from a rootfs tarball in Thunder's layout, run by ctlaunch; refusal
# to overwrite; a failed init leaves nothing behind; --oci writes a valid config.json.
set -u
. "$(dirname "$0")/lib.sh"
gate "ctlaunch init builds and runs real containers"
setup_tmp
export CTLAUNCH_TEMPLATE_DIR=$TOP_SRCDIR/templates
export COMMUNICATOR_CONNECTOR=/tmp/communicator MESSAGE_DISPATCHER_CONFIG=/tmp/MessageDispatcher
build_probe; make_rootfs "$T/rootfs"; write_settings
tar -C "$T/rootfs" -czf "$T/rootfs.tar.gz" .
C=(--config "$T/settings.yaml")
N=$PFX-ocdm

out=$("$CTLAUNCH" init "${C[@]}" -n "$N" --rootfs "$T/rootfs.tar.gz" --oci 2>&1)
ok $? "init from a tarball into the settings' first search path" "$out"
d=$T/sp/$N/Container
[ -f "$d/config" ] && [ -x "$d/rootfs/bin/sysprobe" ] && [ -f "$d/config.json" ]
ok $? "Container/{config,rootfs,config.json} exist" "$(ls -la "$d" 2>&1)"
! grep -v "^ *#" "$d/config" | grep -q "lxc.include\|@TEMPLATEDIR@"; ok $? "the config is flat (no include, no placeholder)"
grep -qx "lxc.seccomp.profile = $d/common.seccomp" "$d/config" && [ -f "$d/common.seccomp" ]
ok $? "the seccomp profile is copied beside the config and named by its final path"
out=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["root"]["path"]=="rootfs", j["root"]; assert j["linux"]["seccomp"]["syscalls"]' "$d/config.json" 2>&1)
ok $? "config.json is JSON with root.path rootfs and the seccomp rules" "$out"
out=$(timeout 30 "$CTLAUNCH" "${C[@]}" -n "$N" -- /bin/sysprobe allowed 2>&1)
ok $? "ctlaunch -n NAME runs the container made by init" "$out"
out=$(timeout 30 "$CTLAUNCH" "${C[@]}" -n "$N" -- /bin/sysprobe blocked 2>&1)
ok $? "its seccomp profile blocks what it must" "$out"

before=$(cd "$T/sp" && find . | sort | md5sum)
out=$("$CTLAUNCH" init "${C[@]}" -n "$N" --rootfs "$T/rootfs.tar.gz" 2>&1); rc=$?
after=$(cd "$T/sp" && find . | sort | md5sum)
[ $rc -eq 1 ] && echo "$out" | grep -q "already exists" && [ "$before" = "$after" ]
ok $? "a second init is refused and changes nothing" "$out"
echo marker >"$d/rootfs/marker"
out=$("$CTLAUNCH" init "${C[@]}" -n "$N" --rootfs "$T/rootfs" --template system --force 2>&1)
[ $? -eq 0 ] && [ ! -e "$d/rootfs/marker" ] && grep -q "lxc.signal.halt = SIGUSR1" "$d/config" &&
	[ -z "$(ls -A "$T/sp/$N" | grep -v '^Container$')" ]
ok $? "--force replaces it (from a directory, system template) and leaves no temporary" "$out"

echo "not a tarball" >"$T/bad.tar"
out=$("$CTLAUNCH" init "${C[@]}" -n "$PFX-bad" --rootfs "$T/bad.tar" 2>&1); rc=$?
[ $rc -eq 1 ] && [ ! -e "$T/sp/$PFX-bad" ]; ok $? "a failed init leaves nothing behind" "$out"
out=$("$CTLAUNCH" init "${C[@]}" -n "$PFX-bad" --rootfs "$T/rootfs" --template nosuch 2>&1); rc=$?
[ $rc -eq 1 ] && [ ! -e "$T/sp/$PFX-bad" ] && echo "$out" | grep -q "template"
ok $? "an unknown template fails, leaving nothing" "$out"
out=$("$CTLAUNCH" init -n 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "Try 'ctlaunch --help'"; ok $? "bad usage exits 2 with the help pointer" "$out"
"$CTLAUNCH" init --help | grep -q "^Usage: ctlaunch init"; ok $? "--help prints the usage to stdout"
done_testing
