//! Citations: references formatted for people.
//!
//! [`bibliography`] runs a real CSL engine (hayagriva) with the styles it
//! bundles — APA, Vancouver, Harvard and the rest — as text, Markdown or HTML;
//! `cite` uses it directly, and [`list_entries`] gives `trace`, `show`,
//! `neighbors` and diagram legends the same engine in one house style.
//! [`short`] ("Seo et al. 2010") labels edges and legend cells; [`plain`] is
//! the fallback line for records too incomplete for a CSL style.

use crate::index::{ClaimIx, Index, RefIx};
use crate::model::Reference;
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, ElemChild,
    ElemChildren,
};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;
use thiserror::Error;

/// References numbered in order of first citation, for `[1]` and `[^1]`:
/// the one numbering behind every numbered list (trace reports, `show`,
/// `neighbors`, diagram legends). A list that starts from another's
/// numbering ([`Citations::clone`]) keeps its numbers and adds after them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Citations {
    order: Vec<RefIx>,
    numbers: HashMap<RefIx, usize>,
}

impl Citations {
    /// The 1-based number of a reference, numbering it if new.
    pub fn number(&mut self, r: RefIx) -> usize {
        let next = self.order.len() + 1;
        let n = *self.numbers.entry(r).or_insert(next);
        if n == next {
            self.order.push(r);
        }
        n
    }

    /// The numbered references, in order.
    pub fn references(&self) -> &[RefIx] {
        &self.order
    }

    /// References with their numbers, in number order.
    pub fn list(&self) -> impl Iterator<Item = (usize, RefIx)> + '_ {
        self.order.iter().enumerate().map(|(i, &r)| (i + 1, r))
    }

    /// The number of a reference already numbered (0 if it is not).
    pub fn get(&self, r: RefIx) -> usize {
        self.numbers.get(&r).copied().unwrap_or(0)
    }

    /// "[1][3]" for a claim.
    pub fn brackets(&self, index: &Index, c: ClaimIx) -> String {
        index.claim_refs(c).iter().map(|&r| format!("[{}]", self.get(r))).collect()
    }

    /// `[^1][^3]` for a claim.
    pub fn footnotes(&self, index: &Index, c: ClaimIx) -> String {
        index.claim_refs(c).iter().map(|&r| format!("[^{}]", self.get(r))).collect()
    }
}

/// "Seo et al. 2010", "Seo & Cho 2010", "Seo 2010"; for a record without
/// authors the first words of its title ("Zinc compounds inhibit… 1996"), and
/// the key only when there is nothing better.
pub fn short(r: &Reference) -> String {
    let surname = |a: &String| match institution(a) {
        Some(name) => name.to_string(),
        None => a.split([',', ' ']).next().unwrap_or(a).to_string(),
    };
    let named: Vec<&String> = r.authors.iter().filter(|a| !is_et_al(a)).collect();
    let who = match named.as_slice() {
        [] => match title_words(&r.title, 4) {
            Some(words) => words,
            None => return identifier(r).unwrap_or_else(|| r.id.clone()),
        },
        [one] if named.len() == r.authors.len() => surname(one),
        [a, b] if named.len() == r.authors.len() => format!("{} & {}", surname(a), surname(b)),
        [a, ..] => format!("{} et al.", surname(a)),
    };
    match r.year {
        Some(y) => format!("{who} {y}"),
        None => who,
    }
}

/// "PMID 29848179", "doi:10.…" or, for a record known only by its web
/// page, the page without its scheme ("synapse.koreamed.org/articles/1106747"):
/// how to name a record with neither authors nor title.
fn identifier(r: &Reference) -> Option<String> {
    match (&r.pmid, &r.doi, &r.url) {
        (Some(pmid), _, _) => Some(format!("PMID {pmid}")),
        (None, Some(doi), _) => Some(format!("doi:{}", crate::model::normalize_doi(doi))),
        (None, None, Some(url)) => {
            let page = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
            Some(page.trim_end_matches('/').to_string())
        }
        (None, None, None) => None,
    }
}

/// The first `n` words of a title, with "…" when there were more.
fn title_words(title: &str, n: usize) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    match words.len() {
        0 => None,
        len if len <= n => Some(words.join(" ")),
        _ => Some(format!("{}…", words[..n].join(" "))),
    }
}

