//! Neo4j bulk-import CSV: the way out when a graph outgrows one machine.
//!
//! `neo4j-admin database import full` loads node and relationship CSV files
//! at millions of rows a minute; the same files load into the embedded
//! Cypher engines (LadybugDB, kuzu) with `COPY … FROM (LOAD WITH HEADERS …)`.
//! A selection becomes a directory:
//!
//! - `entities.csv`: `id:ID(Entity)`, name, kind, aliases and xrefs as
//!   `string[]`, and the labels `Entity;<Kind>`;
//! - `references.csv`: in its own ID space (`id:ID(Reference)`), so a
//!   citation key may equal an entity id, with `year:int`;
//! - `claims.csv`: one `CLAIM` relationship per claim, with predicate, sign,
//!   class, `negated:boolean`, certainty, and the evidence as parallel
//!   `string[]` arrays (item *i* of each is evidence item *i*);
//! - `import.sh` (the exact `neo4j-admin` command) and `queries.cypher`.
//!
//! Every text field is quoted as RFC 4180 says (a `"` doubled). Two
//! characters cannot travel as they are: a line break, because
//! `neo4j-admin` (without the slow `--multiline-fields`) and kuzu's parallel
//! CSV reader both take a raw newline as the end of a record, so it is
//! written as U+2028 LINE SEPARATOR; and the array delimiter, U+001F UNIT
//! SEPARATOR (chosen because no text uses it: `;` and `|` do), which is
//! written as a space inside an array element. Everything else — quotes,
//! backslashes, tabs, `;`, `|`, emoji — arrives unchanged.

use super::tabular::{self, write_file};
use super::Selection;
use crate::index::{ClaimIx, EntityIx, Index, RefIx};
use crate::model::{Claim, Evidence, PredicateClass, Sign};
use std::io::{self, Write};
use std::path::Path;

/// Between the elements of a `string[]` field (`--array-delimiter=U+001F`).
pub const ARRAY_DELIMITER: char = '\u{1F}';
/// What a line break inside a text becomes.
pub const LINE_BREAK: char = '\u{2028}';
/// The relationship type of every claim.
pub const CLAIM_TYPE: &str = "CLAIM";

pub const ENTITIES: &str = "entities.csv";
pub const REFERENCES: &str = "references.csv";
pub const CLAIMS: &str = "claims.csv";
pub const IMPORT_SCRIPT: &str = "import.sh";
pub const QUERIES: &str = "queries.cypher";

/// The Cypher for `trace`, neighbours and a reference's claims, shipped
/// beside the CSV files (and run by the test suite against LadybugDB).
pub const QUERIES_TEXT: &str = include_str!("neo4j/queries.cypher");
/// The `neo4j-admin` command that loads the directory.
pub const IMPORT_TEXT: &str = include_str!("neo4j/import.sh");

/// Write the selection as a Neo4j import directory (created if missing).
pub fn write_dir(index: &Index, selection: &Selection, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_file(dir, ENTITIES, |out| write_entities(out, index, selection))?;
    let references = tabular::references(index, selection);
    write_file(dir, REFERENCES, |out| write_references(out, index, &references))?;
    write_file(dir, CLAIMS, |out| write_claims(out, index, selection))?;
    write_file(dir, IMPORT_SCRIPT, |out| out.write_all(IMPORT_TEXT.as_bytes()))?;
    set_executable(&dir.join(IMPORT_SCRIPT))?;
    write_file(dir, QUERIES, |out| out.write_all(QUERIES_TEXT.as_bytes()))
}

#[cfg(unix)]
fn set_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> io::Result<()> {
    Ok(())
}

pub fn write_entities(out: &mut dyn Write, index: &Index, selection: &Selection) -> io::Result<()> {
    writeln!(out, "id:ID(Entity),name,kind,aliases:string[],xrefs:string[],description,:LABEL")?;
    for &e in &selection.entities {
        write_entity(out, index, e)?;
    }
    Ok(())
}

