//! An open snapshot: its header and metadata read, its index tables read on
//! request, and its entities, claims and references read one at a time
//! when first asked for.
//!
//! Records are handed out as `&Entity`/`&Claim`/`&Reference`, so queries
//! and reports work on a snapshot exactly as on a graph in memory. A record
//! that cannot be read (the cache file damaged after it was opened) cannot
//! return an error through that interface: it yields an empty placeholder
//! and marks the snapshot [damaged](Compiled::damaged). Callers check the
//! mark before showing anything and, when it is set, answer again from the
//! graph file itself, so a damaged snapshot never shows a wrong answer.

use super::codec::{Reader, Res};
use super::encode::unpack_facts;
use super::{Section, SnapshotError, SourceStamp, FORMAT, MAGIC, SECTIONS};
use crate::index::{Adjacency, ClaimIx, EntityIx, Link, RefIx, Tables};
use crate::model::{Claim, Entity, Graph, Reference, Text, Vocabulary, VocabularySection};
use std::cell::{Cell, OnceCell};
use std::fs::File;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// Where a section lies in the file, and its checksum.
#[derive(Debug, Clone, Copy)]
struct Span {
    offset: u64,
    len: u64,
    sum: u64,
}

/// A snapshot file opened for reading (see the module docs).
pub struct Compiled {
    file: File,
    stamp: SourceStamp,
    spans: [Span; SECTIONS],
    pub(super) schema: String,
    title: String,
    pub(super) description: String,
    pub(super) vocabulary: VocabularySection,
    entities: Lazy<Entity>,
    references: Lazy<Reference>,
    claims: Lazy<Claim>,
    entity_ids: OnceCell<Vec<u8>>,
    entity_labels: OnceCell<Vec<u8>>,
    reference_ids: OnceCell<Vec<u8>>,
    claim_ids: OnceCell<Vec<u8>>,
    damaged: Cell<bool>,
}

/// Records of one kind: where each lies (read on first use) and each one
/// decoded, once, when first asked for.
struct Lazy<T> {
    at: Section,
    records: Section,
    ends: OnceCell<Vec<u64>>,
    cells: Vec<OnceCell<Box<T>>>,
}

impl<T> Lazy<T> {
    fn new(at: Section, records: Section, count: usize) -> Lazy<T> {
        Lazy { at, records, ends: OnceCell::new(), cells: (0..count).map(|_| OnceCell::new()).collect() }
    }
}

/// What a record that could not be read stands in as.
static NO_ENTITY: Entity = Entity {
    id: Text::const_new(""),
    name: Text::const_new(""),
    kind: Text::const_new(""),
    group: None,
    aliases: Vec::new(),
    xrefs: Vec::new(),
    description: None,
};
static NO_REFERENCE: Reference = Reference {
    id: String::new(),
    kind: String::new(),
    title: String::new(),
    authors: Vec::new(),
    year: None,
    journal: None,
    volume: None,
    issue: None,
    pages: None,
    doi: None,
    pmid: None,
    pmcid: None,
    url: None,
    note: None,
};
static NO_CLAIM: Claim = Claim {
    id: Text::const_new(""),
    subject: Text::const_new(""),
    predicate: Text::const_new(""),
    object: Text::const_new(""),
    evidence: Vec::new(),
    negated: false,
    certainty: None,
    note: None,
};

impl Compiled {
    /// Open a snapshot: check its header and read its metadata. Whether it
    /// belongs to the graph file is the caller's question ([`Compiled::stamp`]).
    pub fn open(path: &Path) -> Result<Compiled, SnapshotError> {
        // A FIFO placed at the snapshot path must not hang every command.
        let file = crate::load::open_regular(path).map_err(|_| SnapshotError::Corrupt)?;
        let size = file.metadata().map_err(|_| SnapshotError::Corrupt)?.len();
        let mut head = vec![0u8; size.min(4096) as usize];
        read_at(&file, &mut head, 0)?;
        let (stamp, spans) = header(&head, size)?;
        let mut compiled = Compiled {
            file,
            stamp,
            spans,
            schema: String::new(),
            title: String::new(),
            description: String::new(),
            vocabulary: VocabularySection::default(),
            entities: Lazy::new(Section::EntityAt, Section::Entities, 0),
            references: Lazy::new(Section::ReferenceAt, Section::References, 0),
            claims: Lazy::new(Section::ClaimAt, Section::Claims, 0),
            entity_ids: OnceCell::new(),
            entity_labels: OnceCell::new(),
            reference_ids: OnceCell::new(),
            claim_ids: OnceCell::new(),
            damaged: Cell::new(false),
        };
        let meta = compiled.section(Section::Meta)?;
        let mut r = Reader { bytes: &meta, pos: 0 };
        (compiled.schema, compiled.title, compiled.description) = (r.string()?, r.string()?, r.string()?);
        compiled.vocabulary = r.vocabulary()?;
        let counts = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
        compiled.entities = Lazy::new(Section::EntityAt, Section::Entities, counts.0);
        compiled.references = Lazy::new(Section::ReferenceAt, Section::References, counts.1);
        compiled.claims = Lazy::new(Section::ClaimAt, Section::Claims, counts.2);
        Ok(compiled)
    }

