# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch: the launcher driving liblxc in process. The modules live in a convenience library
# (src/libctlcore.la) that the command, the unit tests and the public library link alike.
noinst_LTLIBRARIES += src/libctlcore.la
src_libctlcore_la_CFLAGS = $(AM_CFLAGS) $(LXC_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS)
src_libctlcore_la_SOURCES = \
	src/settings.c src/settings.h \
	src/find.c src/find.h \
	src/load.c src/load.h \
	src/pidfd.c src/pidfd.h \
	src/cgroup.c src/cgroup.h \
	src/runtime.c src/runtime.h \
	src/stop.c src/stop.h \
	src/state.c src/state.h \
	src/api.c src/api.h src/api_internal.h \
	src/api_stop.c

CT_LAUNCH_LIBS = src/libctlcore.la $(CT_TRANSLATE_LIBS) $(LXC_LIBS) $(YAML_LIBS) \
	$(JANSSON_LIBS) $(SECCOMP_LIBS)

# libctlaunch.so.0: the public C API (include/ctlaunch.h) for embedding, e.g. in a Thunder
# ProcessContainers backend. Only the ctl_* functions are exported, versioned by the symbol
# map; -version-info CURRENT:REVISION:AGE (libtool's rules) keeps the soname at .0 until an
# incompatible change.
lib_LTLIBRARIES = src/libctlaunch.la
src_libctlaunch_la_SOURCES =
src_libctlaunch_la_LIBADD = src/libctlcore.la translator/libcttranslate.la $(LXC_LIBS) \
	$(YAML_LIBS) $(JANSSON_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS)
src_libctlaunch_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -no-undefined \
	-Wl,--version-script=$(srcdir)/src/libctlaunch.sym
EXTRA_src_libctlaunch_la_DEPENDENCIES = src/libctlaunch.sym
EXTRA_DIST += src/libctlaunch.sym src/ctlaunch.pc.in
include_HEADERS = include/ctlaunch.h
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = src/ctlaunch.pc

# The command links the same modules statically (it also uses internal ones: list, exec,
# the helpers); its start, stop, kill and state go through the public functions.
bin_PROGRAMS += ctlaunch
ctlaunch_SOURCES = \
	src/ctlaunch.h \
	src/main.c \
	src/cmd_start.c \
	src/cmd_stop.c \
	src/cmd_kill.c \
	src/cmd_state.c \
	src/cmd_list.c \
	src/cmd_exec.c
ctlaunch_CFLAGS = $(AM_CFLAGS) $(LXC_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS) $(SECCOMP_CFLAGS)
ctlaunch_LDADD = $(CT_LAUNCH_LIBS)
