# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch helper subcommands (idmap, share, init, check): appended to ctlaunch's sources.
ctlaunch_SOURCES += \
	src/idmap.c src/idmap.h \
	src/setup.c src/setup.h \
	src/cmd_idmap.c \
	src/share.c src/share.h \
	src/cmd_share.c \
	src/cmd_init.c \
	src/doctor.c src/doctor.h \
	src/cmd_check.c
