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

/// A temporary directory holding one graph file made by `claimgraph init`,
/// with the binary run inside it as `--graph FILE`, so paths in messages are
/// short: the setup every editing test starts from.
pub struct Workspace {
    dir: tempfile::TempDir,
    file: &'static str,
}

impl Workspace {
    /// `claimgraph init FILE ARGS…` in a fresh directory.
    pub fn init(file: &'static str, args: &[&str]) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let (code, out, err) =
            output(claimgraph().current_dir(dir.path()).arg("init").arg(file).args(args).output().unwrap());
        assert_eq!(code, 0, "init {file} {args:?}: {out}{err}");
        Workspace { dir, file }
    }

    /// An empty graph, `g.json`.
    pub fn empty() -> Workspace {
        Workspace::init("g.json", &[])
    }

    /// A copy of the curated graph, `g.json`.
    pub fn curated() -> Workspace {
        Workspace::init("g.json", &["--from-default"])
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary, run inside the directory (no `--graph`).
    pub fn command(&self) -> Command {
        let mut cmd = claimgraph();
        cmd.current_dir(self.path());
        cmd
    }

    /// `claimgraph --graph FILE ARGS…`: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        output(self.command().arg("--graph").arg(self.file).args(args).output().expect("the binary runs"))
    }

    /// [`Workspace::run`] that must succeed; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        out
    }

    /// The graph file's bytes, to show a refused edit left it alone.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.path().join(self.file)).unwrap()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.bytes()).unwrap()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text()).unwrap()
    }
}
