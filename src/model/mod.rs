//! The claimgraph data model: entities, references, claims and their evidence.
//!
//! This module is the contract of the graph file. It knows nothing about files,
//! petgraph or the command line: it is plain data with serde derives, so the
//! loader, the checker, the index and the editors can all share it. Field order
//! in the structs *is* the canonical key order of the file; optional fields are
//! skipped when empty so a canonical file never carries `null` or `[]`.

mod context;
mod ids;
mod vocabulary;

pub use context::{
    builtin_contexts, normalize_context, ContextField, ContextTerm, ContextVocabulary, TermIx,
};

pub use ids::{normalize_doi, valid_doi, valid_pmcid, valid_pmid, valid_slug};
pub use vocabulary::{
    builtin_study_ids, Certainty, KindDef, PredicateClass, PredicateDef, Sign, StudyDef, StudyLevel,
    Vocabulary, VocabularySection, MAX_STUDY_TYPES, REFERENCE_TYPES,
};

use serde::{Deserialize, Serialize};

/// The string type of entities, claims and evidence: ids, predicates, study
/// kinds, species and most names are short, and a `CompactString` keeps up
/// to 24 bytes inline. A million-claim graph has some ten million such
/// strings; as `String`s each was a heap allocation of its own, which made
/// loading allocation- and page-fault-bound and its memory half overhead.
pub type Text = compact_str::CompactString;

/// The schema tag every graph file starts with.
pub const SCHEMA: &str = "claimgraph/1";

/// A whole graph document, as stored in one JSON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Graph {
    pub schema: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "VocabularySection::is_empty")]
    pub vocabulary: VocabularySection,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub references: Vec<Reference>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

impl Default for Graph {
    fn default() -> Self {
        Graph {
            schema: SCHEMA.to_string(),
            title: String::new(),
            description: String::new(),
            vocabulary: VocabularySection::default(),
            entities: Vec::new(),
            references: Vec::new(),
            claims: Vec::new(),
        }
    }
}

/// A typed thing a claim can talk about: a nutrient, an enzyme, a cell, a process…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub id: Text,
    pub name: Text,
    pub kind: Text,
    /// The subsystem the entity belongs to ("Bone resorption", "Diet"): a
    /// whole-graph diagram draws each group as one cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Text>,
    /// Cross-references to outside databases, `PREFIX:LOCAL` (e.g. `CHEBI:29105`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub xrefs: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

/// A bibliographic record that evidence points at.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The citation key.
    pub id: String,
    #[serde(rename = "type", default = "default_reference_type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn default_reference_type() -> String {
    "article".to_string()
}

impl Reference {
    /// The best link to the record: DOI first, then PubMed, then the URL.
    /// Only http(s) links are ever returned, so a hostile `url` cannot become a
    /// `javascript:` link in an exported diagram.
    pub fn link(&self) -> Option<String> {
        if let Some(doi) = self.doi.as_deref().filter(|d| !d.is_empty()) {
            return Some(format!("https://doi.org/{}", normalize_doi(doi)));
        }
        if let Some(pmid) = self.pmid.as_deref().filter(|p| valid_pmid(p)) {
            return Some(format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/"));
        }
        self.url
            .as_deref()
            .filter(|u| {
                let lower = u.to_ascii_lowercase();
                lower.starts_with("https://") || lower.starts_with("http://")
            })
            .map(str::to_string)
    }

    /// First author's surname, for short citations ("Seo 2010").
    pub fn first_author_surname(&self) -> Option<&str> {
        self.authors.first().map(|a| a.split([',', ' ']).next().unwrap_or(a))
    }
}

/// A typed, signed edge between two entities, with the evidence behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: Text,
    pub subject: Text,
    pub predicate: Text,
    pub object: Text,
    #[serde(default, deserialize_with = "exact_vec")]
    pub evidence: Vec<Evidence>,
    /// The claim asserts the predicate does *not* hold (a reported null result).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A sequence as a vector of exactly its length. Serde grows a vector
/// from empty, and the first push of an element as big as [`Evidence`]
/// reserves four: at a million claims of one or two evidence items each,
/// half a gigabyte held and never used. (A temporary vector collects the
/// items; its block is freed at once and reused for the next claim.)
fn exact_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items = Vec::<T>::deserialize(deserializer)?;
    if items.capacity() == items.len() {
        return Ok(items);
    }
    let mut exact = Vec::with_capacity(items.len());
    exact.extend(items);
    Ok(exact)
}

