# SPDX-License-Identifier: LGPL-2.1-or-later

# famsec2: cgroups, devices, hooks, masked/read-only paths
check_PROGRAMS += tests/unit/check_map_cgroup
tests_unit_check_map_cgroup_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_cgroup_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_cgroup
# famsec1: capabilities and seccomp
check_PROGRAMS += tests/unit/check_map_caps tests/unit/check_seccomp tests/unit/check_seccomp_text
tests_unit_check_seccomp_text_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_seccomp_text_LDADD = $(CT_CHECK_LIBS)
tests_unit_check_map_caps_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_caps_LDADD = $(CT_CHECK_LIBS)
tests_unit_check_seccomp_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_seccomp_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_caps tests/unit/check_seccomp tests/unit/check_seccomp_text
EXTRA_DIST += tests/unit/data/seccomp/every.seccomp tests/unit/data/seccomp/v1.seccomp \
	tests/unit/data/seccomp/docker-like.json
check_PROGRAMS += tests/unit/check_map_masked
tests_unit_check_map_masked_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_masked_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_masked
check_PROGRAMS += tests/unit/check_map_hooks
tests_unit_check_map_hooks_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_hooks_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_hooks
