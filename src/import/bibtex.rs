//! BibTeX / BibLaTeX (`.bib`), parsed by the `biblatex` crate, which expands
//! `@string` macros and turns LaTeX accents and dashes (`{\"u}`, `\'e`,
//! `--`) into Unicode.
//!
//! The crate parses a file all or nothing. When the whole file fails, each
//! `@entry` is parsed on its own (with the file's `@string` definitions), so
//! one broken entry is reported with its line and the rest still import.
//!
//! Hostile files are bounded here, before the crate sees them: the crate
//! resolves `crossref`/`xdata` and `@string` macros by unbounded recursion
//! (a cycle `crossref={a}` on entry `a`, or `@string{x = x}`, overflowed the
//! stack) and its time grows with the square of brace nesting. So links are
//! taken out of the entries and followed here (each parent once, at most
//! [`MAX_CROSSREF_DEPTH`] deep), macros that loop or chain too deep are
//! dropped (their uses become "unknown abbreviation"), and an entry whose
//! braces nest deeper than [`MAX_BRACE_DEPTH`] is skipped with its line.

use super::{line_of, year_in, Entry, Parsed, Skipped};
use crate::model::Reference;
use biblatex::{Bibliography, ChunksExt, Pair, RawBibliography, RawChunk, RawEntry, Spanned};
use std::collections::{HashMap, HashSet};

/// Deeper brace nesting than any real entry needs (they use two or three).
pub const MAX_BRACE_DEPTH: usize = 64;
/// How far `crossref`/`xdata` chains are followed.
pub const MAX_CROSSREF_DEPTH: usize = 8;
/// How deep `@string` macros may refer to one another.
const MAX_MACRO_DEPTH: usize = 16;

pub fn parse(text: &str) -> Parsed {
    let blocks = blocks(text);
    let too_deep = blocks.iter().any(|b| brace_depth(&text[b.start..b.end]).is_err());
    let whole = (!too_deep).then(|| RawBibliography::parse(text).ok()).flatten().and_then(read_whole);
    let (works, skipped) = match whole {
        Some(works) => {
            let lines: HashMap<&str, usize> =
                blocks.iter().filter_map(|b| Some((b.key.as_deref()?, b.line))).collect();
            let works = works
                .into_iter()
                .map(|(entry, parents)| {
                    let line = lines.get(entry.key.as_str()).copied().unwrap_or(1);
                    Work { entry, line, parents }
                })
                .collect();
            (works, Vec::new())
        }
        None => parse_each(text, &blocks),
    };
    let by_key: HashMap<String, usize> =
        works.iter().enumerate().map(|(i, w)| (w.entry.key.to_lowercase(), i)).collect();
    let entries = works.iter().map(|w| convert(w, &Lineage::new(w, &works, &by_key))).collect();
    Parsed { entries, skipped }
}

/// An entry as read, with the keys of the entries it inherits from.
struct Work {
    entry: biblatex::Entry,
    line: usize,
    parents: Vec<String>,
}

/// Resolve a whole raw file at once: None if the crate refuses it.
fn read_whole(mut raw: RawBibliography) -> Option<Vec<(biblatex::Entry, Vec<String>)>> {
    let parents: Vec<Vec<String>> = raw.entries.iter_mut().map(|e| take_links(&mut e.v)).collect();
    raw.abbreviations = bounded_macros(std::mem::take(&mut raw.abbreviations));
    let keys: Vec<String> = raw.entries.iter().map(|e| e.v.key.v.to_string()).collect();
    let bib = Bibliography::from_raw(raw).ok()?;
    let mut parents: HashMap<String, Vec<String>> = keys.into_iter().zip(parents).collect();
    Some(
        bib.into_iter()
            .map(|e| {
                let links = parents.remove(&e.key).unwrap_or_default();
                (e, links)
            })
            .collect(),
    )
}

/// Remove `crossref` and `xdata` from an entry (so the crate does not
/// follow them), returning the keys they named.
fn take_links(entry: &mut RawEntry) -> Vec<String> {
    let mut parents = Vec::new();
    entry.fields.retain(|pair| {
        let name = pair.key.v.to_ascii_lowercase();
        if name != "crossref" && name != "xdata" {
            return true;
        }
        let value: String = pair
            .value
            .v
            .iter()
            .filter_map(|c| match c.v {
                RawChunk::Normal(s) => Some(s),
                RawChunk::Abbreviation(_) => None,
            })
            .collect();
        parents.extend(value.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()));
        false
    });
    parents
}

