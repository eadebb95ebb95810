#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Behavioural equivalence of the translations.

Every config of tests/equivalence/configs/ runs the static probe (probe.c) under its own runtime
and, translated, under the others:
- NAME.conf (LXC, @ROOTFS@ etc. replaced): lxc-execute; lxc2oci's output under runc; the config
  under ctlaunch -f;
- NAME.json (an edit of `runc spec`): runc; oci2lxc's output under lxc-execute; the bundle under
  ctlaunch -b (which translates it in memory).
The probe outputs are compared field by field. A differing field fails the direction unless
ALLOWED below lists it with the reason it cannot match. TAP: one line per config and direction,
then a summary line; every differing field is listed as a comment. CT_EQ_ONLY=GLOB runs only
the configs whose name matches.

OCI edit files (NAME.json): {"spec": [args of runc spec], "set": {POINTER: VALUE},
"append": {POINTER: [VALUES]}, "remove": [POINTER]}; applied in that order to `runc spec`'s
output, then root.path, process.terminal (false) and process.args (["/probe"]) are set.
Placeholders in both kinds: @ROOTFS@ (the busybox rootfs, with /probe), @SHARE@ (a host dir
holding "file"), @CONFIGS@ (this directory), @DIR@ (the config's work directory, where the
files NAME.EXT next to the config are copied with their placeholders replaced: fstab, seccomp
profile), @LXC_ROOTFS_MOUNT@ (liblxc's lxc.rootfs.mount default, which the translator's
read-only path entries refer to).

Without $TOP_BUILDDIR/ctlaunch the ctlaunch directions are skipped."""
import concurrent.futures
import fnmatch
import itertools
import json
import os
import shutil
import subprocess
import sys
import time

TOP_SRCDIR = os.environ.get("TOP_SRCDIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
sys.path.insert(0, os.path.join(TOP_SRCDIR, "tests", "lib"))
import ctlib  # noqa: E402

HERE = os.path.join(ctlib.TOP_SRCDIR, "tests", "equivalence")
CONFIGS = os.path.join(HERE, "configs")
TIMEOUT = 30
JOBS = 2

# Differences inherent to the runtimes, not to the translation: (config, field, reason) or
# (config, field, values, reason). config is a glob over NAME (the config's file name without
# extension) or NAME/DIRECTION (DIRECTION: runc, lxc or ctlaunch; "*" for all); field a glob over
# the probe's field names; values, when given, a glob over "ORIGINAL | TRANSLATION" that the
# two values must match. A translator bug is never listed here: it fails.
ALLOWED = [
    ("*", "mount /sys/fs/cgroup/*",
     "cgroup tree layout: runc binds the container's cgroup of each v1 controller at "
     "/sys/fs/cgroup/CTRL; LXC mounts a tmpfs there, the container's cgroup one level below "
     "(lxc.payload.NAME), and on a hybrid host the unified hierarchy as well (/sys/fs/cgroup "
     "itself must match, and the limits are compared through the cgroup fields)"),
    ("*", "env HOME",
     "runc sets HOME from the rootfs's /etc/passwd when process.env has none; liblxc does not"),
    ("*", "mount /dev/console",
     "LXC binds its console pty on /dev/console; runc does only with process.terminal true"),
    ("*", "mount /dev/ptmx",
     "LXC binds /dev/pts/ptmx on /dev/ptmx when it mounts a devpts; runc makes /dev/ptmx a symlink"),
    ("*", "mount /proc/sys/kernel/random/boot_id",
     "LXC hides the host's boot id behind a read-only tmpfs file; runc does not"),
    ("oci-*", "cgroup *", "* | <EACCES>",
     "liblxc creates the controller directories of its /sys/fs/cgroup tmpfs with mode 0000: "
     "without CAP_DAC_OVERRIDE (runc spec's capability set) the container cannot reach its "
     "cgroup files, which runc's bind leaves readable (oci-cgroup-limits adds the capability)"),
    ("lxc-mount-auto-mixed/runc", "mount /proc/sys*",
     "proc:mixed: liblxc binds /proc/sys read-only and /proc/sys/net writable over it, "
     "which no OCI mount or readonlyPaths entry can express (doc/mapping.md: not translated)"),
    ("lxc-mount-auto-mixed/runc", "mount /sys/devices/virtual/net",
     "sys:mixed: liblxc keeps /sys/devices/virtual/net writable in a read-only /sys "
     "(doc/mapping.md: not translated)"),
    ("lxc-devices-*/runc", "device /dev/*",
     "runc always allows its default devices (null, zero, full, tty, random, urandom, ptmx, "
     "pts, tun) after the configured rules; lxc2oci warns about it"),
    ("oci-devices/*", "mount /dev/kmsg", "<absent> | chr-1:11 *",
     "linux.devices: runc creates the node with mknod, liblxc has no key for that and the "
     "translation binds the host's node (access is compared through the device fields)"),
    ("oci-caps-ambient/*", "Cap*", "* | 0000000000000000",
     "liblxc 5.0.2 has no key for the capabilities of a non-root init: it switches uid without "
     "keeping any (oci2lxc warns), runc raises the configured ambient set"),
    ("lxc-linux32/runc", "personality",
     "runc 1.1 ignores linux.personality (implemented in runc 1.2)"),
    ("lxc-linux32/runc", "uname machine",
     "runc 1.1 ignores linux.personality (implemented in runc 1.2)"),
    ("oci-personality", "personality",
     "runc 1.1 ignores linux.personality (implemented in runc 1.2); liblxc honours lxc.arch"),
    ("oci-personality", "uname machine",
     "runc 1.1 ignores linux.personality (implemented in runc 1.2); liblxc honours lxc.arch"),
    ("lxc-time/runc", "run",
     "runc 1.1 does not know the time namespace (\"namespace time does not exist\"); "
     "runc 1.2 does"),
    ("oci-sysctl/*", "mount /proc/sys/*", "<absent> | proc rw",
     "liblxc writes lxc.sysctl.* after the mount entries, so each namespaced sysctl under a "
     "read-only path gets a writable bind of its own file (doc/mapping.md, 'What cannot match')"),
]


def allowance(config, direction, field, values):
    """The number (1-based) of the first ALLOWED row covering this difference, or None."""
    for n, row in enumerate(ALLOWED, 1):
        c, f, v = row[0], row[1], row[2] if len(row) == 4 else "*"
        if (fnmatch.fnmatchcase(config, c) or fnmatch.fnmatchcase(config + "/" + direction, c)) \
                and fnmatch.fnmatchcase(field, f) and fnmatch.fnmatchcase(values, v):
            return n
    return None


def parse_probe(out):
    """The probe's "field: value" lines as a dict; None when the probe did not finish."""
    fields = {}
    done = False
    for line in out.splitlines():
        name, sep, value = line.partition(": ")
        if not sep:
            continue
        if name == "end":
            done = True
            continue
        fields[name] = value
    return fields if done else None


