//! `trace` across graph shapes: the same query on graphs of every shape
//! `claimgraph generate --shape` makes, so a speed-up (or a regression) on
//! one shape cannot hide behind another. 100,000 claims over 20,000
//! entities by default; `CLAIMGRAPH_BENCH_CLAIMS=1000000` for the big run.
//!
//! Query pairs are picked the way a user picks them: entities that are
//! connected within 3 and within 4 hops (the first such entity, by id, on
//! the shortest-path frontier), once from a hub (the entity with most claims)
//! and once from an ordinary entity (the median degree). Pairs that are easy
//! because they are far apart or unconnected would flatter the search.
//!
//! `cargo bench --bench shapes`

use claimgraph::generate::{generate, Params, Shape};
use claimgraph::index::{EntityIx, Index};
use claimgraph::model::Graph;
use claimgraph::query::{downstream, trace, TraceOptions};
use std::collections::HashMap;
use std::sync::LazyLock;

fn claims() -> usize {
    std::env::var("CLAIMGRAPH_BENCH_CLAIMS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

static GRAPHS: LazyLock<HashMap<&'static str, Graph>> = LazyLock::new(|| {
    let n = claims();
    Shape::ALL.iter().map(|&s| (s.as_str(), generate(Params::new(n, n / 5, 1).with_shape(s)))).collect()
});

fn main() {
    divan::main();
}

/// Entities by claim count, most first; ties by id.
fn by_degree(graph: &Graph) -> Vec<&str> {
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for c in &graph.claims {
        *degree.entry(c.subject.as_str()).or_default() += 1;
        *degree.entry(c.object.as_str()).or_default() += 1;
    }
    let mut ids: Vec<&str> = degree.keys().copied().collect();
    ids.sort_by(|a, b| degree[b].cmp(&degree[a]).then(a.cmp(b)));
    ids
}

/// (from, to) pairs at exactly 3 and 4 hops from a hub and from a median entity.
fn pairs(index: &Index, graph: &Graph) -> Vec<(EntityIx, EntityIx, String)> {
    let ranked = by_degree(graph);
    let starts = [("hub", ranked[0]), ("median", ranked[ranked.len() / 2])];
    let mut pairs = Vec::new();
    for (role, start) in starts {
        let from = index.resolve(start).unwrap();
        let reached = downstream(index, from, 4);
        for hops in [3, 4] {
            if let Some(r) = reached.iter().filter(|r| r.hops == hops).min_by_key(|r| r.entity) {
                pairs.push((from, r.entity, format!("{role}-{hops}")));
            }
        }
    }
    pairs
}

fn bench_shape(bencher: divan::Bencher, shape: &str) {
    let graph = &GRAPHS[shape];
    let index = Index::new(graph);
    let pairs = pairs(&index, graph);
    let options = TraceOptions { max_hops: 6, limit: 20, ..TraceOptions::default() };
    bencher.bench_local(|| {
        pairs
            .iter()
            .map(|(from, to, _)| trace(&index, *from, *to, &options).unwrap().paths.len())
            .sum::<usize>()
    });
}

/// All of a shape's pairs (hub and median, 3 and 4 hops) traced once per sample.
#[divan::bench(sample_count = 10, args = ["powerlaw", "uniform", "hub", "layered", "smallworld"])]
fn trace_6_hops_20_paths(bencher: divan::Bencher, shape: &str) {
    bench_shape(bencher, shape)
}

#[divan::bench(sample_count = 5, args = ["powerlaw", "uniform", "hub", "layered", "smallworld"])]
fn index_build(bencher: divan::Bencher, shape: &str) {
    let graph = &GRAPHS[shape];
    bencher.bench_local(|| Index::new(divan::black_box(graph)).hop_count());
}

#[divan::bench(sample_count = 5, args = ["powerlaw", "uniform", "hub", "layered", "smallworld"])]
fn check(bencher: divan::Bencher, shape: &str) {
    let graph = &GRAPHS[shape];
    bencher.bench_local(|| claimgraph::check::check(divan::black_box(graph)).len());
}
