//! `claimgraph export`: the graph, or part of it, as a Graphviz diagram, an
//! explorer page (`--format html`), a Mermaid flowchart, or data for other
//! tools (RDF nanopublications, GraphML, GEXF, Cytoscape JSON).

use super::trace::{diagnose, TraceFilters};
use super::{Format, Session};
use crate::export::render::{self, Image, RenderError};
use crate::export::{
    cytoscape, dot, edges, gexf, graphml, html, mermaid, rdf, Highlight, Labels, Selection, READABLE_EDGES,
};
use crate::index::{EntityIx, Index};
use crate::query::{self, TraceOptions, TraceResult};
use clap::{Args, ValueEnum};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write the diagram to FILE (replaced atomically) instead of stdout;
    /// for `--format neo4j|kgx`, the directory to write the files into
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Draw only the neighbourhood of ENTITY (id, name or alias)
    #[arg(long, value_name = "ENTITY", conflicts_with_all = ["reference", "trace"])]
    pub around: Option<String>,
    /// How many claims away from --around to reach
    #[arg(long, value_name = "N", default_value_t = 1, requires = "around")]
    pub depth: usize,
    /// Draw at most N entities besides --around, the best-supported (0: all)
    #[arg(long, value_name = "N", default_value_t = 50, requires = "around")]
    pub max_entities: usize,
    /// Draw only the claims that reference REF (a citation key) supports
    #[arg(long, value_name = "REF", conflicts_with = "trace")]
    pub reference: Option<String>,
    /// Draw only the paths `claimgraph trace FROM TO` finds (same filters),
    /// ranked by distance from FROM
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub trace: Option<Vec<String>>,
    /// Draw the paths from FROM to TO strong and everything else faded
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub highlight: Option<Vec<String>>,
    /// Cite evidence on edges by reference number (`[3,7]`) or by author and year
    #[arg(long, value_enum, default_value_t = LabelStyle::Numbers)]
    pub labels: LabelStyle,
    /// Filters for --trace and --highlight, as for `claimgraph trace`
    #[command(flatten)]
    pub filters: TraceFilters,
    /// With --format rdf: the IRI under which entities without an ontology
    /// xref, claims, nanopublications and claimgraph's own terms are named
    #[arg(long, value_name = "IRI", default_value = rdf::DEFAULT_BASE)]
    pub base: String,
}

/// `--labels`: how edge labels cite their evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LabelStyle {
    /// `activates [3,7]`, numbered as in the legend
    Numbers,
    /// `activates [Seo et al. 2010; Bae 2011]`
    AuthorYear,
}

impl From<LabelStyle> for Labels {
    fn from(style: LabelStyle) -> Labels {
        match style {
            LabelStyle::Numbers => Labels::Numbers,
            LabelStyle::AuthorYear => Labels::AuthorYear,
        }
    }
}

pub fn run(args: &ExportArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format(
        "export",
        Format::Dot,
        &[
            Format::Dot,
            Format::Svg,
            Format::Png,
            Format::Pdf,
            Format::Html,
            Format::Mermaid,
            Format::Rdf,
            Format::Graphml,
            Format::Gexf,
            Format::Cytoscape,
            Format::Neo4j,
            Format::Kgx,
        ],
    )?;
    if matches!(format, Format::Neo4j | Format::Kgx) && args.output.is_none() {
        return Err(miette!(
            help = "add `--output DIR`, e.g. `claimgraph export --format neo4j --output zinc-bone-neo4j`",
            "--format {} writes a directory of files: it needs --output DIR",
            format!("{format:?}").to_lowercase()
        ));
    }
    let base = rdf::Base::new(&args.base).map_err(|e| {
        miette!(
            help = "give an absolute IRI, such as https://example.org/my-graph/",
            "--base {:?}: {e}",
            args.base
        )
    })?;
    session.note_builtin();
    let image = match format {
        Format::Svg => Some(Image::Svg),
        Format::Png => Some(Image::Png),
        Format::Pdf => Some(Image::Pdf),
        _ => None,
    };
    if matches!(image, Some(Image::Png | Image::Pdf))
        && args.output.is_none()
        && std::io::stdout().is_terminal()
    {
        return Err(miette!(
            help = "add `--output diagram.png` or redirect: `claimgraph export --format png > diagram.png`",
            "refusing to write binary {} data to a terminal",
            format!("{format:?}").to_uppercase()
        ));
    }
    let mut loaded = session.load_checked()?;
    let source_name = loaded.name.clone();
    let index = loaded.index();
    let mut selection = select(args, &index)?;
    if let Some(ends) = &args.highlight {
        let result = paths(&index, ends, &args.filters)?;
        selection = selection.with_highlight(Highlight::trace(&index, &result));
    }
    if let (Format::Neo4j | Format::Kgx, Some(dir)) = (format, &args.output) {
        return write_directory(format, &index, &selection, dir);
    }
    if matches!(format, Format::Rdf | Format::Graphml | Format::Gexf | Format::Cytoscape | Format::Mermaid) {
        return export_data(format, args, &index, &selection, &base, out);
    }
    let edge_count = edges(&index, &selection).len();
    if format == Format::Html && edge_count > html::MAX_EDGES {
        return Err(miette!(
            help = "narrow it: `--around ENTITY --depth 1`, a smaller `--max-entities N`, \
                    `--reference REF` or `--trace FROM TO`",
            "the page would draw {edge_count} edges; above {} it takes long to open and the \
             drawing is a disc of ink",
            html::MAX_EDGES
        ));
    }
    warn_if_unreadable(edge_count);
    let options = dot::Options { labels: args.labels.into(), ..dot::Options::default() };
    let text = dot::to_string_with(&index, &selection, &options);
    let bytes = match image {
        None if format == Format::Html => {
            let page = html::page(&index, &selection, options.labels, &source_name).map_err(render_error)?;
            for w in &page.warnings {
                eprintln!("graphviz: {w}");
            }
            if page.force_layout {
                eprintln!(
                    "note: {edge_count} edges are too many for the layered layout (above {}): the page \
                     draws a force-directed overview (Graphviz sfdp); narrow the selection for the layered diagram",
                    html::LAYERED_EDGES
                );
            }
            page.html.into_bytes()
        }
        None => text.into_bytes(),
        Some(image) => {
            let rendered = render::render(&text, image, &loaded.name).map_err(render_error)?;
            for w in &rendered.warnings {
                eprintln!("graphviz: {w}");
            }
            rendered.bytes
        }
    };
    stream(args.output.as_deref(), out, |w| w.write_all(&bytes))
}