class Runner:
    """Runs one container under one runtime, with a unique name and its own state dirs."""

    def __init__(self, work, rootfs, env):
        self.work = work
        self.rootfs = rootfs
        self.env = env
        self.seq = itertools.count(1)
        self.state = os.path.join(work, "state")
        for sub in ("lxc", "runc", "ctlaunch"):
            os.makedirs(os.path.join(self.state, sub), exist_ok=True)
        self.settings = os.path.join(self.state, "ctlaunch.yaml")
        with open(self.settings, "w") as f:
            f.write("# empty: ctlaunch's defaults, nothing from the host's settings\n")

    def name(self):
        return "ct-eq-%d-%d" % (os.getpid(), next(self.seq))

    def _run(self, argv, **kw):
        t = time.monotonic()
        try:
            r = ctlib.run(argv, env=self.env, timeout=TIMEOUT, stdin=subprocess.DEVNULL, **kw)
        except subprocess.TimeoutExpired:
            self.reap(argv)
            return None, "timed out after %d s: %s" % (TIMEOUT, " ".join(argv)), time.monotonic() - t
        if r.returncode != 0 or parse_probe(r.stdout) is None:
            return None, "%s: exit %d\n%s%s" % (" ".join(argv), r.returncode, r.stderr, r.stdout), \
                time.monotonic() - t
        return parse_probe(r.stdout), r.stderr, time.monotonic() - t

    def reap(self, argv):
        """After a timeout: kill the container the command left behind (its name follows -n, or
        is runc's last argument)."""
        name = argv[argv.index("-n") + 1] if "-n" in argv else argv[-1]
        if argv[0] == "runc":
            ctlib.run(["runc", "--root", os.path.join(self.state, "runc"), "delete", "-f", name], timeout=10)
        else:
            path = os.path.join(self.state, "lxc" if argv[0] == "lxc-execute" else "ctlaunch")
            ctlib.run(["lxc-stop", "-k", "-n", name, "-P", path], timeout=10)

    def lxc(self, conf, cmd):
        return self._run(["lxc-execute", "-n", self.name(), "-P", os.path.join(self.state, "lxc"),
                          "-f", conf] + (["--"] + cmd if cmd else []))

    def runc(self, bundle):
        return self._run(["runc", "--root", os.path.join(self.state, "runc"), "run", "--bundle", bundle,
                          self.name()])

    def ctlaunch(self, how, path, cmd):
        return self._run([ctlib.tool("ctlaunch"), "--config", self.settings, "--run-dir",
                          os.path.join(self.state, "ctlaunch"), "-q", "start", "-n", self.name(), how, path] +
                         (["--"] + cmd if cmd else []))


