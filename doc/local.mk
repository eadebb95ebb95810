# SPDX-License-Identifier: LGPL-2.1-or-later
# Man pages: written in scdoc (doc/*.scd), generated pages committed and shipped, so that
# neither a git checkout nor a tarball needs scdoc to build. When scdoc is there and a source
# is newer than its page, the page is made again (into the build directory in VPATH builds).
dist_man1_MANS = doc/lxc2oci.1 doc/oci2lxc.1 doc/ctlaunch.1
dist_man5_MANS = doc/ctlaunch.yaml.5
CT_MAN_SCD = doc/lxc2oci.1.scd doc/oci2lxc.1.scd doc/ctlaunch.1.scd doc/ctlaunch.yaml.5.scd
EXTRA_DIST += $(CT_MAN_SCD) doc/design.md doc/cross-build.md

# configure sets SCDOC (AC_PATH_PROG); until it does, the one on PATH.
SCDOC ?= scdoc
# The date in the pages' footer: SOURCE_DATE_EPOCH when the build sets one (Yocto, Buildroot,
# Debian do), else the date the pages were last changed, so that regenerating a page whose
# source did not change gives the committed file byte for byte.
CT_MAN_EPOCH = 1795392000
CT_MAN_GEN = $(AM_V_GEN)if test -n "$(SCDOC)" && command -v $(SCDOC) >/dev/null 2>&1; then \
		$(MKDIR_P) doc && \
		SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$(CT_MAN_EPOCH)} $(SCDOC) <$< >$@.tmp && \
		mv -f $@.tmp $@ || { rm -f $@.tmp; exit 1; }; \
	else \
		echo "doc: scdoc not found: $@ stays as shipped"; \
	fi

doc/lxc2oci.1: doc/lxc2oci.1.scd
	$(CT_MAN_GEN)
doc/oci2lxc.1: doc/oci2lxc.1.scd
	$(CT_MAN_GEN)
doc/ctlaunch.1: doc/ctlaunch.1.scd
	$(CT_MAN_GEN)
doc/ctlaunch.yaml.5: doc/ctlaunch.yaml.5.scd
	$(CT_MAN_GEN)

# `make man`: regenerate the committed pages in the source tree (needs scdoc); run it after
# changing a .scd and commit both.
man:
	@for p in $(dist_man1_MANS) $(dist_man5_MANS); do \
		echo "  SCDOC    $$p"; \
		SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$(CT_MAN_EPOCH)} $(SCDOC) \
			<$(srcdir)/$$p.scd >$(srcdir)/$$p.tmp && mv -f $(srcdir)/$$p.tmp $(srcdir)/$$p || exit 1; \
	done
.PHONY: man
