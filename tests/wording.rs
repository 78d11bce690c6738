//! How claims read in `show`, `neighbors` and `check`: negated claims as null
//! results ("does not increase", no `+`), verbs agreeing with plural
//! subjects, and a denial stated by the claim that denies.

use crate::common::*;

/// Ice panels and rock trails: a claim, its null result, and an unrelated
/// positive claim on the same pair.
fn graph() -> Workspace {
    let dir = Workspace::empty();
    let d = &dir;
    d.ok(&["add", "entity", "ice-panels", "--name", "Thin floating ice panels", "--kind", "process"]);
    d.ok(&["add", "entity", "rock-trails", "--name", "Rock trails", "--kind", "outcome"]);
    for (id, year) in [("a", "2001"), ("b", "2002"), ("c", "2003")] {
        d.ok(&["add", "reference", "--id", id, "--title", &format!("Study {id}"), "--year", year]);
    }
    d.ok(&["add", "claim", "ice-panels", "required_for", "rock-trails", "--ref", "a", "--study", "animal"]);
    d.ok(&[
        "add",
        "claim",
        "ice-panels",
        "required_for",
        "rock-trails",
        "--ref",
        "b",
        "--study",
        "animal",
        "--negated",
    ]);
    d.ok(&["add", "claim", "ice-panels", "increases", "rock-trails", "--ref", "c", "--study", "animal"]);
    dir
}

#[test]
fn show_reads_negated_claims_as_null_results_with_agreeing_verbs() {
    let dir = graph();
    let out = dir.ok(&["show", "ice-panels"]);
    assert!(out.contains("Thin floating ice panels are not required for Rock trails (null result)"), "{out}");
    // `required_for` is structural and unsigned (issue 11).
    assert!(out.contains("Thin floating ice panels are required for Rock trails (none)"), "{out}");
    assert!(out.contains("Thin floating ice panels increase Rock trails (+)"), "{out}");
    assert!(!out.contains("NOT") && !out.contains(" is "), "{out}");
    let out = dir.ok(&["neighbors", "rock-trails"]);
    assert!(out.contains("are not required for Rock trails (null result)"), "{out}");
}

#[test]
fn a_negated_increases_reads_does_not_increase() {
    let dir = graph();
    dir.ok(&["add", "entity", "zinc", "--name", "Zinc", "--kind", "nutrient"]);
    dir.ok(&["add", "claim", "zinc", "increases", "rock-trails", "--ref", "a", "--negated"]);
    let out = dir.ok(&["show", "zinc--not_increases--rock-trails"]);
    assert!(out.starts_with("Zinc does not increase Rock trails (null result)"), "{out}");
}

