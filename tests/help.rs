//! `--help` reads well: every subcommand's help is pinned by a snapshot,
//! lists only the formats the command writes, and every example it shows
//! (`after_help`) runs.

use crate::common::*;
use std::path::Path;

/// Every command path with its clap definition: `["add", "claim"]`, ….
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
        for sc in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sc.get_name().to_string());
            out.push((p.clone(), sc.clone()));
            walk(sc, p, out);
        }
    }
    let root = claimgraph::cli::command();
    let mut out = vec![(Vec::new(), root.clone())];
    walk(&root, Vec::new(), &mut out);
    out
}

/// The example command lines of a command's `after_help`.
fn examples(cmd: &clap::Command) -> Vec<String> {
    let help = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
    help.lines().map(str::trim).filter(|l| l.starts_with("claimgraph ")).map(str::to_string).collect()
}

fn help(path: &[String]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn every_help_is_pinned() {
    let mut all = String::new();
    for (path, _) in commands() {
        let name =
            ["claimgraph".to_string()].into_iter().chain(path.iter().cloned()).collect::<Vec<_>>().join(" ");
        all.push_str(&format!("\n## {name} --help\n{}", help(&path)));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn every_leaf_command_has_examples() {
    for (path, cmd) in commands() {
        if cmd.get_subcommands().next().is_none() {
            assert!(!examples(&cmd).is_empty(), "`claimgraph {}` has no examples in --help", path.join(" "));
        }
    }
}

#[test]
fn each_help_lists_only_the_formats_its_command_writes() {
    let all: Vec<String> = clap::ValueEnum::value_variants()
        .iter()
        .map(|f: &claimgraph::cli::Format| {
            clap::ValueEnum::to_possible_value(f).unwrap().get_name().to_string()
        })
        .collect();
    for (path, cmd) in commands() {
        // The global flag at the top lists them all; each command lists its own.
        let Some(arg) = cmd.get_arguments().find(|a| a.get_id() == "format").filter(|_| !path.is_empty())
        else {
            continue;
        };
        let listed: Vec<String> =
            arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
        assert!(listed.len() < all.len(), "{path:?} lists every format");
        if cmd.get_subcommands().next().is_some() {
            continue;
        }
        // What the command refuses must be what its help leaves out.
        let (writes, _) = claimgraph::cli::formats_of(&path[0]);
        let names: Vec<String> = writes
            .iter()
            .map(|f| clap::ValueEnum::to_possible_value(f).unwrap().get_name().to_string())
            .collect();
        assert_eq!(listed, names, "{path:?}");
    }
    // A format the help leaves out is refused by the command itself too.
    let (code, _, err) = run(&["--format", "svg", "trace", "zinc", "alp"]);
    assert_ne!(code, 0);
    assert!(err.contains("`trace` writes: text, markdown, json"), "{err}");
}

/// A scratch directory for one example: a copy of the curated graph as
/// `my-graph.json` (also the `CLAIMGRAPH_GRAPH`), `refs.bib` and `pubmed.txt`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = output(
        claimgraph()
            .current_dir(dir.path())
            .args(["init", "my-graph.json", "--from-default"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    for (from, to) in
        [("commonmeta-crossref.bib", "refs.bib"), ("biopython-medline-pubmed_result2.txt", "pubmed.txt")]
    {
        std::fs::copy(fixture(&format!("import/{from}")), dir.path().join(to)).unwrap();
    }
    std::fs::copy(project("graph/zinc-bone.statements"), dir.path().join("article.statements")).unwrap();
    dir
}

fn run_example(dir: &Path, example: &str) -> (i32, String, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_claimgraph"));
    let script = format!("claimgraph() {{ '{}' \"$@\"; }}\n{example}", bin.display());
    output(
        std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("CLAIMGRAPH_GRAPH", "my-graph.json")
            .env_remove("CLAIMGRAPH_CRASH_AT")
            .output()
            .unwrap(),
    )
}

#[test]
fn every_example_in_help_runs() {
    let mut ran = 0;
    let mut failed = Vec::new();
    for (path, cmd) in commands() {
        for example in examples(&cmd) {
            let dir = scratch();
            let (code, out, err) = run_example(dir.path(), &example);
            if code != 0 {
                failed
                    .push(format!("`claimgraph {}`: `{example}` exited {code}:\n{out}{err}", path.join(" ")));
            }
            ran += 1;
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(ran > 40, "{ran} examples");
}
