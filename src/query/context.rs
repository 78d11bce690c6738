//! Context along a path: where each hop's evidence was observed (species,
//! tissue or cell type, challenge condition), carried forward over hops that
//! do not say, and where a path moves between contexts that do not belong
//! together.
//!
//! This is what keeps a trace from attaching citations to a conclusion none
//! of them supports: "zinc raises ALP" in osteoblasts, "ALP makes phosphate"
//! from a review, and "phosphate drives calcification" in vascular smooth
//! muscle read as "zinc increases vascular calcification" unless the tool
//! notices that the first and last hop are about different tissues.
//!
//! # The rules
//!
//! - A hop's context comes from the evidence of the claims that give it its
//!   sign (the lead and the claims agreeing with it), never from conflicts or
//!   negated claims.
//! - Species: the evidence's `species`, else the species of a cell line named
//!   in its `tissue` or `model`. Tissue: the evidence's `tissue`, else a cell
//!   line named in its `model`. Condition: a condition term marked
//!   `challenge`, or "no challenge" for a condition that names none (such as
//!   "ovariectomized"); evidence without a condition says nothing (curators
//!   often leave the medium of a study unstated), so it inherits.
//! - Values are terms of the context vocabulary (compatible when one contains
//!   the other, see [`crate::model::ContextVocabulary`]) or, for text that
//!   matches no term, normalised text (equal or not).
//! - **Carry-forward**: a hop that names no value for a field inherits the
//!   values in force before it. A path *crosses* a field when a hop's values
//!   share no compatible pair with the values in force; the hop's values are
//!   in force from then on. So inserting a hop that names nothing never adds
//!   or removes a crossing.

use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::{normalize_context, ContextField, Evidence, StudyLevel, TermIx, Vocabulary};

/// One value of one context field of a hop.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContextValue {
    /// A term of the context vocabulary.
    Term(TermIx),
    /// Text that matches no term, normalised (case, plural, hyphens).
    Text(String),
    /// A condition is named, but not one marked as a challenge.
    NoChallenge,
}

impl ContextValue {
    /// How the value reads in a report.
    pub fn label(&self, vocab: &Vocabulary) -> String {
        match self {
            ContextValue::Term(t) => vocab.contexts.term(*t).display().to_string(),
            ContextValue::Text(s) => s.clone(),
            ContextValue::NoChallenge => "no challenge".to_string(),
        }
    }
}

/// Whether two values of a field belong together.
pub fn compatible(vocab: &Vocabulary, a: &ContextValue, b: &ContextValue) -> bool {
    match (a, b) {
        (ContextValue::Term(x), ContextValue::Term(y)) => vocab.contexts.compatible(*x, *y),
        (ContextValue::Term(t), ContextValue::Text(_)) | (ContextValue::Text(_), ContextValue::Term(t)) => {
            vocab.contexts.term(*t).systemic
        }
        (a, b) => a == b,
    }
}

/// Whether two hops' values of one field share a compatible pair.
fn sets_compatible(vocab: &Vocabulary, a: &[ContextValue], b: &[ContextValue]) -> bool {
    a.iter().any(|x| b.iter().any(|y| compatible(vocab, x, y)))
}

/// The context of one hop: per field (species, tissue, condition), the
/// distinct values its sign-giving evidence names, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct HopContext {
    pub fields: [Vec<ContextValue>; 3],
}

impl HopContext {
    pub fn values(&self, field: ContextField) -> &[ContextValue] {
        &self.fields[slot(field)]
    }

    /// The context of a hop carried by `claims` (the lead and those agreeing).
    pub fn of_claims(index: &Index, claims: &[ClaimIx]) -> HopContext {
        let mut ctx = HopContext::default();
        for &c in claims {
            for e in &index.claim(c).evidence {
                ctx.add_evidence(&index.vocab, e);
            }
        }
        for values in &mut ctx.fields {
            values.sort();
            values.dedup();
        }
        ctx
    }

