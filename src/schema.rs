//! A JSON Schema (draft 2020-12) of the graph file, for editors to validate
//! and complete. Built-in kinds, predicates and study types are offered as
//! suggestions; a file may declare more, so they are not a closed enum.

use crate::model::{builtin_study_ids, Certainty, Vocabulary, REFERENCE_TYPES, SCHEMA};
use serde_json::{json, Value};

/// The schema as a JSON value.
pub fn json_schema() -> Value {
    let vocab = Vocabulary::builtin();
    let open_enum =
        |names: Vec<&str>| json!({ "type": "string", "anyOf": [{ "enum": names }, { "type": "string" }] });
    let text = json!({ "type": "string" });
    let opt_text = json!({ "type": "string", "minLength": 1 });
    let slug = json!({ "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$" });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let certainty: Vec<&str> = Certainty::ALL.iter().map(|c| c.as_str()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://claimgraph.dev/schema/claimgraph-1.json",
        "title": "claimgraph graph file",
        "description": "Typed entities, references, and claims with cited evidence.",
        "type": "object",
        "additionalProperties": false,
        "required": ["schema"],
        "properties": {
            "schema": { "const": SCHEMA },
            "title": text,
            "description": text,
            "vocabulary": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "kinds": { "type": "array", "items": { "$ref": "#/$defs/kind" } },
                    "predicates": { "type": "array", "items": { "$ref": "#/$defs/predicate" } },
                    "studies": { "type": "array", "items": { "$ref": "#/$defs/study" } },
                    "contexts": { "type": "array", "items": { "$ref": "#/$defs/context" } }
                }
            },
            "entities": { "type": "array", "items": { "$ref": "#/$defs/entity" } },
            "references": { "type": "array", "items": { "$ref": "#/$defs/reference" } },
            "claims": { "type": "array", "items": { "$ref": "#/$defs/claim" } }
        },
        "$defs": {
            "kind": {
                "type": "object", "additionalProperties": false, "required": ["id"],
                "properties": { "id": slug, "label": text, "description": text }
            },
            "study": {
                "type": "object", "additionalProperties": false, "required": ["id", "rank"],
                "properties": {
                    "id": slug,
                    "rank": { "type": "integer", "minimum": 0, "maximum": 65535 },
                    "label": text, "description": text
                }
            },
            "predicate": {
                "type": "object", "additionalProperties": false, "required": ["id", "sign", "class"],
                "properties": {
                    "id": slug,
                    "sign": { "enum": ["+", "-", "none"] },
                    "class": { "enum": ["causal", "correlative", "structural"] },
                    "label": text, "inverse": text,
                    "subject_kinds": strings, "object_kinds": strings,
                    "description": text
                }
            },
            "context": {
                "type": "object", "additionalProperties": false, "required": ["id", "field"],
                "properties": {
                    "id": slug,
                    "field": { "enum": ["species", "tissue", "condition"] },
                    "label": text, "synonyms": strings,
                    "part_of": { "type": "string", "description": "the id of the containing term" },
                    "xref": { "type": "string", "pattern": "^[A-Za-z][A-Za-z0-9._-]*:.+$", "description": "CL, UBERON or NCBITaxon id" },
                    "species": { "type": "string", "description": "for a cell line: its species term id" },
                    "challenge": { "type": "boolean", "description": "a condition named as a challenge" },
                    "systemic": { "type": "boolean", "description": "a body-wide compartment, compatible with every tissue" }
                }
            },
            "entity": {
                "type": "object", "additionalProperties": false, "required": ["id", "name", "kind"],
                "properties": {
                    "id": slug, "name": text,
                    "kind": open_enum(vocab.kind_ids()),
                    "group": { "type": "string", "minLength": 1, "description": "the subsystem a whole-graph diagram clusters it in" },
                    "aliases": strings,
                    "xrefs": { "type": "array", "items": { "type": "string", "pattern": "^[A-Za-z][A-Za-z0-9._-]*:.+$" } },
                    "description": text
                }
            },
            "reference": {
                "type": "object", "additionalProperties": false, "required": ["id"],
                "properties": {
                    "id": { "type": "string", "pattern": "^\\S+$" },
                    "type": { "enum": REFERENCE_TYPES },
                    "title": text, "authors": strings,
                    "year": { "type": "integer" },
                    "journal": opt_text, "volume": opt_text, "issue": opt_text, "pages": opt_text,
                    "doi": { "type": "string", "pattern": "^10\\.[0-9.]+/\\S+$", "description": "without https://doi.org/ or doi:" },
                    "pmid": { "type": "string", "pattern": "^[0-9]{1,9}$" },
                    "pmcid": { "type": "string", "pattern": "^PMC[0-9]+$" },
                    "url": { "type": "string", "format": "uri" },
                    "note": text
                }
            },
            "claim": {
                "type": "object", "additionalProperties": false,
                "required": ["id", "subject", "predicate", "object", "evidence"],
                "properties": {
                    "id": slug, "subject": slug,
                    "predicate": open_enum(vocab.predicate_ids()),
                    "object": slug,
                    "evidence": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/evidence" } },
                    "negated": { "type": "boolean" },
                    "certainty": { "enum": certainty },
                    "note": text
                }
            },
            "evidence": {
                "type": "object", "additionalProperties": false, "required": ["reference"],
                "properties": {
                    "reference": text,
                    "summary": { "type": "string", "description": "in our own words" },
                    "quote": text, "locator": text,
                    "study": {
                        "type": "string",
                        "description": format!(
                            "a study type: built in {}, or one declared in vocabulary.studies",
                            builtin_study_ids().join(", ")
                        )
                    },
                    "species": text, "model": text, "tissue": text, "condition": text
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    #[test]
    fn schema_lists_exactly_the_fields_the_loader_accepts() {
        let schema = json_schema();
        let props =
            |v: &Value| -> Vec<String> { v["properties"].as_object().unwrap().keys().cloned().collect() };
        let defs = &schema["$defs"];
        assert_eq!(props(&schema), load::TOP_FIELDS);
        assert_eq!(props(&schema["properties"]["vocabulary"]), load::VOCABULARY_FIELDS);
        assert_eq!(props(&defs["kind"]), load::KIND_FIELDS);
        assert_eq!(props(&defs["predicate"]), load::PREDICATE_FIELDS);
        assert_eq!(props(&defs["study"]), load::STUDY_FIELDS);
        assert_eq!(props(&defs["context"]), load::CONTEXT_FIELDS);
        assert_eq!(props(&defs["entity"]), load::ENTITY_FIELDS);
        assert_eq!(props(&defs["reference"]), load::REFERENCE_FIELDS);
        assert_eq!(props(&defs["claim"]), load::CLAIM_FIELDS);
        assert_eq!(props(&defs["evidence"]), load::EVIDENCE_FIELDS);
    }
}
