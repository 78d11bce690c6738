//! The README's commands are tested: every `claimgraph …` (and `cargo run
//! --release -- …`) command in a ```sh block runs, in order, through bash, in
//! one scratch directory, against the real binary. `export NAME=value` lines
//! carry over to the commands after them; `\` continues a line. A command
//! expected to fail says so in its comment: `# … (exits 1)`. No example may
//! come back empty-handed ("No path …").

use crate::common::*;
use std::path::Path;
use std::process::Command;

#[derive(Debug)]
struct Example {
    line: usize,
    command: String,
    expected_exit: i32,
}

/// The commands of every ```sh block, with continuations joined.
fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending: Option<(usize, String)> = None;
    for (n, raw) in readme.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let (start, mut text) = pending.take().unwrap_or((n + 1, String::new()));
        if let Some(continued) = line.strip_suffix('\\') {
            text.push_str(continued);
            pending = Some((start, text));
            continue;
        }
        text.push_str(line);
        let command = match text.strip_prefix("cargo run --release -- ") {
            Some(rest) => format!("claimgraph {rest}"),
            None => text,
        };
        let runnable = command.starts_with("claimgraph ") || command.starts_with("export CLAIMGRAPH_");
        if runnable {
            out.push(Example { line: start, expected_exit: expected_exit(&command), command });
        }
    }
    out
}

/// `(exits N)` in the comment, else 0.
fn expected_exit(command: &str) -> i32 {
    command
        .split_once("(exits ")
        .and_then(|(_, rest)| rest.split(')').next()?.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn every_readme_command_runs_as_documented() {
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 30, "the README shows its commands in ```sh blocks: {examples:?}");
    let scratch = tempfile::tempdir().unwrap();
    // Examples name fixtures and the curated graph by their paths in the repository.
    for dir in ["tests", "graph"] {
        std::os::unix::fs::symlink(project(dir), scratch.path().join(dir)).unwrap();
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_claimgraph")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut exports = String::new();
    for ex in &examples {
        if ex.command.starts_with("export ") {
            exports.push_str(&ex.command);
            exports.push('\n');
            continue;
        }
        let script = format!("{exports}{}", ex.command);
        let out = Command::new("bash")
            .args(["-c", &script])
            .current_dir(scratch.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("CLAIMGRAPH_GRAPH")
            .output()
            .unwrap();
        let (code, stdout, stderr) = output(out);
        let context =
            format!("README.md:{}: `{}`\nstdout:\n{stdout}\nstderr:\n{stderr}", ex.line, ex.command);
        assert_eq!(code, ex.expected_exit, "exit code of {context}");
        assert!(!stdout.starts_with("No path"), "the example finds nothing: {context}");
    }
}
