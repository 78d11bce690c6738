//! The context vocabulary: which species, tissues, cell types and conditions
//! evidence may name, how their spellings map to one term, and which terms
//! contain which (osteoblast ⊂ bone, MC3T3-E1 ⊂ osteoblast).
//!
//! It exists so that "is this hop about the same place as the last one?" is
//! decided by meaning rather than by string equality: an osteoblast result and
//! a bone result belong together, an osteoblast result and a vascular
//! smooth-muscle result do not. Terms ship built in for what the curated graph
//! uses; a graph adds or overrides terms in `vocabulary.contexts`. Pure data:
//! the rules that walk a path live in `query::context`.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which part of an evidence context a term describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContextField {
    Species,
    Tissue,
    Condition,
}

impl ContextField {
    pub const ALL: [ContextField; 3] = [ContextField::Species, ContextField::Tissue, ContextField::Condition];

    pub fn as_str(self) -> &'static str {
        match self {
            ContextField::Species => "species",
            ContextField::Tissue => "tissue",
            ContextField::Condition => "condition",
        }
    }

    /// "tissues", "species", "conditions": for "crosses tissues".
    pub fn plural(self) -> &'static str {
        match self {
            ContextField::Species => "species",
            ContextField::Tissue => "tissues",
            ContextField::Condition => "conditions",
        }
    }
}

/// One context term, as declared in a graph's `vocabulary.contexts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextTerm {
    pub id: String,
    pub field: ContextField,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Other spellings evidence may use ("osteoblasts", "MC3T3 pre-osteoblasts").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// The id of the term that contains this one (osteoblast → bone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// An ontology id: CL for cell types, UBERON for tissues, NCBITaxon for species.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xref: Option<String>,
    /// For a cell line: the species it comes from (a species term id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub species: Option<String>,
    /// For a condition: named as a challenge (high phosphate, high dose), so a
    /// result under it does not carry over to unchallenged conditions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub challenge: bool,
    /// For a tissue: a body-wide compartment (blood, serum) that is measured
    /// rather than acted in; compatible with every tissue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub systemic: bool,
}

