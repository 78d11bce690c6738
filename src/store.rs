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
//!
//! A writer that finds the lock taken says so after a second ("waiting for
//! the lock held by process N") and gives up after a timeout rather than
//! hanging silently. A symlinked graph is edited at its target (replacing
//! the link with a regular file would leave the real file unedited), and
//! the new file keeps the old one's permissions and, where allowed, owner.

use crate::check::check;
use crate::edit::EditError;
use crate::finding::Finding;
use crate::model::Graph;
use crate::save::{to_canonical_string, to_string, write_atomic};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

/// How long a writer waits for another's lock by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot {action} {}", path.display())]
    Io { action: &'static str, path: PathBuf, source: io::Error },
    #[error("{} already exists", path.display())]
    Exists { path: PathBuf },
    /// Another writer held the lock for the whole timeout.
    #[error("gave up after {}s waiting for the lock on {} (held by {holder})", waited.as_secs(), path.display())]
    LockTimeout { path: PathBuf, holder: String, waited: Duration },
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
    edit_waiting(path, dry_run, DEFAULT_LOCK_TIMEOUT, edit)
}

/// [`edit`], waiting at most `wait` for another writer's lock.
pub fn edit_waiting<T>(
    path: &Path,
    dry_run: bool,
    wait: Duration,
    edit: impl FnOnce(&mut Graph) -> Result<T, EditError>,
) -> Result<Edited<T>, StoreError> {
    let path = &real_path(path);
    let _lock = if dry_run { None } else { Some(lock(path, wait)?) };
    if !dry_run {
        remove_stale_temps(path);
    }
    let before = crate::load::read_regular(path).map_err(|source| io_error("read", path, source))?;
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
    create_waiting(path, graph, dry_run, DEFAULT_LOCK_TIMEOUT)
}

/// [`create`], waiting at most `wait` for another writer's lock.
pub fn create_waiting(
    path: &Path,
    graph: &Graph,
    dry_run: bool,
    wait: Duration,
) -> Result<String, StoreError> {
    let _lock = if dry_run { None } else { Some(lock(path, wait)?) };
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

/// The file an edit must change: a symlink's target (followed to the end),
/// else the path itself.
fn real_path(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match is_link {
        true => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        false => path.to_path_buf(),
    }
}

/// Temporary files left by a writer that died before its rename. Only a
/// lock holder writes them, so while we hold the lock any that exist are
/// stale. Only names [`crate::save::is_temp_of`] recognises as ours are
/// touched: a user's own `.graph.json.backup.tmp` is not.
fn remove_stale_temps(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let dir = lock_path(path).parent().map(Path::to_path_buf).unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if crate::save::is_temp_of(&file, &name) {
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

/// Wait until this process holds the exclusive lock (released on drop),
/// saying so on stderr after a second and giving up after `wait`. The
/// holder writes its process id into the lock file, so that a waiter can
/// say whom it waits for.
fn lock(path: &Path, wait: Duration) -> Result<File, StoreError> {
    let lock_path = lock_path(path);
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(|source| io_error("create the lock file", &lock_path, source))?;
    let start = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(source)) => return Err(io_error("lock", &lock_path, source)),
        }
        let waited = start.elapsed();
        if waited >= wait {
            return Err(StoreError::LockTimeout {
                path: path.to_path_buf(),
                holder: holder(&lock_path),
                waited,
            });
        }
        if !told && waited >= Duration::from_secs(1) {
            eprintln!(
                "waiting for the lock on {} held by {} (giving up after {}s; see --lock-timeout)",
                path.display(),
                holder(&lock_path),
                wait.as_secs()
            );
            told = true;
        }
        std::thread::sleep(Duration::from_millis(50).min(wait.saturating_sub(waited)));
    }
    sign(&mut file);
    Ok(file)
}

/// Write our process id into the lock file we hold (best effort: a lock
/// without it still excludes other writers).
fn sign(file: &mut File) {
    use std::io::{Seek, Write};
    let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|_| {
        write!(file, "process {}", std::process::id())?;
        file.flush()
    });
}

/// Who holds the lock, as its holder wrote it ("process 1234").
fn holder(lock_path: &Path) -> String {
    let text = std::fs::read_to_string(lock_path).unwrap_or_default();
    let text = text.trim();
    if text.starts_with("process ") && text[8..].bytes().all(|b| b.is_ascii_digit()) && text.len() > 8 {
        text.to_string()
    } else {
        "another process".to_string()
    }
}

fn io_error(action: &'static str, path: &Path, source: io::Error) -> StoreError {
    StoreError::Io { action, path: path.to_path_buf(), source }
}
