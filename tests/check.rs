//! `check`, `stats`, `show`, `schema` and the file format.

use crate::common::*;
use claimgraph::model::Graph;

/// Run `check` on a fixture from the project root so paths in the output are stable.
fn check_fixture(name: &str, extra: &[&str]) -> (i32, String, String) {
    let path = format!("tests/fixtures/check/{name}.json");
    let mut cmd = claimgraph();
    cmd.current_dir(project("")).args(["--graph", &path, "check"]).args(extra);
    output(cmd.output().expect("the binary runs"))
}

/// Each fixture holds one mistake; its diagnostic is pinned by a snapshot and
/// must carry the expected code and exit status.
fn assert_diagnostic(name: &str, code: &str, exit: i32) {
    let (status, stdout, stderr) = check_fixture(name, &[]);
    assert_eq!(status, exit, "exit status of check on {name}:\n{stdout}{stderr}");
    assert!(stdout.contains(code), "{name}: expected `{code}` in\n{stdout}");
    insta::assert_snapshot!(format!("check-{name}"), stdout);
}

#[test]
fn valid_fixture_is_clean() {
    let (status, stdout, _) = check_fixture("valid", &["--deny-warnings"]);
    assert_eq!(status, 0, "{stdout}");
    assert_eq!(stdout.trim(), "tests/fixtures/check/valid.json: 0 errors, 0 warnings, 0 conflicts");
}

#[test]
fn malformed_json_points_at_the_broken_spot() {
    assert_diagnostic("json-syntax", "error[json-syntax]", 1);
}

#[test]
fn wrong_value_type_is_an_error_with_position() {
    assert_diagnostic("wrong-type", "references[0].year: invalid type", 1);
}

#[test]
fn missing_required_field_names_the_object() {
    assert_diagnostic("missing-field", "entities[1]: missing field `kind`", 1);
}

#[test]
fn every_unknown_field_is_reported_with_a_suggestion() {
    let (_, stdout, _) = check_fixture("unknown-field", &[]);
    assert_eq!(stdout.matches("error[unknown-field]").count(), 2, "{stdout}");
    assert!(stdout.contains("did you mean `name`?") && stdout.contains("did you mean `summary`?"));
    assert_diagnostic("unknown-field", "unknown field `nmae` in an entity", 1);
}

#[test]
fn duplicate_id() {
    assert_diagnostic("duplicate-id", "error[duplicate-id]", 1);
}

#[test]
fn claim_endpoint_not_found_suggests_the_id() {
    assert_diagnostic("unknown-entity", "did you mean `zinc`?", 1);
    assert_diagnostic("unknown-entity-by-name", "did you mean `alp` (Alkaline phosphatase)?", 1);
}

#[test]
fn evidence_reference_not_found() {
    assert_diagnostic("unknown-reference", "did you mean `seo2010`?", 1);
}

#[test]
fn claim_without_evidence() {
    assert_diagnostic("no-evidence", "error[no-evidence]", 1);
}

#[test]
fn unknown_vocabulary() {
    assert_diagnostic("unknown-kind", "did you mean `enzyme`?", 1);
    assert_diagnostic("unknown-predicate", "did you mean `cofactor_of`?", 1);
    assert_diagnostic("unknown-study", "did you mean `in_vitro`?", 1);
    assert_diagnostic("unknown-certainty", "error[unknown-certainty]", 1);
}

#[test]
fn malformed_identifiers() {
    assert_diagnostic("bad-doi", "error[bad-doi]", 1);
    assert_diagnostic("bad-pmid", "a PMID is digits only: `21103080`", 1);
    assert_diagnostic("bad-pmcid", "error[bad-pmcid]", 1);
    assert_diagnostic("bad-id", "try `zinc-ion`", 1);
}

#[test]
fn warnings_do_not_fail_unless_denied() {
    for (name, code) in [
        ("no-identifier", "warning[no-identifier]"),
        ("uncited-reference", "warning[uncited-reference]"),
        ("orphan-entity", "warning[orphan-entity]"),
        ("duplicate-claim", "warning[duplicate-claim]"),
        ("unusual-kind", "warning[unusual-kind]"),
    ] {
        assert_diagnostic(name, code, 0);
        let (status, _, _) = check_fixture(name, &["--deny-warnings"]);
        assert_eq!(status, 1, "{name} with --deny-warnings");
    }
}

#[test]
fn conflicts_say_whether_context_differs() {
    assert_diagnostic("conflict-same-context", "the literature disagrees", 0);
    assert_diagnostic("conflict-context", "context-dependent effect", 0);
    let (_, stdout, _) = check_fixture("conflict-context", &[]);
    assert!(stdout.contains("tissue: unspecified vs \"vascular smooth muscle\""), "{stdout}");
}

