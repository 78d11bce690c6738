//! `trace`, `neighbors`, `downstream`, `upstream`: the path search against a
//! brute-force enumerator and NetworkX, the hop rule, filters, truncation and
//! the three report formats.

use crate::common::*;
use claimgraph::index::{EntityIx, Index};
use claimgraph::model::{builtin_study_ids, Claim, Entity, Evidence, Graph, Reference, Sign, Vocabulary};
use claimgraph::query::{self, TraceOptions, TraceResult};
use proptest::prelude::*;
use std::collections::BTreeSet;

const SMALL: &str = "tests/fixtures/trace/small.json";

fn load(path: &str) -> Graph {
    let text = std::fs::read_to_string(project(path)).unwrap();
    claimgraph::load::parse(&text).unwrap()
}

fn trace_ids(index: &Index, from: &str, to: &str, opts: &TraceOptions) -> TraceResult {
    let (from, to) = (index.resolve(from).unwrap(), index.resolve(to).unwrap());
    query::trace(index, from, to, opts).unwrap()
}

/// Each path as its entity ids joined by ">".
fn routes(index: &Index, result: &TraceResult) -> Vec<String> {
    result
        .paths
        .iter()
        .map(|p| p.entities().iter().map(|&e| index.entity(e).id.as_str()).collect::<Vec<_>>().join(">"))
        .collect()
}

fn claim_ids(index: &Index, claims: &[u32]) -> Vec<String> {
    claims.iter().map(|&c| index.claim(c).id.to_string()).collect()
}

// ---------------------------------------------------------------- the fixture

#[test]
fn small_graph_finds_every_route_ranked() {
    let graph = load(SMALL);
    let index = Index::new(&graph);
    let result = trace_ids(&index, "zinc", "bone-mineralization", &TraceOptions::default());
    assert!(!result.truncated);
    assert_eq!(
        routes(&index, &result),
        [
            "zinc>bone-mineralization",
            // animal evidence on both hops beats in vitro; then ids break the tie
            "zinc>alp>bone-mineralization",
            "zinc>collagen>bone-mineralization",
            "zinc>osteoblast>bone-mineralization",
            "zinc>osteoblast>collagen>bone-mineralization",
            "zinc>runx2>osteoblast>bone-mineralization",
            "zinc>runx2>osteoblast>collagen>bone-mineralization",
            // crosses from mouse to human: ranked after every consistent path
            "zinc>osteoclast>bone-resorption>bone-mineralization",
        ]
    );
    let signs: Vec<Sign> = result.paths.iter().map(|p| p.sign).collect();
    assert_eq!(signs[0], Sign::None, "the direct hop is an association");
    assert!(result.paths[0].is_associative());
    // `required_for` is structural: the collagen-scaffold routes carry no net sign.
    let collagen: Vec<bool> = routes(&index, &result).iter().map(|r| r.contains("collagen")).collect();
    for (i, &s) in signs.iter().enumerate().skip(1) {
        assert_eq!(s, if collagen[i] { Sign::None } else { Sign::Plus }, "{signs:?}");
    }
    // − · + · − = +: inhibiting the cells that resorb bone helps mineralization
    let osteoclast = &result.paths[7];
    assert_eq!(
        osteoclast.hops.iter().map(|h| h.sign).collect::<Vec<_>>(),
        [Sign::Minus, Sign::Plus, Sign::Minus]
    );
    assert!(osteoclast.contested && osteoclast.hops[0].contested);
    assert_eq!(osteoclast.weakest, index.vocab.study("in_vitro"));
    let change = &osteoclast.context_changes[0];
    assert_eq!(
        (index.entity(change.at).id.as_str(), change.from.clone(), change.to.clone()),
        ("bone-resorption", vec!["mouse".to_string()], vec!["human".to_string()])
    );
    assert_eq!((change.from_hop, change.to_hop), (1, 2), "the hop naming the species in force");
    assert!(osteoclast.crosses_context());
    assert!(result.paths[..7].iter().all(|p| !p.crosses_context()));
    assert!(!result.paths[1].contested);
}

#[test]
fn claims_on_one_hop_are_alternatives_not_extra_paths() {
    let graph = load(SMALL);
    let index = Index::new(&graph);
    let result = trace_ids(&index, "zinc", "alp", &TraceOptions::default());
    assert_eq!(result.paths.len(), 1);
    let hop = &result.paths[0].hops[0];
    // the animal claim leads (stronger evidence), the in-vitro one stands beside it
    assert_eq!(claim_ids(&index, &hop.claims), ["zinc--increases--alp", "zinc--cofactor_of--alp"]);
    assert_eq!(hop.best_evidence, index.vocab.study("animal"));
    assert_eq!(result.paths[0].reference_count, 2);
}

#[test]
fn disagreeing_claims_on_a_hop_follow_the_lead_and_show_the_rest_as_conflicts() {
    let graph = load(SMALL);
    let index = Index::new(&graph);
    let result = trace_ids(&index, "zinc", "runx2", &TraceOptions::default());
    let hop = &result.paths[0].hops[0];
    // supported beats contested, so the hop is + and the decrease is its conflict
    assert_eq!(hop.sign, Sign::Plus);
    assert_eq!(claim_ids(&index, &hop.claims), ["zinc--increases--runx2"]);
    assert_eq!(claim_ids(&index, &hop.conflicts), ["zinc--decreases--runx2"]);
    assert!(!hop.contested);
}

/// A two-entity graph with the given (predicate, study, certainty, negated) claims from a to b.
fn pair_graph(claims: &[(&str, &str, Option<&str>, bool)]) -> Graph {
    let entity = |id: &str| Entity {
        id: id.into(),
        name: id.to_uppercase().into(),
        kind: "protein".into(),
        group: None,
        aliases: vec![],
        xrefs: vec![],
        description: None,
    };
    Graph {
        entities: vec![entity("a"), entity("b")],
        references: vec![Reference { id: "r".into(), kind: "article".into(), ..Default::default() }],
        claims: claims
            .iter()
            .enumerate()
            .map(|(i, (predicate, study, certainty, negated))| Claim {
                id: format!("c{i}").into(),
                subject: "a".into(),
                predicate: predicate.to_string().into(),
                object: "b".into(),
                evidence: vec![Evidence {
                    reference: "r".into(),
                    study: study.to_string().into(),
                    ..Default::default()
                }],
                negated: *negated,
                certainty: certainty.map(Into::into),
                note: None,
            })
            .collect(),
        ..Default::default()
    }
}

