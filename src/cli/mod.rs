//! The command line: clap definitions, one file per subcommand, and the only
//! place that knows about stdout, default paths and exit codes.

mod add;
mod check;
mod cite;
pub mod diagnostics;
mod export;
mod fmt;
mod import;
mod init;
pub mod neighbors;
mod remove;
mod rename;
mod schema;
mod show;
mod stats;
pub mod trace;
mod transact;

use crate::check::has_errors;
use crate::finding::Finding;
use crate::model::Graph;
use clap::{Parser, Subcommand, ValueEnum};
use diagnostics::Located;
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Citation-linked knowledge graphs: trace how one thing leads to another,
/// every step backed by a citation.
#[derive(Debug, Parser)]
#[command(name = "claimgraph", version, about, max_term_width = 100)]
pub struct Cli {
    /// Graph file to use [default: the curated zinc → bone graph built into the binary]
    #[arg(long, global = true, env = "CLAIMGRAPH_GRAPH", value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// Output format (each command accepts the ones that make sense for it)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Html,
    Dot,
    Svg,
    Png,
    Pdf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the graph: every error and warning, with file, line and column
    Check(check::CheckArgs),
    /// Count entities, claims and references, by kind, predicate and study
    Stats,
    /// Show an entity (with its claims), a claim (with all evidence) or a reference
    Show(show::ShowArgs),
    /// Print the JSON Schema of the graph file format
    Schema,
    /// Draw the graph (or part of it) as a Graphviz diagram: DOT, SVG, PNG or PDF
    Export(export::ExportArgs),
    /// How does FROM reach TO? Every path up to --max-hops, ranked, each hop cited
    Trace(trace::TraceArgs),
    /// Entities around one entity, with the claims that connect them
    Neighbors(neighbors::NeighborsArgs),
    /// Everything an entity reaches, with hop count and net sign of the best path
    Downstream(neighbors::ReachArgs),
    /// Everything that reaches an entity, with hop count and net sign of the best path
    Upstream(neighbors::ReachArgs),
    /// Create a graph file to edit: empty, or a copy of the built-in graph
    Init(init::InitArgs),
    /// Add an entity, reference, claim or evidence (needs --graph FILE)
    Add(add::AddArgs),
    /// Remove an entity, claim or reference; refuses while it is used unless --cascade
    Remove(remove::RemoveArgs),
    /// Rename an entity, reference or claim, updating every use
    Rename(rename::RenameArgs),
    /// Rewrite the graph file in canonical form (sorted, stable key order)
    Fmt(fmt::FmtArgs),
    /// Import references from BibTeX, RIS, CSL-JSON or PubMed MEDLINE
    Import(import::ImportArgs),
    /// A formatted bibliography (APA, Vancouver, Harvard, …) as text, Markdown or HTML
    Cite(cite::CiteArgs),
}

/// What every command gets: where the graph is and how to print.
pub struct Session {
    pub graph_path: Option<PathBuf>,
    pub format: Option<Format>,
    /// Whether stderr is a terminal (colour, progress bars).
    pub interactive: bool,
}

/// A graph with the text it came from (kept for diagnostics).
pub struct Loaded {
    pub name: String,
    pub text: String,
    pub graph: Graph,
}

impl Session {
    /// The output format, or `default`; refuses formats the command cannot write.
    pub fn format(&self, command: &str, default: Format, allowed: &[Format]) -> Result<Format> {
        let format = self.format.unwrap_or(default);
        if allowed.contains(&format) {
            return Ok(format);
        }
        let names: Vec<String> = allowed.iter().map(|f| format!("{f:?}").to_lowercase()).collect();
        Err(miette!(
            help = format!("`{command}` writes: {}", names.join(", ")),
            "`{command}` cannot write --format {}",
            format!("{format:?}").to_lowercase()
        ))
    }

    /// Read the graph text (the file, or the embedded default).
    pub fn read(&self) -> Result<(String, String)> {
        match &self.graph_path {
            None => Ok((crate::DEFAULT_GRAPH_NAME.to_string(), crate::DEFAULT_GRAPH.to_string())),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("cannot read graph file {}", path.display()))?;
                Ok((path.display().to_string(), text))
            }
        }
    }

    /// Load and parse; on failure print every finding and return an error.
    pub fn load(&self) -> Result<Loaded> {
        let (name, text) = self.read()?;
        match crate::load::parse(&text) {
            Ok(graph) => Ok(Loaded { name, text, graph }),
            Err(findings) => Err(self.refuse(&name, &text, &findings)),
        }
    }

    /// Load, parse and check; a graph with errors is refused (warnings pass).
    pub fn load_checked(&self) -> Result<Loaded> {
        let loaded = self.load()?;
        let findings = crate::check::check(&loaded.graph);
        if has_errors(&findings) {
            let errors: Vec<Finding> = findings.into_iter().filter(Finding::is_error).collect();
            return Err(self.refuse(&loaded.name, &loaded.text, &errors));
        }
        Ok(loaded)
    }

    fn refuse(&self, name: &str, text: &str, findings: &[Finding]) -> miette::Report {
        let located = Located::new(name, text, findings);
        eprint!("{}", located.render(self.interactive));
        miette!(
            help = "fix the errors above; `claimgraph check` lists everything",
            "{} cannot be used: {} error(s)",
            name,
            findings.iter().filter(|f| f.is_error()).count()
        )
    }
}

/// Parse arguments, run the command, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let session = Session {
        graph_path: cli.graph.clone(),
        format: cli.format,
        interactive: io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = io::stdout();
    let mut out = PipeWatch { inner: io::BufWriter::new(stdout.lock()), closed: false };
    let result = run(&cli.command, &session, &mut out).and_then(|code| {
        out.flush().into_diagnostic()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        // `claimgraph trace … | head` closes our stdout early; that is not an error.
        Err(_) if out.closed => ExitCode::SUCCESS,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::FAILURE
        }
    }
}

/// A writer that remembers whether the reader went away (broken pipe), since
/// the io::Error itself is buried once it has become a diagnostic.
struct PipeWatch<W: Write> {
    inner: W,
    closed: bool,
}

impl<W: Write> PipeWatch<W> {
    fn watch<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            self.closed |= e.kind() == io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}

/// Run one command, writing its normal output to `out`.
pub fn run(command: &Command, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    match command {
        Command::Check(args) => check::run(args, session, out),
        Command::Stats => stats::run(session, out),
        Command::Show(args) => show::run(args, session, out),
        Command::Schema => schema::run(out),
        Command::Export(args) => export::run(args, session, out),
        Command::Trace(args) => trace::run(args, session, out),
        Command::Neighbors(args) => neighbors::run_neighbors(args, session, out),
        Command::Downstream(args) => neighbors::run_reach(args, false, session, out),
        Command::Upstream(args) => neighbors::run_reach(args, true, session, out),
        Command::Init(args) => init::run(args, session, out),
        Command::Add(args) => add::run(args, session, out),
        Command::Remove(args) => remove::run(args, session, out),
        Command::Rename(args) => rename::run(args, session, out),
        Command::Fmt(args) => fmt::run(args, session, out),
        Command::Import(args) => import::run(args, session, out),
        Command::Cite(args) => cite::run(args, session, out),
    }
}

/// Write a value as pretty JSON plus a newline.
pub fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).into_diagnostic()?;
    writeln!(out).into_diagnostic()
}
