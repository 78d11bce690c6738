//! Reading a graph file: JSON text → [`Graph`], or findings that say what is
//! wrong and where.
//!
//! The happy path is one typed pass (sonic-rs for big files, serde_json for
//! the rest). Only when it fails do we scan the text for positions, so that
//! *every* unknown field is reported at once instead of serde's first one.

use crate::finding::{did_you_mean, Finding, Location};
pub use crate::locate::Records;
use crate::locate::SourceMap;
use crate::model::{Claim, Entity, Graph, Reference, VocabularySection};
use serde_json::error::Category;
use std::ops::Range;

mod outline;

use outline::Array;

/// Parse a graph document. A UTF-8 byte-order mark is tolerated.
pub fn parse(text: &str) -> Result<Graph, Vec<Finding>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Graph>(text) {
        Ok(graph) => Ok(graph),
        Err(err) => Err(explain(text, &err)),
    }
}

/// Parse the bytes of a big file on the happy path: sonic-rs (SIMD) parses a
/// million claims about twice as fast as serde_json. It has no positions to
/// report, so `None` on any problem (including a byte-order mark): read the
/// text and call [`parse`], whose serde_json pass gives the findings. The
/// two must agree on what they accept; the tests below pin that.
pub fn parse_fast(bytes: &[u8]) -> Option<Graph> {
    parse_fast_with_records(bytes).map(|(graph, _)| graph)
}

/// [`parse_fast`], also saying where each record stands in the file, so
/// that findings can later be placed by scanning their record only.
///
/// Two passes: the [`outline`](outline::outline) finds each record without
/// parsing it (a fraction of the time), then each half of the claims is
/// deserialized on its own thread. The outline runs on one core; the other
/// parses the entities and references as soon as it has found them (they
/// come before the claims in a file claimgraph writes), which takes their
/// 7% of the bytes off the two-thread part. Each record is parsed as a whole
/// document of its own type, which checks it as strictly as a single pass
/// would; the top level, with the record arrays emptied, is parsed as a
/// [`Top`], which has the same members and serde attributes as [`Graph`].
pub fn parse_fast_with_records(bytes: &[u8]) -> Option<(Graph, Records)> {
    let text = utf8(bytes)?;
    let (outline, entities, references, claims) = std::thread::scope(|s| {
        let (sender, arrays) = std::sync::mpsc::channel::<(Array, Vec<Range<usize>>)>();
        let early = s.spawn(move || parse_entities_and_references(text, arrays));
        let outline = outline::outline(text, |array, spans| {
            if array != Array::Claims {
                // The receiver lives until the sender is dropped below.
                let _ = sender.send((array, spans.to_vec()));
            }
        });
        drop(sender);
        // Parsed beside the end of the early thread's work, if it has any
        // left: three threads on two cores share them out.
        let claims = outline.as_ref().and_then(|o| deserialize_claims(text, &o.records.claims));
        let (entities, references) = early.join().unwrap_or((None, None));
        (outline, entities, references, claims)
    });
    let outline::Outline { top, records } = outline?;
    let top: Top = serde_json::from_str(&top).ok()?;
    let (entities, references, claims) = (entities?, references?, claims?);
    let graph = Graph {
        schema: top.schema,
        title: top.title,
        description: top.description,
        vocabulary: top.vocabulary,
        entities,
        references,
        claims,
    };
    Some((graph, records))
}

/// [`Graph`] with its record arrays empty: the same members, defaults and
/// `deny_unknown_fields`, so it accepts and rejects the same top level.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Top {
    schema: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    vocabulary: VocabularySection,
    #[serde(default, rename = "entities")]
    _entities: [(); 0],
    #[serde(default, rename = "references")]
    _references: [(); 0],
    #[serde(default, rename = "claims")]
    _claims: [(); 0],
}