fn only_hop(graph: &Graph, opts: &TraceOptions) -> Option<(Sign, Vec<String>, Vec<String>, bool)> {
    let index = Index::new(graph);
    let result = trace_ids(&index, "a", "b", opts);
    result.paths.first().map(|p| {
        let h = &p.hops[0];
        (h.sign, claim_ids(&index, &h.claims), claim_ids(&index, &h.conflicts), h.contested)
    })
}

#[test]
fn hop_rule_stronger_evidence_decides_the_sign() {
    let g = pair_graph(&[("increases", "in_vitro", None, false), ("decreases", "rct", None, false)]);
    assert_eq!(
        only_hop(&g, &TraceOptions::default()),
        Some((Sign::Minus, vec!["c1".into()], vec!["c0".into()], false))
    );
}

#[test]
fn hop_rule_contested_claims_lead_only_when_nothing_else_can() {
    let g =
        pair_graph(&[("increases", "rct", Some("contested"), false), ("decreases", "in_vitro", None, false)]);
    assert_eq!(
        only_hop(&g, &TraceOptions::default()),
        Some((Sign::Minus, vec!["c1".into()], vec!["c0".into()], false))
    );
    let g = pair_graph(&[("increases", "rct", Some("contested"), false)]);
    assert_eq!(only_hop(&g, &TraceOptions::default()), Some((Sign::Plus, vec!["c0".into()], vec![], true)));
    let strict = TraceOptions { exclude_contested: true, ..Default::default() };
    assert_eq!(only_hop(&g, &strict), None);
}

#[test]
fn hop_rule_a_mechanism_outranks_an_association() {
    let g = pair_graph(&[
        ("associated_with", "meta_analysis", None, false),
        ("increases", "in_vitro", None, false),
    ]);
    // both carry the hop; the sign comes from the causal claim, the evidence from the best
    let index = Index::new(&g);
    let result = trace_ids(&index, "a", "b", &TraceOptions::default());
    let hop = &result.paths[0].hops[0];
    assert_eq!(hop.sign, Sign::Plus);
    assert_eq!(claim_ids(&index, &hop.claims), ["c1", "c0"]);
    assert_eq!(hop.best_evidence, index.vocab.study("meta_analysis"));
}

#[test]
fn negated_claims_never_carry_a_hop_but_are_shown_as_conflicts() {
    let g = pair_graph(&[("increases", "rct", None, true)]);
    assert_eq!(only_hop(&g, &TraceOptions::default()), None);
    let g = pair_graph(&[("increases", "rct", None, true), ("increases", "animal", None, false)]);
    assert_eq!(
        only_hop(&g, &TraceOptions::default()),
        Some((Sign::Plus, vec!["c1".into()], vec!["c0".into()], false))
    );
    // denying the opposite effect is no objection
    let g = pair_graph(&[("decreases", "rct", None, true), ("increases", "animal", None, false)]);
    assert_eq!(only_hop(&g, &TraceOptions::default()), Some((Sign::Plus, vec!["c1".into()], vec![], false)));
}

// ---------------------------------------------------------------- filters

fn filtered(opts: TraceOptions) -> Vec<String> {
    let graph = load(SMALL);
    let index = Index::new(&graph);
    routes(&index, &trace_ids(&index, "zinc", "bone-mineralization", &opts))
}

#[test]
fn via_an_entity_or_a_kind() {
    assert_eq!(
        filtered(TraceOptions { via: vec!["ALP".into()], ..Default::default() }),
        ["zinc>alp>bone-mineralization"]
    );
    let through_cells = filtered(TraceOptions { via: vec!["cell".into()], ..Default::default() });
    assert_eq!(through_cells.len(), 5, "{through_cells:?}");
    assert!(through_cells.iter().all(|r| r.contains("osteoblast") || r.contains("osteoclast")));
    let both = filtered(TraceOptions { via: vec!["runx2".into(), "collagen".into()], ..Default::default() });
    assert_eq!(both, ["zinc>runx2>osteoblast>collagen>bone-mineralization"]);
}

#[test]
fn avoid_an_entity_or_a_kind() {
    let routes = filtered(TraceOptions { avoid: vec!["osteoblast".into()], ..Default::default() });
    assert_eq!(routes.len(), 4, "{routes:?}");
    assert!(routes.iter().all(|r| !r.contains("osteoblast>")));
    // a kind never removes the endpoints (bone mineralization is a process too)
    let routes = filtered(TraceOptions { avoid: vec!["process".into()], ..Default::default() });
    assert!(routes.iter().all(|r| !r.contains("bone-resorption")) && routes.len() == 7, "{routes:?}");
}

#[test]
fn predicate_evidence_sign_species_and_contested_filters() {
    let increases = filtered(TraceOptions { predicates: vec!["increases".into()], ..Default::default() });
    assert_eq!(
        increases,
        [
            "zinc>osteoblast>bone-mineralization",
            "zinc>runx2>osteoblast>bone-mineralization",
            // zinc raises ALP in rats, ALP raises mineralization in mice
            "zinc>alp>bone-mineralization",
        ]
    );
    let animal = filtered(TraceOptions { min_evidence: Some("animal".into()), ..Default::default() });
    assert_eq!(animal, ["zinc>bone-mineralization", "zinc>alp>bone-mineralization"]);
    let associative = filtered(TraceOptions { sign: Some(Sign::None), ..Default::default() });
    assert_eq!(
        associative,
        [
            "zinc>bone-mineralization",
            "zinc>collagen>bone-mineralization",
            "zinc>osteoblast>collagen>bone-mineralization",
            "zinc>runx2>osteoblast>collagen>bone-mineralization"
        ]
    );
    assert!(filtered(TraceOptions { sign: Some(Sign::Minus), ..Default::default() }).is_empty());
    let human = filtered(TraceOptions { species: Some("Human".into()), ..Default::default() });
    assert_eq!(human, ["zinc>bone-mineralization"]);
    let settled = filtered(TraceOptions { exclude_contested: true, ..Default::default() });
    assert_eq!(settled.len(), 7);
    assert!(!settled.iter().any(|r| r.contains("osteoclast")));
}

