//! `claimgraph show ID`: one entity, claim or reference with everything around it.

use super::{Format, Session};
use crate::cite;
use crate::index::{ClaimIx, Index};
use crate::model::Claim;
use clap::Args;
use miette::{miette, IntoDiagnostic, Result};
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An entity (id, name or alias), a claim id or a reference key
    pub id: String,
}

enum Target {
    Entity(u32),
    Claim(ClaimIx),
    Reference(u32),
}

pub fn run(args: &ShowArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("show", Format::Text, &[Format::Text, Format::Json])?;
    crate::cite::warm_up();
    session.query(out, |index, out| {
        let target = find(index, &args.id)?;
        if format == Format::Json {
            super::write_json(out, &as_json(index, &target))?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut refs = Bibliography::default();
        match target {
            Target::Entity(e) => show_entity(out, index, e, &mut refs),
            Target::Claim(c) => show_claim(out, index, c, &mut refs),
            Target::Reference(r) => show_reference(out, index, r, &mut refs),
        }
        .and_then(|_| refs.write(out, index))
        .into_diagnostic()?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Claim ids and reference keys match exactly; entities also by name/alias.
fn find(index: &Index, query: &str) -> Result<Target> {
    if let Some(c) = index.claim_ix(query) {
        return Ok(Target::Claim(c));
    }
    if let Some(r) = index.reference_ix(query) {
        return Ok(Target::Reference(r));
    }
    match index.resolve(query) {
        Ok(e) => Ok(Target::Entity(e)),
        Err(err) => {
            let claims = (0..index.claim_count() as ClaimIx).map(|c| index.claim(c).id.as_str());
            let ids =
                claims.chain((0..index.reference_count() as u32).map(|r| index.reference(r).id.as_str()));
            let help = err.help().or_else(|| crate::finding::did_you_mean(query, ids)).unwrap_or_else(|| {
                "`claimgraph stats` summarises the graph; ids are listed in the graph file".into()
            });
            Err(miette!(help = help, "no entity, claim or reference `{query}`"))
        }
    }
}

/// Numbers references in order of first use, for `[1][2]` markers.
#[derive(Default)]
pub struct Bibliography {
    order: Vec<u32>,
}

impl Bibliography {
    /// "[1][3]" for a claim's references, numbering new ones.
    pub fn markers(&mut self, index: &Index, claim: ClaimIx) -> String {
        index
            .claim_refs(claim)
            .iter()
            .map(|&r| {
                let n = match self.order.iter().position(|&x| x == r) {
                    Some(p) => p + 1,
                    None => {
                        self.order.push(r);
                        self.order.len()
                    }
                };
                format!("[{n}]")
            })
            .collect()
    }

    pub fn write(&self, out: &mut dyn Write, index: &Index) -> io::Result<()> {
        if self.order.is_empty() {
            return Ok(());
        }
        writeln!(out, "\nReferences")?;
        let refs: Vec<&crate::model::Reference> = self.order.iter().map(|&r| index.reference(r)).collect();
        for (n, entry) in cite::list_entries(&refs, cite::Markup::Text).iter().enumerate() {
            writeln!(out, "  [{}] {entry}", n + 1)?;
        }
        Ok(())
    }
}

/// An entity's name by id, or the id when no entity has it.
fn name_of<'a>(index: &Index<'a>, id: &'a str) -> &'a str {
    index.entity_ix(id).map_or(id, |e| index.entity(e).name.as_str())
}

fn claim_line(index: &Index, c: ClaimIx, refs: &mut Bibliography) -> String {
    let claim = index.claim(c);
    let words = crate::query::report::predicate_words(index, c);
    let sign =
        index.predicate(c).map_or("(?)", |p| crate::query::words::sign_note(p.causal_sign(), claim.negated));
    let certainty = claim.certainty.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
    format!(
        "{} {words} {} {sign}{certainty} {}   ({})",
        name_of(index, &claim.subject),
        name_of(index, &claim.object),
        refs.markers(index, c),
        claim.id
    )
}

fn show_entity(out: &mut dyn Write, index: &Index, e: u32, refs: &mut Bibliography) -> io::Result<()> {
    let entity = index.entity(e);
    writeln!(out, "{} ({}) — {}", entity.name, entity.id, entity.kind)?;
    if let Some(group) = &entity.group {
        writeln!(out, "  group: {group}")?;
    }
    if !entity.aliases.is_empty() {
        writeln!(out, "  aliases: {}", entity.aliases.join(", "))?;
    }
    if !entity.xrefs.is_empty() {
        writeln!(out, "  xrefs: {}", entity.xrefs.join(", "))?;
    }
    if let Some(d) = &entity.description {
        writeln!(out, "  {d}")?;
    }
    for (title, claims) in [
        (
            "Outgoing claims",
            index.outgoing(e).flat_map(|(_, h)| h.claims.iter().copied()).collect::<Vec<_>>(),
        ),
        (
            "Incoming claims",
            index.incoming(e).flat_map(|(_, h)| h.claims.iter().copied()).collect::<Vec<_>>(),
        ),
    ] {
        let mut claims = claims;
        claims.sort_by_key(|&c| &index.claim(c).id);
        writeln!(out, "\n{title} ({})", claims.len())?;
        for c in claims {
            writeln!(out, "  {}", claim_line(index, c, refs))?;
        }
    }
    Ok(())
}

fn show_claim(out: &mut dyn Write, index: &Index, c: ClaimIx, refs: &mut Bibliography) -> io::Result<()> {
    let claim = index.claim(c);
    writeln!(out, "{}", claim_line(index, c, refs))?;
    if let Some(note) = &claim.note {
        writeln!(out, "  note: {note}")?;
    }
    writeln!(out, "\nEvidence ({})", claim.evidence.len())?;
    for e in &claim.evidence {
        let n = index.reference_ix(&e.reference).map(|r| {
            refs.order.iter().position(|&x| x == r).map_or(String::new(), |p| format!("[{}] ", p + 1))
        });
        let study = e.level(&index.vocab).map_or(e.study.as_str(), |l| index.vocab.study_label(l));
        let context: Vec<String> = [
            ("species", e.species.as_deref()),
            ("model", e.model.as_deref()),
            ("tissue", e.tissue.as_deref()),
            ("condition", e.condition.as_deref()),
            ("at", e.locator()),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
        .collect();
        writeln!(out, "  - {}{} — {study}; {}", n.unwrap_or_default(), e.reference, context.join("; "))?;
        if !e.summary.is_empty() {
            writeln!(out, "    {}", e.summary)?;
        }
        if let Some(q) = e.quote() {
            writeln!(out, "    “{q}”")?;
        }
    }
    let conflicts: Vec<&Claim> = index
        .outgoing(index.entity_ix(&claim.subject).unwrap_or(0))
        .filter(|(o, _)| index.entity(*o).id == claim.object)
        .flat_map(|(_, h)| h.claims.iter().map(|&x| index.claim(x)))
        .filter(|other| crate::check::disagree(claim, other, &index.vocab))
        .collect();
    for other in conflicts {
        let diff = crate::check::context_difference(claim, other);
        let context = match crate::check::contested_side([claim, other]) {
            Some(side) => format!(" ({})", crate::check::dispute_words(side, diff.as_deref())),
            None => diff.map(|d| format!(" (context-dependent: {d})")).unwrap_or_default(),
        };
        writeln!(out, "\n  ⚠ conflicts with `{}`{context}", other.id)?;
    }
    Ok(())
}

fn show_reference(out: &mut dyn Write, index: &Index, r: u32, refs: &mut Bibliography) -> io::Result<()> {
    let reference = index.reference(r);
    writeln!(out, "{} — {}", reference.id, cite::plain(reference))?;
    if let Some(link) = reference.link() {
        writeln!(out, "  {link}")?;
    }
    if let Some(note) = &reference.note {
        writeln!(out, "  note: {note}")?;
    }
    let citing = citing_claims(index, r);
    writeln!(out, "\nSupports {} claim(s)", citing.len())?;
    for c in citing {
        writeln!(out, "  {}", claim_line(index, c, refs))?;
    }
    Ok(())
}

/// The claims citing a reference, from the index's per-claim reference
/// lists (no claim is read).
fn citing_claims(index: &Index, reference: crate::index::RefIx) -> Vec<ClaimIx> {
    (0..index.claim_count() as ClaimIx).filter(|&c| index.claim_refs(c).contains(&reference)).collect()
}

fn as_json(index: &Index, target: &Target) -> serde_json::Value {
    let claims = |ixs: Vec<ClaimIx>| ixs.into_iter().map(|c| index.claim(c)).collect::<Vec<_>>();
    match *target {
        Target::Entity(e) => json!({
            "entity": index.entity(e),
            "outgoing": claims(index.outgoing(e).flat_map(|(_, h)| h.claims.iter().copied()).collect()),
            "incoming": claims(index.incoming(e).flat_map(|(_, h)| h.claims.iter().copied()).collect()),
        }),
        Target::Claim(c) => json!({
            "claim": index.claim(c),
            "references": index.claim_refs(c).iter().map(|&r| index.reference(r)).collect::<Vec<_>>(),
        }),
        Target::Reference(r) => json!({
            "reference": index.reference(r),
            "claims": citing_claims(index, r).into_iter().map(|c| &index.claim(c).id).collect::<Vec<_>>(),
        }),
    }
}
