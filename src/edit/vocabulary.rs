//! Declaring kinds, predicates and study types in a graph's own vocabulary,
//! so a graph outside biomedicine never needs its JSON opened by hand.

use super::{Change, EditError};
use crate::model::{valid_slug, Graph, KindDef, PredicateDef, StudyDef, MAX_STUDY_TYPES};

/// What is being declared, for messages.
fn taken(graph: &Graph, what: &'static str, id: &str) -> Option<EditError> {
    let vocab = graph.vocabulary();
    let declared = match what {
        "kind" => graph.vocabulary.kinds.iter().any(|k| k.id == id),
        "predicate" => graph.vocabulary.predicates.iter().any(|p| p.id == id),
        _ => graph.vocabulary.studies.iter().any(|s| s.id == id),
    };
    let builtin = match what {
        "kind" => vocab.kind(id).is_some(),
        "predicate" => vocab.predicate(id).is_some(),
        _ => vocab.study(id).is_some(),
    };
    (declared || builtin).then(|| EditError::Declared { what, id: id.to_string(), builtin: !declared })
}

fn slug(what: &'static str, id: &str) -> Result<(), EditError> {
    if valid_slug(id) {
        return Ok(());
    }
    Err(EditError::BadValue {
        field: format!("{what} id"),
        value: id.to_string(),
        help: Some("ids are lower-case slugs: a-z, 0-9, `-`, `_`, `.` (e.g. `field_observation`)".into()),
    })
}

/// Declare an entity kind.
pub fn add_kind(graph: &mut Graph, kind: KindDef) -> Result<Vec<Change>, EditError> {
    slug("kind", &kind.id)?;
    if let Some(e) = taken(graph, "kind", &kind.id) {
        return Err(e);
    }
    let id = kind.id.clone();
    graph.vocabulary.kinds.push(kind);
    Ok(vec![Change::Declared { what: "kind", id, detail: String::new() }])
}

/// Declare a predicate with its sign and class.
pub fn add_predicate(graph: &mut Graph, predicate: PredicateDef) -> Result<Vec<Change>, EditError> {
    slug("predicate", &predicate.id)?;
    if let Some(e) = taken(graph, "predicate", &predicate.id) {
        return Err(e);
    }
    let detail = format!(
        "sign {}, {}",
        predicate.sign.symbol(),
        match predicate.class {
            crate::model::PredicateClass::Causal => "causal",
            crate::model::PredicateClass::Correlative => "correlative",
            crate::model::PredicateClass::Structural => "structural",
        }
    );
    let id = predicate.id.clone();
    graph.vocabulary.predicates.push(predicate);
    Ok(vec![Change::Declared { what: "predicate", id, detail }])
}

/// Declare a study type with its rank (higher is stronger evidence).
pub fn add_study(graph: &mut Graph, study: StudyDef) -> Result<Vec<Change>, EditError> {
    slug("study type", &study.id)?;
    if let Some(e) = taken(graph, "study type", &study.id) {
        return Err(e);
    }
    if graph.vocabulary().study_ids().len() >= MAX_STUDY_TYPES {
        return Err(EditError::BadValue {
            field: "study types".into(),
            value: study.id,
            help: Some(format!("a vocabulary holds at most {MAX_STUDY_TYPES} study types")),
        });
    }
    let vocab = graph.vocabulary();
    let neighbours = {
        let below = vocab.studies().find(|s| s.rank < study.rank).map(|s| s.id.clone());
        let above = vocab.studies().filter(|s| s.rank > study.rank).last().map(|s| s.id.clone());
        match (below, above) {
            (Some(b), Some(a)) => format!(", between `{b}` and `{a}`"),
            (Some(b), None) => format!(", the strongest (above `{b}`)"),
            (None, Some(a)) => format!(", the weakest (below `{a}`)"),
            (None, None) => String::new(),
        }
    };
    // Below in_vitro a type counts as no primary study, like a review: a
    // curator of another field should learn that when declaring it, not
    // from a trace that reads "no primary study cited (simulation)".
    let primary = if study.rank < crate::query::context::PRIMARY_RANK {
        format!(
            "; below {}, so evidence of this type counts as no primary study, like a review",
            crate::query::context::PRIMARY_RANK
        )
    } else {
        String::new()
    };
    let detail = format!("rank {}{neighbours}{primary}", study.rank);
    let id = study.id.clone();
    graph.vocabulary.studies.push(study);
    Ok(vec![Change::Declared { what: "study type", id, detail }])
}
