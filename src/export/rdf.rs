//! A selection as RDF TriG: one nanopublication per claim.
//!
//! A nanopublication is the smallest publishable unit of a scientific
//! statement: a *head* graph naming three others, the *assertion* (here the
//! claim, in Biolink terms), its *provenance* (the references it was derived
//! from, each as a `https://doi.org/…` or PubMed IRI, and the evidence with
//! study type and context) and the *publication info* (what the nanopub is
//! and where it comes from). One per claim means each claim can be cited,
//! published or retracted on its own.
//!
//! The assertion is a `biolink:Association` node carrying subject, Biolink
//! predicate, object, `biolink:negated` and our own exact predicate, sign
//! and certainty; the plain `subject predicate object` triple is added only
//! when the claim is not negated, so a SPARQL query over plain triples never
//! reads a reported null result as the effect. Entities with an xref in a
//! known ontology (CHEBI, GO, CL, UBERON, HP, MONDO via OBO PURLs; HGNC, EC,
//! NCBIGene, UniProt, MeSH via identifiers.org) get that IRI; the rest, and
//! all our own terms, live under a base IRI the user sets (`--base`).
//!
//! Terms are built with `oxrdf` and written by `oxttl`'s TriG serializer:
//! literals and IRIs are escaped by the RDF library, never by format strings.

use super::biolink;
use super::Selection;
use crate::cite;
use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::{Evidence, Reference};
use oxrdf::vocab::{rdf, rdfs};
use oxrdf::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxttl::TriGSerializer;
use std::io::{self, Write};

/// Where our own IRIs live unless `--base` says otherwise. `example.org`
/// on purpose: a graph published for real should get a base its curators own.
pub const DEFAULT_BASE: &str = "http://example.org/claimgraph/";

const NP: &str = "http://www.nanopub.org/nschema#";
const PROV: &str = "http://www.w3.org/ns/prov#";
const CITO: &str = "http://purl.org/spar/cito/";
const DCT: &str = "http://purl.org/dc/terms/";
const BIOLINK: &str = "https://w3id.org/biolink/vocab/";
const OBO: &str = "http://purl.obolibrary.org/obo/";
const IDENTIFIERS: &str = "https://identifiers.org/";

/// Our IRIs: entities, claims, nanopubs and the small `vocab/` of terms
/// Biolink has no word for (sign, certainty, study type, evidence context).
#[derive(Debug, Clone)]
pub struct Base(String);

impl Base {
    /// `base` must be an absolute IRI; a `/` is added if it ends otherwise
    /// than in `/` or `#`, so local names never run into it.
    pub fn new(base: &str) -> Result<Base, oxrdf::IriParseError> {
        let mut base = base.to_string();
        if !base.ends_with('/') && !base.ends_with('#') {
            base.push('/');
        }
        NamedNode::new(base.as_str())?;
        Ok(Base(base))
    }

    fn iri(&self, path: &str, local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{path}{}", self.0, segment(local)))
    }

    fn vocab(&self, term: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}vocab/{term}", self.0))
    }
}

impl Default for Base {
    fn default() -> Self {
        Base(DEFAULT_BASE.to_string())
    }
}

/// Write one nanopublication per selected claim to `out` as TriG.
pub fn write(index: &Index, selection: &Selection, base: &Base, out: &mut dyn Write) -> io::Result<()> {
    let mut serializer = prefixes(base).for_writer(out);
    let mut writer = |quad: Quad| serializer.serialize_quad(&quad);
    for &c in &selection.claims {
        nanopub(index, c, base, &mut writer)?;
    }
    serializer.finish()?;
    Ok(())
}

fn prefixes(base: &Base) -> TriGSerializer {
    let prefixes = [
        ("np", NP),
        ("prov", PROV),
        ("cito", CITO),
        ("dct", DCT),
        ("biolink", BIOLINK),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("obo", OBO),
    ];
    let mut serializer = TriGSerializer::new();
    for (name, iri) in prefixes {
        serializer = serializer.with_prefix(name, iri).expect("constant IRIs parse");
    }
    let own = [("cg", format!("{}vocab/", base.0)), ("entity", format!("{}entity/", base.0))];
    for (name, iri) in own {
        serializer = serializer.with_prefix(name, iri).expect("the base was checked");
    }
    serializer
}

