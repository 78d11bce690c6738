//! `claimgraph init FILE [--from-default] [--title T] [--description D]`:
//! start an editable graph file.

use super::transact::{explain, WriteArgs};
use super::Session;
use crate::model::Graph;
use clap::Args;
use miette::{IntoDiagnostic, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new graph file (must not exist yet)
    pub file: PathBuf,
    /// Start from a copy of the curated graph built into the binary
    #[arg(long)]
    pub from_default: bool,
    /// The graph's title ("Sailing stones of Racetrack Playa")
    #[arg(long)]
    pub title: Option<String>,
    /// What the graph is about, in a sentence or two
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &InitArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let mut graph = if args.from_default {
        crate::load::parse(crate::DEFAULT_GRAPH).expect("the embedded graph parses")
    } else {
        Graph::default()
    };
    if let Some(title) = &args.title {
        graph.title = title.clone();
    }
    if let Some(description) = &args.description {
        graph.description = description.clone();
    }
    let name = args.file.display().to_string();
    crate::store::create(&args.file, &graph, args.write.dry_run).map_err(|e| explain(session, &name, e))?;
    let what = if args.from_default {
        format!(
            "a copy of the curated graph ({} entities, {} references, {} claims)",
            graph.entities.len(),
            graph.references.len(),
            graph.claims.len()
        )
    } else {
        "an empty graph".to_string()
    };
    let verb = if args.write.dry_run { "dry run: would create" } else { "created" };
    writeln!(out, "{verb} {name}: {what}").into_diagnostic()?;
    writeln!(out, "edit it with `claimgraph --graph {name} add …`, or set CLAIMGRAPH_GRAPH={name}")
        .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}
