# SPDX-License-Identifier: LGPL-2.1-or-later
# OCI side of the translator: reading, validation, JSON positions, writing, carry lines.
check_PROGRAMS += tests/unit/check_ocispec tests/unit/check_ocipatch
tests_unit_check_ocispec_CFLAGS = $(CT_CHECK_CFLAGS) -DOCI_DATA_DIR='"$(abs_top_srcdir)/tests/unit/data/oci"'
tests_unit_check_ocispec_LDADD = $(CT_CHECK_LIBS)
tests_unit_check_ocipatch_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_ocipatch_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_ocispec tests/unit/check_ocipatch
EXTRA_DIST += tests/unit/data/oci/runc-spec.json tests/unit/data/oci/runc-spec-rootless.json \
	tests/unit/data/oci/ocdm-runc-config.json \
	tests/unit/data/oci/spec-1.1-all-fields.json
check_PROGRAMS += tests/unit/check_lxcwrite
tests_unit_check_lxcwrite_CFLAGS = $(CT_CHECK_CFLAGS)
tests_unit_check_lxcwrite_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_lxcwrite
check_PROGRAMS += tests/unit/check_jsonpos
tests_unit_check_jsonpos_CFLAGS = $(CT_CHECK_CFLAGS) -DOCI_DATA_DIR='"$(abs_top_srcdir)/tests/unit/data/oci"'
tests_unit_check_jsonpos_LDADD = $(CT_CHECK_LIBS)
TESTS += tests/unit/check_jsonpos
EXTRA_DIST += tests/unit/oci_fixture.h
