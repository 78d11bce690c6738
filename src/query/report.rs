//! Trace results as reports people and programs read: a terminal chain with
//! numbered citations, a Markdown report with footnotes, and the stable JSON
//! contract. Each writer takes any `io::Write`, so `cli`, `export` and `cite`
//! share them; none decides where the output goes.

use super::{PathHop, TracePath, TraceResult};
use crate::cite::{self, Markup};
use crate::index::{ClaimIx, EntityIx, Index, RefIx};
use crate::model::{Reference, Sign, StudyLevel};
use serde_json::{json, Value};
use std::io::{self, Write};

/// References numbered in order of first citation, for `[1]` and `[^1]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Citations {
    order: Vec<RefIx>,
}

impl Citations {
    /// Number every reference a trace cites: path by path, hop by hop, the
    /// carrying claims first and then the conflicting ones.
    pub fn for_trace(index: &Index, result: &TraceResult) -> Citations {
        let mut citations = Citations::default();
        for path in &result.paths {
            for hop in &path.hops {
                for &c in hop.claims.iter().chain(&hop.conflicts) {
                    for &r in index.claim_refs(c) {
                        citations.number(r);
                    }
                }
            }
        }
        citations
    }

    /// The 1-based number of a reference, numbering it if new.
    pub fn number(&mut self, r: RefIx) -> usize {
        match self.order.iter().position(|&x| x == r) {
            Some(p) => p + 1,
            None => {
                self.order.push(r);
                self.order.len()
            }
        }
    }

    /// The numbered references, in order.
    pub fn references(&self) -> &[RefIx] {
        &self.order
    }

    fn get(&self, r: RefIx) -> usize {
        self.order.iter().position(|&x| x == r).map_or(0, |p| p + 1)
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

/// "increases", "decreases" or "is linked to": the net effect in a sentence.
fn net_verb(s: Sign) -> &'static str {
    match s {
        Sign::Plus => "increases",
        Sign::Minus => "decreases",
        Sign::None => "is linked to",
    }
}

fn level_text<'i>(index: &'i Index, l: Option<StudyLevel>) -> &'i str {
    l.map_or("unknown", |l| index.vocab.study_label(l))
}

fn level_id<'i>(index: &'i Index, l: Option<StudyLevel>) -> Option<&'i str> {
    l.map(|l| index.vocab.study_id(l))
}

