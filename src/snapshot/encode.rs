//! Writing a snapshot: the sections of [`super`] in order, each 8-aligned
//! and checksummed, behind a checksummed header.

use super::codec::Writer;
use super::{Section, SourceStamp, BLOCK, BLOCKED, FORMAT, MAGIC, SECTIONS};
use crate::index::{Link, Tables};
use crate::model::Graph;
use xxhash_rust::xxh3::xxh3_64;

/// Encode a checked graph, with the index tables worked out from it, and
/// the stamp of its source.
pub fn encode(graph: &Graph, tables: &Tables, stamp: &SourceStamp) -> Vec<u8> {
    let mut sections: [Vec<u8>; SECTIONS] = [
        meta(graph),
        u32s(&tables.claim_refs),
        u32s(&tables.claim_ref_start),
        tables.facts.iter().flat_map(|f| f.pack().to_le_bytes()).collect(),
        u32s(&tables.hop_claims),
        u32s(&tables.hop_claim_start),
        tables.hop_facts.iter().flat_map(|f| f.to_le_bytes()).collect(),
        u32s(&tables.out_links.start),
        links(&tables.out_links.links),
        u32s(&tables.in_links.start),
        links(&tables.in_links.links),
        string_table(graph.entities.iter().enumerate().map(|(i, e)| (e.id.to_string(), i))),
        string_table(graph.entities.iter().enumerate().flat_map(|(i, e)| {
            [&e.id, &e.name].into_iter().chain(&e.aliases).map(move |l| (l.as_str().to_lowercase(), i))
        })),
        string_table(graph.references.iter().enumerate().map(|(i, r)| (r.id.clone(), i))),
        string_table(graph.claims.iter().enumerate().map(|(i, c)| (c.id.to_string(), i))),
    ]
    .into_iter()
    .chain(records(&graph.entities, Writer::entity))
    .chain(records(&graph.references, Writer::reference))
    .chain(records(&graph.claims, Writer::claim))
    .chain([Vec::new()])
    .collect::<Vec<_>>()
    .try_into()
    .expect("one buffer per section");
    sections[Section::Blocks as usize] = block_sums(&sections);
    assemble(stamp, &sections)
}

/// Header, section table and the sections, each at an 8-aligned offset.
fn assemble(stamp: &SourceStamp, sections: &[Vec<u8>; SECTIONS]) -> Vec<u8> {
    let mut head = Writer(Vec::new());
    head.0.extend_from_slice(MAGIC);
    head.u32(FORMAT);
    head.str(env!("CARGO_PKG_VERSION"));
    head.u64(stamp.len);
    head.u64(stamp.mtime_ns);
    head.u64(stamp.hash);
    head.len(SECTIONS);
    let table_len = SECTIONS * 24 + 8;
    let mut offset = align(head.0.len() + table_len);
    for section in sections {
        head.u64(offset as u64);
        head.u64(section.len() as u64);
        head.u64(xxh3_64(section));
        offset = align(offset + section.len());
    }
    let sum = xxh3_64(&head.0);
    head.u64(sum);
    let mut out = head.0;
    out.reserve(offset - out.len());
    for section in sections {
        out.resize(align(out.len()), 0);
        out.extend_from_slice(section);
    }
    out
}

/// The checksum of every block of the sections read in place.
fn block_sums(sections: &[Vec<u8>; SECTIONS]) -> Vec<u8> {
    BLOCKED
        .iter()
        .flat_map(|&s| sections[s as usize].chunks(BLOCK))
        .flat_map(|block| xxh3_64(block).to_le_bytes())
        .collect()
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