/// Whether an author string is the "et al." that ends an author list known
/// to be incomplete (a record that names only its first author): it is
/// printed as the list's end, never as a person or a co-author.
pub fn is_et_al(author: &str) -> bool {
    matches!(author.trim().to_lowercase().as_str(), "et al." | "et al" | "others")
}

/// The name of an institution standing as author, or `None` for a person.
///
/// Our author strings are PubMed-style personal names ("Seo HJ"), which
/// [`csl_name`] turns round; a corporate author ("Institute of Medicine (US)
/// Panel on Micronutrients") must reach the CSL engine whole, as a literal
/// name, or it comes out as "Micronutrients I of M". A name in braces is an
/// institution by declaration (BibTeX's convention); otherwise one is
/// recognised by parentheses, digits, a connecting word ("of", "for") or an
/// institutional word ("Institute", "Office", "Organization").
pub fn institution(author: &str) -> Option<&str> {
    let trimmed = author.trim();
    if let Some(inner) = trimmed.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        return Some(inner.trim());
    }
    if trimmed.contains(',') {
        return None;
    }
    const CONNECTING: [&str; 6] = ["of", "on", "for", "the", "and", "&"];
    const INSTITUTIONAL: [&str; 18] = [
        "institute",
        "office",
        "organization",
        "organisation",
        "agency",
        "panel",
        "committee",
        "council",
        "society",
        "association",
        "group",
        "consortium",
        "ministry",
        "department",
        "university",
        "foundation",
        "commission",
        "database",
    ];
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let institutional = trimmed.contains(['(', ')'])
        || trimmed.chars().any(|c| c.is_ascii_digit())
        || (words.len() >= 3 && words.iter().any(|w| CONNECTING.contains(w)))
        || words.iter().any(|w| INSTITUTIONAL.contains(&w.to_lowercase().as_str()));
    institutional.then_some(trimmed)
}

/// One bibliography line: authors (first six, then "et al."), year, title,
/// journal with volume/issue/pages, then DOI and PMID.
pub fn plain(r: &Reference) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !r.authors.is_empty() {
        let mut authors =
            r.authors.iter().take(6).map(|a| institution(a).unwrap_or(a)).collect::<Vec<_>>().join(", ");
        if r.authors.len() > 6 {
            authors.push_str(", et al.");
        }
        parts.push(authors);
    }
    parts.push(match r.year {
        Some(y) => format!("({y})."),
        None => "(n.d.).".into(),
    });
    if !r.title.is_empty() {
        parts.push(end_with_period(&r.title));
    }
    if let Some(source) = source_line(r) {
        parts.push(source);
    }
    if let Some(doi) = &r.doi {
        parts.push(format!("doi:{}", crate::model::normalize_doi(doi)));
    }
    if let Some(pmid) = &r.pmid {
        parts.push(format!("PMID {pmid}."));
    }
    if r.doi.is_none() && r.pmid.is_none() {
        if let Some(url) = &r.url {
            parts.push(url.clone());
        }
    }
    parts.join(" ")
}

/// "Journal 4(5):356-361."
fn source_line(r: &Reference) -> Option<String> {
    let journal = r.journal.as_deref()?;
    let mut s = journal.to_string();
    if let Some(v) = &r.volume {
        s.push_str(&format!(" {v}"));
    }
    if let Some(i) = &r.issue {
        s.push_str(&format!("({i})"));
    }
    if let Some(p) = &r.pages {
        s.push_str(&format!(":{p}"));
    }
    Some(end_with_period(&s))
}

fn end_with_period(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Short names for the styles people ask for most, and the CSL style each
/// means. Vancouver is Elsevier's NLM/Vancouver variant: hayagriva's own
/// `nlm-citation-sequence` drops the authors in this release. Harvard is
/// Cite Them Right: `elsevier-harvard` doubles the full stop before a DOI.
pub const STYLE_NAMES: &[(&str, &str)] = &[
    ("apa", "apa"),
    ("vancouver", "elsevier-vancouver"),
    ("harvard", "harvard-cite-them-right"),
    ("chicago", "chicago-author-date"),
    ("nature", "nature"),
    ("ama", "american-medical-association"),
    ("ieee", "ieee"),
];

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StyleError {
    #[error("unknown citation style `{0}`")]
    Unknown(String),
    #[error("citation style `{0}` depends on another style, which is not supported")]
    Dependent(String),
}

/// A CSL style by short name (`apa`, `vancouver`, `harvard`, …) or by any
/// name of a style hayagriva bundles (`elsevier-harvard`, `nature`, …).
pub fn style(name: &str) -> Result<IndependentStyle, StyleError> {
    let lower = name.trim().to_ascii_lowercase();
    let csl = STYLE_NAMES.iter().find(|(short, _)| *short == lower).map_or(lower.as_str(), |(_, csl)| csl);
    let archived = ArchivedStyle::by_name(csl).ok_or_else(|| StyleError::Unknown(name.to_string()))?;
    match archived.get() {
        Style::Independent(style) => Ok(style),
        Style::Dependent(_) => Err(StyleError::Dependent(name.to_string())),
    }
}

/// Every style name [`style`] accepts, short names first.
pub fn style_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = STYLE_NAMES.iter().map(|(s, _)| *s).collect();
    names.extend(ArchivedStyle::all().iter().flat_map(|s| s.names().iter().copied()));
    names
}

