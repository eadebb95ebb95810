# SPDX-License-Identifier: LGPL-2.1-or-later
# ctlaunch helper subcommands (idmap, share, init, check): appended to ctlaunch's sources.
