#!/usr/bin/env python3
"""Check `claimgraph export --format kgx` with KGX and the Biolink model.

For each graph file: export it, then

* run KGX's validator (what `kgx validate -i tsv nodes.tsv edges.tsv` runs)
  and fail on any error it reports: unknown category or predicate, a
  property of the wrong type, an id that is no CURIE or whose prefix the
  Biolink context lacks, a missing required property;
* build every node and edge as the Biolink model's pydantic class (an edge
  with qualifiers as `ChemicalAffectsGeneAssociation`, which declares them),
  which rejects a qualifier value outside its enumeration and any field the
  model does not have;
* read both files back with KGX's own TSV reader and compare every entity
  and claim with the graph file: name, description, synonyms, kind,
  predicate (direction included), negation, certainty, publications and
  the evidence, after undoing the documented percent-encoding.

KGX fetches the Biolink model from the web when imported; here it is pointed
at the copies in the `biolink-model` and `prefixcommons` wheels, so this
runs offline. (The model's predicate-mapping file is not in a wheel; it
only serves KGX's predicate-collapsing, not validation, so an empty mapping
stands in for it.)

Usage: kgx_validate.py --claimgraph BIN --graph FILE [--graph FILE …] [--exported DIR]
Exit status 0 when everything passes; 1 with the problems; 2 when kgx or
biolink-model is missing. `cargo test` runs it (tests/export_tabular.rs).
"""

import argparse
import io
import json
import logging
import os
import subprocess
import signal
import sys
import tempfile
from contextlib import redirect_stdout
from urllib.parse import unquote

try:
    import biolink_model
    import prefixcommons
    import bmt.toolkit
except ImportError:
    sys.stderr.write(
        "error: the KGX export check needs the Python packages `kgx`, `biolink-model` and "
        "`prefixcommons` (pip install kgx biolink-model prefixcommons; `bash .ci/run` installs them)\n"
    )
    sys.exit(2)

BIOLINK = list(biolink_model.__path__)[0]
bmt.toolkit.Toolkit.__init__.__defaults__ = (
    os.path.join(BIOLINK, "schema", "biolink_model.yaml"),
    {"predicate mappings": []},
)
try:
    import kgx.config
except ImportError:
    sys.stderr.write("error: the KGX export check needs `kgx` (pip install kgx)\n")
    sys.exit(2)

kgx.config.get_config()
with open(os.path.join(BIOLINK, "prefixmaps", "biolink-model-prefix-map.json")) as f:
    kgx.config.jsonld_context_map["biolink"] = json.load(f)
for name in ["monarch_context", "obo_context"]:
    with open(os.path.join(list(prefixcommons.__path__)[0], "registry", f"{name}.jsonld")) as f:
        kgx.config.jsonld_context_map[name] = json.load(f)["@context"]

from biolink_model.datamodel import pydanticmodel_v2 as biolink  # noqa: E402
from kgx.cli.cli_utils import validate  # noqa: E402
from kgx.source.tsv_source import TsvSource  # noqa: E402
from kgx.transformer import Transformer  # noqa: E402

logging.getLogger("KGX").setLevel(logging.ERROR)
logging.disable(logging.WARNING)

# The export's own prefix for entities and claims without an outside
# identifier. KGX checks every id prefix against the Biolink context; a
# producer's local namespace is registered with the validator, as KGX's own
# prefix manager does for its defaults. Nothing else is added.
LOCAL = "claimgraph"
QUALIFIERS = ["qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier"]


def kgx_errors(nodes, edges):
    """KGX's validation report: the ERROR-level messages."""
    kgx.config.jsonld_context_map["biolink"].setdefault(LOCAL, "https://w3id.org/claimgraph/")
    with redirect_stdout(io.StringIO()):
        report = validate(inputs=[nodes, edges], input_format="tsv", input_compression=None, output=os.devnull)
    problems = []
    for error_type, messages in report.get("ERROR", {}).items():
        for message, where in messages.items():
            problems.append(f"kgx validate: {error_type}: {message} ({sorted(where)[:3]})")
    return problems


class Records:
    """The rows as KGX's TSV reader returns them. (Not its graph store: that
    keys edges by subject, predicate and object, so parallel claims with the
    same Biolink predicate merge into one edge there.)"""

    def __init__(self, nodes, edges):
        source = TsvSource(owner=Transformer())
        with redirect_stdout(io.StringIO()):
            self.node_rows = [r for r in source.parse(nodes, format="tsv") if r]
            self.edge_rows = [r for r in source.parse(edges, format="tsv") if r]

    def nodes(self, data=True):
        return self.node_rows

    def edges(self, data=True):
        return [(s, o, d) for s, o, _key, d in self.edge_rows]


def read_back(nodes, edges):
    return Records(nodes, edges)


