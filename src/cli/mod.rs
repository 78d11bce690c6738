//! The command line: clap definitions, one file per subcommand, and the only
//! place that knows about stdout, default paths and exit codes.

mod add;
mod assess;
mod check;
mod cite;
pub mod diagnostics;
mod export;
mod fields;
mod fmt;
mod generate;
mod import;
mod init;
pub mod neighbors;
mod remove;
mod rename;
mod schema;
mod set;
mod show;
mod stats;
pub mod trace;
mod transact;

use crate::check::has_errors;
use crate::finding::Finding;
use crate::index::{Index, Tables};
use crate::model::Graph;
use crate::snapshot::{Compiled, SourceStamp};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use diagnostics::Located;
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Citation-linked knowledge graphs: trace how one thing leads to another,
/// every step backed by a citation.
#[derive(Debug, Parser)]
#[command(
    name = "claimgraph",
    version,
    about,
    max_term_width = 100,
    after_help = "Examples:\n  claimgraph trace zinc \"bone mineralization\"\n  claimgraph show zinc\n  \
                  claimgraph init notes.json --title \"Sailing stones\"\n\n\
                  `claimgraph COMMAND --help` shows each command's options and examples."
)]
pub struct Cli {
    /// Graph file to use [default: the curated zinc → bone graph built into the binary]
    #[arg(long, global = true, env = "CLAIMGRAPH_GRAPH", value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// Output format (each command accepts the ones that make sense for it)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Do not use or write the compiled snapshot of a large graph file
    #[arg(long, global = true, env = "CLAIMGRAPH_NO_CACHE",
          value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
    /// How long an edit waits for another writer's lock before giving up
    #[arg(
        long,
        global = true,
        env = "CLAIMGRAPH_LOCK_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = 30
    )]
    pub lock_timeout: u64,
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
    Rdf,
    Graphml,
    Gexf,
    Cytoscape,
    Mermaid,
    Neo4j,
    Kgx,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the graph: every error and warning, with file, line and column
    #[command(
        after_help = "Examples:\n  claimgraph --graph my-graph.json check\n  claimgraph --graph my-graph.json check --format json"
    )]
    Check(check::CheckArgs),
    /// Count entities, claims and references, by kind, predicate and study
    #[command(
        after_help = "Examples:\n  claimgraph --graph my-graph.json stats\n  claimgraph stats --format json"
    )]
    Stats,
    /// Show an entity (with its claims), a claim (with all evidence) or a reference
    #[command(
        after_help = "Examples:\n  claimgraph show zinc\n  claimgraph show zinc--cofactor_of--alp\n  claimgraph show seo2010 --format json"
    )]
    Show(show::ShowArgs),
    /// Print the JSON Schema of the graph file format
    #[command(after_help = "Examples:\n  claimgraph schema > claimgraph.schema.json")]
    Schema,
    /// Export the graph (or part of it): a diagram (DOT, SVG, PNG, PDF, Mermaid) or data
    /// for other tools (RDF nanopublications, GraphML, GEXF, Cytoscape JSON)
    #[command(
        after_help = "Examples:\n  claimgraph export --around alp --depth 1 > alp.dot\n  claimgraph export --trace zinc \"bone mineralization\" --format svg --output paths.svg\n  claimgraph --graph my-graph.json export --format html --output explorer.html"
    )]
    Export(export::ExportArgs),
    /// How does FROM reach TO? Every path up to --max-hops, ranked, each hop cited
    #[command(
        after_help = "Examples:\n  claimgraph trace zinc \"bone mineralization\"\n  claimgraph trace Zn ALP --format markdown --style apa > zinc-alp.md\n  claimgraph trace zinc \"bone mineralization\" --min-evidence animal --exclude-contested"
    )]
    Trace(trace::TraceArgs),
    /// Hold statements (SUBJECT | EFFECT | OBJECT per line) against the graph: a verdict each
    #[command(
        after_help = "Examples:\n  claimgraph assess article.statements\n  claimgraph assess article.statements --format json\n  claimgraph assess article.statements --format markdown --output factcheck.md"
    )]
    Assess(assess::AssessArgs),
    /// Entities around one entity, with the claims that connect them
    #[command(
        after_help = "Examples:\n  claimgraph neighbors alp\n  claimgraph neighbors zinc --depth 2 --direction out --format json"
    )]
    Neighbors(neighbors::NeighborsArgs),
    /// Everything an entity reaches, with hop count and net sign of the best path
    #[command(
        after_help = "Examples:\n  claimgraph downstream zinc\n  claimgraph downstream zinc --max-hops 3 --format json"
    )]
    Downstream(neighbors::ReachArgs),
    /// Everything that reaches an entity, with hop count and net sign of the best path
    #[command(
        after_help = "Examples:\n  claimgraph upstream \"bone mineralization\"\n  claimgraph upstream osteoclast --max-hops 2"
    )]
    Upstream(neighbors::ReachArgs),
    /// Create a graph file to edit: empty, or a copy of the built-in graph
    #[command(
        after_help = "Examples:\n  claimgraph init notes.json --title \"Sailing stones\" --description \"How rocks move on Racetrack Playa\"\n  claimgraph init zinc-copy.json --from-default"
    )]
    Init(init::InitArgs),
    /// Add an entity, reference, claim, evidence, or a kind, predicate or study type (needs --graph FILE)
    Add(add::AddArgs),
    /// Change a claim, evidence item, entity or reference, field by field
    Set(set::SetArgs),
    /// Remove an entity, claim or reference; refuses while it is used unless --cascade
    #[command(
        after_help = "Examples:\n  claimgraph --graph my-graph.json remove claim zinc--cofactor_of--alp\n  claimgraph --graph my-graph.json remove entity alp --cascade --dry-run"
    )]
    Remove(remove::RemoveArgs),
    /// Rename an entity, reference or claim, updating every use
    #[command(
        after_help = "Examples:\n  claimgraph --graph my-graph.json rename seo2010 seo2010_nrp\n  claimgraph --graph my-graph.json rename alp tnap --dry-run"
    )]
    Rename(rename::RenameArgs),
    /// Rewrite the graph file in canonical form (sorted, stable key order)
    #[command(
        after_help = "Examples:\n  claimgraph --graph my-graph.json fmt\n  claimgraph --graph my-graph.json fmt --dry-run"
    )]
    Fmt(fmt::FmtArgs),
    /// Import references from BibTeX, RIS, CSL-JSON, PubMed MEDLINE or PubMed XML
    #[command(
        after_help = "Examples:\n  claimgraph --graph my-graph.json import refs.bib --dry-run\n  claimgraph --graph my-graph.json import refs.bib --only Sankar_2014\n  claimgraph --graph my-graph.json import pubmed.txt --from medline --exclude 16403221"
    )]
    Import(import::ImportArgs),
    /// A formatted bibliography (APA, Vancouver, Harvard, …) as text, Markdown or HTML
    #[command(
        after_help = "Examples:\n  claimgraph cite --all --style vancouver\n  claimgraph cite --claim zinc--cofactor_of--alp --style apa --format markdown\n  claimgraph cite --trace zinc alp --max-hops 2 --format html"
    )]
    Cite(cite::CiteArgs),
    /// Write a synthetic graph of any size (for benchmarks)
    #[command(hide = true)]
    Generate(generate::GenerateArgs),
}

