//! Regression tests for the reliability and security probe (issue 15): each
//! reproducer from the probe, named after its bug, must end in a located
//! error or a correct answer (exit 0 or 1), never a panic (101), an abort
//! (134), a hang or raw hostile text in the output.

use crate::common::*;
use claimgraph::import::{self, Source};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Exit code, stdout and stderr of `claimgraph ARGS` in `dir`, killed (and
/// failed) if it runs for more than a minute: a hang is a bug here.
fn bounded(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = claimgraph();
    cmd.current_dir(dir).args(args);
    let (code, out, err) = run_bounded(cmd);
    assert!(code == 0 || code == 1, "exit {code} for {args:?}\n{out}\n{err}");
    (code, out, err)
}

fn run_bounded(mut cmd: Command) -> (i32, String, String) {
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("hung for a minute: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A temp dir with `g.json`, a copy of the curated graph.
fn curated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    bounded(dir.path(), &["init", "g.json", "--from-default"]);
    dir
}

fn hostile() -> String {
    fixture("hardening/hostile.json").display().to_string()
}

// ---- importers -----------------------------------------------------------

#[test]
fn ris_tag_split_by_a_multibyte_character_is_no_panic() {
    let parsed = import::parse("TY  - JOUR\nDO  \u{e9}- x\nER  - \n", Source::Ris);
    assert_eq!(parsed.entries.len(), 1);
}

#[test]
fn medline_tag_split_by_a_multibyte_character_is_no_panic() {
    let parsed = import::parse("PMID- 1\nAU \u{2014}\n", Source::Medline);
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(parsed.entries[0].reference.pmid.as_deref(), Some("1"));
}

#[test]
fn bibtex_crossref_cycles_do_not_overflow_the_stack() {
    let dir = curated();
    let files: [(&str, &str); 3] = [
        ("self.bib", "@article{a, title={Self}, year=2000, crossref={a}}\n"),
        (
            "pair.bib",
            "@article{a, title={A}, crossref={b}}\n@article{b, title={B}, year=2001, crossref={a}}\n",
        ),
        ("xdata.bib", "@article{a, title={A}, xdata={a}}\n"),
    ];
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
        let (code, out, err) = bounded(dir.path(), &["--graph", "g.json", "import", name, "--dry-run"]);
        assert_eq!(code, 0, "{name}: {out}{err}");
    }
    // A cycle still inherits what its other member has.
    let parsed = import::parse(files[1].1, Source::Bibtex);
    assert!(parsed.entries.iter().all(|e| e.reference.year == Some(2001)), "{parsed:?}");
}

/// Found by fuzzing `import_bibtex`: the parser's error offset fell inside
/// a character (replacement characters from invalid UTF-8 after a macro),
/// and placing the error on its line sliced the text there.
#[test]
fn a_bibtex_error_inside_a_character_is_no_panic() {
    let text = "@STRING{AC=X}\n@\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\",o=AC}";
    let parsed = import::parse(text, Source::Bibtex);
    assert!(parsed.entries.is_empty());
    assert_eq!(parsed.skipped.len(), 1, "{:?}", parsed.skipped);
    assert!(parsed.skipped[0].reason.contains("at line 2"), "{:?}", parsed.skipped);
}

#[test]
fn bibtex_string_macro_cycles_do_not_overflow_the_stack() {
    let text = "@string{x = y}\n@string{y = x}\n@string{ok = {Fine}}\n\
                @article{a, title=x, year=2000}\n@article{b, title=ok, year=2001}\n";
    let parsed = import::parse(text, Source::Bibtex);
    assert_eq!(parsed.entries.len(), 1, "{parsed:?}");
    assert_eq!(parsed.entries[0].reference.title, "Fine");
    assert_eq!(parsed.skipped.len(), 1);
    assert_eq!(parsed.skipped[0].line, 4);
}

#[test]
fn bibtex_brace_nesting_is_bounded_and_reported_with_its_line() {
    let n = 100_000;
    let deep = format!(
        "@article{{ok, title={{Fine}}, year=2000}}\n@article{{a, title={}x{}, year=2000}}\n",
        "{".repeat(n),
        "}".repeat(n)
    );
    let parsed = import::parse(&deep, Source::Bibtex);
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(parsed.skipped.len(), 1);
    assert!(parsed.skipped[0].reason.contains("nested deeper than 64 (at line 2)"), "{:?}", parsed.skipped);
}

#[test]
fn bibtex_crossref_gives_the_collection_year_and_title() {
    let text = std::fs::read_to_string(fixture("import/pybtex-xampl.bib")).unwrap();
    let parsed = import::parse(&text, Source::Bibtex);
    let entry = parsed.entries.iter().find(|e| e.key.as_deref() == Some("incollection-crossref")).unwrap();
    assert_eq!(entry.reference.year, Some(1977), "inherited from whole-collection");
    assert_eq!(entry.reference.journal.as_deref(), Some("High Speed Computer and Algorithm Organization"));
    assert_eq!(entry.reference.title, "Semigroups of Recurrences", "its own title, not the parent's");
}

// ---- the loader and check ------------------------------------------------

#[test]
fn json_nested_100k_deep_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let cases = [
        ("arrays.json", format!("{}{}", "[".repeat(n), "]".repeat(n))),
        ("objects.json", format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))),
        ("field.json", format!("{{\"schema\":\"x\",\"title\":{}{}}}", "[".repeat(n), "]".repeat(n))),
    ];
    for (name, text) in cases {
        write(dir.path(), name, text.as_bytes());
        let (code, out, _) = bounded(dir.path(), &["--graph", name, "check"]);
        assert_eq!(code, 1);
        assert!(out.contains("nesting deeper than 64 at line 1"), "{name}: {out}");
        let (code, _, err) = bounded(dir.path(), &["--graph", name, "stats"]);
        assert_eq!(code, 1, "{err}");
    }
}

