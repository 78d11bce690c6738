//! Context along a path: a chain that moves between tissues (or species, or
//! challenge conditions) is flagged even when hops naming no tissue stand
//! between them, ranks after consistent chains, and `--same-context` drops
//! it; tissues that the context vocabulary relates are not a crossing.

use crate::common::*;
use claimgraph::index::Index;
use claimgraph::model::{ContextField, Graph, Vocabulary};
use claimgraph::query::context::{self, crossings, ContextValue, Crossing, HopContext};
use claimgraph::query::{self, TraceOptions};
use proptest::prelude::*;

const CROSSING: &str = "tests/fixtures/context/crossing.json";

fn graph(text: &str) -> Graph {
    claimgraph::load::parse(text).unwrap()
}

fn fixture_text() -> String {
    std::fs::read_to_string(project(CROSSING)).unwrap()
}

fn trace_json(path: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args =
        vec!["--graph", path.to_str().unwrap(), "trace", "zinc", "calcification", "--format", "json"];
    args.extend(extra);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn an_osteoblast_hop_a_hop_without_tissue_and_a_vascular_hop_cross_tissues() {
    let (code, stdout, stderr) = run(&["--graph", CROSSING, "trace", "zinc", "calcification"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("⚠ crosses tissues: osteoblast (hop 1) → vascular smooth muscle (hop 3)"),
        "{stdout}"
    );
    assert!(stdout.contains("⚠ crosses tissues — not a net effect"), "{stdout}");
    let v = trace_json(&project(CROSSING), &[]);
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 2);
    // the consistent chain (matrix vesicles, all bone) ranks first
    assert_eq!(paths[0]["crosses_context"], false);
    assert_eq!(paths[0]["entities"][2], "matrix-vesicle");
    let crossing = &paths[1];
    assert_eq!(crossing["crosses_context"], true);
    assert_eq!(
        crossing["context_changes"],
        serde_json::json!([{"after_hop": 1, "from_hop": 0, "to_hop": 2, "at": "phosphate", "field": "tissue",
                            "from": ["osteoblast"], "to": ["vascular smooth muscle"]}])
    );
    assert_eq!(v["summary"]["crossing_context"], 1);
    assert_eq!(v["summary"]["verdict"], "increases");
    assert_eq!(v["summary"]["agreeing"], serde_json::Value::Null, "not a JSON field");
    // --same-context drops it
    let v = trace_json(&project(CROSSING), &["--same-context"]);
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0]["entities"][2], "matrix-vesicle");
}

#[test]
fn tissues_the_vocabulary_relates_are_no_crossing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.json");
    // "calcifying osteoblast" matches no term: compared as text, it is not osteoblast
    let text = fixture_text().replace("vascular smooth muscle", "calcifying osteoblasts");
    std::fs::write(&file, &text).unwrap();
    let v = trace_json(&file, &[]);
    assert_eq!(v["summary"]["crossing_context"], 1, "free text that matches no term differs");
    // declared as a part of osteoblast, it belongs with the first hop
    let declared = text.replacen(
        "\"entities\"",
        r#""vocabulary": {"contexts": [{"id": "calcifying-osteoblast", "field": "tissue",
            "label": "calcifying osteoblast", "part_of": "osteoblast", "xref": "CL:0000062"}]},
          "entities""#,
        1,
    );
    std::fs::write(&file, &declared).unwrap();
    let (code, _, stderr) = run(&["--graph", file.to_str().unwrap(), "check"]);
    assert_eq!(code, 0, "{stderr}");
    let v = trace_json(&file, &[]);
    assert_eq!(v["summary"]["crossing_context"], 0, "{v}");
    assert!(v["paths"].as_array().unwrap().iter().all(|p| p["context_changes"] == serde_json::json!([])));
    // and a built-in relation: MC3T3-E1 (in the model) is an osteoblast line
    let index_graph = graph(&fixture_text());
    let index = Index::new(&index_graph);
    let c = index.claim_ix("matrix-vesicle--increases--calcification").unwrap();
    let ctx = HopContext::of_claims(&index, &[c]);
    let term = |v: &ContextValue| v.label(&index.vocab);
    assert_eq!(ctx.values(ContextField::Tissue).iter().map(term).collect::<Vec<_>>(), ["MC3T3-E1"]);
    assert_eq!(ctx.values(ContextField::Species).iter().map(term).collect::<Vec<_>>(), ["mouse"]);
}

#[test]
fn the_library_trace_flags_the_crossing_too() {
    let graph = graph(&fixture_text());
    let index = Index::new(&graph);
    let (zinc, calc) = (index.resolve("zinc").unwrap(), index.resolve("calcification").unwrap());
    let result = query::trace(&index, zinc, calc, &TraceOptions::default()).unwrap();
    assert_eq!(result.paths.iter().filter(|p| p.crosses_context()).count(), 1);
}