    /// The graph file this snapshot was made from.
    pub fn stamp(&self) -> SourceStamp {
        self.stamp
    }

    /// Whether some record could not be read since the snapshot was opened:
    /// anything answered from it since then must be thrown away.
    pub fn damaged(&self) -> bool {
        self.damaged.get()
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary::with_section(&self.vocabulary)
    }

    pub fn entity_count(&self) -> usize {
        self.entities.cells.len()
    }

    pub fn reference_count(&self) -> usize {
        self.references.cells.len()
    }

    pub fn claim_count(&self) -> usize {
        self.claims.cells.len()
    }

    /// The index tables, read whole and checked to fit the record counts.
    pub fn tables(&self) -> Result<Tables, SnapshotError> {
        let tables = Tables {
            claim_refs: self.u32s(Section::ClaimRefs)?,
            claim_ref_start: self.u32s(Section::ClaimRefStart)?,
            facts: self.facts()?,
            hop_claims: self.u32s(Section::HopClaims)?,
            hop_claim_start: self.u32s(Section::HopClaimStart)?,
            hop_asserted: self.section(Section::HopAsserted)?,
            out_links: Adjacency {
                start: self.u32s(Section::OutStart)?,
                links: self.links(Section::OutLinks)?,
            },
            in_links: Adjacency { start: self.u32s(Section::InStart)?, links: self.links(Section::InLinks)? },
        };
        let fits = tables.fit(self.entity_count(), self.claim_count(), self.reference_count());
        fits.then_some(tables).ok_or(SnapshotError::Corrupt)
    }

    /// The whole graph, every record decoded (claims in two halves side by
    /// side: decoding is allocation-bound and the second core halves it).
    pub fn graph(&self) -> Result<Graph, SnapshotError> {
        let (entities, references) =
            (self.all(&self.entities, |r| r.entity()), self.all(&self.references, |r| r.reference()));
        Ok(Graph {
            schema: self.schema.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            vocabulary: self.vocabulary.clone(),
            entities: entities?,
            references: references?,
            claims: self.all(&self.claims, |r| r.claim())?,
        })
    }

    pub fn entity(&self, ix: EntityIx) -> &Entity {
        self.record(&self.entities, ix, |r| r.entity()).unwrap_or(&NO_ENTITY)
    }

    pub fn reference(&self, ix: RefIx) -> &Reference {
        self.record(&self.references, ix, |r| r.reference()).unwrap_or(&NO_REFERENCE)
    }

    pub fn claim(&self, ix: ClaimIx) -> &Claim {
        self.record(&self.claims, ix, |r| r.claim()).unwrap_or(&NO_CLAIM)
    }

    pub fn entity_ix(&self, id: &str) -> Option<EntityIx> {
        self.lookup(&self.entity_ids, Section::EntityIds, id).next()
    }

    pub fn reference_ix(&self, id: &str) -> Option<RefIx> {
        self.lookup(&self.reference_ids, Section::ReferenceIds, id).next()
    }

    pub fn claim_ix(&self, id: &str) -> Option<ClaimIx> {
        self.lookup(&self.claim_ids, Section::ClaimIds, id).next()
    }

