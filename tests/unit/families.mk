# SPDX-License-Identifier: LGPL-2.1-or-later
# famns: idmap, namespace, net, arch, rlimit, sysctl, time
check_PROGRAMS += tests/unit/check_map_ns
tests_unit_check_map_ns_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_ns_LDADD = $(CT_CHECK_LIBS)
tests_unit_check_map_ns_SOURCES = tests/unit/check_map_ns.c tests/unit/check_map_ns.h
TESTS += tests/unit/check_map_ns
# fammount: mount family
check_PROGRAMS += tests/unit/check_map_mount
tests_unit_check_map_mount_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_mount_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_mount
check_PROGRAMS += tests/unit/check_mountopts
tests_unit_check_mountopts_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_mountopts_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_mountopts
# famcore: simple, rootfs, process, env, annot
check_PROGRAMS += tests/unit/check_map_core
tests_unit_check_map_core_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_core_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_core
check_PROGRAMS += tests/unit/check_map_process
tests_unit_check_map_process_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_process_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_process
