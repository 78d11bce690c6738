//! Compiled snapshots: a checked graph in a binary form that a later process
//! opens in milliseconds, so repeated commands on a large file skip JSON
//! parsing, checking and index building.
//!
//! A snapshot is a cache, never a source of truth. It is keyed by the graph
//! file's content hash and rebuilt whenever that does not match; it carries a
//! format version and checksums, so a truncated, tampered or foreign file is
//! detected and ignored (the caller rebuilds it) rather than trusted.
//! Decoding is bounds-checked throughout: bad bytes give an error, never a
//! panic or a wrong graph.
//!
//! What makes it fast is that a query reads little of it: the file is
//! memory-mapped and the index tables (hops, adjacency, per-claim facts)
//! and lookup tables are read in place, as little-endian arrays, block by
//! block as a query touches them, while entities, claims and references are
//! decoded one at a time when a query asks for one (see [`Compiled`]).
//! Opening a snapshot reads its header, metadata and block checksums only,
//! so it costs the same at a million claims as at a hundred thousand; a
//! trace over a million claims decodes a few hundred records.
//!
//! A mapped file that shrinks while mapped faults the reader (SIGBUS), so a
//! snapshot is never rewritten in place: it is written to a temporary file
//! and renamed over the old one (the only writer is the CLI's
//! `write_snapshot`), which leaves the inode a reader has mapped intact.
//!
//! Layout (little-endian):
//! ```text
//! magic "CGSNAP\0\0" · format u32 · crate version (u32 length + bytes)
//! source: length u64 · mtime ns u64 (0 = unknown, always re-hash) · xxh3 u64
//! sections: count u32 · per section offset u64 · length u64 · xxh3 u64
//! header xxh3 u64 (of everything above)
//! the sections, each at an 8-aligned offset, in [`Section`] order except
//! that each kind's records come before their table of ends (they are
//! streamed to the file, and the table is known only after them)
//! ```
//! Every section has a checksum, checked when the section is read whole;
//! the tables ([`BLOCKED`]) also have one per 4 KiB block (the last
//! section), checked when a block is first touched, together with its values
//! (every index in range); each entity, reference and claim record has its
//! own, checked when the record alone is read. xxh3 (xxhash-rust) is the hash: it runs at
//! memory speed; we need to detect accidents and stale files, not resist an
//! attacker who can write to our cache directory (such an attacker could as
//! well edit the graph).

mod codec;
mod compiled;
mod encode;

pub use compiled::Compiled;
pub use encode::{encode, write};

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use thiserror::Error;
use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"CGSNAP\0\0";
/// Bump when the layout or the model changes shape.
const FORMAT: u32 = 9;
/// The size of a checked block of a table: a page, so a lookup that
/// touches one entry checks (and faults in) one page.
const BLOCK: usize = 4096;

/// The sections of a snapshot, in file order (but see the module doc on
/// the records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Schema, title, description, vocabulary and the record counts.
    Meta,
    /// The index tables ([`crate::index::Tables`]), one array each.
    ClaimRefs,
    ClaimRefStart,
    Facts,
    HopClaims,
    HopClaimStart,
    /// Per hop: its packed summary when no filter is set.
    HopFacts,
    OutStart,
    OutLinks,
    InStart,
    InLinks,
    /// Sorted lookup tables: ids, and entity labels in lower case.
    EntityIds,
    EntityLabels,
    ReferenceIds,
    ClaimIds,
    /// Records: per record its end offset and checksum, then the records.
    EntityAt,
    Entities,
    ReferenceAt,
    References,
    ClaimAt,
    Claims,
    /// The checksum of every 4 KiB block of the [`BLOCKED`] sections, in order.
    Blocks,
}

const SECTIONS: usize = 22;