#[test]
fn show_reference_lists_the_references_it_numbers() {
    let (code, out, err) = run(&["show", "seo2010"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[1]"), "{out}");
    let list = out.split("\nReferences\n").nth(1).unwrap_or_else(|| panic!("no reference list: {out}"));
    assert!(list.contains("[1] Seo HJ"), "{list}");
}

#[test]
fn a_null_result_denies_only_its_own_predicate_and_says_so_first() {
    let dir = graph();
    let (_, out, _) = dir.run(&["--format", "json", "check"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let conflicts: Vec<&str> =
        findings.iter().filter(|f| f["code"] == "conflict").map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(
        conflicts,
        ["claim `ice-panels--not_required_for--rock-trails` denies claim `ice-panels--required_for--rock-trails` \
          (ice-panels → rock-trails)"]
    );
}

/// Regression: `trace zink "bone mineralisation"` reported only the first typo.
#[test]
fn both_misspelt_endpoints_are_reported_at_once() {
    let (code, _, err) = run(&["trace", "zink", "bone mineralisation"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("FROM: no entity matches `zink`") && err.contains("TO: no entity matches `bone"),
        "{err}"
    );
    assert!(err.contains("did you mean `zinc`") && err.contains("`bone-mineralization`"), "{err}");
}

/// Regression: an empty trace said "No path" and nothing about why.
#[test]
fn an_empty_trace_names_the_filter_or_the_distance() {
    let (code, out, _) = run(&["trace", "zinc", "bone mineralization", "--min-evidence", "rct"]);
    assert_eq!(code, 0);
    assert!(out.contains("--min-evidence removes every path; without it there would be"), "{out}");
    let (_, out, _) =
        run(&["trace", "zinc", "bone mineralization", "--max-hops", "1", "--via", "osteoblast"]);
    assert!(out.contains("The shortest chain") || out.contains("--via"), "{out}");
    let (_, out, _) = run(&["trace", "bone mineralization", "zinc"]);
    assert!(out.contains("No chain of claims leads from one to the other"), "{out}");
}

/// Regression: `trace` showed a null result on another predicate ("are not
/// required for") as a conflict of an `increases` hop, though `check` (rightly)
/// did not. Both now apply one rule: a null result denies only its own
/// predicate.
#[test]
fn trace_and_check_agree_on_what_a_null_result_contradicts() {
    let dir = graph();
    let d = &dir;
    d.ok(&["add", "entity", "wind", "--name", "Light wind", "--kind", "process"]);
    d.ok(&["add", "claim", "wind", "increases", "rock-trails", "--ref", "a", "--study", "animal"]);
    for predicate in ["required_for", "produces"] {
        d.ok(&[
            "add",
            "claim",
            "wind",
            predicate,
            "rock-trails",
            "--ref",
            "b",
            "--negated",
            "--study",
            "animal",
        ]);
    }
    let trace_conflicts = || -> Vec<String> {
        let out = d.ok(&["--format", "json", "trace", "wind", "rock-trails"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["paths"][0]["hops"][0]["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let check_conflicts = || -> Vec<String> {
        let (_, out, _) = d.run(&["--format", "json", "check"]);
        let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        findings
            .iter()
            .filter(|f| f["code"] == "conflict" && f["message"].as_str().unwrap().contains("wind"))
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(trace_conflicts(), Vec::<String>::new());
    assert_eq!(check_conflicts(), Vec::<String>::new());
    d.ok(&[
        "add",
        "claim",
        "wind",
        "increases",
        "rock-trails",
        "--ref",
        "c",
        "--negated",
        "--study",
        "animal",
    ]);
    assert_eq!(trace_conflicts(), ["wind--not_increases--rock-trails"]);
    let text = d.ok(&["trace", "wind", "rock-trails"]);
    assert!(text.contains("conflicts: 1 hop carries a conflicting claim"), "{text}");
    assert_eq!(
        check_conflicts(),
        ["claim `wind--not_increases--rock-trails` denies claim `wind--increases--rock-trails` (wind → rock-trails)"]
    );
}

/// Regression (issue 11): the answer read "Oysters increases Bone
/// mineralization". Every sentence a trace builds around its endpoints (the
/// answer, the direct claim, each path's net effect, the Markdown title and
/// headlines) agrees with a plural subject, as claims already did.
#[test]
fn a_trace_from_a_plural_subject_reads_with_agreeing_verbs() {
    let (code, text, stderr) = run(&["trace", "oysters", "bone mineralization"]);
    assert_eq!(code, 0, "{stderr}");
    let sentences: Vec<&str> = text.lines().filter(|l| l.contains("Oysters") && !l.contains(" → ")).collect();
    insta::assert_snapshot!("trace-plural-subject", sentences.join("\n"));
    assert!(!text.contains("Oysters increases"), "{text}");
    let (_, markdown, _) = run(&["trace", "oysters", "bone mineralization", "--format", "markdown"]);
    assert!(markdown.starts_with("# How Oysters reach Bone mineralization\n"), "{markdown}");
    assert!(markdown.contains("**Answer: Oysters increase Bone mineralization"), "{markdown}");
    let dir = graph();
    let out = dir.ok(&["trace", "ice-panels", "rock-trails"]);
    assert!(out.contains("Answer: Thin floating ice panels increase Rock trails"), "{out}");
    assert!(out.contains("direct claim: Thin floating ice panels increase Rock trails"), "{out}");
}