fn write_entity(out: &mut dyn Write, index: &Index, e: EntityIx) -> io::Result<()> {
    let entity = index.entity(e);
    let mut row = Row::default();
    row.text(&entity.id);
    row.text(&entity.name);
    row.text(&entity.kind);
    row.array(entity.aliases.iter().map(|a| a.as_str()));
    row.array(entity.xrefs.iter().map(|x| x.as_str()));
    row.optional(entity.description.as_deref());
    row.text(&labels(&entity.kind));
    row.finish(out)
}

/// `Entity` plus the kind as a label (`enzyme` → `Enzyme`, `cell_line` →
/// `CellLine`), so `MATCH (e:Enzyme)` works; a kind that makes no
/// identifier, or would clash with another label, adds none.
pub fn labels(kind: &str) -> String {
    let mut label = String::new();
    for part in kind.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            label.push(first.to_ascii_uppercase());
            label.extend(chars);
        }
    }
    let clash = ["Entity", "Reference", "Claim"].contains(&label.as_str());
    if label.is_empty() || clash || label.starts_with(|c: char| c.is_ascii_digit()) {
        "Entity".to_string()
    } else {
        format!("Entity;{label}")
    }
}

pub fn write_references(
    out: &mut dyn Write,
    index: &Index,
    references: &std::collections::BTreeSet<RefIx>,
) -> io::Result<()> {
    writeln!(
        out,
        "id:ID(Reference),:LABEL,type,title,authors:string[],year:int,journal,volume,issue,pages,\
         doi,pmid,pmcid,url,note,link"
    )?;
    for &r in references {
        let reference = index.reference(r);
        let mut row = Row::default();
        row.text(&reference.id);
        row.text("Reference");
        row.text(&reference.kind);
        row.optional(Some(reference.title.as_str()).filter(|t| !t.is_empty()));
        row.array(reference.authors.iter().map(String::as_str));
        row.raw(&reference.year.map(|y| y.to_string()).unwrap_or_default());
        for field in [
            &reference.journal,
            &reference.volume,
            &reference.issue,
            &reference.pages,
            &reference.doi,
            &reference.pmid,
            &reference.pmcid,
            &reference.url,
            &reference.note,
        ] {
            row.optional(field.as_deref());
        }
        row.optional(reference.link().as_deref());
        row.finish(out)?;
    }
    Ok(())
}

/// Reads one field of an evidence item.
type EvidenceField = fn(&Evidence) -> Option<&str>;

/// The evidence columns: each a `string[]` parallel to the claim's evidence.
const EVIDENCE_FIELDS: [(&str, EvidenceField); 9] = [
    ("reference", |e| Some(&e.reference)),
    ("summary", |e| Some(&e.summary)),
    ("study", |e| Some(&e.study)),
    ("species", |e| e.species.as_deref()),
    ("model", |e| e.model.as_deref()),
    ("tissue", |e| e.tissue.as_deref()),
    ("condition", |e| e.condition.as_deref()),
    ("quote", |e| e.quote()),
    ("locator", |e| e.locator()),
];

pub fn write_claims(out: &mut dyn Write, index: &Index, selection: &Selection) -> io::Result<()> {
    write!(
        out,
        ":START_ID(Entity),:END_ID(Entity),:TYPE,id,predicate,sign,class,negated:boolean,certainty,\
         best_evidence,note,references:string[]"
    )?;
    for (name, _) in EVIDENCE_FIELDS {
        write!(out, ",evidence_{name}:string[]")?;
    }
    writeln!(out)?;
    for &c in &selection.claims {
        write_claim(out, index, c)?;
    }
    Ok(())
}

