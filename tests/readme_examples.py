#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's examples really run: every ```sh block of its "## Examples" section is run
with bash -e in a directory where ./lxc2oci, ./oci2lxc and ./ctlaunch are the built commands
and doc/, tests/ and templates/ are the source tree's."""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", os.path.dirname(__file__) + "/.."), "tests", "lib"))
import ctlib  # noqa: E402

tap = ctlib.Tap()
with open(os.path.join(ctlib.TOP_SRCDIR, "README.md")) as f:
    text = f.read()
section = text.split("\n## Examples\n", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
tap.ok(len(blocks) >= 4, "README has at least four examples (found %d)" % len(blocks))
work = ctlib.tmpdir()
for name in ("lxc2oci", "oci2lxc", "ctlaunch"):
    if os.path.exists(ctlib.tool(name)):
        os.symlink(ctlib.tool(name), os.path.join(work, name))
for name in ("doc", "tests", "templates", "config"):
    os.symlink(os.path.join(ctlib.TOP_SRCDIR, name), os.path.join(work, name))
for i, block in enumerate(blocks, 1):
    if "ctlaunch start" in block and not ctlib.need_root(tap, "README example %d (containers)" % i):
        continue
    r = ctlib.run(["bash", "-e", "-o", "pipefail", "-c", block], cwd=work, timeout=120)
    tap.ok(r.returncode == 0, "README example %d: %s" % (i, block.splitlines()[0]),
           "exit %d\n%s%s" % (r.returncode, r.stdout[-1500:], r.stderr[-1500:]))
shutil.rmtree(work, ignore_errors=True)
tap.done()
