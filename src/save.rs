//! Writing a graph file: canonical JSON, written atomically.
//!
//! Canonical means sorted by id, keys in model order, two-space indentation
//! and a final newline, so an edit changes only the lines it must. Atomic means
//! a reader (or a crash) sees either the old file or the new one, never half.

use crate::model::Graph;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// The canonical text of a graph (sorted copy; the input is left as is).
pub fn to_canonical_string(graph: &Graph) -> String {
    let mut sorted = graph.clone();
    sorted.canonicalize();
    to_string(&sorted)
}

/// The text of a graph in its current order.
pub fn to_string(graph: &Graph) -> String {
    let mut text = serde_json::to_string_pretty(graph).expect("the model always serializes");
    text.push('\n');
    text
}

/// Write `contents` to `path` through a temporary file in the same directory,
/// fsync it, then rename it over the target (and fsync the directory, so the
/// rename itself survives a power cut).
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |file| file.write_all(contents))
}

/// [`write_atomic`] for output produced piece by piece (an export of a
/// million claims), so it never has to be held in memory whole: `write`
/// streams into the temporary file, through a buffer.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "graph".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut buffered = io::BufWriter::new(File::create(&tmp)?);
        write(&mut buffered)?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        crash_point("after-temp-write");
        fs::rename(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A test-only failure point: with `CLAIMGRAPH_CRASH_AT=<name>` in the
/// environment the process dies right there, as a killed writer would.
fn crash_point(name: &str) {
    if std::env::var("CLAIMGRAPH_CRASH_AT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}
