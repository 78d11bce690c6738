//! `export` to other tools — RDF nanopublications (TriG), GraphML, GEXF,
//! Cytoscape JSON, Mermaid — each checked by the real program that reads it:
//! pyoxigraph, rdflib and nanopub; NetworkX and igraph; Cytoscape.js; Mermaid's
//! parser and its CLI renderer (mmdc) in Chromium.
//!
//! The checkers live in `tests/consumers/`. Each reads the export with its
//! consumer and compares what comes back with the graph file (read with
//! Python's or Node's own JSON parser) and with what the selection holds
//! (written here by the library into an "expect" file). They need `python3`
//! with `pyoxigraph rdflib nanopub networkx igraph` and `node` with
//! `PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/consumers` and Debian's
//! `chromium`, all installed by `.ci/run`; a missing
//! one FAILS the test with that install hint: a check that skips would pass
//! on a machine that checks nothing.

use crate::common::*;
use claimgraph::export::{Effect, Selection};
use claimgraph::index::Index;
use claimgraph::model::Graph;
use claimgraph::query::{trace, TraceOptions};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE: &str = "export/hostile.json";
const BONE: &str = "export/bone.json";

const INSTALL_HINT: &str = "install the consumers as .ci/run does: \
    `python3 -m pip install pyoxigraph rdflib nanopub networkx igraph`, \
    `PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/consumers` and `apt-get install chromium`";

/// An export format, its file suffix and the checker that reads it.
#[derive(Debug, Clone, Copy)]
struct Format {
    name: &'static str,
    suffix: &'static str,
    checker: &'static [&'static str],
}

const RDF: Format = Format { name: "rdf", suffix: "trig", checker: &["python3", "rdf_check.py"] };
const GRAPHML: Format =
    Format { name: "graphml", suffix: "graphml", checker: &["python3", "graph_check.py", "graphml"] };
const GEXF: Format = Format { name: "gexf", suffix: "gexf", checker: &["python3", "graph_check.py", "gexf"] };
const CYTOSCAPE: Format =
    Format { name: "cytoscape", suffix: "cyjs", checker: &["node", "cytoscape_check.js"] };
const MERMAID: Format = Format { name: "mermaid", suffix: "mmd", checker: &["node", "mermaid_check.mjs"] };
/// The same export drawn by Mermaid's CLI renderer (mmdc) in Chromium.
const MERMAID_RENDER: Format =
    Format { name: "mermaid", suffix: "mmd", checker: &["node", "mermaid_render.mjs"] };
const ALL: [Format; 5] = [RDF, GRAPHML, GEXF, CYTOSCAPE, MERMAID];

fn load(path: &Path) -> Graph {
    let text = std::fs::read_to_string(path).expect("graph exists");
    claimgraph::load::parse(&text).expect("graph parses")
}

/// The selection the command line makes from `flags`, through the library.
fn selection(index: &Index, flags: &[&str]) -> Selection {
    match flags {
        [] => Selection::whole(index),
        ["--around", entity, "--depth", depth, "--max-entities", "0"] => {
            Selection::around(index, index.resolve(entity).unwrap(), depth.parse().unwrap(), usize::MAX).0
        }
        ["--reference", key] => Selection::reference(index, index.reference_ix(key).unwrap()),
        ["--base", _, rest @ ..] => selection(index, rest),
        ["--trace", from, to] => {
            let (from, to) = (index.resolve(from).unwrap(), index.resolve(to).unwrap());
            Selection::trace(index, &trace(index, from, to, &TraceOptions::default()).unwrap())
        }
        other => panic!("no selection for {other:?}"),
    }
}

