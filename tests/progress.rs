//! Progress on a terminal: a spinner on stderr while a large graph loads, a
//! snapshot is written or an edit is applied; nothing when stderr is a file
//! or a pipe. `script` (util-linux) gives the command a real terminal.

use crate::common::{generate, output};
use std::path::Path;
use std::process::Command;

/// Run `claimgraph ARGS` on a pseudo-terminal with the spinner threshold at
/// zero bytes; what appeared on the terminal (stdout and stderr mixed).
fn on_a_terminal(cache: &Path, args: &str) -> String {
    let line = format!("'{}' {args}", env!("CARGO_BIN_EXE_claimgraph"));
    let (code, out, err) = output(
        Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env("XDG_CACHE_HOME", cache)
            .env("CLAIMGRAPH_PROGRESS_MIN_BYTES", "0")
            .env_remove("NO_COLOR")
            .env_remove("CLAIMGRAPH_NO_CACHE")
            .env_remove("CLAIMGRAPH_GRAPH")
            .output()
            .expect("`script` (util-linux) runs"),
    );
    assert_eq!(code, 0, "{out}{err}");
    out
}

#[test]
fn loading_a_large_graph_shows_a_spinner_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("big.json");
    generate(&graph, 4000, 800);
    let cache = dir.path().join("cache");
    let trace = format!("--graph '{}' trace e0000003 e0000005 --limit 2", graph.display());
    let shown = on_a_terminal(&cache, &trace);
    for step in ["reading and parsing the graph", "checking the graph", "writing its snapshot"] {
        assert!(shown.contains(step), "no `{step}` on the terminal:\n{shown}");
    }
    assert!(shown.contains("Tavrex 3 → Petrogen 5"), "{shown}");
    // With stderr redirected, the same command (from a fresh cache) shows none.
    let quiet_cache = dir.path().join("cache2");
    let err_file = dir.path().join("stderr.txt");
    let shown = on_a_terminal(&quiet_cache, &format!("{trace} 2> '{}'", err_file.display()));
    assert!(!shown.contains("checking the graph"), "{shown}");
    assert_eq!(std::fs::read_to_string(&err_file).unwrap(), "", "nothing on a redirected stderr");
}

#[test]
fn check_shows_a_spinner_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("big.json");
    generate(&graph, 4000, 800);
    let shown = on_a_terminal(&dir.path().join("cache"), &format!("--graph '{}' check", graph.display()));
    for step in ["reading and parsing the graph", "checking the graph", "placing the findings"] {
        assert!(shown.contains(step), "no `{step}` on the terminal:\n{shown}");
    }
}

#[test]
fn an_edit_shows_a_spinner_while_it_reads_checks_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("big.json");
    generate(&graph, 200, 50);
    let cache = dir.path().join("cache");
    let add = format!("--graph '{}' add entity e-new --name 'New thing' --kind nutrient", graph.display());
    let shown = on_a_terminal(&cache, &add);
    assert!(shown.contains("add entity: reading, checking and writing"), "{shown}");
}
