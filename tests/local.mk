# SPDX-License-Identifier: LGPL-2.1-or-later
# Every test speaks TAP: Check suites through CK_TAP_LOG_FILE_NAME=-, scripts directly.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent CK_DEFAULT_TIMEOUT=60; \
	TOP_SRCDIR='$(abs_top_srcdir)'; TOP_BUILDDIR='$(abs_top_builddir)'; \
	PYTHON3='$(PYTHON3)'; \
	export CK_TAP_LOG_FILE_NAME CK_VERBOSITY CK_DEFAULT_TIMEOUT TOP_SRCDIR TOP_BUILDDIR PYTHON3;

CT_CHECK_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/tests/unit $(CHECK_CFLAGS) $(JANSSON_CFLAGS) \
	$(LIBCAP_CFLAGS) $(SECCOMP_CFLAGS)
CT_CHECK_LIBS = $(CT_TRANSLATE_LIBS) $(CHECK_LIBS)
EXTRA_DIST += tests/unit/check_main.h tests/unit/family_fixture.h tests/unit/test_child.h tests/unit/map_core_fixture.h tests/unit/seccomp_fixture.h \
	tests/unit/lxcconf_fixture.h tests/unit/map_mount_fixture.h

check_PROGRAMS += tests/unit/check_util
tests_unit_check_util_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_util_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_util

# One fragment per area, so that work on one area does not touch another's lines.
include tests/unit/lxcconf.mk
include tests/unit/oci.mk
include tests/unit/families.mk
include tests/unit/security.mk
include tests/unit/launcher.mk
include tests/unit/helpers.mk
include tests/unit/api.mk
include tests/packaging/local.mk
include tests/equivalence/local.mk
include tests/fuzz/local.mk
include tests/scripts.mk

if !HAVE_CHECK
check-local:
	@echo "make check needs Check (apt-get install check): configure without --without-check" >&2
	@exit 1
endif