/// What every command gets: where the graph is and how to print.
pub struct Session {
    pub graph_path: Option<PathBuf>,
    pub format: Option<Format>,
    /// Whether stderr is a terminal (colour, progress bars).
    pub interactive: bool,
    /// Skip the compiled snapshot (`--no-cache`, `CLAIMGRAPH_NO_CACHE`).
    pub no_cache: bool,
    /// How long an edit waits for another writer's lock (`--lock-timeout`).
    pub lock_timeout: std::time::Duration,
}

/// Graph files smaller than this load in milliseconds: no snapshot for them.
const SNAPSHOT_MIN_BYTES: u64 = 1 << 20;
/// Files larger than this take over a second to load: show progress.
const PROGRESS_MIN_BYTES: u64 = 50 << 20;

/// A graph with the text it came from (kept for diagnostics).
pub struct Loaded {
    pub name: String,
    pub text: String,
    pub graph: Graph,
    /// The graph's index tables, when they were at hand (from a compiled
    /// snapshot, or worked out to write one): [`Loaded::index`] uses them
    /// instead of working them out again.
    pub tables: Option<Tables>,
}

impl Loaded {
    /// The graph's index (tables at hand are used once).
    pub fn index(&mut self) -> Index<'_> {
        match self.tables.take() {
            Some(tables) => Index::with_tables(&self.graph, tables),
            None => Index::new(&self.graph),
        }
    }
}

