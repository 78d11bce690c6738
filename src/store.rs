//! Changing a graph file without ever losing data.
//!
//! Every edit is one transaction: take the file's lock → load → apply the
//! edit in memory → run the full [`check`] → refuse if the edit introduced an
//! error (nothing is written) → write canonical JSON to a temporary file in
//! the same directory → fsync → rename it over the original.
//!
//! The lock is an advisory lock (`File::lock`) on a sidecar file
//! `.NAME.lock` next to the graph, never on the graph itself: the rename
//! replaces the graph's inode, so a lock held on the old inode would not stop
//! a writer that opened the new one. The sidecar is never renamed or deleted,
//! so every writer locks the same inode and writers run one after the other,
//! each loading the file its predecessor wrote.

use crate::check::check;
use crate::edit::EditError;
use crate::finding::Finding;
use crate::model::Graph;
use crate::save::{to_canonical_string, to_string, write_atomic};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot {action} {}", path.display())]
    Io { action: &'static str, path: PathBuf, source: io::Error },
    #[error("{} already exists", path.display())]
    Exists { path: PathBuf },
    /// The file does not parse; the findings point into `text`.
    #[error("{} cannot be read as a graph", path.display())]
    Unreadable { path: PathBuf, text: String, findings: Vec<Finding> },
    #[error(transparent)]
    Edit(#[from] EditError),
    /// The edit would introduce errors; the findings point into `text`, the
    /// document as it would have been written.
    #[error("the change would introduce {} error(s); nothing was written", findings.len())]
    Refused { text: String, findings: Vec<Finding> },
}

/// What a transaction did.
#[derive(Debug)]
pub struct Edited<T> {
    /// What the edit function returned (usually its list of changes).
    pub value: T,
    pub before: String,
    pub after: String,
    /// False for a dry run, or when the edit changed nothing.
    pub written: bool,
    /// Whether the file was already canonical: if not, this write reformatted
    /// more lines than the edit itself touched.
    pub was_canonical: bool,
}

/// Load `path`, apply `edit`, check, and (unless `dry_run`) write atomically,
/// all under the file's lock. A dry run takes no lock and leaves no lock
/// file: it only reads, and the rename of a writer is atomic, so it sees the
/// file before or after that write, never half of it.
pub fn edit<T>(
    path: &Path,
    dry_run: bool,
    edit: impl FnOnce(&mut Graph) -> Result<T, EditError>,
) -> Result<Edited<T>, StoreError> {
    let _lock = if dry_run { None } else { Some(lock(path)?) };
    if !dry_run {
        remove_stale_temps(path);
    }
    let before = std::fs::read_to_string(path).map_err(|source| io_error("read", path, source))?;
    let mut graph = crate::load::parse(&before).map_err(|findings| StoreError::Unreadable {
        path: path.to_path_buf(),
        text: before.clone(),
        findings,
    })?;
    let old_errors = error_messages(&check(&graph));
    let was_canonical = to_canonical_string(&graph) == before;
    let value = edit(&mut graph)?;
    // Check the sorted graph, so finding pointers index into `after`.
    graph.canonicalize();
    let after = to_string(&graph);
    refuse_new_errors(&graph, &after, &old_errors)?;
    let written = !dry_run && after != before;
    if written {
        write_atomic(path, after.as_bytes()).map_err(|source| io_error("write", path, source))?;
    }
    Ok(Edited { value, before, after, written, was_canonical })
}

/// Write a new graph file; refuses to overwrite an existing one.
pub fn create(path: &Path, graph: &Graph, dry_run: bool) -> Result<String, StoreError> {
    let _lock = if dry_run { None } else { Some(lock(path)?) };
    if path.exists() {
        return Err(StoreError::Exists { path: path.to_path_buf() });
    }
    let text = to_canonical_string(graph);
    if !dry_run {
        write_atomic(path, text.as_bytes()).map_err(|source| io_error("write", path, source))?;
    }
    Ok(text)
}

/// Findings compare by message: a pre-existing error does not block an edit
/// (it may be the one fixing it), a new one does.
fn error_messages(findings: &[Finding]) -> HashSet<String> {
    findings.iter().filter(|f| f.is_error()).map(|f| f.message.clone()).collect()
}

fn refuse_new_errors(graph: &Graph, after: &str, old: &HashSet<String>) -> Result<(), StoreError> {
    let new: Vec<Finding> =
        check(graph).into_iter().filter(|f| f.is_error() && !old.contains(&f.message)).collect();
    if new.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Refused { text: after.to_string(), findings: new })
    }
}

/// Temporary files left by a writer that died before its rename. Only a
/// lock holder writes them, so while we hold the lock any that exist are
/// stale.
fn remove_stale_temps(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let dir = lock_path(path).parent().map(Path::to_path_buf).unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The sidecar lock file for `path`: `.NAME.lock` in the same directory.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "graph".into());
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    dir.join(format!(".{name}.lock"))
}

/// Block until this process holds the exclusive lock; released on drop.
fn lock(path: &Path) -> Result<File, StoreError> {
    let lock_path = lock_path(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| io_error("create the lock file", &lock_path, source))?;
    file.lock().map_err(|source| io_error("lock", &lock_path, source))?;
    Ok(file)
}

fn io_error(action: &'static str, path: &Path, source: io::Error) -> StoreError {
    StoreError::Io { action, path: path.to_path_buf(), source }
}
