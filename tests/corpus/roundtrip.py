#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Corpus: every LXC config goes LXC -> OCI -> LXC and every OCI config OCI -> LXC -> OCI.
- lxc2oci's output is valid against the runtime-spec JSON schema;
- oci2lxc's output loads in liblxc;
- LXC round trip: liblxc reads the same value for every key before and after;
- OCI round trip: the same JSON document comes back.
Corpus: tests/corpus/lxc/*.conf, tests/corpus/oci/*.json, every file of /usr/share/lxc/config/,
the config `lxc-create -t busybox` writes, `runc spec` and `runc spec --rootless`."""
import glob
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", os.path.dirname(__file__) + "/../.."), "tests", "lib"))
import ctlib  # noqa: E402

tap = ctlib.Tap()
work = ctlib.tmpdir()
validator = ctlib.schema_validator()
# Configs that inherit variables (lxc.environment = NAME) need them set for liblxc to load.
env = dict(os.environ, MESSAGE_DISPATCHER_CONFIG="/tmp/MessageDispatcher",
           COMMUNICATOR_CONNECTOR="/tmp/communicator")


def schema_errors(doc):
    return "\n".join("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message)
                     for e in validator.iter_errors(doc))


def lxc_case(name, path):
    base = os.path.join(os.path.dirname(path) if path.startswith(corpus) else work, name)
    oci = base + ".json"
    back = base + ".back.conf"
    r = ctlib.run([ctlib.tool("lxc2oci"), "-q", "-o", oci, path], env=env)
    if not tap.ok(r.returncode == 0, "lxc2oci %s" % name, r.stderr):
        return
    with open(oci) as f:
        doc = json.load(f)
    errs = schema_errors(doc)
    tap.ok(not errs, "lxc2oci %s: output valid against the runtime-spec schema" % name, errs)
    r = ctlib.run([ctlib.tool("oci2lxc"), "-q", "-o", back, oci], env=env)
    if not tap.ok(r.returncode == 0, "oci2lxc back %s" % name, r.stderr):
        return
    before = ctlib.lxc_values(path, env)
    after = ctlib.lxc_values(back, env)
    if "__error__" in before:
        # Without a loadable original there is no oracle value to compare against.
        tap.skip("%s: LXC round trip" % name, "liblxc cannot load the input: %s" % before["__error__"])
        return
    if not tap.ok("__error__" not in after, "%s: oci2lxc output loads in liblxc" % name, after.get("__error__")):
        return
    diff = ["%s: %r -> %r" % (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    tap.ok(not diff, "%s: LXC -> OCI -> LXC gives every key the same value in liblxc" % name,
           "\n".join(diff))


def oci_case(name, path):
    base = os.path.join(work, name)
    lxcf = base + ".conf"
    back = base + ".back.json"
    with open(path) as f:
        orig = json.load(f)
    r = ctlib.run([ctlib.tool("oci2lxc"), "-q", "-o", lxcf, path], env=env)
    if not tap.ok(r.returncode == 0, "oci2lxc %s" % name, r.stderr):
        return
    vals = ctlib.lxc_values(lxcf, env)
    tap.ok("__error__" not in vals, "%s: oci2lxc output loads in liblxc" % name, vals.get("__error__"))
    r = ctlib.run([ctlib.tool("lxc2oci"), "-q", "-o", back, lxcf], env=env)
    if not tap.ok(r.returncode == 0, "lxc2oci back %s" % name, r.stderr):
        return
    with open(back) as f:
        again = json.load(f)
    tap.ok(again == orig, "%s: OCI -> LXC -> OCI gives the same document" % name,
           json_diff(orig, again))
    errs = schema_errors(again)
    tap.ok(not errs, "%s: round-tripped document valid against the schema" % name, errs)


def json_diff(a, b, path=""):
    if type(a) != type(b):
        return "%s: %r != %r\n" % (path or "/", a, b)
    if isinstance(a, dict):
        return "".join(json_diff(a.get(k), b.get(k), path + "/" + k) for k in sorted(set(a) | set(b))
                       if a.get(k) != b.get(k))
    if isinstance(a, list) and len(a) == len(b):
        return "".join(json_diff(x, y, "%s/%d" % (path, i)) for i, (x, y) in enumerate(zip(a, b)) if x != y)
    return "%s: %r != %r\n" % (path or "/", a, b) if a != b else ""


# Work on a copy: relative paths in a config (seccomp profiles, fstab files) resolve from its
# directory, so the round-tripped config is written beside its original.
corpus = os.path.join(work, "corpus")
shutil.copytree(os.path.join(ctlib.TOP_SRCDIR, "tests/corpus/lxc"), corpus)
lxc_inputs = sorted(glob.glob(os.path.join(corpus, "*.conf")))
lxc_inputs += sorted(glob.glob(os.path.join(ctlib.TOP_SRCDIR, "doc/examples/*.conf")))
lxc_inputs += sorted(p for p in glob.glob("/usr/share/lxc/config/*.conf"))
for p in lxc_inputs:
    lxc_case(os.path.basename(os.path.dirname(p)) + "-" + os.path.basename(p), p)

# The config lxc-create's busybox template writes (needs root: it builds a rootfs).
if ctlib.need_root(tap, "lxc-create -t busybox config"):
    lxcpath = os.path.join(work, "lxcpath")
    os.makedirs(lxcpath)
    r = ctlib.run(["lxc-create", "-P", lxcpath, "-t", "busybox", "-n", "corpus-bb"], timeout=120)
    if tap.ok(r.returncode == 0, "lxc-create -t busybox", r.stderr):
        lxc_case("lxc-create-busybox", os.path.join(lxcpath, "corpus-bb", "config"))

oci_inputs = sorted(glob.glob(os.path.join(ctlib.TOP_SRCDIR, "tests/corpus/oci/*.json")))
oci_inputs += sorted(glob.glob(os.path.join(ctlib.TOP_SRCDIR, "doc/examples/*/config.json")))
for p in oci_inputs:
    oci_case(os.path.basename(os.path.dirname(p)) + "-" + os.path.basename(p), p)
for variant, args in (("runc-spec", []), ("runc-spec-rootless", ["--rootless"])):
    d = os.path.join(work, variant)
    os.makedirs(d)
    r = ctlib.run(["runc", "spec", "-b", d] + args)
    if tap.ok(r.returncode == 0, "runc spec %s" % " ".join(args), r.stderr):
        oci_case(variant, os.path.join(d, "config.json"))

if tap.failed == 0:
    shutil.rmtree(work, ignore_errors=True)
else:
    print("# outputs kept in " + work)
tap.done()
