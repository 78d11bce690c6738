//! CSL-JSON (`.json`) as Zotero and citeproc write it: an array of items, or
//! one item. Crossref's REST JSON (`{"message": …}` or the bare message)
//! uses the same field names with lists for titles, so it reads too.

use super::{Entry, Parsed, Skipped};
use crate::model::Reference;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct Item {
    #[serde(rename = "type")]
    kind: String,
    title: OneOrMany,
    container_title: OneOrMany,
    author: Vec<Name>,
    issued: Option<DateVar>,
    volume: Value,
    issue: Value,
    page: Value,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    #[serde(rename = "PMID")]
    pmid: Value,
    #[serde(rename = "PMCID")]
    pmcid: Option<String>,
    #[serde(rename = "URL")]
    url: Option<String>,
    note: Option<String>,
}

/// Crossref writes `"title": ["…"]` where CSL has a string.
#[derive(Debug, Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn first(&self) -> Option<String> {
        match self {
            OneOrMany::None => None,
            OneOrMany::One(s) => Some(s.clone()),
            OneOrMany::Many(v) => v.first().cloned(),
        }
        .filter(|s| !s.trim().is_empty())
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Name {
    family: String,
    given: String,
    literal: String,
    #[serde(rename = "non-dropping-particle")]
    particle: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct DateVar {
    date_parts: Vec<Vec<Value>>,
    raw: Option<String>,
    literal: Option<String>,
}

pub fn parse(text: &str) -> Parsed {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(err) => {
            return Parsed {
                entries: Vec::new(),
                skipped: vec![Skipped {
                    line: err.line(),
                    key: None,
                    reason: format!("malformed JSON: {err}"),
                }],
            }
        }
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut o) if o.contains_key("message") => vec![o.remove("message").unwrap_or_default()],
        other => vec![other],
    };
    let lines = item_lines(text);
    let mut parsed = Parsed::default();
    for (i, item) in items.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let key = item.get("id").and_then(Value::as_str).map(str::to_string);
        match serde_json::from_value::<Item>(item) {
            Ok(item) => parsed.entries.push(convert(item, line)),
            Err(err) => parsed.skipped.push(Skipped { line, key, reason: err.to_string() }),
        }
    }
    parsed
}

/// The line each top-level item starts on (an object opening at depth 1 of
/// an array, or the document itself).
fn item_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1usize, false, false);
    for c in text.chars() {
        match c {
            '\n' => line += 1,
            _ if in_string => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            }
            '"' => in_string = true,
            '{' | '[' => {
                if c == '{' && (depth == 1 || (depth == 0 && lines.is_empty())) {
                    lines.push(line);
                }
                depth += 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    lines
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn convert(item: Item, line: usize) -> Entry {
    let year = item.issued.as_ref().and_then(|d| {
        d.date_parts
            .first()
            .and_then(|p| p.first())
            .and_then(|y| text_of(y)?.parse().ok())
            .or_else(|| d.raw.as_deref().or(d.literal.as_deref()).and_then(super::year_in))
    });
    // Zotero keeps the PMID in `note` ("PMID: 25992719") when it has no field for it.
    let pmid = text_of(&item.pmid).or_else(|| {
        item.note
            .as_deref()?
            .lines()
            .find_map(|l| l.trim().strip_prefix("PMID:").map(|p| p.trim().to_string()))
    });
    let reference = Reference {
        id: String::new(),
        kind: reference_type(&item.kind).into(),
        title: item.title.first().unwrap_or_default(),
        authors: item.author.iter().map(name).filter(|n| !n.is_empty()).collect(),
        year,
        journal: item.container_title.first(),
        volume: text_of(&item.volume),
        issue: text_of(&item.issue),
        pages: text_of(&item.page),
        doi: item.doi,
        pmid,
        pmcid: item.pmcid,
        url: item.url,
        note: None,
    };
    // Zotero keeps LaTeX typed into a field (`Exposici\'on`) as it is.
    let mut reference = reference;
    for text in [Some(&mut reference.title), reference.journal.as_mut()].into_iter().flatten() {
        *text = super::latex::to_unicode(text);
    }
    for author in &mut reference.authors {
        *author = super::latex::to_unicode(author);
    }
    // CSL ids are often URLs or database numbers; keys come from the authors.
    Entry { line, key: None, reference, warnings: Vec::new() }
}

/// "Family, Given" (with a particle: "van Gogh, Vincent"); literal names as is.
fn name(n: &Name) -> String {
    if !n.literal.is_empty() {
        return n.literal.clone();
    }
    let family = [n.particle.as_str(), n.family.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    match (family.is_empty(), n.given.is_empty()) {
        (false, false) => format!("{family}, {}", n.given),
        (false, true) => family,
        _ => n.given.clone(),
    }
}

fn reference_type(kind: &str) -> &'static str {
    match kind {
        "book" | "chapter" | "paper-conference" => "book",
        "report" | "thesis" | "manuscript" => "report",
        "webpage" | "post" | "post-weblog" => "web",
        "dataset" => "database",
        "review" | "review-book" => "review",
        _ => "article",
    }
}
