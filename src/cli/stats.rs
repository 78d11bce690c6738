//! `claimgraph stats`: sizes and breakdowns.

use super::{Format, Session};
use miette::{IntoDiagnostic, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Serialize)]
struct Stats {
    entities: usize,
    claims: usize,
    references: usize,
    evidence: usize,
    by_kind: BTreeMap<String, usize>,
    by_predicate: BTreeMap<String, usize>,
    by_study: BTreeMap<String, usize>,
    by_certainty: BTreeMap<String, usize>,
}

pub fn run(session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("stats", Format::Text, &[Format::Text, Format::Json])?;
    session.note_builtin();
    let loaded = session.load_any()?;
    let g = &loaded.graph;
    let mut stats = Stats {
        entities: g.entities.len(),
        claims: g.claims.len(),
        references: g.references.len(),
        evidence: g.claims.iter().map(|c| c.evidence.len()).sum(),
        by_kind: BTreeMap::new(),
        by_predicate: BTreeMap::new(),
        by_study: BTreeMap::new(),
        by_certainty: BTreeMap::new(),
    };
    for e in &g.entities {
        *stats.by_kind.entry(e.kind.to_string()).or_default() += 1;
    }
    for c in &g.claims {
        *stats.by_predicate.entry(c.predicate.to_string()).or_default() += 1;
        let certainty = c.certainty.as_deref().unwrap_or("unspecified").to_string();
        *stats.by_certainty.entry(certainty).or_default() += 1;
        for e in &c.evidence {
            let study = if e.study.is_empty() { "unspecified".to_string() } else { e.study.to_string() };
            *stats.by_study.entry(study).or_default() += 1;
        }
    }
    if format == Format::Json {
        super::write_json(out, &stats)?;
    } else {
        write_text(out, &loaded.name, &stats).into_diagnostic()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut dyn Write, name: &str, s: &Stats) -> std::io::Result<()> {
    writeln!(out, "{name}")?;
    writeln!(
        out,
        "  {} entities, {} claims, {} references, {} evidence items",
        s.entities, s.claims, s.references, s.evidence
    )?;
    for (title, table) in [
        ("entities by kind", &s.by_kind),
        ("claims by predicate", &s.by_predicate),
        ("claims by certainty", &s.by_certainty),
        ("evidence by study", &s.by_study),
    ] {
        writeln!(out, "\n{title}:")?;
        let width = table.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        for (k, v) in table {
            writeln!(out, "  {k:<width$}  {v:>7}")?;
        }
    }
    Ok(())
}
