//! Importing references from reference managers: BibTeX, RIS, CSL-JSON,
//! PubMed MEDLINE and PubMed XML, one parser per file.
//!
//! Parsing is separate from merging. Each parser turns text into
//! [`Parsed`] — references in the model's own shape plus, per entry, the line
//! it started on and what was odd about it — and never fails as a whole: an
//! unreadable entry becomes a [`Skipped`] with its reason, so one bad record
//! does not cost the others. [`merge`] then adds them to a graph, skipping
//! works it already has (by DOI, then PMID, then title + year) and giving
//! each a key.

pub mod bibtex;
pub mod csl_json;
pub mod latex;
pub mod medline;
pub mod pubmed_xml;
pub mod ris;

#[cfg(doc)]
use crate::edit::find_same_work;
use crate::edit::normalize_title;
use crate::model::{normalize_doi, valid_doi, valid_pmcid, valid_pmid, Graph, Reference};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

/// The formats `claimgraph import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bibtex,
    Ris,
    CslJson,
    Medline,
    PubmedXml,
}

impl Source {
    /// Guess from the file extension (`.bib`, `.ris`, `.json`, `.nbib`/`.txt`).
    pub fn from_path(path: &Path) -> Option<Source> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "bib" | "bibtex" => Source::Bibtex,
            "ris" => Source::Ris,
            "json" | "csl" => Source::CslJson,
            "nbib" | "txt" | "medline" => Source::Medline,
            "xml" => Source::PubmedXml,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Source::Bibtex => "BibTeX",
            Source::Ris => "RIS",
            Source::CslJson => "CSL-JSON",
            Source::Medline => "MEDLINE",
            Source::PubmedXml => "PubMed XML",
        }
    }
}

/// One entry read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line the entry starts on.
    pub line: usize,
    /// The file's own key (BibTeX key, CSL `id`), if it has a usable one.
    pub key: Option<String>,
    pub reference: Reference,
    /// Things the user should know ("no year"), imported anyway.
    pub warnings: Vec<String>,
}

/// An entry that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub key: Option<String>,
    pub reason: String,
}

/// What a parser read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub skipped: Vec<Skipped>,
}

/// Parse `text` as `source`. A UTF-8 byte-order mark is ignored.
pub fn parse(text: &str, source: Source) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed = match source {
        Source::Bibtex => bibtex::parse(text),
        Source::Ris => ris::parse(text),
        Source::CslJson => csl_json::parse(text),
        Source::Medline => medline::parse(text),
        Source::PubmedXml => pubmed_xml::parse(text),
    };
    for entry in &mut parsed.entries {
        clean(entry);
    }
    parsed
}

/// Normalise identifiers and drop the malformed ones (with a warning), so
/// an import never writes a value `check` would reject.
fn clean(entry: &mut Entry) {
    let r = &mut entry.reference;
    let trim = |v: &mut Option<String>| {
        if let Some(s) = v {
            *s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        if v.as_deref().is_some_and(str::is_empty) {
            *v = None;
        }
    };
    for field in [
        &mut r.journal,
        &mut r.volume,
        &mut r.issue,
        &mut r.pages,
        &mut r.doi,
        &mut r.pmid,
        &mut r.pmcid,
        &mut r.url,
        &mut r.note,
    ] {
        trim(field);
    }
    r.title = r.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut repaired = false;
    for text in [Some(&mut r.title), r.journal.as_mut(), r.note.as_mut()].into_iter().flatten() {
        if let Some(fixed) = repair_mojibake(text) {
            *text = fixed;
            repaired = true;
        }
        text.retain(|c| !c.is_control());
    }
    for author in &mut r.authors {
        if let Some(fixed) = repair_mojibake(author) {
            *author = fixed;
            repaired = true;
        }
        author.retain(|c| !c.is_control());
    }
    if repaired {
        entry.warnings.push("repaired mis-encoded text (UTF-8 read as Latin-1)".into());
    }
    if let Some(doi) = r.doi.take() {
        if valid_doi(&doi) {
            r.doi = Some(normalize_doi(&doi));
        } else {
            entry.warnings.push(format!("malformed DOI `{doi}` left out"));
        }
    }
    if let Some(pmid) = r.pmid.take() {
        let digits = pmid.trim_start_matches("PMID:").trim().to_string();
        if valid_pmid(&digits) {
            r.pmid = Some(digits);
        } else {
            entry.warnings.push(format!("malformed PMID `{pmid}` left out"));
        }
    }
    if let Some(pmcid) = r.pmcid.take() {
        if valid_pmcid(&pmcid) {
            r.pmcid = Some(pmcid);
        } else {
            entry.warnings.push(format!("malformed PMCID `{pmcid}` left out"));
        }
    }
    if r.title.is_empty() {
        entry.warnings.push("no title".into());
    }
    if r.year.is_none() {
        entry.warnings.push("no year".into());
    }
}

/// Undo UTF-8 that was decoded as Latin-1, possibly more than once
/// ("Ã¢Â\u{80}Â\u{98}" → "‘"), as some exports carry. Only text made
/// entirely of Latin-1 characters whose bytes are valid UTF-8 is touched,
/// so real Latin-1 text ("Café") is left alone. None when nothing changed.
pub fn repair_mojibake(text: &str) -> Option<String> {
    let mut current = text.to_string();
    for _ in 0..3 {
        if current.is_ascii() || current.chars().any(|c| c as u32 > 0xFF) {
            break;
        }
        let bytes: Vec<u8> = current.chars().map(|c| c as u8).collect();
        match String::from_utf8(bytes) {
            Ok(decoded) if decoded != current => current = decoded,
            _ => break,
        }
    }
    (current != text).then_some(current)
}

/// What happened to each entry of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub added: Vec<Added>,
    pub duplicates: Vec<Duplicate>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub line: usize,
    pub key: String,
    pub warnings: Vec<String>,
}

