//! One node per entity and one edge per claim, as flat typed fields, for the
//! formats other graph tools read (GraphML, GEXF, Cytoscape JSON).
//!
//! A diagram merges the claims between two entities into one arrow; a tool
//! like NetworkX or Cytoscape needs every claim back as it was, so here each
//! claim is its own edge carrying its sign, negation, certainty and every
//! piece of evidence with the reference behind it. The field lists are fixed
//! ([`NODE_FIELDS`], [`EDGE_FIELDS`]) so an XML format can declare its keys
//! before the first node; each format only decides how a [`Value`] is spelt.

use super::Selection;
use crate::cite;
use crate::index::{ClaimIx, EntityIx, Index, RefIx};
use serde_json::{json, Map};
use std::cell::OnceCell;

/// The type of a field, for formats that declare their attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Bool,
    /// A list of strings. Formats without lists write it as a JSON array, so a
    /// name containing `|` or `;` cannot be split in the wrong place.
    List,
    /// Structured data (the evidence), written as JSON text where the format
    /// has no structure of its own.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    List(Vec<String>),
    Json(serde_json::Value),
}

impl Value {
    /// The value as one string: lists and structures as compact JSON.
    pub fn to_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::List(items) => serde_json::to_string(items).expect("strings serialize"),
            Value::Json(v) => v.to_string(),
        }
    }

    /// The value as JSON: lists as arrays.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Text(s) => json!(s),
            Value::Bool(b) => json!(b),
            Value::List(items) => json!(items),
            Value::Json(v) => v.clone(),
        }
    }
}

/// Entity fields besides the id.
pub const NODE_FIELDS: &[(&str, Type)] = &[
    ("name", Type::Text),
    ("kind", Type::Text),
    ("group", Type::Text),
    ("aliases", Type::List),
    ("xrefs", Type::List),
    ("description", Type::Text),
];

/// Claim fields besides the id and the two ends.
pub const EDGE_FIELDS: &[(&str, Type)] = &[
    ("claim", Type::Text),
    ("predicate", Type::Text),
    ("label", Type::Text),
    ("sign", Type::Text),
    ("class", Type::Text),
    ("negated", Type::Bool),
    ("certainty", Type::Text),
    ("note", Type::Text),
    ("best_study", Type::Text),
    ("references", Type::List),
    ("citations", Type::List),
    ("links", Type::List),
    ("evidence", Type::Json),
];

/// A node or an edge: its id, its ends (edges only) and the fields it has,
/// in the order of [`NODE_FIELDS`] / [`EDGE_FIELDS`]; absent ones are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'g> {
    pub id: &'g str,
    pub ends: Option<(&'g str, &'g str)>,
    pub fields: Vec<(&'static str, Value)>,
}

impl Record<'_> {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// The selected entities, in id order.
pub fn nodes<'g>(index: &'g Index, selection: &Selection) -> Vec<(EntityIx, Record<'g>)> {
    let mut out: Vec<(EntityIx, Record)> = selection.entities.iter().map(|&e| (e, node(index, e))).collect();
    out.sort_by(|a, b| a.1.id.cmp(b.1.id));
    out
}

/// One entity.
pub fn node<'g>(index: &'g Index, e: EntityIx) -> Record<'g> {
    let entity = index.entity(e);
    let list = |items: &[crate::model::Text]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut fields =
        vec![("name", Value::Text(entity.name.to_string())), ("kind", Value::Text(entity.kind.to_string()))];
    if let Some(g) = &entity.group {
        fields.push(("group", Value::Text(g.to_string())));
    }
    if !entity.aliases.is_empty() {
        fields.push(("aliases", Value::List(list(&entity.aliases))));
    }
    if !entity.xrefs.is_empty() {
        fields.push(("xrefs", Value::List(list(&entity.xrefs))));
    }
    if let Some(d) = &entity.description {
        fields.push(("description", Value::Text(d.to_string())));
    }
    Record { id: &entity.id, ends: None, fields }
}

/// Per-reference texts, made once however many claims cite the reference.
pub struct References<'i, 'g> {
    index: &'i Index<'g>,
    texts: Vec<OnceCell<RefTexts>>,
}

