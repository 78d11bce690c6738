//! Trace results as reports people and programs read: a terminal chain with
//! numbered citations, a Markdown report with footnotes, and the stable JSON
//! contract. Each writer takes any `io::Write`, so `cli`, `export` and `cite`
//! share them; none decides where the output goes.

use super::summary::{primary, SummaryBuilder, TraceSummary, Verdict};
use super::{ContextChange, HopContext, PathHop, PathSource, TracePath};
pub use crate::cite::Citations;
use crate::cite::{self, Markup};
use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::{Reference, Sign, StudyLevel};
use hayagriva::citationberg::IndependentStyle;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

/// A trace's numbering: the order in which its report cites references,
/// which the Markdown report, `cite --trace` and an `export --trace` legend
/// all start from, so [1] is the same paper in each.
impl Citations {
    /// Number the references one path cites: hop by hop, the carrying claims
    /// first and then the conflicting ones.
    pub fn add_path(&mut self, index: &Index, path: &TracePath) {
        for hop in &path.hops {
            for &c in hop.claims.iter().chain(&hop.conflicts) {
                for &r in index.claim_refs(c) {
                    self.number(r);
                }
            }
        }
    }

    /// Number every reference a trace cites, path by path.
    pub fn for_trace(index: &Index, source: &dyn PathSource) -> Citations {
        let mut citations = Citations::default();
        for i in 0..source.len() {
            citations.add_path(index, &source.path(i));
        }
        citations
    }
}

fn name<'g>(index: &Index<'g>, e: EntityIx) -> &'g str {
    &index.entity(e).name
}

/// How a claim reads after its subject: "is a cofactor of", "does not
/// increase", "are not required for" (see [`super::words`]).
pub fn predicate_words(index: &Index, c: ClaimIx) -> String {
    let claim = index.claim(c);
    let label = index.predicate(c).map_or(claim.predicate.as_str(), |p| p.display());
    let plural =
        index.entity_ix(&claim.subject).is_some_and(|s| super::words::is_plural(&index.entity(s).name));
    super::words::predicate_phrase(label, claim.negated, plural)
}

pub fn sign_text(s: Sign) -> &'static str {
    match s {
        Sign::Plus => "+",
        Sign::Minus => "-",
        Sign::None => "none",
    }
}

/// "increases", "decreases" or "is linked to": the net effect in a sentence,
/// agreeing with its subject ("Oysters increase …", see [`super::words`]).
fn net_verb(subject: &str, s: Sign) -> String {
    let label = match s {
        Sign::Plus => "increases",
        Sign::Minus => "decreases",
        Sign::None => "is linked to",
    };
    super::words::agree(subject, label)
}

/// A study level in words; reviews, reference values and structural facts
/// (anything ranked below in vitro work) are not a level of their own but the
/// absence of a primary study.
fn level_text(index: &Index, l: Option<StudyLevel>) -> String {
    match l {
        None => "unknown".to_string(),
        Some(l) if !primary(index, Some(l)) => {
            format!("no primary study cited ({})", index.vocab.study_label(l))
        }
        Some(l) => index.vocab.study_label(l).to_string(),
    }
}

fn level_id<'i>(index: &'i Index, l: Option<StudyLevel>) -> Option<&'i str> {
    l.map(|l| index.vocab.study_id(l))
}

/// What a conflicting claim means, naming only what differs: "context-dependent:
/// condition high phosphate (hop: not stated)", or, when a curator marked a
/// side contested, "disputed: `…` is marked contested" whatever the contexts
/// (the rule `check` words conflicts by).
fn conflict_context(index: &Index, hop: &PathHop, c: ClaimIx) -> String {
    let diffs = super::context::differences(index, &hop.context, c);
    let parts: Vec<String> = diffs
        .iter()
        .map(|d| {
            let hop = if d.hop.is_empty() { "not stated".to_string() } else { d.hop.join(", ") };
            format!("{} {} (hop: {hop})", d.field.as_str(), d.conflict.join(", "))
        })
        .collect();
    let differs = (!parts.is_empty()).then(|| parts.join("; "));
    if let Some(side) = hop.disputed_by(index, c) {
        return crate::check::dispute_words(side, differs.as_deref());
    }
    match differs {
        Some(differs) => format!("context-dependent: {differs}"),
        None if HopContext::of_claims(index, &[c]).fields.iter().any(|f| !f.is_empty()) => {
            "same context".into()
        }
        None => "no context stated".into(),
    }
}