fn write_claim(out: &mut dyn Write, index: &Index, c: ClaimIx) -> io::Result<()> {
    let claim: &Claim = index.claim(c);
    let (sign, class) = index.predicate(c).map_or((Sign::None, None), |p| (p.sign, Some(p.class)));
    let mut row = Row::default();
    row.text(&claim.subject);
    row.text(&claim.object);
    row.text(CLAIM_TYPE);
    row.text(&claim.id);
    row.text(&claim.predicate);
    row.text(sign.symbol());
    row.optional(class.map(class_name));
    row.raw(if claim.negated { "true" } else { "false" });
    row.optional(claim.certainty.as_deref());
    row.optional(index.claim_facts(c).best.map(|l| index.vocab.study_id(l)));
    row.optional(claim.note.as_deref());
    row.array(claim.reference_ids().into_iter());
    for (_, field) in EVIDENCE_FIELDS {
        row.parallel(claim.evidence.iter().map(|e| field(e).unwrap_or("")));
    }
    row.finish(out)
}

fn class_name(class: PredicateClass) -> &'static str {
    match class {
        PredicateClass::Causal => "causal",
        PredicateClass::Correlative => "correlative",
        PredicateClass::Structural => "structural",
    }
}

/// One CSV record being built.
#[derive(Default)]
struct Row {
    line: String,
    fields: usize,
}

impl Row {
    fn separator(&mut self) {
        if self.fields > 0 {
            self.line.push(',');
        }
        self.fields += 1;
    }

    /// A number or boolean, unquoted (empty: no property).
    fn raw(&mut self, value: &str) {
        self.separator();
        self.line.push_str(value);
    }

    /// A string, always quoted (so an empty one stays an empty string).
    fn text(&mut self, value: &str) {
        self.separator();
        self.line.push('"');
        push_text(&mut self.line, value, false);
        self.line.push('"');
    }

    /// A string, or nothing at all (no property) when absent.
    fn optional(&mut self, value: Option<&str>) {
        match value {
            Some(v) => self.text(v),
            None => self.raw(""),
        }
    }

    /// A `string[]`; an empty array is written as no property.
    fn array<'a>(&mut self, items: impl Iterator<Item = &'a str>) {
        self.separator();
        let start = self.line.len();
        for (i, item) in items.enumerate() {
            self.line.push(if i == 0 { '"' } else { ARRAY_DELIMITER });
            push_text(&mut self.line, item, true);
        }
        if self.line.len() > start {
            self.line.push('"');
        }
    }

    /// A `string[]` parallel to the evidence: every element kept, empty
    /// ones included, unless all are empty (then no property).
    fn parallel<'a>(&mut self, items: impl Iterator<Item = &'a str> + Clone) {
        if items.clone().all(str::is_empty) {
            return self.raw("");
        }
        self.separator();
        self.line.push('"');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.line.push(ARRAY_DELIMITER);
            }
            push_text(&mut self.line, item, true);
        }
        self.line.push('"');
    }

    fn finish(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.line.push('\n');
        out.write_all(self.line.as_bytes())
    }
}

/// Append `text` for the inside of a quoted field.
fn push_text(line: &mut String, text: &str, in_array: bool) {
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => line.push_str("\"\""),
            '\r' => {
                // CRLF is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line.push(LINE_BREAK);
            }
            '\n' => line.push(LINE_BREAK),
            ARRAY_DELIMITER if in_array => line.push(' '),
            c => line.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_become_labels() {
        assert_eq!(labels("enzyme"), "Entity;Enzyme");
        assert_eq!(labels("cell_line"), "Entity;CellLine");
        assert_eq!(labels("entity"), "Entity");
        assert_eq!(labels("3d-model"), "Entity");
        assert_eq!(labels("--"), "Entity");
    }

    #[test]
    fn text_is_quoted_and_line_breaks_are_not_raw() {
        let mut row = Row::default();
        row.text("a \"b\", c\r\nd\ne\\;|\t🦴");
        row.array(["x;y", "p\u{1F}q"].into_iter());
        row.parallel(["", "s"].into_iter());
        row.parallel(["", ""].into_iter());
        row.optional(None);
        assert_eq!(row.line, "\"a \"\"b\"\", c\u{2028}d\u{2028}e\\;|\t🦴\",\"x;y\u{1F}p q\",\"\u{1F}s\",,");
    }
}