def lxc_rootfs_mount():
    """liblxc's rootfs mount point, as configure found it (the read-only path encoding)."""
    try:
        with open(os.path.join(ctlib.TOP_BUILDDIR, "config.h")) as f:
            for line in f:
                if line.startswith("#define CT_LXC_ROOTFS_MOUNT "):
                    return json.loads(line.split(None, 2)[2])
    except OSError:
        pass
    return "/usr/lib/x86_64-linux-gnu/lxc/rootfs"


LXC_ROOTFS_MOUNT = lxc_rootfs_mount()


def substitute(text, rootfs, share, d=""):
    return text.replace("@ROOTFS@", rootfs).replace("@SHARE@", share).replace("@CONFIGS@", CONFIGS) \
        .replace("@LXC_ROOTFS_MOUNT@", LXC_ROOTFS_MOUNT).replace("@DIR@", d)


def side_files(case, d, rootfs, share):
    """NAME.EXT files next to the config (fstab, seccomp profile) go to the case's directory
    (@DIR@), placeholders replaced."""
    for fn in os.listdir(CONFIGS):
        base, ext = os.path.splitext(fn)
        if base == case.name and ext not in (".conf", ".json"):
            with open(os.path.join(CONFIGS, fn)) as f:
                text = substitute(f.read(), rootfs, share, d)
            with open(os.path.join(d, fn), "w") as f:
                f.write(text)


def pointer_parts(ptr):
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]


def pointer_parent(doc, ptr, create=False):
    parts = pointer_parts(ptr)
    cur = doc
    for p in parts[:-1]:
        if isinstance(cur, list):
            cur = cur[int(p)]
        else:
            if p not in cur and create:
                cur[p] = {}
            cur = cur[p]
    return cur, parts[-1]


def edit_spec(spec, edit, rootfs, share, d):
    doc = json.loads(json.dumps(spec))
    for ptr, value in edit.get("set", {}).items():
        parent, key = pointer_parent(doc, ptr, create=True)
        if isinstance(parent, list):
            parent[int(key)] = value
        else:
            parent[key] = value
    for ptr, values in edit.get("append", {}).items():
        parent, key = pointer_parent(doc, ptr, create=True)
        parent.setdefault(key, []).extend(values)
    for ptr in edit.get("remove", []):
        parent, key = pointer_parent(doc, ptr)
        if isinstance(parent, list):
            del parent[int(key)]
        else:
            parent.pop(key, None)
    doc["root"]["path"] = rootfs
    doc["process"]["terminal"] = False
    doc["process"]["args"] = ["/probe"]
    return json.loads(substitute(json.dumps(doc), rootfs, share, d))


def expand_inherited(doc, env):
    """lxc.environment = NAME travels as NAME=$NAME, which the launcher (Thunder, ctlaunch)
    expands and runc does not: do what the launcher does."""
    out = []
    for e in doc.get("process", {}).get("env", []):
        name, _, value = e.partition("=")
        if value == "$" + name:
            if name not in env:
                continue
            value = env[name]
        out.append(name + "=" + value)
    doc["process"]["env"] = out