/// How a formatted bibliography is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Text,
    Markdown,
    Html,
}

/// One formatted bibliography entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    pub key: String,
    pub text: String,
}

/// Format `refs` as a bibliography in `style`, in the order the style sorts
/// them (alphabetical for author-date styles, as given for numeric ones).
/// A record without a title also shows its PubMed id, which most styles
/// leave out, so that every entry identifies its record.
pub fn bibliography(refs: &[&Reference], style: &IndependentStyle, markup: Markup) -> Vec<Formatted> {
    let untitled: std::collections::HashMap<&str, &Reference> =
        refs.iter().filter(|r| r.title.is_empty()).map(|r| (r.id.as_str(), *r)).collect();
    let mut entries = render(refs, style, markup, true);
    for f in &mut entries {
        if let Some(r) = untitled.get(f.key.as_str()) {
            f.text = identified(std::mem::take(&mut f.text), r, markup);
        }
    }
    entries
}

/// The house style of claimgraph's own numbered reference lists (`trace`,
/// `show`, `neighbors`, diagram legends): Vancouver, a numbered style, so the
/// CSL engine and our `[n]` markers agree.
pub const LIST_STYLE: &str = "vancouver";

/// Reference-list entries in [`LIST_STYLE`], in the order given and without
/// their numbers (the caller numbers them to match its `[n]` markers).
pub fn list_entries(refs: &[&Reference], markup: Markup) -> Vec<String> {
    entries_in(refs, list_style(), markup)
}

/// [`list_entries`] in any CSL style (`trace --style apa`): still in the
/// order given, for the caller's numbers, whatever order the style would
/// sort a bibliography in.
pub fn entries_in(refs: &[&Reference], style: &IndependentStyle, markup: Markup) -> Vec<String> {
    let house = style.info.id == list_style().info.id;
    let rendered =
        if house { render_halves(refs, style, markup) } else { render(refs, style, markup, false) };
    let mut by_key: std::collections::HashMap<String, String> =
        rendered.into_iter().map(|f| (f.key, f.text)).collect();
    refs.iter()
        .map(|r| match by_key.remove(&r.id) {
            Some(text) if r.title.is_empty() => identified(text, r, markup),
            Some(text) if house => with_pmid(text, r),
            Some(text) => text,
            // The engine renders every record it is given; should one ever be
            // missing, the plain line still reads as a citation (plain text:
            // escaped for the markup).
            None => escaped(&plain(r), markup),
        })
        .collect()
}

/// The house style's entries, unnumbered, a long list in two halves side by
/// side. Vancouver is numeric: no entry's text depends on another's (no
/// year suffixes to tell same-author years apart), so the halves format as
/// the whole would; the CSL engine is most of the output time of a trace
/// citing hundreds of papers.
fn render_halves(refs: &[&Reference], style: &IndependentStyle, markup: Markup) -> Vec<Formatted> {
    if refs.len() < 64 {
        return render(refs, style, markup, false);
    }
    let (lower, upper) = refs.split_at(refs.len() / 2);
    std::thread::scope(|scope| {
        let upper = scope.spawn(|| render(upper, style, markup, false));
        let mut out = render(lower, style, markup, false);
        out.extend(upper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        out
    })
}

/// Plain text made safe for `markup`.
fn escaped(text: &str, markup: Markup) -> String {
    match markup {
        Markup::Text => text.to_string(),
        Markup::Markdown => crate::escape::markdown(text),
        Markup::Html => crate::escape::html(text).into_owned(),
    }
}

/// The parsed [`LIST_STYLE`].
pub fn list_style() -> &'static IndependentStyle {
    static STYLE: OnceLock<IndependentStyle> = OnceLock::new();
    STYLE.get_or_init(|| style(LIST_STYLE).expect("the list style is bundled"))
}