/// What the checkers compare against: the selected entity and claim ids,
/// each claim's effect (for Mermaid's arrows) and short citations.
fn expectation(graph: &Graph, flags: &[&str]) -> serde_json::Value {
    let index = Index::new(graph);
    let selection = selection(&index, flags);
    let effect = |c| match index.predicate(c).map_or(Effect::Unsigned, |p| Effect::of(p.sign, p.class)) {
        Effect::Increases => "increases",
        Effect::Decreases => "decreases",
        Effect::CorrelatesPositively => "correlates_positively",
        Effect::CorrelatesNegatively => "correlates_negatively",
        Effect::Unsigned => "unsigned",
    };
    let claim_id = |c| index.claim(c).id.to_string();
    let base = match flags {
        ["--base", base, ..] => base,
        _ => claimgraph::export::rdf::DEFAULT_BASE,
    };
    json!({
        "base": base,
        "entities": selection.entities.iter().map(|&e| index.entity(e).id.to_string()).collect::<Vec<_>>(),
        "claims": selection.claims.iter().map(|&c| claim_id(c)).collect::<Vec<_>>(),
        "effects": selection.claims.iter().map(|&c| (claim_id(c), json!(effect(c)))).collect::<serde_json::Map<_, _>>(),
        "citations": selection.claims.iter().map(|&c| {
            let cites: Vec<String> =
                index.claim_refs(c).iter().map(|&r| claimgraph::cite::short(index.reference(r))).collect();
            (claim_id(c), json!(cites))
        }).collect::<serde_json::Map<_, _>>(),
    })
}

/// Export `graph` (a path) as `format` with `flags` into `dir`.
fn export(format: Format, graph: &Path, flags: &[&str], dir: &Path) -> PathBuf {
    let out = dir.join(format!("export.{}", format.suffix));
    let mut args = vec!["--graph", graph.to_str().unwrap(), "export", "--format", format.name];
    args.extend(flags);
    args.extend(["--output", out.to_str().unwrap()]);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "export {args:?} failed: {stderr}");
    out
}

