"""Check `claimgraph export --format rdf` with the programs that read RDF.

Usage: rdf_check.py EXPORT.trig GRAPH.json EXPECT.json

EXPECT.json names the claim ids the selection holds ({"claims": [...]}) and
the `--base` the export was given ({"base": ...}, default claimgraph's); the
graph file is read here with the json module, independently of claimgraph.

- pyoxigraph and rdflib both parse the TriG, into the same number of quads
  (rdflib only up to 20 MB: it needs most of an hour for 100k claims);
- a SPARQL query (pyoxigraph) returns one assertion per selected claim, with
  subject and object names, predicate, negation, certainty and the
  references it was derived from, all equal to the graph file's (so hostile
  names and summaries come back intact), and reference IRIs are DOI / PubMed
  IRIs where the reference has a DOI / PMID, and each reference's title
  (`dct:title`) is the graph file's;
- nanopublications, and entities without an ontology xref, have IRIs under
  the base; other entities have an OBO / identifiers.org IRI for an xref;
- a plain `subject predicate object` triple exists exactly for the claims
  that are not negated;
- the `nanopub` package validates single-nanopub files cut from the export.

Exits non-zero with a message on the first difference.
"""

import json
import signal
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

try:
    import pyoxigraph
    import rdflib
    from nanopub import Nanopub
except ImportError as e:  # the Rust test turns this into an install hint
    sys.exit(f"missing RDF consumer ({e}): pip install pyoxigraph rdflib nanopub")

NANOPUB_SAMPLE = 12
RDFLIB_LIMIT = 20_000_000


def fail(message):
    sys.exit(f"rdf_check: {message}")


def main(export, graph_file, expect_file):
    graph = json.loads(Path(graph_file).read_text())
    expect = json.loads(Path(expect_file).read_text())
    selected = set(expect["claims"])  # once: per element it was quadratic at 100k claims
    claims = {c["id"]: c for c in graph["claims"] if c["id"] in selected}
    entities = {e["id"]: e for e in graph["entities"]}
    references = {r["id"]: r for r in graph.get("references", [])}
    data = Path(export).read_bytes()

    store = pyoxigraph.Store()
    store.bulk_load(data, format=pyoxigraph.RdfFormat.TRIG)
    quads = len(store)
    # rdflib is pure Python: a 100k-claim export would take it most of an
    # hour, so it reads files up to RDFLIB_LIMIT (every fixture and the
    # curated graph); pyoxigraph and nanopub read every file.
    if len(data) <= RDFLIB_LIMIT:
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format="trig")
        rdflib_quads = sum(len(g) for g in dataset.graphs())
        if quads != rdflib_quads:
            fail(f"pyoxigraph read {quads} quads, rdflib {rdflib_quads}")
        readers = "pyoxigraph and rdflib"
    else:
        readers = "pyoxigraph (too big for rdflib)"

    rows = store.query(QUERY)
    found = {}
    for row in rows:
        cid = row["cid"].value
        entry = found.setdefault(cid, {"refs": set(), "row": row, "summaries": set()})
        if row["rid"] is not None:
            entry["refs"].add((row["rid"].value, row["ref"].value))
        if row["summary"] is not None:
            entry["summaries"].add(row["summary"].value)
    if set(found) != set(claims):
        missing, extra = set(claims) - set(found), set(found) - set(claims)
        fail(f"assertions differ from the selection: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}")
    base = expect.get("base", DEFAULT_BASE)
    for cid, claim in claims.items():
        check_claim(claim, found[cid], entities, references)
        check_iris(claim, found[cid]["row"], entities, base)
    plain = {r["cid"].value for r in store.query(PLAIN)}
    asserted = {cid for cid, c in claims.items() if not c.get("negated", False)}
    if plain != asserted:
        fail(f"plain triples for {sorted(plain ^ asserted)[:5]}: they must exist exactly for non-negated claims")
    for row in store.query(TITLES):
        rid, title = row["rid"].value, row["title"].value
        if title != references[rid].get("title"):
            fail(f"reference {rid}: dct:title is {title!r}, the graph says {references[rid].get('title')!r}")
    validated = validate_nanopubs(store, sorted(claims)[:NANOPUB_SAMPLE])
    print(f"rdf_check: {quads} quads read by {readers}, {len(claims)} nanopublications, {validated} validated by nanopub")


QUERY = """
PREFIX np: <http://www.nanopub.org/nschema#>
PREFIX biolink: <https://w3id.org/biolink/vocab/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?cid ?np ?s ?o ?subject_name ?object_name ?predicate ?negated ?certainty ?ref ?rid ?summary WHERE {
  GRAPH ?head { ?np a np:Nanopublication ; np:hasAssertion ?a ; np:hasProvenance ?p ; np:hasPublicationInfo ?i . }
  GRAPH ?a {
    ?claim a biolink:Association ; biolink:subject ?s ; biolink:object ?o ; biolink:negated ?negated ;
           ?cgpredicate ?predicate .
    FILTER(STRENDS(STR(?cgpredicate), "vocab/predicate"))
    ?s rdfs:label ?subject_name . ?o rdfs:label ?object_name .
    OPTIONAL { ?claim ?cgcertainty ?certainty . FILTER(STRENDS(STR(?cgcertainty), "vocab/certainty")) }
  }
  GRAPH ?i { ?np rdfs:label ?label . }
  BIND(STRAFTER(?label, "claimgraph claim ") AS ?cid)
  OPTIONAL { GRAPH ?p { ?a prov:wasDerivedFrom ?ref . ?ref dct:identifier ?rid . } }
  OPTIONAL { GRAPH ?p { ?ev ?cgsummary ?summary . FILTER(STRENDS(STR(?cgsummary), "vocab/summary")) } }
}
"""

