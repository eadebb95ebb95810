#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch check on this machine: text and JSON agree, JSON is well formed, the exit status
# says whether containers can run.
set -u
. "$(dirname "$0")/lib.sh"
if [ "${CT_TEST_SCOPE:-}" = unit ]; then echo "ok 1 - check # SKIP CT_TEST_SCOPE=unit"; echo "1..1"; exit 0; fi
setup_tmp; write_settings
out=$("$CTLAUNCH" check --config "$T/settings.yaml" --format json); rc=$?
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = {i["name"] for i in d["items"]}
for n in ("namespace.user", "namespace.pid", "namespace.net", "cgroup.layout", "seccomp",
          "pidfd_open", "pidfd_send_signal", "cgroup.kill", "newuidmap", "liblxc", "state.run-dir"):
    assert n in names, n
for i in d["items"]:
    assert i["status"] in ("OK", "WARN", "FAIL"), i
    assert i["detail"], i
assert d["can_run"] == (sys.argv[1] == "0") == all(i["status"] != "FAIL" for i in d["items"])
' "$rc"
ok $? "--format json lists every item with a status and the exit status matches can_run" "$out"
txt=$("$CTLAUNCH" check --config "$T/settings.yaml"); rc2=$?
[ $rc -eq $rc2 ] && [ "$(echo "$txt" | grep -cE '^(OK|WARN|FAIL) ')" = "$(echo "$out" | grep -c '"status"')" ]
ok $? "text output has one line per item and the same exit status" "$txt"
out=$("$CTLAUNCH" check --format yaml 2>&1); [ $? -eq 2 ] && echo "$out" | grep -q "Try 'ctlaunch --help'"
ok $? "a bad --format exits 2" "$out"
done_testing
