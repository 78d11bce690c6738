//! The diagnostics renderer on its own: any text, and findings pointing at
//! JSON pointers derived from the input (existing or not), rendered with
//! and without colour. Exercises placing (`locate`) and the source window.
#![no_main]
use claimgraph::cli::diagnostics::Located;
use claimgraph::finding::{Finding, Location};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first line is a list of pointers, the rest the document.
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once('\n').unwrap_or(("", &text));
    let findings: Vec<Finding> = head
        .split(' ')
        .take(8)
        .enumerate()
        .map(|(i, p)| {
            let location = if i % 2 == 0 { Location::value(p) } else { Location::key(p) };
            Finding::error("fuzz", format!("finding {i}")).at(location).with_id(p)
        })
        .collect();
    let located = Located::new("fuzz.json", body, &findings);
    let _ = located.render(false);
    let _ = located.render(true);
    let _ = located.to_json();
});
