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
* LadybugDB (embedded Cypher graph database, the maintained fork of kuzu):
  `claimgraph export --format neo4j` (timed on the claimgraph side, as are
  the KGX export), then COPY of those CSVs (load) and every simple path
  FROM -> TO within ALL_HOPS over non-negated claims,
  `MATCH p=(a)-[:CLAIM*1..3 (r, n | WHERE NOT r.negated)]->(b) WHERE
  is_acyclic(p)`, as distinct entity sequences (query); claimgraph answers
  the same question (`trace --max-hops 3 --limit 1000000`) and the two
  counts must agree. (kuzu's `ACYCLIC` keyword, used here before, returns
  paths that repeat a node, so its row counted other paths than trace's.)

Each system runs in its own process; wall times come from the clock around
each phase and peak memory from /proc/self/status (VmHWM) / `/usr/bin/time` (max RSS).

Usage (from the repository root):

    pip install networkx ladybug
    cargo build --release
    python3 benches/compare.py --claims 100000 1000000 --dir /tmp/cg-bench

Graphs are generated with `claimgraph generate --claims N --entities N/5
--seed 1 --shape S` into --dir as S-N.json (not into the repository; the
same files `benches/matrix.py` uses) and reused on later runs. --shape
powerlaw hub ... measures each shape. --pair FROM TO traces another pair
than e0000003 -> e0000005; --pair user picks, per graph, the pair a user
would (the median-degree entity and the first entity 3 hops downstream of
it, as `benches/matrix.py` does).
--skip ladybug (or networkx) leaves a system out; --timeout bounds each run.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matrix  # noqa: E402  (the shared generator and pair picker)

FROM, TO = "e0000003", "e0000005"
HOPS, LIMIT = 6, 20
# Every simple path FROM -> TO within this many hops, both sides: the
# comparison with the Cypher engine (LadybugDB) counts the same paths.
ALL_HOPS = 3


def peak_kb():
    """This process's peak resident set (VmHWM). Not getrusage's ru_maxrss:
    Linux folds the pre-exec image into it, so a worker forked from a parent
    that had loaded a million-claim JSON to pick pairs reported the parent's
    2.2 GB as its own peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
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


def worker_ladybug(export_dir, hops):
    """LadybugDB (the maintained fork of kuzu) on `claimgraph export --format
    neo4j`: COPY the CSVs in (load), then every simple path FROM -> TO within
    `hops` over non-negated claims, as distinct entity sequences (query)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "consumers"))
    import neo4j_ladybug

    t = time.perf_counter()
    with neo4j_ladybug.loaded(export_dir) as conn:
        load = time.perf_counter() - t
        load_peak = peak_kb()
        t = time.perf_counter()
        paths = neo4j_ladybug.ladybug_paths(conn, FROM, TO, hops)
        query = time.perf_counter() - t
    return {"load_s": load, "load_kb": load_peak, "query_s": query, "peak_kb": peak_kb(), "paths": len(paths)}


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
    every = ["trace", FROM, TO, "--max-hops", str(ALL_HOPS), "--limit", "1000000", "--format", "json"]
    all_paths = timed([binary, "--graph", path] + every, timeout)
    result = json.loads(all_paths[2])
    if result["truncated"]:
        raise RuntimeError("trace truncated the all-paths query: lower ALL_HOPS")
    exports = {}
    for fmt in ["neo4j", "kgx"]:
        out = os.path.join(os.path.dirname(path), f"{os.path.basename(path)}.{fmt}")
        exports[fmt] = timed([binary, "--graph", path, "export", "--format", fmt, "--output", out], timeout)[:2]
    return {
        "all": {"total_s": all_paths[0], "peak_kb": all_paths[1], "paths": len(result["paths"])},
        "exports": exports,
        "cold": {"load_s": cold_load[0], "load_kb": cold_load[1], "total_s": cold_trace[0], "peak_kb": cold_trace[1]},
        "snapshot": {"load_s": snap_load[0], "load_kb": snap_load[1], "total_s": snap_trace[0], "peak_kb": snap_trace[1]},
        "paths": paths,
    }


def run_worker(system, path, timeout):
    cmd = [sys.executable, __file__, "--pair", FROM, TO, "--worker", system, path]
    if system == "ladybug":
        cmd[-1] = f"{path}.neo4j"
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout)


def user_pair(binary, path, cache):
    """The median-degree entity and the first entity 3 hops from it."""
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    found = dict((label, (a, b)) for label, a, b in matrix.pairs(binary, path, env))
    return found.get("median-3") or next(iter(found.values()))


def fmt_s(s):
    return f"{s:.2f} s" if s >= 1 else f"{s * 1000:.0f} ms"