/// What a query command reads: a graph in memory, or a large file's
/// compiled snapshot, whose records are read only when a query touches them.
/// (One per process: the variants' sizes do not matter.)
#[allow(clippy::large_enum_variant)]
enum Queryable {
    Loaded(Loaded),
    Compiled(Compiled),
}

impl Queryable {
    fn index(&mut self) -> Index<'_> {
        match self {
            Queryable::Loaded(loaded) => loaded.index(),
            Queryable::Compiled(compiled) => Index::stored(compiled),
        }
    }

    fn damaged(&self) -> bool {
        matches!(self, Queryable::Compiled(compiled) if compiled.damaged())
    }
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

    /// Say on stderr that no graph file was given, for the commands where a
    /// user most likely meant their own (`check`, `stats`, `export`): with
    /// neither `--graph` nor `CLAIMGRAPH_GRAPH` they quietly work on the
    /// built-in graph. Dim on a terminal: a note, not a warning.
    pub fn note_builtin(&self) {
        if self.graph_path.is_some() {
            return;
        }
        let note =
            "using the built-in zinc → bone graph (pass --graph FILE or set CLAIMGRAPH_GRAPH for your own)";
        if self.interactive {
            eprintln!("\x1b[2m{note}\x1b[0m");
        } else {
            eprintln!("{note}");
        }
    }

    /// Read the graph text (the file, or the embedded default).
    pub fn read(&self) -> Result<(String, String)> {
        match &self.graph_path {
            None => Ok((crate::DEFAULT_GRAPH_NAME.to_string(), crate::DEFAULT_GRAPH.to_string())),
            Some(path) => {
                let text = crate::load::read_regular(path)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("cannot read graph file {}", path.display()))?;
                Ok((path.display().to_string(), text))
            }
        }
    }

    /// Parse a big graph file from a memory map, without reading it into
    /// memory first; `None` for small files, the embedded graph, or anything
    /// that fails (the caller then reads the text, which gives the
    /// diagnostics). The map is dropped on return: while the graph is used,
    /// the half-gigabyte text of a million claims should not stay resident.
    pub fn parse_big_file(&self) -> Option<(String, Graph, crate::load::Records)> {
        self.parse_big_file_mapped().map(|(name, graph, records, _map)| (name, graph, records))
    }

    /// [`Session::parse_big_file`], keeping the map: `check` places its
    /// findings in the very bytes it parsed. Mapping the file a second time
    /// read whatever a writer had renamed over it meanwhile, and offsets
    /// from one version split characters of the other (a panic).
    pub fn parse_big_file_mapped(&self) -> Option<(String, Graph, crate::load::Records, memmap2::Mmap)> {
        let (name, map) = self.map_big_file()?;
        let (graph, records) = crate::load::parse_fast_with_records(&map)?;
        Some((name, graph, records, map))
    }

    /// The graph file mapped into memory, with its name, when it is big.
    fn map_big_file(&self) -> Option<(String, memmap2::Mmap)> {
        let path = self.graph_path.as_ref()?;
        if std::fs::metadata(path).ok()?.len() < SNAPSHOT_MIN_BYTES {
            return None;
        }
        Some((path.display().to_string(), crate::load::map_file(path).ok()?))
    }

    /// Load and parse; on failure print every finding and return an error.
    /// The text is empty when a big file was parsed straight from disk.
    pub fn load(&self) -> Result<Loaded> {
        if let Some((name, graph, _)) = self.parse_big_file() {
            return Ok(Loaded { name, text: String::new(), graph, tables: None });
        }
        self.load_text()
    }

    /// Read and parse the text, which says where anything is wrong.
    fn load_text(&self) -> Result<Loaded> {
        let (name, text) = self.read()?;
        match crate::load::parse(&text) {
            Ok(graph) => Ok(Loaded { name, text, graph, tables: None }),
            Err(findings) => Err(self.refuse(&name, &text, &findings)),
        }
    }

    /// Load, parse and check; a graph with errors is refused (warnings pass).
    ///
    /// A large file is served from its compiled snapshot when one matches
    /// its contents (see [`crate::snapshot`]), and gets one written after a
    /// clean check. The returned text is empty then: once the graph is
    /// known to be free of errors, no diagnostics need it, and at a million
    /// claims it is half a gigabyte.
    pub fn load_checked(&self) -> Result<Loaded> {
        if let Some(compiled) = self.open_snapshot() {
            if let (Ok(graph), Ok(tables)) = (compiled.graph(), compiled.tables()) {
                let name = self.name();
                return Ok(Loaded { name, text: String::new(), graph, tables: Some(tables) });
            }
        }
        self.load_and_compile()
    }

    /// The graph as it is, errors and all (for `stats`), from a large
    /// file's compiled snapshot when one matches it.
    pub fn load_any(&self) -> Result<Loaded> {
        if let Some(compiled) = self.open_snapshot() {
            match compiled.graph() {
                Ok(graph) => {
                    return Ok(Loaded { name: self.name(), text: String::new(), graph, tables: None })
                }
                // A snapshot that matches the file was only ever written for a
                // graph without errors: load that and write the snapshot anew.
                Err(_) => return self.load_and_compile().or_else(|_| self.load()),
            }
        }
        self.load()
    }

    /// Run a read-only query over the graph and write what it prints. A
    /// large file's compiled snapshot is used as it is, reading only the
    /// records the query touches; the output is held back until the query
    /// is done, and if the snapshot turned out damaged meanwhile it is
    /// thrown away and the query answered again from the graph file.
    pub fn query(
        &self,
        out: &mut dyn Write,
        mut run: impl FnMut(&Index, &mut dyn Write) -> Result<ExitCode>,
    ) -> Result<ExitCode> {
        if let Some(compiled) = self.open_snapshot() {
            let mut graph = Queryable::Compiled(compiled);
            let mut held = Held::default();
            let code = run(&graph.index(), &mut held);
            if !graph.damaged() {
                held.copy_to(out).into_diagnostic()?;
                return forget_at_exit(code, graph);
            }
        }
        let mut graph = Queryable::Loaded(self.load_and_compile()?);
        let code = run(&graph.index(), out);
        forget_at_exit(code, graph)
    }

    /// The graph file's name as diagnostics show it.
    pub fn name(&self) -> String {
        self.graph_path.as_ref().map_or(crate::DEFAULT_GRAPH_NAME.to_string(), |p| p.display().to_string())
    }

    /// Load from the file (no snapshot read), check, and for a large file
    /// write a fresh snapshot.
    fn load_and_compile(&self) -> Result<Loaded> {
        let snapshot = self.snapshot_target();
        let progress = self.progress(snapshot.as_ref().map(|(_, meta, _)| meta.len()));
        progress.set_message("reading and parsing the graph");
        let (mut loaded, stamp) = self.load_stamped(snapshot.as_ref().map(|(_, meta, _)| meta))?;
        // Free the text before checking (the peak of a big load); the rare
        // graph with errors reads it again for its diagnostics.
        let text = std::mem::take(&mut loaded.text);
        let keep = if self.graph_path.is_none() { text } else { String::new() };
        let target = snapshot.as_ref().zip(stamp).map(|((_, _, cache), stamp)| (cache, stamp));
        progress.set_message(match target {
            Some(_) => "checking the graph and writing its snapshot",
            None => "checking the graph",
        });
        let (findings, compiled) = check_and_compile(&loaded.graph, target);
        if has_errors(&findings) {
            progress.finish_and_clear();
            if let Some((_, Some(tmp))) = &compiled {
                let _ = std::fs::remove_file(tmp);
            }
            let errors: Vec<Finding> = findings.into_iter().filter(Finding::is_error).collect();
            let text = if keep.is_empty() { self.read()?.1 } else { keep };
            return Err(self.refuse(&loaded.name, &text, &errors));
        }
        if let Some((tables, written)) = compiled {
            // A cache that cannot be written is no reason to fail the command.
            if let (Some(tmp), Some((_, _, cache))) = (written, &snapshot) {
                let _ = publish_snapshot(&tmp, cache);
            }
            loaded.tables = Some(tables);
        }
        progress.finish_and_clear();
        Ok(loaded)
    }

    /// [`Session::load`], and with the graph file's metadata `meta`, the
    /// stamp of the very bytes parsed, for its snapshot. A big file's is
    /// worked out from its map on a thread of its own while the parse runs
    /// (the parse leaves a core idle while it finds the records). Stamping
    /// a second map after the parse cost a tenth of a second, and stamped
    /// whatever a writer had renamed over the file meanwhile: the snapshot
    /// of the old graph would have passed for the new one's.
    fn load_stamped(&self, meta: Option<&std::fs::Metadata>) -> Result<(Loaded, Option<SourceStamp>)> {
        if let Some((name, map)) = meta.and_then(|_| self.map_big_file()) {
            let (parsed, stamp) = std::thread::scope(|s| {
                let stamp = s.spawn(|| SourceStamp::new(&map, meta));
                (crate::load::parse_fast_with_records(&map), stamp.join().ok())
            });
            if let Some((graph, _)) = parsed {
                return Ok((Loaded { name, text: String::new(), graph, tables: None }, stamp));
            }
        }
        // Not a big file, or one the fast parse refused: the text says why.
        let loaded = if meta.is_some() { self.load_text()? } else { self.load()? };
        let stamp = meta.map(|meta| SourceStamp::new(loaded.text.as_bytes(), Some(meta)));
        Ok((loaded, stamp))
    }

    /// The graph file, its metadata (read before its contents, so a change
    /// while we read makes the snapshot stale rather than wrong) and where
    /// its snapshot lives, when a snapshot is worth having.
    fn snapshot_target(&self) -> Option<(PathBuf, std::fs::Metadata, PathBuf)> {
        let path = self.graph_path.as_ref().filter(|_| !self.no_cache)?;
        let meta = std::fs::metadata(path).ok().filter(|m| m.len() >= SNAPSHOT_MIN_BYTES)?;
        Some((path.clone(), meta, crate::snapshot::cache_path(path)?))
    }

    /// The graph file's snapshot, if it is sound and made from the file's
    /// current contents; anything else means "rebuild it".
    fn open_snapshot(&self) -> Option<Compiled> {
        let (path, meta, cache) = self.snapshot_target()?;
        let compiled = Compiled::open(&cache).ok()?;
        let stamp = compiled.stamp();
        if !crate::snapshot::same_metadata(&stamp, &meta) {
            let now = source_stamp(&path, None)?;
            if (now.len, now.hash) != (stamp.len, stamp.hash) {
                return None;
            }
        }
        Some(compiled)
    }

    /// A spinner on stderr for work on `bytes` of input (default: the graph
    /// file's size) that takes seconds, only when a person is watching.
    /// `CLAIMGRAPH_PROGRESS_MIN_BYTES` lowers the size threshold (the tests
    /// use it to see the spinner on small files).
    pub(crate) fn progress(&self, bytes: Option<u64>) -> indicatif::ProgressBar {
        let min = std::env::var("CLAIMGRAPH_PROGRESS_MIN_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(PROGRESS_MIN_BYTES);
        let big = bytes.or_else(|| std::fs::metadata(self.graph_path.as_ref()?).ok().map(|m| m.len()));
        if !self.interactive || big.is_none_or(|b| b < min) {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }

    fn refuse(&self, name: &str, text: &str, findings: &[Finding]) -> miette::Report {
        let located = Located::new(name, text, findings);
        let errors = findings.iter().filter(|f| f.is_error()).count();
        diagnostics::refuse_with(
            self.json(),
            self.interactive,
            &located,
            format!("{name} cannot be used: {errors} error(s)"),
            "fix the errors above; `claimgraph check` lists everything",
        )
    }

    /// Whether output (and so errors) should be JSON.
    pub fn json(&self) -> bool {
        self.format == Some(Format::Json)
    }
}

/// The formats each command writes, as its `--help` lists them (the command
/// itself refuses the others through [`Session::format`]; a test checks the
/// two agree). Commands not listed write text, and take `--format json`
/// only to report errors as JSON.
const FORMATS: &[(&str, &[Format])] = {
    use Format::*;
    &[
        ("check", &[Text, Json]),
        ("stats", &[Text, Json]),
        ("show", &[Text, Json]),
        ("schema", &[Json]),
        ("export", &[Dot, Svg, Png, Pdf, Html, Mermaid, Rdf, Graphml, Gexf, Cytoscape, Neo4j, Kgx]),
        ("trace", &[Text, Markdown, Json]),
        ("assess", &[Text, Markdown, Json]),
        ("neighbors", &[Text, Json]),
        ("downstream", &[Text, Json]),
        ("upstream", &[Text, Json]),
        ("cite", &[Text, Markdown, Html]),
    ]
};

/// The formats command `name` writes, and whether it writes them as output
/// (else it prints text and `json` only makes its errors JSON).
pub fn formats_of(name: &str) -> (&'static [Format], bool) {
    FORMATS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or((&[Format::Text, Format::Json], false), |(_, f)| (f, true))
}

/// The command line with each subcommand's own `--format`, listing only
/// the formats it writes: the global flag would list all of them everywhere.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let (formats, output) = formats_of(&name);
        let help = if output {
            format!("Output format [default: {}]", format_name(formats[0]))
        } else {
            "`json` reports errors as JSON; the output itself is text".to_string()
        };
        cmd = cmd.mut_subcommand(&name, |sc| with_format(sc, formats, &help));
    }
    cmd
}

