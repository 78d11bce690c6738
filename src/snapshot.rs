//! Compiled snapshots: a checked graph in a compact binary form, so repeated
//! commands on a large file skip JSON parsing and checking.
//!
//! A snapshot is a cache, never a source of truth. It is keyed by the graph
//! file's content hash and rebuilt whenever that does not match; it carries a
//! format version and a checksum of its payload, so a truncated, tampered or
//! foreign file is detected and ignored (the caller rebuilds it) rather than
//! trusted. Decoding is bounds-checked throughout: bad bytes give an error,
//! never a panic or a wrong graph.
//!
//! Layout (little-endian):
//! ```text
//! magic "CGSNAP\0\0" · format u32 · crate version (u32 length + bytes)
//! source: length u64 · mtime ns u64 (0 = unknown, always re-hash) · xxh3 u64
//! payload: length u64 · xxh3 u64 · bytes
//!   graph (vocabulary, entities, references, claims in two halves)
//!   resolved ids (see `Resolved`): per claim subject u32 · object u32;
//!   reference runs: u32 count + u32 each; run starts: u32 count + u32 each
//! ```
//! Strings are a u32 length and UTF-8 bytes, vectors a u32 count, options a
//! tag byte. xxh3 (xxhash-rust) is the hash: it runs at memory speed, so
//! verifying a 200 MB payload costs tens of milliseconds; we need to detect
//! accidents and stale files, not resist an attacker who can write to our
//! cache directory (such an attacker could as well edit the graph).

use crate::index::Resolved;
use crate::model::{
    Claim, Entity, Evidence, Graph, KindDef, PredicateClass, PredicateDef, Reference, Sign, VocabularySection,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use thiserror::Error;
use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"CGSNAP\0\0";
/// Bump when the layout or the model changes shape.
const FORMAT: u32 = 3;

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

/// Read a snapshot file, its two halves side by side: copying a few hundred
/// megabytes out of the page cache (and faulting in the fresh buffer) is
/// bound by one core's memory traffic, so the second core halves it. A file
/// that changes meanwhile gives an error or bytes that fail [`open`].
#[cfg(unix)]
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path)?;
    let len = usize::try_from(file.metadata()?.len()).map_err(|_| std::io::ErrorKind::InvalidData)?;
    let mut bytes = vec![0u8; len];
    let (lower, upper) = bytes.split_at_mut(len / 2);
    let at = lower.len() as u64;
    std::thread::scope(|scope| {
        let upper = scope.spawn(|| file.read_exact_at(upper, at));
        file.read_exact_at(lower, 0)?;
        upper.join().unwrap_or_else(|_| Err(std::io::ErrorKind::Other.into()))
    })?;
    Ok(bytes)
}

#[cfg(not(unix))]
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

/// Encode a checked graph with the stamp of its source.
pub fn encode(graph: &Graph, stamp: &SourceStamp) -> Vec<u8> {
    encode_with(graph, &Resolved::new(graph), stamp)
}

fn encode_with(graph: &Graph, resolved: &Resolved, stamp: &SourceStamp) -> Vec<u8> {
    let mut payload = Writer(Vec::with_capacity(graph.claims.len() * 180));
    payload.graph(graph);
    payload.resolved(resolved);
    let payload = payload.0;
    let mut out = Writer(Vec::with_capacity(payload.len() + 64));
    out.0.extend_from_slice(MAGIC);
    out.u32(FORMAT);
    out.str(env!("CARGO_PKG_VERSION"));
    out.u64(stamp.len);
    out.u64(stamp.mtime_ns);
    out.u64(stamp.hash);
    out.u64(payload.len() as u64);
    out.u64(xxh3_64(&payload));
    out.0.extend_from_slice(&payload);
    out.0
}

