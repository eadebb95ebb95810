# SPDX-License-Identifier: LGPL-2.1-or-later
"""bench/run's report: reads the raw results of one run (hyperfine exports and small TSV files
in --out), prints one table with ratios and targets, and writes latest.json and
start-latency.png (gnuplot) to --results. Standard library only."""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

START = ["ctlaunch", "lxc-execute", "runc", "ctlaunch-bundle"]
START_LABEL = {
    "ctlaunch": "ctlaunch start -f CONFIG -- /bin/true",
    "lxc-execute": "lxc-execute -n N -f CONFIG -- /bin/true",
    "runc": "runc run --bundle B N (/bin/true)",
    "ctlaunch-bundle": "ctlaunch start -b B (/bin/true)",
}


# How each figure is obtained ($WORK is the run's scratch directory, $P its name prefix).
METHOD = {
    "rootfs": "tests/lib/mkrootfs.sh (static busybox)",
    "config": "lxc.rootfs.path, lxc.uts.name, lxc.mount.auto = proc sys, lxc.net.0.type = empty;"
              " no lxc.include",
    "bundle": "lxc2oci of the config, process.args = [/bin/true]",
    "ctlaunch_settings": "run-dir in $WORK, search-paths, shares and inherit-environment empty",
    "start": "hyperfine -N, BENCH_ROUNDS rounds (interleaved) of --warmup 3 --runs BENCH_RUNS: "
             "ctlaunch start --config S -f CONFIG -- /bin/true; lxc-execute -P $WORK/lxc -n N "
             "-f CONFIG -- /bin/true; runc --root $WORK/runc run --bundle B N; ctlaunch start "
             "--config S -b B -n N",
    "stop": "hyperfine -N --prepare (start -d, wait until the app's trap is set, freeze) then the "
            "timed stop: ctlaunch stop --config S -n N -t T; lxc-stop -P $WORK/lxc -n N -t T "
            "(lxc-start -d with the config in $WORK/lxc/N/config). term app: sh -c 'trap \"exit 0"
            "\" TERM; mkfifo F; while :; do read x <>F; done' (idle, no child process); ignore "
            "app: trap \"\" TERM. Frozen: v1 freezer cgroup of the init (from /proc/PID/cgroup), "
            "both commands under timeout 20",
    "stop20": "hyperfine -N --prepare (20 ctlaunch start -d, all apps ready): one ctlaunch stop "
              "-t 5 -n N1 ... -n N20, against ctlaunch stop -t 5 -n N of one container; floor: "
              "bench/stopfloor RUN N1 ... N20 (pidfd_open of each recorded init, SIGTERM to all, "
              "poll until all ended; no launcher) on the same containers",
    "rss": "5 containers each: ctlaunch start -d and lxc-start -d; monitor = parent of the "
           "container's init (ctlaunch state --format json / lxc-info -p); VmRSS from "
           "/proc/PID/status, Pss from /proc/PID/smaps_rollup",
    "translator": "doc/examples/ocdm.conf and doc/examples/ocdm/config.json: hyperfine -N "
                  "--warmup 20 --runs 300 (output to stdout); peak RSS: largest GNU time %M of "
                  "10; library: bench/throughput (parse, translate, serialise, one core)",
    "sizes": "size(1) text, data, bss; file sizes before and after strip(1)",
}


def stats(values):
    """median/min/max/mean/n of a list of numbers (already in the unit wanted)."""
    if not values:
        return None
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "mean": statistics.fmean(values),
        "n": len(values),
    }


def hyperfine(path):
    """{name: {"times_ms": [...], "failed": N}} from one hyperfine --export-json file."""
    res = {}
    if not os.path.exists(path):
        return res
    for r in json.load(open(path))["results"]:
        times = [t * 1e3 for t in r["times"]]
        codes = r.get("exit_codes") or []
        res[r["command"]] = {
            "times_ms": times,
            "failed": sum(1 for c in codes if c not in (0, None)),
        }
    return res