/// The bundled CSL locales `style` can use, parsed once per process: the
/// style's own locale (en-US when it names none), that language's fallback
/// and en-US, the engine's last resort; hayagriva looks nowhere else in the
/// locale files (`StyleContext::lookup_locale`). Its `archive::locales()`
/// parses all ~60 it bundles, over half a billion instructions (more than the
/// rest of a trace over a compiled snapshot); one locale is about a sixtieth.
fn locales(style: &IndependentStyle) -> &'static [Locale] {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static PARSED: OnceLock<Mutex<HashMap<Option<String>, &'static [Locale]>>> = OnceLock::new();
    let key = style.default_locale.as_ref().map(|l| l.0.clone());
    let mut parsed = PARSED.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
    // Leaked once per distinct style locale (at most the ~60 bundled ones).
    parsed.entry(key).or_insert_with(|| Box::leak(locales_named(style).into_boxed_slice()))
}

fn locales_named(style: &IndependentStyle) -> Vec<Locale> {
    use hayagriva::citationberg::LocaleCode;
    let own = style.default_locale.clone().unwrap_or_else(LocaleCode::en_us);
    let wanted: Vec<LocaleCode> =
        [Some(own.clone()), own.fallback(), Some(LocaleCode::en_us())].into_iter().flatten().collect();
    // A locale's CBOR holds its code as text: only candidates are parsed,
    // and only those whose parsed code is wanted are kept.
    hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| wanted.iter().any(|code| memchr::memmem::find(bytes, code.0.as_bytes()).is_some()))
        .filter_map(|bytes| ciborium::from_reader::<Locale, _>(*bytes).ok())
        .filter(|locale| locale.lang.as_ref().is_some_and(|lang| wanted.contains(lang)))
        .collect()
}

/// Parse the list style and its CSL locale on another thread, for a
/// command that will print a reference list once its query is done: doing
/// it beside the query takes it off the clock; whoever needs them first waits.
pub fn warm_up() {
    std::thread::spawn(|| locales(list_style()));
}

/// Vancouver lists the PubMed id after the DOI; hayagriva's style omits it.
fn with_pmid(text: String, r: &Reference) -> String {
    match r.pmid.as_deref().filter(|p| crate::model::valid_pmid(p) && !text.contains(*p)) {
        Some(pmid) => format!("{text} PMID: {pmid}."),
        None => text,
    }
}

/// An untitled record's entry with whatever identifies it: the PubMed id,
/// and the URL when there is neither DOI nor PubMed id (styles print a URL
/// only for web pages).
fn identified(text: String, r: &Reference, markup: Markup) -> String {
    let text = with_pmid(text, r);
    let link = r.url.as_deref().filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    match link.filter(|u| r.doi.is_none() && r.pmid.is_none() && !text.contains(*u)) {
        Some(url) => format!("{text} {}", escaped(url, markup)),
        None => text,
    }
}

fn render(refs: &[&Reference], style: &IndependentStyle, markup: Markup, numbered: bool) -> Vec<Formatted> {
    render_with(refs, style, locales(style), markup, numbered)
}

fn render_with(
    refs: &[&Reference],
    style: &IndependentStyle,
    locales: &[Locale],
    markup: Markup,
    numbered: bool,
) -> Vec<Formatted> {
    let vancouver = style.info.id == list_style().info.id;
    let library = library(refs);
    let mut driver = BibliographyDriver::new();
    for entry in library.iter() {
        driver.citation(CitationRequest::from_items(vec![CitationItem::with_entry(entry)], style, locales));
    }
    let rendered = driver.finish(BibliographyRequest { style, locale: None, locale_files: locales });
    let Some(bib) = rendered.bibliography else { return Vec::new() };
    bib.items
        .into_iter()
        .map(|item| {
            let mut text = String::new();
            if let Some(first) = item.first_field.filter(|_| numbered) {
                write_children(&mut text, &ElemChildren(vec![first]), markup);
                text.push(' ');
            }
            write_children(&mut text, &item.content, markup);
            let reference = refs.iter().find(|r| r.id == item.key);
            let text = tidy(&text, reference.and_then(|r| r.journal.as_deref()));
            let text = match reference {
                Some(r) if vancouver => title_stop(text, r),
                _ => text,
            };
            Formatted { key: item.key, text }
        })
        .collect()
}

