#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# lxc2oci / oci2lxc on the OCDM examples: wall time per invocation (hyperfine median), peak RSS
# per invocation (GNU time), and library throughput on one core.
set -eu
src=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${TOP_BUILDDIR:-$src}
export MESSAGE_DISPATCHER_CONFIG=/tmp/md COMMUNICATOR_CONNECTOR=/tmp/communicator
lxc=$src/doc/examples/ocdm.conf
oci=$src/doc/examples/ocdm/config.json
json=$(mktemp /tmp/ctlaunch-bench.XXXXXX)
trap 'rm -f "$json"' EXIT
echo "## translator"
hyperfine -N --warmup 20 --runs 300 --export-json "$json" \
	"$bin/lxc2oci -q -o /dev/null $lxc" "$bin/oci2lxc -q -o /dev/null $oci" >/dev/null
python3 - "$json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-70s median %.2f ms (min %.2f, max %.2f)" % (r["command"].split("/")[-1][:70], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
PY
for cmd in "lxc2oci -q -o /dev/null $lxc" "oci2lxc -q -o /dev/null $oci"; do
	rss=$( { /usr/bin/time -f '%M' $bin/$cmd >/dev/null; } 2>&1 | tail -n1)
	echo "$(echo "$cmd" | cut -d' ' -f1): peak RSS ${rss} KiB"
done
"$bin/bench/throughput" lxc2oci "$lxc" 2
"$bin/bench/throughput" oci2lxc "$oci" 2