/// What the formats say about one reference.
#[derive(Debug, Clone)]
pub struct RefTexts {
    /// "Seo et al. 2010".
    pub short: String,
    /// The full bibliography line.
    pub full: String,
    /// DOI, PubMed or http(s) link.
    pub link: Option<String>,
}

impl<'i, 'g> References<'i, 'g> {
    pub fn new(index: &'i Index<'g>) -> Self {
        References { index, texts: (0..index.reference_count()).map(|_| OnceCell::new()).collect() }
    }

    pub fn get(&self, r: RefIx) -> &RefTexts {
        self.texts[r as usize].get_or_init(|| {
            let reference = self.index.reference(r);
            RefTexts { short: cite::short(reference), full: cite::plain(reference), link: reference.link() }
        })
    }
}

/// The selected claims whose ends are both known, in claim-id order.
pub fn edges<'g>(index: &'g Index, selection: &Selection, refs: &References) -> Vec<(ClaimIx, Record<'g>)> {
    let mut out: Vec<(ClaimIx, Record)> =
        selection.claims.iter().filter_map(|&c| Some((c, edge(index, c, refs)?))).collect();
    out.sort_by(|a, b| a.1.id.cmp(b.1.id));
    out
}

/// One claim; `None` if an end is not an entity of the graph.
pub fn edge<'g>(index: &'g Index, c: ClaimIx, refs: &References) -> Option<Record<'g>> {
    let claim = index.claim(c);
    let (s, o) = (index.entity_ix(&claim.subject)?, index.entity_ix(&claim.object)?);
    let predicate = index.predicate(c);
    let text = |s: &str| Value::Text(s.to_string());
    let mut fields = vec![
        ("claim", text(&claim.id)),
        ("predicate", text(&claim.predicate)),
        ("label", text(predicate.map_or(claim.predicate.as_str(), |p| p.display()))),
    ];
    if let Some(p) = predicate {
        fields.push(("sign", text(p.sign.symbol())));
        fields.push(("class", text(class_name(p.class))));
    }
    fields.push(("negated", Value::Bool(claim.negated)));
    if let Some(certainty) = &claim.certainty {
        fields.push(("certainty", text(certainty)));
    }
    if let Some(note) = &claim.note {
        fields.push(("note", text(note)));
    }
    if let Some(best) = index.claim_facts(c).best {
        fields.push(("best_study", text(&index.vocab.study_def(best).id)));
    }
    let cited = index.claim_refs(c);
    if !cited.is_empty() {
        let ids = cited.iter().map(|&r| index.reference(r).id.clone()).collect();
        let shorts = cited.iter().map(|&r| refs.get(r).short.clone()).collect();
        let links = cited.iter().filter_map(|&r| refs.get(r).link.clone()).collect::<Vec<_>>();
        fields.push(("references", Value::List(ids)));
        fields.push(("citations", Value::List(shorts)));
        if !links.is_empty() {
            fields.push(("links", Value::List(links)));
        }
    }
    if !claim.evidence.is_empty() {
        fields.push(("evidence", Value::Json(evidence(index, c, refs))));
    }
    Some(Record { id: &claim.id, ends: Some((&index.entity(s).id, &index.entity(o).id)), fields })
}

fn class_name(class: crate::model::PredicateClass) -> &'static str {
    match class {
        crate::model::PredicateClass::Causal => "causal",
        crate::model::PredicateClass::Correlative => "correlative",
        crate::model::PredicateClass::Structural => "structural",
    }
}

/// Every piece of evidence, each with its reference's full citation and link.
fn evidence(index: &Index, c: ClaimIx, refs: &References) -> serde_json::Value {
    let items = index.claim(c).evidence.iter().map(|ev| {
        let mut item = Map::new();
        item.insert("reference".into(), json!(ev.reference.as_str()));
        if let Some(r) = index.reference_ix(&ev.reference) {
            let texts = refs.get(r);
            item.insert("citation".into(), json!(texts.full));
            if let Some(link) = &texts.link {
                item.insert("link".into(), json!(link));
            }
        }
        for (name, value) in ev.described_fields() {
            item.insert(name.into(), json!(value));
        }
        serde_json::Value::Object(item)
    });
    serde_json::Value::Array(items.collect())
}
