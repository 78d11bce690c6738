//! Editing a graph in memory: add, set, remove and rename, and declaring
//! vocabulary, each returning what it changed.
//!
//! These are pure operations on a [`Graph`]: no files, no printing. The
//! store ([`crate::store`]) wraps them in a transaction that checks the result
//! and writes it safely; the command line prints the returned [`Change`]s. An
//! operation either succeeds completely or returns an error and leaves the
//! graph as it was, so a refused edit never half-applies.

mod set;
mod vocabulary;

pub use set::{
    set_claim, set_entity, set_evidence, set_reference, ClaimPatch, EntityPatch, EvidencePatch,
    EvidenceSelector, ReferencePatch,
};
pub use vocabulary::{add_kind, add_predicate, add_study};

use crate::index::{Index, ResolveError};
use crate::model::{normalize_doi, Claim, Entity, Evidence, Graph, Reference};
use std::fmt;
use thiserror::Error;

/// The three kinds of things a graph file holds by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Entity,
    Reference,
    Claim,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Item::Entity => "entity",
            Item::Reference => "reference",
            Item::Claim => "claim",
        })
    }
}

/// One thing an edit did, for the user to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added {
        what: Item,
        id: String,
    },
    /// Evidence appended to an existing claim; `merged` when the user asked to
    /// add a claim and an identical one (same endpoints and context) existed.
    EvidenceAdded {
        claim: String,
        reference: String,
        merged: bool,
    },
    Removed {
        what: Item,
        id: String,
    },
    /// Evidence items citing `reference` removed from `claim` (cascade).
    EvidenceRemoved {
        claim: String,
        reference: String,
        count: usize,
    },
    Renamed {
        what: Item,
        from: String,
        to: String,
        uses: usize,
    },
    /// A field of `target` ("claim `x`") changed; empty means absent.
    Set {
        target: String,
        field: String,
        from: String,
        to: String,
    },
    ListAdded {
        target: String,
        field: String,
        value: String,
    },
    ListRemoved {
        target: String,
        field: String,
        value: String,
    },
    /// A kind, predicate or study type declared in the graph's vocabulary.
    Declared {
        what: &'static str,
        id: String,
        detail: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added { what, id } => write!(f, "added {what} `{id}`"),
            Change::EvidenceAdded { claim, reference, merged: false } => {
                write!(f, "added evidence from `{reference}` to claim `{claim}`")
            }
            Change::EvidenceAdded { claim, reference, merged: true } => write!(
                f,
                "claim `{claim}` already states this (same subject, predicate, object and context): \
                 added evidence from `{reference}` to it instead of a duplicate claim"
            ),
            Change::Removed { what, id } => write!(f, "removed {what} `{id}`"),
            Change::EvidenceRemoved { claim, reference, count } => {
                let items = if *count == 1 { "item" } else { "items" };
                write!(f, "removed {count} evidence {items} citing `{reference}` from claim `{claim}`")
            }
            Change::Renamed { what, from, to, uses } => {
                let s = if *uses == 1 { "" } else { "s" };
                write!(f, "renamed {what} `{from}` to `{to}` ({uses} use{s} updated)")
            }
            Change::Set { target, field, from, to } => match (from.is_empty(), to.is_empty()) {
                (true, _) => write!(f, "{target}: set {field} to `{to}`"),
                (false, true) => write!(f, "{target}: removed {field} (was `{from}`)"),
                (false, false) => write!(f, "{target}: {field} `{from}` → `{to}`"),
            },
            Change::ListAdded { target, field, value } => write!(f, "{target}: added {field} `{value}`"),
            Change::ListRemoved { target, field, value } => write!(f, "{target}: removed {field} `{value}`"),
            Change::Declared { what, id, detail } if detail.is_empty() => write!(f, "added {what} `{id}`"),
            Change::Declared { what, id, detail } => write!(f, "added {what} `{id}` ({detail})"),
        }
    }
}

