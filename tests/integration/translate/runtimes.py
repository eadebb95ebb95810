#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The translations run under the real consumers. On a busybox rootfs, a probe prints hostname,
uid/gid maps, ids, cwd, environment and mount points:
- an LXC config under lxc-execute vs its lxc2oci translation under `runc run`;
- an OCI config under `runc run` vs its oci2lxc translation under lxc-execute.
The outputs must be equal but for the differences listed (with their reason) in ALLOWED."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", os.path.dirname(__file__) + "/../.."), "tests", "lib"))
import ctlib  # noqa: E402

tap = ctlib.Tap()
if os.environ.get("CT_TEST_SCOPE") == "unit":
    tap.skip("translations under lxc-execute and runc", "CT_TEST_SCOPE=unit")
    tap.done()
if not ctlib.need_root(tap, "translations under lxc-execute and runc"):
    tap.done()

work = ctlib.tmpdir()
os.chmod(work, 0o755)  # the idmapped root (host uid 100000) must reach the rootfs
rootfs = os.path.join(work, "rootfs")
subprocess.run(["sh", os.path.join(ctlib.TOP_SRCDIR, "tests/lib/mkrootfs.sh"), rootfs], check=True)
shutil.copy(os.path.join(ctlib.TOP_SRCDIR, "tests/integration/translate/probe.sh"), os.path.join(rootfs, "probe.sh"))
share = os.path.join(work, "share")
os.makedirs(share)
os.makedirs(os.path.join(rootfs, "shared"))
env = dict(os.environ, INHERITED="from-the-launcher", PATH="/usr/sbin:/usr/bin:/sbin:/bin")

# Mount points each runtime adds by itself, with the reason they cannot match.
ALLOWED = {
    # LXC's proc:mixed protects /proc/sys and /proc/sysrq-trigger with extra bind mounts.
    "mount: /proc/sys proc ro", "mount: /proc/sys/net proc rw", "mount: /proc/sysrq-trigger proc ro",
    "mount: /proc/sys proc rw", "mount: /proc/sys/net proc ro",
    # LXC creates /dev/lxc console/tty bind mounts and mounts /dev/pts/ptmx; runc /dev/console.
    "mount: /dev/console devpts rw", "mount: /dev/ptmx devpts rw",
    # LXC hides the host's boot id behind a tmpfs file.
    "mount: /proc/sys/kernel/random/boot_id tmpfs ro",
    # On a hybrid host LXC also mounts the (empty) v2 hierarchy; runc 1.1 mounts only v1.
    "mount: /sys/fs/cgroup/unified (controller)",
}


def normalise(line):
    """Lines whose form depends on the runtime, not on the config, reduced to what both show."""
    # The cgroup tree: runc bind-mounts the container's own cgroup of each v1 controller at
    # /sys/fs/cgroup/<ctrl>; LXC mounts a tmpfs there and the container's cgroup one level
    # below (lxc.payload.NAME). Both give the container its controllers read-only.
    if line.startswith("mount: /sys/fs/cgroup/"):
        ctrl = line.split()[1].split("/")[4]
        return "mount: /sys/fs/cgroup/%s (controller)" % ctrl
    # A masked file is a bind of /dev/null, which shows the filesystem /dev/null lives on: the
    # host's devtmpfs under LXC, runc's own /dev tmpfs under runc.
    f = line.split()
    if len(f) == 4 and f[2] == "devtmpfs" and not f[1].startswith("/dev"):
        return "mount: %s tmpfs %s" % (f[1], f[3])
    return line


def probe_lines(out):
    # "/" itself is the pivoted rootfs: its type is the host's filesystem in both.
    return set(normalise(l) for l in out.splitlines() if l and not l.startswith("mount: / ")) - ALLOWED


def run_lxc(config, name):
    r = ctlib.run(["lxc-execute", "-n", name, "-f", config, "--", "/bin/sh", "/probe.sh"], env=env, timeout=60)
    return r


def run_runc(bundle, name):
    r = ctlib.run(["runc", "run", "--bundle", bundle, name], env=env, timeout=60, stdin=subprocess.DEVNULL)
    return r


def compare(name, a, b, what):
    la, lb = probe_lines(a), probe_lines(b)
    diff = ["- " + l for l in sorted(la - lb)] + ["+ " + l for l in sorted(lb - la)]
    tap.ok(not diff, "%s: %s" % (name, what), "\n".join(diff))