/// The sections read in place, block by block (the rest are read whole, or
/// record by record).
const BLOCKED: &[Section] = &[
    Section::ClaimRefs,
    Section::ClaimRefStart,
    Section::Facts,
    Section::HopClaims,
    Section::HopClaimStart,
    Section::HopFacts,
    Section::OutStart,
    Section::OutLinks,
    Section::InStart,
    Section::InLinks,
    Section::EntityIds,
    Section::EntityLabels,
    Section::ReferenceIds,
    Section::ClaimIds,
    Section::EntityAt,
    Section::ReferenceAt,
    Section::ClaimAt,
];

/// Why a snapshot cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SnapshotError {
    #[error("not a claimgraph snapshot")]
    Magic,
    #[error("snapshot written by another version ({0})")]
    Version(String),
    #[error("snapshot is for different graph contents")]
    Stale,
    #[error("snapshot is truncated or damaged")]
    Corrupt,
}

/// What identifies the graph file a snapshot was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceStamp {
    pub len: u64,
    /// Modification time in ns since the epoch; 0 when it cannot be trusted.
    pub mtime_ns: u64,
    pub hash: u64,
}

impl SourceStamp {
    /// The stamp of `text` read from a file with this metadata. A file
    /// modified in the last two seconds may change again within the clock's
    /// resolution, so its time is not recorded (the next use re-hashes).
    pub fn new(text: &[u8], meta: Option<&std::fs::Metadata>) -> SourceStamp {
        let mtime_ns = meta
            .and_then(|m| m.modified().ok())
            .filter(|t| SystemTime::now().duration_since(*t).is_ok_and(|age| age > Duration::from_secs(2)))
            .map_or(0, nanos);
        SourceStamp { len: text.len() as u64, mtime_ns, hash: xxh3_64(text) }
    }
}