/// Read the header: the source stamp and the (verified) payload.
pub fn open(bytes: &[u8]) -> Result<(SourceStamp, &[u8]), SnapshotError> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(MAGIC.len()).map_err(|_| SnapshotError::Magic)? != MAGIC {
        return Err(SnapshotError::Magic);
    }
    let format = r.u32()?;
    let version = r.string()?;
    if format != FORMAT || version != env!("CARGO_PKG_VERSION") {
        return Err(SnapshotError::Version(format!("format {format}, claimgraph {version}")));
    }
    let stamp = SourceStamp { len: r.u64()?, mtime_ns: r.u64()?, hash: r.u64()? };
    let len = usize::try_from(r.u64()?).map_err(|_| SnapshotError::Corrupt)?;
    let sum = r.u64()?;
    let payload = r.take(len)?;
    if r.pos != bytes.len() || xxh3_64(payload) != sum {
        return Err(SnapshotError::Corrupt);
    }
    Ok((stamp, payload))
}

/// Decode a verified payload.
pub fn decode(payload: &[u8]) -> Result<Graph, SnapshotError> {
    decode_resolved(payload).map(|(graph, _)| graph)
}

/// Decode a verified payload with its resolved ids, for
/// [`crate::index::Index::from_resolved`]. Ids that do not fit the graph
/// (out of range, runs out of order) make the snapshot corrupt.
pub fn decode_resolved(payload: &[u8]) -> Result<(Graph, Resolved), SnapshotError> {
    let mut r = Reader { bytes: payload, pos: 0 };
    let graph = r.graph()?;
    let resolved = r.resolved(graph.claims.len())?;
    if r.pos != payload.len() || !resolved.fits(&graph) {
        return Err(SnapshotError::Corrupt);
    }
    Ok((graph, resolved))
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 4 billion items"));
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt(&mut self, s: &Option<String>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
        }
    }

    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        v.iter().for_each(|s| self.str(s));
    }

    fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u32(x));
    }

    fn resolved(&mut self, r: &Resolved) {
        for &(s, o) in &r.ends {
            self.u32(s);
            self.u32(o);
        }
        self.u32s(&r.claim_refs);
        self.u32s(&r.claim_ref_start);
    }

    fn graph(&mut self, g: &Graph) {
        self.str(&g.schema);
        self.str(&g.title);
        self.str(&g.description);
        self.len(g.vocabulary.kinds.len());
        for k in &g.vocabulary.kinds {
            self.str(&k.id);
            self.str(&k.label);
            self.opt(&k.description);
        }
        self.len(g.vocabulary.predicates.len());
        for p in &g.vocabulary.predicates {
            self.str(&p.id);
            self.0.push(match p.sign {
                Sign::Plus => 0,
                Sign::Minus => 1,
                Sign::None => 2,
            });
            self.0.push(match p.class {
                PredicateClass::Causal => 0,
                PredicateClass::Correlative => 1,
                PredicateClass::Structural => 2,
            });
            self.str(&p.label);
            self.str(&p.inverse);
            self.strs(&p.subject_kinds);
            self.strs(&p.object_kinds);
            self.opt(&p.description);
        }
        self.len(g.entities.len());
        g.entities.iter().for_each(|e| self.entity(e));
        self.len(g.references.len());
        g.references.iter().for_each(|r| self.reference(r));
        // Claims in two halves, the first prefixed by its byte length, so
        // the reader can decode both at once on two threads.
        let half = g.claims.len() / 2;
        self.len(g.claims.len());
        let mut first = Writer(Vec::new());
        g.claims[..half].iter().for_each(|c| first.claim(c));
        self.u64(first.0.len() as u64);
        self.0.extend_from_slice(&first.0);
        g.claims[half..].iter().for_each(|c| self.claim(c));
    }

    fn entity(&mut self, e: &Entity) {
        self.str(&e.id);
        self.str(&e.name);
        self.str(&e.kind);
        self.strs(&e.aliases);
        self.strs(&e.xrefs);
        self.opt(&e.description);
    }

    fn reference(&mut self, r: &Reference) {
        self.str(&r.id);
        self.str(&r.kind);
        self.str(&r.title);
        self.strs(&r.authors);
        match r.year {
            None => self.0.push(0),
            Some(y) => {
                self.0.push(1);
                self.0.extend_from_slice(&y.to_le_bytes());
            }
        }
        for field in [&r.journal, &r.volume, &r.issue, &r.pages, &r.doi, &r.pmid, &r.pmcid, &r.url, &r.note] {
            self.opt(field);
        }
    }

    fn claim(&mut self, c: &Claim) {
        self.str(&c.id);
        self.str(&c.subject);
        self.str(&c.predicate);
        self.str(&c.object);
        self.len(c.evidence.len());
        for e in &c.evidence {
            self.str(&e.reference);
            self.str(&e.summary);
            self.opt(&e.quote);
            self.opt(&e.locator);
            self.str(&e.study);
            for field in [&e.species, &e.model, &e.tissue, &e.condition] {
                self.opt(field);
            }
        }
        self.0.push(c.negated as u8);
        self.opt(&c.certainty);
        self.opt(&c.note);
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
}

