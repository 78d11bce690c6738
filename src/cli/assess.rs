//! `claimgraph assess FILE`: hold an article's statements against the graph,
//! one verdict per statement, as a table in text, a fact-check in Markdown
//! (with footnotes) or JSON.

use super::{Format, Session};
use crate::cite::{self, Markup};
use crate::index::{EntityIx, Index};
use crate::model::{Certainty, Reference, StudyLevel};
use crate::query::assess::{self, Assessment, Effect, StatementError};
use crate::query::report::{md, Citations};
use crate::query::TraceOptions;
use clap::Args;
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use serde_json::json;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Statements, one per line: `SUBJECT | EFFECT | OBJECT` (EFFECT: increases,
    /// decreases, associated, any); `#` starts a comment
    pub file: PathBuf,
    /// Longest path, in hops
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub max_hops: usize,
    /// Most paths weighed per statement (best first)
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Write the report to FILE (replaced atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &AssessArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("assess", Format::Text, &[Format::Text, Format::Markdown, Format::Json])?;
    let name = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read statements file {name}"))?;
    let (statements, bad_lines) = assess::parse_statements(&text);
    crate::cite::warm_up();
    let mut report = Vec::new();
    let code = session.query(&mut report, |index, out| {
        // Every bad line and every unknown name, in one run.
        let (resolved, mut errors) = match assess::resolve_statements(index, statements.clone()) {
            Ok(resolved) => (resolved, bad_lines.clone()),
            Err(unknown) => (Vec::new(), [bad_lines.clone(), unknown].concat()),
        };
        if !errors.is_empty() {
            errors.sort_by_key(StatementError::line);
            return Err(refuse(&name, &errors));
        }
        let opts = TraceOptions { max_hops: args.max_hops, limit: args.limit, ..TraceOptions::default() };
        let found = assess::assess_all(index, &resolved, &opts).map_err(super::trace::diagnose)?;
        match format {
            Format::Json => super::write_json(out, &to_json(index, &found))?,
            Format::Markdown => write_markdown(out, index, &name, &found).into_diagnostic()?,
            _ => write_text(out, index, &name, &found).into_diagnostic()?,
        }
        Ok(ExitCode::SUCCESS)
    })?;
    match &args.output {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("cannot create directory {}", dir.display()))?;
            }
            crate::save::write_atomic(path, &report)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", path.display()))?
        }
        None => out.write_all(&report).into_diagnostic()?,
    }
    Ok(code)
}

/// Every bad line on stderr, with its file and line, then one error.
fn refuse(name: &str, errors: &[StatementError]) -> miette::Report {
    let mut err = io::stderr().lock();
    for e in errors {
        let _ = writeln!(err, "error: {name}:{}: {e}", e.line());
        if let Some(help) = e.help() {
            let _ = writeln!(err, "  help: {help}");
        }
    }
    miette!(
        "{} in {name}; nothing was assessed",
        count(errors.len(), "bad statement line", "bad statement lines")
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn name<'g>(index: &Index<'g>, e: EntityIx) -> &'g str {
    &index.entity(e).name
}

/// "Zinc increases Bone mineralization".
fn statement_words(index: &Index, a: &Assessment) -> String {
    let verb = match a.statement.effect {
        Effect::Increases => "increases",
        Effect::Decreases => "decreases",
        Effect::Associated => "is associated with",
        Effect::Any => "is linked to",
    };
    let subject = name(index, a.subject);
    format!("{subject} {} {}", crate::query::words::agree(subject, verb), name(index, a.object))
}

fn level_words(index: &Index, l: Option<StudyLevel>) -> String {
    match l {
        None => "unknown".into(),
        Some(l) if !crate::query::summary::primary(index, Some(l)) => {
            format!("no primary study cited ({})", index.vocab.study_label(l))
        }
        Some(l) => index.vocab.study_label(l).into(),
    }
}

/// The best path as entity names, and its weakest link in words.
fn path_words(index: &Index, a: &Assessment) -> (String, String) {
    match &a.best_path {
        None => ("—".into(), "—".into()),
        Some(p) => {
            let chain: Vec<&str> = p.entities().iter().map(|&e| name(index, e)).collect();
            let link = format!("{} (hop {})", level_words(index, p.weakest), p.weakest_hop() + 1);
            (chain.join(" → "), link)
        }
    }
}

