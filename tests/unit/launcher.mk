# SPDX-License-Identifier: LGPL-2.1-or-later
# The launcher: unit suites over src/libctlaunch.a, integration tests with real containers.
CT_LAUNCH_CHECK_CFLAGS = $(CT_CHECK_CFLAGS) $(LXC_CFLAGS) $(YAML_CFLAGS)
CT_LAUNCH_CHECK_LIBS = $(CT_LAUNCH_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/check_settings
tests_unit_check_settings_CFLAGS = $(CT_LAUNCH_CHECK_CFLAGS)
tests_unit_check_settings_LDADD = $(CT_LAUNCH_CHECK_LIBS)
TESTS += tests/unit/check_settings

EXTRA_DIST += tests/lib/mkrootfs.sh
check_PROGRAMS += tests/unit/check_launch_core
tests_unit_check_launch_core_CFLAGS = $(CT_LAUNCH_CHECK_CFLAGS)
tests_unit_check_launch_core_LDADD = $(CT_LAUNCH_CHECK_LIBS)
TESTS += tests/unit/check_launch_core

# Integration tests: real containers (root); they skip without root, fail under CI=true.
TESTS += \
	tests/integration/launcher/cli.sh \
	tests/integration/launcher/start.sh \
	tests/integration/launcher/daemon.sh \
	tests/integration/launcher/stop.sh
EXTRA_DIST += \
	tests/integration/launcher/lib.sh \
	tests/integration/launcher/cli.sh \
	tests/integration/launcher/start.sh \
	tests/integration/launcher/daemon.sh \
	tests/integration/launcher/stop.sh
