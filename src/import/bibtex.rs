//! BibTeX / BibLaTeX (`.bib`), parsed by the `biblatex` crate, which expands
//! `@string` macros, resolves `crossref`, and turns LaTeX accents and dashes
//! (`{\"u}`, `\'e`, `--`) into Unicode.
//!
//! The crate parses a file all or nothing. When the whole file fails, each
//! `@entry` is parsed on its own (with the file's `@string` definitions), so
//! one broken entry is reported with its line and the rest still import.

use super::{line_of, year_in, Entry, Parsed, Skipped};
use crate::model::Reference;
use biblatex::{Bibliography, ChunksExt};

pub fn parse(text: &str) -> Parsed {
    let blocks = blocks(text);
    match Bibliography::parse(text) {
        Ok(bib) => Parsed {
            entries: bib
                .iter()
                .map(|e| {
                    let line = blocks.iter().find(|b| b.key.as_deref() == Some(&e.key)).map_or(1, |b| b.line);
                    convert(e, line)
                })
                .collect(),
            skipped: Vec::new(),
        },
        Err(_) => parse_each(text, &blocks),
    }
}

/// One `@kind{key, …}` block of the file.
struct Block {
    start: usize,
    end: usize,
    line: usize,
    kind: String,
    key: Option<String>,
}

/// Split the file at lines that start with `@`.
fn blocks(text: &str) -> Vec<Block> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('@') {
            starts.push(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(text.len()));
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| {
            let body = &text[start + 1..end];
            let kind: String = body.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let key = body
                .find(['{', '('])
                .map(|open| body[open + 1..].split([',', '\n', '}']).next().unwrap_or("").trim().to_string())
                .filter(|k| !k.is_empty() && !k.contains('='));
            Block { start, end, line: line_of(text, start), kind: kind.to_ascii_lowercase(), key }
        })
        .collect()
}

/// Parse every entry separately, prefixed by all `@string` definitions.
fn parse_each(text: &str, blocks: &[Block]) -> Parsed {
    let strings: String = blocks
        .iter()
        .filter(|b| b.kind == "string")
        .map(|b| &text[b.start..b.end])
        .collect::<Vec<_>>()
        .join("\n");
    let mut parsed = Parsed::default();
    for b in blocks.iter().filter(|b| !["string", "preamble", "comment"].contains(&b.kind.as_str())) {
        let source = format!("{strings}\n{}", &text[b.start..b.end]);
        match Bibliography::parse(&source) {
            Ok(bib) => parsed.entries.extend(bib.iter().map(|e| convert(e, b.line))),
            Err(err) => {
                let within = err.span.start.saturating_sub(strings.len() + 1);
                let at = b.line + line_of(&text[b.start..b.end], within) - 1;
                let reason = format!("{} (at line {at})", err.kind);
                parsed.skipped.push(Skipped { line: b.line, key: b.key.clone(), reason });
            }
        }
    }
    parsed
}

fn convert(e: &biblatex::Entry, line: usize) -> Entry {
    let field = |name: &str| e.get(name).map(|c| c.format_verbatim()).filter(|s| !s.trim().is_empty());
    let kind = e.entry_type.to_string().to_ascii_lowercase();
    let container = ["journal", "journaltitle", "booktitle"].iter().find_map(|f| field(f));
    let pmid = field("pmid").or_else(|| {
        field("eprinttype").filter(|t| t.eq_ignore_ascii_case("pubmed")).and_then(|_| field("eprint"))
    });
    let mut warnings = Vec::new();
    let authors = match e.author() {
        Ok(people) => people.iter().map(person).collect(),
        Err(biblatex::RetrievalError::Missing(_)) => Vec::new(),
        Err(err) => {
            warnings.push(format!("authors not understood: {err}"));
            Vec::new()
        }
    };
    let reference = Reference {
        id: String::new(),
        kind: reference_type(&kind).into(),
        title: field("title").unwrap_or_default(),
        authors,
        year: field("year").or_else(|| field("date")).as_deref().and_then(year_in),
        journal: container,
        volume: field("volume"),
        issue: field("number").or_else(|| field("issue")),
        pages: field("pages"),
        doi: field("doi"),
        pmid,
        pmcid: field("pmcid"),
        url: field("url"),
        note: field("note"),
    };
    Entry { line, key: Some(e.key.clone()), reference, warnings }
}

/// "van Beethoven, Ludwig, Jr."
fn person(p: &biblatex::Person) -> String {
    let family = [p.prefix.as_str(), p.name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    [family.as_str(), p.given_name.as_str(), p.suffix.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

fn reference_type(kind: &str) -> &'static str {
    match kind {
        "book" | "mvbook" | "inbook" | "bookinbook" | "booklet" | "incollection" | "collection"
        | "proceedings" | "mvproceedings" => "book",
        "techreport" | "report" | "thesis" | "phdthesis" | "mastersthesis" | "manual" | "unpublished"
        | "misc" => "report",
        "online" | "www" | "electronic" => "web",
        "dataset" => "database",
        _ => "article",
    }
}
