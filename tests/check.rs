//! `check`, `stats`, `show`, `schema` and the file format.

use crate::common::*;

#[test]
fn curated_graph_passes_check() {
    let (code, stdout, _) = run(&["check"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(" 0 errors"), "{stdout}");
}