/// Validate UTF-8 in two halves at once (sonic-rs would do it on one
/// thread before parsing): half a gigabyte is worth a second core.
fn utf8(bytes: &[u8]) -> Option<&str> {
    // Cut before a byte that starts a character, so no character is split.
    let mut cut = bytes.len() / 2;
    while cut < bytes.len() && bytes[cut] & 0xC0 == 0x80 {
        cut += 1;
    }
    let (head, tail) = bytes.split_at(cut);
    let valid = std::thread::scope(|s| {
        let tail = s.spawn(|| simdutf8::basic::from_utf8(tail).is_ok());
        simdutf8::basic::from_utf8(head).is_ok() && tail.join().unwrap_or(false)
    });
    // SAFETY: both halves are valid UTF-8, and the cut is before a byte that
    // is not a continuation byte, so it splits no character: UTF-8 validity
    // is a property of each character's bytes, hence the whole is valid too.
    valid.then(|| unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// The entities and references of the record arrays `arrays` hands over,
/// as the outline finds them; an array the file lacks is empty (a file
/// that names one twice is refused with the top level).
fn parse_entities_and_references(
    text: &str,
    arrays: std::sync::mpsc::Receiver<(Array, Vec<Range<usize>>)>,
) -> (Option<Vec<Entity>>, Option<Vec<Reference>>) {
    let (mut entities, mut references) = (Some(Vec::new()), Some(Vec::new()));
    for (array, spans) in arrays {
        match array {
            Array::Entities => entities = each(text, &spans),
            Array::References => references = each(text, &spans),
            Array::Claims => {}
        }
    }
    (entities, references)
}

/// Deserialize the claims at `spans`, split between two threads so that
/// each has about half of the bytes. Both threads write their claims
/// straight into the one vector (see [`fill`]): parsing the second half
/// into a vector of its own and appending it touched another 88 MB of
/// fresh memory at a million claims, 70 ms on a virtual machine.
fn deserialize_claims(text: &str, spans: &[Range<usize>]) -> Option<Vec<Claim>> {
    let (start, end) = (spans.first().map_or(0, |r| r.start), spans.last().map_or(0, |r| r.end));
    let mid = spans.partition_point(|r| r.start - start < (end - start) / 2);
    let (first, second) = spans.split_at(mid);
    let n = spans.len();
    let mut claims: Vec<Claim> = Vec::with_capacity(n);
    let (head, tail) = claims.spare_capacity_mut()[..n].split_at_mut(mid);
    let filled = std::thread::scope(|s| {
        let tail = s.spawn(|| fill(text, second, tail));
        let head = fill(text, first, head);
        [head, tail.join().unwrap_or(Filled::Lost)]
    });
    let [head, tail] = filled;
    if (head, tail) != (Filled::All, Filled::All) {
        // A half that failed dropped what it had written; a whole one is
        // dropped here (one whose thread panicked is leaked, never read).
        let (head_slots, tail_slots) = claims.spare_capacity_mut()[..n].split_at_mut(mid);
        for (state, slots) in [(head, head_slots), (tail, tail_slots)] {
            if state == Filled::All {
                // SAFETY: `fill` wrote every slot of this half.
                slots.iter_mut().for_each(|slot| unsafe { slot.assume_init_drop() });
            }
        }
        return None;
    }
    // SAFETY: `fill` wrote every slot of both halves, which together are
    // the first `n` slots of the capacity.
    unsafe { claims.set_len(n) };
    Some(claims)
}

/// How [`fill`] left its slots.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Filled {
    /// Every slot holds a record.
    All,
    /// A record failed to parse; no slot holds one.
    Failed,
    /// The thread panicked: slots may hold records, which are leaked.
    Lost,
}

/// Deserialize the records at `spans` into `slots` (as many), each a
/// document of its own. On failure the records written so far are dropped.
fn fill<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    spans: &[Range<usize>],
    slots: &mut [std::mem::MaybeUninit<T>],
) -> Filled {
    for (i, (span, slot)) in spans.iter().zip(slots.iter_mut()).enumerate() {
        match sonic_rs::from_str(&text[span.clone()]) {
            Ok(record) => {
                slot.write(record);
            }
            Err(_) => {
                for written in &mut slots[..i] {
                    // SAFETY: the slots before `i` were written above, and
                    // nothing reads them after this.
                    unsafe { written.assume_init_drop() };
                }
                return Filled::Failed;
            }
        }
    }
    Filled::All
}

