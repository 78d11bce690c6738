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

/// Entity nodes of a DOT diagram (`"e0000012"[label=…]`).
fn dot_entities(dot: &str) -> usize {
    dot.lines().filter(|l| l.trim_start().starts_with("\"e0") && l.contains("\"[label=")).count()
}

#[test]
fn a_diagram_around_a_hub_draws_fifty_and_says_how_many_more() {
    let dir = tempfile::tempdir().unwrap();
    let graph = generated(dir.path());
    let run = |extra: &[&str]| {
        let (code, out, err) = output(
            claimgraph()
                .env("CLAIMGRAPH_NO_CACHE", "1")
                .arg("--graph")
                .arg(&graph)
                .args(["export", "--around", "e0000000"])
                .args(extra)
                .output()
                .unwrap(),
        );
        assert_eq!(code, 0, "{err}");
        (out, err)
    };
    let (dot, err) = run(&[]);
    assert_eq!(dot_entities(&dot), 51, "the hub and its 50 best-supported neighbours");
    let total: usize =
        err.split("showing 50 of ").nth(1).expect(&err).split(' ').next().unwrap().parse().unwrap();
    assert!(total > 100, "{err}");
    assert!(err.contains("within 1 claim of Zorvan 0, the best supported (raise --max-entities)"), "{err}");
    let (all, err) = run(&["--max-entities", "0"]);
    assert_eq!(dot_entities(&all), total + 1);
    assert!(!err.contains("showing"), "{err}");
    // Every claim between two drawn entities is drawn, and only those.
    let (few, _) = run(&["--max-entities", "3", "--depth", "2"]);
    assert_eq!(dot_entities(&few), 4);
}