/// Why a conflicting claim may not be a contradiction.
fn conflict_context(index: &Index, hop: &PathHop, c: ClaimIx) -> String {
    match crate::check::context_difference(index.claim(hop.claims[0]), index.claim(c)) {
        Some(diff) => format!("context-dependent: {diff}"),
        None => "same context".to_string(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line saying what was found.
fn summary_line(index: &Index, result: &TraceResult) -> String {
    let (from, to) = (name(index, result.from), name(index, result.to));
    let n = result.paths.len();
    if n == 0 && result.truncated {
        return format!(
            "{from} → {to}: no path shown within {} hops (truncated: --limit is 0 or the search budget ran out)",
            result.max_hops
        );
    }
    if n == 0 {
        return format!("No path from {from} to {to} within {} hops", result.max_hops);
    }
    let mut line = format!("{from} → {to}: {} within {} hops", count(n, "path", "paths"), result.max_hops);
    if result.truncated {
        line.push_str(&format!(
            " (the best {n}; more exist — raise --limit or narrow with --via, --avoid, --max-hops)"
        ));
    }
    line
}

/// The terminal report: each path as a chain of hops with numbered
/// citations, conflicts (✗) and context changes (⚠) marked, then the
/// numbered bibliography.
pub fn write_text(out: &mut dyn Write, index: &Index, result: &TraceResult) -> io::Result<()> {
    let citations = Citations::for_trace(index, result);
    writeln!(out, "{}", summary_line(index, result))?;
    for (i, path) in result.paths.iter().enumerate() {
        writeln!(out)?;
        let chain: Vec<&str> = path.entities().iter().map(|&e| name(index, e)).collect();
        writeln!(out, "{}. {}", i + 1, chain.join(" → "))?;
        writeln!(out, "   {}", text_net(index, result, path))?;
        for hop in &path.hops {
            text_hop(out, index, &citations, hop)?;
        }
        for change in &path.context_changes {
            writeln!(
                out,
                "   ⚠ context changes at {}: {} {} → {}",
                name(index, change.at),
                change.field.as_str(),
                change.from.join(", "),
                change.to.join(", ")
            )?;
        }
    }
    write_bibliography(out, index, &citations)
}

fn text_net(index: &Index, result: &TraceResult, path: &TracePath) -> String {
    let (from, to) = (name(index, result.from), name(index, result.to));
    let net = match path.sign {
        Sign::None => format!("no net sign: associative path ({from} {} {to})", net_verb(path.sign)),
        s => format!("net effect {}: {from} {} {to}", sign_text(s), net_verb(s)),
    };
    format!(
        "{net} · {} · weakest evidence: {} · {}",
        count(path.hops.len(), "hop", "hops"),
        level_text(index, path.weakest),
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
    )?;
    for &c in &hop.conflicts {
        writeln!(
            out,
            "       ✗ conflicting claim: {} {} {} {} — `{}` ({})",
            name(index, hop.subject),
            predicate_words(index, c),
            name(index, hop.object),
            citations.brackets(index, c),
            index.claim(c).id,
            conflict_context(index, hop, c)
        )?;
    }
    Ok(())
}

/// The numbered reference list under a text report, in [`cite::LIST_STYLE`].
pub fn write_bibliography(out: &mut dyn Write, index: &Index, citations: &Citations) -> io::Result<()> {
    if citations.references().is_empty() {
        return Ok(());
    }
    writeln!(out, "\nReferences")?;
    let refs: Vec<&Reference> = citations.references().iter().map(|&r| index.reference(r)).collect();
    for (n, entry) in cite::list_entries(&refs, Markup::Text).iter().enumerate() {
        writeln!(out, "  [{}] {entry}", n + 1)?;
    }
    Ok(())
}

/// Escape the characters Markdown would read as formatting.
fn md(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\`*_[]<>#|".contains(ch) {
            s.push('\\');
        }
        s.push(ch);
    }
    s
}

/// A cited report to paste into a document: a plain-words sentence per path
/// with footnote citations, then the bibliography with DOI/PubMed links.
pub fn write_markdown(out: &mut dyn Write, index: &Index, result: &TraceResult) -> io::Result<()> {
    let citations = Citations::for_trace(index, result);
    let (from, to) = (md(name(index, result.from)), md(name(index, result.to)));
    writeln!(out, "# How {from} reaches {to}\n")?;
    if result.paths.is_empty() {
        writeln!(out, "{}.", md(&summary_line(index, result)))?;
    } else {
        writeln!(out, "{}; shortest first, then the best-supported.", md(&summary_line(index, result)))?;
    }
    for (i, path) in result.paths.iter().enumerate() {
        writeln!(out)?;
        let via: Vec<String> =
            path.entities()[1..path.hops.len()].iter().map(|&e| md(name(index, e))).collect();
        let headline = match via.as_slice() {
            [] => format!("{from} {} {to} directly", net_verb(path.sign)),
            _ => format!("{from} {} {to} via {}", net_verb(path.sign), join_words(&via)),
        };
        let net = match path.sign {
            Sign::None => "associative path, no net sign".to_string(),
            s => format!("net effect {}", sign_text(s)),
        };
        writeln!(
            out,
            "{}. **{headline}.** {} *({net}; {}; weakest evidence: {}; {}.)*",
            i + 1,
            md_chain(index, &citations, path),
            count(path.hops.len(), "hop", "hops"),
            level_text(index, path.weakest),
            count(path.reference_count, "reference", "references")
        )?;
        for (h, c) in path.conflicts() {
            let hop = &path.hops[h];
            writeln!(
                out,
                "   - ⚠ Conflicting claim: {} {} {}{} ({}).",
                md(name(index, hop.subject)),
                predicate_words(index, c),
                md(name(index, hop.object)),
                citations.footnotes(index, c),
                md(&conflict_context(index, hop, c))
            )?;
        }
        for change in &path.context_changes {
            writeln!(
                out,
                "   - ⚠ Context changes at {}: {} {} → {}.",
                md(name(index, change.at)),
                change.field.as_str(),
                md(&change.from.join(", ")),
                md(&change.to.join(", "))
            )?;
        }
    }
    if !citations.references().is_empty() {
        writeln!(out, "\n## References\n")?;
        let refs: Vec<&Reference> = citations.references().iter().map(|&r| index.reference(r)).collect();
        for (n, (entry, r)) in cite::list_entries(&refs, Markup::Markdown).iter().zip(&refs).enumerate() {
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
        "context_changes": path.context_changes.iter().map(|c| json!({
            "after_hop": c.after_hop,
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

/// The stable JSON contract (fields may be added, never renamed):
/// `{from, to, max_hops, truncated, paths: [{sign, weakest_evidence, hops:
/// [{subject, object, claims: [{id, predicate, sign, references}]}],
/// context_changes, conflicts}], references}`; signs are `"+"`, `"-"` or null.
pub fn to_json(index: &Index, result: &TraceResult) -> Value {
    let citations = Citations::for_trace(index, result);
    json!({
        "from": index.entity(result.from).id,
        "to": index.entity(result.to).id,
        "max_hops": result.max_hops,
        "truncated": result.truncated,
        "paths": result.paths.iter().map(|p| path_json(index, p)).collect::<Vec<_>>(),
        "references": citations.references().iter().map(|&r| index.reference(r)).collect::<Vec<_>>(),
    })
}