/// How many paths went each way, and conflicts on the best path.
fn counts(index: &Index, a: &Assessment) -> String {
    let mut s = format!(
        "paths: {} for, {} against, {} associative; {} (not counted)",
        a.for_paths,
        a.against_paths,
        a.associative_paths,
        count(a.crossing_paths, "crosses contexts", "cross contexts")
    );
    if let Some(p) = &a.best_path {
        let n = p.conflicts().count();
        if n > 0 {
            s.push_str(&format!(
                "; {} on the best path",
                count(n, "conflicting claim", "conflicting claims")
            ));
        }
        // A hop whose every carrying claim the curators rate tentative.
        let tentative = p
            .hops
            .iter()
            .filter(|h| h.claims.iter().all(|&c| index.claim(c).certainty() == Some(Certainty::Tentative)))
            .count();
        if tentative > 0 {
            s.push_str(&format!("; {} rated tentative", count(tentative, "hop", "hops")));
        }
    }
    s
}

fn tally(found: &[Assessment]) -> String {
    let verdicts = ["supported", "weak", "associative", "contested", "contradicted", "mixed", "absent"];
    verdicts
        .iter()
        .map(|v| format!("{} {v}", found.iter().filter(|a| a.verdict.as_str() == *v).count()))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn write_text(out: &mut dyn Write, index: &Index, file: &str, found: &[Assessment]) -> io::Result<()> {
    writeln!(out, "{file}: {} held against the graph", count(found.len(), "statement", "statements"))?;
    writeln!(out, "  {}", tally(found))?;
    for a in found {
        let (path, link) = path_words(index, a);
        writeln!(out, "\nline {}: {} — {}", a.statement.line, statement_words(index, a), a.verdict.as_str())?;
        writeln!(out, "  best path: {path} · weakest link: {link}")?;
        writeln!(out, "  {}", counts(index, a))?;
        let refs: Vec<&str> = a.references().iter().map(|&r| index.reference(r).id.as_str()).collect();
        if !refs.is_empty() {
            writeln!(out, "  references: {}", refs.join(", "))?;
        }
    }
    Ok(())
}

fn write_markdown(out: &mut dyn Write, index: &Index, file: &str, found: &[Assessment]) -> io::Result<()> {
    let mut citations = Citations::default();
    writeln!(out, "# Fact check: {}\n", md(file))?;
    writeln!(
        out,
        "Each statement held against the graph \"{}\": the best context-consistent path, its weakest link \
         and its citations. Paths that cross between tissues, species or challenge conditions support \
         nothing and are only counted.\n",
        md(index.title())
    )?;
    writeln!(out, "{}.\n", md(&tally(found)))?;
    writeln!(out, "| Line | Statement | Verdict | Best path | Weakest link | Paths |")?;
    writeln!(out, "|---:|---|---|---|---|---|")?;
    for a in found {
        let (path, link) = path_words(index, a);
        let notes: String = a.references().iter().map(|&r| format!("[^{}]", citations.number(r))).collect();
        writeln!(
            out,
            "| {} | {} | **{}** | {}{notes} | {} | {} |",
            a.statement.line,
            md(&statement_words(index, a)),
            a.verdict.as_str(),
            md(&path),
            md(&link),
            md(&counts(index, a))
        )?;
    }
    if !citations.references().is_empty() {
        writeln!(out, "\n## References\n")?;
        let refs: Vec<&Reference> = citations.references().iter().map(|&r| index.reference(r)).collect();
        for (n, entry) in cite::list_entries(&refs, Markup::Markdown).iter().enumerate() {
            writeln!(out, "[^{}]: {entry}", n + 1)?;
        }
    }
    Ok(())
}

/// `[{line, subject, effect, object, verdict, best_path, weakest_link, references, paths}]`.
fn to_json(index: &Index, found: &[Assessment]) -> serde_json::Value {
    let id = |e: EntityIx| index.entity(e).id.to_string();
    found
        .iter()
        .map(|a| {
            json!({
                "line": a.statement.line,
                "subject": id(a.subject),
                "effect": a.statement.effect.as_str(),
                "object": id(a.object),
                "verdict": a.verdict.as_str(),
                "best_path": a.best_path.as_ref().map(|p| p.entities().into_iter().map(id).collect::<Vec<_>>()),
                "weakest_link": a.best_path.as_ref().and_then(|p| p.weakest.map(|l| index.vocab.study_id(l))),
                "weakest_link_hop": a.best_path.as_ref().map(|p| p.weakest_hop()),
                "references": a.references().iter().map(|&r| &index.reference(r).id).collect::<Vec<_>>(),
                "paths": {
                    "for": a.for_paths,
                    "against": a.against_paths,
                    "associative": a.associative_paths,
                    "crossing_context": a.crossing_paths,
                },
            })
        })
        .collect()
}
