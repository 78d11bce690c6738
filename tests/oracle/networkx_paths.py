#!/usr/bin/env python3
"""Check `claimgraph trace` against NetworkX, an independent implementation.

For a series of seeded random graphs (some sparse, some dense, with parallel
claims, negated claims and self-loops), write each as a claimgraph file, ask
`claimgraph trace FROM TO --max-hops K --format json` for every path, and
compare the set of entity sequences with
`networkx.all_simple_paths(G, FROM, TO, cutoff=K)` on the hop graph (one edge
per subject -> object pair carried by at least one non-negated claim).

Usage: networkx_paths.py --claimgraph PATH/TO/claimgraph [--graphs N] [--seed S]
Exit status 0 when every graph agrees; 1 with the first difference otherwise;
2 when NetworkX is missing. `cargo test` runs it (tests/trace.rs).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

try:
    import networkx as nx
except ImportError:
    sys.stderr.write(
        "error: the NetworkX oracle needs the Python package `networkx` "
        "(pip install networkx, or apt-get install python3-networkx)\n"
    )
    sys.exit(2)

PREDICATES = ["increases", "decreases", "associated_with", "inhibits", "binds"]
STUDIES = ["in_vitro", "animal", "human_observational", "rct", "meta_analysis", "review"]


def random_graph(rng, n, density):
    """A claimgraph document and the NetworkX hop graph it should mean."""
    entities = [{"id": f"e{i:02}", "name": f"Entity {i}", "kind": "protein"} for i in range(n)]
    claims, hops = [], nx.DiGraph()
    hops.add_nodes_from(e["id"] for e in entities)
    for i in range(n):
        for j in range(n):
            if rng.random() >= density:
                continue
            for k in range(rng.choice([1, 1, 1, 2, 3])):  # parallel claims: one hop
                negated = rng.random() < 0.12
                claim = {
                    "id": f"c{i:02}-{j:02}-{k}",
                    "subject": f"e{i:02}",
                    "predicate": rng.choice(PREDICATES),
                    "object": f"e{j:02}",
                    "evidence": [{"reference": "ref", "summary": "random", "study": rng.choice(STUDIES)}],
                }
                if negated:
                    claim["negated"] = True
                else:
                    hops.add_edge(claim["subject"], claim["object"])
                claims.append(claim)
    doc = {
        "schema": "claimgraph/1",
        "title": "random oracle graph",
        "entities": entities,
        "references": [{"id": "ref", "type": "article", "title": "Oracle reference (not a publication)"}],
        "claims": claims,
    }
    return doc, hops


def our_paths(binary, path, source, target, cutoff):
    out = subprocess.run(
        [binary, "--graph", path, "trace", source, target, "--max-hops", str(cutoff),
         "--limit", "1000000", "--format", "json"],
        capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    if out.returncode != 0:
        raise SystemExit(f"claimgraph failed on {path}:\n{out.stderr}")
    result = json.loads(out.stdout)
    if result["truncated"]:
        raise SystemExit(f"claimgraph truncated {source} -> {target} on {path}; use a smaller graph")
    return [tuple(p["entities"]) for p in result["paths"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claimgraph", required=True, help="the claimgraph binary")
    parser.add_argument("--graphs", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    checked = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for g in range(args.graphs):
            n = rng.randint(3, 12)
            density = rng.choice([0.15, 0.25, 0.35, 0.5])
            doc, hops = random_graph(rng, n, density)
            path = os.path.join(tmp, f"graph{g}.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            for _ in range(3):
                source, target = rng.sample(sorted(hops.nodes), 2)
                cutoff = rng.randint(1, 6)
                ours = our_paths(args.claimgraph, path, source, target, cutoff)
                theirs = {tuple(p) for p in nx.all_simple_paths(hops, source, target, cutoff=cutoff)}
                if len(ours) != len(set(ours)) or set(ours) != theirs:
                    print(f"graph {g} (n={n}, density={density}) {source} -> {target}, cutoff {cutoff}:")
                    print(f"  claimgraph: {len(ours)} paths, NetworkX: {len(theirs)} paths")
                    print(f"  only claimgraph: {sorted(set(ours) - theirs)[:5]}")
                    print(f"  only NetworkX: {sorted(theirs - set(ours))[:5]}")
                    return 1
                checked += 1
                total += len(theirs)
    print(f"all path sets agree: {checked} queries on {args.graphs} graphs, {total} paths")
    return 0


if __name__ == "__main__":
    sys.exit(main())