/// An entry not added because the graph (or an earlier entry) has the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub line: usize,
    pub label: String,
    pub existing: String,
    pub by: &'static str,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl Report {
    /// The report as the user reads it; a dry run says "would add".
    pub fn render(&self, dry_run: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, dry_run).expect("writing to a String cannot fail");
        out
    }

    fn write(&self, f: &mut dyn fmt::Write, dry_run: bool) -> fmt::Result {
        let (add, added) = if dry_run { ("would add", "would be added") } else { ("added", "added") };
        for a in &self.added {
            write!(f, "{add} reference `{}` (line {})", a.key, a.line)?;
            if !a.warnings.is_empty() {
                write!(f, " — warning: {}", a.warnings.join("; "))?;
            }
            writeln!(f)?;
        }
        for d in &self.duplicates {
            writeln!(
                f,
                "line {}: {} is already present as `{}` (same {})",
                d.line, d.label, d.existing, d.by
            )?;
        }
        for s in &self.skipped {
            let key = s.key.as_deref().map(|k| format!(" `{k}`")).unwrap_or_default();
            writeln!(f, "line {}: skipped entry{key}: {}", s.line, s.reason)?;
        }
        write!(
            f,
            "{} {added}, {} already present, {} skipped",
            self.added.len(),
            self.duplicates.len(),
            self.skipped.len()
        )
    }
}

/// Which entries `--only` / `--exclude` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    Only,
    Exclude,
}

/// A key given to `--only` or `--exclude` that names no entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no entry `{key}`")]
pub struct UnknownKey {
    pub key: String,
    pub candidates: Vec<String>,
}

impl UnknownKey {
    pub fn help(&self) -> String {
        crate::finding::did_you_mean(&self.key, self.candidates.iter().map(String::as_str)).unwrap_or_else(|| {
            "entries are named by their key in the file, the key they would get (see --dry-run), their DOI or PMID"
                .into()
        })
    }
}

/// The names an entry answers to on the command line: its key in the file,
/// the key it would be given (`firstauthorYEAR`), its DOI and PMID.
fn names(entry: &Entry) -> Vec<String> {
    let r = &entry.reference;
    let mut names: Vec<String> = entry.key.iter().cloned().collect();
    names.push(generated_key(r));
    names.extend(r.doi.as_deref().map(normalize_doi));
    names.extend(r.pmid.clone());
    names
}

/// Keep only the entries `keys` name (`Only`), or all but those (`Exclude`).
/// Every key must name some entry: a typo should not import everything.
pub fn select(parsed: &mut Parsed, how: Select, keys: &[String]) -> Result<(), UnknownKey> {
    let named = |entry: &Entry, key: &str| {
        let key = normalize_doi(key);
        names(entry).iter().any(|n| n.eq_ignore_ascii_case(&key))
    };
    for key in keys {
        if !parsed.entries.iter().any(|e| named(e, key)) {
            let candidates = parsed.entries.iter().flat_map(names).collect();
            return Err(UnknownKey { key: key.clone(), candidates });
        }
    }
    parsed.entries.retain(|e| keys.iter().any(|k| named(e, k)) == (how == Select::Only));
    if how == Select::Only {
        parsed.skipped.retain(|s| s.key.as_ref().is_some_and(|k| keys.contains(k)));
    } else {
        parsed.skipped.retain(|s| !s.key.as_ref().is_some_and(|k| keys.contains(k)));
    }
    Ok(())
}