def run_cmd(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def host_info(a):
    cpu = ""
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = re.search(r"MemTotal:\s+(\d+)", read("/proc/meminfo"))
    cflags = re.search(r"^CFLAGS = (.*)$", read(os.path.join(a.bin, "Makefile")), re.M)
    commit = run_cmd(["git", "-C", a.src, "rev-parse", "--short", "HEAD"])
    dirty = run_cmd(["git", "-C", a.src, "status", "--porcelain", "--untracked-files=no"])
    mounts = read("/proc/self/mounts")
    v1 = sorted({m.group(1) for m in
                 re.finditer(r"^\S+ /sys/fs/cgroup/(\w+) cgroup ", mounts, re.M)})
    v2 = re.search(r"^\S+ (\S+) cgroup2 ", mounts, re.M)
    return {
        "kernel": platform.release(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "virtualization": run_cmd(["systemd-detect-virt"]) or None,
        "note": os.environ.get("BENCH_NOTE") or None,
        "memory_kib": int(mem.group(1)) if mem else None,
        "os": (re.search(r'PRETTY_NAME="([^"]*)"', read("/etc/os-release")) or [None, ""])[1],
        "cgroups": {"v1": v1, "v2": v2.group(1) if v2 else None},
        "loadavg_start": read(os.path.join(a.out, "load-start")),
        "loadavg_end": read(os.path.join(a.out, "load-end")),
        "versions": {
            "ctlaunch": "%s (source tree at %s%s)" % (
                run_cmd([os.path.join(a.bin, "ctlaunch"), "--version"]).split("\n")[0]
                .split(": ")[-1], commit or "?", ", with local changes" if dirty else ""),
            "liblxc": run_cmd(["lxc-execute", "--version"]),
            "runc": run_cmd(["runc", "--version"]).split("\n")[0],
            "hyperfine": run_cmd(["hyperfine", "--version"]),
        },
        "cflags": cflags.group(1).strip() if cflags else None,
    }


def collect(a):
    out = a.out
    r = {"failed_sections": read(os.path.join(out, "failed")).splitlines()}
    # start-to-exit: the rounds merged
    merged = {}
    for path in sorted(glob.glob(os.path.join(out, "start-*.json"))):
        for name, v in hyperfine(path).items():
            m = merged.setdefault(name, {"times_ms": [], "failed": 0})
            m["times_ms"] += v["times_ms"]
            m["failed"] += v["failed"]
    r["start"] = merged
    stop = {}
    for tag in ["term", "term-sigpwr", "ignore", "frozen", "frozen-kill"]:
        stop.update(hyperfine(os.path.join(out, "stop-%s.json" % tag)))
        probe = read(os.path.join(out, "stop-%s.probe" % tag))
        if probe == "timeout":
            opt = "-t 1" if tag == "frozen" else "-k"
            stop["frozen: lxc-stop %s" % opt] = {"times_ms": [], "failed": 1, "timed_out": True}
    r["stop"] = stop
    r["stop20"] = hyperfine(os.path.join(out, "stop20.json"))
    rss = []
    for line in read(os.path.join(out, "rss.tsv")).splitlines():
        f = line.split("\t")
        if len(f) >= 5 and f[3] and f[4]:
            rss.append({"runtime": f[0], "role": f[1], "pid": int(f[2]), "vmrss_kib": int(f[3]),
                        "pss_kib": int(f[4]), "cmdline": f[5] if len(f) > 5 else ""})
    r["rss"] = rss
    r["translate"] = hyperfine(os.path.join(out, "translate.json"))
    r["translate_rss"] = {}
    for line in read(os.path.join(out, "translate-rss.tsv")).splitlines():
        f = line.split("\t")
        r["translate_rss"][f[0]] = int(f[1])
    r["throughput"] = {}
    for line in read(os.path.join(out, "throughput.txt")).splitlines():
        m = re.match(r"(\S+) (\S+): (\d+) translations in ([\d.]+) s: (\d+) per second", line)
        if m:
            key = m.group(1) if "/doc/examples/" in m.group(2) else m.group(1) + " minimal"
            r["throughput"][key] = {"file": os.path.basename(m.group(2)),
                                    "translations": int(m.group(3)),
                                    "seconds": float(m.group(4)),
                                    "per_second": int(m.group(5))}
    r["sizes"] = {}
    for line in read(os.path.join(out, "sizes.tsv")).splitlines():
        f = line.split("\t")
        r["sizes"][f[0]] = {"text": int(f[1]), "data": int(f[2]), "bss": int(f[3]),
                            "file_bytes": int(f[4]), "stripped_file_bytes": int(f[5]),
                            "stripped_size_total": int(f[6])}
    return r


class Table:
    """Sections of rows: statistics rows (median, min, max, n) or value rows."""

    FMT = "  %-52s %11s %9s %9s %5s  %s"

    def __init__(self):
        self.lines = []

    def section(self, title, stats_header=True):
        self.lines += ["", title]
        if stats_header:
            self.lines.append((self.FMT % ("", "median", "min", "max", "n", "")).rstrip())

    def row(self, what, st, unit="ms", note=""):
        if st is None:
            self.lines.append(("  %-52s %11s  %s" % (what, "-", note or "not measured")).rstrip())
            return
        p = lambda v: "%.1f" % v
        self.lines.append((self.FMT % (what, "%s %s" % (p(st["median"]), unit), p(st["min"]),
                                       p(st["max"]), st["n"], note)).rstrip())

    def text(self, what, value, note=""):
        self.lines.append(("  %-52s %11s  %s" % (what, value, note)).rstrip())

    def render(self):
        return "\n".join(self.lines)


def st_of(d, name):
    v = d.get(name)
    if not v or not v["times_ms"]:
        return None
    s = stats(v["times_ms"])
    s["failed"] = v["failed"]
    return s


def ratio(a, b):
    if a is None or b is None or not b["median"]:
        return None
    return a["median"] / b["median"]


def build(a, r):
    t = Table()
    res = {"start": {}, "stop": {}, "stop20": {}, "monitor_rss": {}, "translator": {},
           "sizes": r["sizes"]}
    ratios = {}
    targets = []

    def target(tid, desc, value, limit, op, unit=""):
        met = None if value is None else (value <= limit if op == "<=" else
                                          value < limit if op == "<" else value >= limit)
        targets.append({"id": tid, "target": desc, "value": value, "limit": limit, "op": op,
                        "unit": unit, "met": "n/a" if met is None else ("yes" if met else "no")})

    t.section("Start-to-exit of /bin/true (same rootfs and config; ms)")
    for name in START:
        s = st_of(r["start"], name)
        res["start"][name] = s
        note = "%d failed" % s["failed"] if s and s["failed"] else ""
        t.row(START_LABEL[name], s, "ms", note)
    c, x, rc = res["start"]["ctlaunch"], res["start"]["lxc-execute"], res["start"]["runc"]
    ratios["start_ctlaunch_over_lxc_execute"] = ratio(c, x)
    ratios["start_ctlaunch_over_runc"] = ratio(c, rc)
    ratios["start_ctlaunch_bundle_over_runc"] = ratio(res["start"]["ctlaunch-bundle"], rc)
    target("start-vs-runc", "start-to-exit <= 0.5 x runc", ratios["start_ctlaunch_over_runc"],
           0.5, "<=", "x")
    target("start-vs-lxc-execute", "start-to-exit <= 1.1 x lxc-execute",
           ratios["start_ctlaunch_over_lxc_execute"], 1.1, "<=", "x")

    t.section("Stop latency (ms; app started detached; term: handles SIGTERM, ignore: ignores it)")
    for name, v in r["stop"].items():
        if v.get("timed_out"):
            res["stop"][name] = {"timed_out": True}
            t.text(name, "timed out", "(frozen container: lxc-stop still running after 20 s)")
            continue
        s = st_of(r["stop"], name)
        res["stop"][name] = s
        t.row(name, s, "ms", "%d failed" % s["failed"] if s and s["failed"] else "")
    term = res["stop"].get("term: ctlaunch stop -t 5")
    target("stop-term", "stop of a SIGTERM-handling app < 50 ms",
           term["median"] if term else None, 50, "<", "ms")

    t.section("Twenty stops in one call (ms)")
    for name in ["ctlaunch stop, 1 container", "ctlaunch stop, 20 containers",
                 "floor, 1 container", "floor, 20 containers"]:
        s = st_of(r["stop20"], name)
        res["stop20"][name] = s
        t.row(name, s, "ms", "%d failed" % s["failed"] if s and s["failed"] else "")
    ratios["stop_20_over_1"] = ratio(res["stop20"]["ctlaunch stop, 20 containers"],
                                     res["stop20"]["ctlaunch stop, 1 container"])
    # The floor (bench/stopfloor: pidfds, SIGTERM, poll; no launcher): how far the kernel's
    # own work to end twenty containers on this machine is from ending one.
    ratios["stop_floor_20_over_1"] = ratio(res["stop20"]["floor, 20 containers"],
                                           res["stop20"]["floor, 1 container"])
    ratios["stop_20_over_floor_20"] = ratio(res["stop20"]["ctlaunch stop, 20 containers"],
                                            res["stop20"]["floor, 20 containers"])
    target("stop20", "twenty stops <= 2 x one", ratios["stop_20_over_1"], 2.0, "<=", "x")

    t.section("Resident memory per running container (KiB)")
    for runtime, role in [("ctlaunch", "monitor"), ("lxc-start", "monitor"), ("ctlaunch", "init")]:
        rows = [x for x in r["rss"] if x["runtime"] == runtime and x["role"] == role]
        key = "%s %s" % (runtime, role)
        if not rows:
            res["monitor_rss"][key] = None
            continue
        vm = stats([x["vmrss_kib"] for x in rows])
        pss = stats([x["pss_kib"] for x in rows])
        res["monitor_rss"][key] = {"vmrss_kib": vm, "pss_kib": pss,
                                   "cmdline": rows[0]["cmdline"]}
        label = {"monitor": "monitor", "init": "init.lxc (ctlaunch runs CMD under it)"}[role]
        t.row("%s %s VmRSS" % (runtime, label), vm, "KiB")
        t.row("%s %s Pss" % (runtime, label), pss, "KiB")

    def rss_ratio(field):
        cm = res["monitor_rss"].get("ctlaunch monitor")
        lm = res["monitor_rss"].get("lxc-start monitor")
        return ratio(cm[field], lm[field]) if cm and lm else None

    ratios["monitor_vmrss_ctlaunch_over_lxc_start"] = rss_ratio("vmrss_kib")
    ratios["monitor_pss_ctlaunch_over_lxc_start"] = rss_ratio("pss_kib")
    target("monitor-rss", "monitor VmRSS <= lxc-start's monitor",
           ratios["monitor_vmrss_ctlaunch_over_lxc_start"], 1.0, "<=", "x")

    t.section("Translator (OCDM example config; ms per invocation, library configs/s)")
    for prog in ["lxc2oci", "oci2lxc"]:
        s = st_of(r["translate"], prog)
        peak = r["translate_rss"].get(prog)
        thr = r["throughput"].get(prog)
        small = r["throughput"].get(prog + " minimal")
        res["translator"][prog] = {"wall_ms": s, "peak_rss_kib": peak, "library": thr,
                                   "library_minimal_config": small}
        t.row("%s wall time" % prog, s, "ms")
        t.text("%s peak RSS (largest of 10)" % prog, "%d KiB" % peak if peak else "-")
        t.text("%s library throughput (one core)" % prog,
               "%d/s" % thr["per_second"] if thr else "-")
        if small:
            t.text("%s library throughput, bench's minimal config" % prog,
                   "%d/s" % small["per_second"])
        target("%s-wall" % prog, "%s < 2 ms wall per invocation" % prog,
               s["median"] if s else None, 2.0, "<", "ms")
        target("%s-rss" % prog, "%s < 4 MiB peak RSS per invocation" % prog,
               peak / 1024 if peak else None, 4.0, "<", "MiB")
        target("%s-throughput" % prog, "%s library >= 20,000 configs/s" % prog,
               thr["per_second"] if thr else None, 20000, ">=", "/s")

    t.section("Binary sizes (bytes; size(1) text/data/bss are the same stripped)", False)
    for b, z in r["sizes"].items():
        t.text("%s text+data+bss" % b, "%d" % (z["text"] + z["data"] + z["bss"]),
               "text %d, data %d, bss %d; file %d unstripped, %d stripped" % (
                   z["text"], z["data"], z["bss"], z["file_bytes"], z["stripped_file_bytes"]))

    t.section("Ratios (medians)", False)
    for k, v in ratios.items():
        t.text(k, "-" if v is None else "%.2f" % v)
    t.section("Targets", False)
    for g in targets:
        if g["value"] is None:
            value = "-"
        elif g["unit"] == "/s":
            value = "%d/s" % g["value"]
        else:
            value = "%.2f %s" % (g["value"], g["unit"])
        t.text(g["target"], value, "met: " + g["met"])
    return t, res, ratios, targets


def plot(a, r, results):
    """start-latency.png: CDF and box plot of the start-to-exit times."""
    gp = shutil.which("gnuplot")
    if not gp:
        return "gnuplot is missing"
    d = os.path.join(a.work, "plot")
    os.makedirs(d, exist_ok=True)
    names = [n for n in START if r["start"].get(n, {}).get("times_ms")]
    if not names:
        return "no start-to-exit times"
    for i, n in enumerate(names):
        times = sorted(r["start"][n]["times_ms"])
        with open(os.path.join(d, "%d.dat" % i), "w") as f:
            for k, v in enumerate(times):
                f.write("%.4f %.5f\n" % (v, (k + 1) / len(times)))
    hi = max(sorted(r["start"][n]["times_ms"])[int(0.98 * (len(r["start"][n]["times_ms"]) - 1))]
             for n in names)
    cdf = ", ".join("'%s/%d.dat' using 1:2 with steps lw 2 title '%s, median %.1f ms'"
                    % (d, i, n, statistics.median(r["start"][n]["times_ms"]))
                    for i, n in enumerate(names))
    box = ", ".join("'%s/%d.dat' using (%d):1 title '' lc %d" % (d, i, i + 1, i + 1)
                    for i, n in enumerate(names))
    tics = ", ".join("'%s' %d" % (n, i + 1) for i, n in enumerate(names))
    png = os.path.join(results, "start-latency.png")
    script = """
set terminal pngcairo size 1200,500 font ',10'
set output '%s'
set multiplot layout 1,2 title 'Start-to-exit of /bin/true, busybox rootfs, minimal config (%s)'
set xlabel 'ms'
set ylabel 'fraction of runs'
set key bottom right
set grid
set xrange [0:%f]
plot %s
unset xrange
set xlabel ''
set ylabel 'ms'
set style data boxplot
set style boxplot nooutliers
set style fill solid 0.3 border -1
set boxwidth 0.5
set xtics (%s)
set xrange [0.3:%f]
set yrange [0:%f]
plot %s
unset multiplot
""" % (png, a.host_line, hi * 1.1, cdf, tics, len(names) + 0.7, hi * 1.1, box)
    p = subprocess.run([gp], input=script, text=True, capture_output=True)
    return None if p.returncode == 0 else p.stderr.strip()


def main():
    ap = argparse.ArgumentParser()
    for opt in ["out", "results", "src", "bin", "config", "work"]:
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    r = collect(a)
    host = host_info(a)
    a.host_line = "%s, %d CPUs, kernel %s" % (host["cpu"], host["cpus"] or 0, host["kernel"])
    t, res, ratios, targets = build(a, r)
    t0, t1 = read(os.path.join(a.out, "time-start")), read(os.path.join(a.out, "time-end"))
    text = ["ctlaunch benchmarks: %s" % a.host_line,
            "liblxc %s; %s; load average %s at start, %s at end" % (
                host["versions"]["liblxc"], host["versions"]["runc"], host["loadavg_start"],
                host["loadavg_end"]),
            "config: %s" % "; ".join(read(a.config).splitlines())]
    if host["note"]:
        text.append("host: %s" % host["note"])
    text.append(t.render())
    plot_error = plot(a, r, a.results)
    doc = {
        "schema": 1,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": int(t1) - int(t0) if t0 and t1 else None,
        "host": host,
        "config": read(a.config).replace(os.path.dirname(os.path.dirname(a.config)), "$WORK"),
        "method": METHOD,
        "results": res,
        "ratios": ratios,
        "targets": targets,
        "failed_sections": r["failed_sections"],
        "plot": None if plot_error else "start-latency.png",
    }
    if plot_error:
        doc["plot_error"] = plot_error
        print("\nbench: no plot: %s" % plot_error, file=sys.stderr)
    text += ["FAILED: %s" % s for s in r["failed_sections"]]
    with open(os.path.join(a.results, "latest.txt"), "w") as f:
        f.write("\n".join(text) + "\n")
    path = os.path.join(a.results, "latest.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("\n".join(text))
    print("\nwritten: %s, latest.txt%s" % (path, "" if plot_error else ", start-latency.png"))


if __name__ == "__main__":
    main()
