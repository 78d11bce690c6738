//! What every editing command shares: finding the graph file (the embedded
//! graph is read-only), running the store's transaction, and telling the
//! user what changed — or, when refused, why, with the diagnostics.

use super::diagnostics::Located;
use super::Session;
use crate::store::{self, Edited, StoreError};
use clap::Args;
use miette::{miette, IntoDiagnostic, Result};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Show what would change without writing the file
    #[arg(long, global = true)]
    pub dry_run: bool,
}

/// The file to edit: `--graph` or `CLAIMGRAPH_GRAPH`, never the built-in graph.
pub fn graph_file<'s>(session: &'s Session, command: &str) -> Result<&'s Path> {
    session.graph_path.as_deref().ok_or_else(|| {
        miette!(
            help = "make an editable copy with `claimgraph init FILE --from-default` (or an empty \
                    graph with `claimgraph init FILE`), then pass `--graph FILE` or set CLAIMGRAPH_GRAPH",
            "`{command}` needs a graph file: the built-in graph is read-only"
        )
    })
}

/// Run `edit` as one transaction on the session's graph file.
pub fn apply<T>(
    session: &Session,
    command: &str,
    dry_run: bool,
    edit: impl FnOnce(&mut crate::model::Graph) -> Result<T, crate::edit::EditError>,
) -> Result<(Edited<T>, String)> {
    let path = graph_file(session, command)?;
    let name = path.display().to_string();
    let progress = session.progress(None);
    progress.set_message(format!("{command}: reading, checking and writing {name}"));
    let result = store::edit(path, dry_run, edit);
    progress.finish_and_clear();
    match result {
        Ok(edited) => Ok((edited, name)),
        Err(err) => Err(explain(session, &name, err)),
    }
}

/// Turn a store error into a report, printing file diagnostics first.
pub fn explain(session: &Session, name: &str, err: StoreError) -> miette::Report {
    match err {
        StoreError::Refused { text, findings } => {
            // The snippets show the graph as the edit would have left it, which
            // is not on disk: say so, or the line numbers mislead.
            let proposed = format!("{name} (as this edit would leave it; not written)");
            super::diagnostics::refuse_with(
                session.json(),
                session.interactive,
                &Located::new(&proposed, &text, &findings),
                format!(
                    "refused: the change would introduce {} error(s); {name} is unchanged",
                    findings.len()
                ),
                "fix the change (see the errors above) and run the command again",
            )
        }
        StoreError::Unreadable { text, findings, .. } => super::diagnostics::refuse_with(
            session.json(),
            session.interactive,
            &Located::new(name, &text, &findings),
            format!("{name} cannot be read as a graph; nothing was changed"),
            "`claimgraph check` lists every problem",
        ),
        StoreError::Edit(e) => {
            let help = e.help();
            match help {
                Some(help) => miette!(help = help, "{e}; {name} is unchanged"),
                None => miette!("{e}; {name} is unchanged"),
            }
        }
        other @ (StoreError::Io { .. } | StoreError::Exists { .. }) => {
            let source = std::error::Error::source(&other).map(|s| format!(": {s}")).unwrap_or_default();
            miette!("{other}{source}")
        }
    }
}

/// The closing line: written, not written (dry run), or nothing to do.
pub fn finish<T>(out: &mut dyn Write, name: &str, edited: &Edited<T>, dry_run: bool) -> Result<()> {
    if edited.before == edited.after {
        writeln!(out, "{name} unchanged").into_diagnostic()?;
    } else if dry_run {
        writeln!(out, "dry run: {name} not written").into_diagnostic()?;
    } else {
        writeln!(out, "wrote {name}").into_diagnostic()?;
    }
    if !edited.was_canonical && edited.before != edited.after {
        writeln!(
            out,
            "note: {name} was not in canonical form, so more lines changed than the edit itself; \
             later edits change only their own lines"
        )
        .into_diagnostic()?;
    }
    Ok(())
}

/// Print each change, then the closing line.
pub fn report(
    out: &mut dyn Write,
    name: &str,
    edited: &Edited<Vec<crate::edit::Change>>,
    dry_run: bool,
) -> Result<()> {
    for change in &edited.value {
        writeln!(out, "{change}").into_diagnostic()?;
    }
    finish(out, name, edited, dry_run)
}
