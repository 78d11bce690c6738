#!/usr/bin/env python3
"""claimgraph side by side with what users would pick instead.

On the same generated graph files, in one run, this measures:

* claimgraph (release binary): load = `check` (read, parse, validate) cold,
  and `show` of a small entity from the compiled snapshot; `trace FROM TO --max-hops 6 --limit 20`
  as a whole process, cold and with the snapshot.
* NetworkX: `json.load` the same file into a MultiDiGraph (one edge per
  claim); then the first 20 of `shortest_simple_paths` with at most 6 hops
  (it refuses multigraphs, so the query collapses to a DiGraph first, and
  that conversion is counted in the query).
* kuzu (embedded Cypher graph database): load entities and claim edges
  (JSON -> CSV -> COPY, all counted as load), then
  `MATCH p = (a)-[:Claim* ACYCLIC 1..6]->(b) RETURN p LIMIT 20`.

Each system runs in its own process; wall times come from the clock around
each phase and peak memory from getrusage / `/usr/bin/time` (max RSS).

Usage (from the repository root):

    pip install networkx kuzu
    cargo build --release
    python3 benches/compare.py --claims 100000 1000000 --dir /tmp/cg-bench

Graphs are generated with `claimgraph generate --claims N --entities N/5
--seed 1` into --dir (not into the repository) and reused on later runs.
--skip kuzu (or networkx) leaves a system out; --timeout bounds each run.
The table is printed as Markdown, ready for the README.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

FROM, TO = "e0000003", "e0000005"
HOPS, LIMIT = 6, 20


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker_networkx(path):
    import itertools

    import networkx as nx

    t = time.perf_counter()
    with open(path) as f:
        doc = json.load(f)
    g = nx.MultiDiGraph()
    for e in doc["entities"]:
        g.add_node(e["id"], name=e["name"], kind=e["kind"])
    for c in doc["claims"]:
        g.add_edge(c["subject"], c["object"], key=c["id"], predicate=c["predicate"])
    del doc
    load = time.perf_counter() - t
    load_peak = peak_kb()
    t = time.perf_counter()
    simple = nx.DiGraph(g)
    paths = []
    for p in nx.shortest_simple_paths(simple, FROM, TO):
        if len(p) - 1 > HOPS:
            break
        paths.append(p)
        if len(paths) == LIMIT:
            break
    query = time.perf_counter() - t
    return {"load_s": load, "load_kb": load_peak, "query_s": query, "peak_kb": peak_kb(), "paths": len(paths)}


def worker_kuzu(path):
    import csv

    import kuzu

    t = time.perf_counter()
    with open(path) as f:
        doc = json.load(f)
    tmp = tempfile.mkdtemp(prefix="cg-kuzu-")
    nodes, edges = os.path.join(tmp, "nodes.csv"), os.path.join(tmp, "edges.csv")
    with open(nodes, "w", newline="") as f:
        w = csv.writer(f)
        for e in doc["entities"]:
            w.writerow([e["id"], e["name"], e["kind"]])
    with open(edges, "w", newline="") as f:
        w = csv.writer(f)
        for c in doc["claims"]:
            w.writerow([c["subject"], c["object"], c["id"], c["predicate"]])
    del doc
    db = kuzu.Database(os.path.join(tmp, "db"))
    conn = kuzu.Connection(db)
    conn.execute("CREATE NODE TABLE Entity(id STRING, name STRING, kind STRING, PRIMARY KEY (id))")
    conn.execute("CREATE REL TABLE Claim(FROM Entity TO Entity, id STRING, predicate STRING)")
    conn.execute(f"COPY Entity FROM '{nodes}' (HEADER=false)")
    conn.execute(f"COPY Claim FROM '{edges}' (HEADER=false)")
    load = time.perf_counter() - t
    load_peak = peak_kb()
    t = time.perf_counter()
    result = conn.execute(
        f"MATCH p = (a:Entity {{id: $a}})-[:Claim* ACYCLIC 1..{HOPS}]->(b:Entity {{id: $b}}) "
        f"RETURN p LIMIT {LIMIT}",
        {"a": FROM, "b": TO},
    )
    rows = 0
    while result.has_next():
        result.get_next()
        rows += 1
    query = time.perf_counter() - t
    return {"load_s": load, "load_kb": load_peak, "query_s": query, "peak_kb": peak_kb(), "paths": rows}


def timed(cmd, timeout):
    """Run a command under /usr/bin/time: (wall seconds, max RSS KB, stdout)."""
    full = ["/usr/bin/time", "-f", "%e %M"] + cmd
    t = time.perf_counter()
    out = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr[-500:]}")
    kb = int(out.stderr.strip().splitlines()[-1].split()[1])
    return wall, kb, out.stdout


def measure_claimgraph(binary, path, n_entities, cache, timeout):
    os.environ["XDG_CACHE_HOME"] = cache  # inherited by the runs below
    trace = ["trace", FROM, TO, "--max-hops", str(HOPS), "--limit", str(LIMIT)]
    # Load = `check` (read, parse, full validation) cold; from the snapshot,
    # `show` of a small entity (load + index + a few lines of output).
    small = ["show", f"e{n_entities - 1:07d}"]
    cold_load = timed([binary, "--no-cache", "--graph", path, "check"], timeout)
    cold_trace = timed([binary, "--no-cache", "--graph", path] + trace, timeout)
    timed([binary, "--graph", path] + small, timeout)  # builds the snapshot
    snap_load = timed([binary, "--graph", path] + small, timeout)
    snap_trace = timed([binary, "--graph", path] + trace, timeout)
    paths = snap_trace[2].count("\n\n") if snap_trace[2] else 0
    return {
        "cold": {"load_s": cold_load[0], "load_kb": cold_load[1], "total_s": cold_trace[0], "peak_kb": cold_trace[1]},
        "snapshot": {"load_s": snap_load[0], "load_kb": snap_load[1], "total_s": snap_trace[0], "peak_kb": snap_trace[1]},
        "paths": paths,
    }


def run_worker(system, path, timeout):
    cmd = [sys.executable, __file__, "--worker", system, path]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout)


def fmt_s(s):
    return f"{s:.2f} s" if s >= 1 else f"{s * 1000:.0f} ms"


def fmt_mb(kb):
    return f"{kb / 1024:,.0f} MB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, nargs="+", default=[100_000])
    ap.add_argument("--dir", default="/tmp/cg-bench")
    ap.add_argument("--binary", default="target/release/claimgraph")
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--worker", nargs=2, metavar=("SYSTEM", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        system, path = args.worker
        print(json.dumps({"networkx": worker_networkx, "kuzu": worker_kuzu}[system](path)))
        return
    os.makedirs(args.dir, exist_ok=True)
    rows = []
    for n in args.claims:
        path = os.path.join(args.dir, f"claims-{n}.json")
        if not os.path.exists(path):
            subprocess.run(
                [args.binary, "generate", "--claims", str(n), "--entities", str(n // 5), "--seed", "1", "--output", path],
                check=True,
            )
        mb = os.path.getsize(path) / 1e6
        cache = os.path.join(args.dir, "cache")
        cg = measure_claimgraph(args.binary, path, n // 5, cache, args.timeout)
        others = {s: run_worker(s, path, args.timeout) for s in ["networkx", "kuzu"] if s not in args.skip}
        rows.append((n, mb, cg, others))
        print(f"# {n} claims done: {json.dumps({'claimgraph': cg, **others})}", file=sys.stderr)
    print(f"| claims | file | system | load | load peak | trace (whole run) | peak | vs claimgraph+snapshot |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for n, mb, cg, others in rows:
        base = cg["snapshot"]["total_s"]
        for label, r in [("claimgraph (cold, --no-cache)", cg["cold"]), ("claimgraph (snapshot)", cg["snapshot"])]:
            print(
                f"| {n:,} | {mb:.0f} MB | {label} | {fmt_s(r['load_s'])} | {fmt_mb(r['load_kb'])} | "
                f"{fmt_s(r['total_s'])} | {fmt_mb(r['peak_kb'])} | {r['total_s'] / base:.1f}× |"
            )
        for system, r in others.items():
            if "error" in r:
                print(f"| {n:,} | {mb:.0f} MB | {system} | – | – | {r['error']} | – | – |")
                continue
            total = r["load_s"] + r["query_s"]
            print(
                f"| {n:,} | {mb:.0f} MB | {system} | {fmt_s(r['load_s'])} | {fmt_mb(r['load_kb'])} | "
                f"{fmt_s(total)} (query {fmt_s(r['query_s'])}, {r['paths']} paths) | {fmt_mb(r['peak_kb'])} | "
                f"{total / base:.1f}× |"
            )


if __name__ == "__main__":
    main()