/// Found by fuzzing `load` (25 inputs, each over 10 s and gigabytes):
/// a `}` where an array element should be made the source map, which places
/// the finding, count array elements forever. The error must come back at
/// once, located.
#[test]
fn a_brace_inside_an_array_is_a_located_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("field.json", "{\n  \"a\": [\n    }\n  ]\n}\n", "field.json:2:3"),
        ("element.json", "{\"entities\": [1, }]}", "element.json:1:15"),
    ];
    for (name, text, place) in cases {
        write(dir.path(), name, text.as_bytes());
        let (code, out, _) = bounded(dir.path(), &["--graph", name, "check"]);
        assert_eq!(code, 1);
        assert!(out.contains(place), "{out}");
    }
}

#[test]
fn check_past_column_65535_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = " ".repeat(65_536);
    text.push('x');
    write(dir.path(), "spaces.json", text.as_bytes());
    let (code, out, _) = bounded(dir.path(), &["--graph", "spaces.json", "check"]);
    assert_eq!(code, 1);
    assert!(out.contains("spaces.json:1:65537"), "{out}");
}

#[test]
fn a_minified_graph_prints_an_excerpt_of_its_line_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut graph: serde_json::Value = serde_json::from_str(claimgraph::DEFAULT_GRAPH).unwrap();
    let last = graph["claims"].as_array().unwrap().len() - 1;
    graph["claims"][last]["predicate"] = "bogus".into();
    let text = serde_json::to_string(&graph).unwrap();
    assert!(text.len() > 65_536 && !text.contains('\n'));
    write(dir.path(), "min.json", text.as_bytes());
    let (code, out, _) = bounded(dir.path(), &["--graph", "min.json", "check"]);
    assert_eq!(code, 1);
    assert!(out.contains("unknown predicate `bogus`"), "{out}");
    let findings = out.matches("min.json:1:").count();
    assert!(findings > 1, "{out}");
    // Each finding shows a window of the line, not the whole 100 KB line.
    assert!(out.len() < findings * 2_000, "{} bytes for {findings} findings", out.len());
}

