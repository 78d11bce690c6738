//! `claimgraph import FILE [--from FORMAT] [--only KEY…] [--exclude KEY…]`:
//! add references from a reference manager's export, all of them or some.

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
    PubmedXml,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A .bib, .ris, .json (CSL-JSON), .nbib/.txt (MEDLINE) or .xml (PubMed XML) file
    pub file: PathBuf,
    /// The file's format [default: from its extension]
    #[arg(long)]
    pub from: Option<From>,
    /// Import only these entries: the file's key, the key it would get
    /// (firstauthorYEAR), its DOI or its PMID; repeat or separate with commas
    #[arg(long, value_name = "KEY", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Import every entry but these (same keys as --only)
    #[arg(long, value_name = "KEY", value_delimiter = ',', conflicts_with = "only")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &ImportArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let source = match args.from {
        Some(From::Bibtex) => Source::Bibtex,
        Some(From::Ris) => Source::Ris,
        Some(From::CslJson) => Source::CslJson,
        Some(From::Medline) => Source::Medline,
        Some(From::PubmedXml) => Source::PubmedXml,
        None => Source::from_path(&args.file).ok_or_else(|| {
            miette!(
                help = "say which with --from bibtex|ris|csl-json|medline|pubmed-xml",
                "cannot tell the format of {} from its extension",
                args.file.display()
            )
        })?,
    };
    let text = std::fs::read_to_string(&args.file)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read {}", args.file.display()))?;
    let progress = session.progress(Some(text.len() as u64));
    progress.set_message(format!("parsing {}", args.file.display()));
    if let Some(format) = import::unsupported(&text) {
        return Err(miette!(
            help = format.help,
            "{} is {}, which claimgraph does not read",
            args.file.display(),
            format.name
        ));
    }
    let mut parsed = import::parse(&text, source);
    progress.finish_and_clear();
    if parsed.entries.is_empty() && parsed.skipped.is_empty() {
        return Err(miette!(
            help = format!("is it really {}? choose another with --from", source.name()),
            "no {} records found in {}",
            source.name(),
            args.file.display()
        ));
    }
    let selection = match (args.only.is_empty(), args.exclude.is_empty()) {
        (false, _) => Some((import::Select::Only, &args.only)),
        (_, false) => Some((import::Select::Exclude, &args.exclude)),
        _ => None,
    };
    if let Some((how, keys)) = selection {
        import::select(&mut parsed, how, keys).map_err(|e| {
            let help = e.help();
            miette!(help = help, "{e} in {}", args.file.display())
        })?;
    }
    let dry_run = args.write.dry_run;
    let (edited, name) = apply(session, "import", dry_run, |g| Ok(import::merge(g, parsed)))?;
    writeln!(out, "{}", edited.value.render(dry_run)).into_diagnostic()?;
    finish(out, &name, &edited, args.write.dry_run)?;
    Ok(ExitCode::SUCCESS)
}