def compare(config, direction, base, other):
    """(unexplained, explained): lists of "field: A | B" lines, explained ones with the reason."""
    bad, allowed = [], []
    for field in sorted(set(base) | set(other), key=lambda f: (f not in base, f)):
        a, b = base.get(field, "<absent>"), other.get(field, "<absent>")
        if a == b:
            continue
        line = "%s: %s | %s" % (field, a, b)
        n = allowance(config, direction, field, "%s | %s" % (a, b))
        if n:
            allowed.append((n, line))
        else:
            bad.append(line)
    return bad, allowed


class Case:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.kind = "lxc" if path.endswith(".conf") else "oci"
        # (direction, label, unexplained differences (None: did not run, "skip"),
        #  explained ones [(ALLOWED row, line)], diagnostics)
        self.results = []


def run_lxc_case(case, runner, d, rootfs, share):
    with open(case.path) as f:
        text = substitute(f.read(), rootfs, share, d)
    conf = os.path.join(d, "config")
    with open(conf, "w") as f:
        f.write(text)
    base, err, _ = runner.lxc(conf, ["/probe"])
    label_runc = "lxc-execute vs runc (lxc2oci)"
    label_ctl = "lxc-execute vs ctlaunch -f"
    if base is None:
        case.results.append(("runc", label_runc, None, [], "the original failed under lxc-execute: " + err))
        case.results.append(("ctlaunch", label_ctl, None, [], "the original failed under lxc-execute: " + err))
        return
    bundle = os.path.join(d, "bundle")
    os.makedirs(bundle)
    cj = os.path.join(bundle, "config.json")
    r = ctlib.run([ctlib.tool("lxc2oci"), "-o", cj, conf], env=runner.env)
    if r.returncode != 0:
        case.results.append(("runc", label_runc, None, [], "lxc2oci failed:\n" + r.stderr))
    else:
        with open(cj) as f:
            doc = json.load(f)
        doc["process"]["args"] = ["/probe"]
        expand_inherited(doc, runner.env)
        with open(cj, "w") as f:
            json.dump(doc, f, indent="\t")
        other, err2, _ = runner.runc(bundle)
        record(case, "runc", label_runc, base, other, err2, r.stderr)
    if os.path.exists(ctlib.tool("ctlaunch")):
        other, err2, _ = runner.ctlaunch("-f", conf, ["/probe"])
        record(case, "ctlaunch", label_ctl, base, other, err2, "")
    else:
        case.results.append(("ctlaunch", label_ctl, "skip", [], "ctlaunch is not built"))


def run_oci_case(case, runner, d, rootfs, share, specs):
    with open(case.path) as f:
        edit = json.load(f)
    spec = specs[tuple(edit.get("spec", []))]
    doc = edit_spec(spec, edit, rootfs, share, d)
    bundle = os.path.join(d, "bundle")
    os.makedirs(bundle)
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(doc, f, indent="\t")
    base, err, _ = runner.runc(bundle)
    label_lxc = "runc vs lxc-execute (oci2lxc)"
    label_ctl = "runc vs ctlaunch -b"
    if base is None:
        case.results.append(("lxc", label_lxc, None, [], "the original failed under runc: " + err))
        case.results.append(("ctlaunch", label_ctl, None, [], "the original failed under runc: " + err))
        return
    conf = os.path.join(d, "lxc.conf")
    r = ctlib.run([ctlib.tool("oci2lxc"), "-o", conf, bundle], env=runner.env)
    if r.returncode != 0:
        case.results.append(("lxc", label_lxc, None, [], "oci2lxc failed:\n" + r.stderr))
    else:
        other, err2, _ = runner.lxc(conf, None)
        record(case, "lxc", label_lxc, base, other, err2, r.stderr)
    if os.path.exists(ctlib.tool("ctlaunch")):
        other, err2, _ = runner.ctlaunch("-b", bundle, None)
        record(case, "ctlaunch", label_ctl, base, other, err2, "")
    else:
        case.results.append(("ctlaunch", label_ctl, "skip", [], "ctlaunch is not built"))


def record(case, direction, label, base, other, err, warnings):
    if other is None:
        n = allowance(case.name, direction, "run", "ok | failed")
        diag = "the translation failed to run: " + err
        if warnings.strip():
            diag += "\ntranslator warnings:\n" + warnings
        if n:
            case.results.append((direction, label, [], [(n, "run: ok | failed")], ""))
        else:
            case.results.append((direction, label, None, [], diag))
        return
    bad, allowed = compare(case.name, direction, base, other)
    diag = ""
    if bad and warnings.strip():
        diag = "translator warnings:\n" + warnings
    case.results.append((direction, label, bad, allowed, diag))


