//! `export --format html` in a real browser: headless Chromium driven by
//! Selenium (`tests/browser/explorer.py`) opens the pages of the curated graph
//! and of the hostile fixture from file:// and clicks, searches, filters and
//! traces as a reader would.
//!
//! Needs Debian's `chromium` and `chromium-driver` and Python `selenium`
//! (`.ci/run` installs them) and FAILS with the install hint without them:
//! a browser test that skipped silently would pass on a machine that never
//! opened the page.

use crate::common::*;
use std::process::Command;

#[test]
fn the_explorer_works_in_headless_chromium() {
    let out = tempfile::tempdir().unwrap();
    let result = Command::new("python3")
        .arg(project("tests/browser/explorer.py"))
        .arg("check")
        .arg(env!("CARGO_BIN_EXE_claimgraph"))
        .arg(out.path())
        .env_remove("CLAIMGRAPH_GRAPH")
        .output()
        .expect("python3 runs (apt-get install python3)");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "browser checks failed (exit {:?}):\n{stdout}\n{stderr}",
        result.status.code()
    );
    assert!(stdout.contains("every browser check passed"), "{stdout}");
    for shot in ["curated.png", "curated-trace.png", "hostile.png"] {
        let bytes = std::fs::read(out.path().join(shot)).expect("a screenshot was taken");
        assert!(bytes.starts_with(b"\x89PNG"), "{shot} is a PNG");
    }
}
