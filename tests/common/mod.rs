//! Shared helpers for the integration tests: run the real binary, find fixtures.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `claimgraph` binary under test, with colour off and no graph from the
/// environment, so output is stable wherever the tests run.
pub fn claimgraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimgraph"));
    cmd.env("NO_COLOR", "1").env_remove("CLAIMGRAPH_GRAPH").env_remove("CLAIMGRAPH_CRASH_AT");
    cmd
}

/// Run `claimgraph` with `args`, returning (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    output(claimgraph().args(args).output().expect("the binary runs"))
}

pub fn output(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Path of a file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// Path of a file from the project root (graph/, exports/, README.md…).
pub fn project(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A synthetic graph from `claimgraph generate` (deterministic), written to `path`.
pub fn generate(path: &Path, claims: u32, entities: u32) {
    let (code, _, err) = output(
        claimgraph()
            .args([
                "generate",
                "--claims",
                &claims.to_string(),
                "--entities",
                &entities.to_string(),
                "--output",
            ])
            .arg(path)
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
}