/// Vancouver runs the title of an article without a journal into its year
/// ("Field notes on moving rocks 2014."), as a graph of another field often
/// has: put the full stop back.
fn title_stop(text: String, r: &Reference) -> String {
    let (Some(year), None) = (r.year, &r.journal) else { return text };
    let title = r.title.trim();
    if title.is_empty() || title.ends_with(['.', '?', '!']) {
        return text;
    }
    let run_on = format!("{title} {year}");
    match text.find(&run_on) {
        Some(at) => format!("{}{title}. {year}{}", &text[..at], &text[at + run_on.len()..]),
        None => text,
    }
}

/// Punctuation the bundled styles get wrong for incomplete records: a
/// doubled full stop after "n.d." or after a chapter's missing editors, and no
/// full stop between a title and "n.d." when the year is missing ("… in rats
/// n.d."). A `journal` keeps the style's own spacing before "n.d.", as before
/// a year ("Menopause 2013", "Agents and Actions n.d.").
fn tidy(text: &str, journal: Option<&str>) -> String {
    // "In:." is Vancouver's editor slot of a chapter whose book has no editors.
    let text = text.trim().replace("n.d..", "n.d.").replace("In:. ", "In: ");
    // An incomplete author list ends in the literal name "et al.", which
    // author–date styles join with their "&" or "and".
    let text = text
        .replace(", & et al.", ", et al.")
        .replace(" & et al.", " et al.")
        .replace(" and et al.", " et al.");
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(at) = rest.find(" n.d.") {
        let before = &rest[..at];
        out.push_str(before);
        let after_journal = journal.is_some_and(|j| !j.is_empty() && before.ends_with(j));
        if !after_journal && before.ends_with(|c: char| c.is_alphanumeric() || c == ']' || c == ')') {
            out.push('.');
        }
        out.push_str(" n.d.");
        rest = &rest[at + " n.d.".len()..];
    }
    out.push_str(rest);
    out
}

fn write_children(out: &mut String, children: &ElemChildren, markup: Markup) {
    match markup {
        Markup::Text => children.write_buf(out, BufWriteFormat::Plain).expect("writing to a String"),
        Markup::Html => {
            html_safe(children).write_buf(out, BufWriteFormat::Html).expect("writing to a String")
        }
        Markup::Markdown => markdown(out, children),
    }
}

/// `children` with their text escaped for HTML. hayagriva's HTML writer
/// copies titles, names and link targets verbatim, so a title
/// `<script>…</script>` would run in the reader's browser; it still adds
/// its own formatting markup around the escaped text. A link that is not a
/// web link (`javascript:`) is kept as text only.
fn html_safe(children: &ElemChildren) -> ElemChildren {
    use crate::escape::{html, is_web_link, url};
    let text =
        |t: &hayagriva::Formatted| hayagriva::Formatted { text: html(&t.text).into_owned(), ..t.clone() };
    ElemChildren(
        children
            .0
            .iter()
            .map(|child| match child {
                ElemChild::Text(t) => ElemChild::Text(text(t)),
                ElemChild::Elem(e) => {
                    ElemChild::Elem(hayagriva::Elem { children: html_safe(&e.children), ..e.clone() })
                }
                ElemChild::Markup(m) => ElemChild::Markup(html(m).into_owned()),
                ElemChild::Link { text: t, url: link } if is_web_link(link) => {
                    ElemChild::Link { text: text(t), url: html(&url(link)).into_owned() }
                }
                ElemChild::Link { text: t, .. } => ElemChild::Text(text(t)),
                other => other.clone(),
            })
            .collect(),
    )
}

