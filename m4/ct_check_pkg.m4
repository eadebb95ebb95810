# SPDX-License-Identifier: LGPL-2.1-or-later
# CT_CHECK_PKG(VARIABLE, MODULES, DEBIAN-PACKAGE)
# Like PKG_CHECK_MODULES, but a missing module stops configure with the package to install.
AC_DEFUN([CT_CHECK_PKG], [
	PKG_CHECK_MODULES([$1], [$2], [], [
		AC_MSG_ERROR([$2 was not found by pkg-config.
  Install it: apt-get install $3 (Debian/Ubuntu); in Buildroot or Yocto enable the package
  providing $2. pkg-config said: $$1_PKG_ERRORS])
	])
])