def fmt_mb(kb):
    return f"{kb / 1024:,.0f} MB"


def main():
    global FROM, TO
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, nargs="+", default=[100_000])
    ap.add_argument("--shape", nargs="+", default=["powerlaw"])
    ap.add_argument("--pair", nargs="+", metavar="FROM TO | user", default=[FROM, TO])
    ap.add_argument("--dir", default="/tmp/cg-bench")
    ap.add_argument("--binary", default="target/release/claimgraph")
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--worker", nargs=2, metavar=("SYSTEM", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pair != ["user"]:
        if len(args.pair) != 2:
            ap.error("--pair takes FROM TO, or `user`")
        FROM, TO = args.pair
    if args.worker:
        system, path = args.worker
        if system == "ladybug":
            print(json.dumps(worker_ladybug(path, ALL_HOPS)))
        else:
            print(json.dumps(worker_networkx(path)))
        return
    os.makedirs(args.dir, exist_ok=True)
    rows = []
    for shape in args.shape:
        for n in args.claims:
            path = matrix.generate(args.binary, args.dir, shape, n)
            mb = os.path.getsize(path) / 1e6
            cache = os.path.join(args.dir, "cache")
            if args.pair == ["user"]:
                FROM, TO = user_pair(args.binary, path, cache)
            cg = measure_claimgraph(args.binary, path, n // 5, cache, args.timeout)
            others = {s: run_worker(s, path, args.timeout) for s in ["networkx", "ladybug"] if s not in args.skip}
            rows.append((f"{n:,} {shape}, `{FROM}` → `{TO}`", mb, cg, others))
            print(f"# {n} {shape} claims done: {json.dumps({'claimgraph': cg, **others})}", file=sys.stderr)
    print(f"| claims, shape | file | system | load | load peak | trace (whole run) | peak | vs claimgraph+snapshot |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for n, mb, cg, others in rows:
        base = cg["snapshot"]["total_s"]
        for label, r in [("claimgraph (cold, --no-cache)", cg["cold"]), ("claimgraph (snapshot)", cg["snapshot"])]:
            print(
                f"| {n} | {mb:.0f} MB | {label} | {fmt_s(r['load_s'])} | {fmt_mb(r['load_kb'])} | "
                f"{fmt_s(r['total_s'])} | {fmt_mb(r['peak_kb'])} | {r['total_s'] / base:.1f}× |"
            )
        r = others.get("networkx")
        if r and "error" in r:
            print(f"| {n} | {mb:.0f} MB | networkx | – | – | {r['error']} | – | – |")
        elif r:
            total = r["load_s"] + r["query_s"]
            print(
                f"| {n} | {mb:.0f} MB | networkx | {fmt_s(r['load_s'])} | {fmt_mb(r['load_kb'])} | "
                f"{fmt_s(total)} (query {fmt_s(r['query_s'])}, {r['paths']} paths) | {fmt_mb(r['peak_kb'])} | "
                f"{total / base:.1f}× |"
            )
    print()
    print(f"Every simple path between the same pair within {ALL_HOPS} hops (non-negated claims), both sides:")
    print()
    print("| claims, shape | system | export | load | load peak | query | paths | peak |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n, mb, cg, others in rows:
        a = cg["all"]
        ex = cg["exports"]
        print(
            f"| {n} | claimgraph (snapshot) | neo4j {fmt_s(ex['neo4j'][0])} ({fmt_mb(ex['neo4j'][1])}), "
            f"kgx {fmt_s(ex['kgx'][0])} ({fmt_mb(ex['kgx'][1])}) | {fmt_s(cg['snapshot']['load_s'])} | "
            f"{fmt_mb(cg['snapshot']['load_kb'])} | {fmt_s(a['total_s'])} (whole run) | {a['paths']:,} | "
            f"{fmt_mb(a['peak_kb'])} |"
        )
        r = others.get("ladybug")
        if r and "error" in r:
            print(f"| {n} | LadybugDB | – | – | – | {r['error']} | – | – |")
        elif r:
            same = "" if r["paths"] == a["paths"] else " **differs**"
            print(
                f"| {n} | LadybugDB {ladybug_version()} | (the neo4j export) | {fmt_s(r['load_s'])} | "
                f"{fmt_mb(r['load_kb'])} | {fmt_s(r['query_s'])} | {r['paths']:,}{same} | {fmt_mb(r['peak_kb'])} |"
            )


def ladybug_version():
    out = subprocess.run([sys.executable, "-c", "import ladybug; print(ladybug.__version__)"],
                         capture_output=True, text=True)
    return out.stdout.strip()


if __name__ == "__main__":
    main()
