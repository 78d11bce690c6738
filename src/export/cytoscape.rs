//! A selection as Cytoscape JSON: what `cy.add()` / `cytoscape({elements})`
//! takes in Cytoscape.js, and what Cytoscape desktop imports as a `.cyjs`.
//!
//! Nodes carry the entity (`data.id` is its id, `data.name` its name), edges
//! one claim each (`data.id` is `claim:` + the claim id, because Cytoscape.js
//! wants node and edge ids unique together, and ids in a graph file are slugs
//! without `:`), with its predicate, sign, negation, certainty, citations and
//! evidence as real JSON (see [`records`]). `classes` names the edge's look
//! (`plus`/`minus`/`unsigned`, `negated`, `weak`) for a stylesheet. Elements
//! are written one per line, so a million claims stream out and diff well.

use super::records::{self, Record, References};
use super::{Effect, Selection};
use crate::index::{ClaimIx, Index};
use crate::model::Certainty;
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The prefix that keeps edge ids apart from node ids.
pub const EDGE_ID_PREFIX: &str = "claim:";

/// Write the Cytoscape JSON of `selection` to `out`.
pub fn write(index: &Index, selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    let header = json!({
        "format_version": "1.0",
        "generated_by": "claimgraph",
        "target_cytoscapejs_version": "~3.0",
        "data": {"name": selection.caption, "title": index.title()},
    });
    // The header's object without its closing brace, then the elements.
    let header = header.to_string();
    write!(out, "{},\n\"elements\": {{\n\"nodes\": [", &header[..header.len() - 1])?;
    for (i, (_, node)) in records::nodes(index, selection).into_iter().enumerate() {
        let element = json!({"data": data(&node), "classes": node.get("kind").map(|k| k.to_text())});
        write!(out, "{}\n{element}", if i == 0 { "" } else { "," })?;
    }
    write!(out, "\n],\n\"edges\": [")?;
    let refs = References::new(index);
    let mut first = true;
    for &c in &selection.claims {
        let Some(edge) = records::edge(index, c, &refs) else { continue };
        let mut fields = data(&edge);
        let (source, target) = edge.ends.expect("edges have ends");
        fields.insert("id".into(), json!(format!("{EDGE_ID_PREFIX}{}", edge.id)));
        fields.insert("source".into(), json!(source));
        fields.insert("target".into(), json!(target));
        let element = json!({"data": fields, "classes": classes(index, c)});
        write!(out, "{}\n{element}", if first { "" } else { "," })?;
        first = false;
    }
    writeln!(out, "\n]\n}}\n}}")
}

fn data(record: &Record) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".into(), json!(record.id));
    for (name, value) in &record.fields {
        map.insert((*name).into(), value.to_json());
    }
    map
}

/// Style classes of a claim's edge.
fn classes(index: &Index, c: ClaimIx) -> String {
    let claim = index.claim(c);
    let effect = index.predicate(c).map_or(Effect::Unsigned, |p| Effect::of(p.sign, p.class));
    let mut classes = vec![match effect {
        Effect::Increases => "plus causal",
        Effect::Decreases => "minus causal",
        Effect::CorrelatesPositively => "plus correlative",
        Effect::CorrelatesNegatively => "minus correlative",
        Effect::Unsigned => "unsigned",
    }];
    if claim.negated {
        classes.push("negated");
    }
    if matches!(claim.certainty(), Some(Certainty::Tentative | Certainty::Contested)) {
        classes.push("weak");
    }
    classes.join(" ")
}
