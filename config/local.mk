# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch's settings file, installed to $(sysconfdir)/ctlaunch/ctlaunch.yaml.
ctlaunchconfdir = $(sysconfdir)/ctlaunch
dist_ctlaunchconf_DATA = config/ctlaunch.yaml

# Packaging: bash completions and the systemd unit template (config/completions/, ctlaunch@.service).
bashcompdir = $(datadir)/bash-completion/completions
dist_bashcomp_DATA = config/completions/ctlaunch config/completions/lxc2oci config/completions/oci2lxc
# configure may set CT_SYSTEMD_UNITDIR (from systemd.pc); otherwise the unit goes under the prefix.
CT_SYSTEMD_UNITDIR ?= $(prefix)/lib/systemd/system
systemdunitdir = $(CT_SYSTEMD_UNITDIR)
dist_systemdunit_DATA = config/ctlaunch@.service
