# SPDX-License-Identifier: LGPL-2.1-or-later
# Packaging tests: man pages against --help, bash completion, the systemd unit, and an
# install into a staging directory as Buildroot and Yocto do it.
TESTS += tests/packaging/check-manpages
EXTRA_DIST += tests/packaging/check-manpages
TESTS += tests/packaging/check-completion tests/packaging/check-unit
EXTRA_DIST += tests/packaging/check-completion tests/packaging/check-unit
TESTS += tests/packaging/check-install
EXTRA_DIST += tests/packaging/check-install contrib
TESTS += tests/packaging/check-version
EXTRA_DIST += tests/packaging/check-version
TESTS += tests/packaging/check-embed
EXTRA_DIST += tests/packaging/check-embed
