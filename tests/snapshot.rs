//! Compiled snapshots: used when sound, rebuilt when stale, truncated or
//! tampered, never the cause of a wrong answer.

use crate::common::{claimgraph, generate, output};
use std::path::{Path, PathBuf};

struct Setup {
    _dir: tempfile::TempDir,
    graph: PathBuf,
    cache: PathBuf,
}

/// A generated graph above the snapshot threshold (1 MB), and a cache dir.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("big.json");
    generate(&graph, 4000, 800);
    assert!(std::fs::metadata(&graph).unwrap().len() > 1 << 20);
    age(&graph);
    let cache = dir.path().join("cache");
    Setup { _dir: dir, graph, cache }
}

/// Date the file an hour back. A snapshot records the graph's mtime only
/// when the file is older than two seconds (a younger one may change again
/// within the clock's resolution), so a snapshot written right after
/// `generate` and one rebuilt a moment later differed in that field
/// whenever the machine was busy enough for those two seconds to pass
/// between them: the rebuilt-byte-for-byte tests failed under load.
fn age(path: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(hour_ago).unwrap();
}

/// `claimgraph --graph GRAPH` with the setup's cache directory, cache on.
fn on_graph(s: &Setup) -> std::process::Command {
    let mut cmd = claimgraph();
    cmd.env("XDG_CACHE_HOME", &s.cache).env_remove("CLAIMGRAPH_NO_CACHE").arg("--graph").arg(&s.graph);
    cmd
}