/// A format claimgraph recognises but does not read.
pub struct Unsupported {
    pub name: &'static str,
    pub help: &'static str,
}

/// Exports that look like a format we read but are not, said plainly
/// instead of "no records found, try --from" (no --from fits them).
pub fn unsupported(text: &str) -> Option<Unsupported> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let wos = text.starts_with("FN ") && text.lines().any(|l| l.starts_with("PT ")) && text.contains("\nER");
    wos.then_some(Unsupported {
        name: "a Web of Science field-tagged export (FN/PT/ER tags)",
        help: "export the records from Web of Science as BibTeX or RIS (\"Export → Other file formats\"), then import that",
    })
}

/// Add the parsed references to `graph`, skipping works it already has and
/// giving each new one a free key.
pub fn merge(graph: &mut Graph, parsed: Parsed) -> Report {
    let mut report = Report { skipped: parsed.skipped, ..Default::default() };
    let mut known = Known::new(&graph.references);
    for entry in parsed.entries {
        if let Some((existing, by)) = known.same_record(&graph.references, &entry.reference) {
            let label =
                entry.key.clone().map(|k| format!("`{k}`")).unwrap_or_else(|| describe(&entry.reference));
            report.duplicates.push(Duplicate { line: entry.line, label, existing: existing.id.clone(), by });
            continue;
        }
        let key = free_key_among(&known.ids, entry.key.as_deref(), &entry.reference);
        let mut warnings = entry.warnings;
        if let Some(own) = entry.key.as_deref().filter(|k| *k != key) {
            warnings.push(format!("key `{own}` is taken; imported as `{key}`"));
        }
        let mut reference = entry.reference;
        reference.id = key.clone();
        known.add(graph.references.len(), &reference);
        graph.references.push(reference);
        report.added.push(Added { line: entry.line, key, warnings });
    }
    report
}

/// The graph's references indexed the way [`find_same_work`] compares
/// them (DOI, then PMID, then title + year), plus whole records and ids:
/// scanning every reference for every entry made a 12,000-entry import
/// take minutes.
struct Known {
    doi: HashMap<String, usize>,
    pmid: HashMap<String, usize>,
    title_year: HashMap<(String, Option<i32>), usize>,
    fields: HashMap<String, usize>,
    ids: HashSet<String>,
}

impl Known {
    fn new(references: &[Reference]) -> Known {
        let mut known = Known {
            doi: HashMap::new(),
            pmid: HashMap::new(),
            title_year: HashMap::new(),
            fields: HashMap::new(),
            ids: HashSet::new(),
        };
        for (i, r) in references.iter().enumerate() {
            known.add(i, r);
        }
        known
    }

    /// Index reference `i` (the first of equals wins, as a scan would find it).
    fn add(&mut self, i: usize, r: &Reference) {
        if let Some(doi) = r.doi.as_deref().map(normalize_doi) {
            self.doi.entry(doi).or_insert(i);
        }
        if let Some(pmid) = r.pmid.as_deref().map(str::trim) {
            self.pmid.entry(pmid.to_string()).or_insert(i);
        }
        self.title_year.entry((normalize_title(&r.title), r.year)).or_insert(i);
        self.fields.entry(fields_key(r)).or_insert(i);
        self.ids.insert(r.id.clone());
    }

    /// The same work (by identifier or title + year) or, for records with
    /// neither, an identical record: importing a file twice adds nothing.
    fn same_record<'a>(&self, refs: &'a [Reference], r: &Reference) -> Option<(&'a Reference, &'static str)> {
        let doi = r.doi.as_deref().map(normalize_doi).filter(|d| !d.is_empty());
        let pmid = r.pmid.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let title = Some(normalize_title(&r.title)).filter(|t| !t.is_empty());
        let found = doi
            .and_then(|d| self.doi.get(&d))
            .map(|&i| (i, "DOI"))
            .or_else(|| pmid.and_then(|p| self.pmid.get(p)).map(|&i| (i, "PMID")))
            .or_else(|| title.and_then(|t| self.title_year.get(&(t, r.year))).map(|&i| (i, "title and year")))
            .or_else(|| self.fields.get(&fields_key(r)).map(|&i| (i, "fields")));
        found.map(|(i, by)| (&refs[i], by))
    }
}

/// A record's fields but its id, as one comparable string.
fn fields_key(r: &Reference) -> String {
    serde_json::to_string(&Reference { id: String::new(), ..r.clone() }).expect("a reference serializes")
}

/// "“Title…” (2014)" for messages about entries that have no key.
fn describe(r: &Reference) -> String {
    let title: String = r.title.chars().take(50).collect();
    let more = if r.title.chars().count() > 50 { "…" } else { "" };
    match r.year {
        Some(y) => format!("“{title}{more}” ({y})"),
        None => format!("“{title}{more}”"),
    }
}