/// Give `cmd` (and, for a group like `add`, each of its subcommands) a
/// `--format` that accepts and lists `formats`.
fn with_format(cmd: clap::Command, formats: &'static [Format], help: &str) -> clap::Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    let mut cmd = cmd;
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sc| with_format(sc, formats, help));
    }
    let values: Vec<clap::builder::PossibleValue> =
        formats.iter().filter_map(|f| f.to_possible_value()).collect();
    let parser =
        clap::builder::TypedValueParser::map(clap::builder::PossibleValuesParser::new(values), |s| {
            Format::from_str(&s, true).expect("a listed format")
        });
    cmd.arg(
        clap::Arg::new("format")
            .long("format")
            .value_name("FORMAT")
            .value_parser(parser)
            .help(help.to_string()),
    )
}

fn format_name(format: Format) -> String {
    format.to_possible_value().map_or_else(String::new, |v| v.get_name().to_string())
}

/// The `--format` given after the subcommand, if any.
fn subcommand_format(matches: &clap::ArgMatches) -> Option<Format> {
    let (_, sub) = matches.subcommand()?;
    subcommand_format(sub).or_else(|| sub.try_get_one::<Format>("format").ok().flatten().copied())
}

/// Parse arguments, run the command, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let matches = command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.format = subcommand_format(&matches).or(cli.format);
    let session = Session {
        graph_path: cli.graph.clone(),
        format: cli.format,
        interactive: io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        no_cache: cli.no_cache,
        lock_timeout: std::time::Duration::from_secs(cli.lock_timeout),
    };
    let stdout = io::stdout();
    let mut out = PipeWatch { inner: io::BufWriter::new(stdout.lock()), closed: false };
    let result = if prints_for_people(&cli) {
        // Names and snippets come from the file: an ESC byte in one must
        // not reach the terminal as an escape sequence.
        let mut safe = crate::escape::TerminalSafe::new(&mut out);
        run(&cli.command, &session, &mut safe).and_then(|code| {
            safe.flush().into_diagnostic()?;
            Ok(code)
        })
    } else {
        run(&cli.command, &session, &mut out).and_then(|code| {
            out.flush().into_diagnostic()?;
            Ok(code)
        })
    };
    match result {
        Ok(code) => code,
        // `claimgraph trace … | head` closes our stdout early; that is not an error.
        Err(_) if out.closed => ExitCode::SUCCESS,
        // A pipe into a JSON tool gets a JSON error it can read.
        Err(report) if session.json() => {
            let _ = write_json(&mut out, &diagnostics::error_json(&report))
                .and_then(|()| out.flush().into_diagnostic());
            ExitCode::FAILURE
        }
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the command prints text for people (neutralised for terminals)
/// rather than data: exports (PNG, PDF), the schema and JSON pass through
/// untouched, and `check` neutralises its own snippets (it may colour them).
fn prints_for_people(cli: &Cli) -> bool {
    let data = matches!(
        cli.command,
        Command::Export(_) | Command::Schema | Command::Generate(_) | Command::Check(_)
    );
    !data && cli.format != Some(Format::Json)
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
        Command::Assess(args) => assess::run(args, session, out),
        Command::Neighbors(args) => neighbors::run_neighbors(args, session, out),
        Command::Downstream(args) => neighbors::run_reach(args, false, session, out),
        Command::Upstream(args) => neighbors::run_reach(args, true, session, out),
        Command::Init(args) => init::run(args, session, out),
        Command::Add(args) => add::run(args, session, out),
        Command::Set(args) => set::run(args, session, out),
        Command::Remove(args) => remove::run(args, session, out),
        Command::Rename(args) => rename::run(args, session, out),
        Command::Fmt(args) => fmt::run(args, session, out),
        Command::Import(args) => import::run(args, session, out),
        Command::Cite(args) => cite::run(args, session, out),
        Command::Generate(args) => generate::run(args, session, out),
    }
}

