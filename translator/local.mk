# SPDX-License-Identifier: LGPL-2.1-or-later
# The translation library and its two commands.
# A libtool convenience library: its objects are PIC, linked into libctlaunch.so and the
# commands alike.
noinst_LTLIBRARIES = translator/libcttranslate.la
translator_libcttranslate_la_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LIBCAP_CFLAGS) $(SECCOMP_CFLAGS)
translator_libcttranslate_la_SOURCES = \
	translator/cleanup.h \
	translator/error.c translator/error.h \
	translator/diag.c translator/diag.h \
	translator/strbuf.c translator/strbuf.h \
	translator/fileio.c translator/fileio.h \
	translator/jsonutil.c translator/jsonutil.h \
	translator/lxckeys.c translator/lxckeys.h \
	translator/lxcconf.c translator/lxcconf.h \
	translator/lxcconf_parse.c translator/lxcconf_internal.h \
	translator/lxcconf_resolve.c \
	translator/lxcconf_write.c \
	translator/ocispec.c translator/ocispec.h \
	translator/ocivalidate.c translator/ocischema.c translator/ocischema.h \
	translator/jsonpos.c \
	translator/ocipatch.c translator/ocipatch.h \
	translator/translate.c translator/translate.h translator/families.h \
	translator/map_simple.c translator/map_simple.h translator/mapcore.h \
	translator/map_rootfs.c \
	translator/map_mount.c translator/map_mount_implied.c \
	translator/mountopts.c translator/mountopts_auto.c translator/mountopts.h \
	translator/map_idmap.c \
	translator/map_env.c \
	translator/map_process.c \
	translator/map_net.c \
	translator/map_namespace.c translator/map_ns.h \
	translator/map_arch.c \
	translator/map_rlimit.c \
	translator/map_sysctl.c \
	translator/map_time.c \
	translator/map_annot.c \
	translator/map_caps.c \
	translator/map_seccomp.c \
	translator/seccomp_text.c translator/seccomp_text.h \
	translator/map_cgroup.c translator/map_cgroup_render.c \
	translator/cgroup_conv.c translator/cgroup_conv.h \
	translator/map_devices.c \
	translator/map_hooks.c \
	translator/map_masked.c

CT_TRANSLATE_LIBS = translator/libcttranslate.la $(JANSSON_LIBS) $(LIBCAP_LIBS) $(SECCOMP_LIBS)

bin_PROGRAMS += lxc2oci oci2lxc
lxc2oci_SOURCES = translator/lxc2oci.c translator/cli.c translator/cli.h
lxc2oci_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
lxc2oci_LDADD = $(CT_TRANSLATE_LIBS)
oci2lxc_SOURCES = translator/oci2lxc.c translator/cli.c translator/cli.h
oci2lxc_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
oci2lxc_LDADD = $(CT_TRANSLATE_LIBS)