fn term(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

fn text(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

/// The four graphs of one claim's nanopublication.
struct Graphs {
    head: GraphName,
    assertion: GraphName,
    provenance: GraphName,
    pubinfo: GraphName,
}

fn nanopub(
    index: &Index,
    c: ClaimIx,
    base: &Base,
    write: &mut dyn FnMut(Quad) -> io::Result<()>,
) -> io::Result<()> {
    let claim = index.claim(c);
    let this = base.iri("np/", &claim.id);
    let sub = |name: &str| NamedNode::new_unchecked(format!("{}#{name}", this.as_str()));
    let graphs = Graphs {
        head: sub("Head").into(),
        assertion: sub("assertion").into(),
        provenance: sub("provenance").into(),
        pubinfo: sub("pubinfo").into(),
    };
    let mut emit = |graph: &GraphName, s: &NamedNode, p: NamedNode, o: Term| {
        write(Quad::new(NamedOrBlankNode::from(s.clone()), p, o, graph.clone()))
    };
    let graph_node = |g: &GraphName| match g {
        GraphName::NamedNode(n) => Term::from(n.clone()),
        _ => unreachable!("nanopub graphs are named"),
    };
    // Head: what the nanopublication consists of.
    emit(&graphs.head, &this, rdf::TYPE.into(), term(NP, "Nanopublication").into())?;
    emit(&graphs.head, &this, term(NP, "hasAssertion"), graph_node(&graphs.assertion))?;
    emit(&graphs.head, &this, term(NP, "hasProvenance"), graph_node(&graphs.provenance))?;
    emit(&graphs.head, &this, term(NP, "hasPublicationInfo"), graph_node(&graphs.pubinfo))?;
    for (s, p, o) in assertion(index, c, base) {
        emit(&graphs.assertion, &s, p, o)?;
    }
    let GraphName::NamedNode(assertion_iri) = &graphs.assertion else { unreachable!() };
    for (s, p, o) in provenance(index, c, base, assertion_iri, &sub) {
        emit(&graphs.provenance, &s, p, o)?;
    }
    let dataset = base.iri("", "graph");
    emit(&graphs.pubinfo, &this, rdfs::LABEL.into(), text(&format!("claimgraph claim {}", claim.id)))?;
    emit(&graphs.pubinfo, &this, term(DCT, "source"), dataset.clone().into())?;
    if !index.title().is_empty() {
        emit(&graphs.pubinfo, &dataset, term(DCT, "title"), text(index.title()))?;
    }
    Ok(())
}

type Triple = (NamedNode, NamedNode, Term);

/// The claim as a Biolink association (always) and a plain triple (unless
/// negated), with the two entities' types and names.
fn assertion(index: &Index, c: ClaimIx, base: &Base) -> Vec<Triple> {
    let claim = index.claim(c);
    let statement = base.iri("claim/", &claim.id);
    let (s, o) = (index.entity_ix(&claim.subject), index.entity_ix(&claim.object));
    let subject = s.map_or_else(|| base.iri("entity/", &claim.subject), |e| entity_iri(index, e, base));
    let object = o.map_or_else(|| base.iri("entity/", &claim.object), |e| entity_iri(index, e, base));
    // Our direction, under Biolink's inverse where its canonical predicate
    // reads the other way (`part_of`, not `has_part` swapped), so
    // `biolink:subject` is always the claim's subject.
    let mapped = biolink::predicate(&claim.predicate);
    let predicate = term(BIOLINK, mapped.as_stated());
    let mut triples: Vec<Triple> = vec![
        (statement.clone(), rdf::TYPE.into(), term(BIOLINK, "Association").into()),
        (statement.clone(), term(BIOLINK, "subject"), subject.clone().into()),
        (statement.clone(), term(BIOLINK, "predicate"), predicate.clone().into()),
        (statement.clone(), term(BIOLINK, "object"), object.clone().into()),
        (statement.clone(), term(BIOLINK, "negated"), Literal::from(claim.negated).into()),
        (statement.clone(), base.vocab("predicate"), text(&claim.predicate)),
    ];
    let qualifiers = [
        ("qualified_predicate", mapped.qualified_predicate.map(|q| Term::from(term(BIOLINK, q)))),
        ("object_direction_qualifier", mapped.direction.map(text)),
        ("object_aspect_qualifier", mapped.aspect.map(text)),
    ];
    for (name, value) in qualifiers {
        if let Some(value) = value {
            triples.push((statement.clone(), term(BIOLINK, name), value));
        }
    }
    if let Some(p) = index.predicate(c) {
        triples.push((statement.clone(), base.vocab("sign"), text(p.sign.symbol())));
        let label = format!(
            "{}{} {} {}",
            if claim.negated { "NOT: " } else { "" },
            name(index, s, &claim.subject),
            p.display(),
            name(index, o, &claim.object)
        );
        triples.push((statement.clone(), rdfs::LABEL.into(), text(&label)));
    }
    if let Some(certainty) = &claim.certainty {
        triples.push((statement.clone(), base.vocab("certainty"), text(certainty)));
    }
    if let Some(note) = &claim.note {
        triples.push((statement.clone(), rdfs::COMMENT.into(), text(note)));
    }
    if !claim.negated {
        triples.push((subject.clone(), predicate, object.clone().into()));
    }
    for (e, iri) in [(s, subject), (o, object)] {
        let Some(e) = e else { continue };
        let entity = index.entity(e);
        triples.push((iri.clone(), rdf::TYPE.into(), term(BIOLINK, biolink::category(&entity.kind)).into()));
        triples.push((iri.clone(), rdfs::LABEL.into(), text(&entity.name)));
        triples.push((iri.clone(), base.vocab("kind"), text(&entity.kind)));
        triples.push((iri, term(DCT, "identifier"), text(&entity.id)));
    }
    triples
}

fn name(index: &Index, e: Option<EntityIx>, id: &str) -> String {
    e.map_or_else(|| id.to_string(), |e| index.entity(e).name.to_string())
}

/// Where the claim comes from: each reference (`prov:wasDerivedFrom`,
/// `cito:citesAsEvidence`) with its citation, and each piece of evidence
/// with what it showed and in what context.
fn provenance(
    index: &Index,
    c: ClaimIx,
    base: &Base,
    assertion: &NamedNode,
    sub: &dyn Fn(&str) -> NamedNode,
) -> Vec<Triple> {
    let claim = index.claim(c);
    // What is said of the assertion first, then of each reference and
    // piece of evidence, so the serializer groups each subject once.
    let mut triples: Vec<Triple> =
        vec![(assertion.clone(), term(DCT, "isPartOf"), base.iri("", "graph").into())];
    let mut details: Vec<Triple> = Vec::new();
    for &r in index.claim_refs(c) {
        let reference = index.reference(r);
        let iri = reference_iri(reference, base);
        triples.push((assertion.clone(), term(PROV, "wasDerivedFrom"), iri.clone().into()));
        triples.push((assertion.clone(), term(CITO, "citesAsEvidence"), iri.clone().into()));
        details.push((iri.clone(), term(DCT, "bibliographicCitation"), text(&cite::plain(reference))));
        details.push((iri.clone(), term(DCT, "identifier"), text(&reference.id)));
        if !reference.title.is_empty() {
            details.push((iri, term(DCT, "title"), text(&reference.title)));
        }
    }
    for (i, ev) in claim.evidence.iter().enumerate() {
        let node = sub(&format!("evidence-{}", i + 1));
        triples.push((assertion.clone(), base.vocab("evidence"), node.clone().into()));
        details.extend(evidence(index, ev, base, node));
    }
    triples.extend(details);
    triples
}

fn evidence(index: &Index, ev: &Evidence, base: &Base, node: NamedNode) -> Vec<Triple> {
    let mut triples: Vec<Triple> = vec![(node.clone(), rdf::TYPE.into(), base.vocab("Evidence").into())];
    if let Some(r) = index.reference_ix(&ev.reference) {
        let iri = reference_iri(index.reference(r), base);
        triples.push((node.clone(), term(CITO, "citesAsEvidence"), iri.into()));
    }
    for (name, value) in ev.described_fields() {
        triples.push((node.clone(), base.vocab(name), text(value)));
    }
    triples
}

/// The reference's DOI or PubMed IRI, its http(s) URL, or one under the base.
pub fn reference_iri(reference: &Reference, base: &Base) -> NamedNode {
    let candidates = [
        reference
            .doi
            .as_deref()
            .map(|d| format!("https://doi.org/{}", path(&crate::model::normalize_doi(d)))),
        reference
            .pmid
            .as_deref()
            .filter(|p| crate::model::valid_pmid(p))
            .map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}/")),
        reference.link(),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|iri| NamedNode::new(iri).ok())
        .unwrap_or_else(|| base.iri("reference/", &reference.id))
}

/// The entity's ontology IRI from its first xref we know how to resolve,
/// else one under the base.
pub fn entity_iri(index: &Index, e: EntityIx, base: &Base) -> NamedNode {
    let entity = index.entity(e);
    entity.xrefs.iter().find_map(|x| xref_iri(x)).unwrap_or_else(|| base.iri("entity/", &entity.id))
}

/// `CHEBI:29105` → the OBO PURL; `HGNC:…`, `EC:…` → identifiers.org.
fn xref_iri(xref: &str) -> Option<NamedNode> {
    let (prefix, local) = xref.split_once(':')?;
    let safe = !local.is_empty() && local.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !safe {
        return None;
    }
    let iri = match prefix.to_ascii_uppercase().as_str() {
        p @ ("CHEBI" | "GO" | "CL" | "UBERON" | "HP" | "MONDO" | "DOID" | "PR" | "NCBITAXON") => {
            let p = if p == "NCBITAXON" { "NCBITaxon" } else { p };
            format!("{OBO}{p}_{local}")
        }
        "HGNC" => format!("{IDENTIFIERS}hgnc:{local}"),
        "EC" => format!("{IDENTIFIERS}ec-code:{local}"),
        "NCBIGENE" => format!("{IDENTIFIERS}ncbigene:{local}"),
        "UNIPROT" | "UNIPROTKB" => format!("{IDENTIFIERS}uniprot:{local}"),
        "MESH" => format!("{IDENTIFIERS}mesh:{local}"),
        _ => return None,
    };
    NamedNode::new(iri).ok()
}

/// A path segment: unreserved characters kept, everything else
/// percent-encoded, so any id makes a valid IRI.
fn segment(text: &str) -> String {
    encode(text, "-._~")
}

/// A URL path (a DOI): `/` and the sub-delimiters DOIs use are kept.
fn path(text: &str) -> String {
    encode(text, "-._~/:;()@!$'*+,=")
}

fn encode(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xrefs_resolve_to_ontology_iris_and_unknown_ones_do_not() {
        let iri = |x: &str| xref_iri(x).map(|n| n.into_string());
        assert_eq!(iri("CHEBI:29105").as_deref(), Some("http://purl.obolibrary.org/obo/CHEBI_29105"));
        assert_eq!(iri("EC:3.1.3.1").as_deref(), Some("https://identifiers.org/ec-code:3.1.3.1"));
        assert_eq!(iri("HGNC:438").as_deref(), Some("https://identifiers.org/hgnc:438"));
        assert_eq!(iri("X:<&>"), None);
        assert_eq!(iri("CHEBI:a b"), None);
    }

    #[test]
    fn ids_become_valid_path_segments() {
        assert_eq!(segment("a b/c\"é"), "a%20b%2Fc%22%C3%A9");
        assert!(Base::new("not an iri").is_err());
        assert_eq!(Base::new("https://ex.org/kg").unwrap().0, "https://ex.org/kg/");
    }
}