/// Why an edit cannot be made. The graph is unchanged when one is returned.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum EditError {
    #[error("{what} `{id}` already exists")]
    Exists { what: Item, id: String },
    #[error("this reference is already present as `{existing}` (same {by})")]
    DuplicateReference { existing: String, by: &'static str },
    #[error("no {what} `{id}`")]
    NotFound { what: Item, id: String, help: Option<String> },
    #[error("no entity, reference or claim `{id}`")]
    NoSuchId { id: String },
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error("{what} `{id}` is still used by {} claim(s): {}", users.len(), users.join(", "))]
    InUse { what: Item, id: String, users: Vec<String> },
    #[error("claim `{claim}` already cites `{reference}` in this context")]
    DuplicateEvidence { claim: String, reference: String },
    #[error("a reference needs at least a DOI, a PMID or a title")]
    EmptyReference,
    #[error("{what} `{id}` is already in the vocabulary{}", if *builtin { " (built in)" } else { "" })]
    Declared { what: &'static str, id: String, builtin: bool },
    #[error("bad {field} `{value}`")]
    BadValue { field: String, value: String, help: Option<String> },
    #[error("{target} has no {field} `{value}`")]
    NotInList { target: String, field: String, value: String, help: Option<String> },
    #[error("claim `{claim}` has no {which}")]
    NoEvidence { claim: String, which: String, help: Option<String> },
}

impl EditError {
    /// A suggestion for the user, when there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            EditError::Exists { what: Item::Claim, .. } => None,
            EditError::Exists { what, .. } => {
                Some(format!("choose another id, or `claimgraph rename` the existing {what}"))
            }
            EditError::DuplicateReference { existing, .. } => Some(format!("cite it as `--ref {existing}`")),
            EditError::NotFound { help, .. }
            | EditError::BadValue { help, .. }
            | EditError::NotInList { help, .. }
            | EditError::NoEvidence { help, .. } => help.clone(),
            EditError::Declared { builtin: true, what, .. } => {
                Some(format!("use it as it is; `claimgraph schema` lists the built-in {what}s"))
            }
            EditError::Declared { what, id, .. } => Some(format!(
                "it is declared in this graph's `vocabulary` section; choose another id than `{id}` for a new {what}"
            )),
            EditError::Resolve(e) => e.help(),
            EditError::InUse { .. } => {
                Some("remove those first, or pass --cascade to remove them too".into())
            }
            _ => None,
        }
    }
}

/// Add an entity with a new id.
pub fn add_entity(graph: &mut Graph, entity: Entity) -> Result<Vec<Change>, EditError> {
    if graph.entity(&entity.id).is_some() {
        return Err(EditError::Exists { what: Item::Entity, id: entity.id.to_string() });
    }
    let id = entity.id.to_string();
    graph.entities.push(entity);
    Ok(vec![Change::Added { what: Item::Entity, id }])
}

/// Add a reference. Refused when its key is taken or the same work is already
/// there (by DOI, then PMID, then title and year).
pub fn add_reference(graph: &mut Graph, reference: Reference) -> Result<Vec<Change>, EditError> {
    if reference.doi.is_none() && reference.pmid.is_none() && reference.title.trim().is_empty() {
        return Err(EditError::EmptyReference);
    }
    if let Some((existing, by)) = find_same_work(&graph.references, &reference) {
        return Err(EditError::DuplicateReference { existing: existing.id.clone(), by });
    }
    if graph.reference(&reference.id).is_some() {
        return Err(EditError::Exists { what: Item::Reference, id: reference.id });
    }
    let id = reference.id.clone();
    graph.references.push(reference);
    Ok(vec![Change::Added { what: Item::Reference, id }])
}

/// The reference among `known` that records the same work as `r`, and which
/// field matched: normalised DOI first, then PMID, then title + year.
pub fn find_same_work<'a>(known: &'a [Reference], r: &Reference) -> Option<(&'a Reference, &'static str)> {
    if let Some(doi) = r.doi.as_deref().map(normalize_doi).filter(|d| !d.is_empty()) {
        if let Some(k) = known.iter().find(|k| k.doi.as_deref().map(normalize_doi).as_deref() == Some(&doi)) {
            return Some((k, "DOI"));
        }
    }
    if let Some(pmid) = r.pmid.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(k) = known.iter().find(|k| k.pmid.as_deref().map(str::trim) == Some(pmid)) {
            return Some((k, "PMID"));
        }
    }
    let title = normalize_title(&r.title);
    if title.is_empty() {
        return None;
    }
    known
        .iter()
        .find(|k| k.year == r.year && normalize_title(&k.title) == title)
        .map(|k| (k, "title and year"))
}