/// The `@string` macros whose expansion ends within [`MAX_MACRO_DEPTH`]
/// steps (so never a cycle); the others are left out.
fn bounded_macros(macros: Vec<Pair>) -> Vec<Pair> {
    let uses = |pair: &Pair| -> Vec<String> {
        pair.value
            .v
            .iter()
            .filter_map(|c| match c.v {
                RawChunk::Abbreviation(name) => Some(name.to_string()),
                RawChunk::Normal(_) => None,
            })
            .collect()
    };
    let table: HashMap<String, Vec<String>> = macros.iter().map(|p| (p.key.v.to_string(), uses(p))).collect();
    let mut depth: HashMap<String, Option<usize>> = HashMap::new();
    macros.into_iter().filter(|p| macro_depth(p.key.v, &table, &mut depth, 0).is_some()).collect()
}

/// Depth of the longest chain of macro uses below `name`; None for a cycle
/// or a chain longer than [`MAX_MACRO_DEPTH`]. Memoized, so linear overall.
fn macro_depth(
    name: &str,
    table: &HashMap<String, Vec<String>>,
    memo: &mut HashMap<String, Option<usize>>,
    level: usize,
) -> Option<usize> {
    if let Some(known) = memo.get(name) {
        return *known;
    }
    if level > MAX_MACRO_DEPTH {
        return None;
    }
    // Provisionally "bad": meeting `name` again below means a cycle.
    memo.insert(name.to_string(), None);
    let mut deepest = 0;
    for used in table.get(name).into_iter().flatten() {
        // A name that is no macro is a month (`sep`) or an unknown one.
        if table.contains_key(used) {
            deepest = deepest.max(macro_depth(used, table, memo, level + 1)? + 1);
        }
    }
    let depth = (deepest <= MAX_MACRO_DEPTH).then_some(deepest);
    memo.insert(name.to_string(), depth);
    depth
}

/// The deepest brace nesting in `text`, or Err with the byte offset where
/// it first goes past [`MAX_BRACE_DEPTH`].
fn brace_depth(text: &str) -> Result<usize, usize> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'{' => {
                depth += 1;
                if depth > MAX_BRACE_DEPTH {
                    return Err(at);
                }
                deepest = deepest.max(depth);
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(deepest)
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
    let mut line = 1;
    let mut counted = 0;
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| {
            // Count lines incrementally: `line_of` from the top for every
            // block would be quadratic in the number of blocks.
            line += text[counted..start].matches('\n').count();
            counted = start;
            let body = &text[start + 1..end];
            let kind: String = body.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let key = body
                .find(['{', '('])
                .map(|open| body[open + 1..].split([',', '\n', '}']).next().unwrap_or("").trim().to_string())
                .filter(|k| !k.is_empty() && !k.contains('='));
            Block { start, end, line, kind: kind.to_ascii_lowercase(), key }
        })
        .collect()
}

/// Parse every entry separately, with the `@string` definitions that parse.
fn parse_each(text: &str, blocks: &[Block]) -> (Vec<Work>, Vec<Skipped>) {
    let mut macros: Vec<Pair> = Vec::new();
    for b in blocks.iter().filter(|b| b.kind == "string") {
        let source = &text[b.start..b.end];
        if let (Ok(_), Ok(raw)) = (brace_depth(source), RawBibliography::parse(source)) {
            macros.extend(raw.abbreviations);
        }
    }
    let macros: HashMap<&str, Pair> = bounded_macros(macros).into_iter().map(|p| (p.key.v, p)).collect();
    let (mut works, mut skipped) = (Vec::new(), Vec::new());
    for b in blocks.iter().filter(|b| !["string", "preamble", "comment"].contains(&b.kind.as_str())) {
        let source = &text[b.start..b.end];
        let skip = |within: usize, reason: String| {
            let at = b.line + line_of(source, within) - 1;
            Skipped { line: b.line, key: b.key.clone(), reason: format!("{reason} (at line {at})") }
        };
        if let Err(at) = brace_depth(source) {
            skipped.push(skip(at, format!("braces nested deeper than {MAX_BRACE_DEPTH}")));
            continue;
        }
        let result = RawBibliography::parse(source).and_then(|mut raw| {
            let parents: Vec<Vec<String>> = raw.entries.iter_mut().map(|e| take_links(&mut e.v)).collect();
            // Only the macros this entry uses: all of them for every entry
            // would be quadratic in a file of many macros and entries.
            raw.abbreviations = used_macros(&raw.entries, &macros);
            Ok((Bibliography::from_raw(raw)?, parents))
        });
        match result {
            Ok((bib, parents)) => works.extend(bib.into_iter().zip(parents).map(|(entry, parents)| Work {
                entry,
                line: b.line,
                parents,
            })),
            Err(err) => skipped.push(skip(err.span.start, err.kind.to_string())),
        }
    }
    (works, skipped)
}

