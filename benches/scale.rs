//! Micro benchmarks for the scale-sensitive steps, on a generated graph of
//! 100,000 claims over 20,000 entities (hub-heavy; see `src/generate.rs`).
//! `cargo bench --bench scale`. Whole-process figures at a million claims,
//! and the comparison with NetworkX and kuzu, come from `benches/compare.py`.

use claimgraph::generate::{generate, Params};
use claimgraph::index::{Index, Tables};
use claimgraph::model::Graph;
use claimgraph::query::{trace, TraceOptions};
use claimgraph::snapshot::{self, Compiled, SourceStamp};
use std::sync::LazyLock;

const CLAIMS: usize = 100_000;

static TEXT: LazyLock<String> =
    LazyLock::new(|| claimgraph::save::to_string(&generate(Params::new(CLAIMS, CLAIMS / 5, 1))));
static GRAPH: LazyLock<Graph> = LazyLock::new(|| claimgraph::load::parse(&TEXT).unwrap());
/// The graph's compiled snapshot, written once to a temporary file.
static SNAPSHOT: LazyLock<(tempfile::TempDir, std::path::PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.snapshot");
    let stamp = SourceStamp::new(TEXT.as_bytes(), None);
    std::fs::write(&path, snapshot::encode(&GRAPH, &Tables::new(&GRAPH), &stamp)).unwrap();
    (dir, path)
});

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn load_parse() -> Graph {
    claimgraph::load::parse(divan::black_box(&TEXT)).unwrap()
}

/// The big-file happy path (`check`, `load` of a file over 1 MiB).
#[divan::bench(sample_count = 10)]
fn load_parse_fast() -> Graph {
    claimgraph::load::parse_fast(divan::black_box(TEXT.as_bytes())).unwrap()
}

/// Placing a finding near the end of the claims: one scan of the text.
#[divan::bench(sample_count = 10)]
fn locate_last_claim() -> usize {
    let location = claimgraph::finding::Location::value(format!("/claims/{}/id", CLAIMS - 1));
    let map = claimgraph::locate::SourceMap::for_locations(divan::black_box(&TEXT), [&location]);
    map.locate(&location).unwrap().line
}

/// The same finding placed through the record spans of the fast parse
/// (what `check` on a big file does): a scan of one record, plus a count
/// of the newlines before it.
#[divan::bench(sample_count = 10)]
fn locate_last_claim_in_its_record(bencher: divan::Bencher) {
    let (_, records) = claimgraph::load::parse_fast_with_records(TEXT.as_bytes()).unwrap();
    let location = claimgraph::finding::Location::value(format!("/claims/{}/id", CLAIMS - 1));
    bencher.bench(|| {
        let bytes = divan::black_box(TEXT.as_bytes());
        let start = records.line_start(bytes, &location).unwrap();
        let line = claimgraph::locate::lines_at(bytes, &[start])[0];
        records.place(bytes, &location, start, line).unwrap().line
    });
}

#[divan::bench(sample_count = 10)]
fn check() -> usize {
    claimgraph::check::check(divan::black_box(&GRAPH)).len()
}

#[divan::bench(sample_count = 10)]
fn index_build() -> usize {
    Index::new(divan::black_box(&GRAPH)).hop_count()
}

/// What every query over a snapshot pays: the header, metadata and index tables.
#[divan::bench(sample_count = 10)]
fn snapshot_open_with_tables() -> usize {
    let compiled = Compiled::open(divan::black_box(&SNAPSHOT.1)).unwrap();
    compiled.tables().unwrap().hop_claims.len()
}

/// What a command that needs the whole graph pays instead of parsing JSON.
#[divan::bench(sample_count = 10)]
fn snapshot_whole_graph() -> Graph {
    Compiled::open(divan::black_box(&SNAPSHOT.1)).unwrap().graph().unwrap()
}

/// The three pairs of the 1M-claim measurements, scaled to 20,000 entities:
/// near two mid-degree entities, from the hub to the far tail, from the
/// tail to a near-hub entity.
const PAIRS: [(&str, &str); 3] =
    [("e0000003", "e0000005"), ("e0000000", "e0019998"), ("e0015000", "e0000007")];

#[divan::bench(sample_count = 20, args = PAIRS)]
fn trace_6_hops_20_paths(bencher: divan::Bencher, pair: (&str, &str)) {
    let index = Index::new(&GRAPH);
    let (from, to) = (index.resolve(pair.0).unwrap(), index.resolve(pair.1).unwrap());
    let options = TraceOptions { max_hops: 6, limit: 20, ..TraceOptions::default() };
    bencher.bench_local(|| trace(&index, from, to, &options).unwrap().paths.len());
}
