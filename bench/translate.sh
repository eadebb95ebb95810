#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# lxc2oci / oci2lxc on the OCDM examples: wall time per invocation (hyperfine median), peak RSS
# per invocation (GNU time, the largest of 10 invocations), and library throughput on one core.
# With BENCH_OUT set (bench/run), the raw results also go there: translate.json (hyperfine),
# translate-rss.tsv, throughput.txt. The output goes to standard output, never -o /dev/null:
# -o writes a temporary file and renames it over the target, which replaces /dev/null.
set -eu
src=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${TOP_BUILDDIR:-$src}
export MESSAGE_DISPATCHER_CONFIG=/tmp/md COMMUNICATOR_CONNECTOR=/tmp/communicator
lxc=$src/doc/examples/ocdm.conf
oci=$src/doc/examples/ocdm/config.json
out=${BENCH_OUT:-}
tmp=$(mktemp -d /tmp/ctlaunch-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -n "$out" ] || out=$tmp
echo "## translator"
hyperfine -N --style basic --warmup 20 --runs 300 --export-json "$out/translate.json" \
	-n lxc2oci "$bin/lxc2oci -q $lxc" \
	-n oci2lxc "$bin/oci2lxc -q $oci" >/dev/null
python3 - "$out/translate.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-8s median %.2f ms (min %.2f, max %.2f)"
          % (r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
PY
: >"$out/translate-rss.tsv"
for cmd in "lxc2oci -q $lxc" "oci2lxc -q $oci"; do
	prog=$(echo "$cmd" | cut -d' ' -f1)
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		# shellcheck disable=SC2086
		{ /usr/bin/time -f '%M' $bin/$cmd >/dev/null; } 2>&1 | tail -n1
	done | sort -n | tail -n1 | while read -r rss; do
		printf '%s\t%s\n' "$prog" "$rss" >>"$out/translate-rss.tsv"
		echo "$prog: peak RSS ${rss} KiB"
	done
done
if [ -x "$bin/bench/throughput" ]; then
	{
		"$bin/bench/throughput" lxc2oci "$lxc" 2
		"$bin/bench/throughput" oci2lxc "$oci" 2
		# bench/run's minimal config and its translation, for comparison
		if [ -n "${BENCH_CONFIG:-}" ] && [ -n "${BENCH_BUNDLE:-}" ]; then
			"$bin/bench/throughput" lxc2oci "$BENCH_CONFIG" 1
			"$bin/bench/throughput" oci2lxc "$BENCH_BUNDLE/config.json" 1
		fi
	} | tee "$out/throughput.txt"
else
	echo "throughput: $bin/bench/throughput is not built (make bench builds it)"
fi