/// The stamp of a graph file, hashed through a memory map: reading a
/// half-gigabyte file into fresh memory just to hash it costs more than the
/// hash.
fn source_stamp(path: &Path, meta: Option<&std::fs::Metadata>) -> Option<SourceStamp> {
    let map = crate::load::map_file(path).ok()?;
    Some(SourceStamp::new(&map, meta))
}

/// The process ends right after a query: freeing a million-claim graph
/// record by record takes longer than the query, and the OS takes the
/// memory back at exit anyway.
fn forget_at_exit(code: Result<ExitCode>, graph: Queryable) -> Result<ExitCode> {
    std::mem::forget(graph);
    code
}

/// Check the graph and, for a snapshot `target`, build its index tables and
/// write its snapshot to a temporary file, at the same time: the check and
/// the snapshot are independent, and each takes a fair share of the first
/// command on a big file. The temporary file is renamed over the snapshot
/// ([`publish_snapshot`]) only once the check has found no error.
fn check_and_compile(
    graph: &Graph,
    target: Option<(&PathBuf, SourceStamp)>,
) -> (Vec<Finding>, Option<(Tables, Option<PathBuf>)>) {
    std::thread::scope(|s| {
        let checking = s.spawn(|| crate::check::check(graph));
        let compiled = target.map(|(cache, stamp)| {
            let tables = Tables::new(graph);
            let tmp = write_temporary(cache, |out| crate::snapshot::write(graph, &tables, &stamp, out)).ok();
            (tables, tmp)
        });
        let findings = checking.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (findings, compiled)
    })
}

