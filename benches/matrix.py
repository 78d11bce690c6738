#!/usr/bin/env python3
"""The performance matrix: every `generate --shape`, at 100k and 1M claims,
measured as a user meets it (whole processes of the release binary).

For each shape and size this script

* generates the graph (`generate --claims N --entities N/5 --seed 1 --shape S`)
  into --dir, once;
* picks query pairs the way a user would: from the best-connected entity (the
  hub) and from a median-degree one, the first entity (by id) exactly 3 and
  exactly 4 hops downstream (`downstream --format json`), as `benches/shapes.rs`
  does in process;
* times `check` without the snapshot (hyperfine mean, and peak RSS from
  /usr/bin/time);
* times the first command on the new file: `trace` with an empty cache (and
  the disk synced), which checks, compiles the snapshot and answers;
* times `trace FROM TO --max-hops 6 --limit 20` over the snapshot as a whole
  process (hyperfine mean per pair) and reads the query's own time from
  `CLAIMGRAPH_TIMING=1`.

Run it on a quiet machine (load average < 1): wall-clock figures under load
say more about the load than about the program.

    cargo build --release
    python3 benches/matrix.py --claims 100000 1000000 --dir /tmp/cg-matrix

The table is printed as Markdown, ready for README → Performance.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

SHAPES = ["powerlaw", "uniform", "hub", "layered", "smallworld"]


def run(cmd, env=None, **kw):
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, **kw)


def generate(binary, directory, shape, n):
    path = os.path.join(directory, f"{shape}-{n}.json")
    if not os.path.exists(path):
        tmp = path + ".tmp"
        run([binary, "generate", "--claims", str(n), "--entities", str(n // 5), "--seed", "1",
             "--shape", shape, "--output", tmp])
        os.replace(tmp, path)
    return path


def pairs(binary, path, env):
    """(label, from, to): from the hub and a median entity, 3 and 4 hops out."""
    with open(path) as f:
        doc = json.load(f)
    degree = Counter()
    for c in doc["claims"]:
        degree[c["subject"]] += 1
        degree[c["object"]] += 1
    del doc
    ranked = sorted(degree, key=lambda e: (-degree[e], e))
    found = []
    for role, start in [("hub", ranked[0]), ("median", ranked[len(ranked) // 2])]:
        out = run([binary, "--graph", path, "downstream", start, "--max-hops", "4", "--limit", "0",
                   "--format", "json"], env=env).stdout
        reached = json.loads(out)
        rows = reached["reached"]
        for hops in (3, 4):
            at = sorted(r["id"] for r in rows if r["hops"] == hops)
            if at:
                found.append((f"{role}-{hops}", start, at[0]))
    return found


def hyperfine_mean(cmd, env, runs, prepare=None):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "-N", "--style", "none", "-r", str(runs), "--export-json", out.name]
        if prepare:
            args += ["--prepare", prepare]
        else:
            args += ["-w", "1"]
        subprocess.run(args + [" ".join(cmd)], env=env, check=True, capture_output=True)
        result = json.load(open(out.name))["results"][0]
        return result["mean"], result["min"], result["max"]


def peak_mb(cmd, env):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, capture_output=True, text=True)
    return int(r.stderr.strip().splitlines()[-1]) / 1024


def query_ms(cmd, env):
    env = dict(env, CLAIMGRAPH_TIMING="1")
    err = subprocess.run(cmd, env=env, capture_output=True, text=True).stderr
    for line in err.splitlines():
        if line.startswith("timing: query"):
            return float(line.split()[2])
    return float("nan")


def measure(binary, path, env, cache, runs):
    row = {}
    no_cache = dict(env, CLAIMGRAPH_NO_CACHE="1")
    check = [binary, "--graph", path, "check"]
    row["check"] = hyperfine_mean(check, no_cache, max(3, runs // 2))
    row["check_peak"] = peak_mb(check, no_cache)
    row["pairs"] = pairs(binary, path, env)
    label, a, b = row["pairs"][0]
    trace = [binary, "--graph", path, "trace", a, b, "--max-hops", "6", "--limit", "20"]
    # `sync` after emptying the cache: otherwise the last run's snapshot,
    # still being written back to disk, competes with this run's (on the
    # README's VM, runs differed by up to 0.6 s without it).
    row["first"] = hyperfine_mean(trace, env, 3, prepare=f"sh -c 'rm -rf {cache} && sync'")
    row["first_peak"] = None
    shutil.rmtree(cache, ignore_errors=True)
    row["first_peak"] = peak_mb(trace, env)
    row["traces"] = []
    for label, a, b in row["pairs"]:
        trace = [binary, "--graph", path, "trace", a, b, "--max-hops", "6", "--limit", "20"]
        whole = hyperfine_mean(trace, env, runs)
        queries = sorted(query_ms(trace, env) for _ in range(5))
        row["traces"].append((label, a, b, whole[0], queries[len(queries) // 2], peak_mb(trace, env)))
    return row


def ms(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, nargs="+", default=[100_000])
    ap.add_argument("--shape", nargs="+", default=SHAPES, choices=SHAPES)
    ap.add_argument("--dir", default="/tmp/cg-matrix")
    ap.add_argument("--binary", default="target/release/claimgraph")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    binary = os.path.abspath(args.binary)
    cache = os.path.join(args.dir, "cache")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    env.pop("CLAIMGRAPH_NO_CACHE", None)
    print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print("| shape | claims | `check` (peak) | first command (peak) | pair | hops | query | whole `trace` (peak) |")
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    rows = []
    for n in args.claims:
        for shape in args.shape:
            path = generate(binary, args.dir, shape, n)
            row = measure(binary, path, env, cache, args.runs)
            rows.append((shape, n, row))
            first = True
            for label, a, b, whole, query, peak in row["traces"]:
                lead = (f"| {shape} | {n:,} | {ms(row['check'][0])} ({row['check_peak']:,.0f} MB) | "
                        f"{ms(row['first'][0])} ({row['first_peak']:,.0f} MB) |") if first else "| | | | |"
                role, hops = label.split("-")
                print(f"{lead} {role} `{a}` → `{b}` | {hops} | {query:.1f} ms | {ms(whole)} ({peak:,.0f} MB) |",
                      flush=True)
                first = False
            shutil.rmtree(cache, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    summary(rows)


def summary(rows):
    """One line per shape and size: the range over its pairs, worst last."""
    print()
    print("| shape | claims | `check` | peak | first command | `trace` query | whole `trace` | peak |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for shape, n, row in rows:
        traces = row["traces"]
        query = [t[4] for t in traces]
        whole = [t[3] for t in traces]
        peak = [t[5] for t in traces]
        print(f"| {shape} | {n:,} | {ms(row['check'][0])} | {row['check_peak']:,.0f} MB | {ms(row['first'][0])} | "
              f"{min(query):.1f}–{max(query):.1f} ms | {ms(min(whole))}–{ms(max(whole))} | "
              f"{min(peak):,.0f}–{max(peak):,.0f} MB |")


if __name__ == "__main__":
    main()