    fn add_evidence(&mut self, vocab: &Vocabulary, e: &Evidence) {
        let terms = &vocab.contexts;
        let line = e.model.as_deref().and_then(|m| terms.cell_line_in(m));
        let tissue = e.tissue.as_deref().map(|t| value(vocab, ContextField::Tissue, t));
        let tissue = tissue.or(line.map(ContextValue::Term));
        let species = match e.species.as_deref() {
            Some(s) => Some(value(vocab, ContextField::Species, s)),
            None => {
                let from_tissue = match &tissue {
                    Some(ContextValue::Term(t)) => terms.species_of(*t),
                    _ => None,
                };
                from_tissue.or(line.and_then(|l| terms.species_of(l))).map(ContextValue::Term)
            }
        };
        let condition = e.condition.as_deref().map(|c| match terms.lookup(ContextField::Condition, c) {
            Some(t) if terms.term(t).challenge => ContextValue::Term(t),
            _ => ContextValue::NoChallenge,
        });
        for (field, v) in [(ContextField::Species, species), (ContextField::Tissue, tissue)] {
            self.fields[slot(field)].extend(v);
        }
        self.fields[slot(ContextField::Condition)].extend(condition);
    }
}

/// Ranks of the built-in study types that mark thresholds: a graph's own
/// study types slot between them by rank (see `vocabulary.studies`).
pub const PRIMARY_RANK: u16 = 40; // in_vitro
pub const IN_VIVO_RANK: u16 = 50; // animal
pub const HUMAN_RANK: u16 = 60; // human_observational

/// The rank of a study level in a vocabulary.
pub fn rank(vocab: &Vocabulary, level: StudyLevel) -> u16 {
    vocab.study_def(level).rank
}

/// A primary study: one that observed the effect itself (in vitro work or
/// stronger), not a review, a reference value or a structural fact.
pub fn is_primary(vocab: &Vocabulary, level: StudyLevel) -> bool {
    rank(vocab, level) >= PRIMARY_RANK
}

fn slot(field: ContextField) -> usize {
    match field {
        ContextField::Species => 0,
        ContextField::Tissue => 1,
        ContextField::Condition => 2,
    }
}

fn value(vocab: &Vocabulary, field: ContextField, text: &str) -> ContextValue {
    match vocab.contexts.lookup(field, text) {
        Some(t) => ContextValue::Term(t),
        None => ContextValue::Text(normalize_context(text)),
    }
}

/// Where a path crosses one field: the hop whose values were in force, and
/// the hop that names incompatible ones (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crossing {
    pub from_hop: usize,
    pub to_hop: usize,
}

/// The carry-forward rule over one field, on any values: `values[i]` is what
/// hop `i` names (empty: nothing, so the values in force carry on).
///
/// # Complexity
/// O(h · v²) for h hops of at most v values each.
pub fn crossings<V>(values: &[&[V]], compatible: impl Fn(&V, &V) -> bool) -> Vec<Crossing> {
    let mut out = Vec::new();
    let mut in_force: Option<usize> = None;
    for (i, now) in values.iter().enumerate() {
        if now.is_empty() {
            continue;
        }
        if let Some(prev) = in_force {
            if !values[prev].iter().any(|a| now.iter().any(|b| compatible(a, b))) {
                out.push(Crossing { from_hop: prev, to_hop: i });
            }
        }
        in_force = Some(i);
    }
    out
}

/// A move between incompatible contexts along a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextChange {
    /// Index of the hop after which the new context shows (`to_hop - 1`).
    pub after_hop: usize,
    /// The hop whose context was in force (0-based).
    pub from_hop: usize,
    /// The hop naming the incompatible context (0-based).
    pub to_hop: usize,
    /// The entity where hop `after_hop` ends.
    pub at: EntityIx,
    pub field: ContextField,
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// Every crossing along a path, field by field (species, tissue, condition),
/// each in hop order. `objects[i]` is where hop `i` ends.
pub fn context_changes(
    vocab: &Vocabulary,
    contexts: &[&HopContext],
    objects: &[EntityIx],
) -> Vec<ContextChange> {
    let mut out = Vec::new();
    for field in ContextField::ALL {
        let values: Vec<&[ContextValue]> = contexts.iter().map(|c| c.values(field)).collect();
        for x in crossings(&values, |a, b| compatible(vocab, a, b)) {
            let labels = |vs: &[ContextValue]| vs.iter().map(|v| v.label(vocab)).collect();
            out.push(ContextChange {
                after_hop: x.to_hop - 1,
                from_hop: x.from_hop,
                to_hop: x.to_hop,
                at: objects[x.to_hop - 1],
                field,
                from: labels(values[x.from_hop]),
                to: labels(values[x.to_hop]),
            });
        }
    }
    out
}

