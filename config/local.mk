# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch's settings file, installed to $(sysconfdir)/ctlaunch/ctlaunch.yaml.
ctlaunchconfdir = $(sysconfdir)/ctlaunch
dist_ctlaunchconf_DATA = config/ctlaunch.yaml
