//! The CslJson importer: parse any bytes, merge into an empty graph, check it.
#![no_main]
use claimgraph::import::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| claimgraph_fuzz::import(data, Source::CslJson));
