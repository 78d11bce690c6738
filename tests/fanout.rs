//! Hubs: an entity in thousands of claims must not flood the terminal.

use crate::common::{claimgraph, generate, output};

fn generated(dir: &std::path::Path) -> std::path::PathBuf {
    let graph = dir.join("hub.json");
    generate(&graph, 4000, 800);
    graph
}

fn run_on(graph: &std::path::Path, args: &[&str]) -> String {
    let (code, out, err) = output(
        claimgraph().env("CLAIMGRAPH_NO_CACHE", "1").arg("--graph").arg(graph).args(args).output().unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    out
}

/// Entity lines of `neighbors` text ("  Name (id) — kind").
fn entity_lines(out: &str) -> usize {
    out.lines().filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.contains(") — ")).count()
}

#[test]
fn neighbors_of_a_hub_shows_fifty_and_says_how_many_more() {
    let dir = tempfile::tempdir().unwrap();
    let graph = generated(dir.path());
    let out = run_on(&graph, &["neighbors", "e0000000"]);
    let total: usize =
        out.lines().next().unwrap().split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(total > 100, "the hub has {total} neighbours");
    assert_eq!(entity_lines(&out), 50);
    assert!(out.contains(&format!("… showing 50 of {total} neighbours; --limit N shows more")), "{out}");
    let all = run_on(&graph, &["neighbors", "e0000000", "--limit", "0"]);
    assert_eq!(entity_lines(&all), total);
    assert!(!all.contains("… showing"));
}

#[test]
fn downstream_of_a_hub_is_bounded_too() {
    let dir = tempfile::tempdir().unwrap();
    let graph = generated(dir.path());
    let out = run_on(&graph, &["downstream", "e0000000", "--limit", "7"]);
    let rows =
        out.lines().filter(|l| l.contains(" — ") && l.starts_with("  ") && !l.contains("hops  sign")).count();
    assert_eq!(rows, 7, "{out}");
    assert!(out.contains("… showing 7 of "), "{out}");
}