fn trace(s: &Setup, extra: &[&str]) -> String {
    let (code, out, err) = output(
        on_graph(s)
            .args(["--format", "json", "trace", "e0000003", "e0000005", "--limit", "5"])
            .args(extra)
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    out
}

fn snapshot_file(s: &Setup) -> PathBuf {
    let dir = s.cache.join("claimgraph");
    let files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|d| d.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
    assert_eq!(files.len(), 1, "one snapshot in {}: {files:?}", dir.display());
    files.into_iter().next().unwrap()
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_snapshot_is_written_then_used_with_the_same_answer() {
    let s = setup();
    let first = trace(&s, &[]);
    assert!(first.contains("\"paths\""));
    let snap = snapshot_file(&s);
    let written = std::fs::metadata(&snap).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(trace(&s, &[]), first);
    let now = std::fs::metadata(&snap).unwrap().modified().unwrap();
    assert_eq!(now, written, "a sound snapshot is reused, not rewritten");
}

/// The section table of a snapshot (see `src/snapshot/mod.rs`): where it
/// starts, and per section its offset, length and checksum.
struct Layout {
    table: usize,
    sections: Vec<(usize, usize, u64)>,
}

impl Layout {
    const ENTITY_AT: usize = 15;
    const ENTITIES: usize = 16;
    const CLAIMS: usize = 20;
    const HOP_CLAIMS: usize = 4;
    const OUT_START: usize = 7;
    const OUT_LINKS: usize = 8;
    const BLOCKS: usize = 21;
    /// The sections checked block by block, in the order of their block
    /// checksums (the index and lookup tables, and the record offsets).
    const BLOCKED: [usize; 17] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19];

    fn of(bytes: &[u8]) -> Layout {
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        let version = env!("CARGO_PKG_VERSION").len();
        let count_at = 8 + 4 + 4 + version + 24;
        let count = u32::from_le_bytes(bytes[count_at..count_at + 4].try_into().unwrap()) as usize;
        assert_eq!(count, 22, "sections");
        let table = count_at + 4;
        let sections = (0..count)
            .map(|i| {
                let at = table + 24 * i;
                (u64_at(at) as usize, u64_at(at + 8) as usize, u64_at(at + 16))
            })
            .collect();
        Layout { table, sections }
    }

    /// Give section `i` a checksum that matches its bytes, and the header too,
    /// as a careful forger would.
    fn reseal(&self, bytes: &mut [u8], i: usize) {
        let (offset, len, _) = self.sections[i];
        let sum = xxhash_rust::xxh3::xxh3_64(&bytes[offset..offset + len]);
        let at = self.table + 24 * i + 16;
        bytes[at..at + 8].copy_from_slice(&sum.to_le_bytes());
        let end = self.table + 24 * self.sections.len();
        let header = xxhash_rust::xxh3::xxh3_64(&bytes[..end]);
        bytes[end..end + 8].copy_from_slice(&header.to_le_bytes());
    }

    /// Give the 4 KiB block of section `i` holding byte `at` of it a
    /// checksum that matches, then reseal both sections and the header.
    fn reseal_block(&self, bytes: &mut [u8], i: usize, at: usize) {
        let before: usize =
            Self::BLOCKED.iter().take_while(|&&s| s != i).map(|&s| self.sections[s].1.div_ceil(4096)).sum();
        let (offset, len, _) = self.sections[i];
        let block = offset + at / 4096 * 4096..(offset + at / 4096 * 4096 + 4096).min(offset + len);
        let sum = xxhash_rust::xxh3::xxh3_64(&bytes[block]);
        let slot = self.sections[Self::BLOCKS].0 + 8 * (before + at / 4096);
        bytes[slot..slot + 8].copy_from_slice(&sum.to_le_bytes());
        self.reseal(bytes, i);
        self.reseal(bytes, Self::BLOCKS);
    }

    /// Where entity `e`'s out-links start in the out-links section.
    fn out_links_of(&self, bytes: &[u8], e: usize) -> usize {
        let at = self.sections[Self::OUT_START].0 + 4 * e;
        8 * u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize
    }
}

fn export(s: &Setup) {
    let (code, _, err) = output(on_graph(s).args(["export", "--format", "dot"]).output().unwrap());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_truncated_or_tampered_snapshot_is_rebuilt() {
    let s = setup();
    let answer = trace(&s, &[]);
    let snap = snapshot_file(&s);
    let good = bytes(&snap);
    let layout = Layout::of(&good);
    std::fs::write(&snap, &good[..good.len() / 2]).unwrap();
    assert_eq!(trace(&s, &[]), answer);
    assert_eq!(bytes(&snap), good, "rebuilt after truncation");
    // The tables are read in place, each 4 KiB block checked when first
    // touched: the trace reads FROM's (e0000003's) out-links.
    let mut tampered = good.clone();
    let from_links = layout.sections[Layout::OUT_LINKS].0 + layout.out_links_of(&good, 3);
    tampered[from_links] ^= 0x01;
    std::fs::write(&snap, &tampered).unwrap();
    assert_eq!(trace(&s, &[]), answer);
    assert_eq!(bytes(&snap), good, "rebuilt after a flipped bit in the tables");
    std::fs::write(&snap, b"not a snapshot").unwrap();
    assert_eq!(trace(&s, &[]), answer);
    assert_eq!(bytes(&snap), good);
}

/// Records are read one at a time, each checked against its own checksum:
/// a damaged record that a query reads is caught, the answer computed again
/// from the graph file, and the snapshot rebuilt.
#[test]
fn a_damaged_record_is_caught_when_read() {
    let s = setup();
    let answer = trace(&s, &[]);
    let snap = snapshot_file(&s);
    let good = bytes(&snap);
    let layout = Layout::of(&good);
    // Entity 3 (e0000003, the trace's FROM) starts where entity 2 ends.
    let (at, _, _) = layout.sections[Layout::ENTITY_AT];
    let start = u64::from_le_bytes(good[at + 32..at + 40].try_into().unwrap()) as usize;
    let (entities, _, _) = layout.sections[Layout::ENTITIES];
    let mut tampered = good.clone();
    tampered[entities + start + 6] ^= 0x01;
    std::fs::write(&snap, &tampered).unwrap();
    assert_eq!(trace(&s, &[]), answer);
    assert_eq!(bytes(&snap), good, "rebuilt after a damaged record was read");
    // Damage in a record the query does not read cannot change its answer;
    // a command that reads the whole graph checks every section and rebuilds.
    let (claims, len, _) = layout.sections[Layout::CLAIMS];
    let mut tampered = good.clone();
    tampered[claims + len - 3] ^= 0x01;
    std::fs::write(&snap, &tampered).unwrap();
    assert_eq!(trace(&s, &[]), answer);
    export(&s);
    assert_eq!(bytes(&snap), good, "rebuilt by a command reading every record");
}

/// A snapshot whose checksums are right but whose index tables point past
/// the entities (only a bug or a forger could write one) is rebuilt too:
/// never a panic or a wrong answer.
#[test]
fn out_of_range_tables_are_rebuilt() {
    let s = setup();
    let answer = trace(&s, &["--format", "text"]);
    let snap = snapshot_file(&s);
    let good = bytes(&snap);
    let layout = Layout::of(&good);
    let mut forged = good.clone();
    // FROM's first out-link names entity u32::MAX.
    let at = layout.out_links_of(&good, 3);
    let link = layout.sections[Layout::OUT_LINKS].0 + at;
    forged[link..link + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    layout.reseal_block(&mut forged, Layout::OUT_LINKS, at);
    std::fs::write(&snap, &forged).unwrap();
    assert_eq!(trace(&s, &["--format", "text"]), answer);
    assert_eq!(bytes(&snap), good, "rebuilt after forged tables");
}

/// Opening a snapshot reads none of its tables: damage in a block no query
/// touches changes no answer, and a command reading the whole graph finds
/// it and rebuilds the snapshot.
#[test]
fn damage_in_an_untouched_table_block_is_found_by_a_full_read() {
    let s = setup();
    let answer = trace(&s, &[]);
    let snap = snapshot_file(&s);
    let good = bytes(&snap);
    let layout = Layout::of(&good);
    let (offset, len, _) = layout.sections[Layout::HOP_CLAIMS];
    let mut tampered = good.clone();
    tampered[offset + len - 2] ^= 0x01;
    std::fs::write(&snap, &tampered).unwrap();
    assert_eq!(trace(&s, &[]), answer);
    export(&s);
    assert_eq!(bytes(&snap), good, "rebuilt by a command reading every table");
}

#[test]
fn editing_the_graph_makes_the_snapshot_stale() {
    let s = setup();
    let before = trace(&s, &[]);
    let text = std::fs::read_to_string(&s.graph).unwrap();
    let renamed = text.replace("\"Tavrex 3\"", "\"Renamed three\"");
    assert_ne!(renamed, text);
    std::fs::write(&s.graph, renamed).unwrap();
    let after = trace(&s, &["--format", "text"]);
    assert!(after.contains("Renamed three"), "{after}");
    assert!(!before.contains("Renamed three"));
}

#[test]
fn no_cache_neither_reads_nor_writes_a_snapshot() {
    let s = setup();
    trace(&s, &["--no-cache"]);
    assert!(!s.cache.join("claimgraph").exists());
}

#[test]
fn claimgraph_no_cache_in_the_environment_bypasses_it_too() {
    let s = setup();
    let (code, _, err) = output(
        claimgraph()
            .env("XDG_CACHE_HOME", &s.cache)
            .env("CLAIMGRAPH_NO_CACHE", "1")
            .arg("--graph")
            .arg(&s.graph)
            .args(["trace", "e0000003", "e0000005"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!s.cache.join("claimgraph").exists());
}

/// Big files are parsed straight from disk; their diagnostics still come
/// with file, line and snippet (the text is read again when needed).
#[test]
fn a_big_file_with_errors_is_refused_with_positions() {
    let s = setup();
    let text = std::fs::read_to_string(&s.graph).unwrap();
    let bad = text.replacen("\"predicate\": \"inhibits\"", "\"predicate\": \"inhibitz\"", 1);
    let line = bad.lines().position(|l| l.contains("inhibitz")).unwrap() + 1;
    std::fs::write(&s.graph, &bad).unwrap();
    let run = |args: &[&str]| {
        output(
            claimgraph()
                .env("XDG_CACHE_HOME", &s.cache)
                .arg("--graph")
                .arg(&s.graph)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let (code, _, err) = run(&["trace", "e0000003", "e0000005"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown predicate `inhibitz`") && err.contains(&format!(":{line}:")), "{err}");
    let (code, out, _) = run(&["check"]);
    assert_eq!(code, 1);
    assert!(out.contains(&format!("big.json:{line}:")), "{out}");
    // The snapshot is written while the check runs, and thrown away.
    let left: Vec<_> = std::fs::read_dir(s.cache.join("claimgraph")).map_or(vec![], |d| d.collect());
    assert!(left.is_empty(), "no snapshot (or temporary file) of a graph with errors: {left:?}");
    // Malformed JSON takes the text path from the start.
    std::fs::write(&s.graph, bad.replacen("\"kind\":", "\"knd\":", 1)).unwrap();
    let (code, out, _) = run(&["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("unknown field `knd`"), "{out}");
}

/// `stats` reads every record; finding one damaged, it answered from the
/// graph file but left the snapshot damaged (only `export` rebuilt it).
#[test]
fn stats_repairs_a_damaged_snapshot() {
    let s = setup();
    trace(&s, &[]);
    let snap = snapshot_file(&s);
    let good = bytes(&snap);
    let layout = Layout::of(&good);
    let (claims, len, _) = layout.sections[Layout::CLAIMS];
    let mut tampered = good.clone();
    tampered[claims + len - 3] ^= 0x01;
    std::fs::write(&snap, &tampered).unwrap();
    let (code, out, err) = output(on_graph(&s).arg("stats").output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4000"), "{out}");
    assert_eq!(bytes(&snap), good, "rebuilt by stats");
}