/// "conflicts: 3 hops carry a conflicting claim; 1 disputed (…); context
/// differs for 2 of the other 2": a dispute is not explained by context.
fn conflicts_line(s: &TraceSummary) -> Option<String> {
    let hops = count(s.conflict_hops, "hop carries", "hops carry");
    let others = s.conflict_hops - s.conflicts_disputed;
    Some(match (s.conflicts_disputed, others) {
        (0, 0) => return None,
        (0, _) => format!("conflicts: {hops} a conflicting claim; context differs for {} of them", s.conflicts_explained),
        (disputed, 0) => format!("conflicts: {hops} a conflicting claim; {disputed} disputed (a side is marked contested)"),
        (disputed, others) => format!(
            "conflicts: {hops} a conflicting claim; {disputed} disputed (a side is marked contested); context differs for {} of the other {others}",
            s.conflicts_explained
        ),
    })
}

/// Where each conflicting claim was first described: a conflict under a hop
/// that several paths share is stated once, and later paths refer back.
#[derive(Default)]
struct FirstShown(HashMap<(EntityIx, EntityIx, ClaimIx), usize>);

impl FirstShown {
    /// The earlier path (1-based) that described this conflict, or `None`
    /// after recording `path` as the first.
    fn earlier(&mut self, hop: &PathHop, c: ClaimIx, path: usize) -> Option<usize> {
        match *self.0.entry((hop.subject, hop.object, c)).or_insert(path) {
            first if first == path => None,
            first => Some(first),
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Up to this many expanded paths are kept between the first pass over a
/// trace and the writing: a report of the usual size expands each path once.
const KEEP_EXPANDED: usize = 1000;

/// What a report needs before its first path: the summary and the reference
/// numbers, gathered in one pass over the paths, and the expanded paths
/// themselves when there are few (else each is expanded again to be written).
pub struct Prepared<'s> {
    pub summary: TraceSummary,
    pub citations: Citations,
    kept: Vec<Cow<'s, TracePath>>,
}

impl<'s> Prepared<'s> {
    /// Path `i`, as kept or expanded again.
    fn path(&self, source: &'s dyn PathSource, i: usize) -> Cow<'_, TracePath> {
        match self.kept.get(i) {
            Some(p) => Cow::Borrowed(p.as_ref()),
            None => source.path(i),
        }
    }
}

pub fn prepare<'s>(index: &Index, source: &'s dyn PathSource) -> Prepared<'s> {
    let (mut summary, mut citations) = (SummaryBuilder::default(), Citations::default());
    let keep = source.len() <= KEEP_EXPANDED;
    let mut kept = Vec::new();
    for i in 0..source.len() {
        let path = source.path(i);
        summary.add(index, &path);
        citations.add_path(index, &path);
        if keep {
            kept.push(path);
        }
    }
    Prepared { summary: summary.finish(source), citations, kept }
}

/// One line saying what was found.
fn header_line(index: &Index, source: &dyn PathSource) -> String {
    let (from, to) = (name(index, source.from()), name(index, source.to()));
    let n = source.len();
    if n == 0 && source.truncated() {
        return format!(
            "{from} → {to}: no path shown within {} hops (truncated: --limit is 0 or the search budget ran out)",
            source.max_hops()
        );
    }
    if n == 0 {
        return format!("No path from {from} to {to} within {} hops", source.max_hops());
    }
    let mut line = format!("{from} → {to}: {} within {} hops", count(n, "path", "paths"), source.max_hops());
    if source.truncated() {
        line.push_str(&format!(
            " (the best {n}; more exist — raise --limit or narrow with --via, --avoid, --max-hops)"
        ));
    }
    line
}

/// The verdict in one sentence: "Answer: Zinc increases Bone mineralization".
fn verdict_line(index: &Index, source: &dyn PathSource, s: &TraceSummary) -> String {
    let (from, to) = (name(index, source.from()), name(index, source.to()));
    let consistent = s.paths - s.crossing_context;
    match s.verdict {
        Verdict::Increases | Verdict::Decreases => {
            let sign = s.verdict.sign().unwrap_or(Sign::None);
            format!(
                "Answer: {from} {} {to} — {}, none the other way",
                net_verb(from, sign),
                count(s.agreeing, "context-consistent causal path", "context-consistent causal paths")
            )
        }
        Verdict::Mixed => format!(
            "Answer: mixed — context-consistent paths disagree on whether {from} {} or {} {to}",
            net_verb(from, Sign::Plus),
            super::words::agree(from, "decreases"),
        ),
        Verdict::Associated => format!(
            "Answer: associated — {from} {} {to} by associations only, no causal chain",
            net_verb(from, Sign::None)
        ),
        Verdict::None if s.paths == 0 => "Answer: none — no path".to_string(),
        Verdict::None if consistent == 0 => format!(
            "Answer: none — every path crosses between contexts, so none supports a net effect of {from} on {to}"
        ),
        Verdict::None => "Answer: none".to_string(),
    }
}

/// The summary's detail lines (after the verdict), shared by text and Markdown.
fn summary_details(index: &Index, source: &dyn PathSource, s: &TraceSummary) -> Vec<String> {
    let mut lines = Vec::new();
    let mut counts = format!(
        "paths: {}{} — {} increasing, {} decreasing, {} associative; {}; {} contested",
        s.paths,
        if s.truncated { " shown (more exist)" } else { "" },
        s.increasing,
        s.decreasing,
        s.associative,
        count(s.crossing_context, "crosses contexts", "cross contexts"),
        s.contested
    );
    if s.crossing_context > 0 {
        counts.push_str(" (paths crossing contexts are listed last and do not count towards the answer)");
    }
    lines.push(counts);
    let (from, to) = (name(index, source.from()), name(index, source.to()));
    lines.push(match &s.direct {
        Some(d) => {
            let ids: Vec<&str> = d.claims.iter().map(|&c| index.claim(c).id.as_str()).collect();
            let verb = net_verb(from, d.sign);
            format!(
                "direct claim: {from} {verb} {to}{} — best evidence: {} (claim {})",
                if d.contested { " (contested)" } else { "" },
                level_text(index, d.best_evidence),
                ids.join(", ")
            )
        }
        None => format!("direct claim: none (no claim links {from} to {to} itself)"),
    });
    if let Some((rank, weakest)) = s.strongest {
        lines.push(format!(
            "strongest chain: path {}, weakest link: {}",
            rank + 1,
            level_text(index, weakest)
        ));
    }
    let human = match (s.best_human_evidence, s.best_human_association) {
        (Some(l), _) => index.vocab.study_label(l).to_string(),
        (None, Some(l)) => format!("associations only ({})", index.vocab.study_label(l)),
        (None, None) => "none on these paths".to_string(),
    };
    lines.push(format!("human evidence: {human}"));
    lines.extend(conflicts_line(s));
    lines
}

/// The terminal report: the summary, then each path as a chain of hops with
/// numbered citations, conflicts (✗) and context crossings (⚠) marked, then
/// the numbered bibliography. Paths are expanded one at a time.
pub fn write_text(
    out: &mut dyn Write,
    index: &Index,
    source: &dyn PathSource,
    style: &IndependentStyle,
) -> io::Result<()> {
    let prepared = prepare(index, source);
    let (summary, citations) = (&prepared.summary, &prepared.citations);
    writeln!(out, "{}", header_line(index, source))?;
    if !source.is_empty() {
        writeln!(out, "{}", verdict_line(index, source, summary))?;
        for line in summary_details(index, source, summary) {
            writeln!(out, "  {line}")?;
        }
    }
    let mut shown = FirstShown::default();
    for i in 0..source.len() {
        let path = prepared.path(source, i);
        writeln!(out)?;
        let chain: Vec<&str> = path.entities().iter().map(|&e| name(index, e)).collect();
        writeln!(out, "{}. {}", i + 1, chain.join(" → "))?;
        writeln!(out, "   {}", text_net(index, source, &path))?;
        for hop in &path.hops {
            text_hop(out, index, citations, hop)?;
            for &c in &hop.conflicts {
                let line = match shown.earlier(hop, c, i + 1) {
                    Some(first) => format!("`{}`, as under path {first}", index.claim(c).id),
                    None => format!(
                        "{} {} (`{}`) — {}",
                        predicate_words(index, c),
                        citations.brackets(index, c),
                        index.claim(c).id,
                        conflict_context(index, hop, c)
                    ),
                };
                writeln!(out, "       ✗ conflicting claim: {line}")?;
            }
        }
        for change in &path.context_changes {
            writeln!(out, "   ⚠ {}", crossing_words(change))?;
        }
    }
    write_bibliography(out, index, citations, style)
}

/// "crosses tissues: osteoblast (hop 1) → vascular smooth muscle (hop 3)".
fn crossing_words(change: &ContextChange) -> String {
    format!(
        "crosses {}: {} (hop {}) → {} (hop {})",
        change.field.plural(),
        change.from.join(", "),
        change.from_hop + 1,
        change.to.join(", "),
        change.to_hop + 1
    )
}

/// The fields a path crosses: "tissues and species".
fn crossed_fields(path: &TracePath) -> String {
    let mut fields: Vec<String> = Vec::new();
    for c in &path.context_changes {
        let f = c.field.plural().to_string();
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    join_words(&fields)
}

fn text_net(index: &Index, source: &dyn PathSource, path: &TracePath) -> String {
    let (from, to) = (name(index, source.from()), name(index, source.to()));
    let net = if path.crosses_context() {
        let reads = format!("{from} {} {to}", net_verb(from, path.sign));
        format!("⚠ crosses {} — not a net effect: the chain reads \"{reads}\" but its hops are about different contexts", crossed_fields(path))
    } else {
        match path.sign {
            Sign::None => {
                format!("no net sign: associative path ({from} {} {to})", net_verb(from, path.sign))
            }
            s => format!("net effect {}: {from} {} {to}", sign_text(s), net_verb(from, s)),
        }
    };
    format!(
        "{net} · {} · weakest link: {} (hop {}) · {}",
        count(path.hops.len(), "hop", "hops"),
        level_text(index, path.weakest),
        path.weakest_hop() + 1,
        count(path.reference_count, "reference", "references")
    )
}

fn text_hop(out: &mut dyn Write, index: &Index, citations: &Citations, hop: &PathHop) -> io::Result<()> {
    let claims: Vec<String> = hop
        .claims
        .iter()
        .map(|&c| {
            let certainty =
                index.claim(c).certainty.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
            format!("{}{certainty} {}", predicate_words(index, c), citations.brackets(index, c))
        })
        .collect();
    let contested = if hop.contested { "   ⚠ CONTESTED" } else { "" };
    writeln!(
        out,
        "     {} —({}) {}→ {}{contested}",
        name(index, hop.subject),
        sign_text(hop.sign),
        claims.join("; "),
        name(index, hop.object)
    )
}

/// The numbered reference list under a text report, in `style`
/// ([`cite::list_style`] unless the reader asked for another).
pub fn write_bibliography(
    out: &mut dyn Write,
    index: &Index,
    citations: &Citations,
    style: &IndependentStyle,
) -> io::Result<()> {
    if citations.references().is_empty() {
        return Ok(());
    }
    writeln!(out, "\nReferences")?;
    let refs: Vec<&Reference> = citations.references().iter().map(|&r| index.reference(r)).collect();
    for (n, entry) in cite::entries_in(&refs, style, Markup::Text).iter().enumerate() {
        writeln!(out, "  [{}] {entry}", n + 1)?;
    }
    Ok(())
}

/// Escape the characters Markdown would read as formatting or raw HTML.
pub fn md(text: &str) -> String {
    crate::escape::markdown(text)
}

/// A cited report to paste into a document: the summary, a plain-words
/// sentence per path with footnote citations, then the bibliography in
/// `style` with DOI/PubMed links.
pub fn write_markdown(
    out: &mut dyn Write,
    index: &Index,
    source: &dyn PathSource,
    style: &IndependentStyle,
) -> io::Result<()> {
    let prepared = prepare(index, source);
    let (summary, citations) = (&prepared.summary, &prepared.citations);
    let (from, to) = (md(name(index, source.from())), md(name(index, source.to())));
    writeln!(out, "# How {from} {} {to}\n", super::words::agree(&from, "reaches"))?;
    if source.is_empty() {
        writeln!(out, "{}.", md(&header_line(index, source)))?;
    } else {
        writeln!(out, "**{}.**\n", md(&verdict_line(index, source, summary)))?;
        for line in summary_details(index, source, summary) {
            writeln!(out, "- {}", md(&line))?;
        }
        writeln!(
            out,
            "\n{}; context-consistent paths first, then shortest, then the best-supported.",
            md(&header_line(index, source))
        )?;
    }
    let mut shown = FirstShown::default();
    for i in 0..source.len() {
        let path = prepared.path(source, i);
        writeln!(out)?;
        let via: Vec<String> =
            path.entities()[1..path.hops.len()].iter().map(|&e| md(name(index, e))).collect();
        let route = match via.as_slice() {
            [] => "directly".to_string(),
            _ => format!("via {}", join_words(&via)),
        };
        let headline = if path.crosses_context() {
            format!("Not a net effect: {from} → {to} {route} crosses {}", crossed_fields(&path))
        } else {
            format!("{from} {} {to} {route}", net_verb(&from, path.sign))
        };
        let net = match path.sign {
            _ if path.crosses_context() => "crosses contexts, no net effect".to_string(),
            Sign::None => "associative path, no net sign".to_string(),
            s => format!("net effect {}", sign_text(s)),
        };
        writeln!(
            out,
            "{}. **{headline}.** {} *({net}; {}; weakest link: {}; {}.)*",
            i + 1,
            md_chain(index, citations, &path),
            count(path.hops.len(), "hop", "hops"),
            md(&level_text(index, path.weakest)),
            count(path.reference_count, "reference", "references")
        )?;
        for (h, c) in path.conflicts() {
            let hop = &path.hops[h];
            let ends = format!("{} → {}", md(name(index, hop.subject)), md(name(index, hop.object)));
            match shown.earlier(hop, c, i + 1) {
                Some(first) => writeln!(out, "   - ⚠ Conflicting claim on {ends}: as under path {first}.")?,
                None => writeln!(
                    out,
                    "   - ⚠ Conflicting claim on {ends}: {}{} — {}.",
                    predicate_words(index, c),
                    citations.footnotes(index, c),
                    md(&conflict_context(index, hop, c))
                )?,
            }
        }
        for change in &path.context_changes {
            writeln!(out, "   - ⚠ {}.", md(&crossing_words(change)))?;
        }
    }
    if !citations.references().is_empty() {
        writeln!(out, "\n## References\n")?;
        let refs: Vec<&Reference> = citations.references().iter().map(|&r| index.reference(r)).collect();
        for (n, (entry, r)) in cite::entries_in(&refs, style, Markup::Markdown).iter().zip(&refs).enumerate()
        {
            writeln!(out, "[^{}]: {entry}{}", n + 1, pubmed_link(r))?;
        }
    }
    Ok(())
}

/// "A, B and C".
fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `Zinc is a cofactor of[^1] alkaline phosphatase, which increases[^2] … .`
fn md_chain(index: &Index, citations: &Citations, path: &TracePath) -> String {
    let mut sentence = md(name(index, path.hops[0].subject));
    for (i, hop) in path.hops.iter().enumerate() {
        // Claims with the same wording share it: "increases[^1][^2]".
        let mut phrases: Vec<(String, String)> = Vec::new();
        for &c in &hop.claims {
            let words = predicate_words(index, c);
            let notes = citations.footnotes(index, c);
            match phrases.iter_mut().find(|(w, _)| *w == words) {
                Some((_, n)) => n.push_str(&notes),
                None => phrases.push((words, notes)),
            }
        }
        let verbs: Vec<String> = phrases.into_iter().map(|(w, n)| format!("{w}{n}")).collect();
        let contested = if hop.contested { " (contested)" } else { "" };
        let link = if i == 0 { " " } else { ", which " };
        sentence.push_str(&format!(
            "{link}{} {}{contested}",
            join_words(&verbs),
            md(name(index, hop.object))
        ));
    }
    sentence.push('.');
    sentence
}

/// " [PubMed 123](https://pubmed.ncbi.nlm.nih.gov/123/)": the entry names the
/// PMID, the link takes the reader to the record.
fn pubmed_link(reference: &Reference) -> String {
    match reference.pmid.as_deref().filter(|p| crate::model::valid_pmid(p)) {
        Some(pmid) => format!(" [PubMed {pmid}](https://pubmed.ncbi.nlm.nih.gov/{pmid}/)"),
        None => String::new(),
    }
}

fn sign_json(s: Sign) -> Value {
    match s {
        Sign::None => Value::Null,
        s => json!(sign_text(s)),
    }
}

fn claim_json(index: &Index, c: ClaimIx) -> Value {
    let claim = index.claim(c);
    json!({
        "id": claim.id,
        "predicate": claim.predicate,
        "sign": sign_json(super::hop::claim_sign(index, c)),
        "negated": claim.negated,
        "certainty": claim.certainty,
        "best_evidence": level_id(index, index.claim_facts(c).best),
        "references": index.claim_refs(c).iter().map(|&r| &index.reference(r).id).collect::<Vec<_>>(),
    })
}

fn path_json(index: &Index, path: &TracePath) -> Value {
    let id = |e: EntityIx| &index.entity(e).id;
    json!({
        "sign": sign_json(path.sign),
        "weakest_evidence": level_id(index, path.weakest),
        "hop_count": path.hops.len(),
        "reference_count": path.reference_count,
        "associative": path.is_associative(),
        "contested": path.contested,
        "entities": path.entities().into_iter().map(id).collect::<Vec<_>>(),
        "hops": path.hops.iter().map(|h| json!({
            "subject": id(h.subject),
            "object": id(h.object),
            "sign": sign_json(h.sign),
            "best_evidence": level_id(index, h.best_evidence),
            "contested": h.contested,
            "claims": h.claims.iter().map(|&c| claim_json(index, c)).collect::<Vec<_>>(),
            "conflicts": h.conflicts.iter().map(|&c| &index.claim(c).id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "weakest_link": {
            "hop": path.weakest_hop(),
            "level": level_id(index, path.weakest),
            "primary_study": primary(index, path.weakest),
        },
        "crosses_context": path.crosses_context(),
        "context_changes": path.context_changes.iter().map(|c| json!({
            "after_hop": c.after_hop,
            "from_hop": c.from_hop,
            "to_hop": c.to_hop,
            "at": id(c.at),
            "field": c.field.as_str(),
            "from": c.from,
            "to": c.to,
        })).collect::<Vec<_>>(),
        "conflicts": path.conflicts().map(|(h, c)| {
            let mut v = claim_json(index, c);
            v["hop"] = json!(h);
            v["context"] = json!(conflict_context(index, &path.hops[h], c));
            v
        }).collect::<Vec<_>>(),
    })
}

/// The summary as JSON (see [`TraceSummary`]).
pub fn summary_json(index: &Index, s: &TraceSummary) -> Value {
    let level = |l: Option<StudyLevel>| level_id(index, l);
    json!({
        "verdict": s.verdict.as_str(),
        "paths": s.paths,
        "truncated": s.truncated,
        "increasing": s.increasing,
        "decreasing": s.decreasing,
        "associative": s.associative,
        "crossing_context": s.crossing_context,
        "contested": s.contested,
        "direct": s.direct.as_ref().map(|d| json!({
            "sign": sign_json(d.sign),
            "best_evidence": level(d.best_evidence),
            "contested": d.contested,
            "claims": d.claims.iter().map(|&c| &index.claim(c).id).collect::<Vec<_>>(),
        })),
        "strongest": s.strongest.map(|(path, weakest)| json!({"path": path, "weakest_link": level(weakest)})),
        "best_human_evidence": level(s.best_human_evidence),
        "best_human_association": level(s.best_human_association),
        "conflicts": {"hops": s.conflict_hops, "disputed": s.conflicts_disputed, "explained_by_context": s.conflicts_explained},
    })
}

/// The stable JSON contract (fields may be added, never renamed):
/// `{from, to, max_hops, truncated, summary, paths: [{sign, weakest_evidence,
/// weakest_link, crosses_context, hops: [{subject, object, claims: [{id,
/// predicate, sign, references}]}], context_changes, conflicts}],
/// references}`; signs are `"+"`, `"-"` or null. Built whole: for many paths
/// use [`write_json`], which streams the same document.
pub fn to_json(index: &Index, source: &dyn PathSource) -> Value {
    let prepared = prepare(index, source);
    let (summary, citations) = (&prepared.summary, &prepared.citations);
    json!({
        "from": index.entity(source.from()).id,
        "to": index.entity(source.to()).id,
        "max_hops": source.max_hops(),
        "truncated": source.truncated(),
        "summary": summary_json(index, summary),
        "paths": (0..source.len()).map(|i| path_json(index, &prepared.path(source, i))).collect::<Vec<_>>(),
        "references": citations.references().iter().map(|&r| index.reference(r)).collect::<Vec<_>>(),
    })
}

/// [`to_json`] written as it goes: the summary and reference numbers are
/// gathered in a first pass over the paths, then each path is expanded,
/// written and dropped, so memory does not grow with the number of paths.
pub fn write_json(out: &mut dyn Write, index: &Index, source: &dyn PathSource) -> io::Result<()> {
    let prepared = prepare(index, source);
    let (summary, citations) = (&prepared.summary, &prepared.citations);
    let field = |v: &Value| -> io::Result<String> { Ok(indent(&serde_json::to_string_pretty(v)?)) };
    writeln!(out, "{{")?;
    writeln!(out, "  \"from\": {},", Value::from(index.entity(source.from()).id.as_str()))?;
    writeln!(out, "  \"to\": {},", Value::from(index.entity(source.to()).id.as_str()))?;
    writeln!(out, "  \"max_hops\": {},", source.max_hops())?;
    writeln!(out, "  \"truncated\": {},", source.truncated())?;
    writeln!(out, "  \"summary\": {},", field(&summary_json(index, summary))?)?;
    write!(out, "  \"paths\": [")?;
    for i in 0..source.len() {
        let sep = if i == 0 { "" } else { "," };
        write!(
            out,
            "{sep}\n    {}",
            indent(&indent(&serde_json::to_string_pretty(&path_json(index, &prepared.path(source, i)))?))
        )?;
    }
    writeln!(out, "{}],", if source.is_empty() { "" } else { "\n  " })?;
    let refs: Vec<&Reference> = citations.references().iter().map(|&r| index.reference(r)).collect();
    writeln!(out, "  \"references\": {}", field(&serde_json::to_value(refs)?)?)?;
    writeln!(out, "}}")
}

/// Indent every line but the first by two spaces (a nested pretty value).
fn indent(text: &str) -> String {
    text.replace('\n', "\n  ")
}
