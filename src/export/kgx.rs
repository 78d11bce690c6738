//! KGX TSV in Biolink terms: the format Biolink pipelines (the NCATS
//! Translator, KG-Hub, ROBOKOP) exchange knowledge graphs in.
//!
//! A selection becomes a directory with `nodes.tsv` and `edges.tsv`. Kinds
//! map to Biolink 4 categories and predicates to Biolink predicates with
//! qualifiers (the shared [`super::biolink`] table, in the README); every
//! edge is a `knowledge_assertion` by a `manual_agent`, with
//! `infores:claimgraph` as its primary knowledge source and its references as
//! `publications` (`PMID:…`, else `doi:…`). What Biolink has no slot for
//! travels in `claimgraph_*` columns: our kind and predicate, the sign,
//! certainty, and the evidence as a JSON array.
//!
//! KGX TSV has no quoting (KGX reads it with `QUOTE_NONE`), splits any value
//! containing `|` into a list, and turns tabs and newlines into spaces. So in
//! text values those characters are percent-encoded — `%` → `%25`, `|` →
//! `%7C`, tab → `%09`, LF → `%0A`, CR → `%0D` — which `urllib.parse.unquote`
//! undoes; the evidence JSON escapes `|` as `\u007c` instead, which any JSON
//! parser undoes.

use super::biolink;
use super::tabular::{self, write_file};
use super::Selection;
use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::{Claim, Entity};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

pub const NODES: &str = "nodes.tsv";
pub const EDGES: &str = "edges.tsv";
/// The prefix of entities and claims that have no outside identifier.
pub const LOCAL_PREFIX: &str = "claimgraph";
pub const KNOWLEDGE_SOURCE: &str = "infores:claimgraph";

/// Prefixes of the Biolink model's JSON-LD context that an entity's xref may
/// carry to become its node id (others stay in `xref`).
const ID_PREFIXES: &[&str] = &[
    "CHEBI",
    "CL",
    "DOID",
    "EC",
    "FOODON",
    "GO",
    "HGNC",
    "HP",
    "MESH",
    "MONDO",
    "NCBIGene",
    "NCBITaxon",
    "PR",
    "PUBCHEM.COMPOUND",
    "UBERON",
    "UMLS",
    "UniProtKB",
    "DRUGBANK",
    "HMDB",
    "NCIT",
    "OMIM",
    "EFO",
];

const NODE_COLUMNS: &[&str] = &[
    "id",
    "category",
    "name",
    "description",
    "synonym",
    "xref",
    "provided_by",
    "claimgraph_id",
    "claimgraph_kind",
];

const EDGE_COLUMNS: &[&str] = &[
    "id",
    "subject",
    "predicate",
    "object",
    "qualified_predicate",
    "object_aspect_qualifier",
    "object_direction_qualifier",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
    "original_predicate",
    "claimgraph_id",
    "claimgraph_predicate",
    "claimgraph_sign",
    "claimgraph_certainty",
    "claimgraph_reversed",
    "claimgraph_evidence",
];

/// Write the selection as a KGX directory (created if missing).
pub fn write_dir(index: &Index, selection: &Selection, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let ids = node_ids(index, &selection.entities);
    write_file(dir, NODES, |out| write_nodes(out, index, selection, &ids))?;
    write_file(dir, EDGES, |out| write_edges(out, index, selection, &ids))
}

/// Node ids: an entity's first xref with a Biolink prefix that no other
/// selected entity took first (so two entities never merge into one node),
/// else `claimgraph:<id>`.
fn node_ids(index: &Index, entities: &BTreeSet<EntityIx>) -> BTreeMap<EntityIx, String> {
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    let mut ids = BTreeMap::new();
    for &e in entities {
        let entity = index.entity(e);
        let xref = entity.xrefs.iter().map(|x| x.as_str()).find(|x| usable_id(x) && !taken.contains(x));
        let id = match xref {
            Some(x) => {
                taken.insert(x);
                x.to_string()
            }
            None => format!("{LOCAL_PREFIX}:{}", encode(&entity.id)),
        };
        ids.insert(e, id);
    }
    ids
}

fn usable_id(xref: &str) -> bool {
    let Some((prefix, local)) = xref.split_once(':') else { return false };
    ID_PREFIXES.contains(&prefix)
        && !local.is_empty()
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "._:-".contains(c))
}

