//! Entity kinds, predicates with their sign and class, study levels, certainty.
//!
//! The built-in vocabulary covers biology and nutrition; a graph file may add
//! its own kinds, predicates and study types (with their rank) in its
//! `vocabulary` section, so a graph of geology or social science reads as
//! naturally as one of biomedicine.

use super::context::{builtin_contexts, ContextTerm, ContextVocabulary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The direction of a causal effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sign {
    #[serde(rename = "+")]
    Plus,
    #[serde(rename = "-")]
    Minus,
    #[serde(rename = "none")]
    None,
}

impl Sign {
    /// Composition along a chain: `+·− = −`, `−·− = +`, anything with `none` is `none`.
    pub fn compose(self, other: Sign) -> Sign {
        match (self, other) {
            (Sign::None, _) | (_, Sign::None) => Sign::None,
            (a, b) if a == b => Sign::Plus,
            _ => Sign::Minus,
        }
    }

    /// The opposite direction; `none` has no opposite.
    pub fn flipped(self) -> Sign {
        match self {
            Sign::Plus => Sign::Minus,
            Sign::Minus => Sign::Plus,
            Sign::None => Sign::None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Sign::Plus => "+",
            Sign::Minus => "-",
            Sign::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Sign> {
        match s {
            "+" | "plus" | "positive" => Some(Sign::Plus),
            "-" | "−" | "minus" | "negative" => Some(Sign::Minus),
            "none" | "0" => Some(Sign::None),
            _ => None,
        }
    }
}

/// What kind of statement a predicate makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PredicateClass {
    /// A mechanism: the subject changes the object.
    Causal,
    /// Observed together; says nothing about mechanism.
    Correlative,
    /// A fact of composition, binding or dependency, with no direction of
    /// effect: "zinc is a cofactor of ALP", "the zinc finger is required for
    /// DNA binding". It says what B is built from or cannot work without, not
    /// what more A does to B, so it carries no sign into a chain.
    Structural,
}

/// A predicate as declared in a file's vocabulary section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredicateDef {
    pub id: String,
    pub sign: Sign,
    pub class: PredicateClass,
    /// How to read it in a sentence ("is a cofactor of").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// How to read it backwards ("has cofactor").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub inverse: String,
    /// Kinds that usually stand as subject; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_kinds: Vec<String>,
    /// Kinds that usually stand as object; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub object_kinds: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl PredicateDef {
    /// The sign a claim with this predicate contributes to a path: correlative
    /// and structural predicates carry no causal sign.
    pub fn causal_sign(&self) -> Sign {
        match self.class {
            PredicateClass::Causal => self.sign,
            _ => Sign::None,
        }
    }

    pub fn display(&self) -> &str {
        if self.label.is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

/// An entity kind as declared in a file's vocabulary section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The optional `vocabulary` section of a graph file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularySection {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<KindDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predicates: Vec<PredicateDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub studies: Vec<StudyDef>,
    /// Species, tissue and condition terms beyond (or replacing) the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<ContextTerm>,
}

impl VocabularySection {
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
            && self.predicates.is_empty()
            && self.studies.is_empty()
            && self.contexts.is_empty()
    }
}

/// A study type as declared in a file's vocabulary section: its rank says how
/// strong its evidence is (higher is stronger).
///
/// The built-in biomedical types are ranked in tens (review 10 … meta-analysis
/// 80), so a graph can slot its own between them (`case_report` at 45) or
/// use a scale of its own (field observation, lab experiment, model, survey).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyDef {
    pub id: String,
    pub rank: u16,
    /// Words for a reader ("field observation").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl StudyDef {
    pub fn display(&self) -> &str {
        if self.label.is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

/// A study type of one graph's vocabulary, as a small number that orders
/// like the types' ranks: its position among the vocabulary's study types
/// sorted by rank, then id. It means something only together with the
/// [`Vocabulary`] it came from, which gives its id and label
/// ([`Vocabulary::study_def`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudyLevel(pub u8);

impl StudyLevel {
    /// Stronger than any real study type: the "weakest link" of a path with no hops.
    pub const STRONGEST: StudyLevel = StudyLevel(u8::MAX);
}

/// Most study types a vocabulary may hold: a level is packed into 6 bits
/// of a compiled snapshot's claim facts.
pub const MAX_STUDY_TYPES: usize = 63;

/// Built-in study designs with their ranks. Review, structural data and
/// reference values say little about whether the effect happens in a living
/// system, so they rank below in-vitro work.
const STUDIES: [(&str, u16, &str); 8] = [
    ("review", 10, "review"),
    ("reference_value", 20, "reference value"),
    ("structural", 30, "structural"),
    ("in_vitro", 40, "in vitro"),
    ("animal", 50, "animal"),
    ("human_observational", 60, "human observational"),
    ("rct", 70, "RCT"),
    ("meta_analysis", 80, "meta-analysis"),
];

/// How settled a claim is, as the curator judges the literature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    Contested,
    Tentative,
    Supported,
    Established,
}

impl Certainty {
    pub const ALL: [Certainty; 4] =
        [Certainty::Established, Certainty::Supported, Certainty::Tentative, Certainty::Contested];

    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Contested => "contested",
            Certainty::Tentative => "tentative",
            Certainty::Supported => "supported",
            Certainty::Established => "established",
        }
    }

    pub fn parse(s: &str) -> Option<Certainty> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The reference types a file may use.
