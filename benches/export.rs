//! How long DOT export takes for a big selection (target: 10,000 claims in
//! at most 0.5 s). Run with `cargo bench --bench export`.
//!
//! The graph is synthetic and deterministic: entities of every kind, claims
//! between pseudo-random pairs with a spread of predicates, certainties and
//! references, so edge merging, citation numbering and the column layout all
//! do real work.

use claimgraph::export::{dot, Selection};
use claimgraph::index::Index;
use claimgraph::model::{Claim, Entity, Evidence, Graph, Reference};

fn main() {
    divan::main();
}

const KINDS: [&str; 10] =
    ["food", "nutrient", "compound", "enzyme", "protein", "gene", "cell", "process", "tissue", "outcome"];
const PREDICATES: [&str; 8] = [
    "increases",
    "decreases",
    "activates",
    "inhibits",
    "associated_with",
    "part_of",
    "positively_correlated_with",
    "required_for",
];
const CERTAINTIES: [Option<&str>; 4] = [None, Some("supported"), Some("tentative"), Some("contested")];

/// A graph with `claims` claims over `claims / 5` entities and `claims / 20` references.
fn synthetic(claims: usize) -> Graph {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        // xorshift64*: deterministic, no dependency.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    };
    let entity_count = claims / 5;
    let entities: Vec<Entity> = (0..entity_count)
        .map(|i| Entity {
            id: format!("e{i:05}").into(),
            name: format!("Entity number {i} with a longer name").into(),
            kind: KINDS[i % KINDS.len()].to_string().into(),
            group: None,
            aliases: vec![],
            xrefs: vec![format!("X:{i}").into()],
            description: None,
        })
        .collect();
    let references: Vec<Reference> = (0..claims / 20)
        .map(|i| Reference {
            id: format!("r{i:04}"),
            title: format!("Reference {i}"),
            authors: vec![format!("Author{i} A")],
            year: Some(1990 + (i % 35) as i32),
            url: Some(format!("https://example.org/ref?id={i}&v=1")),
            ..Default::default()
        })
        .collect();
    let claims: Vec<Claim> = (0..claims)
        .map(|i| {
            let (s, o) = (next(entity_count), next(entity_count));
            let predicate = PREDICATES[next(PREDICATES.len())];
            let evidence = (0..1 + next(3))
                .map(|_| Evidence {
                    reference: references[next(references.len())].id.clone().into(),
                    summary: "A summary of what the study showed, in our own words.".into(),
                    study: "in_vitro".into(),
                    species: Some("mouse".into()),
                    ..Default::default()
                })
                .collect();
            Claim {
                id: format!("c{i:05}").into(),
                subject: entities[s].id.clone(),
                predicate: predicate.to_string().into(),
                object: entities[o].id.clone(),
                evidence,
                negated: next(50) == 0,
                certainty: CERTAINTIES[next(CERTAINTIES.len())].map(Into::into),
                note: None,
            }
        })
        .collect();
    Graph { title: "synthetic".into(), entities, references, claims, ..Default::default() }
}

/// DOT text for the whole graph (index built once, outside the timing).
#[divan::bench(args = [1_000, 10_000])]
fn dot_whole_graph(bencher: divan::Bencher, claims: usize) {
    let graph = synthetic(claims);
    let index = Index::new(&graph);
    bencher.bench_local(|| dot::to_string(&index, &Selection::whole(&index)).len());
}

/// The whole pipeline a command runs after loading: index, select, print.
#[divan::bench(args = [10_000])]
fn index_and_dot(bencher: divan::Bencher, claims: usize) {
    let graph = synthetic(claims);
    bencher.bench_local(|| {
        let index = Index::new(&graph);
        dot::to_string(&index, &Selection::whole(&index)).len()
    });
}
