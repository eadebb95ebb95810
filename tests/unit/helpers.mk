# SPDX-License-Identifier: LGPL-2.1-or-later
# Tests of the helper subcommands (idmap, share, init, check) and the templates.
check_PROGRAMS += tests/unit/check_idmap
tests_unit_check_idmap_SOURCES = tests/unit/check_idmap.c src/idmap.c src/idmap.h
tests_unit_check_idmap_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_idmap_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_idmap

# Integration tests (TAP scripts; real containers as root, skipped otherwise).
TESTS += tests/integration/helpers/templates.sh tests/integration/helpers/init.sh \
	tests/integration/helpers/share.sh tests/integration/helpers/check.sh
EXTRA_DIST += tests/integration/helpers/lib.sh tests/integration/helpers/sysprobe.c \
	tests/integration/helpers/templates.sh tests/integration/helpers/init.sh \
	tests/integration/helpers/share.sh tests/integration/helpers/check.sh
