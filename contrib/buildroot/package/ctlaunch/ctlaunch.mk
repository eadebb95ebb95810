################################################################################
#
# ctlaunch
#
################################################################################

# By default the package builds from the source tree this directory belongs to (use it as
# BR2_EXTERNAL=<ctlaunch>/contrib/buildroot). For a release tarball instead, set
# CTLAUNCH_SITE to where it is published, drop CTLAUNCH_SITE_METHOD and CTLAUNCH_AUTORECONF,
# and put its sha256 in ctlaunch.hash.
CTLAUNCH_VERSION = 0.1.0
CTLAUNCH_SITE = $(BR2_EXTERNAL_CTLAUNCH_PATH)/../..
CTLAUNCH_SITE_METHOD = local
# Not the developers' build directories.
CTLAUNCH_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = --exclude /_build --exclude /autom4te.cache
# A source tree from git has no configure script (a release tarball has one).
CTLAUNCH_AUTORECONF = YES
CTLAUNCH_LICENSE = LGPL-2.1+
CTLAUNCH_DEPENDENCIES = host-pkgconf lxc libcap libseccomp libyaml jansson check
# Buildroot already passes --prefix=/usr --sysconfdir=/etc --localstatedir=/var. The man
# pages are shipped generated: scdoc is not needed.
CTLAUNCH_CONF_ENV = ac_cv_path_SCDOC=
# lxc.rootfs.mount's default on the target (lxc's libdir is /usr/lib): configure would read
# lxc.pc's libdir, which the sysroot prefixes.
CTLAUNCH_CONF_OPTS = --disable-werror --with-lxc-rootfs-mount=/usr/lib/lxc/rootfs

# make install puts the ctlaunch@.service template under /usr/lib/systemd/system: keep it only
# with systemd.
ifneq ($(BR2_INIT_SYSTEMD),y)
define CTLAUNCH_REMOVE_SYSTEMD_UNIT
	rm -f $(TARGET_DIR)/usr/lib/systemd/system/ctlaunch@.service
	rmdir -p --ignore-fail-on-non-empty $(TARGET_DIR)/usr/lib/systemd/system 2>/dev/null || true
endef
CTLAUNCH_POST_INSTALL_TARGET_HOOKS += CTLAUNCH_REMOVE_SYSTEMD_UNIT
endif

$(eval $(autotools-package))