def run_case(case, runner, work, rootfs, share, specs):
    d = os.path.join(work, case.name)
    os.makedirs(d)
    try:
        side_files(case, d, rootfs, share)
        if case.kind == "lxc":
            run_lxc_case(case, runner, d, rootfs, share)
        else:
            run_oci_case(case, runner, d, rootfs, share, specs)
    except Exception as e:  # a broken test file is a failure of that config, not of the run
        case.results.append(("driver", "driver", None, [], "%s: %r" % (case.path, e)))
    return case


def load_cases():
    cases = []
    for fn in sorted(os.listdir(CONFIGS)):
        base, ext = os.path.splitext(fn)
        if ext in (".conf", ".json"):
            if fnmatch.fnmatchcase(base, os.environ.get("CT_EQ_ONLY", "*")):
                cases.append(Case(base, os.path.join(CONFIGS, fn)))
    return cases


def runc_specs(cases, work):
    specs = {}
    for case in cases:
        if case.kind != "oci":
            continue
        with open(case.path) as f:
            args = tuple(json.load(f).get("spec", []))
        if args in specs:
            continue
        d = os.path.join(work, "spec-%d" % len(specs))
        os.makedirs(d)
        ctlib.run(["runc", "spec", "-b", d] + list(args), check=True)
        with open(os.path.join(d, "config.json")) as f:
            specs[args] = json.load(f)
    return specs


def main():
    tap = ctlib.Tap()
    what = "behavioural equivalence of the translations"
    if os.environ.get("CT_TEST_SCOPE") == "unit":
        tap.skip(what, "CT_TEST_SCOPE=unit")
        tap.done()
    if not ctlib.need_root(tap, what):
        tap.done()
    probe = ctlib.tool("tests/equivalence/probe")
    if not os.path.exists(probe):
        tap.ok(False, what, "the probe is not built: " + probe)
        tap.done()

    start = time.monotonic()
    work = ctlib.tmpdir()
    os.chmod(work, 0o755)  # idmapped containers (host uid 100000) must reach the rootfs
    rootfs = os.path.join(work, "rootfs")
    subprocess.run(["sh", os.path.join(ctlib.TOP_SRCDIR, "tests/lib/mkrootfs.sh"), rootfs], check=True)
    shutil.copy(probe, os.path.join(rootfs, "probe"))
    os.chmod(os.path.join(rootfs, "probe"), 0o755)
    os.makedirs(os.path.join(rootfs, "shared"))
    share = os.path.join(work, "share")
    os.makedirs(share)
    with open(os.path.join(share, "file"), "w") as f:
        f.write("shared\n")
    ctlib.ensure_subids()
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "INHERITED": "from-the-launcher", "LANG": "C"}
    runner = Runner(work, rootfs, env)

    cases = load_cases()
    specs = runc_specs(cases, work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        done = list(pool.map(lambda c: run_case(c, runner, work, rootfs, share, specs), cases))

    n_dirs = n_allowed = 0
    used = set()
    for case in done:
        for direction, label, bad, allowed, diag in case.results:
            n_dirs += 1
            n_allowed += len(allowed)
            name = "%s (%s): %s" % (case.name, case.kind, label)
            if bad == "skip":
                tap.skip(name, diag)
            elif bad is None:
                tap.ok(False, name, diag)
            else:
                lines = ["differs: " + b for b in bad] + ([diag] if diag else [])
                tap.ok(not bad, name, "\n".join(lines))
            for n, a in allowed:
                used.add(n)
                print("#   allowed [%d] %s" % (n, a))
    for n, row in enumerate(ALLOWED, 1):
        if n in used:
            print("# [%d] %s" % (n, row[-1]))
    unused = [str(n) for n in range(1, len(ALLOWED) + 1) if n not in used]
    if unused and "CT_EQ_ONLY" not in os.environ:
        print("# allowances not needed on this host: " + " ".join(unused))
    elapsed = time.monotonic() - start
    tap.ok(tap.failed == 0, "summary: %d configs, %d directions, %d failed, %d allowed differences, %.1f s"
           % (len(done), n_dirs, tap.failed, n_allowed, elapsed))
    if tap.failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("# kept " + work)
    tap.done()


if __name__ == "__main__":
    main()