/// Italic and bold as Markdown emphasis, links as `[text](url)`, Markdown
/// punctuation in the text escaped.
fn markdown(out: &mut String, children: &ElemChildren) {
    use hayagriva::citationberg::{FontStyle, FontWeight};
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => {
                let text = escape_markdown(&t.text);
                let bold = t.formatting.font_weight == FontWeight::Bold;
                let italic = t.formatting.font_style == FontStyle::Italic;
                let mark = match (bold, italic) {
                    (true, true) => "***",
                    (true, false) => "**",
                    (false, true) => "*",
                    (false, false) => "",
                };
                let (lead, rest) = text.split_at(text.len() - text.trim_start().len());
                let (body, trail) = rest.split_at(rest.trim_end().len());
                if body.is_empty() || mark.is_empty() {
                    out.push_str(&text);
                } else {
                    out.push_str(&format!("{lead}{mark}{body}{mark}{trail}"));
                }
            }
            ElemChild::Elem(e) => markdown(out, &e.children),
            ElemChild::Markup(m) => out.push_str(m),
            ElemChild::Link { text, url } if crate::escape::is_web_link(url) => {
                out.push_str(&format!("[{}]({})", escape_markdown(&text.text), crate::escape::url(url)))
            }
            ElemChild::Link { text, .. } => out.push_str(&escape_markdown(&text.text)),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn escape_markdown(s: &str) -> String {
    crate::escape::markdown(s)
}

/// Our references as a hayagriva library. Built through hayagriva's own
/// (YAML, of which JSON is a subset) input format, so every field goes
/// through its documented parsing rather than its internal constructors.
fn library(refs: &[&Reference]) -> hayagriva::Library {
    let mut entries = Map::new();
    for r in refs {
        entries.insert(r.id.clone(), entry(r));
    }
    // YAML refuses raw control characters, which serde_json leaves in for
    // U+007F..U+009F; a hand-edited field may hold one.
    let text: String = Value::Object(entries).to_string().chars().filter(|c| !c.is_control()).collect();
    hayagriva::io::from_yaml_str(&text).expect("entries built from the model always parse")
}

fn entry(r: &Reference) -> Value {
    let mut e = Map::new();
    let kind = match r.kind.as_str() {
        // A book reference inside another book (its `journal`) is a chapter.
        "book" if r.journal.is_some() => "Chapter",
        "book" => "Book",
        "report" => "Report",
        "web" | "database" => "Web",
        _ => "Article",
    };
    e.insert("type".into(), json!(kind));
    // Without a title (and often without authors) a style would open the
    // entry with nothing but "n.d.": say plainly that the title is unknown.
    let title = if r.title.is_empty() { UNTITLED } else { r.title.as_str() };
    e.insert("title".into(), json!(title));
    if !r.authors.is_empty() {
        e.insert("author".into(), json!(r.authors.iter().map(|a| csl_name(a)).collect::<Vec<_>>()));
    }
    if let Some(y) = r.year {
        e.insert("date".into(), json!(y.to_string()));
    }
    if let Some(p) = &r.pages {
        e.insert("page-range".into(), json!(p));
    }
    let mut serial = Map::new();
    if let Some(doi) = &r.doi {
        serial.insert("doi".into(), json!(crate::model::normalize_doi(doi)));
    }
    if let Some(pmid) = &r.pmid {
        serial.insert("pmid".into(), json!(pmid));
    }
    if let Some(pmcid) = &r.pmcid {
        serial.insert("pmcid".into(), json!(pmcid));
    }
    if !serial.is_empty() {
        e.insert("serial-number".into(), Value::Object(serial));
    }
    if let Some(url) = r.url.as_deref().filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
        e.insert("url".into(), json!(url));
    }
    if let Some(journal) = &r.journal {
        let mut parent = Map::new();
        parent.insert("type".into(), json!(if kind == "Article" { "Periodical" } else { "Book" }));
        parent.insert("title".into(), json!(journal));
        if let Some(v) = &r.volume {
            parent.insert("volume".into(), json!(v));
        }
        if let Some(i) = &r.issue {
            parent.insert("issue".into(), json!(i));
        }
        e.insert("parent".into(), Value::Object(parent));
    } else if let Some(v) = &r.volume {
        e.insert("volume".into(), json!(v));
    }
    Value::Object(e)
}

/// The title shown for a record whose title was never seen.
pub const UNTITLED: &str = "[Title not recorded]";

/// Our author strings as hayagriva reads names ("Family, Given"): "Family,
/// Given" stays; PubMed's "Seo HJ" becomes "Seo, H. J."; "Given Family"
/// becomes "Family, Given".
fn csl_name(author: &str) -> Value {
    // A map with only `name` is taken literally: no prefix or given-name
    // parsing, so the institution prints exactly as written.
    if is_et_al(author) {
        return json!({ "name": "et al." });
    }
    if let Some(name) = institution(author) {
        return json!({ "name": name });
    }
    json!(personal_name(author))
}

