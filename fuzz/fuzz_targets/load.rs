//! The loader as `check` runs it: parse (both the serde_json and the fast
//! sonic-rs path), check, place every finding and render it.
#![no_main]
use claimgraph::cli::diagnostics::Located;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let findings = claimgraph::load::parse(text).map_or_else(|f| f, |graph| claimgraph::check::check(&graph));
    let located = Located::new("fuzz.json", text, &findings);
    let _ = located.render(false);
    let _ = located.to_json();
    if let Some((graph, records)) = claimgraph::load::parse_fast_with_records(data) {
        let findings = claimgraph::check::check(&graph);
        let _ = Located::in_records("fuzz.json", data, &findings, &records).render(false);
    }
});