LXC_CASES = {
    "hostname-env-mounts": """
lxc.rootfs.path = dir:{rootfs}
lxc.uts.name = probe-lxc
lxc.mount.auto = proc:rw sys:ro
lxc.mount.entry = {share} shared none bind 0 0
lxc.mount.entry = tmpfs run tmpfs nosuid,nodev,mode=0755 0 0
lxc.environment = GREETING=hello world
lxc.environment = INHERITED
lxc.init.cwd = /tmp
lxc.net.0.type = empty
""",
    "idmap": """
lxc.rootfs.path = dir:{rootfs}
lxc.uts.name = probe-idmap
lxc.mount.auto = proc:rw sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
lxc.net.0.type = empty
""",
}

ctlib.ensure_subids()
for case, text in LXC_CASES.items():
    d = os.path.join(work, "lxc-" + case)
    os.makedirs(d)
    conf = os.path.join(d, "config")
    with open(conf, "w") as f:
        f.write(text.format(rootfs=rootfs, share=share))
    orig = run_lxc(conf, "ct-tr-%d-%s" % (os.getpid(), case))
    if not tap.ok(orig.returncode == 0, "%s: original under lxc-execute" % case, orig.stderr):
        continue
    bundle = os.path.join(d, "bundle")
    os.makedirs(bundle)
    r = ctlib.run([ctlib.tool("lxc2oci"), "-q", "-o", os.path.join(bundle, "config.json"), conf], env=env)
    if not tap.ok(r.returncode == 0, "%s: lxc2oci" % case, r.stderr):
        continue
    with open(os.path.join(bundle, "config.json")) as f:
        doc = json.load(f)
    doc["process"]["args"] = ["/bin/sh", "/probe.sh"]
    # The inherited variable is expanded by the launcher (Thunder's convention NAME=$NAME).
    doc["process"]["env"] = [e.replace("$INHERITED", env["INHERITED"]) for e in doc["process"]["env"]]
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(doc, f)
    tr = run_runc(bundle, "ct-tr-%d-%s" % (os.getpid(), case))
    if tap.ok(tr.returncode == 0, "%s: lxc2oci output under runc run" % case, tr.stderr + tr.stdout):
        compare(case, orig.stdout, tr.stdout, "runc sees what lxc-execute sees")

OCI_CASES = {
    "runc-spec": lambda d: d,
    "hostname-env-mounts": lambda d: dict(d, hostname="probe-oci",
                                          mounts=d["mounts"] + [{"destination": "/shared", "type": "bind", "source": share, "options": ["rbind", "rw"]}],
                                          process=dict(d["process"], cwd="/tmp", env=d["process"]["env"] + ["GREETING=hello world"])),
}
for case, edit in OCI_CASES.items():
    d = os.path.join(work, "oci-" + case)
    os.makedirs(d)
    ctlib.run(["runc", "spec", "-b", d], check=True)
    with open(os.path.join(d, "config.json")) as f:
        doc = json.load(f)
    doc = edit(doc)
    doc["root"] = {"path": rootfs, "readonly": False}
    doc["process"]["terminal"] = False
    doc["process"]["args"] = ["/bin/sh", "/probe.sh"]
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(doc, f, indent="\t")
    orig = run_runc(d, "ct-tr-%d-o%s" % (os.getpid(), case))
    if not tap.ok(orig.returncode == 0, "%s: original under runc run" % case, orig.stderr):
        continue
    conf = os.path.join(d, "lxc.conf")
    r = ctlib.run([ctlib.tool("oci2lxc"), "-q", "-o", conf, d], env=env)
    if not tap.ok(r.returncode == 0, "%s: oci2lxc" % case, r.stderr):
        continue
    tr = ctlib.run(["lxc-execute", "-n", "ct-tr-%d-l%s" % (os.getpid(), case), "-f", conf], env=env, timeout=60)
    if tap.ok(tr.returncode == 0, "%s: oci2lxc output under lxc-execute" % case, tr.stderr + tr.stdout):
        compare(case, orig.stdout, tr.stdout, "lxc-execute sees what runc sees")

if tap.failed == 0:
    shutil.rmtree(work, ignore_errors=True)
else:
    print("# kept " + work)
tap.done()
