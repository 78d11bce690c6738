//! RIS (`.ris`): one `TAG  - value` per line, records from `TY` to `ER`.
//! A line without a tag continues the previous field (multi-line abstracts
//! and notes, as EndNote and Zotero write them).

use super::{year_in, Entry, Parsed, Skipped};
use crate::model::Reference;

/// A record's fields in file order, with the line it started on.
struct Record {
    line: usize,
    fields: Vec<(String, String)>,
}

impl Record {
    fn first(&self, tags: &[&str]) -> Option<String> {
        tags.iter()
            .find_map(|t| self.fields.iter().find(|(k, _)| k == t).map(|(_, v)| v.trim().to_string()))
            .filter(|v| !v.is_empty())
    }

    fn all(&self, tags: &[&str]) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| tags.contains(&k.as_str()))
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }
}

/// `XY  - value` (the value may be empty, as in `ER  -`).
fn tag(line: &str) -> Option<(&str, &str)> {
    // Compare bytes, never slice first: a multi-byte character in the first
    // five bytes must not split (`DO  é- x` once panicked here).
    let bytes = line.as_bytes();
    let tagged = bytes.len() >= 5
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_alphanumeric()
        && &bytes[2..5] == b"  -";
    // All five bytes are ASCII, so 2 and 5 are character boundaries.
    tagged.then(|| (&line[..2], line[5..].strip_prefix(' ').unwrap_or(&line[5..])))
}

pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut current: Option<Record> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        match (tag(line), current.as_mut()) {
            (Some(("TY", _)), _) => {
                if let Some(open) = current.take() {
                    parsed.skipped.push(unterminated(&open));
                }
                let ty = tag(line).map_or("", |(_, v)| v);
                current = Some(Record { line: n + 1, fields: vec![("TY".into(), ty.into())] });
            }
            (Some(("ER", _)), Some(_)) => {
                if let Some(record) = current.take() {
                    parsed.entries.push(convert(&record));
                }
            }
            (Some((t, v)), Some(record)) => record.fields.push((t.to_string(), v.to_string())),
            (None, Some(record)) if !line.trim().is_empty() => {
                if let Some((_, value)) = record.fields.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
            }
            (Some(_), None) => parsed.skipped.push(Skipped {
                line: n + 1,
                key: None,
                reason: "field outside a record (expected `TY  - ` first)".into(),
            }),
            _ => {}
        }
    }
    if let Some(open) = current {
        parsed.skipped.push(unterminated(&open));
    }
    parsed
}

fn unterminated(r: &Record) -> Skipped {
    Skipped { line: r.line, key: None, reason: "record has no `ER  -` end line".into() }
}

fn convert(r: &Record) -> Entry {
    let pages = match (r.first(&["SP"]), r.first(&["EP"])) {
        (Some(sp), Some(ep)) if sp != ep => Some(format!("{sp}-{ep}")),
        (sp, _) => sp,
    };
    let reference = Reference {
        id: String::new(),
        kind: reference_type(&r.first(&["TY"]).unwrap_or_default()).into(),
        title: r.first(&["TI", "T1", "CT", "ST"]).unwrap_or_default(),
        authors: r.all(&["AU", "A1"]),
        year: r.first(&["PY", "Y1", "DA"]).as_deref().and_then(year_in),
        journal: r.first(&["JF", "JO", "T2", "JA", "J2"]),
        volume: r.first(&["VL", "VO"]),
        issue: r.first(&["IS"]),
        pages,
        doi: r.first(&["DO"]),
        pmid: None,
        pmcid: None,
        url: r.first(&["UR"]),
        note: r.first(&["N1"]),
    };
    // RIS `ID`s are database record numbers, not citation keys.
    Entry { line: r.line, key: None, reference, warnings: Vec::new() }
}

fn reference_type(ty: &str) -> &'static str {
    match ty.trim().to_ascii_uppercase().as_str() {
        "BOOK" | "CHAP" | "EBOOK" | "ECHAP" | "EDBOOK" | "CONF" => "book",
        "RPRT" | "THES" | "GOVDOC" | "STAND" => "report",
        "ELEC" | "WEB" | "BLOG" => "web",
        "DATA" | "DBASE" | "AGGR" => "database",
        _ => "article",
    }
}
