#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Bad input and bad usage. Every malformed config in tests/corpus/bad/ (plus generated ones: a
3 MB line, binary junk, 100000 nested brackets) makes lxc2oci (.conf) or oci2lxc (.json) exit 1
with a located message (FILE:LINE: for LXC, FILE:LINE:COL: for JSON) and write nothing: no
output file, no temporary file left beside it, the input unchanged. Bad command lines exit 2
with one line and a "Try ... --help" hint."""
import glob
import hashlib
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", os.path.dirname(__file__) + "/../.."), "tests", "lib"))
import ctlib  # noqa: E402

tap = ctlib.Tap()
work = ctlib.tmpdir()
bad = os.path.join(ctlib.TOP_SRCDIR, "tests/corpus/bad")
gen = os.path.join(work, "generated")
os.makedirs(gen)


def write(name, data):
    p = os.path.join(gen, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


inputs = sorted(p for p in glob.glob(bad + "/*") if p.endswith((".conf", ".json")))
inputs += [
    write("long-line.conf", b"lxc.uts.name = " + b"a" * (3 * 1024 * 1024) + b"\n"),
    write("long-line.json", b'{"ociVersion": "' + b"a" * (3 * 1024 * 1024) + b'", }\n'),
    write("binary-junk.conf", bytes(range(256)) * 64),
    write("binary-junk.json", b"{\x00\xff\xfe" + bytes(range(256)) * 64),
    write("nested-brackets.json", b"[" * 100000 + b"]" * 100000),
    write("nested-objects.json", b'{"a":' * 100000 + b"1" + b"}" * 100000),
]


def digest(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


for p in inputs:
    name = os.path.basename(p)
    tool = "lxc2oci" if name.endswith(".conf") else "oci2lxc"
    outdir = os.path.join(work, "out-" + name)
    os.makedirs(outdir)
    out = os.path.join(outdir, "result")
    before = digest(p)
    r = ctlib.run([ctlib.tool(tool), "-o", out, p], timeout=20)
    err = r.stderr.strip().splitlines()
    first = next((l for l in err if ": error: " in l), "")
    loc = r"[^:]+:\d+:\d+: error: " if tool == "oci2lxc" else r"[^:]+:\d+:(\d+:)? error: "
    tap.ok(r.returncode == 1, "%s: %s exits 1" % (name, tool), "exit %d\n%s" % (r.returncode, r.stderr[-2000:]))
    tap.ok(re.match(r"^%s: %s.+" % (tool, loc), first) is not None,
           "%s: error is located" % name, first[:300] or r.stderr[-500:])
    tap.ok(os.listdir(outdir) == [], "%s: nothing written" % name, os.listdir(outdir))
    tap.ok(digest(p) == before, "%s: input unchanged" % name)

# A file that does not exist: exit 1, the message names it.
r = ctlib.run([ctlib.tool("lxc2oci"), "/nonexistent/config"])
tap.ok(r.returncode == 1 and "/nonexistent/config" in r.stderr, "missing input file exits 1 and names it", r.stderr)

# Bad usage: exit 2, one line, and the --help hint.
for tool in ("lxc2oci", "oci2lxc"):
    for args in (["--bogus"], ["-o"], ["a", "b"], ["--rootfs="], ["-x"]):
        r = ctlib.run([ctlib.tool(tool)] + args)
        lines = r.stderr.strip().splitlines()
        tap.ok(r.returncode == 2 and len(lines) == 2 and lines[1] == "Try '%s --help' for more information." % tool,
               "%s %s: usage error, exit 2" % (tool, " ".join(args)), "exit %d: %s" % (r.returncode, r.stderr))
    r = ctlib.run([ctlib.tool(tool), "--help"])
    tap.ok(r.returncode == 0 and r.stdout.startswith("Usage: %s" % tool) and not r.stderr,
           "%s --help goes to stdout, exit 0" % tool, r.stderr)

if tap.failed == 0:
    shutil.rmtree(work, ignore_errors=True)
else:
    print("# kept " + work)
tap.done()