fn write_nodes(
    out: &mut dyn Write,
    index: &Index,
    selection: &Selection,
    ids: &BTreeMap<EntityIx, String>,
) -> io::Result<()> {
    writeln!(out, "{}", NODE_COLUMNS.join("\t"))?;
    for &e in &selection.entities {
        let entity: &Entity = index.entity(e);
        let id = &ids[&e];
        let xrefs: Vec<String> =
            entity.xrefs.iter().filter(|x| x.as_str() != id).map(|x| encode(x)).collect();
        let row = [
            id.clone(),
            curie(biolink::category(&entity.kind)),
            encode(&entity.name),
            entity.description.as_deref().map(encode).unwrap_or_default(),
            list(entity.aliases.iter().map(|a| encode(a))),
            list(xrefs.into_iter()),
            KNOWLEDGE_SOURCE.to_string(),
            encode(&entity.id),
            encode(&entity.kind),
        ];
        writeln!(out, "{}", row.join("\t"))?;
    }
    Ok(())
}

fn write_edges(
    out: &mut dyn Write,
    index: &Index,
    selection: &Selection,
    ids: &BTreeMap<EntityIx, String>,
) -> io::Result<()> {
    writeln!(out, "{}", EDGE_COLUMNS.join("\t"))?;
    for &c in &selection.claims {
        if let Some(row) = edge(index, c, ids) {
            writeln!(out, "{}", row.join("\t"))?;
        }
    }
    Ok(())
}

fn edge(index: &Index, c: ClaimIx, ids: &BTreeMap<EntityIx, String>) -> Option<Vec<String>> {
    let claim: &Claim = index.claim(c);
    let subject = ids.get(&index.entity_ix(&claim.subject)?)?;
    let object = ids.get(&index.entity_ix(&claim.object)?)?;
    let mapped = biolink::predicate(&claim.predicate);
    let (subject, object) = if mapped.reversed() { (object, subject) } else { (subject, object) };
    let publications =
        index.claim_refs(c).iter().filter_map(|&r| tabular::publication_curie(index.reference(r)));
    let sign = index.predicate(c).map_or("none", |p| p.sign.symbol());
    Some(vec![
        format!("{LOCAL_PREFIX}:{}", encode(&claim.id)),
        subject.clone(),
        curie(mapped.predicate),
        object.clone(),
        mapped.qualified_predicate.map(curie).unwrap_or_default(),
        mapped.aspect.unwrap_or_default().to_string(),
        mapped.direction.unwrap_or_default().to_string(),
        // KGX reads this column with Python's bool(): any text is true, so
        // an asserted claim leaves it empty.
        if claim.negated { "True" } else { "" }.to_string(),
        "knowledge_assertion".to_string(),
        "manual_agent".to_string(),
        KNOWLEDGE_SOURCE.to_string(),
        list(publications.map(|p| encode(&p))),
        format!("{LOCAL_PREFIX}:{}", encode(&claim.predicate)),
        encode(&claim.id),
        encode(&claim.predicate),
        sign.to_string(),
        claim.certainty.as_deref().map(encode).unwrap_or_default(),
        if mapped.reversed() { "True" } else { "" }.to_string(),
        evidence_json(claim),
    ])
}

/// The evidence as a JSON array of objects, one per item, with the
/// reference's publication CURIE beside its citation key.
fn evidence_json(claim: &Claim) -> String {
    let items: Vec<serde_json::Value> = claim.evidence.iter().map(|e| serde_json::json!(e)).collect();
    let text = serde_json::to_string(&items).expect("evidence serializes");
    // serde_json escapes tabs and newlines already; `|` can only stand inside
    // a JSON string, where `\u007c` means the same.
    text.replace('|', "\\u007c")
}

fn curie(biolink_name: &str) -> String {
    format!("biolink:{biolink_name}")
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("|")
}

/// Percent-encode the characters KGX TSV cannot carry in a value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '|' => out.push_str("%7C"),
            '\t' => out.push_str("%09"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_characters_kgx_splits_on_are_percent_encoded() {
        assert_eq!(encode("a|b\tc\nd\re 100%7C 🦴 \"q\" ;"), "a%7Cb%09c%0Ad%0De 100%257C 🦴 \"q\" ;");
    }

    #[test]
    fn only_clean_xrefs_with_biolink_prefixes_become_ids() {
        assert!(usable_id("CHEBI:29105"));
        assert!(usable_id("EC:3.1.3.1"));
        assert!(!usable_id("X:<&>"));
        assert!(!usable_id("CHEBI:a|b"));
        assert!(!usable_id("wikipedia:Zinc"));
    }
}