/// `check` on a big file placed its findings in a second read of the file:
/// a writer renaming a new version in between gave offsets from one
/// version to the other, which split characters (a panic). Placing the
/// findings of one version in the bytes of another must never panic.
#[test]
fn findings_placed_in_other_bytes_never_panic() {
    use claimgraph::cli::diagnostics::Located;
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("big.json");
    generate(&graph, 4000, 800);
    let text = std::fs::read_to_string(&graph).unwrap().replacen("\"inhibits\"", "\"inhibitz\"", 3);
    let (model, records) = claimgraph::load::parse_fast_with_records(text.as_bytes()).unwrap();
    let findings = claimgraph::check::check(&model);
    assert!(findings.iter().any(|f| f.message.contains("inhibitz")));
    // Another version: every ASCII letter now a two-byte character.
    let other = text.replace('e', "é");
    let located = Located::in_records("big.json", other.as_bytes(), &findings, &records);
    let _ = located.render(false);
    let half = (other.len() / 2..).find(|&i| other.is_char_boundary(i)).unwrap();
    let located = Located::new("big.json", &other[..half], &findings);
    let _ = located.render(false);
}

#[test]
fn graph_files_are_read_only_if_regular() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let edit: &[&str] = &["add", "entity", "x", "--name", "X", "--kind", "nutrient"];
    for graph in [fifo.to_str().unwrap(), "/dev/zero", "/dev/null"] {
        // (No edit of a device: its lock file would be created in /dev.)
        let edits = if graph.starts_with("/dev/") { None } else { Some(edit) };
        for args in [&["check"][..], &["stats"], &["trace", "zinc", "bone"]].into_iter().chain(edits) {
            let mut full = vec!["--graph", graph];
            full.extend_from_slice(args);
            let (code, _, err) = bounded(dir.path(), &full);
            assert_eq!(code, 1);
            assert!(words(&err).contains("only regular files are read"), "{full:?}: {err}");
        }
    }
    let (code, _, err) =
        bounded(dir.path(), &["--graph", "g.json", "import", fifo.to_str().unwrap(), "--from", "ris"]);
    assert_eq!(code, 1);
    assert!(words(&err).contains("only regular files are read"), "{err}");
}

/// Text with its line wrapping (and the diagnostics' gutter) undone.
fn words(text: &str) -> String {
    text.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ")
}

#[test]
fn a_fifo_at_the_snapshot_path_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("big.json");
    generate(&graph, 4000, 800);
    let cache = dir.path().join("cache");
    let absolute = std::fs::canonicalize(&graph).unwrap();
    let key = xxhash_rust::xxh3::xxh3_64(absolute.as_os_str().as_encoded_bytes());
    std::fs::create_dir_all(cache.join("claimgraph")).unwrap();
    let snapshot = cache.join("claimgraph").join(format!("{key:016x}.snapshot"));
    assert!(Command::new("mkfifo").arg(&snapshot).status().unwrap().success());
    let mut cmd = claimgraph();
    cmd.env("XDG_CACHE_HOME", &cache).env_remove("CLAIMGRAPH_NO_CACHE").arg("--graph").arg(&graph);
    cmd.args(["trace", "e0000003", "e0000005"]);
    let (code, _, err) = run_bounded(cmd);
    assert_eq!(code, 0, "{err}");
}

// ---- writes ----------------------------------------------------------------

fn add_boron(dir: &Path, graph: &str) -> (i32, String, String) {
    bounded(dir, &["--graph", graph, "add", "entity", "boron", "--name", "Boron", "--kind", "nutrient"])
}

#[test]
fn a_symlinked_graph_is_edited_at_its_target() {
    let dir = curated();
    std::os::unix::fs::symlink("g.json", dir.path().join("link.json")).unwrap();
    let (code, out, err) = add_boron(dir.path(), "link.json");
    assert_eq!(code, 0, "{out}{err}");
    let link = std::fs::symlink_metadata(dir.path().join("link.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert!(std::fs::read_to_string(dir.path().join("g.json")).unwrap().contains("\"boron\""));
}

