//! `claimgraph check`: every problem in one run, each placed in the file.

use super::diagnostics::Located;
use super::{Format, Session};
use crate::finding::Severity;
use clap::Args;
use miette::{IntoDiagnostic, Result};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail (exit 1) on warnings as well as errors
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: &CheckArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("check", Format::Text, &[Format::Text, Format::Json])?;
    // A big file's text is as large as its graph: parse it from disk, and
    // read the text only if a finding needs a place in it.
    let mut timing = super::Timing::from_env();
    let (name, mut text, parsed) = match session.parse_big_file() {
        Some((name, graph)) => (name, String::new(), Ok(graph)),
        None => {
            let (name, text) = session.read()?;
            let parsed = crate::load::parse(&text);
            (name, text, parsed)
        }
    };
    timing.lap("parse");
    let findings = match parsed {
        Ok(graph) => {
            let findings = crate::check::check(&graph);
            timing.lap("check");
            // Freeing a million claims takes a noticeable fraction of a
            // second; let it happen while the findings are rendered.
            std::thread::spawn(move || drop(graph));
            findings
        }
        Err(findings) => findings,
    };
    if text.is_empty() && findings.iter().any(|f| f.location.is_some()) {
        text = session.read()?.1;
    }
    timing.lap("read text");
    let located = Located::new(&name, &text, &findings);
    match format {
        Format::Json => super::write_json(out, &located.to_json())?,
        _ => {
            // Diagnostics go to stdout here: they are what the user asked for.
            write!(
                out,
                "{}",
                located.render(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            )
            .into_diagnostic()?;
            writeln!(out, "{}", located.summary()).into_diagnostic()?;
        }
    }
    timing.lap("report");
    let failing = |s: Severity| s == Severity::Error || (args.deny_warnings && s == Severity::Warning);
    Ok(if findings.iter().any(|f| failing(f.severity)) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