type Res<T> = Result<T, SnapshotError>;

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Res<&'b [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(SnapshotError::Corrupt)?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn u8(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    /// A count, refused when it could not possibly fit in the rest of the
    /// input (so a damaged length cannot make us allocate gigabytes).
    fn len(&mut self) -> Res<usize> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() - self.pos {
            return Err(SnapshotError::Corrupt);
        }
        Ok(n)
    }

    fn string(&mut self) -> Res<String> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map(str::to_string).map_err(|_| SnapshotError::Corrupt)
    }

    fn opt(&mut self) -> Res<Option<String>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(SnapshotError::Corrupt),
        }
    }

    fn strings(&mut self) -> Res<Vec<String>> {
        self.many(Self::string)
    }

    /// `n` little-endian u32s in one bounds check.
    fn raw_u32s(&mut self, n: usize) -> Res<Vec<u32>> {
        let bytes = self.take(n.checked_mul(4).ok_or(SnapshotError::Corrupt)?)?;
        Ok(bytes.chunks_exact(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes"))).collect())
    }

    fn u32s(&mut self) -> Res<Vec<u32>> {
        let n = self.u32()? as usize;
        self.raw_u32s(n)
    }

    fn resolved(&mut self, claims: usize) -> Res<Resolved> {
        let flat = self.raw_u32s(claims.checked_mul(2).ok_or(SnapshotError::Corrupt)?)?;
        let ends = flat.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        Ok(Resolved { ends, claim_refs: self.u32s()?, claim_ref_start: self.u32s()? })
    }

    fn many<T>(&mut self, item: impl Fn(&mut Self) -> Res<T>) -> Res<Vec<T>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    fn graph(&mut self) -> Res<Graph> {
        let schema = self.string()?;
        let title = self.string()?;
        let description = self.string()?;
        let kinds =
            self.many(|r| Ok(KindDef { id: r.string()?, label: r.string()?, description: r.opt()? }))?;
        let predicates = self.many(Self::predicate)?;
        Ok(Graph {
            schema,
            title,
            description,
            vocabulary: VocabularySection { kinds, predicates },
            entities: self.many(Self::entity)?,
            references: self.many(Self::reference)?,
            claims: self.claims()?,
        })
    }

    /// The two halves written by `Writer::graph`, decoded side by side:
    /// decoding is allocation-bound (millions of small strings), and the
    /// second core halves it.
    fn claims(&mut self) -> Res<Vec<Claim>> {
        let n = self.len()?;
        let first_len = usize::try_from(self.u64()?).map_err(|_| SnapshotError::Corrupt)?;
        let first = self.take(first_len)?;
        let rest = &self.bytes[self.pos..];
        let half = n / 2;
        let decode = |bytes: &[u8], count: usize| -> Res<(Vec<Claim>, usize)> {
            let mut r = Reader { bytes, pos: 0 };
            let mut out = Vec::with_capacity(count);
            for _ in 0..count {
                out.push(r.claim()?);
            }
            Ok((out, r.pos))
        };
        let (a, b) = std::thread::scope(|scope| {
            let second = scope.spawn(|| decode(rest, n - half));
            let a = decode(first, half);
            (a, second.join().unwrap_or(Err(SnapshotError::Corrupt)))
        });
        let ((mut claims, used_a), (b, used_b)) = (a?, b?);
        if used_a != first.len() {
            return Err(SnapshotError::Corrupt);
        }
        self.pos += used_b;
        claims.extend(b);
        Ok(claims)
    }

    fn predicate(&mut self) -> Res<PredicateDef> {
        let id = self.string()?;
        let sign = match self.u8()? {
            0 => Sign::Plus,
            1 => Sign::Minus,
            2 => Sign::None,
            _ => return Err(SnapshotError::Corrupt),
        };
        let class = match self.u8()? {
            0 => PredicateClass::Causal,
            1 => PredicateClass::Correlative,
            2 => PredicateClass::Structural,
            _ => return Err(SnapshotError::Corrupt),
        };
        Ok(PredicateDef {
            id,
            sign,
            class,
            label: self.string()?,
            inverse: self.string()?,
            subject_kinds: self.strings()?,
            object_kinds: self.strings()?,
            description: self.opt()?,
        })
    }

    fn entity(&mut self) -> Res<Entity> {
        Ok(Entity {
            id: self.string()?,
            name: self.string()?,
            kind: self.string()?,
            aliases: self.strings()?,
            xrefs: self.strings()?,
            description: self.opt()?,
        })
    }

    fn reference(&mut self) -> Res<Reference> {
        let (id, kind, title, authors) = (self.string()?, self.string()?, self.string()?, self.strings()?);
        let year = match self.u8()? {
            0 => None,
            1 => Some(i32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes"))),
            _ => return Err(SnapshotError::Corrupt),
        };
        Ok(Reference {
            id,
            kind,
            title,
            authors,
            year,
            journal: self.opt()?,
            volume: self.opt()?,
            issue: self.opt()?,
            pages: self.opt()?,
            doi: self.opt()?,
            pmid: self.opt()?,
            pmcid: self.opt()?,
            url: self.opt()?,
            note: self.opt()?,
        })
    }

    fn claim(&mut self) -> Res<Claim> {
        let (id, subject, predicate, object) =
            (self.string()?, self.string()?, self.string()?, self.string()?);
        let evidence = self.many(|r| {
            Ok(Evidence {
                reference: r.string()?,
                summary: r.string()?,
                quote: r.opt()?,
                locator: r.opt()?,
                study: r.string()?,
                species: r.opt()?,
                model: r.opt()?,
                tissue: r.opt()?,
                condition: r.opt()?,
            })
        })?;
        let negated = match self.u8()? {
            0 => false,
            1 => true,
            _ => return Err(SnapshotError::Corrupt),
        };
        Ok(Claim {
            id,
            subject,
            predicate,
            object,
            evidence,
            negated,
            certainty: self.opt()?,
            note: self.opt()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Params};

    fn sample() -> (Graph, Vec<u8>) {
        let mut graph = generate(Params::new(300, 60, 5));
        // Exercise every optional field and a file vocabulary, not just what
        // the generator writes.
        let curated = crate::load::parse(crate::DEFAULT_GRAPH).unwrap();
        graph.references.extend(curated.references);
        graph.claims.extend(curated.claims);
        graph.vocabulary.kinds.push(KindDef {
            id: "k".into(),
            label: "K".into(),
            description: Some("d".into()),
        });
        let stamp = SourceStamp { len: 1, mtime_ns: 2, hash: 3 };
        let bytes = encode(&graph, &stamp);
        (graph, bytes)
    }

    #[test]
    fn a_snapshot_decodes_to_the_same_graph_and_stamp() {
        let (graph, bytes) = sample();
        let (stamp, payload) = open(&bytes).unwrap();
        assert_eq!(stamp, SourceStamp { len: 1, mtime_ns: 2, hash: 3 });
        assert_eq!(decode(payload).unwrap(), graph);
    }

    #[test]
    fn resolved_ids_round_trip_and_match_hashing() {
        let (graph, bytes) = sample();
        let (decoded, resolved) = decode_resolved(open(&bytes).unwrap().1).unwrap();
        assert_eq!(decoded, graph);
        assert_eq!(resolved, Resolved::new(&graph));
        assert!(resolved.claim_refs.len() > graph.claims.len(), "claims cite references");
    }

    /// Checksummed but wrong resolutions (a bug, or a careful forger) must
    /// make the snapshot corrupt, never an index read out of bounds.
    #[test]
    fn out_of_range_resolved_ids_are_corrupt() {
        let (graph, _) = sample();
        let good = Resolved::new(&graph);
        let stamp = SourceStamp { len: 1, mtime_ns: 2, hash: 3 };
        let (entities, references) = (graph.entities.len() as u32, graph.references.len() as u32);
        let damage: [&dyn Fn(&mut Resolved); 6] = [
            &|r| r.ends[5].0 = entities,
            &|r| r.ends[7].1 = entities + 9,
            &|r| r.claim_refs[3] = references,
            &|r| r.claim_ref_start[4] = r.claim_ref_start[6] + 1,
            &|r| *r.claim_ref_start.last_mut().unwrap() += 1,
            &|r| {
                r.ends.pop();
            },
        ];
        for (i, damage) in damage.iter().enumerate() {
            let mut bad = good.clone();
            damage(&mut bad);
            let bytes = encode_with(&graph, &bad, &stamp);
            let payload = open(&bytes).unwrap().1;
            assert_eq!(decode_resolved(payload).err(), Some(SnapshotError::Corrupt), "damage {i}");
            assert!(!bad.fits(&graph), "damage {i}");
        }
        // A dangling endpoint is representable: the index skips that claim.
        let mut dangling = good.clone();
        dangling.ends[5].1 = Resolved::MISSING;
        let bytes = encode_with(&graph, &dangling, &stamp);
        assert_eq!(decode_resolved(open(&bytes).unwrap().1).unwrap().1, dangling);
    }

    #[test]
    fn reading_in_two_halves_reads_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        for n in [0usize, 1, 2, 7, 100_001] {
            let path = dir.path().join(format!("{n}.snapshot"));
            let bytes: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read(&path).unwrap(), bytes, "{n} bytes");
        }
        assert!(read(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn graphs_with_no_claim_or_an_odd_number_round_trip() {
        for n in [0, 1, 3] {
            let mut graph = generate(Params::new(10, 5, 1));
            graph.claims.truncate(n);
            let bytes = encode(&graph, &SourceStamp { len: 0, mtime_ns: 0, hash: 0 });
            assert_eq!(decode(open(&bytes).unwrap().1).unwrap(), graph, "{n} claims");
        }
    }

    #[test]
    fn every_truncation_is_detected() {
        let (_, bytes) = sample();
        for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
            assert!(open(&bytes[..cut]).is_err(), "cut at {cut} of {}", bytes.len());
        }
    }

    #[test]
    fn a_flipped_byte_is_detected() {
        let (_, bytes) = sample();
        let original = SourceStamp { len: 1, mtime_ns: 2, hash: 3 };
        let stamp_at = 8 + 4 + 4 + env!("CARGO_PKG_VERSION").len();
        for at in (0..bytes.len()).step_by(7) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            match open(&damaged) {
                // Only the stamp is outside the checksum: damage there makes
                // the snapshot look like one of another file, i.e. stale.
                Ok((stamp, _)) => assert!((stamp_at..stamp_at + 24).contains(&at) && stamp != original),
                Err(_) => assert!(!(stamp_at..stamp_at + 24).contains(&at)),
            }
        }
    }

    #[test]
    fn decoding_garbage_fails_without_panicking() {
        let mut x = 12345u64;
        for n in [0, 1, 5, 64, 1000] {
            let garbage: Vec<u8> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (x >> 56) as u8
                })
                .collect();
            assert!(decode(&garbage).is_err());
            assert!(open(&garbage).is_err());
        }
    }

    #[test]
    fn another_format_version_is_refused() {
        let (_, mut bytes) = sample();
        bytes[8] = bytes[8].wrapping_add(1);
        assert!(matches!(open(&bytes), Err(SnapshotError::Version(_))));
    }
}
