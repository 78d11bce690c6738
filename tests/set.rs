//! `claimgraph set …`: every field of a claim, evidence item, entity and
//! reference can be changed from the command line, through the same checked
//! transaction as `add`.

use crate::common::*;

fn claim<'a>(g: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    g["claims"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()
}

const CLAIM: &str = "zinc--cofactor_of--alp";

#[test]
fn set_claim_changes_certainty_note_and_negation_and_says_so() {
    let dir = Workspace::curated();
    let (code, out, err) =
        dir.run(&["set", "claim", CLAIM, "--certainty", "contested", "--note", "", "--negated", "true"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out, @r"
    claim `zinc--cofactor_of--alp`: certainty `supported` → `contested`
    claim `zinc--cofactor_of--alp`: removed note (was `Zinc is one of two metal cofactors: each active site holds two Zn2+ and one Mg2+ (see magnesium--cofactor_of--alp). The structural data are from the E. coli enzyme; the mammalian statement comes from a review whose bibliographic details were not verified.`)
    claim `zinc--cofactor_of--alp`: negated `false` → `true`
    wrote g.json
    ");
    let g = dir.json();
    let c = claim(&g, CLAIM);
    assert_eq!(
        (c["certainty"].as_str(), c["note"].is_null(), c["negated"].as_bool()),
        (Some("contested"), true, Some(true))
    );
}

#[test]
fn set_claim_refuses_an_unknown_certainty_and_an_unknown_id() {
    let dir = Workspace::curated();
    let before = dir.bytes();
    let (code, _, err) = dir.run(&["set", "claim", CLAIM, "--certainty", "likely"]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown certainty `likely`") && err.contains("g.json is unchanged"), "{err}");
    let (code, _, err) = dir.run(&["set", "claim", "zinc--cofactor_of--alq", "--note", "x"]);
    assert_ne!(code, 0);
    assert!(err.contains("did you mean one of `zinc--cofactor_of--alp`"), "{err}");
    assert_eq!(dir.bytes(), before);
}

#[test]
fn set_with_nothing_to_change_says_unchanged() {
    let dir = Workspace::curated();
    let (code, out, _) = dir.run(&["set", "claim", CLAIM, "--certainty", "supported"]);
    assert_eq!((code, out.as_str()), (0, "g.json unchanged\n"));
}

#[test]
fn set_evidence_by_number_or_by_reference() {
    let dir = Workspace::curated();
    let (code, out, err) =
        dir.run(&["set", "evidence", CLAIM, "2", "--study", "structural", "--locator", "Table 1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "evidence 2 (`millan2006`) of claim `zinc--cofactor_of--alp`: study `review` → `structural`"
        ),
        "{out}"
    );
    assert!(out.contains("set locator to `Table 1`"), "{out}");
    let (code, out, err) =
        dir.run(&["set", "evidence", CLAIM, "--ref", "jmb1991_alp", "--species", "E. coli"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("species `Escherichia coli` → `E. coli`"), "{out}");
    let g = dir.json();
    let ev = &claim(&g, CLAIM)["evidence"];
    assert_eq!((ev[0]["species"].as_str(), ev[1]["study"].as_str()), (Some("E. coli"), Some("structural")));
    assert_eq!(ev[1]["locator"], "Table 1");
}

#[test]
fn set_evidence_explains_a_wrong_selector() {
    let dir = Workspace::curated();
    let (code, _, err) = dir.run(&["set", "evidence", CLAIM, "3", "--study", "animal"]);
    assert_ne!(code, 0);
    assert!(err.contains("has 2 evidence item(s), numbered from 1"), "{err}");
    let (code, _, err) = dir.run(&["set", "evidence", CLAIM, "--ref", "milan2006", "--study", "animal"]);
    assert_ne!(code, 0);
    assert!(err.contains("did you mean `millan2006`?"), "{err}");
    let (code, _, err) = dir.run(&["set", "evidence", CLAIM, "1", "--study", "animl"]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown study type `animl`") && err.contains("did you mean `animal`?"), "{err}");
}

#[test]
fn set_entity_by_name_adds_and_removes_aliases() {
    let dir = Workspace::curated();
    let (code, out, err) = dir.run(&[
        "set",
        "entity",
        "Zn",
        "--add-alias",
        "zinc(2+)",
        "--remove-alias",
        "Zn2+",
        "--kind",
        "compound",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out, @r"
    entity `zinc`: kind `nutrient` → `compound`
    entity `zinc`: removed alias `Zn2+`
    entity `zinc`: added alias `zinc(2+)`
    wrote g.json
    ");
    let (code, _, err) = dir.run(&["set", "entity", "zinc", "--remove-alias", "Zn3+"]);
    assert_ne!(code, 0);
    assert!(err.contains("entity `zinc` has no alias `Zn3+`"), "{err}");
    let (code, _, err) = dir.run(&["set", "entity", "zinq", "--name", "Z"]);
    assert_ne!(code, 0);
    assert!(err.contains("`zinc`"), "{err}");
    let (code, _, err) = dir.run(&["set", "entity", "zinc", "--kind", "nutrent"]);
    assert_ne!(code, 0, "an unknown kind is refused by the check");
    assert!(err.contains("nutrient"), "{err}");
}

/// Issue 13: an entity's `group` (the subsystem its diagram cluster) is
/// written by `add entity --group` and `set entity --group`, shown by
/// `show`, and `check` catches a group spelled two ways or left out.
#[test]
fn entity_groups_are_added_set_shown_and_checked() {
    let dir = Workspace::curated();
    let (code, out, err) = dir.run(&["set", "entity", "pth", "--group", "Calcium balance"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out, @r"
    entity `pth`: group `Bone resorption` → `Calcium balance`
    wrote g.json
    ");
    let (code, out, err) = dir.run(&["show", "pth"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().nth(1).is_some_and(|l| l == "  group: Calcium balance"), "{out}");
    let (code, _, err) = dir.run(&[
        "add",
        "entity",
        "zinc-acetate",
        "--name",
        "Zinc acetate",
        "--kind",
        "supplement",
        "--group",
        "diet and  absorption",
    ]);
    assert_eq!(code, 0, "{err}");
    let g = dir.json();
    let acetate = g["entities"].as_array().unwrap().iter().find(|e| e["id"] == "zinc-acetate").unwrap();
    assert_eq!(acetate["group"], "diet and  absorption");
    let (code, _, err) = dir.run(&["set", "entity", "zinc", "--group", ""]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = dir.run(&["check", "--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let about = |code: &str| -> Vec<String> {
        findings.iter().filter(|f| f["code"] == code).map(|f| f["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(about("group-spelling"), ["zinc-acetate"], "{out}");
    assert_eq!(about("ungrouped-entity"), ["zinc"], "{out}");
    let spelling = findings.iter().find(|f| f["code"] == "group-spelling").unwrap();
    assert!(spelling["help"].as_str().unwrap().contains("`Diet and absorption`"), "{spelling}");
}

#[test]
fn set_reference_fields_and_refuses_a_duplicate_doi() {
    let dir = Workspace::curated();
    let (code, out, err) = dir.run(&["set", "reference", "seo2010", "--note", "checked", "--url", ""]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("reference `seo2010`: set note to `checked`"), "{out}");
    assert!(out.contains("reference `seo2010`: removed url"), "{out}");
    let g = dir.json();
    let doi_of = |id: &str| {
        g["references"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["doi"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let other = doi_of("millan2006");
    let (code, _, err) = dir.run(&["set", "reference", "seo2010", "--doi", &other]);
    assert_ne!(code, 0);
    assert!(err.contains("already present as `millan2006` (same DOI)"), "{err}");
    let (code, _, err) = dir.run(&["set", "reference", "seo2010", "--year", "twenty"]);
    assert_ne!(code, 0);
    assert!(err.contains("bad year `twenty`"), "{err}");
}

#[test]
fn set_dry_run_writes_nothing() {
    let dir = Workspace::curated();
    let before = dir.bytes();
    let (code, out, _) = dir.run(&["set", "claim", CLAIM, "--certainty", "tentative", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("certainty `supported` → `tentative`") && out.contains("dry run: g.json not written"),
        "{out}"
    );
    assert_eq!(dir.bytes(), before);
}

#[test]
fn a_dry_run_leaves_no_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, ..) =
        output(claimgraph().current_dir(dir.path()).args(["init", "g.json", "--dry-run"]).output().unwrap());
    assert_eq!(code, 0);
    assert!(!dir.path().join(".g.json.lock").exists(), "init --dry-run");
    let dir = Workspace::empty();
    std::fs::remove_file(dir.path().join(".g.json.lock")).unwrap();
    let (code, _, err) = dir.run(&["add", "kind", "landform", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = dir.run(&["set", "reference", "nope", "--dry-run", "--note", "x"]);
    assert_ne!(code, 0, "{err}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(names, ["g.json"], "a dry run creates no file");
}

/// `add` and `set` share one definition of a reference's and an evidence
/// item's fields, so a value reads alike in both: a year that is not a number
/// is refused with the same words, a DOI is normalised, an empty optional
/// field is left out, and `--type` defaults to article only for a new record.
#[test]
fn add_and_set_read_reference_and_evidence_fields_alike() {
    let dir = Workspace::empty();
    for args in [
        &["add", "reference", "--id", "r1", "--title", "T", "--year", "twenty"][..],
        &["set", "reference", "r1", "--year", "twenty"],
    ] {
        if args[0] == "set" {
            dir.ok(&[
                "add",
                "reference",
                "--id",
                "r1",
                "--title",
                "T",
                "--doi",
                "https://doi.org/10.1000/XYZ",
            ]);
        }
        let (code, _, err) = dir.run(args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains("bad year `twenty`") && err.contains("a year is a number"), "{args:?}: {err}");
    }
    let g = dir.json();
    assert_eq!(
        (g["references"][0]["doi"].as_str(), g["references"][0]["type"].as_str()),
        (Some("10.1000/xyz"), Some("article"))
    );
    dir.ok(&["add", "entity", "a", "--name", "A", "--kind", "process"]);
    dir.ok(&["add", "entity", "b", "--name", "B", "--kind", "process"]);
    dir.ok(&["add", "claim", "a", "increases", "b", "--ref", "r1", "--study", "animal", "--quote", ""]);
    let out = dir.ok(&["set", "evidence", "a--increases--b", "1", "--quote", "", "--study", "animal"]);
    assert!(out.contains("unchanged"), "{out}");
    let g = dir.json();
    assert!(g["claims"][0]["evidence"][0].get("quote").is_none(), "{}", g["claims"][0]);
}
