//! `claimgraph fmt`: rewrite the graph file in canonical form (sorted by id,
//! keys in model order), so later edits make small diffs.

use super::transact::{apply, finish, WriteArgs};
use super::Session;
use clap::Args;
use miette::Result;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct FmtArgs {
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &FmtArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let (edited, name) = apply(session, "fmt", args.write.dry_run, |_| Ok(()))?;
    finish(out, &name, &edited, args.write.dry_run)?;
    Ok(ExitCode::SUCCESS)
}
