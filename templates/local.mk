# SPDX-License-Identifier: LGPL-2.1-or-later
# LXC config templates: installed to $(datadir)/ctlaunch/templates. The files name each other
# through @TEMPLATEDIR@, replaced by the real directory at install time (the source files keep
# the placeholder; `ctlaunch init` and the tests resolve it themselves).
templatesdir = $(datadir)/ctlaunch/templates
dist_templates_DATA = \
	templates/common.conf \
	templates/common.seccomp \
	templates/userns.conf \
	templates/nanoservice.conf \
	templates/system.conf

install-data-hook: install-templates-hook
install-templates-hook:
	for f in $(dist_templates_DATA); do \
		b=$$(basename "$$f"); \
		sed -i 's|@TEMPLATEDIR@|$(templatesdir)|g' "$(DESTDIR)$(templatesdir)/$$b" || exit 1; \
	done
.PHONY: install-templates-hook
