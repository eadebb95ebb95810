# SPDX-License-Identifier: LGPL-2.1-or-later
# Behavioural equivalence: a static probe run under lxc-execute, runc and ctlaunch for every
# config of tests/equivalence/configs/ and its translation (tests/equivalence/run.py).
# The probe is copied into container root filesystems: static, and without the sanitizer flags
# of AM_CFLAGS/AM_LDFLAGS (a sanitized binary cannot be linked statically).
check_PROGRAMS += tests/equivalence/probe
tests_equivalence_probe_SOURCES = tests/equivalence/probe.c
tests_equivalence_probe_CFLAGS = -std=gnu11 -O2 -Wall -Wextra -Wshadow -Wmissing-prototypes
# -all-static: libtool's spelling of a fully static link (its -static means only "static
# libtool libraries").
tests_equivalence_probe_LDFLAGS = -all-static
TESTS += tests/equivalence/run.py
EXTRA_DIST += tests/equivalence