/// Write a snapshot to a temporary file next to `cache`, to be renamed over
/// it, so a reader never sees half of one (a torn write would fail its
/// checksum anyway). Nothing is left behind on failure.
fn write_temporary(
    cache: &Path,
    write: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>,
) -> io::Result<PathBuf> {
    let dir = cache.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = cache.with_extension(format!("{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|file| {
        let mut out = io::BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(io::IntoInnerError::into_error).map(drop)
    });
    written.map(|()| tmp.clone()).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Rename a written snapshot over the old one (see [`write_temporary`]).
fn publish_snapshot(tmp: &Path, cache: &Path) -> io::Result<()> {
    std::fs::rename(tmp, cache).inspect_err(|_| {
        let _ = std::fs::remove_file(tmp);
    })
}

/// Write a value as pretty JSON plus a newline.
pub fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).into_diagnostic()?;
    writeln!(out).into_diagnostic()
}

/// Output held back until a query over a snapshot is known to be sound: in
/// memory up to [`Held::IN_MEMORY`], then in an unlinked temporary file, so
/// a huge answer (`trace --limit 1000000 --format json`) costs disk, not RAM.
struct Held {
    bytes: Vec<u8>,
    file: Option<io::BufWriter<std::fs::File>>,
    /// Bytes held in memory before spilling; `usize::MAX` once spilling failed.
    in_memory: usize,
}

