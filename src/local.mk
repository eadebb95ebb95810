# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch: the launcher driving liblxc in process. The modules live in a library so that the
# unit tests link the same code.
noinst_LIBRARIES += src/libctlaunch.a
src_libctlaunch_a_CFLAGS = $(AM_CFLAGS) $(LXC_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS)
src_libctlaunch_a_SOURCES = \
	src/settings.c src/settings.h \
	src/find.c src/find.h \
	src/load.c src/load.h \
	src/pidfd.c src/pidfd.h \
	src/cgroup.c src/cgroup.h \
	src/runtime.c src/runtime.h \
	src/stop.c src/stop.h \
	src/state.c src/state.h \
	src/api.c src/api.h include/ctlaunch.h

CT_LAUNCH_LIBS = src/libctlaunch.a $(CT_TRANSLATE_LIBS) $(LXC_LIBS) $(YAML_LIBS) \
	$(JANSSON_LIBS) $(SECCOMP_LIBS)

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