pub const REFERENCE_TYPES: [&str; 6] = ["article", "review", "book", "report", "database", "web"];

const ENTITY_KINDS: [(&str, &str); 14] = [
    ("nutrient", "Nutrient"),
    ("compound", "Compound"),
    ("food", "Food"),
    ("supplement", "Supplement"),
    ("enzyme", "Enzyme"),
    ("protein", "Protein"),
    ("gene", "Gene"),
    ("receptor", "Receptor"),
    ("cell", "Cell"),
    ("process", "Process"),
    ("tissue", "Tissue"),
    ("outcome", "Outcome"),
    ("disease", "Disease"),
    ("guideline", "Guideline"),
];

const MOLECULES: &[&str] = &["nutrient", "compound", "supplement", "food", "protein", "enzyme"];

/// (id, sign, class, label, inverse, subject kinds, object kinds)
type BuiltinPredicate = (
    &'static str,
    Sign,
    PredicateClass,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const PREDICATES: &[BuiltinPredicate] = {
    use PredicateClass::*;
    use Sign::{Minus, None as Unsigned, Plus};
    &[
        ("increases", Plus, Causal, "increases", "is increased by", &[], &[]),
        ("decreases", Minus, Causal, "decreases", "is decreased by", &[], &[]),
        ("activates", Plus, Causal, "activates", "is activated by", &[], &[]),
        ("inhibits", Minus, Causal, "inhibits", "is inhibited by", &[], &[]),
        ("upregulates", Plus, Causal, "upregulates", "is upregulated by", &[], &[]),
        ("downregulates", Minus, Causal, "downregulates", "is downregulated by", &[], &[]),
        // Cofactor and requirement relations are structural and unsigned: an
        // enzyme's need for a metal says nothing about what more of it does
        // (that is a separate, signed claim such as "zinc increases ALP"), so
        // a path through them has no net sign and `check` never weighs them
        // against an activity claim.
        (
            "cofactor_of",
            Unsigned,
            Structural,
            "is a cofactor of",
            "has cofactor",
            MOLECULES,
            &["enzyme", "protein", "receptor"],
        ),
        ("required_for", Unsigned, Structural, "is required for", "requires", &[], &[]),
        ("produces", Plus, Causal, "produces", "is produced by", &[], &[]),
        ("hydrolyzes", Minus, Causal, "hydrolyses", "is hydrolysed by", &["enzyme", "protein"], MOLECULES),
        (
            "differentiates_into",
            Plus,
            Causal,
            "differentiates into",
            "differentiates from",
            &["cell"],
            &["cell"],
        ),
        (
            "source_of",
            Plus,
            Causal,
            "is a source of",
            "is supplied by",
            &["food", "supplement", "nutrient", "compound"],
            MOLECULES,
        ),
        ("protects_against", Minus, Causal, "protects against", "is prevented by", &[], &[]),
        ("part_of", Unsigned, Structural, "is part of", "has part", &[], &[]),
        ("binds", Unsigned, Structural, "binds", "is bound by", &[], &[]),
        ("stored_in", Unsigned, Structural, "is stored in", "stores", MOLECULES, &["tissue", "cell"]),
        ("associated_with", Unsigned, Correlative, "is associated with", "is associated with", &[], &[]),
        (
            "positively_correlated_with",
            Plus,
            Correlative,
            "is positively correlated with",
            "is positively correlated with",
            &[],
            &[],
        ),
        (
            "negatively_correlated_with",
            Minus,
            Correlative,
            "is negatively correlated with",
            "is negatively correlated with",
            &[],
            &[],
        ),
        (
            "risk_factor_for",
            Plus,
            Correlative,
            "is a risk factor for",
            "has risk factor",
            &[],
            &["disease", "outcome", "process"],
        ),
    ]
};

/// The vocabulary in force for one graph: built-ins plus the file's section.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    kinds: BTreeMap<String, KindDef>,
    predicates: BTreeMap<String, PredicateDef>,
    /// Sorted by rank, then id: a [`StudyLevel`] is a position in it.
    studies: Vec<StudyDef>,
    /// Species, tissue and condition terms, for comparing evidence contexts.
    pub contexts: ContextVocabulary,
}