/// One piece of support for a claim: a reference and what it showed, where.
///
/// In the file every field is flat (`quote` and `locator` beside the others,
/// see [`EvidenceFile`]); in memory the rarely given quotation and its place
/// share one box, [`Excerpt`]. A million-claim graph holds two million
/// evidence items, and their size is what loading it costs: two empty
/// inline strings were 48 bytes each, a box is 8 (measured: 72 bytes more per
/// item made a 1M-claim `check` 0.14–0.22 s slower).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(from = "EvidenceFile<Text>")]
pub struct Evidence {
    pub reference: Text,
    pub summary: Text,
    pub study: Text,
    pub species: Option<Text>,
    pub model: Option<Text>,
    pub tissue: Option<Text>,
    pub condition: Option<Text>,
    /// The quoted passage and where in the work it is; `None` when neither
    /// is given (never a box of two `None`s: see [`Evidence::set_excerpt`]).
    pub excerpt: Option<Box<Excerpt>>,
}

/// A passage quoted from the cited work, and where it is (page, figure).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt {
    pub quote: Option<Text>,
    pub locator: Option<Text>,
}

/// An evidence item as the file spells it: every field flat, in canonical
/// order. `S` is `Text` when reading and `&str` when writing, so a save
/// copies no string.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceFile<S: AsRef<str>> {
    reference: S,
    #[serde(default, skip_serializing_if = "is_empty")]
    summary: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quote: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    locator: Option<S>,
    #[serde(default, skip_serializing_if = "is_empty")]
    study: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    species: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tissue: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    condition: Option<S>,
}

fn is_empty<S: AsRef<str>>(s: &S) -> bool {
    s.as_ref().is_empty()
}

impl From<EvidenceFile<Text>> for Evidence {
    fn from(f: EvidenceFile<Text>) -> Evidence {
        let mut e = Evidence {
            reference: f.reference,
            summary: f.summary,
            study: f.study,
            species: f.species,
            model: f.model,
            tissue: f.tissue,
            condition: f.condition,
            excerpt: None,
        };
        e.set_excerpt(f.quote, f.locator);
        e
    }
}

impl Serialize for Evidence {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        EvidenceFile {
            reference: self.reference.as_str(),
            summary: self.summary.as_str(),
            quote: self.quote(),
            locator: self.locator(),
            study: self.study.as_str(),
            species: self.species.as_deref(),
            model: self.model.as_deref(),
            tissue: self.tissue.as_deref(),
            condition: self.condition.as_deref(),
        }
        .serialize(serializer)
    }
}

impl Evidence {
    /// The quoted passage, if any.
    pub fn quote(&self) -> Option<&str> {
        self.excerpt.as_ref()?.quote.as_deref()
    }

    /// Where in the work the evidence is (page, figure, table), if given.
    pub fn locator(&self) -> Option<&str> {
        self.excerpt.as_ref()?.locator.as_deref()
    }

    /// Set the quotation and its place; no box is kept when both are `None`.
    pub fn set_excerpt(&mut self, quote: Option<Text>, locator: Option<Text>) {
        self.excerpt = (quote.is_some() || locator.is_some()).then(|| Box::new(Excerpt { quote, locator }));
    }

    /// The quotation and its place, taken out (the item is left without).
    pub fn take_excerpt(&mut self) -> (Option<Text>, Option<Text>) {
        self.excerpt.take().map_or((None, None), |x| (x.quote, x.locator))
    }

    /// The study level, if `study` names one of the vocabulary's types.
    pub fn level(&self, vocab: &Vocabulary) -> Option<StudyLevel> {
        vocab.study(&self.study)
    }

