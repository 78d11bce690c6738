//! `claimgraph generate` (hidden): write a synthetic graph for benchmarks.

use super::Session;
use crate::generate::{generate, Params, Shape};
use clap::Args;
use miette::{IntoDiagnostic, Result, WrapErr};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of claims
    #[arg(long, default_value_t = 100_000)]
    pub claims: usize,
    /// Number of entities
    #[arg(long, default_value_t = 20_000)]
    pub entities: usize,
    /// Number of references [default: one per 20 claims]
    #[arg(long)]
    pub references: Option<usize>,
    /// How endpoints are drawn: powerlaw (one hub in ~10% of claims, power-law
    /// tail), uniform, hub (20 hubs in ~64% of claims), layered (8 layers,
    /// claims go one layer on), smallworld (ring neighbours, 10% rewired)
    #[arg(long, default_value = "powerlaw", value_parser = ["powerlaw", "uniform", "hub", "layered", "smallworld"])]
    pub shape: String,
    /// Seed: the same seed gives the same file
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the graph
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn run(args: &GenerateArgs, _session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    if args.entities < 2 || args.claims == 0 {
        return Err(miette::miette!("a synthetic graph needs at least 2 entities and 1 claim"));
    }
    let shape = Shape::parse(&args.shape).expect("clap checked the shape");
    let mut params = Params::new(args.claims, args.entities, args.seed).with_shape(shape);
    if let Some(r) = args.references {
        params.references = r.max(1);
    }
    let graph = generate(params);
    let text = crate::save::to_string(&graph);
    crate::save::write_atomic(&args.output, text.as_bytes())
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot write {}", args.output.display()))?;
    writeln!(
        out,
        "wrote {}: {} entities, {} references, {} claims ({:.1} MB)",
        args.output.display(),
        graph.entities.len(),
        graph.references.len(),
        graph.claims.len(),
        text.len() as f64 / 1e6
    )
    .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}