fn personal_name(author: &str) -> String {
    if author.contains(',') {
        return author.to_string();
    }
    let words: Vec<&str> = author.split_whitespace().collect();
    match words.as_slice() {
        [] | [_] => author.to_string(),
        [family @ .., initials] if initials.len() <= 3 && initials.chars().all(|c| c.is_uppercase()) => {
            let given: Vec<String> = initials.chars().map(|c| format!("{c}.")).collect();
            format!("{}, {}", family.join(" "), given.join(" "))
        }
        [given @ .., family] => format!("{family}, {}", given.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_citations_name_first_author_and_year() {
        let mut r = Reference {
            id: "k".into(),
            authors: vec!["Seo HJ".into(), "Cho YE".into(), "Kim T".into()],
            year: Some(2010),
            ..Default::default()
        };
        assert_eq!(short(&r), "Seo et al. 2010");
        r.authors.truncate(2);
        assert_eq!(short(&r), "Seo & Cho 2010");
        r.authors.clear();
        assert_eq!(short(&r), "k");
    }

    #[test]
    fn author_strings_become_family_given() {
        assert_eq!(csl_name("Seo HJ"), json!("Seo, H. J."));
        assert_eq!(csl_name("Sankar, Martial"), json!("Sankar, Martial"));
        assert_eq!(csl_name("Martial Sankar"), json!("Sankar, Martial"));
        assert_eq!(csl_name("WHO"), json!("WHO"));
    }

    /// Regression (issue 11): three records name only their first author
    /// ("Elmståhl S, et al."); printed as "Elmståhl S." they read as
    /// single-author papers.
    #[test]
    fn an_incomplete_author_list_ends_in_et_al_in_every_style() {
        let r = Reference {
            id: "elmstahl1998".into(),
            kind: "article".into(),
            title: "Fractures and zinc intake".into(),
            authors: vec!["Elmståhl S".into(), "et al.".into()],
            year: Some(1998),
            journal: Some("Osteoporosis International".into()),
            ..Default::default()
        };
        assert_eq!(short(&r), "Elmståhl et al. 1998");
        assert!(plain(&r).starts_with("Elmståhl S, et al. (1998)."), "{}", plain(&r));
        let [entry] = list_entries(&[&r], Markup::Text).try_into().unwrap();
        assert!(entry.starts_with("Elmståhl S, et al. Fractures and zinc intake."), "{entry}");
        for name in ["apa", "harvard", "chicago"] {
            let text = &bibliography(&[&r], &style(name).unwrap(), Markup::Text)[0].text;
            assert!(
                text.starts_with("Elmståhl, S., et al.") || text.starts_with("Elmståhl, S. et al."),
                "{name}: {text}"
            );
            assert!(!text.contains("& et al") && !text.contains("and et al"), "{name}: {text}");
        }
    }

    #[test]
    fn institutions_stay_whole() {
        let literal = |s: &str| json!({ "name": s });
        assert_eq!(
            csl_name("Institute of Medicine (US) Panel on Micronutrients"),
            literal("Institute of Medicine (US) Panel on Micronutrients")
        );
        assert_eq!(csl_name("InterPro (EMBL-EBI)"), literal("InterPro (EMBL-EBI)"));
        assert_eq!(
            csl_name("NIH Office of Dietary Supplements"),
            literal("NIH Office of Dietary Supplements")
        );
        assert_eq!(csl_name("{Cochrane Collaboration}"), literal("Cochrane Collaboration"));
        assert_eq!(csl_name("van der Berg J"), json!("van der Berg, J."));
    }

    #[test]
    fn a_record_without_authors_or_title_still_reads_as_a_citation() {
        let r = Reference { id: "pmid29848179".into(), pmid: Some("29848179".into()), ..Default::default() };
        let [entry] = list_entries(&[&r], Markup::Text).try_into().unwrap();
        assert!(entry.starts_with(UNTITLED), "{entry}");
        assert!(entry.contains("n.d.") && !entry.contains("n.d.."), "{entry}");
        assert!(entry.ends_with("PMID: 29848179."), "{entry}");
        let bare = Reference {
            id: "koreamed1".into(),
            url: Some("https://example.org/1".into()),
            ..Default::default()
        };
        let [entry] = list_entries(&[&bare], Markup::Text).try_into().unwrap();
        assert_eq!(entry, format!("{UNTITLED}. n.d. https://example.org/1"));
        // A diagram's legend names it by its page, never by its key.
        assert_eq!(short(&bare), "example.org/1");
        assert_eq!(short(&r), "PMID 29848179");
        let titled = Reference { title: "Zinc and bone".into(), year: Some(1996), ..r.clone() };
        assert_eq!(short(&titled), "Zinc and bone 1996");
        let corporate = Reference { authors: vec!["InterPro (EMBL-EBI)".into()], ..titled };
        let [entry] = list_entries(&[&corporate], Markup::Text).try_into().unwrap();
        assert!(entry.starts_with("InterPro (EMBL-EBI)."), "{entry}");
    }

    #[test]
    fn a_title_without_a_journal_ends_before_its_year() {
        let r = Reference {
            id: "notes2014".into(),
            title: "Field notes on moving rocks".into(),
            authors: vec!["Doe, Jane".into()],
            year: Some(2014),
            ..Default::default()
        };
        let [entry] = list_entries(&[&r], Markup::Text).try_into().unwrap();
        assert_eq!(entry, "Doe J. Field notes on moving rocks. 2014.");
        let vancouver = style("vancouver").unwrap();
        assert_eq!(
            bibliography(&[&r], &vancouver, Markup::Text)[0].text,
            "[1] Doe J. Field notes on moving rocks. 2014."
        );
    }

    #[test]
    fn a_missing_year_gets_its_full_stop() {
        assert_eq!(
            tidy("Hypocalcemic effect of zinc in rats n.d.", None),
            "Hypocalcemic effect of zinc in rats. n.d."
        );
        assert_eq!(tidy("Title. n.d.. https://x", None), "Title. n.d. https://x");
        assert_eq!(tidy("Author. (n.d.). Title, n.d.", None), "Author. (n.d.). Title, n.d.");
        assert_eq!(tidy("Domain (IPR042153) n.d.", None), "Domain (IPR042153). n.d.");
        // A journal runs into "n.d." as it runs into a year ("Menopause 2013").
        let journal = Some("Cell Communication and Signaling");
        assert_eq!(
            tidy("Zinc inhibits osteoclasts. Cell Communication and Signaling n.d.;11:74.", journal),
            "Zinc inhibits osteoclasts. Cell Communication and Signaling n.d.;11:74."
        );
    }

    /// Only the locales a style can look up are parsed: every bundled style
    /// (English, German, French, …) formats the same with them as with all.
    #[test]
    fn a_style_formats_the_same_with_its_locales_as_with_all() {
        let all = hayagriva::archive::locales();
        let r = Reference {
            id: "a".into(),
            title: "Zinc and bone".into(),
            authors: vec!["Seo HJ".into(), "Cho YE".into()],
            journal: Some("Nutrients".into()),
            volume: Some("3".into()),
            pages: Some("1-9".into()),
            doi: Some("10.5555/x".into()),
            ..Default::default()
        };
        let untitled = Reference { id: "b".into(), pmid: Some("29848179".into()), ..Default::default() };
        let mut non_english = 0;
        for archived in ArchivedStyle::all() {
            let Style::Independent(style) = archived.get() else { continue };
            let ours = locales(&style);
            assert!(ours.len() < 4, "{:?}", archived.names());
            non_english += usize::from(style.default_locale.as_ref().is_some_and(|l| !l.0.starts_with("en")));
            for markup in [Markup::Text, Markup::Html] {
                assert_eq!(
                    render_with(&[&r, &untitled], &style, ours, markup, true),
                    render_with(&[&r, &untitled], &style, &all, markup, true),
                    "{:?}",
                    archived.names()
                );
            }
        }
        assert!(non_english > 3, "styles in other languages were compared: {non_english}");
    }

    /// A long house-style list is formatted in two halves: entry for entry
    /// as the whole list at once.
    #[test]
    fn a_list_formatted_in_halves_reads_as_one_formatted_whole() {
        let graph = crate::generate::generate(crate::generate::Params::new(400, 80, 3));
        let curated = crate::load::parse(crate::DEFAULT_GRAPH).unwrap();
        let refs: Vec<&Reference> = graph.references.iter().chain(&curated.references).collect();
        assert!(refs.len() >= 64, "{} references", refs.len());
        for markup in [Markup::Text, Markup::Markdown, Markup::Html] {
            let halves = render_halves(&refs, list_style(), markup);
            assert_eq!(halves, render(&refs, list_style(), markup, false));
        }
    }

    #[test]
    fn every_short_style_name_loads() {
        for (short, _) in STYLE_NAMES {
            assert!(style(short).is_ok(), "{short}");
        }
        assert_eq!(style("nope"), Err(StyleError::Unknown("nope".into())));
    }
}
