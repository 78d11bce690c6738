//! The flags `add` and `set` share: an evidence item's fields and a
//! reference's. Each is an `Option` meaning "given or not"; `add` builds a
//! new item from the given ones and `set` changes only those, both through
//! the same patch ([`EvidencePatch`], [`ReferencePatch`]), so a field reads,
//! validates and defaults alike in both (an empty value leaves an optional
//! field out).

use crate::edit::{EvidencePatch, ReferencePatch};
use clap::Args;

/// What a piece of evidence showed, and where.
#[derive(Debug, Args)]
pub struct EvidenceFields {
    /// What the study showed, in a sentence
    #[arg(long)]
    pub summary: Option<String>,
    /// A short quotation from the source
    #[arg(long)]
    pub quote: Option<String>,
    /// Where in the source: page, figure, table
    #[arg(long)]
    pub locator: Option<String>,
    /// A study type of the graph's vocabulary (review, in_vitro, animal, rct, …)
    #[arg(long)]
    pub study: Option<String>,
    #[arg(long)]
    pub species: Option<String>,
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long)]
    pub tissue: Option<String>,
    #[arg(long)]
    pub condition: Option<String>,
}

impl EvidenceFields {
    pub fn patch(&self) -> EvidencePatch {
        EvidencePatch {
            summary: self.summary.clone(),
            quote: self.quote.clone(),
            locator: self.locator.clone(),
            study: self.study.clone(),
            species: self.species.clone(),
            model: self.model.clone(),
            tissue: self.tissue.clone(),
            condition: self.condition.clone(),
        }
    }
}

/// A reference's bibliographic fields.
#[derive(Debug, Args)]
pub struct ReferenceFields {
    /// article (a new reference's default), review, book, report, database or web
    #[arg(long = "type")]
    pub kind: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// "Family, Given" or "Family GI"; repeat for each author, in order (with
    /// `set`, the list given replaces the old one)
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,
    /// The year of publication, e.g. 2010
    #[arg(long)]
    pub year: Option<String>,
    #[arg(long)]
    pub journal: Option<String>,
    #[arg(long)]
    pub volume: Option<String>,
    #[arg(long)]
    pub issue: Option<String>,
    #[arg(long)]
    pub pages: Option<String>,
    #[arg(long)]
    pub doi: Option<String>,
    #[arg(long)]
    pub pmid: Option<String>,
    #[arg(long)]
    pub pmcid: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

impl ReferenceFields {
    pub fn patch(&self) -> ReferencePatch {
        ReferencePatch {
            kind: self.kind.clone(),
            title: self.title.clone(),
            authors: (!self.authors.is_empty()).then(|| self.authors.clone()),
            year: self.year.clone(),
            journal: self.journal.clone(),
            volume: self.volume.clone(),
            issue: self.issue.clone(),
            pages: self.pages.clone(),
            doi: self.doi.clone(),
            pmid: self.pmid.clone(),
            pmcid: self.pmcid.clone(),
            url: self.url.clone(),
            note: self.note.clone(),
        }
    }
}
