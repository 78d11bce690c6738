//! `export`: DOT snapshots per selection, parsing with graphviz-rust and the
//! real `dot`, SVG as real XML, hostile strings, and a missing Graphviz.
//!
//! These tests need Graphviz's `dot` on PATH and FAIL without it (with the
//! install hint): a diagram test that skips silently would pass on a machine
//! that cannot draw anything.

use crate::common::*;
use claimgraph::export::render::{self, Image, RenderError};
use claimgraph::export::{dot, edges, Highlight, Selection};
use claimgraph::index::Index;
use claimgraph::model::Graph;
use claimgraph::query::{trace, TraceOptions};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BONE: &str = "export/bone.json";
const HOSTILE: &str = "export/hostile.json";
/// Parse SVG as XML. Graphviz's SVG starts with a DOCTYPE, which roxmltree
/// refuses unless asked.
fn parse_svg(svg: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(svg, options).expect("the SVG is well-formed XML")
}

fn load(rel: &str) -> Graph {
    let text = std::fs::read_to_string(fixture(rel)).expect("fixture exists");
    claimgraph::load::parse(&text).expect("fixture parses")
}

/// Run the real `dot` on `input`; a missing `dot` fails the test with the hint.
fn graphviz(args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("dot")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("these tests need Graphviz `dot` on PATH ({e}); {}", render::INSTALL_HINT)
        });
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "dot {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn export(graph: &str, extra: &[&str]) -> String {
    let path = fixture(graph);
    let mut args = vec!["--graph", path.to_str().unwrap(), "export"];
    args.extend(extra);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

/// The selections the command line offers (bar --trace), by name.
fn selections(index: &Index) -> Vec<(&'static str, Selection)> {
    let zinc = index.resolve("zinc").unwrap();
    vec![
        ("whole", Selection::whole(index)),
        ("around-zinc", Selection::around(index, zinc, 1, usize::MAX).0),
        ("around-zinc-depth-2", Selection::around(index, zinc, 2, usize::MAX).0),
        ("reference-seo2010", Selection::reference(index, index.reference_ix("seo2010").unwrap())),
        ("trace-zinc-bone-mineralization", traced(index, "zinc", "bone-mineralization")),
        (
            "highlight-zinc-bmd",
            Selection::whole(index)
                .with_highlight(Highlight::trace(index, &trace_result(index, "zinc", "bmd"))),
        ),
    ]
}

fn trace_result(index: &Index, from: &str, to: &str) -> claimgraph::query::TraceResult {
    let (from, to) = (index.resolve(from).unwrap(), index.resolve(to).unwrap());
    trace(index, from, to, &TraceOptions::default()).unwrap()
}

fn traced(index: &Index, from: &str, to: &str) -> Selection {
    Selection::trace(index, &trace_result(index, from, to))
}

#[test]
fn dot_snapshots_per_selection() {
    for (name, flags) in [
        ("whole", vec![]),
        ("around-zinc", vec!["--around", "Zn"]),
        ("around-zinc-depth-2", vec!["--around", "zinc", "--depth", "2"]),
        ("reference-seo2010", vec!["--reference", "seo2010"]),
        ("trace-zinc-bone-mineralization", vec!["--trace", "zinc", "bone mineralization"]),
        ("highlight-zinc-bmd", vec!["--highlight", "Zn", "BMD"]),
    ] {
        insta::assert_snapshot!(format!("export-{name}"), export(BONE, &flags));
    }
}

#[test]
fn the_same_graph_gives_byte_identical_dot() {
    let graph = load(BONE);
    let mut shuffled = graph.clone();
    shuffled.claims.reverse();
    shuffled.entities.reverse();
    shuffled.references.reverse();
    let (a, b) = (Index::new(&graph), Index::new(&shuffled));
    let first = dot::to_string(&a, &Selection::whole(&a));
    assert_eq!(first, dot::to_string(&a, &Selection::whole(&a)));
    assert_eq!(first, export(BONE, &[]));
    assert_eq!(first, dot::to_string(&b, &Selection::whole(&b)), "file order does not matter");
}

