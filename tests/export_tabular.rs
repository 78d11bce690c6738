//! `export --format neo4j|kgx`: directories of files for a graph database
//! and for Biolink pipelines, each checked by the program that reads it —
//! LadybugDB (an embedded Cypher engine, for Neo4j's CSVs) and KGX with the
//! Biolink model's pydantic classes — through the scripts in
//! `tests/consumers/`. Without those Python packages these tests FAIL with
//! the install command: a check that skips would pass on a machine that
//! cannot read the files.

use crate::common::*;
use claimgraph::export::{kgx, Selection};
use claimgraph::index::Index;
use claimgraph::model::Graph;
use claimgraph::query::{trace, TraceOptions};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const HOSTILE: &str = "export/hostile-tabular.json";

/// Run a consumer script: its exit code, stdout and stderr. Exit 2 means
/// its Python package is missing: never a pass, never a "bad export".
fn run_consumer(script: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new("python3")
        .arg(project(&format!("tests/consumers/{script}")))
        .args(args)
        .output()
        .expect("python3 must be installed to run the export checks (apt-get install python3)");
    let (code, stdout, stderr) = output(out);
    assert_ne!(code, 2, "{stderr}\n(`bash .ci/run` installs what these checks need)");
    (code, stdout, stderr)
}

/// Run a consumer script that must pass: its report.
fn consumer(script: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_consumer(script, args);
    assert_eq!(code, 0, "{script} failed:\n{stdout}\n{stderr}");
    stdout
}

/// Run a consumer script that must find a problem (exit 1): its report.
fn consumer_rejects(script: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_consumer(script, args);
    assert_eq!(code, 1, "{script} {args:?} should have found the broken export:\n{stdout}\n{stderr}");
    stdout + &stderr
}

fn curated() -> String {
    project("graph/zinc-bone.json").display().to_string()
}

#[test]
fn neo4j_csvs_load_into_ladybug_intact_with_the_same_simple_paths_as_trace() {
    let hostile = fixture(HOSTILE).display().to_string();
    let bin = env!("CARGO_BIN_EXE_claimgraph");
    let stdout =
        consumer("neo4j_ladybug.py", &["--claimgraph", bin, "--graph", &curated(), "--graph", &hostile]);
    assert!(stdout.contains("LadybugDB agrees"), "{stdout}");
}

#[test]
fn kgx_tsvs_pass_kgx_validate_and_biolink_and_read_back_intact() {
    let hostile = fixture(HOSTILE).display().to_string();
    let bin = env!("CARGO_BIN_EXE_claimgraph");
    let stdout =
        consumer("kgx_validate.py", &["--claimgraph", bin, "--graph", &curated(), "--graph", &hostile]);
    assert!(stdout.contains("KGX and Biolink accept 2 exports"), "{stdout}");
}

