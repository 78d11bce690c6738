//! What the fuzz targets share. Each libFuzzer target must be a binary of
//! its own, so the importer targets are one-line calls into this.

use claimgraph::import::{merge, parse, Source};

/// An importer as `claimgraph import` runs it: parse any bytes as `source`,
/// merge into an empty graph (rendering the report), and check the result.
pub fn import(data: &[u8], source: Source) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse(&text, source);
    let mut graph = claimgraph::model::Graph::default();
    let _ = merge(&mut graph, parsed).to_string();
    let _ = claimgraph::check::check(&graph);
}