    /// The descriptive fields that are set, by their JSON names, in file order
    /// after `reference`: what an export writes for an evidence item.
    pub fn described_fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        fn nonempty(t: &Text) -> Option<&str> {
            Some(t.as_str()).filter(|s| !s.is_empty())
        }
        [
            ("summary", nonempty(&self.summary)),
            ("study", nonempty(&self.study)),
            ("species", self.species.as_deref()),
            ("model", self.model.as_deref()),
            ("tissue", self.tissue.as_deref()),
            ("condition", self.condition.as_deref()),
            ("quote", self.quote()),
            ("locator", self.locator()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
    }

    /// The context this evidence was observed in, for comparing hops and claims.
    pub fn context(&self) -> Context<'_> {
        Context {
            species: self.species.as_deref(),
            model: self.model.as_deref(),
            tissue: self.tissue.as_deref(),
            condition: self.condition.as_deref(),
        }
    }
}

/// Where a piece of evidence was observed. Two claims with opposite signs in
/// different contexts are a context-dependent effect, not a contradiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Context<'a> {
    pub species: Option<&'a str>,
    pub model: Option<&'a str>,
    pub tissue: Option<&'a str>,
    pub condition: Option<&'a str>,
}

impl Claim {
    /// The claim's certainty, if it names a known one.
    pub fn certainty(&self) -> Option<Certainty> {
        self.certainty.as_deref().and_then(Certainty::parse)
    }

    /// The strongest study level among the claim's evidence: a claim is as good
    /// as its best support (a path, in turn, is as good as its weakest hop).
    pub fn best_level(&self, vocab: &Vocabulary) -> Option<StudyLevel> {
        self.evidence.iter().filter_map(|e| e.level(vocab)).max()
    }

    /// The distinct reference ids in evidence order.
    pub fn reference_ids(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.evidence {
            if !out.contains(&e.reference.as_str()) {
                out.push(&e.reference);
            }
        }
        out
    }
}

impl Graph {
    /// Sort entities, references and claims by id so the file diffs cleanly.
    pub fn canonicalize(&mut self) {
        self.entities.sort_by(|a, b| a.id.cmp(&b.id));
        self.references.sort_by(|a, b| a.id.cmp(&b.id));
        self.claims.sort_by(|a, b| a.id.cmp(&b.id));
        self.vocabulary.kinds.sort_by(|a, b| a.id.cmp(&b.id));
        self.vocabulary.predicates.sort_by(|a, b| a.id.cmp(&b.id));
        self.vocabulary.studies.sort_by(|a, b| a.id.cmp(&b.id));
        self.vocabulary.contexts.sort_by(|a, b| a.id.cmp(&b.id));
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    pub fn reference(&self, id: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.id == id)
    }

    pub fn claim(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }

    /// The built-in vocabulary extended by this file's own section.
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary::with_section(&self.vocabulary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boxed excerpt is invisible in the file: its fields read and write
    /// flat, in canonical order, and an item without them holds no box.
    #[test]
    fn an_excerpt_reads_and_writes_as_flat_fields() {
        let text = r#"{"reference":"r","summary":"s","locator":"Fig. 2","study":"rct","tissue":"bone"}"#;
        let e: Evidence = serde_json::from_str(text).unwrap();
        assert_eq!((e.quote(), e.locator()), (None, Some("Fig. 2")));
        assert_eq!(serde_json::to_string(&e).unwrap(), text);

        let plain: Evidence = serde_json::from_str(r#"{"reference":"r"}"#).unwrap();
        assert!(plain.excerpt.is_none());
        let mut quoted = plain.clone();
        quoted.set_excerpt(Some("q".into()), None);
        assert_eq!(quoted.take_excerpt(), (Some("q".into()), None));
        assert_eq!(quoted, plain);

        let typo = serde_json::from_str::<Evidence>(r#"{"reference":"r","qoute":"q"}"#).unwrap_err();
        assert!(typo.to_string().contains("unknown field `qoute`"), "{typo}");
    }
}
