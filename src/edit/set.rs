//! Changing the fields of what is already in a graph: a claim's certainty,
//! note or negation, an evidence item's study and context, an entity's name,
//! kind, aliases and xrefs, a reference's bibliographic fields.
//!
//! Each operation takes a patch (`None`: leave the field alone; an empty
//! string: remove an optional field) and returns one [`Change::Set`] per
//! field that really changed, so the user reads "certainty `supported` →
//! `contested`" and a command that changes nothing says so.

use super::{suggest_id, Change, EditError, Item};
use crate::index::Index;
use crate::model::{Evidence, Graph, Reference, Text};

/// New values for a claim's own fields.
#[derive(Debug, Clone, Default)]
pub struct ClaimPatch {
    pub certainty: Option<String>,
    pub note: Option<String>,
    pub negated: Option<bool>,
}

/// New values for an evidence item's fields.
#[derive(Debug, Clone, Default)]
pub struct EvidencePatch {
    pub summary: Option<String>,
    pub quote: Option<String>,
    pub locator: Option<String>,
    pub study: Option<String>,
    pub species: Option<String>,
    pub model: Option<String>,
    pub tissue: Option<String>,
    pub condition: Option<String>,
}

/// Which evidence item of a claim: its 1-based position (as `show CLAIM`
/// lists them), or the reference it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceSelector {
    Position(usize),
    Reference(String),
}

/// New values for an entity's fields; aliases and xrefs are added and removed
/// one by one.
#[derive(Debug, Clone, Default)]
pub struct EntityPatch {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub group: Option<String>,
    pub description: Option<String>,
    pub add_aliases: Vec<String>,
    pub remove_aliases: Vec<String>,
    pub add_xrefs: Vec<String>,
    pub remove_xrefs: Vec<String>,
}

/// New values for a reference's fields; `authors`, when given, replaces the list.
#[derive(Debug, Clone, Default)]
pub struct ReferencePatch {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub authors: Option<Vec<String>>,
    pub year: Option<String>,
    pub journal: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub pmcid: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

impl EvidencePatch {
    /// A new evidence item citing `reference` (`add claim`, `add evidence`),
    /// its fields set by the same rules as changing them.
    pub fn new_evidence(&self, reference: &str) -> Evidence {
        let mut e = Evidence { reference: reference.into(), ..Evidence::default() };
        self.apply(&mut Recorder::new(String::new()), &mut e);
        e
    }

    fn apply(&self, r: &mut Recorder, e: &mut Evidence) {
        r.text("summary", &mut e.summary, &self.summary);
        let (mut quote, mut locator) = e.take_excerpt();
        r.optional("quote", &mut quote, &self.quote);
        r.optional("locator", &mut locator, &self.locator);
        e.set_excerpt(quote, locator);
        r.text("study", &mut e.study, &self.study);
        r.optional("species", &mut e.species, &self.species);
        r.optional("model", &mut e.model, &self.model);
        r.optional("tissue", &mut e.tissue, &self.tissue);
        r.optional("condition", &mut e.condition, &self.condition);
    }
}

impl ReferencePatch {
    /// A new reference (`add reference`): an article unless `kind` says
    /// otherwise, its fields set by the same rules as changing them (a year
    /// is a number, a DOI is normalised).
    pub fn new_reference(&self, id: &str) -> Result<Reference, EditError> {
        let mut reference = Reference { id: id.to_string(), kind: "article".into(), ..Reference::default() };
        self.apply(&mut Recorder::new(String::new()), &mut reference)?;
        Ok(reference)
    }