/// The macros `entries` use, directly or through other macros.
fn used_macros<'s>(entries: &[Spanned<RawEntry>], macros: &HashMap<&str, Pair<'s>>) -> Vec<Pair<'s>> {
    let mut wanted: Vec<&str> = entries
        .iter()
        .flat_map(|e| &e.v.fields)
        .flat_map(|f| &f.value.v)
        .filter_map(|c| match c.v {
            RawChunk::Abbreviation(name) => Some(name),
            RawChunk::Normal(_) => None,
        })
        .collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    while let Some(name) = wanted.pop() {
        let Some(pair) = macros.get(name) else { continue };
        if seen.insert(pair.key.v) {
            for chunk in &pair.value.v {
                if let RawChunk::Abbreviation(used) = chunk.v {
                    wanted.push(used);
                }
            }
            out.push(pair.clone());
        }
    }
    out
}

/// The entries a work inherits from through `crossref`/`xdata`, nearest
/// first, each once, at most [`MAX_CROSSREF_DEPTH`] links away: a cycle
/// (`a` → `b` → `a`, or `a` → `a`) just ends.
struct Lineage<'a> {
    ancestors: Vec<&'a biblatex::Entry>,
}

impl<'a> Lineage<'a> {
    fn new(work: &Work, works: &'a [Work], by_key: &HashMap<String, usize>) -> Lineage<'a> {
        let mut seen: HashSet<usize> = HashSet::new();
        if let Some(&own) = by_key.get(&work.entry.key.to_lowercase()) {
            seen.insert(own);
        }
        let mut ancestors = Vec::new();
        let mut level: Vec<&str> = work.parents.iter().map(String::as_str).collect();
        for _ in 0..MAX_CROSSREF_DEPTH {
            let mut next = Vec::new();
            for key in level {
                let Some(&i) = by_key.get(&key.to_lowercase()) else { continue };
                if seen.insert(i) {
                    ancestors.push(&works[i].entry);
                    next.extend(works[i].parents.iter().map(String::as_str));
                }
            }
            level = next;
        }
        Lineage { ancestors }
    }
}

/// The year of an entry's `year`, else of its `date`.
fn dated(e: &biblatex::Entry) -> Option<i32> {
    text_of(e, "year").or_else(|| text_of(e, "date")).as_deref().and_then(year_in)
}

/// A field's text, if it has any.
fn text_of(e: &biblatex::Entry, name: &str) -> Option<String> {
    e.get(name).map(|c| c.format_verbatim()).filter(|s| !s.trim().is_empty())
}

fn convert(work: &Work, lineage: &Lineage) -> Entry {
    let (e, line) = (&work.entry, work.line);
    let field = |name: &str| text_of(e, name);
    // What a cross-referenced parent supplies when the entry lacks it, as
    // BibTeX and Biber inherit: the container, the date, the volume.
    let inherited =
        |name: &str| field(name).or_else(|| lineage.ancestors.iter().find_map(|a| text_of(a, name)));
    let kind = e.entry_type.to_string().to_ascii_lowercase();
    let own_container = ["journal", "journaltitle", "booktitle"].iter().find_map(|f| field(f));
    // A part (`incollection`, `inproceedings`, …) sits in its parent: the
    // parent's container fields, else the parent's own title.
    let container = own_container.or_else(|| {
        lineage.ancestors.iter().find_map(|a| {
            ["journal", "journaltitle", "booktitle", "title"].iter().find_map(|f| text_of(a, f))
        })
    });
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
        year: dated(e).or_else(|| lineage.ancestors.iter().find_map(|a| dated(a))),
        journal: container,
        volume: inherited("volume"),
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