/// Deserialize the records at `spans`, each a document of its own, into a
/// vector of exactly their number (growing one by doubling copies it and
/// touches twice the fresh memory).
fn each<'a, T: serde::Deserialize<'a>>(text: &'a str, spans: &[Range<usize>]) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        out.push(sonic_rs::from_str(&text[span.clone()]).ok()?);
    }
    Some(out)
}

/// Map a graph file into memory rather than reading it: a 500 MB file then
/// costs no copy and no fresh memory (its pages are the page cache's), and
/// pages no longer used can be dropped by the kernel.
pub fn map_file(path: &std::path::Path) -> std::io::Result<memmap2::Mmap> {
    let file = open_regular(path)?;
    // SAFETY: the mapping is undefined behaviour only if the file is changed
    // in place while mapped. claimgraph itself never does that (`save`
    // writes a new file and renames it over the old one, which leaves the
    // mapped inode intact); another program truncating or rewriting the file
    // in place during a command is the same hazard ripgrep accepts for
    // its memory maps. The map is read-only and dropped with the command.
    unsafe { memmap2::Mmap::map(&file) }
}

/// Open `path` for reading only if it is a regular file (after following
/// symlinks). A FIFO would block the open or the read forever, and a device
/// such as `/dev/zero` never ends, so reading one as a graph hangs or fills
/// memory. Opened without blocking, then checked on the open file, so the
/// check and the read are about the same file.
pub fn open_regular(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let what =
            if meta.is_dir() { "a directory" } else { "not a regular file (a pipe, socket or device)" };
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what}: only regular files are read, since a pipe or device may never end"),
        ));
    }
    Ok(file)
}

/// Read a regular file (see [`open_regular`]) as UTF-8 text.
pub fn read_regular(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = open_regular(path)?;
    let mut text = String::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
    file.read_to_string(&mut text)?;
    Ok(text)
}

fn explain(text: &str, err: &serde_json::Error) -> Vec<Finding> {
    // Deep nesting is refused before any scan: the scans that place
    // findings recurse, and no graph file nests more than a few levels.
    if let Some(at) = crate::locate::too_deep(text) {
        let (line, column) = crate::locate::line_col(text, at);
        let message = format!("nesting deeper than {} at line {line}", crate::locate::MAX_NESTING);
        return vec![Finding::error("too-deep", message)
            .at(Location::Position { line, column })
            .with_help(Some("a graph file nests objects and arrays five levels deep at most".into()))];
    }
    let position = Location::Position { line: err.line().max(1), column: err.column().max(1) };
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            vec![Finding::error("json-syntax", format!("malformed JSON: {}", strip_position(err)))
                .at(position)]
        }
        Category::Data => {
            let mut findings = unknown_fields(&SourceMap::new(text));
            let serde_says_unknown = err.to_string().starts_with("unknown field");
            if findings.is_empty() || !serde_says_unknown {
                findings.push(invalid_value(text, err, position));
            }
            findings
        }
    }
}

/// A value of the wrong type (or a missing field), placed at its JSON path.
///
/// The fast parse does not track paths; only now, with an error in hand, do
/// we parse again with `serde_path_to_error` to learn which member it was.
fn invalid_value(text: &str, err: &serde_json::Error, position: Location) -> Finding {
    let mut de = serde_json::Deserializer::from_str(text);
    let (message, location) = match serde_path_to_error::deserialize::<_, Graph>(&mut de) {
        Err(located) => {
            let pointer = json_pointer(located.path());
            let what = located.path().to_string();
            let message = format!("{what}: {}", strip_position(located.inner()));
            (message, Location::value(pointer))
        }
        Ok(_) => (strip_position(err), position),
    };
    Finding::error("invalid-value", message).at(location)
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", crate::locate::escape_segment(key))),
            Segment::Enum { variant } => Some(format!("/{}", crate::locate::escape_segment(variant))),
            Segment::Unknown => None,
        })
        .collect()
}