fn nanos(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

/// Whether a file's metadata matches a stamp without reading the file.
pub fn same_metadata(stamp: &SourceStamp, meta: &std::fs::Metadata) -> bool {
    stamp.mtime_ns != 0 && stamp.len == meta.len() && meta.modified().ok().map(nanos) == Some(stamp.mtime_ns)
}

/// Where the snapshot of `source` lives: `$XDG_CACHE_HOME/claimgraph` (or
/// `~/.cache/claimgraph`), one file per source path, so the graph's own
/// directory may be read-only and nothing appears beside it.
pub fn cache_path(source: &Path) -> Option<PathBuf> {
    let dir = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?
        .join("claimgraph");
    let absolute = std::fs::canonicalize(source).ok()?;
    let key = xxh3_64(absolute.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("{key:016x}.snapshot")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Params};
    use crate::index::{Index, Tables};
    use crate::model::{Graph, KindDef, StudyDef};

    fn sample() -> Graph {
        let mut graph = generate(Params::new(300, 60, 5));
        // Exercise every optional field and a file vocabulary, not just what
        // the generator writes.
        let curated = crate::load::parse(crate::DEFAULT_GRAPH).unwrap();
        graph.entities.extend(curated.entities);
        graph.references.extend(curated.references);
        graph.claims.extend(curated.claims);
        graph.vocabulary.kinds.push(KindDef {
            id: "k".into(),
            label: "K".into(),
            description: Some("d".into()),
        });
        graph.vocabulary.studies.push(StudyDef {
            id: "field_observation".into(),
            rank: 45,
            label: "field observation".into(),
            description: Some("d".into()),
        });
        graph
    }

    const STAMP: SourceStamp = SourceStamp { len: 1, mtime_ns: 2, hash: 3 };

    /// Write `bytes` as a snapshot file and open it.
    fn open(dir: &tempfile::TempDir, bytes: &[u8]) -> Result<Compiled, SnapshotError> {
        let path = dir.path().join("g.snapshot");
        std::fs::write(&path, bytes).unwrap();
        Compiled::open(&path)
    }

    /// Everything a snapshot holds, read the way queries read it (record by
    /// record), or `None` when any of it is refused or marked damaged.
    fn read_lazily(compiled: &Compiled) -> Option<(Graph, Tables)> {
        let tables = compiled.tables().ok()?;
        let graph = Graph {
            schema: compiled.schema.clone(),
            title: compiled.title().to_string(),
            description: compiled.description.clone(),
            vocabulary: compiled.vocabulary.clone(),
            entities: (0..compiled.entity_count() as u32).map(|i| compiled.entity(i).clone()).collect(),
            references: (0..compiled.reference_count() as u32)
                .map(|i| compiled.reference(i).clone())
                .collect(),
            claims: (0..compiled.claim_count() as u32).map(|i| compiled.claim(i).clone()).collect(),
        };
        (!compiled.damaged()).then_some((graph, tables))
    }

    /// Every id and name of `graph` looked up in a snapshot's tables.
    fn lookups(compiled: &Compiled, graph: &Graph) -> Vec<Vec<u32>> {
        let entities = graph.entities.iter().map(|e| compiled.entity_ix(&e.id).into_iter().collect());
        let names = graph.entities.iter().map(|e| compiled.entities_labelled(&e.name.to_lowercase()));
        let references = graph.references.iter().map(|r| compiled.reference_ix(&r.id).into_iter().collect());
        let claims = graph.claims.iter().map(|c| compiled.claim_ix(&c.id).into_iter().collect());
        entities.chain(names).chain(references).chain(claims).collect()
    }

    #[test]
    fn a_snapshot_reads_back_the_graph_its_tables_and_stamp() {
        let graph = sample();
        let tables = Tables::new(&graph);
        let dir = tempfile::tempdir().unwrap();
        let compiled = open(&dir, &encode(&graph, &tables, &STAMP)).unwrap();
        assert_eq!(compiled.stamp(), STAMP);
        assert_eq!(compiled.graph().unwrap(), graph);
        assert_eq!(read_lazily(&compiled), Some((graph, tables)));
    }

    #[test]
    fn ids_and_labels_are_found_in_the_sorted_tables() {
        let graph = sample();
        let dir = tempfile::tempdir().unwrap();
        let compiled = open(&dir, &encode(&graph, &Tables::new(&graph), &STAMP)).unwrap();
        for (i, e) in graph.entities.iter().enumerate() {
            assert_eq!(compiled.entity_ix(&e.id), Some(i as u32));
            assert!(compiled.entities_labelled(&e.name.to_lowercase()).contains(&(i as u32)));
        }
        for (i, r) in graph.references.iter().enumerate() {
            assert_eq!(compiled.reference_ix(&r.id), Some(i as u32));
        }
        for (i, c) in graph.claims.iter().enumerate() {
            assert_eq!(compiled.claim_ix(&c.id), Some(i as u32));
        }
        assert_eq!(compiled.entity_ix("ZINC"), None, "ids are exact; names go through the labels");
        assert_eq!(
            compiled.entities_labelled("zinc"),
            [graph.entities.iter().position(|e| e.id == "zinc").unwrap() as u32]
        );
        assert_eq!(
            (compiled.entity_ix("nope"), compiled.claim_ix(""), compiled.reference_ix("~")),
            (None, None, None)
        );
        assert!(!compiled.damaged());
    }

    /// The index of a snapshot answers like the index of the graph.
    #[test]
    fn a_compiled_index_resolves_and_traces_like_the_graphs() {
        let graph = crate::load::parse(crate::DEFAULT_GRAPH).unwrap();
        let tables = Tables::new(&graph);
        let dir = tempfile::tempdir().unwrap();
        let compiled = open(&dir, &encode(&graph, &tables, &STAMP)).unwrap();
        let (memory, snapshot) = (Index::new(&graph), Index::stored(&compiled));
        let options = crate::query::TraceOptions { max_hops: 5, limit: 30, ..Default::default() };
        for (from, to) in [("zinc", "bone mineralization"), ("Zn", "bone mass"), ("calcium", "osteoporosis")]
        {
            let ends = |index: &Index| (index.resolve(from), index.resolve(to));
            assert_eq!(ends(&snapshot), ends(&memory), "{from} → {to}");
            let (Ok(a), Ok(b)) = ends(&memory) else { continue };
            let trace = |index: &Index| crate::query::trace(index, a, b, &options).unwrap();
            assert_eq!(trace(&snapshot), trace(&memory), "{from} → {to}");
        }
        assert_eq!(snapshot.resolve("zinc oxide nanoparticles"), memory.resolve("zinc oxide nanoparticles"));
    }

    #[test]
    fn every_truncation_is_refused() {
        let graph = sample();
        let bytes = encode(&graph, &Tables::new(&graph), &STAMP);
        let dir = tempfile::tempdir().unwrap();
        for cut in (0..bytes.len()).step_by(89).chain([bytes.len() - 1]) {
            assert!(open(&dir, &bytes[..cut]).is_err(), "cut at {cut} of {}", bytes.len());
        }
    }

    /// Damage anywhere is refused, marks the snapshot damaged when read, or
    /// (in the padding between sections) changes nothing: never a wrong graph.
    #[test]
    fn a_flipped_byte_is_never_a_wrong_answer() {
        let graph = sample();
        let tables = Tables::new(&graph);
        let bytes = encode(&graph, &tables, &STAMP);
        let dir = tempfile::tempdir().unwrap();
        let expected = lookups(&open(&dir, &bytes).unwrap(), &graph);
        let (mut refused, mut harmless) = (0, 0);
        for at in (0..bytes.len()).step_by(61) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let read = open(&dir, &damaged).ok().and_then(|c| {
                let read = read_lazily(&c).filter(|_| c.stamp() == STAMP)?;
                let found = lookups(&c, &graph);
                (!c.damaged()).then_some((read, found))
            });
            match read {
                None => refused += 1,
                Some((read, found)) => {
                    assert_eq!(read, (graph.clone(), tables.clone()), "flip at {at}");
                    assert_eq!(found, expected, "flip at {at}");
                    harmless += 1;
                }
            }
        }
        // Only the padding between sections is not covered by a checksum.
        assert!(refused > 1000 && harmless < refused / 50, "{refused} refused, {harmless} harmless");
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        let dir = tempfile::tempdir().unwrap();
        let mut x = 12345u64;
        for n in [0, 1, 5, 64, 1000, 5000] {
            let garbage: Vec<u8> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (x >> 56) as u8
                })
                .collect();
            assert!(open(&dir, &garbage).is_err());
        }
    }

    #[test]
    fn another_format_version_is_refused() {
        let graph = sample();
        let mut bytes = encode(&graph, &Tables::new(&graph), &STAMP);
        bytes[8] = bytes[8].wrapping_add(1);
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(open(&dir, &bytes), Err(SnapshotError::Version(_))));
    }

    #[test]
    fn claim_facts_pack_into_16_bits_and_back() {
        use crate::index::ClaimFacts;
        use crate::model::{Certainty, Sign, StudyLevel, MAX_STUDY_TYPES};
        let levels = std::iter::once(None).chain((0..MAX_STUDY_TYPES as u8).map(|l| Some(StudyLevel(l))));
        for best in levels {
            for certainty in std::iter::once(None).chain(Certainty::ALL.map(Some)) {
                for sign in [Sign::Plus, Sign::Minus, Sign::None] {
                    for negated in [false, true] {
                        let facts = ClaimFacts { negated, sign, best, certainty };
                        assert_eq!(ClaimFacts::unpack(facts.pack()), Some(facts));
                    }
                }
            }
        }
        assert_eq!(ClaimFacts::unpack(0b110), None, "sign 3");
        assert_eq!(ClaimFacts::unpack(1 << 12), None, "unused bits");
    }
}