/// Regression (issue 11): `check` called "zinc decreases ALP" the opposite
/// sign of "zinc is a cofactor of ALP". A cofactor relation is structural,
/// not an activity claim, so the two never conflict.
#[test]
fn a_cofactor_is_not_the_opposite_of_an_activity_decrease() {
    let (status, stdout, _) = check_fixture("cofactor-is-not-activity", &[]);
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.trim_end().ends_with("0 conflicts"), "{stdout}");
    // The same pair with an activity claim instead is a conflict.
    let (_, stdout, _) = check_fixture("conflict-same-context", &[]);
    assert!(
        stdout.contains("`zinc--inhibits--alp` has the opposite sign of claim `zinc--increases--alp`"),
        "{stdout}"
    );
}

#[test]
fn json_findings_carry_position_and_id() {
    let (status, stdout, _) = check_fixture("unknown-entity", &["--format", "json"]);
    assert_eq!(status, 1);
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let first = &findings[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-entity");
    assert_eq!(first["id"], "zink");
    assert_eq!(first["file"], "tests/fixtures/check/unknown-entity.json");
    let text = std::fs::read_to_string(fixture("check/unknown-entity.json")).unwrap();
    let line = text.lines().nth(first["line"].as_u64().unwrap() as usize - 1).unwrap();
    let col = first["column"].as_u64().unwrap() as usize - 1;
    assert!(line[col..].starts_with("\"zink\""), "line/column point at the value: {line}");
}

#[test]
fn curated_graph_passes_check() {
    let (code, stdout, _) = run(&["check"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(" 0 errors"), "{stdout}");
}

#[test]
fn canonical_files_round_trip_byte_for_byte() {
    for path in [fixture("check/valid.json"), project("graph/zinc-bone.json")] {
        let text = std::fs::read_to_string(&path).unwrap();
        let graph = claimgraph::load::parse(&text).unwrap();
        assert_eq!(claimgraph::save::to_canonical_string(&graph), text, "{}", path.display());
    }
}

#[test]
fn canonical_form_sorts_and_drops_empty_fields() {
    let text = r#"{"schema": "claimgraph/1", "entities": [
        {"id": "zinc", "name": "Zinc", "kind": "nutrient", "aliases": []},
        {"id": "alp", "name": "ALP", "kind": "enzyme", "description": null}]}"#;
    let graph: Graph = claimgraph::load::parse(text).unwrap();
    let canonical = claimgraph::save::to_canonical_string(&graph);
    insta::assert_snapshot!("canonical-form", canonical);
}

