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
    let (name, text) = session.read()?;
    let findings = match crate::load::parse(&text) {
        Ok(graph) => crate::check::check(&graph),
        Err(findings) => findings,
    };
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
    let failing = |s: Severity| s == Severity::Error || (args.deny_warnings && s == Severity::Warning);
    Ok(if findings.iter().any(|f| failing(f.severity)) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