/// Deliberately broken exports of the hostile fixture, one change each:
/// the check must fail, naming what is wrong, or it proves nothing.
#[test]
fn neo4j_and_kgx_checks_fail_on_a_broken_export() {
    let broken: &[(&str, &str, &str, &str, &str)] = &[
        // (format, file, text, replacement, what the complaint names)
        ("neo4j", "claims.csv", r#""causal",true,"contested""#, r#""causal",false,"contested""#, "negated"),
        ("neo4j", "entities.csv", r#""Zinc ""Zn"" ;"#, r#""Zinc Zn ;"#, "entity zinc name"),
        ("neo4j", "claims.csv", "\"plain\",\"review\"", "\"plain\",\"rct\"", "evidence study"),
        ("kgx", "edges.tsv", "decreased\tTrue\t", "decreased\t\t", "negated"),
        (
            "kgx",
            "edges.tsv",
            "\tincreased\t\tknowledge_assertion",
            "\tincreasing\t\tknowledge_assertion",
            "increasing",
        ),
        ("kgx", "nodes.tsv", "Zinc \"Zn\" ;", "Zinc Zn ;", "entity zinc name"),
    ];
    let hostile = fixture(HOSTILE);
    let bin = env!("CARGO_BIN_EXE_claimgraph");
    let tmp = tempfile::tempdir().unwrap();
    for (i, &(format, file, from, to, complaint)) in broken.iter().enumerate() {
        let dir = tmp.path().join(format!("{format}-{i}"));
        export_dir(&hostile, format, &dir, &[]);
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains(from), "the {format} export's {file} contains {from:?}");
        std::fs::write(dir.join(file), text.replacen(from, to, 1)).unwrap();
        let script = if format == "neo4j" { "neo4j_ladybug.py" } else { "kgx_validate.py" };
        let mut args = vec!["--claimgraph", bin, "--graph", hostile.to_str().unwrap()];
        args.extend(["--exported", dir.to_str().unwrap()]);
        if format == "neo4j" {
            args.extend(["--generated", "0", "--random", "0"]);
        }
        let report = consumer_rejects(script, &args);
        assert!(report.contains(complaint), "{format} {file}: {from:?} -> {to:?}: {report}");
    }
}

fn export_dir(graph: &Path, format: &str, dir: &Path, selection: &[&str]) {
    let mut args = vec!["--graph", graph.to_str().unwrap(), "export", "--format", format, "--output"];
    args.push(dir.to_str().unwrap());
    args.extend(selection);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
}

/// The claim ids column of a KGX edges file (ids are slugs: no encoding).
fn kgx_claims(dir: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(dir.join(kgx::EDGES)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = header.iter().position(|&h| h == "claimgraph_id").unwrap();
    lines.map(|l| l.split('\t').nth(column).unwrap().to_string()).collect()
}

#[test]
fn every_selection_exports_its_own_claims_in_both_formats() {
    let text = std::fs::read_to_string(project("graph/zinc-bone.json")).unwrap();
    let graph: Graph = claimgraph::load::parse(&text).unwrap();
    let index = Index::new(&graph);
    let zinc = index.resolve("zinc").unwrap();
    let bone = index.resolve("bone mineralization").unwrap();
    let reference = index.reference(index.claim_refs(0)[0]).id.clone();
    let traced = trace(&index, zinc, bone, &TraceOptions::default()).unwrap();
    let cases: Vec<(Vec<&str>, Selection)> = vec![
        (vec![], Selection::whole(&index)),
        (vec!["--around", "zinc", "--max-entities", "0"], Selection::around(&index, zinc, 1, usize::MAX).0),
        (
            vec!["--reference", &reference],
            Selection::reference(&index, index.reference_ix(&reference).unwrap()),
        ),
        (vec!["--trace", "zinc", "bone mineralization"], Selection::trace(&index, &traced)),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (i, (args, selection)) in cases.iter().enumerate() {
        let want: BTreeSet<String> =
            selection.claims.iter().map(|&c| index.claim(c).id.to_string()).collect();
        let entities: BTreeSet<String> =
            selection.entities.iter().map(|&e| index.entity(e).id.to_string()).collect();
        assert!(!want.is_empty(), "{args:?} selects claims");
        let neo4j = tmp.path().join(format!("neo4j-{i}"));
        export_dir(&project("graph/zinc-bone.json"), "neo4j", &neo4j, args);
        let loaded = consumer("neo4j_ladybug.py", &["--load", neo4j.to_str().unwrap()]);
        let loaded: serde_json::Value = serde_json::from_str(&loaded).unwrap();
        let ids = |key: &str| -> BTreeSet<String> {
            loaded[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
        };
        assert_eq!(ids("claims"), want, "neo4j {args:?}");
        assert_eq!(ids("entities"), entities, "neo4j {args:?}");
        let kgx_dir = tmp.path().join(format!("kgx-{i}"));
        export_dir(&project("graph/zinc-bone.json"), "kgx", &kgx_dir, args);
        assert_eq!(kgx_claims(&kgx_dir), want, "kgx {args:?}");
    }
}

#[test]
fn a_generated_100k_claim_graph_exports_and_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let graph = tmp.path().join("100k.json");
    generate(&graph, 100_000, 20_000);
    let neo4j = tmp.path().join("neo4j");
    export_dir(&graph, "neo4j", &neo4j, &[]);
    let loaded = consumer("neo4j_ladybug.py", &["--load", neo4j.to_str().unwrap()]);
    let loaded: serde_json::Value = serde_json::from_str(&loaded).unwrap();
    assert_eq!(loaded["claims"].as_array().unwrap().len(), 100_000);
    assert_eq!(loaded["entities"].as_array().unwrap().len(), 20_000);
    let kgx_dir = tmp.path().join("kgx");
    export_dir(&graph, "kgx", &kgx_dir, &[]);
    assert_eq!(kgx_claims(&kgx_dir).len(), 100_000);
}

#[test]
fn directory_formats_need_an_output_directory() {
    for format in ["neo4j", "kgx"] {
        let (code, _, stderr) = run(&["export", "--format", format]);
        assert_eq!(code, 1);
        assert!(stderr.contains("it needs --output DIR"), "{stderr}");
    }
}

/// The checked-in exports of the curated graph; the README shows each command.
#[test]
fn checked_in_neo4j_and_kgx_exports_are_up_to_date_and_documented() {
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for (format, dir, files) in [
        (
            "neo4j",
            "exports/neo4j",
            &["entities.csv", "references.csv", "claims.csv", "import.sh", "queries.cypher"][..],
        ),
        ("kgx", "exports/kgx", &["nodes.tsv", "edges.tsv"][..]),
    ] {
        let command = format!("claimgraph export --format {format} --output {dir}");
        assert!(readme.contains(&command), "README.md should show `{command}`");
        let fresh = tmp.path().join(format);
        let (code, _, stderr) = run(&["export", "--format", format, "--output", fresh.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        for file in files {
            let want = std::fs::read(fresh.join(file)).unwrap();
            let have = std::fs::read(project(&format!("{dir}/{file}"))).unwrap_or_default();
            assert!(have == want, "{dir}/{file} is stale: regenerate it with `{command}`");
        }
    }
}
