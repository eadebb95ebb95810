# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared helpers of the Python test drivers: TAP output, the oracles (liblxc through
python3-lxc, the runtime-spec JSON schema), and running the project's commands."""
import json
import os
import subprocess
import sys
import tempfile

TOP_SRCDIR = os.environ.get("TOP_SRCDIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
TOP_BUILDDIR = os.environ.get("TOP_BUILDDIR", TOP_SRCDIR)
SCHEMA_DIR = "/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema"
IN_CI = os.environ.get("CI") == "true"


class Tap:
    """TAP producer: one line per check, a plan at the end, exit status 1 on any failure."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for line in str(diag or "").splitlines()[:60]:
                print("# " + line)
        sys.stdout.flush()
        return cond

    def skip(self, name, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why))

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


def need_root(tap, what):
    """Root-only checks: skip with a reason outside CI; in CI a missing root is a failure."""
    if os.geteuid() == 0:
        return True
    if IN_CI:
        tap.ok(False, what, "needs root, and CI=true forbids skipping")
    else:
        tap.skip(what, "needs root")
    return False


def tool(name):
    return os.path.join(TOP_BUILDDIR, name)


def run(args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 60)
    return subprocess.run(args, **kw)


def schema_validator():
    import jsonschema
    from jsonschema import RefResolver

    path = os.path.join(SCHEMA_DIR, "config-schema.json")
    with open(path) as f:
        schema = json.load(f)
    # Debian ships the 1.0.2 schema. runtime-spec 1.1 added the "time" namespace together with
    # linux.timeOffsets (which 1.0.2 lets through as an unknown member); accept exactly that.
    with open(os.path.join(SCHEMA_DIR, "defs-linux.json")) as f:
        linux = json.load(f)
    ns = linux["definitions"]["NamespaceType"]["enum"]
    if "time" not in ns:
        ns.append("time")
    base = "file://" + SCHEMA_DIR + "/"
    resolver = RefResolver(base_uri=base, referrer=schema, store={base + "defs-linux.json": linux})
    return jsonschema.Draft4Validator(schema, resolver=resolver)


LXC_DUMP = r'''
import json, sys, lxc
c = lxc.Container("ctlaunch-oracle", "/nonexistent-lxcpath")
if not c.load_config(sys.argv[1]):
    print(json.dumps({"__error__": "liblxc could not load " + sys.argv[1]}))
    sys.exit(0)
out = {}
def get(k):
    try:
        return c.get_config_item(k)
    except Exception as e:
        return "<error %s>" % e
for k in c.get_keys():
    if k in ("lxc.net",):
        nets = get(k) or []
        out[k] = nets
        for i in range(len(nets)):
            for sub in c.get_keys("lxc.net.%d" % i) or []:
                key = "lxc.net.%d.%s" % (i, sub)
                out[key] = get(key)
        continue
    out[k] = get(k)
print(json.dumps(out, sort_keys=True))
'''


def lxc_values(path, env=None):
    """Every key's value as liblxc 5 reads it from the config at path (a dict)."""
    r = run(["/usr/bin/python3", "-c", LXC_DUMP, path], env=env)
    if r.returncode != 0:
        return {"__error__": r.stderr.strip()}
    return json.loads(r.stdout)


def tmpdir():
    return tempfile.mkdtemp(prefix="ctlaunch-test-")


def ensure_subids(user="root", start=100000, count=65536):
    """liblxc uses newuidmap whenever it is installed, even as root, and newuidmap refuses maps
    /etc/subuid and /etc/subgid do not allow. Tests that start idmapped containers as root make
    sure root owns the range they use (an entry is added once and left in place)."""
    line = "%s:%d:%d\n" % (user, start, count)
    for path in ("/etc/subuid", "/etc/subgid"):
        try:
            with open(path) as f:
                have = f.read()
        except FileNotFoundError:
            have = ""
        if line not in have:
            with open(path, "a") as f:
                if have and not have.endswith("\n"):
                    f.write("\n")
                f.write(line)