impl Vocabulary {
    /// The built-in vocabulary alone.
    pub fn builtin() -> Vocabulary {
        let kinds = ENTITY_KINDS
            .iter()
            .map(|(id, label)| {
                let def = KindDef { id: id.to_string(), label: label.to_string(), description: None };
                (id.to_string(), def)
            })
            .collect();
        let predicates = PREDICATES
            .iter()
            .map(|&(id, sign, class, label, inverse, subj, obj)| {
                let def = PredicateDef {
                    id: id.to_string(),
                    sign,
                    class,
                    label: label.to_string(),
                    inverse: inverse.to_string(),
                    subject_kinds: subj.iter().map(|s| s.to_string()).collect(),
                    object_kinds: obj.iter().map(|s| s.to_string()).collect(),
                    description: None,
                };
                (id.to_string(), def)
            })
            .collect();
        let studies = STUDIES
            .iter()
            .map(|&(id, rank, label)| StudyDef {
                id: id.to_string(),
                rank,
                label: label.to_string(),
                description: None,
            })
            .collect();
        Vocabulary { kinds, predicates, studies, contexts: ContextVocabulary::new(builtin_contexts(), &[]) }
    }

    /// Built-ins extended (or overridden) by a file's own declarations.
    pub fn with_section(section: &VocabularySection) -> Vocabulary {
        let mut vocab = Vocabulary::builtin();
        for k in &section.kinds {
            vocab.kinds.insert(k.id.clone(), k.clone());
        }
        for p in &section.predicates {
            vocab.predicates.insert(p.id.clone(), p.clone());
        }
        if !section.contexts.is_empty() {
            vocab.contexts = ContextVocabulary::new(builtin_contexts(), &section.contexts);
        }
        for s in &section.studies {
            match vocab.studies.iter_mut().find(|b| b.id == s.id) {
                Some(builtin) => *builtin = s.clone(),
                None => vocab.studies.push(s.clone()),
            }
        }
        vocab.studies.sort_by(|a, b| (a.rank, &a.id).cmp(&(b.rank, &b.id)));
        // `check` reports a vocabulary with too many study types; the rest
        // (the weakest) get no level rather than a wrapped one.
        vocab.studies.truncate(MAX_STUDY_TYPES);
        vocab
    }

    pub fn kind(&self, id: &str) -> Option<&KindDef> {
        self.kinds.get(id)
    }

    pub fn predicate(&self, id: &str) -> Option<&PredicateDef> {
        self.predicates.get(id)
    }

    pub fn kinds(&self) -> impl Iterator<Item = &KindDef> {
        self.kinds.values()
    }

    pub fn predicates(&self) -> impl Iterator<Item = &PredicateDef> {
        self.predicates.values()
    }

    pub fn kind_ids(&self) -> Vec<&str> {
        self.kinds.keys().map(|s| s.as_str()).collect()
    }

    pub fn predicate_ids(&self) -> Vec<&str> {
        self.predicates.keys().map(|s| s.as_str()).collect()
    }

    /// The level of the study type `id`, if the vocabulary has it.
    pub fn study(&self, id: &str) -> Option<StudyLevel> {
        self.studies.iter().position(|s| s.id == id).map(|i| StudyLevel(i as u8))
    }

    /// What a level stands for. A level from another vocabulary (or
    /// [`StudyLevel::STRONGEST`]) reads as the strongest type.
    pub fn study_def(&self, level: StudyLevel) -> &StudyDef {
        let i = (level.0 as usize).min(self.studies.len() - 1);
        &self.studies[i]
    }

    /// Words for a reader ("human observational", "field observation").
    pub fn study_label(&self, level: StudyLevel) -> &str {
        self.study_def(level).display()
    }

    /// The study type's id ("human_observational").
    pub fn study_id(&self, level: StudyLevel) -> &str {
        &self.study_def(level).id
    }

    /// Study types, strongest first.
    pub fn studies(&self) -> impl Iterator<Item = &StudyDef> {
        self.studies.iter().rev()
    }

    /// Study type ids, strongest first (for help and "one of …" messages).
    pub fn study_ids(&self) -> Vec<&str> {
        self.studies().map(|s| s.id.as_str()).collect()
    }

    /// Every level, weakest first.
    pub fn levels(&self) -> impl Iterator<Item = StudyLevel> {
        (0..self.studies.len()).map(|i| StudyLevel(i as u8))
    }
}

/// The built-in study type ids, strongest first (for help texts written
/// before a graph is read).
pub fn builtin_study_ids() -> Vec<&'static str> {
    STUDIES.iter().rev().map(|s| s.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cofactor_and_requirement_carry_no_sign_into_a_chain() {
        let vocab = Vocabulary::builtin();
        for id in ["cofactor_of", "required_for"] {
            let p = vocab.predicate(id).unwrap();
            assert_eq!((p.class, p.causal_sign()), (PredicateClass::Structural, Sign::None), "{id}");
            // Composed with anything, an unsigned hop leaves the path unsigned.
            assert_eq!(Sign::Plus.compose(p.causal_sign()), Sign::None);
        }
        assert_eq!(vocab.predicate("increases").unwrap().causal_sign(), Sign::Plus);
    }
}