/// Mermaid and the formats other tools read: streamed, never held whole.
fn export_data(
    format: Format,
    args: &ExportArgs,
    index: &Index,
    selection: &Selection,
    base: &rdf::Base,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if format == Format::Mermaid {
        let count = edges(index, selection).len();
        if count > mermaid::MAX_EDGES {
            eprintln!(
                "warning: the flowchart has {count} edges; Mermaid (and GitHub) draw none above {}: \
                 narrow it with `--around ENTITY --depth 1`, `--reference REF` or `--trace FROM TO`",
                mermaid::MAX_EDGES
            );
        } else {
            warn_if_unreadable(count);
        }
    }
    stream(args.output.as_deref(), out, |out: &mut dyn Write| match format {
        Format::Rdf => rdf::write(index, selection, base, out),
        Format::Graphml => graphml::write(index, selection, out),
        Format::Gexf => gexf::write(index, selection, out),
        Format::Cytoscape => cytoscape::write(index, selection, out),
        _ => mermaid::write(index, selection, out),
    })
}

fn warn_if_unreadable(edge_count: usize) {
    if edge_count > READABLE_EDGES {
        eprintln!(
            "warning: the diagram has {edge_count} edges, too many to read; \
             narrow it with `--around ENTITY --depth 1` or `--reference REF`"
        );
    }
}

/// Write the export to `--output` (atomically, creating its directory) or
/// to `out`, through a buffer either way: a million claims stream out.
fn stream(
    output: Option<&Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<ExitCode> {
    match output {
        Some(path) => {
            // `--output exports/x.svg` from a fresh checkout: make `exports/`.
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("cannot create directory {}", dir.display()))?;
            }
            crate::save::write_atomic_with(path, write)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", path.display()))?
        }
        None => {
            let mut buffered = std::io::BufWriter::new(out);
            write(&mut buffered).and_then(|()| buffered.flush()).into_diagnostic()?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Formats that are a directory of files (Neo4j's import CSVs, KGX TSVs).
fn write_directory(format: Format, index: &Index, selection: &Selection, dir: &Path) -> Result<ExitCode> {
    let written = match format {
        Format::Neo4j => crate::export::neo4j::write_dir(index, selection, dir),
        _ => crate::export::kgx::write_dir(index, selection, dir),
    };
    written.into_diagnostic().wrap_err_with(|| format!("cannot write into {}", dir.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn select(args: &ExportArgs, index: &Index) -> Result<Selection> {
    if let Some(ends) = &args.trace {
        let result = paths(index, ends, &args.filters)?;
        return Ok(Selection::trace(index, &result));
    }
    if let Some(query) = &args.around {
        let center = resolve(index, query)?;
        let limit = if args.max_entities == 0 { usize::MAX } else { args.max_entities };
        let (selection, within) = Selection::around(index, center, args.depth, limit);
        let shown = selection.entities.len() - 1;
        if shown < within {
            eprintln!(
                "note: showing {shown} of {within} entities within {} of {}, the best supported \
                 (raise --max-entities)",
                plural(args.depth, "claim"),
                index.entity(center).name
            );
        }
        return Ok(selection);
    }
    if let Some(key) = &args.reference {
        let Some(r) = index.reference_ix(key) else {
            let keys = (0..index.reference_count() as u32).map(|r| index.reference(r).id.as_str());
            let help = crate::finding::did_you_mean(key, keys)
                .unwrap_or_else(|| "`claimgraph stats` and the graph file list the references".into());
            return Err(miette!(help = help, "no reference `{key}`"));
        };
        return Ok(Selection::reference(index, r));
    }
    Ok(Selection::whole(index))
}

/// Run the path query behind --trace and --highlight, telling the user when
/// it found nothing or stopped early.
fn paths(index: &Index, ends: &[String], filters: &TraceFilters) -> Result<TraceResult> {
    let [from, to] = ends else { unreachable!("clap takes exactly two values") };
    let (from, to) = super::trace::resolve_endpoints(index, from, to)?;
    let result = query::trace(index, from, to, &TraceOptions::from(filters)).map_err(diagnose)?;
    let (from_name, to_name) = (&index.entity(from).name, &index.entity(to).name);
    if result.paths.is_empty() {
        eprintln!(
            "warning: no path from {from_name} to {to_name} within {} hops with these filters",
            result.max_hops
        );
    } else if result.truncated {
        eprintln!(
            "note: drawing the best {} paths from {from_name} to {to_name}; more exist (raise --limit)",
            result.paths.len()
        );
    }
    Ok(result)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub(super) fn resolve(index: &Index, query: &str) -> Result<EntityIx> {
    index.resolve(query).map_err(|e| match e.help() {
        Some(help) => miette!(help = help, "{e}"),
        None => miette!("{e}"),
    })
}

fn render_error(e: RenderError) -> miette::Report {
    match e {
        RenderError::Missing => miette!(help = render::INSTALL_HINT, "{e}"),
        other => miette!("{other}"),
    }
}