/// The entry's own key when usable and free, else `firstauthorYEAR`; then
/// `a`, `b`, `c`… until the key is free.
pub fn free_key(graph: &Graph, own: Option<&str>, r: &Reference) -> String {
    let taken: HashSet<String> = graph.references.iter().map(|r| r.id.clone()).collect();
    free_key_among(&taken, own, r)
}

/// [`free_key`] against a set of taken keys.
fn free_key_among(taken: &HashSet<String>, own: Option<&str>, r: &Reference) -> String {
    let base = own
        .filter(|k| !k.is_empty() && !k.chars().any(char::is_whitespace))
        .map(str::to_string)
        .unwrap_or_else(|| generated_key(r));
    let taken = |k: &str| taken.contains(k);
    if !taken(&base) {
        return base;
    }
    let letters = ('a'..='z').map(|c| format!("{base}{c}"));
    let numbers = (2..).map(|n| format!("{base}-{n}"));
    letters.chain(numbers).find(|k| !taken(k)).expect("some suffix is free")
}

/// `firstauthorYEAR`: the first author's surname folded to ASCII lower case.
fn generated_key(r: &Reference) -> String {
    // "de Hoon, Michiel" → "dehoon": the family name is everything before the comma.
    let first = r.authors.first().map(|a| match a.split_once(',') {
        Some((family, _)) => family,
        None => a.split_whitespace().next().unwrap_or(a),
    });
    let surname = first.map(ascii_fold).filter(|s| !s.is_empty());
    let who = surname.unwrap_or_else(|| "anon".into());
    match r.year {
        Some(y) => format!("{who}{y}"),
        None => who,
    }
}

/// Lower-case ASCII letters only, with common accented letters unaccented
/// ("Müller" → "muller", "Ødegård" → "odegard").
pub fn ascii_fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let folded = match c {
                'à'..='å' | 'À'..='Å' | 'ā' | 'ă' | 'ą' => "a",
                'æ' | 'Æ' => "ae",
                'ç' | 'Ç' | 'ć' | 'č' => "c",
                'ď' | 'đ' => "d",
                'è'..='ë' | 'È'..='Ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
                'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'į' | 'ı' => "i",
                'ñ' | 'Ñ' | 'ń' | 'ň' => "n",
                'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'ő' => "o",
                'œ' | 'Œ' => "oe",
                'ř' => "r",
                'ß' => "ss",
                'ś' | 'š' | 'ş' | 'Š' | 'Ś' => "s",
                'ť' | 'ţ' => "t",
                'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' => "u",
                'ý' | 'ÿ' | 'Ý' => "y",
                'ź' | 'ż' | 'ž' | 'Ž' => "z",
                'ł' | 'Ł' => "l",
                _ => "",
            };
            let plain = c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase().to_string());
            plain.or_else(|| (!folded.is_empty()).then(|| folded.to_string()))
        })
        .collect()
}

/// The first run of four digits, as a year ("2002 Sep" → 2002).
pub(crate) fn year_in(s: &str) -> Option<i32> {
    let bytes: Vec<char> = s.chars().collect();
    bytes
        .windows(4)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .and_then(|w| w.iter().collect::<String>().parse().ok())
}

/// 1-based line of byte offset `at` in `text`. Counted in bytes: a parser's
/// error offset may fall inside a character (fuzzing found one), and
/// slicing the text there would panic.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_fold_accents_and_take_suffixes() {
        let mut g = Graph::default();
        let r = Reference { authors: vec!["Müller, Jörg".into()], year: Some(2001), ..Default::default() };
        assert_eq!(free_key(&g, None, &r), "muller2001");
        g.references.push(Reference { id: "muller2001".into(), ..Default::default() });
        assert_eq!(free_key(&g, None, &r), "muller2001a");
        assert_eq!(free_key(&g, Some("has space"), &r), "muller2001a");
        assert_eq!(year_in("2002 Sep"), Some(2002));
        assert_eq!(year_in("Sep"), None);
    }

    #[test]
    fn doubly_encoded_utf8_is_repaired_and_latin1_left_alone() {
        let broken = "a \u{c3}\u{a2}\u{c2}\u{80}\u{c2}\u{98}Sailing Rock\u{c3}\u{a2}\u{c2}\u{80}\u{c2}\u{99}";
        assert_eq!(repair_mojibake(broken).as_deref(), Some("a \u{2018}Sailing Rock\u{2019}"));
        assert_eq!(repair_mojibake("Café"), None);
        assert_eq!(repair_mojibake("Müller – ok"), None);
    }
}