impl Default for Held {
    fn default() -> Held {
        Held { bytes: Vec::new(), file: None, in_memory: Held::IN_MEMORY }
    }
}

impl Held {
    const IN_MEMORY: usize = 64 << 20;

    fn copy_to(mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.file.take() {
            None => out.write_all(&self.bytes),
            Some(file) => {
                use std::io::Seek;
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.seek(io::SeekFrom::Start(0))?;
                io::copy(&mut file, out).map(|_| ())
            }
        }
    }

    /// An unlinked temporary file holding what was held so far; `None` (keep
    /// holding in memory) when none can be made.
    fn spill(&mut self) -> Option<io::BufWriter<std::fs::File>> {
        let path = std::env::temp_dir().join(format!(".claimgraph-held-{}", std::process::id()));
        let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path).ok()?;
        // Unlinked at once: nothing is left behind, however the process ends.
        std::fs::remove_file(&path).ok()?;
        let mut file = io::BufWriter::new(file);
        file.write_all(&self.bytes).ok()?;
        self.bytes = Vec::new();
        Some(file)
    }
}

impl Write for Held {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.bytes.len() + buf.len() > self.in_memory {
            self.file = self.spill();
            if self.file.is_none() {
                self.in_memory = usize::MAX;
            }
        }
        match self.file.as_mut() {
            Some(file) => file.write(buf),
            None => {
                self.bytes.extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

/// Phase times on stderr when `CLAIMGRAPH_TIMING` is set: how the README's
/// "query alone" figures are measured without a profiler. Not a user feature.
pub(crate) struct Timing(Option<std::time::Instant>);

impl Timing {
    pub(crate) fn from_env() -> Timing {
        Timing(std::env::var_os("CLAIMGRAPH_TIMING").map(|_| std::time::Instant::now()))
    }

    pub(crate) fn lap(&mut self, phase: &str) {
        if let Some(start) = &mut self.0 {
            eprintln!("timing: {phase} {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
            *start = std::time::Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_output_spills_to_a_file_and_comes_back_whole() {
        let mut held = Held { in_memory: 10, ..Held::default() };
        let text: Vec<u8> = (0..10_000u32).flat_map(|i| i.to_le_bytes()).collect();
        for chunk in text.chunks(7) {
            held.write_all(chunk).unwrap();
        }
        assert!(held.file.is_some() && held.bytes.is_empty(), "spilled");
        let mut out = Vec::new();
        held.copy_to(&mut out).unwrap();
        assert_eq!(out, text);
    }
}
