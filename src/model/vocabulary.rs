//! Entity kinds, predicates with their sign and class, study levels, certainty.
//!
//! The built-in vocabulary covers biology and nutrition; a graph file may add
//! its own kinds and predicates in its `vocabulary` section.

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
    /// A fact of composition or binding, with no direction of effect.
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
    /// Species, tissue and condition terms beyond (or replacing) the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<ContextTerm>,
}

impl VocabularySection {
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty() && self.predicates.is_empty() && self.contexts.is_empty()
    }
}

/// Study designs, weakest first, so `Ord` ranks evidence.
///
/// Review, structural data and reference values say little about whether the
/// effect happens in a living system, so they rank below in-vitro work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyLevel {
    Review,
    ReferenceValue,
    Structural,
    InVitro,
    Animal,
    HumanObservational,
    Rct,
    MetaAnalysis,
}

impl StudyLevel {
    pub const ALL: [StudyLevel; 8] = [
        StudyLevel::MetaAnalysis,
        StudyLevel::Rct,
        StudyLevel::HumanObservational,
        StudyLevel::Animal,
        StudyLevel::InVitro,
        StudyLevel::Structural,
        StudyLevel::ReferenceValue,
        StudyLevel::Review,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StudyLevel::Review => "review",
            StudyLevel::ReferenceValue => "reference_value",
            StudyLevel::Structural => "structural",
            StudyLevel::InVitro => "in_vitro",
            StudyLevel::Animal => "animal",
            StudyLevel::HumanObservational => "human_observational",
            StudyLevel::Rct => "rct",
            StudyLevel::MetaAnalysis => "meta_analysis",
        }
    }

    /// Words for a reader ("human observational").
    pub fn label(self) -> &'static str {
        match self {
            StudyLevel::Review => "review",
            StudyLevel::ReferenceValue => "reference value",
            StudyLevel::Structural => "structural",
            StudyLevel::InVitro => "in vitro",
            StudyLevel::Animal => "animal",
            StudyLevel::HumanObservational => "human observational",
            StudyLevel::Rct => "RCT",
            StudyLevel::MetaAnalysis => "meta-analysis",
        }
    }

    pub fn parse(s: &str) -> Option<StudyLevel> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|l| l.as_str()).collect()
    }
}

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
        (
            "cofactor_of",
            Plus,
            Causal,
            "is a cofactor of",
            "has cofactor",
            MOLECULES,
            &["enzyme", "protein", "receptor"],
        ),
        ("required_for", Plus, Causal, "is required for", "requires", &[], &[]),
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
        Vocabulary { kinds, predicates, contexts: ContextVocabulary::new(builtin_contexts(), &[]) }
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
}
