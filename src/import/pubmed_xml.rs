//! PubMed XML (`efetch … retmode=xml`, "Save → Format: XML" on pubmed.ncbi.nlm.nih.gov):
//! a `PubmedArticleSet` of `PubmedArticle` records, read with `roxmltree`.
//!
//! Authors come out as "Family, Given" like MEDLINE's `FAU`, so the same work
//! imported from either export is recognised as the same. Book records
//! (`PubmedBookArticle`) are skipped with a reason: they have no journal.

use super::{line_of, year_in, Entry, Parsed, Skipped};
use crate::model::Reference;
use roxmltree::{Document, Node, ParsingOptions};

pub fn parse(text: &str) -> Parsed {
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let doc = match Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e.pos().row as usize;
            let reason = format!("not well-formed XML: {e}");
            return Parsed { entries: Vec::new(), skipped: vec![Skipped { line, key: None, reason }] };
        }
    };
    let mut parsed = Parsed::default();
    for node in doc.root_element().children().filter(Node::is_element) {
        let line = line_of(text, node.range().start);
        match node.tag_name().name() {
            "PubmedArticle" => parsed.entries.push(article(node, line)),
            other => parsed.skipped.push(Skipped {
                line,
                key: None,
                reason: format!("`{other}` records are not read (only PubmedArticle)"),
            }),
        }
    }
    parsed
}

/// The first descendant element named `name`.
fn find<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.descendants().find(|n| n.has_tag_name(name))
}

/// All text inside an element (titles may hold `<i>`, `<sup>` …), whitespace collapsed.
fn text_of(node: Node) -> String {
    let all: String = node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
    all.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field(node: Node, name: &str) -> Option<String> {
    find(node, name).map(text_of).filter(|s| !s.is_empty())
}

fn article(node: Node, line: usize) -> Entry {
    let citation = find(node, "MedlineCitation").unwrap_or(node);
    let article = find(citation, "Article").unwrap_or(citation);
    let issue = find(article, "JournalIssue");
    let id_of = |kind: &str| {
        node.descendants()
            .filter(|n| n.has_tag_name("ArticleId") || n.has_tag_name("ELocationID"))
            .find(|n| n.attribute("IdType").or(n.attribute("EIdType")) == Some(kind))
            .map(text_of)
    };
    let year = issue
        .and_then(|i| find(i, "PubDate"))
        .and_then(|d| field(d, "Year").or_else(|| field(d, "MedlineDate")))
        .as_deref()
        .and_then(year_in);
    let review = node.descendants().any(|n| n.has_tag_name("PublicationType") && text_of(n) == "Review");
    let mut warnings = Vec::new();
    if find(article, "AuthorList").is_some_and(|l| l.attribute("CompleteYN") == Some("N")) {
        warnings.push("PubMed marks the author list incomplete".to_string());
    }
    let reference = Reference {
        id: String::new(),
        kind: if review { "review" } else { "article" }.into(),
        title: field(article, "ArticleTitle")
            .map(|t| t.trim_end_matches('.').to_string())
            .unwrap_or_default(),
        authors: find(article, "AuthorList").map(authors).unwrap_or_default(),
        year,
        journal: find(article, "Journal")
            .and_then(|j| j.children().find(|n| n.has_tag_name("Title")))
            .map(text_of),
        volume: issue.and_then(|i| field(i, "Volume")),
        issue: issue.and_then(|i| field(i, "Issue")),
        pages: field(article, "MedlinePgn"),
        doi: id_of("doi"),
        pmid: citation.children().find(|n| n.has_tag_name("PMID")).map(text_of),
        pmcid: id_of("pmc"),
        url: None,
        note: None,
    };
    Entry { line, key: None, reference, warnings }
}

/// "Family, Given" for people, the name for a collective author.
fn authors(list: Node) -> Vec<String> {
    list.children()
        .filter(|n| n.has_tag_name("Author"))
        .filter_map(|a| {
            if let Some(group) = field(a, "CollectiveName") {
                return Some(group);
            }
            let family = field(a, "LastName")?;
            match field(a, "ForeName").or_else(|| field(a, "Initials")) {
                Some(given) => Some(format!("{family}, {given}")),
                None => Some(family),
            }
        })
        .collect()
}