#[test]
fn bad_options_are_clear_errors() {
    let graph = load(SMALL);
    let index = Index::new(&graph);
    let (zinc, bone) = (index.resolve("zinc").unwrap(), index.resolve("bone-mineralization").unwrap());
    let err = |opts: TraceOptions| query::trace(&index, zinc, bone, &opts).unwrap_err();
    let e = err(TraceOptions { predicates: vec!["increse".into()], ..Default::default() });
    assert_eq!(e.help().as_deref(), Some("did you mean `increases`?"));
    let e = err(TraceOptions { via: vec!["osteoblst".into()], ..Default::default() });
    assert!(e.to_string().starts_with("--via: no entity matches"), "{e}");
    assert!(e.help().unwrap().contains("`osteoblast`"));
    let e = err(TraceOptions { avoid: vec!["Zn".into()], ..Default::default() });
    assert!(e.to_string().contains("endpoint"), "{e}");
    let e = err(TraceOptions { via: vec!["kind:cel".into()], ..Default::default() });
    assert!(e.help().unwrap().contains("kind:cell"), "{e}");
    assert!(query::trace(&index, zinc, zinc, &TraceOptions::default()).is_err());
}

// ---------------------------------------------------------------- truncation

/// Every entity claims to increase every other: paths number in the millions.
fn complete_graph(n: usize) -> Graph {
    let mut g = pair_graph(&[]);
    g.entities = (0..n)
        .map(|i| Entity {
            id: format!("e{i:02}").into(),
            name: format!("E{i}").into(),
            kind: "protein".into(),
            group: None,
            aliases: vec![],
            xrefs: vec![],
            description: None,
        })
        .collect();
    for a in 0..n {
        for b in 0..n {
            if a != b {
                g.claims.push(Claim {
                    id: format!("c{a}-{b}").into(),
                    subject: format!("e{a:02}").into(),
                    predicate: "increases".into(),
                    object: format!("e{b:02}").into(),
                    evidence: vec![Evidence {
                        reference: "r".into(),
                        study: builtin_study_ids()[(a * 7 + b * 3) % 8].into(),
                        ..Default::default()
                    }],
                    negated: false,
                    certainty: None,
                    note: None,
                });
            }
        }
    }
    g
}

#[test]
fn dense_graph_returns_the_best_limit_paths_truncated() {
    let graph = complete_graph(40);
    let index = Index::new(&graph);
    let result = trace_ids(&index, "e00", "e39", &TraceOptions::default());
    assert!(result.truncated);
    assert_eq!(result.paths.len(), 20);
    assert_eq!(result.paths[0].hops.len(), 1, "the direct hop comes first");
    assert!(result.paths[1..].iter().all(|p| p.hops.len() == 2));
    // the 2-hop paths come strongest weakest link first
    let weakest: Vec<_> = result.paths[1..].iter().map(|p| p.weakest).collect();
    assert!(weakest.windows(2).all(|w| w[0] >= w[1]), "{weakest:?}");
}

#[test]
fn work_budget_stops_a_search_that_would_run_for_ever() {
    let graph = complete_graph(40);
    let index = Index::new(&graph);
    let opts = TraceOptions { limit: 1_000_000, work_budget: 100_000, ..Default::default() };
    let result = trace_ids(&index, "e00", "e39", &opts);
    assert!(result.truncated);
    assert!(!result.paths.is_empty() && result.paths.len() < 1_000_000);
    let lengths: Vec<usize> = result.paths.iter().map(|p| p.hops.len()).collect();
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "ranked by length");
}

// ---------------------------------------------------------------- against brute force

/// A random graph: `n` entities, claims (subject, object, predicate index, study index, negated).
fn random_graph(n: usize, claims: &[(usize, usize, usize, usize, bool)]) -> Graph {
    let mut g = complete_graph(n);
    let predicates = ["increases", "decreases", "associated_with", "inhibits"];
    g.claims = claims
        .iter()
        .enumerate()
        .map(|(i, &(s, o, p, l, negated))| Claim {
            id: format!("c{i:03}").into(),
            subject: format!("e{:02}", s % n).into(),
            predicate: predicates[p % predicates.len()].into(),
            object: format!("e{:02}", o % n).into(),
            evidence: vec![Evidence {
                reference: "r".into(),
                study: builtin_study_ids()[l % 8].into(),
                ..Default::default()
            }],
            negated,
            certainty: None,
            note: None,
        })
        .collect();
    g
}

