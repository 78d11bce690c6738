//! How failures reach the user: JSON errors under `--format json`, and a note
//! when a command quietly works on the built-in graph.

use crate::common::*;

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

#[test]
fn a_query_error_is_json_under_format_json() {
    let (code, stdout, _) = run(&["--format", "json", "trace", "zink", "bone-mineralization"]);
    assert_eq!(code, 1);
    let v = json(&stdout);
    assert_eq!(v["error"], "FROM: no entity matches `zink`");
    assert_eq!(v["help"], "did you mean `zinc` (Zinc)?");
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn a_graph_with_errors_gives_its_findings_as_json() {
    let graph = fixture("check/unknown-entity.json");
    let (code, stdout, stderr) =
        run(&["--graph", graph.to_str().unwrap(), "--format", "json", "trace", "zinc", "alp"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("unknown-entity"), "no text diagnostics besides the JSON: {stderr}");
    let v = json(&stdout);
    assert!(v["error"].as_str().unwrap().ends_with("cannot be used: 1 error(s)"), "{v}");
    let f = &v["findings"][0];
    assert_eq!(
        (f["code"].as_str(), f["line"].as_u64(), f["id"].as_str()),
        (Some("unknown-entity"), Some(60), Some("zink"))
    );
}

#[test]
fn a_refused_edit_gives_its_findings_as_json() {
    let dir = Workspace::empty();
    let (code, stdout, _) =
        dir.run(&["--format", "json", "add", "entity", "x", "--name", "X", "--kind", "rock"]);
    assert_eq!(code, 1);
    let v = json(&stdout);
    assert_eq!(v["findings"][0]["code"], "unknown-kind", "{v}");
}

#[test]
fn commands_on_the_built_in_graph_say_so_on_stderr() {
    for args in [&["check"][..], &["stats"], &["export"]] {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 0, "{args:?}");
        assert_eq!(stderr.matches("using the built-in zinc → bone graph").count(), 1, "{args:?}: {stderr}");
    }
    let graph = fixture("check/valid.json");
    let (_, _, stderr) = run(&["--graph", graph.to_str().unwrap(), "stats"]);
    assert!(!stderr.contains("built-in"), "{stderr}");
    let (_, _, stderr) = run(&["trace", "zinc", "alp"]);
    assert!(!stderr.contains("built-in"), "trace is meant for the built-in graph too: {stderr}");
}