/// Whether a path through hops with these contexts crosses any field.
pub fn crosses(vocab: &Vocabulary, contexts: &[&HopContext]) -> bool {
    ContextField::ALL.iter().any(|&field| {
        let mut in_force: Option<&[ContextValue]> = None;
        for c in contexts {
            let now = c.values(field);
            if now.is_empty() {
                continue;
            }
            if in_force.is_some_and(|prev| !sets_compatible(vocab, prev, now)) {
                return true;
            }
            in_force = Some(now);
        }
        false
    })
}

/// Where a conflicting claim was observed outside its hop's context, in one
/// field: its values that belong with none of the hop's, beside the hop's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: ContextField,
    /// The conflicting claim's values outside the hop's context.
    pub conflict: Vec<String>,
    /// The values the claims carrying the hop name (empty: none).
    pub hop: Vec<String>,
}

/// How a conflicting claim's context differs from `hop`'s (the context of
/// the claims carrying it), field by field, naming only what differs: a
/// value the hop's claims also name, or one compatible with theirs, is
/// left out. Empty when the conflict was observed within the hop's context,
/// or names none; then context does not explain it.
pub fn differences(index: &Index, hop: &HopContext, conflict: ClaimIx) -> Vec<Difference> {
    let vocab = &index.vocab;
    let mut outside: [Vec<String>; 3] = Default::default();
    for e in &index.claim(conflict).evidence {
        let mut one = HopContext::default();
        one.add_evidence(vocab, e);
        for field in ContextField::ALL {
            let ours = hop.values(field);
            for v in one.values(field).iter().filter(|v| !ours.iter().any(|o| compatible(vocab, v, o))) {
                outside[slot(field)].push(conflict_label(vocab, e, field, v));
            }
        }
    }
    ContextField::ALL
        .into_iter()
        .zip(outside)
        .filter(|(_, values)| !values.is_empty())
        .map(|(field, mut values)| {
            values.sort();
            values.dedup();
            Difference {
                field,
                conflict: values,
                hop: hop.values(field).iter().map(|v| v.label(vocab)).collect(),
            }
        })
        .collect()
}

/// A conflict's value as its evidence words it: a vocabulary term by its
/// label, anything else ("high-phosphate medium", which the vocabulary does
/// not know as a challenge) as the curator wrote it.
fn conflict_label(vocab: &Vocabulary, e: &Evidence, field: ContextField, v: &ContextValue) -> String {
    let written = match field {
        ContextField::Species => e.species.as_deref(),
        ContextField::Tissue => e.tissue.as_deref(),
        ContextField::Condition => e.condition.as_deref(),
    };
    match (v, written) {
        (ContextValue::Term(_), _) | (_, None) => v.label(vocab),
        (_, Some(text)) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hop_that_names_nothing_carries_the_context_forward() {
        let eq = |a: &u8, b: &u8| a == b;
        let (bone, none, vessel): (&[u8], &[u8], &[u8]) = (&[1], &[], &[2]);
        assert_eq!(crossings(&[bone, none, vessel], eq), [Crossing { from_hop: 0, to_hop: 2 }]);
        assert_eq!(crossings(&[bone, none, bone], eq), []);
        assert_eq!(crossings(&[none, none], eq), []);
        // the crossing hop's values are in force afterwards
        assert_eq!(crossings(&[bone, vessel, vessel], eq), [Crossing { from_hop: 0, to_hop: 1 }]);
    }
}