/// Node names and (tail, head) edge pairs between entities in `dot -Tjson`.
fn graphviz_json(dot_text: &str) -> (BTreeSet<String>, Vec<(String, String)>) {
    let json: serde_json::Value =
        serde_json::from_slice(&graphviz(&["-Tjson"], dot_text.as_bytes())).unwrap();
    let objects = json["objects"].as_array().unwrap();
    let name = |gvid: &serde_json::Value| {
        objects.iter().find(|o| o["_gvid"] == *gvid).unwrap()["name"].as_str().unwrap().to_string()
    };
    let is_entity = |n: &str| !n.starts_with("legend:") && !n.starts_with("column:");
    let nodes = objects
        .iter()
        .filter(|o| o.get("nodes").is_none())
        .map(|o| o["name"].as_str().unwrap().to_string())
        .filter(|n| is_entity(n))
        .collect();
    let edges = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (name(&e["tail"]), name(&e["head"])))
        .filter(|(t, h)| is_entity(t) && is_entity(h))
        .collect();
    (nodes, edges)
}

#[test]
fn dot_parses_with_graphviz_rust_and_with_dot_with_the_selections_counts() {
    for fixture_name in [BONE, HOSTILE] {
        let graph = load(fixture_name);
        let index = Index::new(&graph);
        let all = if fixture_name == HOSTILE {
            vec![("hostile", Selection::whole(&index))]
        } else {
            selections(&index)
        };
        for (name, selection) in all {
            let text = dot::to_string(&index, &selection);
            graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{name}: graphviz-rust cannot parse: {e}"));
            let (nodes, drawn) = graphviz_json(&text);
            let expected: BTreeSet<String> =
                selection.entities.iter().map(|&e| index.entity(e).id.to_string()).collect();
            assert_eq!(nodes, expected, "{name}: nodes");
            let expected_edges: Vec<(String, String)> = edges(&index, &selection)
                .iter()
                .map(|e| (index.entity(e.subject).id.to_string(), index.entity(e.object).id.to_string()))
                .collect();
            let mut got = drawn.clone();
            got.sort();
            let mut want = expected_edges.clone();
            want.sort();
            assert_eq!(got, want, "{name}: edges");
        }
    }
}

#[test]
fn claims_between_the_same_pair_merge_into_one_edge_but_conflicts_stay_apart() {
    let graph = load(BONE);
    let index = Index::new(&graph);
    let drawn = edges(&index, &Selection::whole(&index));
    let zinc_alp: Vec<_> = drawn
        .iter()
        .filter(|e| index.entity(e.subject).id == "zinc" && index.entity(e.object).id == "alp")
        .collect();
    assert_eq!(zinc_alp.len(), 1, "activates and increases are both `+`: one edge");
    assert_eq!(zinc_alp[0].claims.len(), 2);
    let supplement_bmd = drawn
        .iter()
        .filter(|e| index.entity(e.subject).id == "zinc-supplement" && index.entity(e.object).id == "bmd")
        .count();
    assert_eq!(supplement_bmd, 2, "a claim and its negation are two edges");
}

/// The SVG's edge groups (`<g class="edge">`) with their title and link targets.
fn svg_edges(doc: &roxmltree::Document) -> Vec<(String, Vec<String>)> {
    const XLINK: &str = "http://www.w3.org/1999/xlink";
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("edge"))
        .map(|g| {
            let title =
                g.descendants().find(|n| n.has_tag_name("title")).and_then(|t| t.text()).unwrap_or("");
            let links = g
                .descendants()
                .filter_map(|n| n.attribute((XLINK, "href")).or_else(|| n.attribute("href")))
                .map(str::to_string)
                .collect();
            (title.to_string(), links)
        })
        .collect()
}