/// Letters and digits only, lower-cased: "The Zinc  Story." == "the zinc story".
pub fn normalize_title(title: &str) -> String {
    title.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// What `add claim` asks for; subject and object may be ids, names or aliases.
#[derive(Debug, Clone, Default)]
pub struct NewClaim {
    pub subject: String,
    pub predicate: String,
    pub object: String,
    pub negated: bool,
    pub certainty: Option<String>,
    pub note: Option<String>,
    pub evidence: Evidence,
}

/// Add a claim, or — when a claim with the same subject, predicate, object,
/// negation and context exists — add the evidence to it instead.
pub fn add_claim(graph: &mut Graph, new: NewClaim) -> Result<Vec<Change>, EditError> {
    let (subject, object) = {
        let index = Index::new(graph);
        let s = index.resolve(&new.subject)?;
        let o = index.resolve(&new.object)?;
        (index.entity(s).id.clone(), index.entity(o).id.clone())
    };
    require_reference(graph, &new.evidence.reference)?;
    let context = new.evidence.context();
    let same = graph.claims.iter().position(|c| {
        c.subject == subject
            && c.object == object
            && c.predicate == new.predicate
            && c.negated == new.negated
            && c.evidence.iter().any(|e| e.context() == context)
    });
    if let Some(i) = same {
        let (claim, reference) = (graph.claims[i].id.to_string(), new.evidence.reference.to_string());
        return push_evidence(graph, i, new.evidence, true)
            .map_err(|_| EditError::DuplicateEvidence { claim, reference });
    }
    let id = claim_id(graph, &subject, &new.predicate, &object, new.negated);
    graph.claims.push(Claim {
        id: id.as_str().into(),
        subject,
        predicate: new.predicate.into(),
        object,
        evidence: vec![new.evidence],
        negated: new.negated,
        certainty: new.certainty.map(Into::into),
        note: new.note.map(Into::into),
    });
    Ok(vec![Change::Added { what: Item::Claim, id }])
}

/// A readable id that stays the same for the same claim:
/// `subject--predicate--object` (`not_` before a negated predicate), with
/// `-2`, `-3`… when that id is taken by a claim in another context.
pub fn claim_id(graph: &Graph, subject: &str, predicate: &str, object: &str, negated: bool) -> String {
    let not = if negated { "not_" } else { "" };
    let base = format!("{subject}--{not}{predicate}--{object}");
    if graph.claim(&base).is_none() {
        return base;
    }
    (2..).map(|n| format!("{base}-{n}")).find(|id| graph.claim(id).is_none()).expect("some suffix is free")
}

/// Add evidence to an existing claim.
pub fn add_evidence(graph: &mut Graph, claim: &str, evidence: Evidence) -> Result<Vec<Change>, EditError> {
    let Some(i) = graph.claims.iter().position(|c| c.id == claim) else {
        let help = crate::finding::did_you_mean(claim, graph.claims.iter().map(|c| c.id.as_str()));
        return Err(EditError::NotFound { what: Item::Claim, id: claim.to_string(), help });
    };
    require_reference(graph, &evidence.reference)?;
    let reference = evidence.reference.to_string();
    push_evidence(graph, i, evidence, false)
        .map_err(|_| EditError::DuplicateEvidence { claim: claim.to_string(), reference })
}

/// Append unless the claim already cites that reference in that context.
fn push_evidence(graph: &mut Graph, i: usize, evidence: Evidence, merged: bool) -> Result<Vec<Change>, ()> {
    let claim = &mut graph.claims[i];
    if claim.evidence.iter().any(|e| e.reference == evidence.reference && e.context() == evidence.context()) {
        return Err(());
    }
    let reference = evidence.reference.to_string();
    claim.evidence.push(evidence);
    Ok(vec![Change::EvidenceAdded { claim: claim.id.to_string(), reference, merged }])
}

fn require_reference(graph: &Graph, key: &str) -> Result<(), EditError> {
    if graph.reference(key).is_some() {
        return Ok(());
    }
    let help = crate::finding::did_you_mean(key, graph.references.iter().map(|r| r.id.as_str()))
        .or_else(|| Some("add it first with `claimgraph add reference` or `claimgraph import`".into()));
    Err(EditError::NotFound { what: Item::Reference, id: key.to_string(), help })
}

/// The claims that use an entity (as subject or object) or cite a reference.
pub fn users(graph: &Graph, what: Item, id: &str) -> Vec<String> {
    graph
        .claims
        .iter()
        .filter(|c| match what {
            Item::Entity => c.subject == id || c.object == id,
            Item::Reference => c.evidence.iter().any(|e| e.reference == id),
            Item::Claim => false,
        })
        .map(|c| c.id.to_string())
        .collect()
}

/// Remove an entity, reference or claim. Refused while claims use it, unless
/// `cascade`: then an entity's claims go too, and a reference's evidence goes
/// (with any claim left without evidence).
pub fn remove(graph: &mut Graph, what: Item, id: &str, cascade: bool) -> Result<Vec<Change>, EditError> {
    if !exists(graph, what, id) {
        return Err(EditError::NotFound { what, id: id.to_string(), help: suggest_id(graph, what, id) });
    }
    let users = users(graph, what, id);
    if !users.is_empty() && !cascade {
        return Err(EditError::InUse { what, id: id.to_string(), users });
    }
    let mut changes = Vec::new();
    match what {
        Item::Entity => {
            for claim in &users {
                changes.push(remove_claim(graph, claim));
            }
            graph.entities.retain(|e| e.id != id);
        }
        Item::Reference => {
            for claim in &users {
                changes.extend(remove_citations(graph, claim, id));
            }
            graph.references.retain(|r| r.id != id);
        }
        Item::Claim => {
            graph.claims.retain(|c| c.id != id);
        }
    }
    changes.push(Change::Removed { what, id: id.to_string() });
    Ok(changes)
}

fn remove_claim(graph: &mut Graph, claim: &str) -> Change {
    graph.claims.retain(|c| c.id != claim);
    Change::Removed { what: Item::Claim, id: claim.to_string() }
}

/// Drop a claim's evidence citing `reference`; drop the claim if nothing is left.
fn remove_citations(graph: &mut Graph, claim: &str, reference: &str) -> Vec<Change> {
    let Some(c) = graph.claims.iter_mut().find(|c| c.id == claim) else { return Vec::new() };
    let before = c.evidence.len();
    c.evidence.retain(|e| e.reference != reference);
    let count = before - c.evidence.len();
    let mut changes =
        vec![Change::EvidenceRemoved { claim: claim.to_string(), reference: reference.to_string(), count }];
    if c.evidence.is_empty() {
        changes.push(remove_claim(graph, claim));
    }
    changes
}

fn exists(graph: &Graph, what: Item, id: &str) -> bool {
    match what {
        Item::Entity => graph.entity(id).is_some(),
        Item::Reference => graph.reference(id).is_some(),
        Item::Claim => graph.claim(id).is_some(),
    }
}

fn suggest_id(graph: &Graph, what: Item, id: &str) -> Option<String> {
    let ids: Vec<&str> = match what {
        Item::Entity => graph.entities.iter().map(|e| e.id.as_str()).collect(),
        Item::Reference => graph.references.iter().map(|r| r.id.as_str()).collect(),
        Item::Claim => graph.claims.iter().map(|c| c.id.as_str()).collect(),
    };
    crate::finding::did_you_mean(id, ids)
}

/// Rename an entity, reference or claim, updating every use of the old id.
/// Generated claim ids that contain an entity id are left alone: ids are
/// stable names, and other documents may cite them.
pub fn rename(graph: &mut Graph, from: &str, to: &str) -> Result<Vec<Change>, EditError> {
    let what = [Item::Entity, Item::Reference, Item::Claim]
        .into_iter()
        .find(|&w| exists(graph, w, from))
        .ok_or_else(|| EditError::NoSuchId { id: from.to_string() })?;
    if exists(graph, what, to) {
        return Err(EditError::Exists { what, id: to.to_string() });
    }
    let mut uses = 0;
    match what {
        Item::Entity => {
            graph.entities.iter_mut().filter(|e| e.id == from).for_each(|e| e.id = to.into());
            for c in &mut graph.claims {
                for end in [&mut c.subject, &mut c.object] {
                    if end == from {
                        *end = to.into();
                        uses += 1;
                    }
                }
            }
        }
        Item::Reference => {
            graph.references.iter_mut().filter(|r| r.id == from).for_each(|r| r.id = to.to_string());
            for e in graph.claims.iter_mut().flat_map(|c| c.evidence.iter_mut()) {
                if e.reference == from {
                    e.reference = to.into();
                    uses += 1;
                }
            }
        }
        Item::Claim => {
            graph.claims.iter_mut().filter(|c| c.id == from).for_each(|c| c.id = to.into());
        }
    }
    Ok(vec![Change::Renamed { what, from: from.to_string(), to: to.to_string(), uses }])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two entities, one reference, one claim: small enough to reason about.
    fn graph() -> Graph {
        crate::load::parse(
            r#"{"schema": "claimgraph/1",
                "entities": [{"id": "zinc", "name": "Zinc", "kind": "nutrient", "aliases": ["Zn"]},
                             {"id": "alp", "name": "Alkaline phosphatase", "kind": "enzyme"}],
                "references": [{"id": "seo2010", "title": "T", "pmid": "21103080"}],
                "claims": [{"id": "zinc--cofactor_of--alp", "subject": "zinc", "predicate": "cofactor_of",
                            "object": "alp", "evidence": [{"reference": "seo2010", "study": "in_vitro",
                            "species": "mouse"}]}]}"#,
        )
        .unwrap()
    }

    fn evidence(reference: &str) -> Evidence {
        Evidence { reference: reference.into(), study: "in_vitro".into(), ..Default::default() }
    }

    #[test]
    fn same_claim_in_same_context_gains_evidence_instead_of_a_duplicate() {
        let mut g = graph();
        let existing = g.claims[0].clone();
        let mut ev = existing.evidence[0].clone();
        ev.summary = "again".into();
        g.references.push(Reference { id: "other".into(), title: "Other".into(), ..Default::default() });
        ev.reference = "other".into();
        let new = NewClaim {
            subject: existing.subject.to_string(),
            predicate: existing.predicate.to_string(),
            object: existing.object.to_string(),
            evidence: ev,
            ..Default::default()
        };
        let changes = add_claim(&mut g, new).unwrap();
        assert_eq!(
            changes,
            [Change::EvidenceAdded {
                claim: existing.id.to_string(),
                reference: "other".into(),
                merged: true
            }]
        );
        assert_eq!(g.claims.len(), 1);
        assert_eq!(g.claims[0].evidence.len(), 2);
    }

    #[test]
    fn a_new_context_makes_a_new_claim_with_a_suffixed_id() {
        let mut g = graph();
        let c = g.claims[0].clone();
        let mut ev = evidence(&c.evidence[0].reference);
        ev.species = Some("rat".into());
        let new = NewClaim {
            subject: c.subject.to_string(),
            predicate: c.predicate.to_string(),
            object: c.object.to_string(),
            evidence: ev,
            ..Default::default()
        };
        let changes = add_claim(&mut g, new).unwrap();
        let id = format!("{}--{}--{}-2", c.subject, c.predicate, c.object);
        assert_eq!(id, format!("{}-2", c.id));
        assert_eq!(changes, [Change::Added { what: Item::Claim, id }]);
    }

    #[test]
    fn removing_a_used_entity_lists_its_claims_and_changes_nothing() {
        let mut g = graph();
        let before = g.clone();
        let subject = g.claims[0].subject.clone();
        let err = remove(&mut g, Item::Entity, &subject, false).unwrap_err();
        assert!(matches!(&err, EditError::InUse { users, .. } if users == &[g.claims[0].id.clone()]));
        assert_eq!(g, before);
        let changes = remove(&mut g, Item::Entity, &subject, true).unwrap();
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(g.claims.is_empty());
    }

    #[test]
    fn removing_a_reference_with_cascade_drops_claims_left_without_evidence() {
        let mut g = graph();
        let r = g.references[0].id.clone();
        let changes = remove(&mut g, Item::Reference, &r, true).unwrap();
        assert!(changes.contains(&Change::Removed { what: Item::Claim, id: "zinc--cofactor_of--alp".into() }));
        assert!(g.claims.is_empty() && g.references.is_empty());
    }

    #[test]
    fn rename_updates_every_use() {
        let mut g = graph();
        let r = g.references[0].id.clone();
        let changes = rename(&mut g, &r, "renamed2010").unwrap();
        assert!(matches!(&changes[0], Change::Renamed { uses: 1, .. }));
        assert!(g.claims.iter().all(|c| c.evidence.iter().all(|e| e.reference == "renamed2010")));
        assert!(matches!(rename(&mut g, "zinc", "alp"), Err(EditError::Exists { .. })));
    }

    #[test]
    fn duplicate_references_are_found_by_doi_then_pmid_then_title() {
        let known = vec![Reference {
            id: "a".into(),
            title: "The Zinc Story".into(),
            year: Some(2010),
            doi: Some("10.1/ABC".into()),
            pmid: Some("123".into()),
            ..Default::default()
        }];
        let by = |r: Reference| find_same_work(&known, &r).map(|(k, by)| (k.id.clone(), by));
        let doi = Reference { doi: Some("https://doi.org/10.1/abc".into()), ..Default::default() };
        assert_eq!(by(doi), Some(("a".into(), "DOI")));
        assert_eq!(
            by(Reference { pmid: Some("123".into()), ..Default::default() }),
            Some(("a".into(), "PMID"))
        );
        let title = Reference { title: "the zinc story.".into(), year: Some(2010), ..Default::default() };
        assert_eq!(by(title.clone()), Some(("a".into(), "title and year")));
        assert_eq!(by(Reference { year: Some(2011), ..title }), None);
    }
}