impl ContextTerm {
    pub fn display(&self) -> &str {
        if self.label.is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

/// Index of a term in a [`ContextVocabulary`].
pub type TermIx = u16;

/// The context terms in force for one graph, with their lookups.
#[derive(Debug, Clone, Default)]
pub struct ContextVocabulary {
    terms: Vec<ContextTerm>,
    /// (field, normalised spelling) → term.
    names: HashMap<(ContextField, String), TermIx>,
    /// Per term: its `part_of` parent, resolved.
    parent: Vec<Option<TermIx>>,
    /// Per term: its species term, resolved (cell lines).
    species: Vec<Option<TermIx>>,
    /// Every spelling of every cell line (a tissue term with a species),
    /// normalised and padded with spaces, for finding one in a model text.
    lines: Vec<(TermIx, String)>,
}

/// Lower case, `-`/`_` as spaces, single spaces, no trailing plural `s`:
/// "Osteoblasts", "osteoblast" and "OSTEOBLAST" are one spelling.
pub fn normalize_context(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '-' || c == '_').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    if out.len() > 3 && out.ends_with('s') && !out.ends_with("ss") && !out.ends_with("us") {
        out.pop();
    }
    out
}

impl ContextVocabulary {
    /// Built-in terms, then a graph's own (same id: the graph's wins).
    pub fn new(builtin: Vec<ContextTerm>, declared: &[ContextTerm]) -> ContextVocabulary {
        let mut terms = builtin;
        for t in declared {
            match terms.iter_mut().find(|x| x.id == t.id) {
                Some(x) => *x = t.clone(),
                None => terms.push(t.clone()),
            }
        }
        terms.truncate(TermIx::MAX as usize);
        let mut names = HashMap::new();
        for (i, t) in terms.iter().enumerate() {
            let spellings = std::iter::once(&t.id).chain(std::iter::once(&t.label)).chain(&t.synonyms);
            for s in spellings.filter(|s| !s.is_empty()) {
                names.entry((t.field, normalize_context(s))).or_insert(i as TermIx);
            }
        }
        let by_id = |id: &Option<String>| {
            id.as_deref().and_then(|id| terms.iter().position(|t| t.id == id).map(|p| p as TermIx))
        };
        let parent = terms.iter().map(|t| by_id(&t.part_of)).collect();
        let species = terms.iter().map(|t| by_id(&t.species)).collect();
        let lines = terms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.field == ContextField::Tissue && t.species.is_some())
            .flat_map(|(i, t)| {
                let spellings = std::iter::once(&t.id).chain(std::iter::once(&t.label)).chain(&t.synonyms);
                spellings
                    .filter(|s| !s.is_empty())
                    .map(move |s| (i as TermIx, format!(" {} ", normalize_context(s))))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut vocab = ContextVocabulary { terms, names, parent, species, lines };
        vocab.break_cycles();
        vocab
    }

    /// A `part_of` cycle would make containment loop: cut the link that closes it.
    fn break_cycles(&mut self) {
        for start in 0..self.terms.len() {
            let mut seen = vec![start];
            let mut at = start;
            while let Some(p) = self.parent[at] {
                if seen.contains(&(p as usize)) {
                    self.parent[at] = None;
                    break;
                }
                seen.push(p as usize);
                at = p as usize;
            }
        }
    }

    pub fn terms(&self) -> &[ContextTerm] {
        &self.terms
    }

    pub fn term(&self, ix: TermIx) -> &ContextTerm {
        &self.terms[ix as usize]
    }

    /// The term a spelling names in a field, if any.
    pub fn lookup(&self, field: ContextField, text: &str) -> Option<TermIx> {
        self.names.get(&(field, normalize_context(text))).copied()
    }

    /// Every spelling of a field's terms, for "did you mean …?".
    pub fn spellings(&self, field: ContextField) -> Vec<&str> {
        self.terms
            .iter()
            .filter(|t| t.field == field)
            .flat_map(|t| std::iter::once(t.display()).chain(t.synonyms.iter().map(String::as_str)))
            .collect()
    }

    /// A cell line named anywhere in a free-text model description, word for
    /// word ("MC3T3-E1 pre-osteoblast cell line").
    pub fn cell_line_in(&self, model: &str) -> Option<TermIx> {
        let padded = format!(" {} ", normalize_context(model));
        self.lines.iter().find(|(_, s)| padded.contains(s.as_str())).map(|&(t, _)| t)
    }

    /// A term's species (cell lines), resolved.
    pub fn species_of(&self, ix: TermIx) -> Option<TermIx> {
        self.species[ix as usize]
    }

    /// Whether `outer` is `inner` or one of its `part_of` ancestors.
    pub fn contains(&self, outer: TermIx, inner: TermIx) -> bool {
        let mut at = Some(inner);
        while let Some(t) = at {
            if t == outer {
                return true;
            }
            at = self.parent[t as usize];
        }
        false
    }

    /// Two terms are compatible when one contains the other, or when either is
    /// a systemic compartment.
    pub fn compatible(&self, a: TermIx, b: TermIx) -> bool {
        self.contains(a, b) || self.contains(b, a) || self.term(a).systemic || self.term(b).systemic
    }
}

/// A term as `(id, field, label, synonyms, part_of, xref, species, challenge, systemic)`.
type Row = (
    &'static str,
    ContextField,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    bool,
);

const S: ContextField = ContextField::Species;
const T: ContextField = ContextField::Tissue;
const C: ContextField = ContextField::Condition;

/// The built-in terms: every species, tissue, cell type, cell line and
/// challenge condition the curated graph's evidence names, with their parents.
/// (`challenge` for conditions; systemic compartments are listed apart.)
const BUILTIN: &[Row] = &[
    // species
    ("mammals", S, "mammals", &["mammal", "mammalian"], None, Some("NCBITaxon:40674"), None, false),
    ("human", S, "human", &["humans", "homo sapiens"], Some("mammals"), Some("NCBITaxon:9606"), None, false),
    ("mouse", S, "mouse", &["mice", "mus musculus"], Some("mammals"), Some("NCBITaxon:10090"), None, false),
    ("rat", S, "rat", &["rats", "rattus norvegicus"], Some("mammals"), Some("NCBITaxon:10116"), None, false),
    ("rabbit", S, "rabbit", &["oryctolagus cuniculus"], Some("mammals"), Some("NCBITaxon:9986"), None, false),
    ("escherichia-coli", S, "Escherichia coli", &["E. coli"], None, Some("NCBITaxon:562"), None, false),
    // tissues and cell types
    ("bone", T, "bone", &["bone tissue", "skeleton"], None, Some("UBERON:0002481"), None, false),
    (
        "osteoblast",
        T,
        "osteoblast",
        &["pre-osteoblast", "preosteoblast"],
        Some("bone"),
        Some("CL:0000062"),
        None,
        false,
    ),
    ("osteoclast", T, "osteoclast", &[], Some("bone"), Some("CL:0000092"), None, false),
    ("bone-marrow", T, "bone marrow", &["marrow"], Some("bone"), Some("UBERON:0002371"), None, false),
    (
        "bone-marrow-mesenchymal-stem-cell",
        T,
        "bone-marrow mesenchymal stem cells",
        &[
            "bone marrow stromal cells",
            "bone-marrow stromal cells",
            "BMSC",
            "hBMSC",
            "mesenchymal stem cells",
        ],
        Some("bone-marrow"),
        None,
        None,
        false,
    ),
    (
        "osteoclast-precursor",
        T,
        "osteoclast precursors",
        &["bone-marrow-derived monocytes", "BMM"],
        Some("bone-marrow"),
        None,
        None,
        false,
    ),
    ("artery", T, "artery", &["arteries", "arterial wall"], None, Some("UBERON:0001637"), None, false),
    ("aorta", T, "aorta", &["aortic"], Some("artery"), Some("UBERON:0000947"), None, false),
    (
        "vascular-smooth-muscle",
        T,
        "vascular smooth muscle",
        &["vascular smooth muscle cells", "VSMC", "VSMCs", "aortic smooth muscle"],
        Some("artery"),
        None,
        None,
        false,
    ),
    ("skeletal-muscle", T, "skeletal muscle", &[], None, None, None, false),
    // cell lines (tissue terms with a species)
    (
        "mc3t3-e1",
        T,
        "MC3T3-E1",
        &["MC3T3", "MC3T3 pre-osteoblasts"],
        Some("osteoblast"),
        None,
        Some("mouse"),
        false,
    ),
    ("a7r5", T, "A7r5", &[], Some("vascular-smooth-muscle"), None, Some("rat"), false),
    ("raw264-7", T, "RAW264.7", &["RAW 264.7"], Some("osteoclast-precursor"), None, Some("mouse"), false),
    // conditions named as challenges
    (
        "high-phosphate",
        C,
        "high phosphate",
        &["high-phosphate/high-calcium osteogenic medium", "phosphate 1-5 mM", "hyperphosphatemia"],
        None,
        None,
        None,
        true,
    ),
    ("high-glucose", C, "high glucose", &["hyperglycaemia", "hyperglycemia"], None, None, None, true),
    (
        "high-dose-zinc",
        C,
        "high-dose zinc",
        &["high-dose oral zinc", "high-dose (pharmacological) oral zinc", "pharmacological zinc"],
        None,
        None,
        None,
        true,
    ),
    // conditions that describe a model, not a challenge
    ("ovariectomized", C, "ovariectomized", &["ovariectomy", "OVX"], None, None, None, false),
    ("rankl-stimulation", C, "RANKL stimulation", &[], None, None, None, false),
    (
        "zinc-deficient",
        C,
        "zinc-deficient culture",
        &["zinc deficiency", "zinc-deficient diet"],
        None,
        None,
        None,
        false,
    ),
];

/// Body-wide compartments, compatible with every tissue.
const SYSTEMIC: &[(&str, &str, &[&str], Option<&str>)] = &[
    ("blood", "blood", &["whole blood"], Some("UBERON:0000178")),
    ("serum", "serum", &["blood serum"], Some("UBERON:0001977")),
    ("plasma", "plasma", &["blood plasma"], Some("UBERON:0001969")),
];

/// The built-in context terms.
pub fn builtin_contexts() -> Vec<ContextTerm> {
    let own = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
    let mut terms: Vec<ContextTerm> = BUILTIN
        .iter()
        .map(|&(id, field, label, synonyms, part_of, xref, species, challenge)| ContextTerm {
            id: id.into(),
            field,
            label: label.into(),
            synonyms: own(synonyms),
            part_of: part_of.map(Into::into),
            xref: xref.map(Into::into),
            species: species.map(Into::into),
            challenge,
            systemic: false,
        })
        .collect();
    terms.extend(SYSTEMIC.iter().map(|&(id, label, synonyms, xref)| ContextTerm {
        id: id.into(),
        field: ContextField::Tissue,
        label: label.into(),
        synonyms: own(synonyms),
        part_of: None,
        xref: xref.map(Into::into),
        species: None,
        challenge: false,
        systemic: true,
    }));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> ContextVocabulary {
        ContextVocabulary::new(builtin_contexts(), &[])
    }

    #[test]
    fn spellings_fold_case_plural_and_hyphens() {
        let v = vocab();
        let ob = v.lookup(ContextField::Tissue, "osteoblast").unwrap();
        for s in ["Osteoblasts", "OSTEOBLAST", "pre-osteoblasts", "pre osteoblast"] {
            let t = v.lookup(ContextField::Tissue, s).unwrap();
            assert!(v.contains(ob, t), "{s}");
        }
        assert_eq!(
            v.lookup(ContextField::Tissue, "osteoblast"),
            v.lookup(ContextField::Tissue, "osteoblasts")
        );
        assert!(v.lookup(ContextField::Species, "osteoblast").is_none(), "fields are separate");
    }

    #[test]
    fn containment_goes_through_parents() {
        let v = vocab();
        let t = |s| v.lookup(ContextField::Tissue, s).unwrap();
        assert!(v.compatible(t("bone"), t("MC3T3-E1")));
        assert!(v.compatible(t("bone-marrow mesenchymal stem cells"), t("bone")));
        assert!(v.compatible(t("aorta"), t("artery")));
        assert!(!v.compatible(t("osteoblast"), t("vascular smooth muscle")));
        assert!(!v.compatible(t("osteoblast"), t("bone marrow")), "siblings are not compatible");
        assert!(v.compatible(t("serum"), t("osteoblast")), "systemic");
        let mc3t3 = t("MC3T3-E1");
        assert_eq!(v.term(v.species_of(mc3t3).unwrap()).id, "mouse");
    }

    #[test]
    fn declared_terms_override_and_cycles_are_cut() {
        let a = ContextTerm {
            id: "a".into(),
            field: ContextField::Tissue,
            label: String::new(),
            synonyms: vec![],
            part_of: Some("b".into()),
            xref: None,
            species: None,
            challenge: false,
            systemic: false,
        };
        let b = ContextTerm { id: "b".into(), part_of: Some("a".into()), ..a.clone() };
        let v = ContextVocabulary::new(builtin_contexts(), &[a, b]);
        let (a, b) =
            (v.lookup(ContextField::Tissue, "a").unwrap(), v.lookup(ContextField::Tissue, "b").unwrap());
        // terminates, and one direction of containment survives
        assert!(v.contains(a, b) || v.contains(b, a));
    }
}