/// serde appends " at line L column C"; we show the position our own way.
fn strip_position(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    match msg.rfind(" at line ") {
        Some(cut) => msg[..cut].to_string(),
        None => msg,
    }
}

/// The members each kind of object may have, in canonical order.
pub(crate) const TOP_FIELDS: &[&str] =
    &["schema", "title", "description", "vocabulary", "entities", "references", "claims"];
pub(crate) const VOCABULARY_FIELDS: &[&str] = &["kinds", "predicates", "studies", "contexts"];
pub(crate) const STUDY_FIELDS: &[&str] = &["id", "rank", "label", "description"];
pub(crate) const CONTEXT_FIELDS: &[&str] =
    &["id", "field", "label", "synonyms", "part_of", "xref", "species", "challenge", "systemic"];
pub(crate) const KIND_FIELDS: &[&str] = &["id", "label", "description"];
pub(crate) const PREDICATE_FIELDS: &[&str] =
    &["id", "sign", "class", "label", "inverse", "subject_kinds", "object_kinds", "description"];
pub(crate) const ENTITY_FIELDS: &[&str] = &["id", "name", "kind", "group", "aliases", "xrefs", "description"];
pub(crate) const REFERENCE_FIELDS: &[&str] = &[
    "id", "type", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "pmcid",
    "url", "note",
];
pub(crate) const CLAIM_FIELDS: &[&str] =
    &["id", "subject", "predicate", "object", "evidence", "negated", "certainty", "note"];
pub(crate) const EVIDENCE_FIELDS: &[&str] =
    &["reference", "summary", "quote", "locator", "study", "species", "model", "tissue", "condition"];

