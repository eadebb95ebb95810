#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo behind `make demo`: what ctlaunch does, on the project's own examples.
set -eu
src=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${TOP_BUILDDIR:-$src}
out=$(mktemp -d /tmp/ctlaunch-demo.XXXXXX)
trap 'rm -rf "$out"' EXIT
export MESSAGE_DISPATCHER_CONFIG=/tmp/MessageDispatcher COMMUNICATOR_CONNECTOR=/tmp/communicator

echo "== 1. The OCDM LXC config (doc/examples/ocdm.conf) translated to OCI config.json"
"$bin/lxc2oci" "$src/doc/examples/ocdm.conf" -o "$out/ocdm.json"
cat "$out/ocdm.json"
echo
echo "== 2. The OCDM OCI bundle (doc/examples/ocdm/) translated to an LXC config"
"$bin/oci2lxc" "$src/doc/examples/ocdm" -o "$out/ocdm.conf"
cat "$out/ocdm.conf"
echo
echo "== 3. ... and back to OCI: the round trip gives the same document"
"$bin/lxc2oci" "$out/ocdm.conf" -o "$out/ocdm-again.json"
if python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); sys.exit(a!=b)' \
	"$src/doc/examples/ocdm/config.json" "$out/ocdm-again.json"; then
	echo "identical"
else
	echo "DIFFERENT"; exit 1
fi
if [ -x "$bin/ctlaunch" ] && [ -f "$src/doc/examples/demo-container.sh" ]; then
	echo
	. "$src/doc/examples/demo-container.sh"
fi
