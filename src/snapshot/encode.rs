//! Writing a snapshot: the sections of [`super`] in order, each 8-aligned
//! and checksummed, behind a checksummed header.

use super::codec::Writer;
use super::{Section, SourceStamp, BLOCK, BLOCKED, FORMAT, MAGIC, SECTIONS};
use crate::index::{Link, Tables};
use crate::model::Graph;
use std::io::{self, Cursor, Seek, SeekFrom, Write};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// Encode a checked graph, with the index tables worked out from it, and
/// the stamp of its source, in memory.
pub fn encode(graph: &Graph, tables: &Tables, stamp: &SourceStamp) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    write(graph, tables, stamp, &mut out).expect("writing to memory cannot fail");
    out.into_inner()
}

/// Write the snapshot of a checked graph to `out`, one section at a time.
///
/// Beside the graph only the section being written is in memory, and the
/// records (about two thirds of the file) not even that: each record goes
/// to `out` as it is encoded, and only its table of ends and checksums is
/// kept, then written after the records. Building every section and then
/// the whole file held the snapshot twice over, which is what ran a
/// ten-million-claim graph out of memory; building the record sections
/// whole still touched twice their size in fresh memory as they grew,
/// which on a virtual machine is much of the time of writing them. The
/// header, which needs every section's offset and checksum, is written
/// last, over the zeros that kept its place.
pub fn write<W: Write + Seek>(
    graph: &Graph,
    tables: &Tables,
    stamp: &SourceStamp,
    out: &mut W,
) -> io::Result<()> {
    let prefix = header_prefix(stamp);
    let header_len = prefix.len() + SECTIONS * 24 + 8;
    let mut at = Place { out, pos: 0 };
    at.write(&vec![0; header_len])?;
    let mut done = Written { table: [(0, 0, 0); SECTIONS], blocks: vec![Vec::new(); SECTIONS] };
    for (section, build) in sections(graph, tables) {
        done.put(section, &build(), &mut at)?;
    }
    done.put_records((Section::EntityAt, Section::Entities), &graph.entities, Writer::entity, &mut at)?;
    done.put_records(
        (Section::ReferenceAt, Section::References),
        &graph.references,
        Writer::reference,
        &mut at,
    )?;
    done.put_records((Section::ClaimAt, Section::Claims), &graph.claims, Writer::claim, &mut at)?;
    let sums: Vec<u8> = BLOCKED.iter().flat_map(|&s| std::mem::take(&mut done.blocks[s as usize])).collect();
    done.put(Section::Blocks, &sums, &mut at)?;
    let mut head = Writer(prefix);
    for (offset, len, sum) in done.table {
        head.u64(offset);
        head.u64(len);
        head.u64(sum);
    }
    let sum = xxh3_64(&head.0);
    head.u64(sum);
    at.out.seek(SeekFrom::Start(0))?;
    at.out.write_all(&head.0)?;
    at.out.seek(SeekFrom::End(0))?;
    Ok(())
}

/// The sections written so far: each one's table entry (offset, length,
/// checksum), and the block checksums of the [`BLOCKED`] ones.
struct Written {
    table: [(u64, u64, u64); SECTIONS],
    blocks: Vec<Vec<u8>>,
}

impl Written {
    fn put<W: Write>(&mut self, section: Section, bytes: &[u8], at: &mut Place<W>) -> io::Result<()> {
        if BLOCKED.contains(&section) {
            self.blocks[section as usize] =
                bytes.chunks(BLOCK).flat_map(|b| xxh3_64(b).to_le_bytes()).collect();
        }
        self.table[section as usize] = at.section(bytes)?;
        Ok(())
    }

    /// Stream one kind of records to the file, then its table of ends.
    fn put_records<T, W: Write>(
        &mut self,
        (ends, records): (Section, Section),
        items: &[T],
        write: fn(&mut Writer, &T),
        at: &mut Place<W>,
    ) -> io::Result<()> {
        let (entry, ends_bytes) = stream_records(at, items, write)?;
        self.table[records as usize] = entry;
        self.put(ends, &ends_bytes, at)
    }
}

/// Magic, format, crate version, source stamp and the section count: the
/// header up to its section table.
fn header_prefix(stamp: &SourceStamp) -> Vec<u8> {
    let mut head = Writer(Vec::new());
    head.0.extend_from_slice(MAGIC);
    head.u32(FORMAT);
    head.str(env!("CARGO_PKG_VERSION"));
    head.u64(stamp.len);
    head.u64(stamp.mtime_ns);
    head.u64(stamp.hash);
    head.len(SECTIONS);
    head.0
}

/// A section built whole in memory, when its turn comes.
type Build<'a> = Box<dyn FnOnce() -> Vec<u8> + 'a>;