    fn apply(&self, r: &mut Recorder, reference: &mut Reference) -> Result<(), EditError> {
        let year = match self.year.as_deref() {
            None | Some("") => None,
            Some(y) => Some(y.trim().parse::<i32>().map_err(|_| EditError::BadValue {
                field: "year".into(),
                value: y.to_string(),
                help: Some("a year is a number, e.g. 2010 (an empty value removes it)".into()),
            })?),
        };
        r.string("type", &mut reference.kind, &self.kind);
        r.string("title", &mut reference.title, &self.title);
        if let Some(authors) = &self.authors {
            r.note("authors", reference.authors.join("; "), authors.join("; "));
            reference.authors = authors.clone();
        }
        if let Some(y) = &self.year {
            r.note("year", reference.year.map(|y| y.to_string()).unwrap_or_default(), y.clone());
            reference.year = year;
        }
        r.optional("journal", &mut reference.journal, &self.journal);
        r.optional("volume", &mut reference.volume, &self.volume);
        r.optional("issue", &mut reference.issue, &self.issue);
        r.optional("pages", &mut reference.pages, &self.pages);
        let doi = self.doi.as_deref().map(crate::model::normalize_doi);
        r.optional("doi", &mut reference.doi, &doi);
        r.optional("pmid", &mut reference.pmid, &self.pmid);
        r.optional("pmcid", &mut reference.pmcid, &self.pmcid);
        r.optional("url", &mut reference.url, &self.url);
        r.optional("note", &mut reference.note, &self.note);
        Ok(())
    }
}

/// Collects the changes made to one item.
struct Recorder {
    target: String,
    changes: Vec<Change>,
}

impl Recorder {
    fn new(target: String) -> Recorder {
        Recorder { target, changes: Vec::new() }
    }

    fn note(&mut self, field: &str, from: String, to: String) {
        if from != to {
            self.changes.push(Change::Set {
                target: self.target.clone(),
                field: field.to_string(),
                from,
                to,
            });
        }
    }

    /// A required text field: an empty value is refused by `check` later.
    fn text(&mut self, field: &str, slot: &mut Text, new: &Option<String>) {
        if let Some(new) = new {
            self.note(field, slot.to_string(), new.clone());
            *slot = new.as_str().into();
        }
    }

    fn string(&mut self, field: &str, slot: &mut String, new: &Option<String>) {
        if let Some(new) = new {
            self.note(field, slot.clone(), new.clone());
            *slot = new.clone();
        }
    }

    /// An optional field: an empty value removes it.
    fn optional<T: AsRef<str> + for<'a> From<&'a str>>(
        &mut self,
        field: &str,
        slot: &mut Option<T>,
        new: &Option<String>,
    ) {
        if let Some(new) = new {
            let from = slot.as_ref().map(|s| s.as_ref().to_string()).unwrap_or_default();
            self.note(field, from, new.clone());
            *slot = (!new.is_empty()).then(|| T::from(new.as_str()));
        }
    }