#[test]
fn stats_json_has_integer_counts_and_breakdowns() {
    let (code, stdout, _) =
        run(&["--graph", fixture("check/valid.json").to_str().unwrap(), "stats", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (v["entities"].as_u64(), v["claims"].as_u64(), v["references"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(v["by_kind"]["enzyme"], 1);
    assert_eq!(v["by_predicate"]["cofactor_of"], 1);
    assert_eq!(v["by_study"]["in_vitro"], 2);
}

#[test]
fn show_entity_by_alias_lists_claims_with_citations() {
    let (code, stdout, _) = run(&["--graph", fixture("check/valid.json").to_str().unwrap(), "show", "tnap"]);
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!("show-entity", stdout);
}

#[test]
fn show_claim_and_reference() {
    let graph = fixture("check/conflict-context.json");
    let (code, stdout, _) = run(&["--graph", graph.to_str().unwrap(), "show", "zinc--increases--alp"]);
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!("show-claim", stdout);
    let (code, stdout, _) = run(&["--graph", graph.to_str().unwrap(), "show", "seo2010"]);
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!("show-reference", stdout);
}

#[test]
fn show_unknown_id_suggests_and_fails() {
    let (code, _, stderr) = run(&["--graph", fixture("check/valid.json").to_str().unwrap(), "show", "zinq"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no entity, claim or reference `zinq`"), "{stderr}");
    assert!(stderr.contains("`zinc` (Zinc)"), "{stderr}");
}

#[test]
fn commands_refuse_a_broken_graph_with_its_diagnostics() {
    let (code, _, stderr) =
        run(&["--graph", fixture("check/unknown-entity.json").to_str().unwrap(), "show", "zinc"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown-entity") && stderr.contains("cannot be used"), "{stderr}");
}

#[test]
fn missing_graph_file_names_the_file() {
    let (code, _, stderr) = run(&["--graph", "/nonexistent/graph.json", "check"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot read graph file /nonexistent/graph.json"), "{stderr}");
}

#[test]
fn schema_is_valid_json_schema_listing_the_format() {
    let (code, stdout, _) = run(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(schema["properties"]["schema"]["const"], "claimgraph/1");
    assert_eq!(schema["$defs"]["claim"]["additionalProperties"], false);
    // Study types are part of the vocabulary: the schema names the built-in
    // ones and lets a file declare its own.
    let study = schema["$defs"]["evidence"]["properties"]["study"]["description"].as_str().unwrap();
    assert!(study.contains("meta_analysis") && study.contains("vocabulary.studies"), "{study}");
    assert_eq!(schema["$defs"]["study"]["required"], serde_json::json!(["id", "rank"]));
}

#[test]
fn format_not_supported_by_a_command_is_refused() {
    let (code, _, stderr) = run(&["--format", "svg", "stats"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`stats` cannot write --format svg"), "{stderr}");
    // After the subcommand, clap already offers only what `stats` writes.
    let (code, _, stderr) = run(&["stats", "--format", "svg"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("[possible values: text, json]"), "{stderr}");
}

#[test]
fn closing_the_pipe_early_is_not_an_error() {
    let bin = env!("CARGO_BIN_EXE_claimgraph");
    // `true` exits at once, so our write meets a closed pipe (most runs: try a few).
    let script = format!(
        "for i in 1 2 3 4 5; do '{bin}' show zinc | true; [ ${{PIPESTATUS[0]}} = 0 ] || exit 1; done"
    );
    let out = std::process::Command::new("bash").args(["-c", &script]).env("NO_COLOR", "1").output().unwrap();
    let (code, _, stderr) = output(out);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

/// A file over 1 MiB takes the fast path: findings are placed by scanning
/// only their record. Every line and column must be what a scan of the
/// whole text gives, pretty-printed (one record per few lines) or minified
/// (one line, placed by the full scan).
#[test]
fn findings_in_a_big_file_are_placed_as_in_a_small_one() {
    use claimgraph::finding::Location;
    use claimgraph::locate::SourceMap;
    let text = std::fs::read_to_string(project("tests/fixtures/check/valid.json")).unwrap();
    let mut graph: Graph = serde_json::from_str(&text).unwrap();
    let template = graph.claims[0].clone();
    for i in 0..6_000 {
        let mut claim = template.clone();
        claim.id = format!("padding-{i}").into();
        if i % 1_000 == 7 {
            claim.subject = format!("nowhere-{i}").into();
            claim.evidence[0].reference = "no-such-reference".into();
        }
        graph.claims.push(claim);
    }
    graph.entities[0].kind = "no-such-kind".into();
    for text in [serde_json::to_string_pretty(&graph).unwrap(), serde_json::to_string(&graph).unwrap()] {
        assert!(text.len() > 1 << 20, "the fast path needs a file over 1 MiB");
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &text).unwrap();
        let mut cmd = claimgraph();
        cmd.args(["--graph", file.path().to_str().unwrap(), "--format", "json", "check"]);
        let (_, stdout, stderr) = output(cmd.output().expect("the binary runs"));
        let printed: Vec<serde_json::Value> =
            serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
        let findings = claimgraph::check::check(&graph);
        let map = SourceMap::for_locations(&text, findings.iter().filter_map(|f| f.location.as_ref()));
        assert_eq!(printed.len(), findings.len());
        let mut placed = 0;
        for (finding, printed) in findings.iter().zip(&printed) {
            let span = finding.location.as_ref().and_then(|l| map.locate(l));
            let expected = span.map(|s| (s.line, s.column));
            let line = printed["line"].as_u64().map(|l| l as usize);
            let column = printed["column"].as_u64().map(|c| c as usize);
            assert_eq!(line.zip(column), expected, "{finding:?}");
            placed +=
                usize::from(matches!(finding.location, Some(Location::Pointer { .. })) && expected.is_some());
        }
        assert!(placed >= 7, "findings placed: {placed}");
    }
}

/// Regression: `check` stopped after structural errors, so a bad certainty
/// and an unknown entity further down appeared only on a second run.
#[test]
fn structural_errors_do_not_hide_the_others() {
    let (status, stdout, _) = check_fixture("structural-and-more", &[]);
    assert_eq!(status, 1);
    for code in ["error[unknown-field]", "error[unknown-certainty]", "error[unknown-entity]"] {
        assert!(stdout.contains(code), "expected {code} in one run:\n{stdout}");
    }
    insta::assert_snapshot!("check-structural-and-more", stdout);
}
