//! Writing a snapshot: the sections of [`super`] in order, each 8-aligned
//! and checksummed, behind a checksummed header.

use super::codec::Writer;
use super::{Section, SourceStamp, BLOCK, BLOCKED, FORMAT, MAGIC, SECTIONS};
use crate::index::{Link, Tables};
use crate::model::Graph;
use std::io::{self, Cursor, Seek, SeekFrom, Write};
use std::iter;
use xxhash_rust::xxh3::xxh3_64;

/// Encode a checked graph, with the index tables worked out from it, and
/// the stamp of its source, in memory.
pub fn encode(graph: &Graph, tables: &Tables, stamp: &SourceStamp) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    write(graph, tables, stamp, &mut out).expect("writing to memory cannot fail");
    out.into_inner()
}

/// Write the snapshot of a checked graph to `out`, one section at a time.
///
/// Beside the graph only the section being written is in memory (the
/// largest, the claim records, is about half the file). Building every
/// section and then the whole file held the snapshot twice over, which is
/// what ran a ten-million-claim graph out of memory. The header, which
/// needs every section's offset and checksum, is written last, over the
/// zeros that kept its place.
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
    let mut table = Vec::with_capacity(SECTIONS);
    let mut blocks: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];
    for (i, section) in sections(graph, tables).enumerate() {
        if BLOCKED.iter().any(|&s| s as usize == i) {
            blocks[i] = section.chunks(BLOCK).flat_map(|block| xxh3_64(block).to_le_bytes()).collect();
        }
        table.push(at.section(&section)?);
    }
    debug_assert_eq!(table.len(), Section::Blocks as usize, "the block sums come last");
    let sums: Vec<u8> = BLOCKED.iter().flat_map(|&s| std::mem::take(&mut blocks[s as usize])).collect();
    table.push(at.section(&sums)?);
    let mut head = Writer(prefix);
    for (offset, len, sum) in table {
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

/// Every section but the block sums, in file order, each built only when
/// the one before it has been written.
fn sections<'a>(graph: &'a Graph, tables: &'a Tables) -> impl Iterator<Item = Vec<u8>> + 'a {
    let built: [Box<dyn FnOnce() -> Vec<u8> + 'a>; 15] = [
        Box::new(|| meta(graph)),
        Box::new(|| u32s(&tables.claim_refs)),
        Box::new(|| u32s(&tables.claim_ref_start)),
        Box::new(|| tables.facts.iter().flat_map(|f| f.pack().to_le_bytes()).collect()),
        Box::new(|| u32s(&tables.hop_claims)),
        Box::new(|| u32s(&tables.hop_claim_start)),
        Box::new(|| tables.hop_asserted.clone()),
        Box::new(|| u32s(&tables.out_links.start)),
        Box::new(|| links(&tables.out_links.links)),
        Box::new(|| u32s(&tables.in_links.start)),
        Box::new(|| links(&tables.in_links.links)),
        Box::new(|| string_table(graph.entities.iter().enumerate().map(|(i, e)| (e.id.to_string(), i)))),
        Box::new(|| {
            string_table(graph.entities.iter().enumerate().flat_map(|(i, e)| {
                [&e.id, &e.name].into_iter().chain(&e.aliases).map(move |l| (l.as_str().to_lowercase(), i))
            }))
        }),
        Box::new(|| string_table(graph.references.iter().enumerate().map(|(i, r)| (r.id.clone(), i)))),
        Box::new(|| string_table(graph.claims.iter().enumerate().map(|(i, c)| (c.id.to_string(), i)))),
    ];
    built
        .into_iter()
        .map(|build| build())
        .chain(iter::once_with(|| records(&graph.entities, Writer::entity)).flatten())
        .chain(iter::once_with(|| records(&graph.references, Writer::reference)).flatten())
        .chain(iter::once_with(|| records(&graph.claims, Writer::claim)).flatten())
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

    /// Pad to an 8-aligned offset and write a section: its table entry.
    fn section(&mut self, bytes: &[u8]) -> io::Result<(u64, u64, u64)> {
        let pad = align(self.pos as usize) - self.pos as usize;
        self.write(&[0; 8][..pad])?;
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

/// Records one after another, and per record its end offset and checksum.
fn records<T>(items: &[T], write: fn(&mut Writer, &T)) -> [Vec<u8>; 2] {
    let mut bytes = Writer(Vec::new());
    let mut at = Writer(Vec::with_capacity(items.len() * 16));
    for item in items {
        let start = bytes.0.len();
        write(&mut bytes, item);
        at.u64(bytes.0.len() as u64);
        at.u64(xxh3_64(&bytes.0[start..]));
    }
    [at.0, bytes.0]
}
