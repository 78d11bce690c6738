//! Editing commands: init, add, remove, rename, fmt — and the promise that
//! no edit ever loses data (locking, atomic writes, refusal without change).

use crate::common::*;
use std::process::{Command, Stdio};

/// A temp dir with a small graph: five entities and one reference.
fn small() -> Workspace {
    let dir = Workspace::empty();
    let ok = |args: &[&str]| {
        dir.ok(args);
    };
    for id in ["zinc", "alp", "bone", "osteoblast", "collagen"] {
        ok(&["add", "entity", id, "--name", &id.to_uppercase(), "--kind", "protein"]);
    }
    ok(&[
        "add",
        "reference",
        "--title",
        "A study",
        "--author",
        "Seo HJ",
        "--year",
        "2010",
        "--pmid",
        "21103080",
    ]);
    dir
}

#[test]
fn editing_the_built_in_graph_is_refused_with_a_way_forward() {
    let (code, stdout, stderr) = run(&["add", "entity", "x", "--name", "X", "--kind", "nutrient"]);
    assert_ne!(code, 0);
    assert_eq!(stdout, "");
    insta::assert_snapshot!(stderr);
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = Workspace::curated();
    let before = dir.text();
    let (code, _, stderr) =
        output(claimgraph().current_dir(dir.path()).args(["init", "g.json"]).output().unwrap());
    assert_ne!(code, 0);
    assert!(stderr.contains("g.json already exists"), "{stderr}");
    assert_eq!(dir.text(), before);
}

#[test]
fn a_curation_session_prints_every_change() {
    let dir = small();
    let mut transcript = String::new();
    for args in [
        &[
            "add",
            "claim",
            "ZINC",
            "activates",
            "alp",
            "--ref",
            "seo2010",
            "--study",
            "in_vitro",
            "--species",
            "rat",
        ][..],
        &[
            "add",
            "claim",
            "zinc",
            "activates",
            "ALP",
            "--ref",
            "seo2010",
            "--study",
            "animal",
            "--species",
            "rat",
        ],
        &["add", "reference", "--title", "Another study", "--author", "Kim, Tae", "--year", "2012"],
        &[
            "add",
            "claim",
            "zinc",
            "activates",
            "ALP",
            "--ref",
            "kim2012",
            "--study",
            "animal",
            "--species",
            "rat",
        ],
        &[
            "add",
            "claim",
            "zinc",
            "activates",
            "alp",
            "--ref",
            "seo2010",
            "--study",
            "animal",
            "--species",
            "mouse",
        ],
        &[
            "add",
            "evidence",
            "zinc--activates--alp",
            "--ref",
            "seo2010",
            "--tissue",
            "bone",
            "--study",
            "animal",
        ],
        &["add", "reference", "--pmid", "21103080", "--title", "Same again"],
        &["remove", "entity", "alp"],
        &["remove", "entity", "alp", "--cascade", "--dry-run"],
        &["rename", "zinc", "zn"],
        &["remove", "reference", "seo2010", "--cascade"],
    ] {
        let (code, stdout, stderr) = dir.run(args);
        transcript.push_str(&format!("$ claimgraph {}\n[exit {code}]\n{stdout}{stderr}\n", args.join(" ")));
    }
    insta::assert_snapshot!(transcript);
    let graph = claimgraph::load::parse(&dir.text()).unwrap();
    assert!(graph.claims.iter().all(|c| c.evidence.iter().all(|e| e.reference == "kim2012")));
    assert_eq!(graph.references.len(), 1);
    assert!(graph.entity("zn").is_some() && graph.entity("zinc").is_none());
}

#[test]
fn a_rejected_edit_leaves_the_file_byte_identical() {
    let dir = Workspace::curated();
    let before = dir.bytes();
    let (code, stdout, stderr) =
        dir.run(&["add", "claim", "zinc", "activtes", "alp", "--ref", "seo2010", "--study", "rct"]);
    assert_ne!(code, 0);
    assert_eq!(stdout, "");
    assert!(stderr.contains("unknown-predicate"), "diagnostics are shown: {stderr}");
    assert!(stderr.contains("did you mean `activates`?"), "{stderr}");
    assert!(stderr.contains("g.json is unchanged"), "{stderr}");
    assert_eq!(dir.bytes(), before);
}

