//! `claimgraph check`: every problem in one run, each placed in the file.

use super::diagnostics::Located;
use super::{Format, Session, Timing};
use crate::finding::{Finding, Severity};
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
    session.note_builtin();
    let mut timing = Timing::from_env();
    let progress = session.progress(None);
    progress.set_message("reading and parsing the graph");
    let (name, text, findings) = findings(session, &mut timing, &progress)?;
    progress.set_message("placing the findings");
    let located = match &text {
        Text::Read(text) => Located::new(&name, text, &findings),
        Text::Mapped(map, records) => Located::in_records(&name, map, &findings, records),
    };
    progress.finish_and_clear();
    timing.lap("place");
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

/// The file's name, its text (as much as the findings need) and the findings.
///
/// A big file's text is as large as its graph: it is parsed from a memory
/// map that is gone again while the graph is checked, and mapped once more
/// only if a finding needs a place in it; then only the records the
/// findings point into are read (the parse said where each record is).
fn findings(
    session: &Session,
    timing: &mut Timing,
    progress: &indicatif::ProgressBar,
) -> Result<(String, Text, Vec<Finding>)> {
    let Some((name, graph, records)) = session.parse_big_file() else {
        let (name, text) = session.read()?;
        let findings = crate::load::parse(&text).map_or_else(
            |mut structural| {
                // Every problem in one run: check what loads as well.
                structural.extend(crate::salvage::check_what_loads(&text));
                structural
            },
            |graph| crate::check::check(&graph),
        );
        timing.lap("parse and check");
        return Ok((name, Text::Read(text), findings));
    };
    timing.lap("parse");
    progress.set_message("checking the graph");
    let findings = crate::check::check(&graph);
    timing.lap("check");
    // Freeing a million claims takes a noticeable fraction of a second; let
    // it happen while the findings are placed and rendered.
    std::thread::spawn(move || drop(graph));
    let text = match (&session.graph_path, findings.iter().any(|f| f.location.is_some())) {
        (Some(path), true) => match crate::load::map_file(path) {
            Ok(map) => Text::Mapped(map, records),
            Err(_) => Text::Read(session.read()?.1),
        },
        _ => Text::Read(String::new()),
    };
    Ok((name, text, findings))
}

/// The text findings are placed in: read into memory, or mapped (with
/// where its records are).
enum Text {
    Read(String),
    Mapped(memmap2::Mmap, crate::load::Records),
}
