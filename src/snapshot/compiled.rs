//! An open snapshot: the file memory-mapped, its header and metadata read,
//! and everything else read in place when a query first touches it.
//!
//! Opening costs the same at a million claims as at a hundred: nothing but
//! the header, the metadata and the block checksums is read. The index
//! tables and lookup tables are served as slices of the map, 4 KiB block by
//! block: the first time a block is touched its checksum is compared and
//! its values checked against the record counts (a link names an entity
//! that exists, a hop's claims are claims, …), so no value handed out can
//! send a query out of bounds. Entities, claims and references are decoded
//! one at a time, each against its own checksum, when first asked for.
//!
//! Records are handed out as `&Entity`/`&Claim`/`&Reference`, so queries
//! and reports work on a snapshot exactly as on a graph in memory (through
//! [`Store`]). Damage found after the snapshot was opened cannot return an
//! error through that interface: the damaged part answers empty (a
//! placeholder record, no links) and marks the snapshot
//! [damaged](Compiled::damaged). Callers check the mark before showing
//! anything and, when it is set, answer again from the graph file itself,
//! so a damaged snapshot never shows a wrong answer.

use super::codec::{Reader, Res};
use super::{Section, SnapshotError, SourceStamp, BLOCK, BLOCKED, FORMAT, MAGIC, SECTIONS};
use crate::index::{Adjacency, ClaimFacts, ClaimIx, EntityIx, HopSummary, Link, RefIx, Store, Tables};
use crate::model::{Claim, Entity, Graph, Reference, Text, Vocabulary, VocabularySection};
use std::cell::{Cell, OnceCell};
use std::ops::Range;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// Where a section lies in the file, and its checksum.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub offset: u64,
    pub len: u64,
    pub sum: u64,
}

/// A snapshot file opened for reading (see the module docs).
pub struct Compiled {
    /// The whole file. Snapshots are only ever replaced by renaming a new
    /// file over the old one (never rewritten in place), so the mapped
    /// inode stays intact while we read it.
    map: memmap2::Mmap,
    stamp: SourceStamp,
    spans: [Span; SECTIONS],
    pub(super) schema: String,
    title: String,
    pub(super) description: String,
    pub(super) vocabulary: VocabularySection,
    entities: Lazy<Entity>,
    references: Lazy<Reference>,
    claims: Lazy<Claim>,
    hops: usize,
    blocks: Blocks,
    damaged: Cell<bool>,
}

/// Records of one kind: where each lies, and each one decoded, once, when
/// first asked for. The cells come in pages made on first use, so that
/// opening a snapshot of ten million claims does not make ten million.
struct Lazy<T> {
    at: Section,
    records: Section,
    count: usize,
    pages: Vec<OnceCell<Page<T>>>,
}

/// [`PAGE`] records' cells.
type Page<T> = Box<[OnceCell<Box<T>>]>;

/// Records per page of [`Lazy`] cells.
const PAGE: usize = 1024;

impl<T> Lazy<T> {
    fn new(at: Section, records: Section, count: usize) -> Lazy<T> {
        Lazy { at, records, count, pages: (0..count.div_ceil(PAGE)).map(|_| OnceCell::new()).collect() }
    }

    fn cell(&self, i: usize) -> Option<&OnceCell<Box<T>>> {
        let page = self.pages.get(i / PAGE)?.get_or_init(|| {
            let len = PAGE.min(self.count - i / PAGE * PAGE);
            (0..len).map(|_| OnceCell::new()).collect()
        });
        page.get(i % PAGE)
    }
}