/// Run the checker of `format` on `file`; Ok(its report) or Err(its complaint).
fn check(format: Format, file: &Path, graph: &Path, expect: &serde_json::Value) -> Result<String, String> {
    let expect_file = file.with_extension("expect.json");
    std::fs::write(&expect_file, expect.to_string()).unwrap();
    let consumers = project("tests/consumers");
    let out = Command::new(format.checker[0])
        .args(
            format.checker[1..]
                .iter()
                .enumerate()
                .map(|(i, a)| if i == 0 { consumers.join(a) } else { a.into() }),
        )
        .args([file, graph, &expect_file])
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}` ({e}); {INSTALL_HINT}", format.checker[0]));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0) => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        // The checkers exit 2 (Node) or with a "missing …" message (Python)
        // when their consumer is not installed: never a pass, never a "bad export".
        Some(2) => panic!("{} checker cannot run: {stderr}{INSTALL_HINT}", format.name),
        _ if stderr.contains("missing ") && stderr.contains("install") => {
            panic!("{} checker cannot run: {stderr}{INSTALL_HINT}", format.name)
        }
        _ => Err(format!("{stderr}{}", String::from_utf8_lossy(&out.stdout))),
    }
}

/// Export with each selection and check with the consumer.
fn exports_load_in_their_consumer(format: Format) {
    let dir = tempfile::tempdir().unwrap();
    let curated = project("graph/zinc-bone.json");
    let cases: Vec<(PathBuf, Vec<&str>)> = vec![
        (fixture(HOSTILE), vec![]),
        (curated.clone(), vec![]),
        (curated.clone(), vec!["--around", "zinc", "--depth", "1", "--max-entities", "0"]),
        (curated.clone(), vec!["--reference", "seo2010"]),
        (curated.clone(), vec!["--trace", "zinc", "bone-mineralization"]),
        (curated, vec!["--base", "https://example.org/my-graph/", "--reference", "seo2010"]),
        (fixture(BONE), vec!["--trace", "zinc", "bone-mineralization"]),
    ];
    for (graph, flags) in cases {
        let file = export(format, &graph, &flags, dir.path());
        let expect = expectation(&load(&graph), &flags);
        assert!(!expect["claims"].as_array().unwrap().is_empty(), "{flags:?} selects claims");
        if let Err(e) = check(format, &file, &graph, &expect) {
            panic!("{} export of {} {flags:?} fails its check:\n{e}", format.name, graph.display());
        }
    }
}

#[test]
fn rdf_nanopublications_parse_in_pyoxigraph_and_rdflib_and_validate_with_nanopub() {
    exports_load_in_their_consumer(RDF);
}

#[test]
fn graphml_reads_back_intact_in_networkx_and_igraph() {
    exports_load_in_their_consumer(GRAPHML);
}

#[test]
fn gexf_reads_back_intact_in_networkx() {
    exports_load_in_their_consumer(GEXF);
}

#[test]
fn cytoscape_json_loads_lays_out_and_styles_in_cytoscape_js() {
    exports_load_in_their_consumer(CYTOSCAPE);
}

#[test]
fn mermaid_flowcharts_parse_in_mermaid_with_names_intact() {
    exports_load_in_their_consumer(MERMAID);
}

#[test]
fn mermaid_flowcharts_render_in_mmdc_with_names_arrows_and_citations_drawn() {
    exports_load_in_their_consumer(MERMAID_RENDER);
}

/// Deliberately broken exports of the hostile graph, one or more per
/// format: each must make its checker fail, or the check proves nothing.
#[test]
fn every_check_fails_on_a_broken_export() {
    let broken: &[(Format, &str, &str)] = &[
        (RDF, "biolink:negated true", "biolink:negated false"),
        (RDF, r#"rdfs:label "Bone 🦴 health 💪""#, r#"rdfs:label "Bone health 💪""#),
        (
            RDF,
            r#"dct:title "Title with | pipe; semicolon,\ttab, back\\slash"#,
            r#"dct:title "Title with | pipe; semicolon,\ttab, backslash"#,
        ),
        // An entity's IRI outside the base and not an ontology's.
        (
            RDF,
            "@prefix entity: <http://example.org/claimgraph/entity/>",
            "@prefix entity: <http://example.org/elsewhere/>",
        ),
        (GRAPHML, r#"<data key="edge.negated">true</data>"#, r#"<data key="edge.negated">false</data>"#),
        (GRAPHML, "&lt;b&gt;bold", "bold"),
        (GEXF, r#"for="negated" value="true""#, r#"for="negated" value="false""#),
        (GEXF, "&#9;", " "),
        // A reference title losing its tab inside an evidence item's citation.
        (GRAPHML, r"semicolon,\ttab", "semicolon, tab"),
        (GEXF, r"semicolon,\ttab", "semicolon, tab"),
        (CYTOSCAPE, r"semicolon,\ttab", "semicolon, tab"),
        (CYTOSCAPE, r#""negated":true"#, r#""negated":false"#),
        (CYTOSCAPE, r#"\"the\" metal"#, "the metal"),
        (MERMAID, "--x|\"NOT", "-->|\"NOT"),
        (MERMAID, "#quot;the#quot;", "the"),
        (MERMAID_RENDER, "--x|\"NOT", "-->|\"NOT"),
        (MERMAID_RENDER, "#quot;the#quot;", "the"),
        (MERMAID_RENDER, "stroke:#D55E00", "stroke:#000000"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let graph = fixture(HOSTILE);
    let expect = expectation(&load(&graph), &[]);
    for &(format, from, to) in broken {
        let file = export(format, &graph, &[], dir.path());
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "the {} export contains {from:?}", format.name);
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
        let result = check(format, &file, &graph, &expect);
        assert!(result.is_err(), "{}: replacing {from:?} by {to:?} went unnoticed: {result:?}", format.name);
    }
}

/// Generate a graph of `claims` claims, export it whole in every format
/// and check each with its consumer; the time each took goes to stderr
/// (`--nocapture` shows it).
fn a_generated_graph_exports_and_loads_in_every_consumer(claims: u32, dir: &Path) -> PathBuf {
    let graph = dir.join("generated.json");
    generate(&graph, claims, claims / 5);
    let mut expect = expectation(&load(&graph), &[]);
    // Far beyond what GitHub's Mermaid draws (the export warns): check the syntax anyway.
    expect["mermaid_max_edges"] = json!(10 * claims);
    for format in ALL {
        let start = std::time::Instant::now();
        let file = export(format, &graph, &[], dir);
        let exported = start.elapsed();
        match check(format, &file, &graph, &expect) {
            Ok(report) => eprintln!(
                "{claims} claims, {}: export {:.1} s, check {:.1} s: {}",
                format.name,
                exported.as_secs_f64(),
                (start.elapsed() - exported).as_secs_f64(),
                report.trim()
            ),
            Err(e) => panic!("{} export of {claims} generated claims fails its check:\n{e}", format.name),
        }
        std::fs::remove_file(file).unwrap();
    }
    graph
}

/// Run a Python checker of tests/consumers on a graph file; its report.
fn python_check(script: &str, args: &[&str]) -> String {
    let start = std::time::Instant::now();
    let out = Command::new("python3")
        .arg(project(&format!("tests/consumers/{script}")))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {INSTALL_HINT}"));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_ne!(out.status.code(), Some(2), "{script} cannot run: {stderr}(`bash .ci/run` installs it)");
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    eprintln!("{script}: {:.1} s: {}", start.elapsed().as_secs_f64(), stdout.trim());
    stdout.into_owned()
}

#[test]
fn a_generated_2000_claim_graph_exports_and_loads_in_every_consumer() {
    a_generated_graph_exports_and_loads_in_every_consumer(2_000, tempfile::tempdir().unwrap().path());
}

/// The same at 100k claims, and the Neo4j and KGX directories checked by
/// LadybugDB (every field, and the simple paths of 10 pairs within 3 hops
/// equal to `trace`'s) and by KGX's validator and the Biolink classes
/// (every node and edge). Minutes even on an idle machine, so not part of
/// every run: `cargo test --release --test tests exchange::a_generated_100k
/// -- --ignored --nocapture`; its figures are in README → Exports for other tools.
#[test]
#[ignore = "minutes: run by hand with --ignored (README → Exports for other tools)"]
fn a_generated_100k_claim_graph_exports_and_loads_in_every_consumer() {
    let dir = tempfile::tempdir().unwrap();
    let graph = a_generated_graph_exports_and_loads_in_every_consumer(100_000, dir.path());
    let (bin, path) = (env!("CARGO_BIN_EXE_claimgraph"), graph.to_str().unwrap());
    let neo4j = ["--claimgraph", bin, "--graph", path, "--generated", "0", "--random", "0"];
    let report = python_check(
        "neo4j_ladybug.py",
        &[&neo4j[..], &["--pairs", "10", "--max-hops", "3", "--skip-queries"]].concat(),
    );
    assert!(report.contains("LadybugDB agrees: 1 graphs loaded intact"), "{report}");
    let report = python_check("kgx_validate.py", &["--claimgraph", bin, "--graph", path]);
    assert!(report.contains("KGX and Biolink accept 1 exports"), "{report}");
}

