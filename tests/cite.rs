//! `claimgraph cite`: bibliographies through a real CSL engine, in the
//! styles we promise, as text, Markdown and HTML.

use crate::common::*;
use std::path::Path;

/// A graph built the way a curator would: real records imported from
/// BibTeX and MEDLINE exports, then two entities and claims citing them.
fn graph() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ok = |args: &[&str]| {
        let (code, out, err) = output(claimgraph().current_dir(dir.path()).args(args).output().unwrap());
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    };
    ok(&["init", "g.json"]);
    for file in ["commonmeta-crossref.bib", "biopython-medline-pubmed_result3.txt"] {
        ok(&["--graph", "g.json", "import", fixture(&format!("import/{file}")).to_str().unwrap()]);
    }
    ok(&["--graph", "g.json", "add", "entity", "hypocotyl", "--name", "Hypocotyl", "--kind", "tissue"]);
    ok(&["--graph", "g.json", "add", "entity", "growth", "--name", "Secondary growth", "--kind", "process"]);
    ok(&["--graph", "g.json", "add", "claim", "hypocotyl", "part_of", "growth", "--ref", "Sankar_2014"]);
    ok(&["--graph", "g.json", "add", "claim", "growth", "associated_with", "hypocotyl", "--ref", "qiao2012"]);
    dir
}

