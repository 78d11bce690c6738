//! `claimgraph cite`: a formatted bibliography of the whole graph, of some
//! claims, of everything said about an entity, or of the paths `trace`
//! finds, in a CSL style.

use super::trace::{diagnose, TraceFilters};
use super::{Format, Session};
use crate::cite::{self, Markup};
use crate::index::{ClaimIx, Index, RefIx};
use crate::query::{self, TraceOptions};
use clap::Args;
use hayagriva::citationberg::IndependentStyle;
use miette::{miette, IntoDiagnostic, Result};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["all", "claim", "entity", "trace"])))]
pub struct CiteArgs {
    /// Every reference in the graph
    #[arg(long)]
    pub all: bool,
    /// The references of these claims
    #[arg(long, num_args = 1.., value_name = "ID")]
    pub claim: Vec<String>,
    /// The references of every claim about this entity (id, name or alias)
    #[arg(long, value_name = "ENTITY")]
    pub entity: Option<String>,
    /// The references along every path `claimgraph trace FROM TO` finds
    /// (with the same filters)
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub trace: Vec<String>,
    /// apa, vancouver, harvard, chicago, nature, ama, ieee, or any CSL style
    /// name hayagriva bundles (e.g. elsevier-harvard)
    #[arg(long, default_value = "apa")]
    pub style: String,
    #[command(flatten, next_help_heading = "Trace filters (with --trace)")]
    pub filters: TraceFilters,
}

pub fn run(args: &CiteArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("cite", Format::Text, &[Format::Text, Format::Markdown, Format::Html])?;
    let style = style(&args.style)?;
    let mut loaded = session.load_checked()?;
    let index = loaded.index();
    let refs = select(args, &index)?;
    let refs: Vec<_> = refs.iter().map(|&r| index.reference(r)).collect();
    let markup = match format {
        Format::Markdown => Markup::Markdown,
        Format::Html => Markup::Html,
        _ => Markup::Text,
    };
    let entries = cite::bibliography(&refs, &style, markup);
    write(out, &entries, format).into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}

/// A CSL style by name, or an error with a "did you mean …?".
pub(super) fn style(name: &str) -> Result<IndependentStyle> {
    cite::style(name).map_err(|e| {
        let help = crate::finding::did_you_mean(name, cite::style_names())
            .unwrap_or_else(|| format!("try one of: {}", short_names()));
        miette!(help = help, "{e}")
    })
}

fn short_names() -> String {
    cite::STYLE_NAMES.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
}

/// The references to cite, in order of first use, without repeats.
fn select(args: &CiteArgs, index: &Index) -> Result<Vec<RefIx>> {
    if args.all {
        return Ok((0..index.reference_count() as RefIx).collect());
    }
    let mut claims: Vec<ClaimIx> = Vec::new();
    for id in &args.claim {
        let c = index.claim_ix(id).ok_or_else(|| {
            let help = crate::finding::did_you_mean(
                id,
                (0..index.claim_count() as u32).map(|c| index.claim(c).id.as_str()),
            );
            match help {
                Some(h) => miette!(help = h, "no claim `{id}`"),
                None => miette!("no claim `{id}`"),
            }
        })?;
        claims.push(c);
    }
    if let Some(query) = &args.entity {
        let e = index.resolve(query).map_err(|err| match err.help() {
            Some(h) => miette!(help = h, "{err}"),
            None => miette!("{err}"),
        })?;
        let mut about: Vec<ClaimIx> = index
            .outgoing(e)
            .chain(index.incoming(e))
            .flat_map(|(_, hop)| hop.claims.iter().copied())
            .collect();
        about.sort_by_key(|&c| &index.claim(c).id);
        claims.extend(about);
    }
    let mut refs: Vec<RefIx> = Vec::new();
    if let [from, to] = args.trace.as_slice() {
        refs.extend(trace_references(args, index, from, to)?);
    }
    for c in claims {
        for &r in index.claim_refs(c) {
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
    }
    Ok(refs)
}

/// The references `trace` would cite for these paths — those of the claims
/// carrying each hop and of the claims conflicting with it — in the order
/// (and so with the numbers) the trace gives them.
fn trace_references(args: &CiteArgs, index: &Index, from: &str, to: &str) -> Result<Vec<RefIx>> {
    let (from, to) = super::trace::resolve_endpoints(index, from, to)?;
    let result = query::trace(index, from, to, &TraceOptions::from(&args.filters)).map_err(diagnose)?;
    if result.paths.is_empty() {
        return Err(miette!(
            help = "`claimgraph trace` with the same arguments shows what the search saw; try a larger --max-hops",
            "no path from `{}` to `{}`: nothing to cite",
            index.entity(from).id,
            index.entity(to).id
        ));
    }
    Ok(query::report::Citations::for_trace(index, &result).references().to_vec())
}

fn write(out: &mut dyn Write, entries: &[cite::Formatted], format: Format) -> std::io::Result<()> {
    match format {
        Format::Html => {
            writeln!(out, "<div class=\"csl-bib-body\">")?;
            for e in entries {
                writeln!(
                    out,
                    "  <div class=\"csl-entry\" id=\"ref-{}\">{}</div>",
                    html_attr(&e.key),
                    e.text
                )?;
            }
            writeln!(out, "</div>")
        }
        Format::Markdown => {
            for (n, e) in entries.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                writeln!(out, "{}", e.text)?;
            }
            Ok(())
        }
        _ => entries.iter().try_for_each(|e| writeln!(out, "{}", e.text)),
    }
}

fn html_attr(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect()
}
