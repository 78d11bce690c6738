//! PubMed MEDLINE (`.nbib`, `.txt` from "Send to → Citation manager"): a
//! four-character tag, `- `, and the value; continuation lines are indented
//! six spaces; records are separated by blank lines and start with `PMID-`.

use super::{year_in, Entry, Parsed};
use crate::model::Reference;

struct Record {
    line: usize,
    fields: Vec<(String, String)>,
}

impl Record {
    fn first(&self, tag: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, _)| k == tag)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn all<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a str> {
        self.fields.iter().filter(move |(k, _)| k == tag).map(|(_, v)| v.trim())
    }
}

/// `TAG - value` with the tag padded to four characters.
fn tag(line: &str) -> Option<(&str, &str)> {
    // `get`, never an index or `split_at`: a multi-byte character across
    // byte 4 or 5 (`AU —`) must give "no tag", not a panic.
    let t = line.get(..4)?;
    let value = line.get(5..)?;
    let tagged = line.as_bytes()[4] == b'-'
        && t.trim_end().chars().all(|c| c.is_ascii_uppercase())
        && !t.trim().is_empty();
    tagged.then(|| (t.trim_end(), value.trim_start()))
}

pub fn parse(text: &str) -> Parsed {
    let mut records: Vec<Record> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        match tag(line) {
            Some(("PMID", v)) => {
                records.push(Record { line: n + 1, fields: vec![("PMID".into(), v.into())] })
            }
            Some((t, v)) => {
                if let Some(r) = records.last_mut() {
                    r.fields.push((t.into(), v.into()));
                }
            }
            None if line.starts_with("      ") => {
                if let Some((_, v)) = records.last_mut().and_then(|r| r.fields.last_mut()) {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            }
            None => {}
        }
    }
    Parsed { entries: records.iter().map(convert).collect(), skipped: Vec::new() }
}

fn convert(r: &Record) -> Entry {
    // AID/LID carry "10.1186/… [doi]", "PMC123 [pmc]" and publisher ids.
    let id_of = |kind: &str| {
        r.all("AID")
            .chain(r.all("LID"))
            .find_map(|v| v.strip_suffix(&format!(" [{kind}]")).map(str::to_string))
    };
    let full: Vec<String> = r.all("FAU").map(str::to_string).collect();
    let reference = Reference {
        id: String::new(),
        kind: if r.all("PT").any(|t| t.eq_ignore_ascii_case("review")) { "review" } else { "article" }.into(),
        title: r.first("TI").map(|t| t.trim_end_matches('.').to_string()).unwrap_or_default(),
        authors: if full.is_empty() { r.all("AU").map(str::to_string).collect() } else { full },
        year: r.first("DP").as_deref().and_then(year_in),
        journal: r.first("JT").or_else(|| r.first("TA")),
        volume: r.first("VI"),
        issue: r.first("IP"),
        pages: r.first("PG"),
        doi: id_of("doi"),
        pmid: r.first("PMID"),
        pmcid: r.first("PMC").or_else(|| id_of("pmc")),
        url: None,
        note: None,
    };
    Entry { line: r.line, key: None, reference, warnings: Vec::new() }
}
