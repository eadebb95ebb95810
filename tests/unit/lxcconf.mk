# SPDX-License-Identifier: LGPL-2.1-or-later
# The LXC configuration key table, reader and writer.
check_PROGRAMS += tests/unit/check_lxckeys
tests_unit_check_lxckeys_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_lxckeys_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_lxckeys

check_PROGRAMS += tests/unit/check_lxcconf
tests_unit_check_lxcconf_CFLAGS = $(CT_CHECK_CFLAGS) \
	-DCT_LXC_TEST_DATA='"$(abs_top_srcdir)/tests/unit/data/lxc"'
tests_unit_check_lxcconf_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_lxcconf
EXTRA_DIST += tests/unit/data/lxc

check_PROGRAMS += tests/unit/check_lxcconf_perf
tests_unit_check_lxcconf_perf_CFLAGS = $(CT_CHECK_CFLAGS) \
	-DCT_LXC_TEST_DATA='"$(abs_top_srcdir)/tests/unit/data/lxc"'
tests_unit_check_lxcconf_perf_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_lxcconf_perf