    /// Add and remove members of a list; removing one that is not there is refused.
    fn list(
        &mut self,
        field: &str,
        list: &mut Vec<Text>,
        add: &[String],
        remove: &[String],
    ) -> Result<(), EditError> {
        for r in remove {
            let Some(i) = list.iter().position(|x| x == r) else {
                let help = crate::finding::did_you_mean(r, list.iter().map(|x| x.as_str()))
                    .or_else(|| Some(format!("{} has {field}es: {}", self.target, join(list))));
                return Err(EditError::NotInList {
                    target: self.target.clone(),
                    field: field.into(),
                    value: r.clone(),
                    help,
                });
            };
            list.remove(i);
            self.changes.push(Change::ListRemoved {
                target: self.target.clone(),
                field: field.into(),
                value: r.clone(),
            });
        }
        for a in add {
            if list.iter().any(|x| x == a) {
                continue;
            }
            list.push(a.as_str().into());
            self.changes.push(Change::ListAdded {
                target: self.target.clone(),
                field: field.into(),
                value: a.clone(),
            });
        }
        Ok(())
    }
}

fn join(list: &[Text]) -> String {
    if list.is_empty() {
        return "none".into();
    }
    list.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
}

fn claim_position(graph: &Graph, id: &str) -> Result<usize, EditError> {
    graph.claims.iter().position(|c| c.id == id).ok_or_else(|| EditError::NotFound {
        what: Item::Claim,
        id: id.to_string(),
        help: suggest_id(graph, Item::Claim, id),
    })
}

/// Change a claim's certainty, note or negation.
pub fn set_claim(graph: &mut Graph, id: &str, patch: &ClaimPatch) -> Result<Vec<Change>, EditError> {
    let i = claim_position(graph, id)?;
    let claim = &mut graph.claims[i];
    let mut r = Recorder::new(format!("claim `{}`", claim.id));
    r.optional("certainty", &mut claim.certainty, &patch.certainty);
    r.optional("note", &mut claim.note, &patch.note);
    if let Some(negated) = patch.negated {
        r.note("negated", claim.negated.to_string(), negated.to_string());
        claim.negated = negated;
    }
    Ok(r.changes)
}

/// Change the fields of one evidence item of a claim.
pub fn set_evidence(
    graph: &mut Graph,
    id: &str,
    which: &EvidenceSelector,
    patch: &EvidencePatch,
) -> Result<Vec<Change>, EditError> {
    let i = claim_position(graph, id)?;
    let claim = &mut graph.claims[i];
    let j = match which {
        EvidenceSelector::Position(n) if (1..=claim.evidence.len()).contains(n) => n - 1,
        EvidenceSelector::Position(n) => {
            return Err(EditError::NoEvidence {
                claim: id.to_string(),
                which: format!("item {n}"),
                help: Some(format!(
                    "claim `{id}` has {} evidence item(s), numbered from 1",
                    claim.evidence.len()
                )),
            })
        }
        EvidenceSelector::Reference(key) => {
            let citing: Vec<usize> =
                (0..claim.evidence.len()).filter(|&j| claim.evidence[j].reference == key.as_str()).collect();
            match citing.as_slice() {
                [one] => *one,
                [] => {
                    let refs = claim.reference_ids();
                    return Err(EditError::NoEvidence {
                        claim: id.to_string(),
                        which: format!("evidence citing `{key}`"),
                        help: crate::finding::did_you_mean(key, refs.iter().copied())
                            .or_else(|| Some(format!("it cites: {}", refs.join(", ")))),
                    });
                }
                many => {
                    let positions: Vec<String> = many.iter().map(|j| (j + 1).to_string()).collect();
                    return Err(EditError::NoEvidence {
                        claim: id.to_string(),
                        which: format!("a single evidence item citing `{key}`"),
                        help: Some(format!(
                            "items {} cite it: give the item's number instead of --ref",
                            positions.join(", ")
                        )),
                    });
                }
            }
        }
    };
    let e = &mut claim.evidence[j];
    let mut r = Recorder::new(format!("evidence {} (`{}`) of claim `{}`", j + 1, e.reference, claim.id));
    patch.apply(&mut r, e);
    Ok(r.changes)
}

/// Change an entity (found by id, name or alias, like `trace` finds it).
pub fn set_entity(graph: &mut Graph, query: &str, patch: &EntityPatch) -> Result<Vec<Change>, EditError> {
    let i = {
        let index = Index::new(graph);
        index.resolve(query)? as usize
    };
    let entity = &mut graph.entities[i];
    let mut r = Recorder::new(format!("entity `{}`", entity.id));
    r.text("name", &mut entity.name, &patch.name);
    r.text("kind", &mut entity.kind, &patch.kind);
    r.optional("group", &mut entity.group, &patch.group);
    r.optional("description", &mut entity.description, &patch.description);
    r.list("alias", &mut entity.aliases, &patch.add_aliases, &patch.remove_aliases)?;
    r.list("xref", &mut entity.xrefs, &patch.add_xrefs, &patch.remove_xrefs)?;
    Ok(r.changes)
}

/// Change a reference's fields. A new DOI or PMID that another reference
/// already has is refused, like `add reference`.
pub fn set_reference(graph: &mut Graph, key: &str, patch: &ReferencePatch) -> Result<Vec<Change>, EditError> {
    let Some(i) = graph.references.iter().position(|r| r.id == key) else {
        return Err(EditError::NotFound {
            what: Item::Reference,
            id: key.to_string(),
            help: suggest_id(graph, Item::Reference, key),
        });
    };
    let mut reference = graph.references[i].clone();
    let mut r = Recorder::new(format!("reference `{key}`"));
    patch.apply(&mut r, &mut reference)?;
    let probe = crate::model::Reference {
        title: String::new(),
        doi: patch.doi.as_ref().and(reference.doi.clone()),
        pmid: patch.pmid.as_ref().and(reference.pmid.clone()),
        ..Default::default()
    };
    let others: Vec<_> = graph.references.iter().filter(|x| x.id != key).cloned().collect();
    if let Some((existing, by)) = super::find_same_work(&others, &probe) {
        return Err(EditError::DuplicateReference { existing: existing.id.clone(), by });
    }
    graph.references[i] = reference;
    Ok(r.changes)
}