TITLES = """
PREFIX np: <http://www.nanopub.org/nschema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?rid ?title WHERE {
  GRAPH ?head { ?np np:hasProvenance ?p . }
  GRAPH ?p { ?ref dct:identifier ?rid ; dct:title ?title . }
}
"""

PLAIN = """
PREFIX np: <http://www.nanopub.org/nschema#>
PREFIX biolink: <https://w3id.org/biolink/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?cid WHERE {
  GRAPH ?head { ?np np:hasAssertion ?a ; np:hasPublicationInfo ?i . }
  GRAPH ?a { ?claim biolink:subject ?s ; biolink:predicate ?p ; biolink:object ?o . ?s ?p ?o . }
  GRAPH ?i { ?np rdfs:label ?label . }
  BIND(STRAFTER(?label, "claimgraph claim ") AS ?cid)
}
"""


DEFAULT_BASE = "http://example.org/claimgraph/"
ONTOLOGIES = ("http://purl.obolibrary.org/obo/", "https://identifiers.org/")


def check_iris(claim, row, entities, base):
    """The nanopub and every entity without an ontology IRI live under the
    base (`--base`); an entity IRI elsewhere is an ontology's, for one of
    the entity's xrefs."""
    cid = claim["id"]
    if not row["np"].value.startswith(base + "np/"):
        fail(f"claim {cid}: nanopublication {row['np'].value} is not under the base {base}")
    for end in ("subject", "object"):
        entity, iri = entities[claim[end]], row[end[0]].value
        if iri == base + "entity/" + quote(entity["id"], safe="-._~"):
            continue
        xrefs = [x.split(":", 1)[-1] for x in entity.get("xrefs", [])]
        if not (iri.startswith(ONTOLOGIES) and any(iri.endswith(x) for x in xrefs)):
            fail(f"claim {cid}: {end} {entity['id']} is {iri}: neither under the base {base} nor one of its xrefs")


def check_claim(claim, entry, entities, references):
    row, cid = entry["row"], claim["id"]
    expected = {
        "subject_name": entities[claim["subject"]]["name"],
        "object_name": entities[claim["object"]]["name"],
        "predicate": claim["predicate"],
        "negated": "true" if claim.get("negated", False) else "false",
        "certainty": claim.get("certainty"),
    }
    for key, value in expected.items():
        got = row[key].value if row[key] is not None else None
        if got != value:
            fail(f"claim {cid}: {key} is {got!r}, the graph says {value!r}")
    ref_ids = {ev["reference"] for ev in claim.get("evidence", [])}
    if {rid for rid, _ in entry["refs"]} != ref_ids:
        fail(f"claim {cid}: derived from {sorted(entry['refs'])}, the graph cites {sorted(ref_ids)}")
    for rid, iri in entry["refs"]:
        ref = references[rid]
        if ref.get("doi") and not iri.startswith("https://doi.org/10."):
            fail(f"claim {cid}: reference {rid} has a DOI but its IRI is {iri}")
        if not ref.get("doi") and ref.get("pmid") and not iri.startswith("https://pubmed.ncbi.nlm.nih.gov/"):
            fail(f"claim {cid}: reference {rid} has a PMID but its IRI is {iri}")
    summaries = {ev["summary"] for ev in claim.get("evidence", []) if ev.get("summary")}
    if entry["summaries"] != summaries:
        fail(f"claim {cid}: evidence summaries {sorted(entry['summaries'])} != {sorted(summaries)}")


def validate_nanopubs(store, sample):
    """Cut each sampled nanopub into its own file (the nanopub package reads
    one per file) and let the package validate it."""
    rows = store.query(GRAPHS)
    graphs = {}
    for row in rows:
        graphs[row["cid"].value] = [row[k] for k in ("head", "a", "p", "i")]
    with tempfile.TemporaryDirectory() as tmp:
        for n, cid in enumerate(sample):
            quads = [q for g in graphs[cid] for q in store.quads_for_pattern(None, None, None, g)]
            path = Path(tmp) / f"nanopub-{n}.trig"
            pyoxigraph.serialize(quads, str(path), format=pyoxigraph.RdfFormat.TRIG)
            try:
                if not Nanopub(rdf=path).is_valid:
                    fail(f"nanopub says claim {cid}'s nanopublication is not valid")
            except Exception as e:  # MalformedNanopubError and friends
                fail(f"nanopub rejects claim {cid}'s nanopublication: {e}")
    return len(sample)


GRAPHS = """
PREFIX np: <http://www.nanopub.org/nschema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?cid ?head ?a ?p ?i WHERE {
  GRAPH ?head { ?np a np:Nanopublication ; np:hasAssertion ?a ; np:hasProvenance ?p ; np:hasPublicationInfo ?i . }
  GRAPH ?i { ?np rdfs:label ?label . }
  BIND(STRAFTER(?label, "claimgraph claim ") AS ?cid)
}
"""


if __name__ == "__main__":
    # On SIGTERM (a timeout) exit through Python, so `with` removes the temporary directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
