//! `assess`: statements held against a graph, a verdict each; every bad line
//! and unknown name reported at once; the checked-in fact-check is current.

use crate::common::*;

const SMALL: &str = "tests/fixtures/trace/small.json";
const STATEMENTS: &str = "tests/fixtures/context/small.statements";

#[test]
fn each_statement_gets_a_verdict_with_its_best_path() {
    let (code, stdout, stderr) = run(&["--graph", SMALL, "assess", STATEMENTS, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let verdicts: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["effect"].as_str().unwrap(), a["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("increases", "supported"),
            ("decreases", "contradicted"),
            ("associated", "supported"),
            ("increases", "absent"),
            ("increases", "contradicted"),
        ]
    );
    let first = &v[0];
    assert_eq!((first["line"].as_u64(), first["subject"].as_str()), (Some(2), Some("zinc")));
    assert_eq!(first["object"], "bone-mineralization");
    assert_eq!(first["best_path"], serde_json::json!(["zinc", "alp", "bone-mineralization"]));
    assert_eq!(first["weakest_link"], "animal");
    assert_eq!(first["references"], serde_json::json!(["fixa", "seo2010", "fixb"]));
    // the path through osteoclasts crosses from mouse to human: counted, not used
    assert_eq!(first["paths"]["crossing_context"], 1);
    assert_eq!(v[3]["best_path"], serde_json::Value::Null);
    let (code, text, _) = run(&["--graph", SMALL, "assess", STATEMENTS]);
    assert_eq!(code, 0);
    assert!(text.contains("line 2: Zinc increases Bone mineralization — supported"), "{text}");
}

#[test]
fn a_chain_across_tissues_supports_no_statement() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.statements");
    std::fs::write(&file, "zinc | increases | calcification\n").unwrap();
    let graph = project("tests/fixtures/context/crossing.json");
    let (code, stdout, stderr) =
        run(&["--graph", graph.to_str().unwrap(), "assess", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v[0]["best_path"], serde_json::json!(["zinc", "alp", "matrix-vesicle", "calcification"]));
    assert_eq!(v[0]["paths"]["crossing_context"], 1);
}

#[test]
fn every_bad_line_and_unknown_name_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.statements");
    std::fs::write(
        &file,
        "zink | increases | alp\nzinc | boosts | alp\n# fine\nzinc | increases | bone mineralisation\nalp\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["--graph", SMALL, "assess", file.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(stdout.is_empty());
    let name = file.display().to_string();
    for expected in [
        format!("{name}:1: SUBJECT: no entity matches `zink`"),
        "did you mean `zinc` (Zinc)?".to_string(),
        format!("{name}:2: unknown effect `boosts`"),
        format!("{name}:4: OBJECT: no entity matches `bone mineralisation`"),
        format!("{name}:5: expected `SUBJECT | EFFECT | OBJECT`"),
    ] {
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
}

#[test]
fn the_fact_check_of_the_article_is_up_to_date_and_documented() {
    let command = "claimgraph assess graph/zinc-bone.statements --format markdown --output exports/zinc-bone-factcheck.md";
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    assert!(readme.contains(command), "README.md should show `{command}`");
    let (code, fresh, stderr) = run(&["assess", "graph/zinc-bone.statements", "--format", "markdown"]);
    assert_eq!(code, 0, "{stderr}");
    let checked_in = std::fs::read_to_string(project("exports/zinc-bone-factcheck.md")).unwrap();
    assert!(fresh == checked_in, "exports/zinc-bone-factcheck.md is stale: regenerate it with `{command}`");
    // every statement line of the file is in the report
    let statements = std::fs::read_to_string(project("graph/zinc-bone.statements")).unwrap();
    let n = statements.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).count();
    assert_eq!(fresh.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Line")).count(), n);
}