fn cite(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = output(
        claimgraph().current_dir(dir).args(["--graph", "g.json", "cite"]).args(args).output().unwrap(),
    );
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

#[test]
fn bibliographies_in_each_promised_style() {
    let dir = graph();
    let mut all = String::new();
    for style in ["apa", "vancouver", "harvard"] {
        for format in ["text", "markdown", "html"] {
            let out = cite(dir.path(), &["--all", "--style", style, "--format", format]);
            all.push_str(&format!("## --style {style} --format {format}\n{out}\n"));
        }
    }
    insta::assert_snapshot!(all);
}

#[test]
fn vancouver_keeps_the_authors() {
    // hayagriva's own nlm-citation-sequence drops authors; ours must not.
    let out = cite(graph().path(), &["--all", "--style", "vancouver"]);
    assert!(out.contains("Sankar M, Nieminen K, Ragni L"), "{out}");
    assert!(out.contains("Qiao"), "{out}");
}

#[test]
fn selection_by_claim_and_by_entity() {
    let dir = graph();
    let by_claim = cite(dir.path(), &["--claim", "hypocotyl--part_of--growth"]);
    assert_eq!(by_claim.lines().count(), 1);
    assert!(by_claim.contains("Sankar"), "{by_claim}");
    let by_entity = cite(dir.path(), &["--entity", "Secondary growth"]);
    assert_eq!(by_entity.lines().count(), 2, "{by_entity}");
}

#[test]
fn unknown_style_and_claim_are_explained() {
    let dir = graph();
    let (code, _, stderr) = output(
        claimgraph()
            .current_dir(dir.path())
            .args(["--graph", "g.json", "cite", "--all", "--style", "vancuver"])
            .output()
            .unwrap(),
    );
    assert_ne!(code, 0);
    assert!(
        stderr.contains("unknown citation style `vancuver`") && stderr.contains("`vancouver`"),
        "{stderr}"
    );
    let (code, _, stderr) = output(
        claimgraph()
            .current_dir(dir.path())
            .args(["--graph", "g.json", "cite", "--claim", "nope"])
            .output()
            .unwrap(),
    );
    assert_ne!(code, 0);
    assert!(stderr.contains("no claim `nope`"), "{stderr}");
}

#[test]
fn the_built_in_graph_can_be_cited_without_a_file() {
    let (code, stdout, stderr) = run(&["cite", "--all", "--style", "harvard"]);
    assert_eq!(code, 0, "{stderr}");
    let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
    assert_eq!(stdout.lines().count(), graph.references.len());
}

/// `cite --trace` cites exactly the references `trace` cites (carrying and
/// conflicting claims), with the same filters, in the same order.
#[test]
fn trace_bibliography_matches_the_trace_report() {
    let filters = ["--max-hops", "3", "--limit", "5"];
    let (code, json, stderr) =
        run(&[&["trace", "zinc", "bone-mineralization", "--format", "json"][..], &filters].concat());
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut expected: Vec<String> = report["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    let (code, html, stderr) = run(&[
        &["cite", "--trace", "zinc", "bone-mineralization", "--format", "html"][..],
        &filters,
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    let mut cited: Vec<String> = html
        .lines()
        .filter_map(|l| l.split("id=\"ref-").nth(1))
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    cited.sort();
    assert_eq!(cited, expected);
}

#[test]
fn trace_without_a_path_says_so() {
    let dir = graph();
    let (code, _, stderr) = output(
        claimgraph()
            .current_dir(dir.path())
            .args(["--graph", "g.json", "cite", "--trace", "growth", "hypocotyl", "--predicate", "part_of"])
            .output()
            .unwrap(),
    );
    assert_ne!(code, 0);
    assert!(stderr.contains("no path from `growth` to `hypocotyl`"), "{stderr}");
}

/// `trace`'s reference list and `cite --style vancouver` go through the same
/// CSL engine and style, so a reference reads the same in both.
#[test]
fn trace_and_cite_format_a_reference_the_same_way() {
    let (code, trace, _) = run(&["trace", "zinc", "collagen synthesis"]);
    assert_eq!(code, 0);
    let (code, cited, stderr) =
        run(&["cite", "--claim", "zinc--increases--collagen-synthesis", "--style", "vancouver"]);
    assert_eq!(code, 0, "{stderr}");
    let entry = cited.lines().find(|l| l.contains("Seo HJ")).expect("cite lists Seo 2010");
    let entry = entry.split_once("] ").map_or(entry, |(_, rest)| rest);
    let entry = entry.split(" PMID").next().unwrap();
    assert!(trace.lines().any(|l| l.contains(entry)), "trace shows `{entry}`:\n{trace}");
}

/// Regression: `cite --trace` left out a reference that supports only a
/// claim conflicting with a hop, though the trace cites it.
#[test]
fn trace_bibliography_includes_the_references_of_conflicting_claims() {
    let dir = Workspace::empty();
    let ok = |args: &[&str]| dir.ok(args);
    ok(&["add", "entity", "a", "--name", "A", "--kind", "process"]);
    ok(&["add", "entity", "b", "--name", "B", "--kind", "process"]);
    ok(&["add", "reference", "--id", "up", "--title", "A raises B", "--year", "2001"]);
    ok(&["add", "reference", "--id", "down", "--title", "A lowers B", "--year", "2002"]);
    ok(&["add", "claim", "a", "increases", "b", "--ref", "up", "--study", "animal", "--species", "rat"]);
    ok(&[
        "add",
        "claim",
        "a",
        "decreases",
        "b",
        "--ref",
        "down",
        "--study",
        "in_vitro",
        "--species",
        "mouse",
    ]);
    let trace = ok(&["trace", "a", "b"]);
    assert!(trace.contains("A lowers B"), "the trace cites the conflicting claim's reference: {trace}");
    let cited = ok(&["cite", "--trace", "a", "b", "--style", "vancouver"]);
    assert!(cited.contains("A raises B") && cited.contains("A lowers B"), "{cited}");
    let first = |s: &str| s.lines().position(|l| l.contains("A lowers B"));
    assert!(first(&cited).is_some());
}

/// Regression: [1] was one paper in the text trace and another in the
/// diagram's legend. Every numbered list of one trace — the text report, the
/// Markdown report, `cite --trace` in a numbered style, the legend of an
/// `export --trace` diagram and the bibliography of its HTML explorer — gives
/// each paper the number the trace gives it.
#[test]
fn one_numbering_for_a_trace_in_every_report_and_diagram() {
    let ends = ["zinc", "bone mineralization"];
    let with = |args: &[&str]| {
        let (code, out, err) = run(&[args, &ends[..]].concat());
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    let json: serde_json::Value = serde_json::from_str(&with(&["--format", "json", "trace"])).unwrap();
    // The first words of each titled reference, by the number the trace gives it.
    let numbered: Vec<(usize, String)> = json["references"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let words: Vec<&str> = r["title"].as_str()?.split_whitespace().take(3).collect();
            let plain = words.len() == 3 && words.iter().all(|w| w.chars().all(char::is_alphanumeric));
            plain.then(|| (i + 1, words.join(" ")))
        })
        .collect();
    assert!(numbered.len() >= 5, "{numbered:?}");
    let text = with(&["trace"]);
    let markdown = with(&["--format", "markdown", "trace"]);
    let cited = with(&["cite", "--style", "vancouver", "--trace"]);
    let dot = with(&["export", "--format", "dot", "--trace"]).replace("&#39;", "'").replace("&amp;", "&");
    let html = with(&["export", "--format", "html", "--trace"]);
    // The text after `marker` on the line (or legend cell) it starts.
    let entry = |doc: &str, marker: &str| -> String {
        doc.lines()
            .find_map(|l| l.trim_start().strip_prefix(marker).map(str::to_string))
            .unwrap_or_else(|| panic!("no `{marker}` in:\n{doc}"))
    };
    for (n, words) in &numbered {
        assert!(entry(&text, &format!("[{n}] ")).contains(words.as_str()), "text [{n}] is not {words}");
        assert!(entry(&markdown, &format!("[^{n}]: ")).contains(words.as_str()), "markdown [^{n}]: {words}");
        assert!(entry(&cited, &format!("[{n}] ")).contains(words.as_str()), "cite [{n}]: {words}");
        let cell = dot
            .split("<TD ")
            .find(|cell| cell.contains(&format!(">[{n}] ")))
            .unwrap_or_else(|| panic!("no legend cell [{n}]"));
        assert!(cell.contains(words.as_str()), "legend [{n}] is not {words}: {cell}");
        let item = html
            .split("<li ")
            .find(|li| li.starts_with(&format!("id=\"ref-{n}\"")))
            .unwrap_or_else(|| panic!("no explorer item {n}"));
        assert!(item.contains(words.as_str()), "explorer [{n}] is not {words}: {item}");
    }
}

/// `trace --style` formats the reference list in any style `cite` takes,
/// numbered as the report cites; JSON, which lists references as data,
/// refuses it.
#[test]
fn trace_reports_take_a_citation_style() {
    let (code, apa, err) =
        run(&["--format", "markdown", "trace", "zinc", "collagen synthesis", "--style", "apa"]);
    assert_eq!(code, 0, "{err}");
    let note = apa.lines().find(|l| l.starts_with("[^1]: ")).unwrap_or_else(|| panic!("{apa}"));
    assert!(note.starts_with("[^1]: Seo, H. J., Cho, Y. E.") && note.contains("(2010)"), "{note}");
    let (_, vancouver, _) = run(&["--format", "markdown", "trace", "zinc", "collagen synthesis"]);
    assert!(vancouver.contains("[^1]: Seo HJ, Cho YE"), "{vancouver}");
    let (code, text, err) = run(&["trace", "zinc", "collagen synthesis", "--style", "harvard"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[1] Seo, H.J."), "{text}");
    let (code, _, err) = run(&["trace", "zinc", "collagen synthesis", "--style", "apx"]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown citation style `apx`") && err.contains("did you mean `apa`"), "{err}");
    let (code, out, _) = run(&["--format", "json", "trace", "zinc", "collagen synthesis", "--style", "apa"]);
    assert_ne!(code, 0);
    let error: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(error["error"], "--style applies to the text and Markdown reports");
}