/// The block checksums of the [`BLOCKED`] sections, and which blocks have
/// been checked so far.
struct Blocks {
    /// Per section: the number of its first block (sections not in
    /// [`BLOCKED`] have none).
    first: [usize; SECTIONS],
    sums: Vec<u64>,
    /// Per block: 0 not checked yet, 1 sound, 2 damaged.
    state: Box<[Cell<u8>]>,
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
/// What the facts of a claim that could not be read stand in as.
const NO_FACTS: ClaimFacts =
    ClaimFacts { negated: true, sign: crate::model::Sign::None, best: None, certainty: None };

impl Compiled {
    /// Open a snapshot: map it, check its header and read its metadata and
    /// block checksums. Whether it belongs to the graph file is the
    /// caller's question ([`Compiled::stamp`]).
    pub fn open(path: &Path) -> Result<Compiled, SnapshotError> {
        // Tables are read in place as little-endian arrays.
        if cfg!(target_endian = "big") {
            return Err(SnapshotError::Version("a big-endian machine".into()));
        }
        // A FIFO placed at the snapshot path must not hang every command
        // (`map_file` opens regular files only).
        let map = crate::load::map_file(path).map_err(|_| SnapshotError::Corrupt)?;
        let (stamp, spans) = header(&map)?;
        let mut r = Reader { bytes: checked(&map, spans[Section::Meta as usize])?, pos: 0 };
        let (schema, title, description) = (r.string()?, r.string()?, r.string()?);
        let vocabulary = r.vocabulary()?;
        let counts = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
        let hops =
            (spans[Section::HopClaimStart as usize].len / 4).checked_sub(1).ok_or(SnapshotError::Corrupt)?;
        let mut compiled = Compiled {
            map,
            stamp,
            spans,
            schema,
            title,
            description,
            vocabulary,
            entities: Lazy::new(Section::EntityAt, Section::Entities, counts.0),
            references: Lazy::new(Section::ReferenceAt, Section::References, counts.1),
            claims: Lazy::new(Section::ClaimAt, Section::Claims, counts.2),
            hops: hops as usize,
            blocks: Blocks { first: [0; SECTIONS], sums: Vec::new(), state: Box::new([]) },
            damaged: Cell::new(false),
        };
        compiled.blocks = compiled.block_sums()?;
        compiled.sizes_fit().then_some(compiled).ok_or(SnapshotError::Corrupt)
    }

    /// The graph file this snapshot was made from.
    pub fn stamp(&self) -> SourceStamp {
        self.stamp
    }

    /// Whether some part could not be read since the snapshot was opened:
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
        self.entities.count
    }

    pub fn reference_count(&self) -> usize {
        self.references.count
    }

    pub fn claim_count(&self) -> usize {
        self.claims.count
    }

    /// The index tables copied out whole, every block checked (for a
    /// command that holds the whole graph in memory anyway).
    pub fn tables(&self) -> Result<Tables, SnapshotError> {
        let u32s = |section: Section| self.u32s(section, 0..self.len(section) / 4).to_vec();
        let links = |section: Section| self.links(section, 0..self.len(section) / 8).to_vec();
        let tables = Tables {
            claim_refs: u32s(Section::ClaimRefs),
            claim_ref_start: u32s(Section::ClaimRefStart),
            facts: (0..self.claim_count() as ClaimIx).map(|c| self.claim_facts(c)).collect(),
            hop_claims: u32s(Section::HopClaims),
            hop_claim_start: u32s(Section::HopClaimStart),
            hop_facts: self
                .bytes(Section::HopFacts, 0..2 * self.hops)
                .unwrap_or_default()
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect(),
            out_links: Adjacency { start: u32s(Section::OutStart), links: links(Section::OutLinks) },
            in_links: Adjacency { start: u32s(Section::InStart), links: links(Section::InLinks) },
        };
        let fits =
            !self.damaged() && tables.fit(self.entity_count(), self.claim_count(), self.reference_count());
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
        self.lookup(Section::EntityIds, id, self.entity_count()).next()
    }

    pub fn reference_ix(&self, id: &str) -> Option<RefIx> {
        self.lookup(Section::ReferenceIds, id, self.reference_count()).next()
    }

    pub fn claim_ix(&self, id: &str) -> Option<ClaimIx> {
        self.lookup(Section::ClaimIds, id, self.claim_count()).next()
    }