    /// Entities whose id, name or an alias, in lower case, is `label`, in
    /// entity order.
    pub fn entities_labelled(&self, label: &str) -> Vec<EntityIx> {
        let mut out: Vec<EntityIx> = self.lookup(&self.entity_labels, Section::EntityLabels, label).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A record, read and decoded on first use; `None` (and the snapshot
    /// marked damaged) when it cannot be.
    fn record<'a, T>(
        &'a self,
        lazy: &'a Lazy<T>,
        ix: u32,
        decode: fn(&mut Reader) -> Res<T>,
    ) -> Option<&'a T> {
        let cell = lazy.cells.get(ix as usize)?;
        if let Some(record) = cell.get() {
            return Some(record);
        }
        let read = || -> Res<T> {
            let (ends, i) = (self.ends(lazy)?, ix as usize);
            let start = if i == 0 { 0 } else { ends[2 * i - 2] };
            let (end, sum) = (ends[2 * i], ends[2 * i + 1]);
            let span = self.spans[lazy.records as usize];
            if start > end || end > span.len {
                return Err(SnapshotError::Corrupt);
            }
            let mut bytes = vec![0u8; (end - start) as usize];
            read_at(&self.file, &mut bytes, span.offset + start)?;
            if xxh3_64(&bytes) != sum {
                return Err(SnapshotError::Corrupt);
            }
            let mut r = Reader { bytes: &bytes, pos: 0 };
            let record = decode(&mut r)?;
            (r.pos == bytes.len()).then_some(record).ok_or(SnapshotError::Corrupt)
        };
        match read() {
            Ok(record) => Some(cell.get_or_init(|| Box::new(record))),
            Err(_) => {
                self.damaged.set(true);
                None
            }
        }
    }

    /// Every record of a kind, from its section read whole.
    fn all<T: Send>(&self, lazy: &Lazy<T>, decode: fn(&mut Reader) -> Res<T>) -> Res<Vec<T>> {
        let ends = self.ends(lazy)?;
        let bytes = self.section(lazy.records)?;
        let decode_run = |range: std::ops::Range<usize>| -> Res<Vec<T>> {
            let mut start = if range.start == 0 { 0 } else { ends[2 * range.start - 2] as usize };
            let mut out = Vec::with_capacity(range.len());
            for i in range {
                let end = ends[2 * i] as usize;
                let record = bytes.get(start..end).ok_or(SnapshotError::Corrupt)?;
                let mut r = Reader { bytes: record, pos: 0 };
                out.push(decode(&mut r)?);
                if r.pos != record.len() {
                    return Err(SnapshotError::Corrupt);
                }
                start = end;
            }
            Ok(out)
        };
        let n = lazy.cells.len();
        let half = n / 2;
        std::thread::scope(|scope| {
            let upper = scope.spawn(|| decode_run(half..n));
            let mut lower = decode_run(0..half)?;
            lower.extend(upper.join().unwrap_or(Err(SnapshotError::Corrupt))?);
            Ok(lower)
        })
    }

    /// The end offsets and checksums of a kind's records (one pair each).
    fn ends<'a, T>(&self, lazy: &'a Lazy<T>) -> Res<&'a Vec<u64>> {
        if let Some(ends) = lazy.ends.get() {
            return Ok(ends);
        }
        let bytes = self.section(lazy.at)?;
        if bytes.len() != lazy.cells.len() * 16 {
            return Err(SnapshotError::Corrupt);
        }
        let ends =
            bytes.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))).collect();
        Ok(lazy.ends.get_or_init(|| ends))
    }

    /// The indices stored under `key` in a sorted string table (an empty
    /// iterator, and the snapshot marked damaged, when it cannot be read).
    fn lookup<'a>(
        &'a self,
        cell: &'a OnceCell<Vec<u8>>,
        section: Section,
        key: &'a str,
    ) -> impl Iterator<Item = u32> + 'a {
        let bytes = match cell.get() {
            Some(bytes) => Some(bytes),
            None => self.section(section).ok().map(|bytes| cell.get_or_init(|| bytes)),
        };
        let table = bytes.and_then(|bytes| StringTable::new(bytes));
        if table.is_none() {
            self.damaged.set(true);
        }
        table.into_iter().flat_map(move |t| t.find(key.as_bytes()))
    }

    fn u32s(&self, section: Section) -> Res<Vec<u32>> {
        let span = self.spans[section as usize];
        if !span.len.is_multiple_of(4) {
            return Err(SnapshotError::Corrupt);
        }
        let mut v = vec![0u32; (span.len / 4) as usize];
        self.read_verified(span, bytemuck::cast_slice_mut(&mut v))?;
        v.iter_mut().for_each(|x| *x = u32::from_le(*x));
        Ok(v)
    }

    fn links(&self, section: Section) -> Res<Vec<Link>> {
        let span = self.spans[section as usize];
        if !span.len.is_multiple_of(8) {
            return Err(SnapshotError::Corrupt);
        }
        let mut v = vec![Link { entity: 0, hop: 0 }; (span.len / 8) as usize];
        self.read_verified(span, bytemuck::cast_slice_mut(&mut v))?;
        for l in &mut v {
            (l.entity, l.hop) = (u32::from_le(l.entity), u32::from_le(l.hop));
        }
        Ok(v)
    }

    fn facts(&self) -> Res<Vec<crate::index::ClaimFacts>> {
        let bytes = self.section(Section::Facts)?;
        bytes
            .chunks_exact(2)
            .map(|b| unpack_facts(u16::from_le_bytes([b[0], b[1]])).ok_or(SnapshotError::Corrupt))
            .collect()
    }

    fn section(&self, section: Section) -> Res<Vec<u8>> {
        let span = self.spans[section as usize];
        let mut bytes = vec![0u8; usize::try_from(span.len).map_err(|_| SnapshotError::Corrupt)?];
        self.read_verified(span, &mut bytes)?;
        Ok(bytes)
    }

    fn read_verified(&self, span: Span, into: &mut [u8]) -> Res<()> {
        read_at(&self.file, into, span.offset)?;
        (xxh3_64(into) == span.sum).then_some(()).ok_or(SnapshotError::Corrupt)
    }
}