#[test]
fn svg_is_well_formed_xml_with_one_link_per_cited_edge() {
    let svg = export(BONE, &["--format", "svg"]);
    let doc = parse_svg(&svg);
    let graph = load(BONE);
    let index = Index::new(&graph);
    let drawn = edges(&index, &Selection::whole(&index));
    let linked: Vec<_> = svg_edges(&doc)
        .into_iter()
        .filter(|(title, _)| !title.contains("legend:") && !title.contains("column:"))
        .collect();
    assert_eq!(linked.len(), drawn.len(), "one SVG edge per drawn edge");
    for ((title, links), edge) in linked.iter().zip(&drawn) {
        let cited = edge
            .claims
            .iter()
            .any(|&c| index.claim_refs(c).iter().any(|&r| index.reference(r).link().is_some()));
        let distinct: BTreeSet<&String> = links.iter().collect();
        if cited {
            assert_eq!(distinct.len(), 1, "{title}: exactly one link target, got {links:?}");
            let link = distinct.into_iter().next().unwrap();
            assert!(link.starts_with("https://") || link.starts_with("http://"), "{link}");
        } else {
            assert!(links.is_empty(), "{title}: {links:?}");
        }
    }
    // The fixture's example.org links carry `&` in their query strings.
    assert!(svg.contains("&amp;lang=en"), "ampersands in links are escaped");
}

#[test]
fn hostile_strings_render_through_dot_and_come_back_intact() {
    let svg = export(HOSTILE, &["--format", "svg"]);
    let doc = parse_svg(&svg);
    let graph = load(HOSTILE);
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let node_texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("node"))
        .map(|g| {
            g.descendants().filter(|n| n.has_tag_name("text")).filter_map(|t| t.text()).collect::<String>()
        })
        .map(|t| squash(&t))
        .collect();
    for entity in &graph.entities {
        assert!(node_texts.contains(&squash(&entity.name)), "{:?} not found in {node_texts:?}", entity.name);
    }
    assert_eq!(graph.entities.iter().filter(|e| e.name.chars().count() == 500).count(), 1);
    for (_, links) in svg_edges(&doc) {
        for link in links {
            assert!(link.starts_with("https://"), "only http(s) links: {link}");
        }
    }
    assert!(!svg.contains("href=\"javascript"), "no javascript: links");
    // The DOT itself survives both parsers, with every entity a distinct node.
    let dot_text = export(HOSTILE, &[]);
    graphviz_rust::parse(&dot_text).expect("graphviz-rust parses the hostile DOT");
    let (nodes, _) = graphviz_json(&dot_text);
    assert_eq!(nodes.len(), graph.entities.len(), "no two hostile names merged");
}