/// Which field list applies to the object at `pointer` (array indices as `*`).
fn fields_for(pointer: &str) -> Option<(&'static str, &'static [&'static str])> {
    let shape: Vec<&str> = pointer
        .split('/')
        .skip(1)
        .map(|s| if s.bytes().all(|b| b.is_ascii_digit()) { "*" } else { s })
        .collect();
    Some(match shape.as_slice() {
        [] => ("the graph", TOP_FIELDS),
        ["vocabulary"] => ("the vocabulary", VOCABULARY_FIELDS),
        ["vocabulary", "kinds", "*"] => ("a kind", KIND_FIELDS),
        ["vocabulary", "predicates", "*"] => ("a predicate", PREDICATE_FIELDS),
        ["vocabulary", "studies", "*"] => ("a study type", STUDY_FIELDS),
        ["vocabulary", "contexts", "*"] => ("a context term", CONTEXT_FIELDS),
        ["entities", "*"] => ("an entity", ENTITY_FIELDS),
        ["references", "*"] => ("a reference", REFERENCE_FIELDS),
        ["claims", "*"] => ("a claim", CLAIM_FIELDS),
        ["claims", "*", "evidence", "*"] => ("evidence", EVIDENCE_FIELDS),
        _ => return None,
    })
}

/// Every member whose name its object does not allow.
fn unknown_fields(map: &SourceMap) -> Vec<Finding> {
    map.members()
        .iter()
        .filter_map(|(parent, key)| {
            let (what, allowed) = fields_for(parent)?;
            if allowed.contains(&key.as_str()) {
                return None;
            }
            let pointer = format!("{parent}/{}", crate::locate::escape_segment(key));
            let help = did_you_mean(key, allowed.iter().copied())
                .or_else(|| Some(format!("{what} may have: {}", allowed.join(", "))));
            Some(
                Finding::error("unknown-field", format!("unknown field `{key}` in {what}"))
                    .at(Location::key(pointer))
                    .with_help(help),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    /// The field lists above must match what serde writes, or the "all
    /// unknown fields" report would flag valid fields (or miss typos).
    #[test]
    fn field_lists_match_the_model() {
        fn keys<T: serde::Serialize>(v: &T) -> Vec<String> {
            match serde_json::to_value(v).unwrap() {
                serde_json::Value::Object(m) => m.keys().cloned().collect(),
                _ => unreachable!(),
            }
        }
        let s = || Some("x".into());
        let t = || Some("x".to_string());
        let mut evidence = Evidence {
            reference: "r".into(),
            summary: "s".into(),
            study: "rct".into(),
            species: s(),
            model: s(),
            tissue: s(),
            condition: s(),
            excerpt: None,
        };
        evidence.set_excerpt(s(), s());
        let claim = Claim {
            id: "c".into(),
            subject: "a".into(),
            predicate: "p".into(),
            object: "b".into(),
            evidence: vec![evidence.clone()],
            negated: true,
            certainty: s(),
            note: s(),
        };
        let entity = Entity {
            id: "e".into(),
            name: "E".into(),
            kind: "k".into(),
            group: s(),
            aliases: vec!["a".into()],
            xrefs: vec!["X:1".into()],
            description: s(),
        };
        let reference = Reference {
            id: "r".into(),
            kind: "article".into(),
            title: "t".into(),
            authors: vec!["A".into()],
            year: Some(2000),
            journal: t(),
            volume: t(),
            issue: t(),
            pages: t(),
            doi: t(),
            pmid: t(),
            pmcid: t(),
            url: t(),
            note: t(),
        };
        let predicate = PredicateDef {
            id: "p".into(),
            sign: Sign::Plus,
            class: PredicateClass::Causal,
            label: "l".into(),
            inverse: "i".into(),
            subject_kinds: vec!["k".into()],
            object_kinds: vec!["k".into()],
            description: t(),
        };
        let kind = KindDef { id: "k".into(), label: "l".into(), description: t() };
        let context = crate::model::ContextTerm {
            id: "c".into(),
            field: crate::model::ContextField::Tissue,
            label: "l".into(),
            synonyms: vec!["s".into()],
            part_of: Some("p".into()),
            xref: Some("CL:1".into()),
            species: Some("mouse".into()),
            challenge: true,
            systemic: true,
        };
        let study = StudyDef { id: "s".into(), rank: 45, label: "l".into(), description: t() };
        let vocabulary = VocabularySection {
            kinds: vec![kind.clone()],
            predicates: vec![predicate.clone()],
            studies: vec![study.clone()],
            contexts: vec![context.clone()],
        };
        let graph = Graph {
            schema: SCHEMA.into(),
            title: "t".into(),
            description: "d".into(),
            vocabulary: vocabulary.clone(),
            entities: vec![entity.clone()],
            references: vec![reference.clone()],
            claims: vec![claim.clone()],
        };
        assert_eq!(keys(&graph), TOP_FIELDS);
        assert_eq!(keys(&vocabulary), VOCABULARY_FIELDS);
        assert_eq!(keys(&kind), KIND_FIELDS);
        assert_eq!(keys(&predicate), PREDICATE_FIELDS);
        assert_eq!(keys(&study), STUDY_FIELDS);
        assert_eq!(keys(&context), CONTEXT_FIELDS);
        assert_eq!(keys(&entity), ENTITY_FIELDS);
        assert_eq!(keys(&reference), REFERENCE_FIELDS);
        assert_eq!(keys(&claim), CLAIM_FIELDS);
        assert_eq!(keys(&evidence), EVIDENCE_FIELDS);
    }

    /// serde_json's verdict and, when it accepts, its graph.
    fn reference_parse(text: &str) -> Option<Graph> {
        serde_json::from_str::<Graph>(text).ok()
    }

    /// The fast parser must accept exactly what serde_json accepts, and read
    /// the same graph: anything it accepted wrongly would skip diagnostics.
    #[test]
    fn fast_parse_agrees_with_serde_json_on_the_fixtures() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
        let mut seen = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let expected = reference_parse(&text);
            assert_eq!(parse_fast(text.as_bytes()), expected, "{}", path.display());
            if expected.is_some() {
                seen.0 += 1
            } else {
                seen.1 += 1
            }
        }
        assert!(seen.0 > 10 && seen.1 >= 3, "accepted and rejected fixtures: {seen:?}");
    }

    /// JSON that one lenient parser or another lets through.
    #[test]
    fn fast_parse_rejects_what_serde_json_rejects() {
        let ok = r#"{"schema": "claimgraph/1", "title": "t"#;
        let cases = [
            format!("{ok}\"}}"),
            format!("{ok}\",}}"),
            format!("{ok}\"}} x"),
            format!("{ok}\"}}}}"),
            format!("\u{feff}{ok}\"}}"),
            format!("{ok}\u{1}\"}}"),
            format!("{ok}\t\"}}"),
            format!("{ok}\\ud800\"}}"),
            format!("{ok}\\x\"}}"),
            format!("{ok}\", \"title\": \"u\"}}"),
            format!("{ok}\", \"titel\": \"u\"}}"),
            r#"{"title": "no schema"}"#.to_string(),
            r#"{"schema": "claimgraph/1", "references": [{"id": "r", "title": "t", "year": 1e3}]}"#
                .to_string(),
            r#"{"schema": "claimgraph/1", "references": [{"id": "r", "title": "t", "year": 01}]}"#
                .to_string(),
            r#"{"schema": "claimgraph/1", "references": [{"id": "r", "title": "t", "year": NaN}]}"#
                .to_string(),
            r#"{"schema": "claimgraph/1", "references": [{"id": "r", "title": "t", "year": 99999999999}]}"#
                .to_string(),
            r#"{"schema": "claimgraph/1", "entities": [],}"#.to_string(),
            r#"{"schema": "claimgraph/1", "entities": null}"#.to_string(),
            r#"{"schema": "claimgraph/1" "entities": []}"#.to_string(),
            r#"{'schema': "claimgraph/1"}"#.to_string(),
            String::new(),
        ];
        let claim = r#"{"id": "c", "subject": "a", "predicate": "p", "object": "b""#;
        let record_cases = [
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}}}]}}"#),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}}},]}}"#),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}}} {claim}}}]}}"#),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}, "negated": tru}}]}}"#),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}, "id": "d"}}]}}"#),
            format!(
                r#"{{"schema": "claimgraph/1", "claims": [{claim}, "evidence": [{{"reference": "r", "x": 1}}]}}]}}"#
            ),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}, "note": "\q"}}]}}"#),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}}}}}]}}"#),
            format!(r#"{{"schema": "claimgraph/1", "claims": [{claim}}}], "claims": []}}"#),
            r#"{"schema": "claimgraph/1", "claims": ["a\nb"]}"#.to_string(),
            r#"{"schema": "claimgraph/1", "claims": [null]}"#.to_string(),
            r#"{"schema": "claimgraph/1", "entities": [{"id": "a", "name": "A", "kind": "k", "kind": "k"}]}"#
                .to_string(),
        ];
        for text in cases.iter().chain(&record_cases) {
            assert_eq!(parse_fast(text.as_bytes()), reference_parse(text), "{text:?}");
        }
        assert!(parse_fast(record_cases[0].as_bytes()).is_some(), "the well-formed claim must parse");
        assert!(parse_fast(cases[0].as_bytes()).is_some(), "the well-formed case must parse");
        assert!(parse_fast(b"{\"schema\": \"\xff\"}").is_none(), "invalid UTF-8");
    }

    /// Each record span is exactly the record's text, in order, whichever
    /// thread parsed it.
    #[test]
    fn record_spans_cut_out_each_record() {
        let claims: Vec<String> = (0..50)
            .map(|i| {
                format!(
                    r#"{{"id": "c{i}", "subject": "a", "predicate": "p", "object": "b", "note": "κ]}}"}}"#
                )
            })
            .collect();
        let text = format!(
            "{{\"schema\": \"claimgraph/1\",\n \"entities\": [ {{\"id\": \"a\", \"name\": \"A\", \"kind\": \"k\"}} ],\n \"claims\": [\n{}\n]}}",
            claims.join(",\n  ")
        );
        let (graph, records) = parse_fast_with_records(text.as_bytes()).unwrap();
        assert_eq!(Some(&graph), reference_parse(&text).as_ref());
        assert_eq!(records.claims.len(), 50);
        for (span, claim) in records.claims.iter().zip(&claims) {
            assert_eq!(&text[span.clone()], claim);
        }
        assert!(text[records.entities[0].clone()].starts_with("{\"id\": \"a\""));
        assert!(records.references.is_empty());
    }

    /// Each half of the claims is parsed on its own thread into one
    /// vector; a bad claim in either half (or both) fails the whole parse,
    /// and the other half's claims are dropped, not kept.
    #[test]
    fn a_bad_claim_in_either_half_fails_the_fast_parse() {
        let claim = |i: usize, bad: bool| {
            let object = if bad { "1" } else { "\"b\"" };
            format!(
                r#"{{"id": "c{i}", "subject": "a", "predicate": "p", "object": {object}, "note": "{}"}}"#,
                "x".repeat(40)
            )
        };
        for bad in [vec![0], vec![7], vec![0, 7], vec![3, 4], vec![]] {
            let claims: Vec<String> = (0..8).map(|i| claim(i, bad.contains(&i))).collect();
            let text = format!(r#"{{"schema": "claimgraph/1", "claims": [{}]}}"#, claims.join(", "));
            let parsed = parse_fast(text.as_bytes());
            assert_eq!(parsed, reference_parse(&text), "bad claims {bad:?}");
            assert_eq!(parsed.is_some(), bad.is_empty(), "bad claims {bad:?}");
        }
    }

    /// Entities and references are parsed on another thread as the outline
    /// finds them: in any order of the arrays, with one missing, or with one
    /// named twice, the fast parse still reads what serde_json reads.
    #[test]
    fn the_record_arrays_parse_in_any_order() {
        let entities = r#""entities": [{"id": "a", "name": "A", "kind": "nutrient"}]"#;
        let references = r#""references": [{"id": "r", "title": "T"}]"#;
        let claims = r#""claims": [{"id": "c", "subject": "a", "predicate": "p", "object": "a"}]"#;
        let bad = r#""references": [{"id": "r", "title": 7}]"#;
        let orders = [
            vec![claims, references, entities],
            vec![references, claims],
            vec![entities],
            vec![entities, references, entities],
            vec![entities, bad, claims],
            vec![claims, bad],
        ];
        for order in orders {
            let text = format!(r#"{{"schema": "claimgraph/1", {}}}"#, order.join(", "));
            let parsed = parse_fast(text.as_bytes());
            assert_eq!(parsed, reference_parse(&text), "{text}");
            let refused = order.contains(&bad) || order.iter().filter(|&&a| a == entities).count() > 1;
            assert_eq!(parsed.is_none(), refused, "{text}");
        }
    }

    #[test]
    fn every_unknown_field_is_reported() {
        let text = r#"{"schema": "claimgraph/1", "entites": [],
            "claims": [{"id": "c", "subject": "a", "predicate": "p", "object": "b",
                        "evidence": [{"reference": "r", "sumary": "x"}]}]}"#;
        let findings = parse(text).unwrap_err();
        let messages: Vec<_> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["unknown field `entites` in the graph", "unknown field `sumary` in evidence"]);
        assert_eq!(findings[0].help.as_deref(), Some("did you mean `entities`?"));
    }
}