def pydantic_errors(graph):
    problems = []
    for node, data in graph.nodes(data=True):
        category = data["category"][0].split(":")[1]
        fields = {k: v for k, v in data.items() if k in ("name", "description", "synonym", "xref", "provided_by", "category")}
        try:
            getattr(biolink, category)(id=node, **fields)
        except Exception as e:  # pydantic.ValidationError, or an unknown class
            problems.append(f"pydantic {category} {node}: {e}")
    for s, o, data in graph.edges(data=True):
        cls = biolink.ChemicalAffectsGeneAssociation if any(q in data for q in QUALIFIERS) else biolink.Association
        fields = {k: v for k, v in data.items() if not k.startswith("claimgraph_") and k not in ("provided_by",)}
        try:
            cls(**fields)
        except Exception as e:
            problems.append(f"pydantic {cls.__name__} {data.get('id')}: {e}")
    return problems


def expect(problems, what, got, want):
    if got != want:
        problems.append(f"{what}: KGX read {got!r}, the graph file says {want!r}")


def fidelity_errors(graph, doc):
    problems = []
    nodes = {data["claimgraph_id"]: (node, data) for node, data in graph.nodes(data=True)}
    decode = lambda v: unquote(v) if isinstance(v, str) else v
    expect(problems, "entities", sorted(unquote(k) for k in nodes), sorted(e["id"] for e in doc["entities"]))
    ids = {}
    for e in doc["entities"]:
        node, data = nodes.get(e["id"]) or nodes.get(e["id"].replace("%", "%25"), (None, {}))
        ids[e["id"]] = node
        expect(problems, f"entity {e['id']} name", decode(data.get("name", "")), e["name"])
        expect(problems, f"entity {e['id']} description", decode(data.get("description")), e.get("description"))
        expect(problems, f"entity {e['id']} kind", decode(data.get("claimgraph_kind")), e["kind"])
        expect(problems, f"entity {e['id']} synonyms", sorted(decode(s) for s in data.get("synonym", [])), sorted(set(e.get("aliases", []))))
        xrefs = {decode(x) for x in data.get("xref", [])} | ({node} if not node.startswith(LOCAL + ":") else set())
        expect(problems, f"entity {e['id']} xrefs", xrefs, set(e.get("xrefs", [])))
    references = {r["id"]: r for r in doc["references"]}
    edges = {unquote(data["claimgraph_id"]): (s, o, data) for s, o, data in graph.edges(data=True)}
    expect(problems, "claims", sorted(edges), sorted(c["id"] for c in doc["claims"]))
    for c in doc["claims"]:
        s, o, data = edges.get(c["id"], (None, None, {}))
        ends = (o, s) if data.get("claimgraph_reversed") else (s, o)
        expect(problems, f"claim {c['id']} ends", ends, (ids[c["subject"]], ids[c["object"]]))
        expect(problems, f"claim {c['id']} predicate", decode(data.get("claimgraph_predicate")), c["predicate"])
        expect(problems, f"claim {c['id']} negated", bool(data.get("negated", False)), c.get("negated", False))
        expect(problems, f"claim {c['id']} certainty", decode(data.get("claimgraph_certainty")), c.get("certainty"))
        expect(problems, f"claim {c['id']} evidence", json.loads(data.get("claimgraph_evidence", "null")), c["evidence"])
        want = set()
        for key in dict.fromkeys(e["reference"] for e in c["evidence"]):
            r = references[key]
            if r.get("pmid"):
                want.add(f"PMID:{r['pmid']}")
            elif r.get("doi"):  # exported normalized: DOIs are case-insensitive
                want.add(f"doi:{r['doi'].lower()}")
            elif r.get("pmcid"):
                want.add(f"PMCID:{r['pmcid']}")
        expect(problems, f"claim {c['id']} publications", {decode(p) for p in data.get("publications", [])}, want)
    return problems


def check(binary, graph, tmp, exported=None):
    directory = exported or os.path.join(tmp, os.path.basename(graph) + ".kgx")
    if not exported:
        out = subprocess.run([binary, "--graph", graph, "export", "--format", "kgx", "--output", directory],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"claimgraph export failed on {graph}:\n{out.stderr}")
    nodes, edges = os.path.join(directory, "nodes.tsv"), os.path.join(directory, "edges.tsv")
    with open(graph) as f:
        doc = json.load(f)
    read = read_back(nodes, edges)
    return kgx_errors(nodes, edges) + pydantic_errors(read) + fidelity_errors(read, doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claimgraph", required=True)
    parser.add_argument("--graph", action="append", required=True)
    parser.add_argument("--exported", metavar="DIR",
                        help="check DIR as the export of the first --graph instead of exporting it "
                             "(the test suite hands it a deliberately broken one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        problems = []
        for i, graph in enumerate(args.graph):
            exported = args.exported if i == 0 else None
            problems += [f"{graph}: {p}" for p in check(args.claimgraph, graph, tmp, exported)]
    if problems:
        print("\n".join(problems[:30]))
        print(f"{len(problems)} problems")
        return 1
    print(f"KGX and Biolink accept {len(args.graph)} exports; every entity and claim read back intact")
    return 0


if __name__ == "__main__":
    # On SIGTERM (a timeout) exit through Python, so `with` removes the temporary directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
