//! Checking a graph file that does not load: `check` promises every problem
//! in one run, so a structural error (an unknown field, a value of the wrong
//! type) must not hide the rest — a bad certainty two screens further down
//! should not appear only on the second run.
//!
//! The salvage reads the document as plain JSON, keeps every record that
//! deserializes once its unknown members (already reported by [`crate::load`])
//! are left out, and runs the full [`crate::check`] on what it kept. Finding
//! pointers are mapped back to the records' places in the file, and
//! follow-on errors about a record that could not be kept at all (a claim
//! citing an entity that had a broken field) are left out: the structural
//! error already points at its cause.

use crate::finding::{Finding, Location};
use crate::load::{CLAIM_FIELDS, ENTITY_FIELDS, EVIDENCE_FIELDS, REFERENCE_FIELDS};
use crate::model::{Graph, VocabularySection, SCHEMA};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The findings `check` makes on the parts of `text` that can be read, to
/// add to the findings of a failed [`crate::load::parse`]. Empty when the
/// text is not a JSON object at all.
pub fn check_what_loads(text: &str) -> Vec<Finding> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let mut lost = Vec::new();
    let mut graph = Graph {
        schema: doc.get("schema").and_then(Value::as_str).unwrap_or(SCHEMA).to_string(),
        title: String::new(),
        description: String::new(),
        vocabulary: doc
            .get("vocabulary")
            .and_then(|v| serde_json::from_value::<VocabularySection>(v.clone()).ok())
            .unwrap_or_default(),
        ..Graph::default()
    };
    let (entities, e_at) = records(&doc, "entities", ENTITY_FIELDS, &mut lost);
    let (references, r_at) = records(&doc, "references", REFERENCE_FIELDS, &mut lost);
    let (claims, c_at) = records(&doc, "claims", CLAIM_FIELDS, &mut lost);
    (graph.entities, graph.references, graph.claims) = (entities, references, claims);
    crate::check::check(&graph)
        .into_iter()
        .filter(|f| !f.id.as_ref().is_some_and(|id| lost.contains(id)))
        .map(|mut f| {
            if let Some(Location::Pointer { pointer, .. }) = &mut f.location {
                *pointer = remap(pointer, &[("entities", &e_at), ("references", &r_at), ("claims", &c_at)]);
            }
            f
        })
        .collect()
}

/// The records of one array that can be read, and each one's index in the
/// file. The ids of records that cannot be read at all go to `lost`.
fn records<T: DeserializeOwned>(
    doc: &Map<String, Value>,
    field: &str,
    known: &[&str],
    lost: &mut Vec<String>,
) -> (Vec<T>, Vec<usize>) {
    let Some(Value::Array(items)) = doc.get(field) else { return (Vec::new(), Vec::new()) };
    let mut out = Vec::new();
    let mut at = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match read(item, known) {
            Some(record) => {
                out.push(record);
                at.push(i);
            }
            None => lost.extend(item.get("id").and_then(Value::as_str).map(str::to_string)),
        }
    }
    (out, at)
}

/// A record as it is, or without its unknown members (and, for a claim, its
/// evidence items' unknown members).
fn read<T: DeserializeOwned>(item: &Value, known: &[&str]) -> Option<T> {
    if let Ok(record) = serde_json::from_value(item.clone()) {
        return Some(record);
    }
    let mut item = item.clone();
    let object = item.as_object_mut()?;
    object.retain(|k, _| known.contains(&k.as_str()));
    if let Some(Value::Array(evidence)) = object.get_mut("evidence") {
        for e in evidence.iter_mut().filter_map(Value::as_object_mut) {
            e.retain(|k, _| EVIDENCE_FIELDS.contains(&k.as_str()));
        }
    }
    serde_json::from_value(item).ok()
}

/// `/claims/3/subject` with the 3rd kept claim's index in the file.
fn remap(pointer: &str, tables: &[(&str, &Vec<usize>)]) -> String {
    let mut parts = pointer.splitn(4, '/').skip(1);
    let (Some(array), Some(index)) = (parts.next(), parts.next()) else { return pointer.to_string() };
    let rest = parts.next().map(|r| format!("/{r}")).unwrap_or_default();
    let Some((_, at)) = tables.iter().find(|(name, _)| *name == array) else { return pointer.to_string() };
    match index.parse::<usize>().ok().and_then(|i| at.get(i)) {
        Some(i) => format!("/{array}/{i}{rest}"),
        None => pointer.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_back_to_the_records_in_the_file() {
        let at = vec![0, 2, 3];
        assert_eq!(remap("/claims/1/certainty", &[("claims", &at)]), "/claims/2/certainty");
        assert_eq!(remap("/claims/2", &[("claims", &at)]), "/claims/3");
        assert_eq!(remap("/schema", &[("claims", &at)]), "/schema");
    }
}