/// No curated path concludes "zinc increases vascular calcification" without
/// the crossing flag.
#[test]
fn the_curated_graph_never_shows_zinc_increasing_vascular_calcification_as_a_net_effect() {
    let (code, stdout, stderr) = run(&[
        "trace",
        "zinc",
        "vascular calcification",
        "--format",
        "json",
        "--max-hops",
        "8",
        "--limit",
        "500",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let paths = v["paths"].as_array().unwrap();
    for p in paths.iter().filter(|p| p["sign"] == "+") {
        assert_eq!(p["crosses_context"], true, "{}", p["entities"]);
    }
    assert_ne!(v["summary"]["verdict"], "increases");
    let (_, text, _) = run(&["trace", "zinc", "vascular calcification"]);
    assert!(!text.contains("net effect +: Zinc increases Vascular calcification"), "{text}");
}

// ------------------------------------------------------------ carry-forward

/// Crossings of a sequence, as pairs of the hops' original positions.
fn crossing_pairs(values: &[Vec<u8>], positions: &[usize]) -> Vec<(usize, usize)> {
    let slices: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
    // Two values are compatible when one "contains" the other: here, when
    // one divides the other (so 2 ⊂ 4, 3 ⊄ 4), a partial order like `part_of`.
    crossings(&slices, |a, b| a % b == 0 || b % a == 0)
        .into_iter()
        .map(|Crossing { from_hop, to_hop }| (positions[from_hop], positions[to_hop]))
        .collect()
}

proptest! {
    /// Inserting hops that name nothing anywhere never adds, loses or moves a flag.
    #[test]
    fn inserting_an_unspecified_hop_never_changes_the_crossings(
        hops in prop::collection::vec(prop::collection::vec(1u8..9, 0..3), 0..8),
        inserts in prop::collection::vec(0usize..9, 0..4),
    ) {
        let positions: Vec<usize> = (0..hops.len()).collect();
        let before = crossing_pairs(&hops, &positions);
        let (mut longer, mut pos) = (hops.clone(), positions.clone());
        for at in inserts {
            let at = at.min(longer.len());
            longer.insert(at, Vec::new());
            pos.insert(at, usize::MAX);
        }
        prop_assert_eq!(crossing_pairs(&longer, &pos), before);
    }

    /// The same with real vocabulary terms and the report's ContextChange.
    #[test]
    fn unspecified_hops_keep_every_context_change(
        picks in prop::collection::vec(prop::collection::vec(0usize..8, 0..2), 1..7),
        inserts in prop::collection::vec(0usize..8, 0..3),
    ) {
        const TISSUES: [&str; 8] = ["osteoblast", "bone", "MC3T3-E1", "vascular smooth muscle",
            "artery", "aorta", "bone marrow", "liver"];
        let vocab = Vocabulary::builtin();
        let hop = |names: &[usize]| {
            let mut ctx = HopContext::default();
            ctx.fields[1] = names.iter().map(|&i| match vocab.contexts.lookup(ContextField::Tissue, TISSUES[i]) {
                Some(t) => ContextValue::Term(t),
                None => ContextValue::Text(TISSUES[i].to_string()),
            }).collect();
            ctx
        };
        let hops: Vec<HopContext> = picks.iter().map(|p| hop(p)).collect();
        let changes = |hops: &[HopContext]| {
            let refs: Vec<&HopContext> = hops.iter().collect();
            let objects = vec![0; hops.len()];
            context::context_changes(&vocab, &refs, &objects)
                .into_iter().map(|c| (c.from, c.to)).collect::<Vec<_>>()
        };
        let before = changes(&hops);
        let mut longer = hops.clone();
        for at in inserts {
            let at = at.min(longer.len());
            longer.insert(at, HopContext::default());
        }
        prop_assert_eq!(changes(&longer), before.clone());
        let refs: Vec<&HopContext> = longer.iter().collect();
        prop_assert_eq!(context::crosses(&vocab, &refs), !before.is_empty());
    }
}

#[test]
fn check_suggests_a_term_for_a_misspelt_tissue_or_species() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.json");
    let text =
        fixture_text().replace("\"osteoblasts\"", "\"osteoblats\"").replacen("\"mouse\"", "\"mouse \"", 0);
    std::fs::write(&file, text.replace("\"species\": \"mouse\"", "\"species\": \"mosue\"")).unwrap();
    let (code, stdout, stderr) = run(&["--graph", file.to_str().unwrap(), "check", "--format", "json"]);
    assert_eq!(code, 0, "warnings only: {stderr}");
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let context: Vec<&serde_json::Value> =
        findings.as_array().unwrap().iter().filter(|f| f["code"] == "unknown-context").collect();
    assert_eq!(context.len(), 2, "{findings}");
    assert!(context.iter().any(|f| f["message"].as_str().unwrap().contains("tissue `osteoblats`")
        && f["help"].as_str().unwrap().contains("did you mean one of `osteoblast`")));
    assert!(context.iter().any(|f| f["help"].as_str().unwrap().contains("`mouse`")));
    assert!(context.iter().all(|f| f["line"].as_u64().is_some()));
    // the curated graph's strings all match a term
    let (_, stdout, _) = run(&["check", "--format", "json"]);
    assert!(!stdout.contains("unknown-context"), "{stdout}");
}