    /// Entities whose id, name or an alias, in lower case, is `label`, in
    /// entity order.
    pub fn entities_labelled(&self, label: &str) -> Vec<EntityIx> {
        let mut out: Vec<EntityIx> = self.lookup(Section::EntityLabels, label, self.entity_count()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether the tables' lengths agree with the record counts (their
    /// values are checked block by block as they are read).
    fn sizes_fit(&self) -> bool {
        let (e, c, h) = (self.entity_count(), self.claim_count(), self.hops);
        let len = |s: Section| self.len(s);
        let aligned = BLOCKED.iter().all(|&s| self.spans[s as usize].offset.is_multiple_of(8));
        aligned
            && len(Section::ClaimRefStart) == 4 * (c + 1)
            && len(Section::ClaimRefs).is_multiple_of(4)
            && len(Section::Facts) == 2 * c
            && len(Section::HopClaims).is_multiple_of(4)
            && len(Section::HopFacts) == 2 * h
            && [Section::OutStart, Section::InStart].iter().all(|&s| len(s) == 4 * (e + 1))
            && [Section::OutLinks, Section::InLinks].iter().all(|&s| len(s) == 8 * h)
            && len(Section::EntityAt) == 16 * e
            && len(Section::ReferenceAt) == 16 * self.reference_count()
            && len(Section::ClaimAt) == 16 * c
    }

    fn len(&self, section: Section) -> usize {
        self.spans[section as usize].len as usize
    }

    /// Read the block checksums (one small section, checked whole).
    fn block_sums(&self) -> Res<Blocks> {
        let mut first = [usize::MAX; SECTIONS];
        let mut count = 0;
        for &s in BLOCKED {
            first[s as usize] = count;
            count += self.len(s).div_ceil(BLOCK);
        }
        let bytes = self.section(Section::Blocks)?;
        if bytes.len() != count * 8 {
            return Err(SnapshotError::Corrupt);
        }
        let sums =
            bytes.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))).collect();
        Ok(Blocks { first, sums, state: (0..count).map(|_| Cell::new(0)).collect() })
    }

    /// Bytes `range` of a [`BLOCKED`] section, every block they touch
    /// checked on first use; `None` (and the snapshot marked damaged) when
    /// the range is out of bounds or a block is damaged. Queries call this
    /// for every link and claim they weigh: the checked case is kept short.
    #[inline]
    fn bytes(&self, section: Section, range: Range<usize>) -> Option<&[u8]> {
        let span = &self.spans[section as usize];
        if range.start > range.end || range.end > span.len as usize {
            return self.damage();
        }
        if range.start < range.end {
            let base = self.blocks.first[section as usize];
            let (mut b, last) = (range.start / BLOCK, (range.end - 1) / BLOCK);
            while b <= last {
                let checked = self.blocks.state.get(base + b).is_some_and(|s| s.get() == 1);
                if !checked && !self.check_block(section, b) {
                    return self.damage();
                }
                b += 1;
            }
        }
        let at = span.offset as usize;
        self.map.get(at + range.start..at + range.end)
    }

    #[cold]
    fn damage<T>(&self) -> Option<T> {
        self.damaged.set(true);
        None
    }

    /// Check block `b` of `section` (its checksum and values) the first
    /// time it is touched; whether it is sound.
    #[cold]
    fn check_block(&self, section: Section, b: usize) -> bool {
        let i = self.blocks.first[section as usize] + b;
        let Some(state) = self.blocks.state.get(i) else { return false };
        if state.get() == 0 {
            let span = self.spans[section as usize];
            let start = span.offset as usize + b * BLOCK;
            let bytes = &self.map[start..(start + BLOCK).min((span.offset + span.len) as usize)];
            let sound = xxh3_64(bytes) == self.blocks.sums[i] && self.values_fit(section, bytes);
            state.set(if sound { 1 } else { 2 });
        }
        state.get() == 1
    }

    /// Whether every value in a block is in range for the record counts:
    /// with this, no index read from the tables can be out of bounds.
    /// (Runs are checked to be in order where they are read.)
    fn values_fit(&self, section: Section, bytes: &[u8]) -> bool {
        // Blocks of 8-aligned sections are 4-aligned. The checks fold
        // without branches, so they vectorize: a block costs about what
        // its checksum does.
        let u32s = || bytemuck::try_cast_slice::<u8, u32>(bytes).ok();
        // Compared as u32s (a count past u32::MAX bounds nothing).
        let limit = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let below = |n: usize| {
            let n = limit(n);
            u32s().is_some_and(|v| !v.iter().fold(false, |bad, &x| bad | (x >= n)))
        };
        let u16s_all = |valid: fn(u16) -> bool| {
            bytes.len().is_multiple_of(2)
                && bytes.chunks_exact(2).fold(true, |ok, b| ok & valid(u16::from_le_bytes([b[0], b[1]])))
        };
        let (e, c, r, h) = (self.entity_count(), self.claim_count(), self.reference_count(), self.hops);
        match section {
            Section::ClaimRefs => below(r),
            Section::ClaimRefStart => below(self.len(Section::ClaimRefs) / 4 + 1),
            Section::Facts => u16s_all(ClaimFacts::valid),
            Section::HopClaims => below(c),
            Section::HopClaimStart => below(self.len(Section::HopClaims) / 4 + 1),
            Section::HopFacts => u16s_all(HopSummary::valid),
            Section::OutStart | Section::InStart => below(h + 1),
            Section::OutLinks | Section::InLinks => {
                let (e, h) = (limit(e), limit(h));
                bytemuck::try_cast_slice::<u8, Link>(bytes).is_ok_and(|links| {
                    !links.iter().fold(false, |bad, l| bad | (l.entity >= e) | (l.hop >= h))
                })
            }
            _ => true,
        }
    }

    /// Elements `range` of a table of u32s (empty when damaged).
    #[inline]
    fn u32s(&self, section: Section, range: Range<usize>) -> &[u32] {
        self.bytes(section, range.start * 4..range.end * 4)
            .and_then(|b| bytemuck::try_cast_slice(b).ok())
            .unwrap_or(&[])
    }

    #[inline]
    fn links(&self, section: Section, range: Range<usize>) -> &[Link] {
        self.bytes(section, range.start * 8..range.end * 8)
            .and_then(|b| bytemuck::try_cast_slice(b).ok())
            .unwrap_or(&[])
    }

    /// Run `i` of a table split by a start table: `start[i]..start[i + 1]`.
    #[inline]
    fn run(&self, start: Section, i: usize) -> Range<usize> {
        match self.u32s(start, i..i + 2) {
            &[lo, hi] if lo <= hi => lo as usize..hi as usize,
            _ => self.damage().unwrap_or(0..0),
        }
    }

    fn adjacent(&self, start: Section, links: Section, e: EntityIx) -> &[Link] {
        self.links(links, self.run(start, e as usize))
    }

    /// Where record `i` of a kind lies in its section, and its checksum.
    fn record_at(&self, at: Section, i: usize) -> Option<(usize, usize, u64)> {
        let u64_at = |j: usize| -> Option<u64> {
            Some(u64::from_le_bytes(self.bytes(at, j * 8..j * 8 + 8)?.try_into().ok()?))
        };
        let start = if i == 0 { 0 } else { u64_at(2 * i - 2)? };
        Some((start as usize, u64_at(2 * i)? as usize, u64_at(2 * i + 1)?))
    }

    /// A record, read and decoded on first use; `None` (and the snapshot
    /// marked damaged) when it cannot be.
    fn record<'a, T>(
        &'a self,
        lazy: &'a Lazy<T>,
        ix: u32,
        decode: fn(&mut Reader) -> Res<T>,
    ) -> Option<&'a T> {
        let cell = lazy.cell(ix as usize)?;
        if let Some(record) = cell.get() {
            return Some(record);
        }
        let read = || -> Res<T> {
            let (start, end, sum) = self.record_at(lazy.at, ix as usize).ok_or(SnapshotError::Corrupt)?;
            let span = self.spans[lazy.records as usize];
            if start > end || end as u64 > span.len {
                return Err(SnapshotError::Corrupt);
            }
            let bytes = &self.map[span.offset as usize + start..span.offset as usize + end];
            if xxh3_64(bytes) != sum {
                return Err(SnapshotError::Corrupt);
            }
            let mut r = Reader { bytes, pos: 0 };
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

    /// Every record of a kind, from its section checked whole.
    fn all<T: Send>(&self, lazy: &Lazy<T>, decode: fn(&mut Reader) -> Res<T>) -> Res<Vec<T>> {
        let n = lazy.count;
        let ends = self.bytes(lazy.at, 0..16 * n).ok_or(SnapshotError::Corrupt)?;
        let end_of =
            |i: usize| u64::from_le_bytes(ends[16 * i..16 * i + 8].try_into().expect("8 bytes")) as usize;
        let bytes = self.section(lazy.records)?;
        let decode_run = |range: Range<usize>| -> Res<Vec<T>> {
            let mut start = if range.start == 0 { 0 } else { end_of(range.start - 1) };
            let mut out = Vec::with_capacity(range.len());
            for i in range {
                let end = end_of(i);
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
        let half = n / 2;
        std::thread::scope(|scope| {
            let upper = scope.spawn(|| decode_run(half..n));
            let mut lower = decode_run(0..half)?;
            lower.extend(upper.join().unwrap_or(Err(SnapshotError::Corrupt))?);
            Ok(lower)
        })
    }

    /// The indices below `count` stored under `key` in a sorted string
    /// table (nothing, and the snapshot marked damaged, when it cannot be
    /// read).
    fn lookup<'a>(&'a self, section: Section, key: &'a str, count: usize) -> impl Iterator<Item = u32> + 'a {
        let table = StringTable::new(self, section);
        if table.is_none() {
            self.damaged.set(true);
        }
        table.into_iter().flat_map(move |t| t.find(key.as_bytes())).filter(move |&i| {
            let fits = (i as usize) < count;
            if !fits {
                self.damaged.set(true);
            }
            fits
        })
    }

    /// A section read whole from the map, checked against its checksum.
    fn section(&self, section: Section) -> Res<&[u8]> {
        checked(&self.map, self.spans[section as usize])
    }
}

impl Store for Compiled {
    fn title(&self) -> &str {
        Compiled::title(self)
    }

    fn vocabulary(&self) -> Vocabulary {
        Compiled::vocabulary(self)
    }

    fn entity_count(&self) -> usize {
        Compiled::entity_count(self)
    }

    fn claim_count(&self) -> usize {
        Compiled::claim_count(self)
    }

    fn reference_count(&self) -> usize {
        Compiled::reference_count(self)
    }

    fn hop_count(&self) -> usize {
        self.hops
    }

    fn entity(&self, ix: EntityIx) -> &Entity {
        Compiled::entity(self, ix)
    }

    fn claim(&self, ix: ClaimIx) -> &Claim {
        Compiled::claim(self, ix)
    }

    fn reference(&self, ix: RefIx) -> &Reference {
        Compiled::reference(self, ix)
    }

    fn entity_ix(&self, id: &str) -> Option<EntityIx> {
        Compiled::entity_ix(self, id)
    }

    fn claim_ix(&self, id: &str) -> Option<ClaimIx> {
        Compiled::claim_ix(self, id)
    }

    fn reference_ix(&self, id: &str) -> Option<RefIx> {
        Compiled::reference_ix(self, id)
    }

    fn entities_labelled(&self, label: &str) -> Vec<EntityIx> {
        Compiled::entities_labelled(self, label)
    }

    fn hop(&self, hop: u32) -> &[ClaimIx] {
        self.u32s(Section::HopClaims, self.run(Section::HopClaimStart, hop as usize))
    }

    fn hop_summary(&self, hop: u32) -> Option<HopSummary> {
        let at = 2 * hop as usize;
        let bits = self.bytes(Section::HopFacts, at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        HopSummary::unpack(bits).flatten()
    }

    fn out_links(&self, e: EntityIx) -> &[Link] {
        self.adjacent(Section::OutStart, Section::OutLinks, e)
    }

    fn in_links(&self, e: EntityIx) -> &[Link] {
        self.adjacent(Section::InStart, Section::InLinks, e)
    }

    fn claim_refs(&self, c: ClaimIx) -> &[RefIx] {
        self.u32s(Section::ClaimRefs, self.run(Section::ClaimRefStart, c as usize))
    }

    fn claim_facts(&self, c: ClaimIx) -> ClaimFacts {
        let at = 2 * c as usize;
        self.bytes(Section::Facts, at..at + 2)
            .and_then(|b| ClaimFacts::unpack(u16::from_le_bytes([b[0], b[1]])))
            .unwrap_or(NO_FACTS)
    }
}

/// The bytes of a section, checked against its checksum (the header put
/// every section inside the file).
fn checked(map: &[u8], span: Span) -> Res<&[u8]> {
    let bytes = &map[span.offset as usize..(span.offset + span.len) as usize];
    (xxh3_64(bytes) == span.sum).then_some(bytes).ok_or(SnapshotError::Corrupt)
}

/// Parse and verify the header; every section must lie inside the file.
fn header(bytes: &[u8]) -> Res<(SourceStamp, [Span; SECTIONS])> {
    let size = bytes.len() as u64;
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

/// A section's sorted (string, index) pairs, searched in place: count u32 ·
/// index u32 × count · end offset u32 × count · the strings' bytes.
struct StringTable<'a> {
    compiled: &'a Compiled,
    section: Section,
    count: usize,
}

impl<'a> StringTable<'a> {
    fn new(compiled: &'a Compiled, section: Section) -> Option<StringTable<'a>> {
        let count = u32::from_le_bytes(compiled.bytes(section, 0..4)?.try_into().ok()?) as usize;
        (compiled.len(section) >= 4 + count.checked_mul(8)?).then_some(StringTable {
            compiled,
            section,
            count,
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(self.compiled.bytes(self.section, at..at + 4)?.try_into().ok()?))
    }

    fn index(&self, i: usize) -> Option<u32> {
        self.u32_at(4 + 4 * i)
    }

    fn string(&self, i: usize) -> Option<&'a [u8]> {
        let base = 4 + 8 * self.count;
        let start = if i == 0 { 0 } else { self.u32_at(4 + 4 * self.count + 4 * (i - 1))? as usize };
        let end = self.u32_at(4 + 4 * self.count + 4 * i)? as usize;
        self.compiled.bytes(self.section, base.checked_add(start)?..base.checked_add(end)?)
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
