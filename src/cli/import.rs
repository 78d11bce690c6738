//! `claimgraph import FILE [--from FORMAT]`: add references from a reference
//! manager's export.

use super::transact::{apply, finish, WriteArgs};
use super::Session;
use crate::import::{self, Source};
use clap::{Args, ValueEnum};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum From {
    Bibtex,
    Ris,
    CslJson,
    Medline,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A .bib, .ris, .json (CSL-JSON) or .nbib/.txt (MEDLINE) file
    pub file: PathBuf,
    /// The file's format [default: from its extension]
    #[arg(long)]
    pub from: Option<From>,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &ImportArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let source = match args.from {
        Some(From::Bibtex) => Source::Bibtex,
        Some(From::Ris) => Source::Ris,
        Some(From::CslJson) => Source::CslJson,
        Some(From::Medline) => Source::Medline,
        None => Source::from_path(&args.file).ok_or_else(|| {
            miette!(
                help = "say which with --from bibtex|ris|csl-json|medline",
                "cannot tell the format of {} from its extension",
                args.file.display()
            )
        })?,
    };
    let text = crate::load::read_regular(&args.file)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read {}", args.file.display()))?;
    let progress = session.progress(Some(text.len() as u64));
    progress.set_message(format!("parsing {}", args.file.display()));
    let parsed = import::parse(&text, source);
    progress.finish_and_clear();
    if parsed.entries.is_empty() && parsed.skipped.is_empty() {
        return Err(miette!(
            help = format!("is it really {}? choose another with --from", source.name()),
            "no {} records found in {}",
            source.name(),
            args.file.display()
        ));
    }
    let (edited, name) = apply(session, "import", args.write.dry_run, |g| Ok(import::merge(g, parsed)))?;
    writeln!(out, "{}", edited.value).into_diagnostic()?;
    finish(out, &name, &edited, args.write.dry_run)?;
    Ok(ExitCode::SUCCESS)
}