/// The checked-in exports of the curated graph, and their README commands.
const CHECKED_IN: &[(&str, &str)] = &[
    ("rdf", "exports/zinc-bone.trig"),
    ("graphml", "exports/zinc-bone.graphml"),
    ("gexf", "exports/zinc-bone.gexf"),
    ("cytoscape", "exports/zinc-bone.cyjs"),
    ("mermaid", "exports/zinc-bone.mmd"),
];

#[test]
fn checked_in_exports_for_other_tools_are_up_to_date_and_documented() {
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    for (format, file) in CHECKED_IN {
        let command = format!("claimgraph export --format {format} --output {file}");
        assert!(readme.contains(&command), "README.md should show `{command}`");
        let (code, fresh, stderr) = run(&["export", "--format", format]);
        assert_eq!(code, 0, "{stderr}");
        let checked_in = std::fs::read_to_string(project(file)).unwrap_or_default();
        assert!(
            fresh == checked_in,
            "{file} is stale: regenerate it with `{command}` (README → Exports for other tools)"
        );
    }
    // The README shows one flowchart, which GitHub draws.
    let (code, fresh, stderr) = run(&["export", "--format", "mermaid", "--reference", "seo2010"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        readme.contains(&format!("```mermaid\n{fresh}```")),
        "README's Mermaid example is stale: paste `claimgraph export --format mermaid --reference seo2010`"
    );
}