#[test]
fn an_edit_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    for mode in [0o600, 0o640, 0o664] {
        let dir = curated();
        let path = dir.path().join("g.json");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let (code, out, err) = add_boron(dir.path(), "g.json");
        assert_eq!(code, 0, "{out}{err}");
        let now = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(now, mode, "mode {mode:o} kept");
    }
}

#[test]
fn a_writer_waiting_for_a_lock_says_so_and_gives_up() {
    let dir = curated();
    // Hold the lock as another writer would (and sign it as claimgraph does).
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(dir.path().join(".g.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(dir.path().join(".g.json.lock"), "process 4242").unwrap();
    let (code, _, err) = bounded(
        dir.path(),
        &[
            "--graph",
            "g.json",
            "--lock-timeout",
            "2",
            "add",
            "entity",
            "boron",
            "--name",
            "Boron",
            "--kind",
            "nutrient",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("waiting for the lock on g.json held by process 4242"), "{err}");
    assert!(err.contains("gave up after 2s waiting for the lock"), "{err}");
    assert!(!std::fs::read_to_string(dir.path().join("g.json")).unwrap().contains("\"boron\""));
    drop(lock);
    let (code, _, err) = add_boron(dir.path(), "g.json");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn temp_file_cleanup_leaves_a_users_own_files_alone() {
    let dir = curated();
    let mine = write(dir.path(), ".g.json.backup.tmp", b"mine");
    let stale = write(dir.path(), ".g.json.claimgraph-99999.tmp", b"stale");
    let (code, _, err) = add_boron(dir.path(), "g.json");
    assert_eq!(code, 0, "{err}");
    assert!(mine.exists(), "a user's file is not ours to delete");
    assert!(!stale.exists(), "a stale temp of ours is removed");
}

// ---- injection -------------------------------------------------------------

#[test]
fn cite_html_escapes_titles_authors_and_journals() {
    let (code, out, err) =
        bounded(Path::new("."), &["--graph", &hostile(), "cite", "--all", "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    for raw in ["<script", "<img", "<iframe", "href=\"javascript"] {
        assert!(!out.contains(raw), "raw `{raw}` in\n{out}");
    }
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{out}");
}

#[test]
fn a_bib_with_script_titles_imports_and_cites_escaped() {
    let dir = curated();
    let bib = "@article{evil2001, title={<script>alert(1)</script> Zinc}, author={Doe, Jane}, \
               journal={<iframe src=x></iframe>}, year=2001, doi={10.1000/\"><script>alert(2)</script>}}\n";
    write(dir.path(), "evil.bib", bib.as_bytes());
    let (code, out, err) = bounded(dir.path(), &["--graph", "g.json", "import", "evil.bib"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("malformed DOI"), "the DOI is left out: {out}");
    let (code, out, err) = bounded(dir.path(), &["--graph", "g.json", "cite", "--all", "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("<script") && !out.contains("<iframe"), "{out}");
}

#[test]
fn a_doi_that_breaks_out_of_an_attribute_fails_check_with_its_place() {
    let dir = curated();
    let mut graph: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("g.json")).unwrap()).unwrap();
    graph["references"][0]["doi"] = "10.1000/\"><script>alert(2)</script>".into();
    write(dir.path(), "g.json", serde_json::to_string_pretty(&graph).unwrap().as_bytes());
    let (code, out, _) = bounded(dir.path(), &["--graph", "g.json", "check"]);
    assert_eq!(code, 1);
    assert!(out.contains("error[bad-doi]") && out.contains("g.json:"), "{out}");
    for doi in ["10.1000/a b", "10.1000/a<b", "10.1000/a\u{1b}b"] {
        assert!(!claimgraph::model::valid_doi(doi), "{doi:?}");
    }
}

/// Render Markdown with a CommonMark library; return the raw HTML it let
/// through (blocks and inline).
fn raw_html(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser};
    Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn trace_markdown_renders_without_raw_html() {
    let (code, out, err) =
        bounded(Path::new("."), &["--graph", &hostile(), "trace", "zinc", "bone", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("[^1]: ") && out.contains("script\\>alert(1)"),
        "the reference without authors is listed: {out}"
    );
    assert_eq!(raw_html(&out), Vec::<String>::new(), "{out}");
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&out));
    for raw in ["<script", "<img", "<iframe", "href=\"javascript"] {
        assert!(!html.contains(raw), "`{raw}` in the rendered page:\n{html}");
    }
    let (code, out, _) =
        bounded(Path::new("."), &["--graph", &hostile(), "cite", "--all", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert_eq!(raw_html(&out), Vec::<String>::new(), "{out}");
}

#[test]
fn terminal_output_carries_no_control_characters_from_the_file() {
    let graph = hostile();
    for args in [
        &["show", "zinc"][..],
        &["show", "zinc--increases--alp"],
        &["trace", "zinc", "bone"],
        &["neighbors", "zinc"],
        &["downstream", "zinc"],
        &["stats"],
        &["cite", "--all"],
    ] {
        let mut full = vec!["--graph", graph.as_str()];
        full.extend_from_slice(args);
        let (code, out, err) = bounded(Path::new("."), &full);
        assert_eq!(code, 0, "{args:?}: {err}");
        let bad: Vec<char> = out.chars().filter(|c| c.is_control() && *c != '\n' && *c != '\t').collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?}:\n{out}");
    }
    // A raw ESC byte in the file (outside any string) reaches no snippet.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "esc.json", b"{\"schema\": \x1b[31m}\n");
    let (code, out, _) = bounded(dir.path(), &["--graph", "esc.json", "check"]);
    assert_eq!(code, 1);
    assert!(!out.contains('\u{1b}'), "{out}");
}

// ---- property tests: the fuzz targets' bodies, briefly, in every CI run ------

/// Fixtures with some bytes spliced in: structured enough to reach deep
/// into the parsers, damaged enough to reach their error paths. (The
/// coverage-guided targets in `fuzz/` do this for hours; this keeps the
/// same entry points under test in every `cargo test`.)
fn damaged(fixtures: &'static [&'static str]) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let texts: Vec<String> = fixtures.iter().map(|f| std::fs::read_to_string(fixture(f)).unwrap()).collect();
    (0..texts.len(), any::<u32>(), any::<u32>(), proptest::collection::vec(any::<u8>(), 0..16)).prop_map(
        move |(which, at, cut, splice)| {
            let mut bytes = texts[which].as_bytes().to_vec();
            let at = at as usize % (bytes.len() + 1);
            let end = (at + cut as usize % 64).min(bytes.len());
            bytes.splice(at..end, splice);
            String::from_utf8_lossy(&bytes).into_owned()
        },
    )
}

// A fixed seed: the same 48 damaged inputs in every run, so a failure here
// is reproducible and never depends on the run (an unseeded run once drew
// an input that made the source map loop, so the test hung in one CI run in
// many). Random exploration is the fuzz targets' job (`fuzz/run`).
proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 48,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x00c1_a1e6),
        ..Default::default()
    })]

    #[test]
    fn importers_take_damaged_files(text in damaged(&[
        "import/pybtex-xampl.bib", "import/latex-and-broken.bib", "import/rispy-example_multiline.ris",
        "import/biopython-medline-pubmed_result2.txt", "import/commonmeta-csl-list.json",
    ])) {
        for source in [Source::Bibtex, Source::Ris, Source::CslJson, Source::Medline] {
            let mut graph = claimgraph::model::Graph::default();
            let _ = import::merge(&mut graph, import::parse(&text, source)).to_string();
        }
    }

    #[test]
    fn the_loader_places_and_renders_findings_in_damaged_graphs(text in damaged(&[
        "trace/small.json", "check/valid.json", "export/hostile.json", "hardening/hostile.json",
    ])) {
        use claimgraph::cli::diagnostics::Located;
        let findings = claimgraph::load::parse(&text).map_or_else(|f| f, |g| claimgraph::check::check(&g));
        let located = Located::new("damaged.json", &text, &findings);
        let _ = (located.render(false), located.to_json());
    }
}
