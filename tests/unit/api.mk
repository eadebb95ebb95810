# SPDX-License-Identifier: LGPL-2.1-or-later
# The public API (include/ctlaunch.h): unit suite over the same convenience libraries.
check_PROGRAMS += tests/unit/check_api
tests_unit_check_api_CFLAGS = $(CT_CHECK_CFLAGS) $(LXC_CFLAGS) $(YAML_CFLAGS)
tests_unit_check_api_LDADD = $(CT_LAUNCH_LIBS) $(CHECK_LIBS)
TESTS += tests/unit/check_api
