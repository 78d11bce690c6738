//! `claimgraph rename ID NEW_ID`: an entity, reference or claim, with every use.

use super::transact::{apply, report, WriteArgs};
use super::Session;
use clap::Args;
use miette::Result;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The current id of an entity, reference or claim
    pub id: String,
    pub new_id: String,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &RenameArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let (edited, name) =
        apply(session, "rename", args.write.dry_run, |g| crate::edit::rename(g, &args.id, &args.new_id))?;
    report(out, &name, &edited, args.write.dry_run)?;
    Ok(ExitCode::SUCCESS)
}
