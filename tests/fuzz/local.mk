# SPDX-License-Identifier: LGPL-2.1-or-later
# The fuzz targets replayed over their seeds and regression inputs by the normal build.
CT_REPLAY_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/tests/fuzz $(JANSSON_CFLAGS) $(YAML_CFLAGS)
check_PROGRAMS += tests/fuzz/replay_lxcconf tests/fuzz/replay_ocispec tests/fuzz/replay_lxc2oci \
	tests/fuzz/replay_oci2lxc tests/fuzz/replay_seccomp tests/fuzz/replay_settings
tests_fuzz_replay_lxcconf_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_lxcconf.c tests/fuzz/fuzz_common.h
tests_fuzz_replay_lxcconf_CFLAGS = $(CT_REPLAY_CFLAGS)
tests_fuzz_replay_lxcconf_LDADD = $(CT_TRANSLATE_LIBS)
tests_fuzz_replay_ocispec_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_ocispec.c
tests_fuzz_replay_ocispec_CFLAGS = $(CT_REPLAY_CFLAGS)
tests_fuzz_replay_ocispec_LDADD = $(CT_TRANSLATE_LIBS)
tests_fuzz_replay_lxc2oci_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_lxc2oci.c
tests_fuzz_replay_lxc2oci_CFLAGS = $(CT_REPLAY_CFLAGS)
tests_fuzz_replay_lxc2oci_LDADD = $(CT_TRANSLATE_LIBS)
tests_fuzz_replay_oci2lxc_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_oci2lxc.c
tests_fuzz_replay_oci2lxc_CFLAGS = $(CT_REPLAY_CFLAGS)
tests_fuzz_replay_oci2lxc_LDADD = $(CT_TRANSLATE_LIBS)
tests_fuzz_replay_seccomp_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_seccomp.c
tests_fuzz_replay_seccomp_CFLAGS = $(CT_REPLAY_CFLAGS)
tests_fuzz_replay_seccomp_LDADD = $(CT_TRANSLATE_LIBS)
tests_fuzz_replay_settings_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_settings.c src/settings.c
tests_fuzz_replay_settings_CFLAGS = $(CT_REPLAY_CFLAGS)
tests_fuzz_replay_settings_LDADD = $(CT_TRANSLATE_LIBS) $(YAML_LIBS)
TESTS += tests/fuzz/replay-all
EXTRA_DIST += tests/fuzz/replay-all tests/fuzz/run-fuzzers

# Longer fuzzing than CI's (FUZZ_SECONDS per target, default 600).
fuzz:
	$(SHELL) $(top_srcdir)/tests/fuzz/run-fuzzers $${FUZZ_SECONDS:-600}
.PHONY: fuzz
