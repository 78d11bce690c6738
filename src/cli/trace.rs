//! `claimgraph trace FROM TO`: how one entity reaches another, every hop cited.
//!
//! The filters are a reusable clap group ([`TraceFilters`]) so `export` can
//! offer the same flags; this file only resolves the endpoints, runs the
//! query and picks a report writer.

use super::{Format, Session};
use crate::model::Sign;
use crate::query::{self, report, QueryError, TraceOptions};
use clap::Args;
use miette::{miette, IntoDiagnostic, Result};
use std::io::Write;
use std::process::ExitCode;

/// Which paths to look for; flatten into any command that traces.
#[derive(Debug, Clone, Args)]
pub struct TraceFilters {
    /// Only paths through this entity (id, name or alias) or any entity of this
    /// kind (`kind:cell` when a name is both); repeat to require several
    #[arg(long, value_name = "ENTITY|KIND")]
    pub via: Vec<String>,
    /// No path through this entity or any entity of this kind; repeatable
    #[arg(long, value_name = "ENTITY|KIND")]
    pub avoid: Vec<String>,
    /// Only claims with this predicate carry hops; repeatable
    #[arg(long = "predicate", value_name = "PREDICATE")]
    pub predicates: Vec<String>,
    /// Only claims with evidence at least this strong: a study type of the
    /// graph (built in: meta_analysis > rct > human_observational > animal >
    /// in_vitro > structural > reference_value > review)
    #[arg(long, value_name = "STUDY")]
    pub min_evidence: Option<String>,
    /// Only paths with this net sign: + , - or none (associative paths)
    #[arg(long, value_name = "SIGN", value_parser = parse_sign, allow_hyphen_values = true)]
    pub sign: Option<Sign>,
    /// Only claims with evidence in this species (e.g. human, mouse)
    #[arg(long)]
    pub species: Option<String>,
    /// Ignore claims marked contested
    #[arg(long)]
    pub exclude_contested: bool,
    /// Longest path, in hops
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub max_hops: usize,
    /// Only paths that stay in one context: drop paths whose hops move between
    /// incompatible tissues, species or challenge conditions
    #[arg(long)]
    pub same_context: bool,
    /// Most paths to show (best first). Each kept path costs a few dozen bytes
    /// while the paths are ranked (a million: some hundreds of MB) and is
    /// expanded only when written; the search stops at a fixed work budget
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
}

impl From<&TraceFilters> for TraceOptions {
    fn from(f: &TraceFilters) -> TraceOptions {
        TraceOptions {
            max_hops: f.max_hops,
            limit: f.limit,
            via: f.via.clone(),
            avoid: f.avoid.clone(),
            predicates: f.predicates.clone(),
            min_evidence: f.min_evidence.clone(),
            sign: f.sign,
            species: f.species.clone(),
            exclude_contested: f.exclude_contested,
            same_context: f.same_context,
            ..TraceOptions::default()
        }
    }
}

fn parse_sign(s: &str) -> Result<Sign, String> {
    Sign::parse(s).ok_or_else(|| "expected +, - or none".to_string())
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Where paths start: an entity id, name or alias
    pub from: String,
    /// Where paths end: an entity id, name or alias
    pub to: String,
    #[command(flatten)]
    pub filters: TraceFilters,
    /// The reference list's style, as `cite --style` takes it (apa, vancouver,
    /// harvard, …), still numbered as the report cites [default: vancouver]
    #[arg(long, value_name = "STYLE")]
    pub style: Option<String>,
}

/// A query error as a diagnostic with its "did you mean …?".
pub fn diagnose(err: QueryError) -> miette::Report {
    match err.help() {
        Some(help) => miette!(help = help, "{err}"),
        None => miette!("{err}"),
    }
}

/// Why there is no path, in a sentence.
fn why_text(why: &query::why::Empty, max_hops: usize) -> String {
    use query::why::Empty;
    match why {
        Empty::Filtered { culprits, paths, more } => {
            let n = if *more { format!("more than {paths}") } else { paths.to_string() };
            let s = if *paths == 1 && !more { "" } else { "s" };
            match culprits.as_slice() {
                [] => format!(
                    "The filters together remove every path; without them there would be {n} path{s}."
                ),
                [one] => format!("{one} removes every path; without it there would be {n} path{s}."),
                many => format!(
                    "Each of {} alone removes every path; without filters there would be {n} path{s}.",
                    many.join(", ")
                ),
            }
        }
        Empty::TooFar { hops } => {
            format!("The shortest chain of claims takes {hops} hops; raise --max-hops (now {max_hops}) to {hops}.")
        }
        Empty::Unconnected => "No chain of claims leads from one to the other, in any number of hops.".into(),
    }
}

/// FROM and TO as entities; when both are wrong, both are reported (with
/// their suggestions), not just the first.
pub fn resolve_endpoints(
    index: &crate::index::Index,
    from: &str,
    to: &str,
) -> Result<(crate::index::EntityIx, crate::index::EntityIx)> {
    match (query::resolve_entity(index, "FROM", from), query::resolve_entity(index, "TO", to)) {
        (Ok(f), Ok(t)) => Ok((f, t)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(diagnose(e)),
        (Err(a), Err(b)) => {
            let help: Vec<String> = [("FROM", &a), ("TO", &b)]
                .iter()
                .filter_map(|(role, e)| Some(format!("{role}: {}", e.help()?)))
                .collect();
            let message = format!("{a}; {b}");
            Err(if help.is_empty() {
                miette!("{message}")
            } else {
                miette!(help = help.join("\n"), "{message}")
            })
        }
    }
}

pub fn run(args: &TraceArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("trace", Format::Text, &[Format::Text, Format::Markdown, Format::Json])?;
    let style = match (&args.style, format) {
        (Some(_), Format::Json) => {
            return Err(miette!(
                help = "the JSON report lists references as data; `claimgraph cite --trace FROM TO --style …` formats them",
                "--style applies to the text and Markdown reports"
            ))
        }
        (Some(name), _) => Some(super::cite::style(name)?),
        (None, _) => None,
    };
    let mut timing = super::Timing::from_env();
    crate::cite::warm_up();
    session.query(out, |index, out| {
        timing.lap("load");
        let (from, to) = resolve_endpoints(index, &args.from, &args.to)?;
        let run = query::trace_run(index, from, to, &TraceOptions::from(&args.filters)).map_err(diagnose)?;
        timing.lap("query");
        let style = style.as_ref().unwrap_or_else(|| crate::cite::list_style());
        match format {
            Format::Json => report::write_json(out, index, &run).into_diagnostic()?,
            Format::Markdown => report::write_markdown(out, index, &run, style).into_diagnostic()?,
            _ => report::write_text(out, index, &run, style).into_diagnostic()?,
        }
        if run.is_empty() && !run.truncated && format != Format::Json {
            let why = query::why::why_empty(index, from, to, &TraceOptions::from(&args.filters));
            writeln!(out, "{}", why_text(&why, args.filters.max_hops)).into_diagnostic()?;
        }
        timing.lap("output");
        Ok(ExitCode::SUCCESS)
    })
}
