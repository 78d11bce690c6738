//! The loader as `check` runs it: parse (both the serde_json and the fast
//! outline + sonic-rs path, which must agree), check, place every finding
//! and render it.
#![no_main]
use claimgraph::cli::diagnostics::Located;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = claimgraph::load::parse(text);
    // The fast path must agree with serde_json: accepting more would skip
    // diagnostics, accepting less only costs time (a byte-order mark).
    let fast = claimgraph::load::parse_fast(data);
    if let Some(graph) = &fast {
        assert_eq!(parsed.as_ref().ok(), Some(graph), "the fast parse accepted what serde_json refuses");
    } else if parsed.is_ok() {
        assert!(text.starts_with('\u{feff}'), "the fast parse refused what serde_json accepts");
    }
    let findings = parsed.map_or_else(|f| f, |graph| claimgraph::check::check(&graph));
    let located = Located::new("fuzz.json", text, &findings);
    let _ = located.render(false);
    let _ = located.to_json();
    if let Some((graph, records)) = claimgraph::load::parse_fast_with_records(data) {
        let findings = claimgraph::check::check(&graph);
        let _ = Located::in_records("fuzz.json", data, &findings, &records).render(false);
    }
});
