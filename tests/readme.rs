//! The README's commands are tested: every `claimgraph …` (and `cargo run
//! --release -- …`) line in a ```sh block runs, in order, in one scratch
//! directory, against the real binary. A line expected to fail says so with a
//! trailing `# exits N` comment.

use crate::common::*;
use std::path::Path;
use std::process::Command;

struct Example {
    line: usize,
    command: String,
    expected_exit: i32,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for (n, raw) in readme.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_sh = !in_sh && (line == "```sh" || line == "```bash" || line == "```console");
            continue;
        }
        if !in_sh {
            continue;
        }
        let line = line.strip_prefix("$ ").unwrap_or(line);
        let command = if let Some(rest) = line.strip_prefix("cargo run --release -- ") {
            format!("claimgraph {rest}")
        } else if line.starts_with("claimgraph ") {
            line.to_string()
        } else {
            continue;
        };
        let expected_exit =
            command.split_once("# exits ").and_then(|(_, n)| n.trim().parse().ok()).unwrap_or(0);
        out.push(Example { line: n + 1, command, expected_exit });
    }
    out
}

#[test]
fn every_readme_command_runs_as_documented() {
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 5, "the README shows its commands in ```sh blocks");
    let scratch = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_claimgraph")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    for ex in &examples {
        let out = Command::new("bash")
            .args(["-c", &ex.command])
            .current_dir(scratch.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("CLAIMGRAPH_PROJECT", project(""))
            .env_remove("CLAIMGRAPH_GRAPH")
            .output()
            .unwrap();
        let (code, stdout, stderr) = output(out);
        assert_eq!(
            code, ex.expected_exit,
            "README.md:{}: `{}` exited {code}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            ex.line, ex.command
        );
    }
}