/// Parse and verify the header; every section must lie inside the file.
fn header(bytes: &[u8], size: u64) -> Res<(SourceStamp, [Span; SECTIONS])> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(MAGIC.len()).map_err(|_| SnapshotError::Magic)? != MAGIC {
        return Err(SnapshotError::Magic);
    }
    let format = r.u32()?;
    let version: String = r.string()?;
    if format != FORMAT || version != env!("CARGO_PKG_VERSION") {
        return Err(SnapshotError::Version(format!("format {format}, claimgraph {version}")));
    }
    let stamp = SourceStamp { len: r.u64()?, mtime_ns: r.u64()?, hash: r.u64()? };
    if r.u32()? as usize != SECTIONS {
        return Err(SnapshotError::Corrupt);
    }
    let mut spans = [Span { offset: 0, len: 0, sum: 0 }; SECTIONS];
    for span in &mut spans {
        *span = Span { offset: r.u64()?, len: r.u64()?, sum: r.u64()? };
        if span.offset.checked_add(span.len).is_none_or(|end| end > size) {
            return Err(SnapshotError::Corrupt);
        }
    }
    let covered = r.pos;
    if r.u64()? != xxh3_64(&bytes[..covered]) {
        return Err(SnapshotError::Corrupt);
    }
    Ok((stamp, spans))
}

/// A section's sorted (string, index) pairs, searched in place.
struct StringTable<'a> {
    count: usize,
    bytes: &'a [u8],
}

impl<'a> StringTable<'a> {
    fn new(bytes: &'a [u8]) -> Option<StringTable<'a>> {
        let count = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
        (bytes.len() >= 4 + count.checked_mul(8)?).then_some(StringTable { count, bytes })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes.get(at..at + 4)?.try_into().ok()?))
    }

    fn index(&self, i: usize) -> Option<u32> {
        self.u32_at(4 + 4 * i)
    }

    fn string(&self, i: usize) -> Option<&'a [u8]> {
        let base = 4 + 8 * self.count;
        let start = if i == 0 { 0 } else { self.u32_at(4 + 4 * self.count + 4 * (i - 1))? as usize };
        let end = self.u32_at(4 + 4 * self.count + 4 * i)? as usize;
        self.bytes.get(base + start..base + end)
    }

    /// The indices stored under `key`. A damaged table answers nothing
    /// rather than something wrong.
    fn find(self, key: &'a [u8]) -> impl Iterator<Item = u32> + 'a {
        let (mut lo, mut hi) = (0, self.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.string(mid) {
                Some(s) if s < key => lo = mid + 1,
                Some(_) => hi = mid,
                None => (lo, hi) = (self.count, self.count),
            }
        }
        (lo..self.count).map_while(move |i| (self.string(i)? == key).then(|| self.index(i)).flatten())
    }
}

/// Fill `into` from the file at `offset`.
#[cfg(unix)]
fn read_at(file: &File, into: &mut [u8], offset: u64) -> Res<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(into, offset).map_err(|_| SnapshotError::Corrupt)
}

#[cfg(not(unix))]
fn read_at(file: &File, into: &mut [u8], offset: u64) -> Res<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset)).and_then(|_| file.read_exact(into)).map_err(|_| SnapshotError::Corrupt)
}