/// Every section built whole (all but the records and the block sums), in
/// file order.
fn sections<'a>(graph: &'a Graph, tables: &'a Tables) -> [(Section, Build<'a>); 15] {
    [
        (Section::Meta, Box::new(|| meta(graph))),
        (Section::ClaimRefs, Box::new(|| u32s(&tables.claim_refs))),
        (Section::ClaimRefStart, Box::new(|| u32s(&tables.claim_ref_start))),
        (Section::Facts, Box::new(|| tables.facts.iter().flat_map(|f| f.pack().to_le_bytes()).collect())),
        (Section::HopClaims, Box::new(|| u32s(&tables.hop_claims))),
        (Section::HopClaimStart, Box::new(|| u32s(&tables.hop_claim_start))),
        (Section::HopFacts, Box::new(|| tables.hop_facts.iter().flat_map(|f| f.to_le_bytes()).collect())),
        (Section::OutStart, Box::new(|| u32s(&tables.out_links.start))),
        (Section::OutLinks, Box::new(|| links(&tables.out_links.links))),
        (Section::InStart, Box::new(|| u32s(&tables.in_links.start))),
        (Section::InLinks, Box::new(|| links(&tables.in_links.links))),
        (
            Section::EntityIds,
            Box::new(|| string_table(graph.entities.iter().enumerate().map(|(i, e)| (e.id.to_string(), i)))),
        ),
        (
            Section::EntityLabels,
            Box::new(|| {
                string_table(graph.entities.iter().enumerate().flat_map(|(i, e)| {
                    [&e.id, &e.name]
                        .into_iter()
                        .chain(&e.aliases)
                        .map(move |l| (l.as_str().to_lowercase(), i))
                }))
            }),
        ),
        (
            Section::ReferenceIds,
            Box::new(|| string_table(graph.references.iter().enumerate().map(|(i, r)| (r.id.clone(), i)))),
        ),
        (
            Section::ClaimIds,
            Box::new(|| string_table(graph.claims.iter().enumerate().map(|(i, c)| (c.id.to_string(), i)))),
        ),
    ]
}

/// A writer and how far into the file it is.
struct Place<'w, W> {
    out: &'w mut W,
    pos: u64,
}

impl<W: Write> Place<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// Pad to an 8-aligned offset, where a section starts.
    fn pad(&mut self) -> io::Result<()> {
        let pad = align(self.pos as usize) - self.pos as usize;
        self.write(&[0; 8][..pad])
    }

    /// Pad and write a section: its table entry.
    fn section(&mut self, bytes: &[u8]) -> io::Result<(u64, u64, u64)> {
        self.pad()?;
        let offset = self.pos;
        self.write(bytes)?;
        Ok((offset, bytes.len() as u64, xxh3_64(bytes)))
    }
}

fn align(n: usize) -> usize {
    n.next_multiple_of(8)
}

fn meta(graph: &Graph) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.str(&graph.schema);
    w.str(&graph.title);
    w.str(&graph.description);
    w.vocabulary(&graph.vocabulary);
    w.len(graph.entities.len());
    w.len(graph.references.len());
    w.len(graph.claims.len());
    w.0
}

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn links(v: &[Link]) -> Vec<u8> {
    v.iter().flat_map(|l| [l.entity, l.hop]).flat_map(u32::to_le_bytes).collect()
}

/// A sorted string table: count u32 · index u32 × count · end offset u32 ×
/// count · the strings' bytes, sorted by bytes (repeated pairs once).
fn string_table(entries: impl Iterator<Item = (String, usize)>) -> Vec<u8> {
    let mut entries: Vec<(String, usize)> = entries.collect();
    entries.sort_unstable();
    entries.dedup();
    let mut w = Writer(Vec::new());
    w.len(entries.len());
    entries.iter().for_each(|(_, i)| w.len(*i));
    let mut end = 0;
    for (s, _) in &entries {
        end += s.len();
        w.len(end);
    }
    entries.iter().for_each(|(s, _)| w.0.extend_from_slice(s.as_bytes()));
    w.0
}

/// Write records one after another as a section, each encoded into a
/// buffer that is reused: the section's table entry, and per record its
/// end offset and checksum (the table of ends, written after).
fn stream_records<T, W: Write>(
    at: &mut Place<W>,
    items: &[T],
    write: fn(&mut Writer, &T),
) -> io::Result<((u64, u64, u64), Vec<u8>)> {
    at.pad()?;
    let offset = at.pos;
    let mut whole = Xxh3::new();
    let mut ends = Writer(Vec::with_capacity(items.len() * 16));
    let mut record = Writer(Vec::new());
    for item in items {
        record.0.clear();
        write(&mut record, item);
        at.write(&record.0)?;
        whole.update(&record.0);
        ends.u64(at.pos - offset);
        ends.u64(xxh3_64(&record.0));
    }
    Ok(((offset, at.pos - offset, whole.digest()), ends.0))
}
