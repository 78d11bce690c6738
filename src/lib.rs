//! # claimgraph
//!
//! Citation-linked knowledge graphs: typed entities, signed claims between
//! them, and the evidence behind every claim. The library loads and checks a
//! graph file, indexes it for path queries, and exports diagrams; the
//! `claimgraph` binary is a thin command line over it.
//!
//! Dependencies point one way: `cli → export/query/cite → index → model`.
//! `model` knows no I/O; `check` and `query` return data and never print.
//!
//! ```
//! let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
//! assert!(!claimgraph::check::has_errors(&claimgraph::check::check(&graph)));
//! let index = claimgraph::index::Index::new(&graph);
//! let zinc = index.resolve("Zn").unwrap();
//! assert_eq!(index.entity(zinc).id, "zinc");
//! ```

pub mod check;
pub mod cite;
pub mod cli;
pub mod edit;
pub mod export;
pub mod finding;
pub mod generate;
pub mod import;
pub mod index;
pub mod load;
pub mod locate;
pub mod model;
pub mod query;
pub mod salvage;
pub mod save;
pub mod schema;
pub mod snapshot;
pub mod store;

/// The curated zinc → bone mineralization graph, embedded so the binary works
/// from any directory without a data file.
pub const DEFAULT_GRAPH: &str = include_str!("../graph/zinc-bone.json");

/// The name the embedded graph goes by in diagnostics.
pub const DEFAULT_GRAPH_NAME: &str = "graph/zinc-bone.json (embedded)";
