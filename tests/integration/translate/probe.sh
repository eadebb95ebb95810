#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside a container: prints what the translator must preserve, one "field: value" per line.
echo "hostname: $(hostname)"
while read -r a b c; do echo "uid_map: $a $b $c"; done </proc/self/uid_map
while read -r a b c; do echo "gid_map: $a $b $c"; done </proc/self/gid_map
echo "id: $(id -u):$(id -g)"
echo "cwd: $(pwd)"
# Variables every runtime adds on its own are left out.
env | grep -v -E '^(container|container_ttys|HOME|PWD|SHLVL|_|LXC_[A-Z_]*|TERM|OLDPWD)=' | sort | sed 's/^/env: /'
awk '{ split($4, o, ","); print "mount: " $2 " " $3 " " o[1] }' /proc/self/mounts | sort -u