/// Every simple path from `from` to `to` with at most `max` hops over hops
/// with a non-negated claim, by plain recursion.
fn brute_force(graph: &Graph, from: usize, to: usize, max: usize) -> BTreeSet<Vec<usize>> {
    let n = graph.entities.len();
    let mut adj = vec![BTreeSet::new(); n];
    for c in graph.claims.iter().filter(|c| !c.negated) {
        let ix = |id: &str| graph.entities.iter().position(|e| e.id == id).unwrap();
        adj[ix(&c.subject)].insert(ix(&c.object));
    }
    fn walk(
        adj: &[BTreeSet<usize>],
        path: &mut Vec<usize>,
        to: usize,
        max: usize,
        out: &mut BTreeSet<Vec<usize>>,
    ) {
        let last = *path.last().unwrap();
        if last == to {
            out.insert(path.clone());
            return;
        }
        if path.len() > max {
            return;
        }
        for &w in &adj[last] {
            if !path.contains(&w) {
                path.push(w);
                walk(adj, path, to, max, out);
                path.pop();
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&adj, &mut vec![from], to, max, &mut out);
    out
}

fn everything(max_hops: usize) -> TraceOptions {
    TraceOptions { max_hops, limit: usize::MAX, work_budget: u64::MAX, ..Default::default() }
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=5000 for a longer run.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn trace_finds_exactly_the_simple_paths(
        n in 2usize..9,
        claims in prop::collection::vec((0usize..9, 0usize..9, 0usize..4, 0usize..8, prop::bool::weighted(0.15)), 0..40),
        max_hops in 1usize..7,
        limit in 1usize..12,
    ) {
        let graph = random_graph(n, &claims);
        let index = Index::new(&graph);
        let (from, to) = (0, n - 1);
        let full = query::trace(&index, from as EntityIx, to as EntityIx, &everything(max_hops)).unwrap();
        prop_assert!(!full.truncated);
        let found: BTreeSet<Vec<usize>> =
            full.paths.iter().map(|p| p.entities().iter().map(|&e| e as usize).collect()).collect();
        prop_assert_eq!(found.len(), full.paths.len(), "no path twice");
        prop_assert_eq!(&found, &brute_force(&graph, from, to, max_hops));

        // ranked: length, then weakest link (strongest first), then references, then ids
        let key = |p: &query::TracePath| {
            let ids: Vec<String> = p.entities().iter().map(|&e| index.entity(e).id.to_string()).collect();
            (p.hops.len(), std::cmp::Reverse(p.weakest), std::cmp::Reverse(p.reference_count), ids)
        };
        prop_assert!(full.paths.windows(2).all(|w| key(&w[0]) < key(&w[1])));
        for p in &full.paths {
            prop_assert_eq!(p.weakest, p.hops.iter().map(|h| h.best_evidence).min().flatten());
            prop_assert!(p.hops.iter().all(|h| h.claims.iter().all(|&c| !index.claim(c).negated)));
            let product = p.hops.iter().fold(Sign::Plus, |acc, h| acc.compose(h.sign));
            prop_assert_eq!(p.sign, product);
        }

        // a limit returns the same best paths, and says when there were more
        let limited = query::trace(&index, from as EntityIx, to as EntityIx,
            &TraceOptions { limit, ..everything(max_hops) }).unwrap();
        prop_assert_eq!(limited.truncated, full.paths.len() > limit);
        prop_assert_eq!(&limited.paths[..], &full.paths[..full.paths.len().min(limit)]);
    }

    #[test]
    fn via_and_avoid_select_the_same_paths_as_a_filter_on_all_paths(
        n in 3usize..9,
        claims in prop::collection::vec((0usize..9, 0usize..9, 0usize..4, 0usize..8, Just(false)), 0..40),
        via in 1usize..8,
        avoid in 1usize..8,
    ) {
        let graph = random_graph(n, &claims);
        let index = Index::new(&graph);
        let (from, to) = (0usize, n - 1);
        let via = 1 + via % (n - 2);
        let others: Vec<usize> = (1..n - 1).filter(|&x| x != via).collect();
        let avoid = others.get(avoid % others.len().max(1)).copied();
        let all = brute_force(&graph, from, to, 6);
        let expected: BTreeSet<Vec<usize>> = all
            .into_iter()
            .filter(|p| p.contains(&via) && avoid.is_none_or(|a| !p.contains(&a)))
            .collect();
        let opts = TraceOptions {
            via: vec![format!("e{via:02}")],
            avoid: avoid.map(|a| format!("e{a:02}")).into_iter().collect(),
            ..everything(6)
        };
        let result = query::trace(&index, from as EntityIx, to as EntityIx, &opts).unwrap();
        let found: BTreeSet<Vec<usize>> =
            result.paths.iter().map(|p| p.entities().iter().map(|&e| e as usize).collect()).collect();
        prop_assert_eq!(found, expected);
    }

    /// Paths that cross species rank after those that stay in one of the same
    /// length, whatever their links, and `--limit` keeps the shortest paths,
    /// crossing ones listed last (README → trace → Ranking): a limited answer
    /// must still be exactly those when branches are cut by their weakest link.
    #[test]
    fn a_limit_keeps_the_best_paths_when_some_cross_contexts(
        n in 3usize..9,
        claims in prop::collection::vec((0usize..9, 0usize..9, 0usize..4, 0usize..8, Just(false)), 0..40),
        species in prop::collection::vec(prop::option::of(prop::bool::ANY), 40),
        max_hops in 1usize..7,
        limit in 1usize..6,
    ) {
        let mut graph = random_graph(n, &claims);
        for (claim, species) in graph.claims.iter_mut().zip(&species) {
            claim.evidence[0].species = species.map(|mouse| if mouse { "mouse" } else { "human" }.into());
        }
        let index = Index::new(&graph);
        let (from, to) = (0, (n - 1) as EntityIx);
        let full = query::trace(&index, from, to, &everything(max_hops)).unwrap();
        let limited = query::trace(&index, from, to, &TraceOptions { limit, ..everything(max_hops) }).unwrap();
        let mut shortest = full.paths.clone();
        shortest.sort_by_key(|p| (p.hops.len(), p.crosses_context()));
        shortest.truncate(limit);
        shortest.sort_by_key(|p| p.crosses_context());
        prop_assert_eq!(limited.truncated, full.paths.len() > limit);
        prop_assert_eq!(&limited.paths, &shortest);
    }

    /// Without `--via` the shortest length is found from both ends, and the
    /// forward side must skip avoided entities just as the backward side does.
    #[test]
    fn avoid_alone_selects_the_same_paths_as_a_filter_on_all_paths(
        n in 3usize..9,
        claims in prop::collection::vec((0usize..9, 0usize..9, 0usize..4, 0usize..8, prop::bool::weighted(0.15)), 0..40),
        avoid in prop::collection::vec(1usize..8, 1..3),
        max_hops in 1usize..7,
    ) {
        let graph = random_graph(n, &claims);
        let index = Index::new(&graph);
        let (from, to) = (0usize, n - 1);
        let avoid: BTreeSet<usize> = avoid.into_iter().map(|a| 1 + a % (n - 2)).collect();
        let expected: BTreeSet<Vec<usize>> = brute_force(&graph, from, to, max_hops)
            .into_iter()
            .filter(|p| !p.iter().any(|e| avoid.contains(e)))
            .collect();
        let opts = TraceOptions { avoid: avoid.iter().map(|a| format!("e{a:02}")).collect(), ..everything(max_hops) };
        let result = query::trace(&index, from as EntityIx, to as EntityIx, &opts).unwrap();
        let found: BTreeSet<Vec<usize>> =
            result.paths.iter().map(|p| p.entities().iter().map(|&e| e as usize).collect()).collect();
        prop_assert_eq!(found, expected);
    }
}

// ---------------------------------------------------------------- NetworkX oracle

#[test]
fn path_counts_match_networkx_all_simple_paths() {
    let script = project("tests/oracle/networkx_paths.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .args(["--claimgraph", env!("CARGO_BIN_EXE_claimgraph"), "--graphs", "40"])
        .output()
        .expect("python3 must be installed to run the NetworkX oracle (apt-get install python3)");
    let (code, stdout, stderr) = output(out);
    assert_eq!(code, 0, "NetworkX oracle failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all path sets agree"), "{stdout}");
}

// ---------------------------------------------------------------- the command line

fn trace_small(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--graph", SMALL, "trace"];
    all.extend_from_slice(args);
    let mut cmd = claimgraph();
    cmd.current_dir(project("")).args(&all);
    output(cmd.output().expect("the binary runs"))
}

#[test]
fn text_report_on_the_fixture() {
    let (code, stdout, stderr) = trace_small(&["zinc", "bone mineralization"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("trace-small-text", stdout);
}

#[test]
fn markdown_report_on_the_fixture() {
    let (code, stdout, stderr) =
        trace_small(&["--format", "markdown", "zinc", "bone mineralization", "--max-hops", "3"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("[PubMed 21103080](https://pubmed.ncbi.nlm.nih.gov/21103080/)"));
    insta::assert_snapshot!("trace-small-markdown", stdout);
}

#[test]
fn json_contract() {
    let (code, stdout, stderr) = trace_small(&["zinc", "bone-mineralization", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["from"], "zinc");
    assert_eq!(v["to"], "bone-mineralization");
    assert_eq!(v["truncated"], false);
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 8);
    assert_eq!(paths[0]["sign"], serde_json::Value::Null);
    assert_eq!(paths[1]["sign"], "+");
    assert_eq!(paths[1]["weakest_evidence"], "animal");
    let hop = &paths[1]["hops"][0];
    assert_eq!((hop["subject"].as_str(), hop["object"].as_str()), (Some("zinc"), Some("alp")));
    let claim = &hop["claims"][1];
    assert_eq!(claim["id"], "zinc--cofactor_of--alp");
    assert_eq!(claim["predicate"], "cofactor_of");
    assert_eq!(claim["sign"], serde_json::Value::Null, "a cofactor relation is structural");
    assert_eq!(claim["references"], serde_json::json!(["seo2010"]));
    let osteoclast = &paths[7];
    assert_eq!(osteoclast["contested"], true);
    assert_eq!(osteoclast["crosses_context"], true);
    assert_eq!(paths[1]["crosses_context"], false);
    assert_eq!(osteoclast["context_changes"][0]["field"], "species");
    assert_eq!(osteoclast["context_changes"][0]["after_hop"], 1);
    assert_eq!(osteoclast["weakest_link"]["level"], "in_vitro");
    assert_eq!(osteoclast["weakest_link"]["hop"], 0);
    let summary = &v["summary"];
    assert_eq!(summary["verdict"], "increases");
    assert_eq!(
        (&summary["paths"], &summary["increasing"], &summary["decreasing"], &summary["associative"]),
        // `required_for` carries no sign: the collagen routes are associative
        (&serde_json::json!(8), &serde_json::json!(4), &serde_json::json!(0), &serde_json::json!(4))
    );
    assert_eq!(
        (&summary["crossing_context"], &summary["contested"]),
        (&serde_json::json!(1), &serde_json::json!(1))
    );
    assert_eq!(
        summary["direct"]["claims"],
        serde_json::json!(["zinc--associated_with--bone-mineralization"])
    );
    assert_eq!(summary["direct"]["sign"], serde_json::Value::Null);
    assert_eq!(summary["strongest"], serde_json::json!({"path": 1, "weakest_link": "animal"}));
    // the only human study is on the associative path
    assert_eq!(summary["best_human_evidence"], serde_json::Value::Null);
    assert_eq!(summary["best_human_association"], "human_observational");
    assert_eq!(
        summary["conflicts"],
        serde_json::json!({"hops": 2, "disputed": 1, "explained_by_context": 0})
    );
    assert_eq!(osteoclast["conflicts"][0]["id"], "osteoclast--increases--bone-resorption--not");
    assert_eq!(osteoclast["conflicts"][0]["hop"], 1);
    let refs: Vec<&str> =
        v["references"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(refs.len(), 7);
    assert!(refs.contains(&"seo2010"));
}

#[test]
fn unknown_entity_is_an_error_with_a_suggestion() {
    let (code, stdout, stderr) = trace_small(&["zink", "bone mineralization"]);
    assert_ne!(code, 0);
    assert!(stdout.is_empty());
    assert!(stderr.contains("FROM: no entity matches `zink`"), "{stderr}");
    assert!(stderr.contains("did you mean `zinc` (Zinc)?"), "{stderr}");
    let (code, _, stderr) = trace_small(&["zinc", "bone", "--predicate", "increses"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("TO: no entity matches `bone`"), "{stderr}");
}

#[test]
fn filters_on_the_command_line() {
    let json = |args: &[&str]| {
        let mut all = vec!["zinc", "bone mineralization", "--format", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = trace_small(&all);
        assert_eq!(code, 0, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        v["paths"].as_array().unwrap().len()
    };
    assert_eq!(json(&["--via", "alkaline phosphatase"]), 1);
    assert_eq!(json(&["--via", "cell", "--avoid", "osteoclast"]), 4);
    assert_eq!(json(&["--predicate", "increases", "--predicate", "inhibits", "--predicate", "decreases"]), 4);
    assert_eq!(json(&["--min-evidence", "animal"]), 2);
    assert_eq!(json(&["--sign", "-"]), 0);
    assert_eq!(
        json(&["--sign=+", "--species", "mouse"]),
        2,
        "the mouse evidence on zinc → ALP is the unsigned cofactor claim"
    );
    assert_eq!(json(&["--exclude-contested"]), 7);
    assert_eq!(json(&["--max-hops", "2"]), 4);
    assert_eq!(json(&["--limit", "3"]), 3);
    let (code, _, stderr) = trace_small(&["zinc", "alp", "--predicate", "increse"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("did you mean `increases`?"), "{stderr}");
}

#[test]
fn neighbors_downstream_upstream() {
    let run_small = |args: &[&str]| {
        let mut cmd = claimgraph();
        cmd.current_dir(project("")).args(["--graph", SMALL]).args(args);
        output(cmd.output().expect("the binary runs"))
    };
    let (code, stdout, stderr) = run_small(&["neighbors", "osteoblast"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("neighbors-osteoblast", stdout);
    let (_, stdout, _) = run_small(&["neighbors", "Zn", "--direction", "in", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["neighbors"][0]["id"], "calcium", "negated claims are part of the neighbourhood");
    let (code, stdout, stderr) = run_small(&["downstream", "zinc"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("downstream-zinc", stdout);
    let (_, stdout, _) = run_small(&["upstream", "bone mineralization", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let reached = v["reached"].as_array().unwrap();
    let zinc = reached.iter().find(|r| r["id"] == "zinc").unwrap();
    assert_eq!((zinc["hops"].as_u64(), zinc["sign"].is_null()), (Some(1), true), "the direct association");
    let osteoclast = reached.iter().find(|r| r["id"] == "osteoclast").unwrap();
    assert_eq!((osteoclast["hops"].as_u64(), osteoclast["sign"].as_str()), (Some(2), Some("-")));
    assert!(
        reached.iter().all(|r| r["id"] != "calcium" || r["hops"] == 1),
        "calcium reaches it by part_of only"
    );
}

// ---------------------------------------------------------------- the curated graph

#[test]
fn curated_graph_zinc_reaches_bone_mineralization_by_its_routes() {
    let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
    let index = Index::new(&graph);
    let result = trace_ids(&index, "zinc", "bone mineralization", &TraceOptions::default());
    let all = routes(&index, &result);
    let route = |through: &[&str]| -> &query::TracePath {
        let at = all
            .iter()
            .position(|r| through.iter().all(|e| r.split('>').any(|x| x == *e)))
            .unwrap_or_else(|| panic!("no route through {through:?} in {all:#?}"));
        &result.paths[at]
    };
    // alkaline phosphatase hydrolyses pyrophosphate, which inhibits mineralization: − · − = +
    let alp = route(&["alp", "pyrophosphate"]);
    assert_eq!(alp.sign, Sign::Plus);
    assert!(alp.hops.iter().any(|h| h.sign == Sign::Minus), "the ALP route runs through an inhibitor");
    assert_eq!(route(&["alp", "matrix-phosphate"]).sign, Sign::Plus);
    assert_eq!(route(&["osteoblast-differentiation", "osteoblast-activity"]).sign, Sign::Plus);
    assert_eq!(route(&["collagen-matrix"]).sign, Sign::None, "a scaffold requirement carries no sign");
    // Regression (issue 11): less resorption preserves mineral, it does not
    // increase mineralization, and mineralization produces hydroxyapatite.
    assert!(
        all.iter().all(|r| !r.split('>').any(|x| ["bone-resorption", "hydroxyapatite"].contains(&x))),
        "{all:#?}"
    );
    // The resorption side ends in bone mineral content instead, with the
    // contested osteoclast-apoptosis step marked.
    let result = trace_ids(&index, "zinc", "bone mineral content", &TraceOptions::default());
    let all = routes(&index, &result);
    let resorption =
        all.iter().position(|r| r.contains("osteoclastogenesis>osteoclast-activity>bone-resorption"));
    let resorption = &result.paths[resorption.unwrap_or_else(|| panic!("{all:#?}"))];
    assert_eq!(resorption.sign, Sign::Plus, "zinc holds back the cells that dissolve bone");
    assert!(result.paths.iter().any(|p| p.hops.iter().any(|h| h.contested)), "{all:#?}");
    assert!(result.paths.iter().all(|p| p.contested == p.hops.iter().any(|h| h.contested)));
}

/// Regression (issue 11): stem cells becoming osteoblasts, like precursors
/// becoming osteoclasts, is one lineage, yet zinc → osteoblast
/// differentiation → osteoblast number and activity was flagged as crossing
/// tissues (bone-marrow mesenchymal stem cells → osteoblast). The graph's
/// context vocabulary now reads both cell types as lineages, and no curated
/// trace into bone crosses tissues along one.
#[test]
fn curated_graph_cell_lineages_stay_in_one_tissue() {
    let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
    let index = Index::new(&graph);
    let lineage = |from: &str, to: &str, through: &[&str]| {
        let result = trace_ids(&index, from, to, &TraceOptions::default());
        let all = routes(&index, &result);
        let at = all.iter().position(|r| through.iter().all(|e| r.split('>').any(|x| x == *e)));
        let path = &result.paths[at.unwrap_or_else(|| panic!("no route through {through:?} in {all:#?}"))];
        let tissues: Vec<_> = path
            .context_changes
            .iter()
            .filter(|c| c.field == claimgraph::model::ContextField::Tissue)
            .collect();
        assert!(tissues.is_empty(), "{through:?}: {tissues:?}");
    };
    lineage("zinc", "bone mineralization", &["osteoblast-differentiation", "osteoblast-activity"]);
    lineage("zinc", "bone mineralization", &["runx2", "osteoblast-differentiation", "osteoblast-activity"]);
    lineage(
        "zinc",
        "bone mineral content",
        &["osteoclastogenesis", "osteoclast-activity", "bone-resorption"],
    );
}

/// Regression (issue 11): one `phosphate` entity stood for both the phosphate
/// bone ALP makes and the high phosphate that calcifies arteries, so paths
/// concluded "zinc increases vascular calcification" via ALP.
#[test]
fn curated_graph_vascular_calcification_never_runs_through_bone_alp() {
    let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
    let index = Index::new(&graph);
    let result = trace_ids(&index, "zinc", "vascular calcification", &TraceOptions::default());
    let all = routes(&index, &result);
    assert!(all.iter().all(|r| !r.split('>').any(|x| x == "alp")), "{all:#?}");
    assert!(result.paths.iter().all(|p| p.sign != Sign::Plus), "{all:#?}");
    let gpr39 = all.iter().position(|r| r == "zinc>gpr39>tnfaip3>nf-kb>vascular-calcification");
    let gpr39 = gpr39.unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(result.paths[gpr39].sign, Sign::Minus);
    // The receptor route is the first mechanism (the first path of more than
    // one hop): the two-hop NF-kB shortcut rests on an osteoclast-precursor
    // study, so it crosses tissues and species and ranks after it.
    let first_mechanism = result.paths.iter().position(|p| p.hops.len() > 1);
    assert_eq!(first_mechanism, Some(gpr39), "{all:#?}");
    let shortcut = all.iter().position(|r| r == "zinc>nf-kb>vascular-calcification");
    assert!(result.paths[shortcut.unwrap_or_else(|| panic!("{all:#?}"))].crosses_context(), "{all:#?}");
    // alcantara2024: the deficiency effect in smooth muscle is ALP-independent.
    let result = trace_ids(&index, "zinc deficiency", "vascular calcification", &TraceOptions::default());
    let all = routes(&index, &result);
    assert!(all.iter().all(|r| !r.split('>').any(|x| x == "alp")), "{all:#?}");
    assert!(result.paths.iter().all(|p| p.sign != Sign::Minus), "{all:#?}");
}

/// Regression (issue 11): "Zinc increases VDR binding to vitamin D response
/// elements" came out of structural claims carried as `required_for`, `+`.
#[test]
fn curated_graph_structural_facts_carry_no_sign() {
    let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
    let index = Index::new(&graph);
    let result = trace_ids(&index, "zinc", "vdr-dna-binding", &TraceOptions::default());
    assert!(!result.paths.is_empty());
    assert!(result.paths.iter().all(|p| p.sign == Sign::None), "{:#?}", routes(&index, &result));
}

#[test]
fn curated_graph_text_report() {
    let (code, stdout, stderr) = run(&["trace", "zinc", "bone mineralization"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("✗ conflicting claim"), "conflicts sit beside their hops");
    insta::assert_snapshot!("trace-curated-text", stdout);
    let (code, stdout, stderr) = run(&["trace", "zinc", "bone mineral content"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("⚠ CONTESTED"), "contested hops are marked");
}

/// Regression (issue 11): `check` called a conflict with a contested side
/// "disputed", while `trace` and `show` still called the same conflict
/// "context-dependent" because the two studies used other species. All
/// three now word it by one rule.
#[test]
fn a_conflict_with_a_contested_side_reads_disputed_in_trace_and_show() {
    let (code, text, stderr) = run(&["trace", "zinc", "bone mineral content"]);
    assert_eq!(code, 0, "{stderr}");
    let line = text
        .lines()
        .find(|l| l.contains("✗ conflicting claim") && l.contains("--isolated-osteoclasts`"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.ends_with(
            "disputed: `zinc--increases--osteoclast-apoptosis` is marked contested \
             (the contexts also differ: species rat (hop: rabbit))"
        ),
        "{line}"
    );
    assert!(!text.contains("context-dependent"), "{text}");
    assert!(
        text.contains("2 hops carry a conflicting claim; 2 disputed (a side is marked contested)"),
        "{text}"
    );
    let (_, json, _) = run(&["--format", "json", "trace", "zinc", "bone mineral content"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["summary"]["conflicts"],
        serde_json::json!({"hops": 2, "disputed": 2, "explained_by_context": 0})
    );
    let (code, shown, stderr) = run(&["show", "zinc--increases--osteoclast-apoptosis--isolated-osteoclasts"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        shown.contains(
            "⚠ conflicts with `zinc--increases--osteoclast-apoptosis` \
             (disputed: `zinc--increases--osteoclast-apoptosis` is marked contested (the contexts also differ:"
        ),
        "{shown}"
    );
    let (_, checked, _) = run(&["--format", "json", "check"]);
    let findings: serde_json::Value = serde_json::from_str(&checked).unwrap();
    let help = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["code"] == "conflict" && f["message"].as_str().unwrap().contains("--isolated-osteoclasts`")
        })
        .map(|f| f["help"].as_str().unwrap().to_string());
    assert!(help.is_some_and(|h| h.starts_with("disputed: `zinc--increases--osteoclast-apoptosis`")));
}

#[test]
fn curated_graph_markdown_report() {
    let (code, stdout, stderr) = run(&["trace", "zinc", "bone mineralization", "--format", "markdown"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("associative path, no net sign"), "structural hops leave a path unsigned");
    assert!(stdout.contains("](https://doi.org/10.4162/nrp.2010.4.5.356)"), "bibliography links DOIs");
    insta::assert_snapshot!("trace-curated-markdown", stdout);
}

#[test]
fn curated_graph_json_contract() {
    let (code, stdout, stderr) = run(&["--format", "json", "trace", "Zn", "bone mineralization"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((v["from"].as_str(), v["to"].as_str()), (Some("zinc"), Some("bone-mineralization")));
    assert!(v["truncated"].is_boolean());
    let paths = v["paths"].as_array().unwrap();
    assert!(paths.len() >= 4);
    let cited: BTreeSet<&str> =
        v["references"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for p in paths {
        assert!(p["sign"].is_null() || p["sign"] == "+" || p["sign"] == "-", "{}", p["sign"]);
        assert!(
            p["weakest_evidence"].is_null()
                || Vocabulary::builtin().study(p["weakest_evidence"].as_str().unwrap()).is_some()
        );
        assert!(p["context_changes"].is_array() && p["conflicts"].is_array());
        let hops = p["hops"].as_array().unwrap();
        assert_eq!(hops[0]["subject"], "zinc");
        assert_eq!(hops.last().unwrap()["object"], "bone-mineralization");
        for h in hops {
            for c in h["claims"].as_array().unwrap() {
                assert!(c["id"].is_string() && c["predicate"].is_string());
                assert!(c["sign"].is_null() || c["sign"] == "+" || c["sign"] == "-");
                for r in c["references"].as_array().unwrap() {
                    assert!(cited.contains(r.as_str().unwrap()), "{r} is in the bibliography");
                }
            }
        }
    }
    assert!(paths.iter().any(|p| p["hops"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["conflicts"] != serde_json::json!([]))));
}

#[test]
fn ambiguous_entity_lists_the_candidates() {
    let (code, stdout, stderr) = trace_small(&["bone cell", "bone mineralization"]);
    assert_ne!(code, 0);
    assert!(stdout.is_empty());
    assert!(stderr.contains("FROM: `bone cell` is ambiguous: it matches 2 entities"), "{stderr}");
    assert!(stderr.contains("`osteoblast` (Osteoblast), `osteoclast` (Osteoclast)"), "{stderr}");
}

#[test]
fn no_path_and_limit_zero_say_what_happened() {
    let (code, stdout, _) = trace_small(&["bone mineralization", "zinc"]);
    assert_eq!(
        (code, stdout.trim()),
        (
            0,
            "No path from Bone mineralization to Zinc within 6 hops\n\
             No chain of claims leads from one to the other, in any number of hops."
        )
    );
    let (code, stdout, _) = trace_small(&["zinc", "alp", "--limit", "0"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("Zinc → Alkaline phosphatase: no path shown within 6 hops (truncated"),
        "{stdout}"
    );
    let (code, _, stderr) = trace_small(&["zinc", "alp", "--max-hops", "0"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("--max-hops must be at least 1"), "{stderr}");
}

/// A complete DAG of 40 entities (every i → j for i < j): the number of
/// simple paths from the first to the last is astronomical.
fn complete_dag(n: usize) -> String {
    let entities: Vec<serde_json::Value> = (0..n)
        .map(
            |i| serde_json::json!({"id": format!("n{i:02}"), "name": format!("Node {i}"), "kind": "process"}),
        )
        .collect();
    let mut claims = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            claims.push(serde_json::json!({
                "id": format!("n{i:02}--increases--n{j:02}"), "subject": format!("n{i:02}"),
                "predicate": "increases", "object": format!("n{j:02}"),
                "evidence": [{"reference": "r1", "study": "in_vitro", "summary": "s", "tissue": "bone"}]
            }));
        }
    }
    serde_json::json!({"schema": "claimgraph/1", "title": "complete DAG", "entities": entities,
        "references": [{"id": "r1", "type": "article", "title": "t", "year": 2000, "doi": "10.5555/dag"}],
        "claims": claims})
    .to_string()
}

/// Regression (issue 15): `trace --format json` with a huge `--limit` on a
/// dense graph held every expanded path (~27 KB each) until the kernel
/// killed it. Paths are now kept as numbers and written one at a time, so
/// 8,000 paths (over 200 MB the old way) run in a 128 MiB address space.
#[test]
fn json_trace_with_a_huge_limit_streams_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("dag.json");
    std::fs::write(&graph, complete_dag(40)).unwrap();
    let bin = env!("CARGO_BIN_EXE_claimgraph");
    let out = std::process::Command::new("prlimit")
        .arg(format!("--as={}", 128 << 20))
        .arg(bin)
        .args(["--graph", graph.to_str().unwrap(), "trace", "n00", "n39", "--format", "json"])
        .args(["--max-hops", "10", "--limit", "8000"])
        .env("NO_COLOR", "1")
        .output()
        .expect("`prlimit` runs (util-linux: apt-get install util-linux)");
    let (code, stdout, stderr) = output(out);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 8000);
    assert_eq!(v["truncated"], true);
    // the summary, written before the paths, counts exactly what follows
    assert_eq!(v["summary"]["paths"], 8000);
    assert_eq!(v["summary"]["increasing"], 8000);
    assert_eq!(v["summary"]["verdict"], "increases");
    assert_eq!(paths[0]["hop_count"], 1, "the direct hop ranks first");
    assert!(paths.windows(2).all(|w| w[0]["hop_count"].as_u64() <= w[1]["hop_count"].as_u64()));
}

/// Regression: a conflict was written out in full under every path through
/// its hop, each time restating the claim and both contexts whole. It is now
/// described once, naming only what differs, and later paths refer back.
#[test]
fn a_conflict_is_described_once_naming_only_what_differs() {
    let (code, text, stderr) = trace_small(&["zinc", "bone mineralization"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("`zinc--decreases--runx2`")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].ends_with(
            "disputed: `zinc--decreases--runx2` is marked contested \
             (the contexts also differ: condition high-phosphate medium (hop: not stated))"
        ),
        "{}",
        lines[0]
    );
    assert!(!lines[0].contains("Zinc decreases"), "the hop line above names the endpoints: {}", lines[0]);
    assert!(lines[1].ends_with("`zinc--decreases--runx2`, as under path 6"), "{}", lines[1]);
    let (_, markdown, _) = trace_small(&["--format", "markdown", "zinc", "bone mineralization"]);
    let notes: Vec<&str> =
        markdown.lines().filter(|l| l.contains("Conflicting claim on Zinc → Runx2")).collect();
    assert_eq!(notes.len(), 2, "{markdown}");
    assert!(notes[1].ends_with("as under path 6."), "{}", notes[1]);
}
