# SPDX-License-Identifier: LGPL-2.1-or-later

# famsec2: cgroups, devices, hooks, masked/read-only paths
check_PROGRAMS += tests/unit/check_map_cgroup
tests_unit_check_map_cgroup_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_map_cgroup_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_map_cgroup
