//! `claimgraph remove entity|claim|reference ID [--cascade]`.

use super::transact::{apply, report, WriteArgs};
use super::Session;
use crate::edit::{self, Item};
use clap::{Args, ValueEnum};
use miette::Result;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum What {
    Entity,
    Claim,
    Reference,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    pub what: What,
    pub id: String,
    /// Also remove what uses it: an entity's claims; a reference's evidence
    /// (and claims left without evidence)
    #[arg(long)]
    pub cascade: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &RemoveArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let what = match args.what {
        What::Entity => Item::Entity,
        What::Claim => Item::Claim,
        What::Reference => Item::Reference,
    };
    let (edited, name) =
        apply(session, "remove", args.write.dry_run, |g| edit::remove(g, what, &args.id, args.cascade))?;
    report(out, &name, &edited, args.write.dry_run)?;
    Ok(ExitCode::SUCCESS)
}
