#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build a minimal busybox root filesystem in DIR for container tests.
# Usage: mkrootfs.sh DIR
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir=$1
busybox=${BUSYBOX:-/bin/busybox}

if ! "$busybox" --list >/dev/null 2>&1; then
	echo "mkrootfs: $busybox is not a working busybox (apt-get install busybox-static)" >&2
	exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkrootfs: $busybox is dynamically linked; a static busybox is needed" >&2
	exit 1
fi

mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/proc" "$dir/sys" \
	"$dir/dev" "$dir/tmp" "$dir/etc" "$dir/root" "$dir/run" "$dir/var/tmp"
chmod 1777 "$dir/tmp" "$dir/var/tmp"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list); do
	case $applet in
	busybox) continue ;;
	esac
	[ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
done
cat >"$dir/etc/passwd" <<'EOT'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOT
cat >"$dir/etc/group" <<'EOT'
root:x:0:
nogroup:x:65534:
EOT
echo "ctl-test" >"$dir/etc/hostname"
