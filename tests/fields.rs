//! A graph outside biomedicine, built entirely from the command line: its
//! own kinds, predicates and study types (with their rank), and a trace that
//! speaks its language ("weakest evidence: field observation").

use crate::common::*;

/// The sailing-stones graph of the issue, by commands only.
fn playa() -> Workspace {
    let dir =
        Workspace::init("playa.json", &["--title", "Sailing stones", "--description", "How rocks move"]);
    let d = &dir;
    d.ok(&["add", "kind", "landform", "--label", "Landform"]);
    d.ok(&["add", "kind", "phenomenon"]);
    d.ok(&["add", "predicate", "pushes", "--sign", "+", "--class", "causal", "--inverse", "is pushed by"]);
    d.ok(&["add", "study", "field_observation", "--rank", "45", "--label", "field observation"]);
    d.ok(&["add", "study", "model", "--rank", "35"]);
    for (id, name, kind) in [
        ("ice-panels", "Thin floating ice panels", "phenomenon"),
        ("wind", "Light wind", "phenomenon"),
        ("rock-trails", "Rock trails", "landform"),
    ] {
        d.ok(&["add", "entity", id, "--name", name, "--kind", kind]);
    }
    d.ok(&[
        "add",
        "reference",
        "--id",
        "notes2014",
        "--title",
        "Field notes on moving rocks",
        "--year",
        "2014",
    ]);
    for (s, o) in [("wind", "ice-panels"), ("ice-panels", "rock-trails")] {
        d.ok(&["add", "claim", s, "pushes", o, "--ref", "notes2014", "--study", "field_observation"]);
    }
    dir
}

#[test]
fn init_writes_title_and_description() {
    let dir = playa();
    let g: serde_json::Value = dir.json();
    assert_eq!(g["title"], "Sailing stones");
    assert_eq!(g["description"], "How rocks move");
}

#[test]
fn declared_study_types_name_the_weakest_link() {
    let dir = playa();
    let out = dir.ok(&["trace", "wind", "rock trails"]);
    assert!(out.contains("weakest link: field observation"), "{out}");
    let json = dir.ok(&["--format", "json", "trace", "wind", "rock-trails"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["paths"][0]["weakest_evidence"], "field_observation");
}

#[test]
fn declared_study_types_rank_against_each_other_and_the_built_ins() {
    let dir = playa();
    // field observation (45) passes `--min-evidence model` (35) and
    // `in_vitro` (40), not `animal` (50).
    for (min, paths) in [("model", 1), ("in_vitro", 1), ("field_observation", 1), ("animal", 0)] {
        let json = dir.ok(&["--format", "json", "trace", "wind", "rock-trails", "--min-evidence", min]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["paths"].as_array().unwrap().len(), paths, "--min-evidence {min}");
    }
    let (code, _, err) = dir.run(&["trace", "wind", "rock-trails", "--min-evidence", "field_observaton"]);
    assert_ne!(code, 0);
    assert!(err.contains("did you mean `field_observation`?"), "{err}");
}

#[test]
fn a_graph_of_another_field_checks_without_study_warnings() {
    let dir = playa();
    let (code, out, err) = dir.run(&["--format", "json", "check"]);
    assert_eq!(code, 0, "{out}{err}");
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = findings.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(
        !codes.iter().any(|c| c.contains("study") || c.contains("kind") || c.contains("predicate")),
        "{codes:?}"
    );
}

#[test]
fn an_undeclared_study_type_points_at_add_study() {
    let dir = playa();
    let (code, _, err) = dir.run(&[
        "add",
        "claim",
        "wind",
        "pushes",
        "rock-trails",
        "--ref",
        "notes2014",
        "--study",
        "survey",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown study type `survey`") && err.contains("claimgraph add study"), "{err}");
}

#[test]
fn vocabulary_ids_already_taken_are_refused() {
    let dir = playa();
    for (args, expected) in [
        (&["add", "kind", "landform"][..], "kind `landform` is already in the vocabulary"),
        (&["add", "kind", "enzyme"][..], "kind `enzyme` is already in the vocabulary (built in)"),
        (
            &["add", "study", "rct", "--rank", "5"][..],
            "study type `rct` is already in the vocabulary (built in)",
        ),
        (
            &["add", "predicate", "Pushes!", "--sign", "+", "--class", "causal"][..],
            "bad predicate id `Pushes!`",
        ),
    ] {
        let (code, _, err) = dir.run(args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn adding_a_study_type_says_where_it_ranks() {
    let dir = playa();
    let out = dir.ok(&["add", "study", "survey", "--rank", "42", "--dry-run"]);
    assert!(
        out.contains("added study type `survey` (rank 42, between `in_vitro` and `field_observation`)"),
        "{out}"
    );
    assert!(out.contains("dry run: playa.json not written"), "{out}");
    let out = dir.ok(&["add", "study", "simulation", "--rank", "35", "--dry-run"]);
    assert!(
        out.contains("below 40, so evidence of this type counts as no primary study, like a review"),
        "{out}"
    );
}

/// Regression: declared kinds were drawn as identical white boxes and ranked
/// at the far left, so the outcome "Rock trails" ended left of its cause.
#[test]
fn declared_kinds_get_their_own_look_and_follow_the_claims_left_to_right() {
    let dir = playa();
    let dot = dir.ok(&["export"]);
    // The column each node sits in, and its shape and fill.
    let mut column = None;
    let mut nodes = std::collections::BTreeMap::new();
    for line in dot.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("\"column:") {
            column = rest.split('"').next().and_then(|c| c.parse::<u32>().ok());
        } else if let Some(rest) = line.strip_prefix('"') {
            let id = rest.split('"').next().unwrap().to_string();
            let attr = |name: &str| {
                line.split(&format!("{name}=\"")).nth(1).map(|v| v.split('"').next().unwrap().to_string())
            };
            if let (Some(shape), Some(fill)) = (attr("shape"), attr("fillcolor")) {
                nodes.insert(id, (column.unwrap(), shape, fill));
            }
        }
    }
    let (wind, panels, trails) = (&nodes["wind"], &nodes["ice-panels"], &nodes["rock-trails"]);
    assert!(wind.0 < panels.0 && panels.0 < trails.0, "left to right along the claims: {nodes:?}");
    assert_ne!((&panels.1, &panels.2), (&trails.1, &trails.2), "two declared kinds look different");
    assert!(nodes.values().all(|n| n.2 != "#FFFFFF"), "no plain white boxes: {nodes:?}");
    assert!(dot.contains("label=\"Landform\""), "the cluster is named after the declared kind");
}