#[test]
fn png_and_pdf_are_written_atomically_to_output() {
    let dir = tempfile::tempdir().unwrap();
    for (format, magic) in [("png", &b"\x89PNG"[..]), ("pdf", &b"%PDF"[..])] {
        let out = dir.path().join(format!("zinc.{format}"));
        let path = fixture(BONE);
        let (code, _, stderr) = run(&[
            "--graph",
            path.to_str().unwrap(),
            "export",
            "--format",
            format,
            "--around",
            "zinc",
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(std::fs::read(&out).unwrap().starts_with(magic), "{format}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no temporary files left behind: {left:?}");
}

#[test]
fn missing_dot_gives_the_install_hint_and_fails_but_dot_format_still_works() {
    let empty = tempfile::tempdir().unwrap();
    let out = claimgraph().env("PATH", empty.path()).args(["export", "--format", "svg"]).output().unwrap();
    let (code, stdout, stderr) = output(out);
    assert_ne!(code, 0);
    assert!(stdout.is_empty());
    // miette wraps help lines; compare with whitespace collapsed.
    let stderr = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in ["`dot`", "apt-get install graphviz", "brew install graphviz"] {
        assert!(stderr.contains(needle), "{needle:?} missing from: {stderr}");
    }
    let out = claimgraph().env("PATH", empty.path()).args(["export"]).output().unwrap();
    let (code, stdout, stderr) = output(out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("digraph"));
}

#[test]
fn graphviz_warnings_come_back_and_errors_name_our_file() {
    let mut svg = Vec::new();
    let warnings =
        render::write("digraph { a [shape=blob] }", Image::Svg, "my-graph.json", &mut svg).unwrap();
    assert!(warnings.iter().any(|w| w.contains("blob")), "{warnings:?}");
    parse_svg(std::str::from_utf8(&svg).unwrap());
    match render::render("digraph { a -> }", Image::Svg, "my-graph.json") {
        Err(RenderError::Failed { stderr, .. }) => {
            assert!(stderr.contains("my-graph.json"), "{stderr}");
            assert!(!stderr.contains("/tmp"), "{stderr}");
        }
        other => panic!("expected a Graphviz error, got {other:?}"),
    }
}

#[test]
fn big_selections_suggest_narrowing() {
    let mut graph = load(BONE);
    let template = graph.claims[0].clone();
    for i in 0..320 {
        let id = format!("n{i:03}");
        graph.entities.push(claimgraph::model::Entity {
            id: id.clone().into(),
            name: format!("Node {i}").into(),
            kind: "process".into(),
            group: None,
            aliases: vec![],
            xrefs: vec![],
            description: None,
        });
        let mut claim = template.clone();
        claim.id = format!("zinc--increases--{id}").into();
        claim.subject = "zinc".into();
        claim.predicate = "increases".into();
        claim.object = id.into();
        graph.claims.push(claim);
    }
    graph.canonicalize();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, claimgraph::save::to_string(&graph)).unwrap();
    let (code, _, stderr) = run(&["--graph", path.to_str().unwrap(), "export"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("--around"), "{stderr}");
    let (_, _, stderr) = run(&["--graph", path.to_str().unwrap(), "export", "--around", "osteoblast"]);
    assert!(!stderr.contains("--around"), "{stderr}");
}

#[test]
fn unknown_selections_say_what_was_meant() {
    let path = fixture(BONE);
    let (code, _, stderr) = run(&["--graph", path.to_str().unwrap(), "export", "--around", "zink"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("zinc"), "{stderr}");
    let (code, _, stderr) = run(&["--graph", path.to_str().unwrap(), "export", "--reference", "seo201"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("seo2010"), "{stderr}");
    // After the subcommand, `--format` offers only what `export` writes.
    let (code, _, stderr) = run(&["--graph", path.to_str().unwrap(), "export", "--format", "json"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("dot, svg, png, pdf"), "{stderr}");
}

#[test]
fn a_trace_draws_only_its_paths_from_source_to_target() {
    let graph = load(BONE);
    let index = Index::new(&graph);
    let result = trace_result(&index, "zinc", "bone-mineralization");
    let selection = Selection::trace(&index, &result);
    let on_paths: BTreeSet<u32> = result.paths.iter().flat_map(|p| p.entities()).collect();
    assert_eq!(selection.entities, on_paths);
    let text = dot::to_string(&index, &selection);
    assert!(text.contains("rank=\"source\"\n    \"zinc\""), "zinc comes first:\n{text}");
    assert!(text.contains("rank=\"sink\"\n    \"bone-mineralization\""), "the target comes last");
    assert!(!text.contains("\"oysters\""), "entities off the paths are left out");
}

#[test]
fn a_highlight_draws_its_paths_strong_and_the_rest_faded() {
    let text = export(BONE, &["--highlight", "zinc", "bmd"]);
    let line = |from: &str, to: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("\"{from}\" -> \"{to}\"")))
            .unwrap()
            .to_string()
    };
    assert!(line("zinc", "alp").contains("penwidth=\"2.5\""), "on a path: strong");
    assert!(line("oysters", "zinc").contains("color=\"#BBBBBB\""), "off every path: faded");
}

#[test]
fn trace_filters_apply_to_export_and_a_missing_path_is_reported() {
    let (code, _, stderr) = run(&[
        "--graph",
        fixture(BONE).to_str().unwrap(),
        "export",
        "--trace",
        "zinc",
        "bmd",
        "--max-hops",
        "1",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let narrow = export(BONE, &["--trace", "zinc", "bmd", "--max-hops", "2"]);
    let wide = export(BONE, &["--trace", "zinc", "bmd"]);
    assert!(narrow.len() < wide.len(), "--max-hops narrows the picture");
    let (code, _, stderr) =
        run(&["--graph", fixture(BONE).to_str().unwrap(), "export", "--trace", "bmd", "oysters"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("no path from Bone mineral density to Oysters"), "{stderr}");
}

/// The checked-in diagrams of the curated graph, with the arguments that
/// make them; the README documents each command.
const EXPORTS: [(&str, &[&str]); 2] = [
    ("exports/zinc-bone.dot", &[]),
    ("exports/zinc-to-bone-mineralization.dot", &["--trace", "zinc", "\"bone mineralization\""]),
];

#[test]
fn checked_in_exports_are_up_to_date_and_documented() {
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    for (file, args) in EXPORTS {
        for (suffix, format) in [("", ""), (".svg", " --format svg"), (".html", " --format html")] {
            let target = if suffix.is_empty() { file.to_string() } else { file.replace(".dot", suffix) };
            let mut command = format!("claimgraph export{format}");
            for a in args {
                command.push(' ');
                command.push_str(a);
            }
            command.push_str(&format!(" --output {target}"));
            assert!(readme.contains(&command), "README.md should show `{command}`");
        }
        let unquoted: Vec<&str> = args.iter().map(|a| a.trim_matches('"')).collect();
        let mut argv = vec!["export"];
        argv.extend(&unquoted);
        let (code, fresh, stderr) = run(&argv);
        assert_eq!(code, 0, "{stderr}");
        let checked_in = std::fs::read_to_string(project(file)).unwrap();
        assert!(
            fresh == checked_in,
            "{file} is stale: regenerate it with the command in the README (## Diagrams)"
        );
        let svg = std::fs::read_to_string(project(&file.replace(".dot", ".svg"))).unwrap();
        parse_svg(&svg);
        // The page's data (not its SVG, which depends on the Graphviz version).
        let page = project(&file.replace(".dot", ".html"));
        let fresh_page = tempfile::NamedTempFile::new().unwrap();
        let mut argv = vec!["export", "--format", "html", "--output", fresh_page.path().to_str().unwrap()];
        argv.extend(&unquoted);
        let (code, _, stderr) = run(&argv);
        assert_eq!(code, 0, "{stderr}");
        let data = |html: &str| {
            html.split("id=\"claimgraph-data\">")
                .nth(1)
                .unwrap()
                .split("</script>")
                .next()
                .unwrap()
                .to_string()
        };
        let checked_in = std::fs::read_to_string(&page).unwrap();
        assert!(
            data(&checked_in) == data(&std::fs::read_to_string(fresh_page.path()).unwrap()),
            "{} is stale: regenerate it with the command in the README (## Diagrams)",
            page.display()
        );
    }
    assert!(readme.contains("](exports/zinc-bone-explorer.png)"), "the README shows the explorer");
    assert!(std::fs::read(project("exports/zinc-bone-explorer.png")).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn binary_formats_are_not_written_to_a_terminal() {
    // `script` (util-linux, in every Debian/Ubuntu base image) gives the
    // command a pseudo-terminal as stdout.
    let bin = env!("CARGO_BIN_EXE_claimgraph");
    let out = Command::new("script")
        .args(["-qec", &format!("{bin} export --format png"), "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .expect("`script` runs (apt-get install bsdutils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("refusing to write binary PNG data to a terminal"), "{text}");
    assert!(!text.contains("PNG\r\n"), "no PNG bytes on the terminal");
}

#[test]
fn legend_samples_are_drawn_like_the_edges_they_explain() {
    let text = export(BONE, &[]);
    let edge_line = |from: &str, to: &str, needle: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(&format!("\"{from}\" -> \"{to}\"")))
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {from} -> {to} edge with {needle}"))
            .to_string()
    };
    // The negated claim: orange, a circle for a head, never the effect's arrow.
    let negated = edge_line("zinc-supplement", "bmd", "NOT increases");
    assert!(negated.contains("arrowhead=\"odot\"") && negated.contains("#D55E00"), "{negated}");
    // It contradicts the claim beside it: both are drawn as double lines.
    let claimed = edge_line("zinc-supplement", "bmd", "label=\"increases");
    assert!(claimed.contains("color=\"#AA3377:invis:#AA3377\""), "{claimed}");
    assert!(negated.contains("color=\"#D55E00:invis:#D55E00\""), "{negated}");
    // The legend under the picture shows the same heads and colours.
    let legend = text.lines().find(|l| l.contains("graph[")).unwrap();
    assert!(legend.contains("labelloc=\"b\""), "the legend sits under the diagram");
    assert!(legend
        .contains("<FONT COLOR=\"#D55E00\">─────○</FONT></TD><TD ALIGN=\"LEFT\">NOT: reported no effect"));
    assert!(
        legend.contains("<FONT COLOR=\"#AA3377\">═════▶</FONT></TD><TD ALIGN=\"LEFT\">conflicting claims")
    );
    assert!(legend
        .contains("<FONT COLOR=\"#888888\">┈┈┈┈┈▶</FONT></TD><TD ALIGN=\"LEFT\">dotted: only tentative"));
    assert!(!text.contains("legend:"), "no legend nodes take part in the layout");
}

#[test]
fn author_year_labels_name_the_papers_on_each_edge() {
    let numbers = export(BONE, &[]);
    let names = export(BONE, &["--labels", "author-year"]);
    let label = |text: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with("\"calcium\" -> \"zinc-absorption\""))
            .unwrap()
            .split("label=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(label(&numbers), "decreases [5]");
    assert_eq!(label(&names), "decreases [Author 2005]");
}

#[test]
fn each_tier_of_kinds_is_one_cluster_in_the_layout() {
    let text = export(BONE, &[]);
    let json: serde_json::Value = serde_json::from_slice(&graphviz(&["-Tjson"], text.as_bytes())).unwrap();
    let objects = json["objects"].as_array().unwrap();
    let graph = load(BONE);
    for entity in &graph.entities {
        let gvid = objects.iter().find(|o| o["name"] == entity.id.as_str()).unwrap()["_gvid"].clone();
        let clusters: Vec<&str> = objects
            .iter()
            .filter(|o| o["name"].as_str().is_some_and(|n| n.starts_with("cluster_tier_")))
            .filter(|o| o["nodes"].as_array().is_some_and(|n| n.contains(&gvid)))
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        let tier = claimgraph::export::kind_style(&entity.kind).tier;
        assert_eq!(clusters, vec![format!("cluster_tier_{tier}")], "{}", entity.id);
    }
}

/// Each entity's cluster in a laid-out whole-graph diagram, by the name and
/// label of the clusters `dot -Tjson` reports.
fn clusters_of(dot_text: &str, graph: &Graph) -> Vec<(String, Vec<(String, String)>)> {
    let json: serde_json::Value =
        serde_json::from_slice(&graphviz(&["-Tjson"], dot_text.as_bytes())).unwrap();
    let objects = json["objects"].as_array().unwrap();
    graph
        .entities
        .iter()
        .map(|entity| {
            let gvid = objects.iter().find(|o| o["name"] == entity.id.as_str()).unwrap()["_gvid"].clone();
            let clusters = objects
                .iter()
                .filter(|o| o["name"].as_str().is_some_and(|n| n.starts_with("cluster")))
                .filter(|o| o["nodes"].as_array().is_some_and(|n| n.contains(&gvid)))
                .map(|o| (o["name"].as_str().unwrap().to_string(), o["label"].as_str().unwrap().to_string()))
                .collect();
            (entity.id.to_string(), clusters)
        })
        .collect()
}

/// Issue 13: the curated graph declares a `group` per entity, and its
/// diagram clusters by those subsystems instead of by tiers of kinds; an
/// entity without a group stands outside every cluster.
/// Regression (issue 13): the group clusters shared one row of columns, so
/// every band was as wide as the whole picture and the curated graph came out
/// 5269×5102 pt, mostly empty. Each band is now ranked by its own claims.
#[test]
fn the_clustered_curated_graph_is_drawn_without_empty_bands() {
    let (code, svg, stderr) = run(&["export", "--format", "svg"]);
    assert_eq!(code, 0, "{stderr}");
    let size = |name: &str| -> f64 {
        let at = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[at..].split("pt\"").next().unwrap().parse().unwrap()
    };
    let (width, height) = (size("width"), size("height"));
    assert!(width * height < 0.6 * 5269.0 * 5102.0, "{width}×{height} pt");
}

#[test]
fn a_graph_with_groups_is_clustered_by_group() {
    let mut graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
    let (code, text, stderr) = run(&["export"]);
    assert_eq!(code, 0, "{stderr}");
    let mut labels = std::collections::BTreeSet::new();
    for (id, clusters) in clusters_of(&text, &graph) {
        let group = graph.entity(&id).unwrap().group.clone().expect("every curated entity has a group");
        assert_eq!(clusters.len(), 1, "{id}: {clusters:?}");
        assert!(clusters[0].0.starts_with("cluster_group_"), "{id}: {clusters:?}");
        assert_eq!(clusters[0].1, group.as_str(), "{id}");
        labels.insert(clusters[0].1.clone());
    }
    assert!(labels.contains("Bone resorption") && labels.contains("Vascular calcification"), "{labels:?}");
    // Take one entity out of its group: it is drawn outside the clusters.
    graph.entities.iter_mut().find(|e| e.id == "pth").unwrap().group = None;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    std::fs::write(&path, claimgraph::save::to_string(&graph)).unwrap();
    let (code, text, stderr) = run(&["--graph", path.to_str().unwrap(), "export"]);
    assert_eq!(code, 0, "{stderr}");
    let clusters = clusters_of(&text, &graph);
    assert_eq!(clusters.iter().find(|(id, _)| id == "pth").unwrap().1, vec![]);
    assert!(clusters.iter().filter(|(id, _)| id != "pth").all(|(_, c)| c.len() == 1));
}

/// The bone fixture with `spokes` more claims, zinc increasing each of
/// `spokes` new processes: that many more drawn edges. With `references`,
/// spoke `i` cites the `i % references`-th of that many new papers instead
/// of the first claim's.
fn star_graph(spokes: usize, references: Option<usize>, dir: &Path) -> PathBuf {
    let mut graph = load(BONE);
    let template = graph.claims[0].clone();
    for r in 0..references.unwrap_or(0) {
        graph.references.push(claimgraph::model::Reference {
            id: format!("paper{r:04}"),
            title: format!("Spoke study {r}"),
            authors: vec![format!("Author{r} A")],
            year: Some(2000),
            kind: "article".into(),
            ..Default::default()
        });
    }
    for i in 0..spokes {
        let id = format!("n{i:04}");
        graph.entities.push(claimgraph::model::Entity {
            id: id.clone().into(),
            name: format!("Node {i}").into(),
            kind: "process".into(),
            group: None,
            aliases: vec![],
            xrefs: vec![],
            description: None,
        });
        let mut claim = template.clone();
        claim.id = format!("zinc--increases--{id}").into();
        claim.subject = "zinc".into();
        claim.predicate = "increases".into();
        claim.object = id.into();
        if let Some(n) = references {
            claim.evidence.truncate(1);
            claim.evidence[0].reference = format!("paper{:04}", i % n).into();
        }
        graph.claims.push(claim);
    }
    graph.canonicalize();
    let path = dir.join("big.json");
    std::fs::write(&path, claimgraph::save::to_string(&graph)).unwrap();
    path
}

/// `export --format html --output OUT` on the graph file, with `extra`
/// selection arguments.
fn export_html(graph: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["--graph", graph.to_str().unwrap(), "export", "--format", "html"];
    argv.extend_from_slice(extra);
    argv.extend(["--output", out.to_str().unwrap()]);
    run(&argv)
}

#[test]
fn html_refuses_a_selection_too_big_to_lay_out_and_says_what_to_narrow() {
    let dir = tempfile::tempdir().unwrap();
    let path = star_graph(claimgraph::export::html::MAX_EDGES + 1, None, dir.path());
    let out = dir.path().join("big.html");
    let (code, _, stderr) = export_html(&path, &out, &[]);
    assert_ne!(code, 0);
    assert!(stderr.contains("--around ENTITY --depth 1") && stderr.contains("--max-entities"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    let (code, _, stderr) = export_html(&path, &out, &["--around", "alp"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<!DOCTYPE html>"));
}

/// Regression (issue 13): the overview of a 10,000-claim selection carried
/// a legend listing its ~1,000 references, a table larger than the drawing.
/// Its legend now counts them and points to the page's own list, which still
/// has every one; the layered page keeps its listed legend.
#[test]
fn a_page_too_big_for_the_layered_layout_is_a_force_directed_overview_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let papers = 300;
    let path = star_graph(claimgraph::export::html::LAYERED_EDGES + 1, Some(papers), dir.path());
    let out = dir.path().join("big.html");
    let (code, _, stderr) = export_html(&path, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("force-directed overview (Graphviz sfdp)"), "{stderr}");
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(
        page.contains("<p id=\"layout-note\" class=\"hint\">") && page.contains("force-directed overview")
    );
    // sfdp drew every edge, and each still opens its claims in the panel.
    let drawn = page.matches("class=\"edge\"").count();
    assert!(drawn > claimgraph::export::html::LAYERED_EDGES, "{drawn} edges drawn");
    assert_eq!(page.matches(" data-claims=\"").count(), drawn);
    assert!(!page.contains("class=\"cluster\""), "sfdp draws no tiers");
    // The legend counts the references; the list below the diagram has them all.
    let svg = page.split("<svg").nth(1).unwrap().split("</svg>").next().unwrap();
    let list = page.split("<ol class=\"bibliography\">").nth(1).unwrap().split("</ol>").next().unwrap();
    let cited = list.matches("<li ").count();
    assert!(cited > papers, "the spokes' papers and the bone fixture's own: {cited}");
    assert!(list.contains("Author17 A. Spoke study 17."), "{list}");
    assert!(svg.contains(&format!("{cited} references: see the list below the diagram")), "legend");
    assert!(!svg.contains("Author17"), "the legend lists no reference");
    // A layered page of the same graph still lists its references in the legend.
    let (code, _, stderr) = export_html(&path, &out, &["--around", "alp"]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(&out).unwrap();
    let svg = page.split("<svg").nth(1).unwrap().split("</svg>").next().unwrap();
    assert!(!svg.contains("see the list below the diagram") && svg.contains("References"), "listed legend");
}

#[test]
fn the_html_page_forbids_every_load_and_hashes_its_scripts() {
    use base64::Engine;
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.html");
    let path = fixture(HOSTILE);
    let (code, _, stderr) = run(&[
        "--graph",
        path.to_str().unwrap(),
        "export",
        "--format",
        "html",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(&out).unwrap();
    let csp = page.split("Content-Security-Policy\" content=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(csp.starts_with("default-src 'none'; script-src 'sha256-"), "{csp}");
    // Each executable script is allowed by the hash of exactly its text.
    let scripts: Vec<&str> =
        page.split("<script>").skip(1).map(|s| s.split("</script>").next().unwrap()).collect();
    assert_eq!(scripts.len(), 2);
    for script in scripts {
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "a script without its hash in {csp}");
    }
    // Hostile strings never close the data block or become markup.
    let data = page.split("id=\"claimgraph-data\">").nth(1).unwrap().split("</script>").next().unwrap();
    assert!(!data.contains('<'), "the embedded JSON escapes <");
    assert!(!page.contains("<img"), "no injected element");
    assert!(!page.contains("href=\"javascript") && !page.contains("href=\"data:"));
    assert!(!page.contains("src=\""), "nothing to load");
}
