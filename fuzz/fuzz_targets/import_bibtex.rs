//! The Bibtex importer: parse any bytes, merge into an empty graph, check it.
#![no_main]
use claimgraph::import::{merge, parse, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = parse(&text, Source::Bibtex);
    let mut graph = claimgraph::model::Graph::default();
    let _ = merge(&mut graph, parsed).to_string();
    let _ = claimgraph::check::check(&graph);
});