#[test]
fn refusal_message_for_a_new_error() {
    let dir = small();
    let (code, _, stderr) = dir.run(&["add", "entity", "Bad Id", "--name", "x", "--kind", "protein"]);
    assert_ne!(code, 0);
    insta::assert_snapshot!(stderr);
}

#[test]
fn dry_run_prints_the_change_and_writes_nothing() {
    let dir = Workspace::curated();
    let before = dir.text();
    let (code, stdout, _) = dir.run(&[
        "add",
        "entity",
        "boron",
        "--name",
        "Boron",
        "--kind",
        "nutrient",
        "--alias",
        "B",
        "--dry-run",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("added entity `boron`") && stdout.contains("dry run: g.json not written"),
        "{stdout}"
    );
    assert_eq!(dir.text(), before);
}

/// Lines of `before` missing from `after`, once the common start and end are taken away.
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let removed = a[prefix..a.len() - suffix].iter().map(|s| s.to_string()).collect();
    let added = b[prefix..b.len() - suffix].iter().map(|s| s.to_string()).collect();
    (removed, added)
}

#[test]
fn an_edit_changes_only_the_lines_it_must() {
    let dir = Workspace::curated();
    let (code, stdout, _) = dir.run(&["fmt"]);
    assert_eq!(code, 0, "{stdout}");
    let before = dir.text();
    let (code, stdout, stderr) = dir.run(&[
        "add",
        "claim",
        "zinc",
        "activates",
        "alp",
        "--ref",
        "seo2010",
        "--study",
        "in_vitro",
        "--tissue",
        "dentin",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("not in canonical form"), "{stdout}");
    let (removed, added) = changed_lines(&before, &dir.text());
    assert!(removed.is_empty(), "no existing line changes: {removed:?}");
    assert!(added.iter().any(|l| l.contains("\"tissue\": \"dentin\"")), "{added:?}");
    assert!(added.len() < 20, "only the new claim's lines: {added:?}");
    // fmt on a canonical file is a no-op.
    let (_, stdout, _) = dir.run(&["fmt"]);
    assert_eq!(stdout, "g.json unchanged\n");
}

#[test]
fn concurrent_writers_both_succeed_and_both_claims_are_kept() {
    let dir = small();
    let targets = ["alp", "bone", "osteoblast", "collagen"];
    let children: Vec<_> = targets
        .iter()
        .map(|object| {
            claimgraph()
                .current_dir(dir.path())
                .args(["--graph", "g.json", "add", "claim", "zinc", "increases", object])
                .args(["--ref", "seo2010", "--study", "animal"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let (code, out, err) = output(child.wait_with_output().unwrap());
        assert_eq!(code, 0, "{out}{err}");
    }
    let graph = claimgraph::load::parse(&dir.text()).unwrap();
    for object in targets {
        assert!(graph.claim(&format!("zinc--increases--{object}")).is_some(), "claim to {object} was lost");
    }
    assert!(dir.path().join(".g.json.lock").exists(), "the sidecar lock file serialises writers");
}

#[test]
fn a_writer_killed_before_the_rename_leaves_the_old_file_intact() {
    let dir = Workspace::curated();
    let before = dir.bytes();
    let out = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(dir.path())
        .env("CLAIMGRAPH_CRASH_AT", "after-temp-write")
        .args(["--graph", "g.json", "add", "entity", "boron", "--name", "Boron", "--kind", "nutrient"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the crash point aborts the writer");
    assert_eq!(dir.bytes(), before, "old file byte-identical");
    let temps = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            .count()
    };
    assert_eq!(temps(), 1, "the killed writer got as far as its temporary file");
    // The next writer succeeds and clears the stale temporary file.
    let (code, stdout, stderr) =
        dir.run(&["add", "entity", "boron", "--name", "Boron", "--kind", "nutrient"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(temps(), 0);
    assert!(dir.text().contains("\"id\": \"boron\""));
}

#[test]
fn subject_and_object_resolve_like_trace() {
    let dir = Workspace::curated();
    let (code, _, stderr) = dir.run(&["add", "claim", "zink", "activates", "alp", "--ref", "seo2010"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("no entity matches `zink`") && stderr.contains("did you mean `zinc`"),
        "{stderr}"
    );
}
