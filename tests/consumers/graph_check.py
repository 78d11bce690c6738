"""Check `claimgraph export --format graphml|gexf` with NetworkX and igraph.

Usage: graph_check.py graphml|gexf EXPORT GRAPH.json EXPECT.json

EXPECT.json names the entity and claim ids the selection holds
({"entities": [...], "claims": [...]}); the graph file is read here with the
json module, independently of claimgraph. NetworkX (`read_graphml` /
`read_gexf`) and, for GraphML, igraph (`Graph.Read_GraphML`) must read back
every selected entity with its name, kind, aliases and xrefs, and every
selected claim as its own edge between the right entities with its predicate,
sign, negation, certainty, note and each piece of evidence with its
reference and a citation holding the reference's title, all equal to the
graph file's: hostile strings come back intact.

Exits non-zero with a message on the first difference.
"""

import json
import sys
from pathlib import Path

try:
    import networkx as nx
    import igraph
except ImportError as e:  # the Rust test turns this into an install hint
    sys.exit(f"missing graph consumer ({e}): pip install networkx igraph")


def fail(message):
    sys.exit(f"graph_check: {message}")


def expected(graph_file, expect_file):
    graph = json.loads(Path(graph_file).read_text())
    expect = json.loads(Path(expect_file).read_text())
    # The sets are built once: `in set(...)` inside the comprehension built one
    # per element, quadratic time at 100k claims.
    selected_entities, selected_claims = set(expect["entities"]), set(expect["claims"])
    entities = {e["id"]: e for e in graph["entities"] if e["id"] in selected_entities}
    claims = {c["id"]: c for c in graph["claims"] if c["id"] in selected_claims}
    titles = {r["id"]: r.get("title", "") for r in graph.get("references", [])}
    return entities, claims, titles


def compare_node(where, eid, got, entity):
    want = {
        "name": entity["name"],
        "kind": entity["kind"],
        "aliases": entity.get("aliases", []),
        "xrefs": entity.get("xrefs", []),
        "description": entity.get("description"),
    }
    have = {
        "name": got.get("name", got.get("label")),
        "kind": got.get("kind"),
        "aliases": json.loads(got["aliases"]) if got.get("aliases") else [],
        "xrefs": json.loads(got["xrefs"]) if got.get("xrefs") else [],
        "description": got.get("description"),
    }
    for key in want:
        if have[key] != want[key]:
            fail(f"{where}: entity {eid}: {key} is {have[key]!r}, the graph says {want[key]!r}")


def compare_edge(where, cid, source, target, got, claim, titles):
    if (source, target) != (claim["subject"], claim["object"]):
        fail(f"{where}: claim {cid} runs {source} -> {target}, the graph says {claim['subject']} -> {claim['object']}")
    negated = got.get("negated")
    if isinstance(negated, str):  # igraph keeps GraphML booleans as they are typed; be explicit
        negated = negated == "true"
    have = {
        "claim": got.get("claim"),
        "predicate": got.get("predicate"),
        "negated": bool(negated),
        "certainty": got.get("certainty"),
        "note": got.get("note"),
        "references": json.loads(got["references"]) if got.get("references") else [],
    }
    refs = []
    for ev in claim.get("evidence", []):
        if ev["reference"] not in refs:
            refs.append(ev["reference"])
    want = {
        "claim": cid,
        "predicate": claim["predicate"],
        "negated": claim.get("negated", False),
        "certainty": claim.get("certainty"),
        "note": claim.get("note"),
        "references": refs,
    }
    for key in want:
        if have[key] != want[key]:
            fail(f"{where}: claim {cid}: {key} is {have[key]!r}, the graph says {want[key]!r}")
    if got.get("sign") not in {"+", "-", "none"}:
        fail(f"{where}: claim {cid}: sign {got.get('sign')!r}")
    evidence = json.loads(got["evidence"]) if got.get("evidence") else []
    keys = ["reference", "summary", "study", "species", "model", "tissue", "condition", "quote", "locator"]
    have_ev = [{k: ev.get(k) for k in keys} for ev in evidence]
    want_ev = [{k: (ev.get(k) or None) for k in keys} for ev in claim.get("evidence", [])]
    if have_ev != want_ev:
        fail(f"{where}: claim {cid}: evidence {have_ev} != {want_ev}")
    for ev in evidence:
        if titles[ev["reference"]] not in ev.get("citation", ""):
            fail(f"{where}: claim {cid}: citation {ev.get('citation')!r} lacks the title {titles[ev['reference']]!r}")


def check_networkx(fmt, export, entities, claims, titles):
    if fmt == "graphml":
        g = nx.read_graphml(export, force_multigraph=True, edge_key_type=str)
    else:
        g = nx.read_gexf(export, version="1.3")
    where = f"networkx read_{fmt}"
    if set(g.nodes) != set(entities):
        fail(f"{where}: nodes {sorted(set(g.nodes) ^ set(entities))[:5]} differ from the selection")
    for eid, data in g.nodes(data=True):
        compare_node(where, eid, data, entities[eid])
    seen = set()
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else ((s, t, d.get("id"), d) for s, t, d in g.edges(data=True))
    for source, target, key, data in edges:
        cid = data.get("claim")
        if cid not in claims:
            fail(f"{where}: edge {key} is not a selected claim")
        if cid in seen:
            fail(f"{where}: claim {cid} appears twice")
        seen.add(cid)
        compare_edge(where, cid, source, target, data, claims[cid], titles)
    if seen != set(claims):
        fail(f"{where}: claims {sorted(set(claims) - seen)[:5]} are missing")
    return g.number_of_nodes(), g.number_of_edges()


def check_igraph(export, entities, claims, titles):
    g = igraph.Graph.Read_GraphML(export)
    where = "igraph Read_GraphML"
    if not g.is_directed():
        fail(f"{where}: the graph is undirected")
    ids = g.vs["id"]
    if set(ids) != set(entities):
        fail(f"{where}: nodes differ from the selection")
    for v in g.vs:
        # igraph gives a missing string attribute as "": read that as absent.
        data = {k: v[k] for k in g.vs.attributes() if v[k] is not None and v[k] != ""}
        compare_node(where, v["id"], data, entities[v["id"]])
    seen = set()
    for e in g.es:
        data = {k: e[k] for k in g.es.attributes() if e[k] is not None and e[k] != ""}
        cid = data.get("claim")
        if cid not in claims:
            fail(f"{where}: edge {e.index} is not a selected claim")
        seen.add(cid)
        compare_edge(where, cid, ids[e.source], ids[e.target], data, claims[cid], titles)
    if seen != set(claims) or g.ecount() != len(claims):
        fail(f"{where}: {g.ecount()} edges for {len(claims)} claims")


def main(fmt, export, graph_file, expect_file):
    entities, claims, titles = expected(graph_file, expect_file)
    nodes, edges = check_networkx(fmt, export, entities, claims, titles)
    readers = "networkx"
    if fmt == "graphml":
        check_igraph(export, entities, claims, titles)
        readers += " and igraph"
    print(f"graph_check: {fmt}: {nodes} nodes, {edges} edges read back intact by {readers}")


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("graphml", "gexf"):
        sys.exit(__doc__)
    main(*sys.argv[1:])
