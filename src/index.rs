//! The queryable form of a graph: ids resolved to integer indices once, and a
//! petgraph `DiGraph` with one node per entity and one edge per *hop*.
//!
//! A hop is an ordered entity pair (subject → object) with every claim between
//! them. Path queries walk hops, not claims, so five papers saying "zinc
//! activates ALP" make one step with five citations rather than five paths.

use crate::finding::closest;
use crate::model::{Certainty, Claim, Entity, Graph, PredicateDef, Reference, Sign, StudyLevel, Vocabulary};
use foldhash::HashMap;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use std::cell::OnceCell;
use thiserror::Error;

/// Index of an entity in `Graph::entities` (and of its node in the petgraph).
pub type EntityIx = u32;
/// Index of a claim in `Graph::claims`.
pub type ClaimIx = u32;
/// Index of a reference in `Graph::references`.
pub type RefIx = u32;

/// All claims from one subject to one object.
#[derive(Debug, Clone, Default)]
pub struct Hop {
    pub claims: Vec<ClaimIx>,
}

/// A checked graph made ready for queries. Borrowing the graph keeps ids as
/// `&str` into the model: nothing is copied per query.
pub struct Index<'g> {
    pub graph: &'g Graph,
    pub vocab: Vocabulary,
    pub net: DiGraph<EntityIx, Hop, u32>,
    entity_ids: HashMap<&'g str, EntityIx>,
    reference_ids: HashMap<&'g str, RefIx>,
    /// Built on first use: only `show CLAIM`-style lookups need it, and at a
    /// million claims it is the largest table.
    claim_ids: OnceCell<HashMap<&'g str, ClaimIx>>,
    /// Per claim: its evidence's reference indices (deduplicated, in order),
    /// flattened: claim `i` owns `claim_refs[claim_ref_start[i]..claim_ref_start[i + 1]]`
    /// (one allocation instead of one per claim).
    claim_refs: Vec<RefIx>,
    claim_ref_start: Vec<u32>,
    /// Hops by subject (to the object) and by object (to the subject).
    out_links: Adjacency,
    in_links: Adjacency,
    /// Per claim: what `trace` weighs it by.
    facts: Vec<ClaimFacts>,
    /// Per hop: some claim on it is not negated (it can carry a path when no
    /// filter is set).
    hop_asserted: Vec<bool>,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ResolveError {
    #[error("no entity matches `{query}`")]
    NotFound { query: String, suggestions: Vec<(String, String)> },
    #[error("`{query}` is ambiguous: it matches {} entities", candidates.len())]
    Ambiguous { query: String, candidates: Vec<(String, String)> },
}

impl ResolveError {
    /// "did you mean …?" with ids and names, ready for a help line.
    pub fn help(&self) -> Option<String> {
        let list = |items: &[(String, String)]| {
            items.iter().map(|(id, name)| format!("`{id}` ({name})")).collect::<Vec<_>>().join(", ")
        };
        match self {
            ResolveError::NotFound { suggestions, .. } if suggestions.is_empty() => None,
            ResolveError::NotFound { suggestions, .. } => {
                Some(format!("did you mean {}?", list(suggestions)))
            }
            ResolveError::Ambiguous { candidates, .. } => {
                Some(format!("candidates: {}; give the id to choose one", list(candidates)))
            }
        }
    }
}

/// One step along hops from an entity: the entity at the other end and the
/// hop (its petgraph edge index, see [`Index::hop`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub entity: EntityIx,
    pub hop: u32,
}

/// Hops per entity in compressed sparse row form: entity `v`'s links are
/// `links[start[v]..start[v + 1]]`. The path searches walk these contiguous
/// arrays instead of petgraph's per-edge linked lists, which near a hub turn
/// every step into a cache miss.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    start: Vec<u32>,
    links: Vec<Link>,
}

impl Adjacency {
    /// Group `(from, to)` hop endpoints by `from`; within an entity, links
    /// come in descending hop order, the order petgraph lists edges in, so
    /// `outgoing`/`incoming` answer exactly as they did over petgraph.
    fn new(entities: usize, ends: &[(EntityIx, EntityIx)]) -> Adjacency {
        let mut start = vec![0u32; entities + 1];
        for &(from, _) in ends {
            start[from as usize + 1] += 1;
        }
        for i in 0..entities {
            start[i + 1] += start[i];
        }
        let mut fill: Vec<u32> = start[..entities].to_vec();
        let mut links = vec![Link { entity: 0, hop: 0 }; ends.len()];
        for (hop, &(from, to)) in ends.iter().enumerate().rev() {
            let slot = &mut fill[from as usize];
            links[*slot as usize] = Link { entity: to, hop: hop as u32 };
            *slot += 1;
        }
        Adjacency { start, links }
    }

    fn of(&self, v: EntityIx) -> &[Link] {
        &self.links[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }
}

/// The hops, numbered by their first claim (so hop numbers, and petgraph's
/// edge order, are the same as adding claims one at a time), with each hop's
/// claims in file order and whether any claim on it is not negated.
struct Hops {
    ends: Vec<(EntityIx, EntityIx)>,
    claims: Vec<Vec<ClaimIx>>,
    asserted: Vec<bool>,
}

/// Per claim: subject, object and negation, or `None` for a claim whose
/// endpoints do not exist.
type ClaimEnds = Option<(EntityIx, EntityIx, bool)>;

/// What a path search asks of every claim it weighs, worked out once while
/// the index reads the claims in order: in a query the same reads are
/// cache misses scattered over the whole model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimFacts {
    pub negated: bool,
    /// The predicate's causal sign ([`PredicateDef::causal_sign`]); `Sign::None`
    /// for a predicate the vocabulary lacks.
    pub sign: Sign,
    /// [`Claim::best_level`].
    pub best: Option<StudyLevel>,
    /// Marked `contested` by the curator.
    pub contested: bool,
}

/// [`ClaimEnds`] and [`ClaimFacts`] of some claims: string lookups per claim,
/// the largest part of building an index, so `Index::new` splits it between
/// threads.
fn claim_ends(
    claims: &[Claim],
    entity_ids: &HashMap<&str, EntityIx>,
    causal_signs: &HashMap<&str, Sign>,
) -> (Vec<ClaimEnds>, Vec<ClaimFacts>) {
    let ends = claims
        .iter()
        .map(|c| {
            let s = *entity_ids.get(c.subject.as_str())?;
            let o = *entity_ids.get(c.object.as_str())?;
            Some((s, o, c.negated))
        })
        .collect();
    (ends, claim_facts(claims, causal_signs))
}

fn claim_facts(claims: &[Claim], causal_signs: &HashMap<&str, Sign>) -> Vec<ClaimFacts> {
    claims
        .iter()
        .map(|c| ClaimFacts {
            negated: c.negated,
            sign: causal_signs.get(c.predicate.as_str()).copied().unwrap_or(Sign::None),
            best: c.best_level(),
            contested: c.certainty() == Some(Certainty::Contested),
        })
        .collect()
}

/// Group claims into hops by sorting, not hashing: bucket claims by subject
/// (a counting sort keeps file order), then sort each subject's run by
/// object. Claims whose endpoints do not exist are skipped.
fn group_hops(n: usize, ends: &[ClaimEnds]) -> Hops {
    let mut start = vec![0u32; n + 1];
    for &(s, _, _) in ends.iter().flatten() {
        start[s as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    // (object, claim) bucketed by subject, claims ascending within a bucket.
    let mut fill: Vec<u32> = start[..n].to_vec();
    let mut by_subject = vec![(0 as EntityIx, 0 as ClaimIx); start[n] as usize];
    for (ci, &(s, o, _)) in ends.iter().enumerate().filter_map(|(ci, e)| Some((ci, e.as_ref()?))) {
        by_subject[fill[s as usize] as usize] = (o, ci as ClaimIx);
        fill[s as usize] += 1;
    }
    drop(fill);
    // Runs of one (subject, object), in that order; remember each run's first claim.
    let mut runs: Vec<(EntityIx, u32, u32)> = Vec::new(); // (subject, run start, run end)
    let mut first_claim_run: Vec<u32> = vec![u32::MAX; ends.len()];
    for s in 0..n {
        let bucket = &mut by_subject[start[s] as usize..start[s + 1] as usize];
        bucket.sort_unstable();
        let base = start[s];
        let mut i = 0;
        while i < bucket.len() {
            let mut j = i + 1;
            while j < bucket.len() && bucket[j].0 == bucket[i].0 {
                j += 1;
            }
            first_claim_run[bucket[i].1 as usize] = runs.len() as u32;
            runs.push((s as EntityIx, base + i as u32, base + j as u32));
            i = j;
        }
    }
    // Number hops by first claim: the order a claim-by-claim build adds them.
    let mut hops = Hops {
        ends: Vec::with_capacity(runs.len()),
        claims: Vec::with_capacity(runs.len()),
        asserted: Vec::with_capacity(runs.len()),
    };
    for &run in first_claim_run.iter().filter(|&&r| r != u32::MAX) {
        let (s, lo, hi) = runs[run as usize];
        let claims: Vec<ClaimIx> = by_subject[lo as usize..hi as usize].iter().map(|&(_, c)| c).collect();
        let asserted = claims.iter().any(|&c| ends[c as usize].is_some_and(|(_, _, negated)| !negated));
        hops.ends.push((s, by_subject[lo as usize].0));
        hops.claims.push(claims);
        hops.asserted.push(asserted);
    }
    hops
}

/// One node per entity, one edge per hop, edge `i` = hop `i`.
fn hop_network(
    entities: usize,
    ends: &[(EntityIx, EntityIx)],
    claims: Vec<Vec<ClaimIx>>,
) -> DiGraph<EntityIx, Hop, u32> {
    let mut net = DiGraph::with_capacity(entities, ends.len());
    for i in 0..entities {
        net.add_node(i as EntityIx);
    }
    for (&(s, o), claims) in ends.iter().zip(claims) {
        net.add_edge(NodeIndex::new(s as usize), NodeIndex::new(o as usize), Hop { claims });
    }
    net
}

/// Each claim's distinct references in evidence order, flattened, with the
/// start of each claim's run (plus a final end).
fn claim_references(graph: &Graph, reference_ids: &HashMap<&str, RefIx>) -> (Vec<RefIx>, Vec<u32>) {
    let mut claim_refs: Vec<RefIx> = Vec::with_capacity(graph.claims.len() * 2);
    let mut claim_ref_start: Vec<u32> = Vec::with_capacity(graph.claims.len() + 1);
    for c in &graph.claims {
        let start = claim_refs.len();
        claim_ref_start.push(start as u32);
        for e in &c.evidence {
            if let Some(&r) = reference_ids.get(e.reference.as_str()) {
                if !claim_refs[start..].contains(&r) {
                    claim_refs.push(r);
                }
            }
        }
    }
    claim_ref_start.push(claim_refs.len() as u32);
    (claim_refs, claim_ref_start)
}

/// What building an index works out by looking ids up in hash tables: each
/// claim's endpoints and its references. At a million claims that is two
/// million scattered string lookups, so a compiled snapshot stores it and
/// [`Index::from_resolved`] takes it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Per claim: subject and object entity indices; [`Resolved::MISSING`]
    /// for an id no entity has.
    pub ends: Vec<(EntityIx, EntityIx)>,
    /// Each claim's distinct references in evidence order, flattened: claim
    /// `i` owns `claim_refs[claim_ref_start[i]..claim_ref_start[i + 1]]`.
    pub claim_refs: Vec<RefIx>,
    pub claim_ref_start: Vec<u32>,
}

impl Resolved {
    /// An endpoint id that names no entity.
    pub const MISSING: EntityIx = EntityIx::MAX;

    /// Resolve by hashing, as [`Index::new`] does.
    pub fn new(graph: &Graph) -> Resolved {
        let entity_ids = entity_ids(graph);
        let ix = |id: &str| entity_ids.get(id).copied().unwrap_or(Resolved::MISSING);
        let ends = graph.claims.iter().map(|c| (ix(&c.subject), ix(&c.object))).collect();
        let (claim_refs, claim_ref_start) = claim_references(graph, &reference_ids(graph));
        Resolved { ends, claim_refs, claim_ref_start }
    }

    /// Whether these could be `graph`'s: one entry per claim, every index in
    /// bounds, reference runs in order. Checks shape, not the ids themselves
    /// (a snapshot's checksum vouches for those); what passes can never make
    /// an index read out of bounds.
    pub fn fits(&self, graph: &Graph) -> bool {
        let (entities, references) = (graph.entities.len(), graph.references.len());
        let entity_ok = |e: EntityIx| e == Resolved::MISSING || (e as usize) < entities;
        let starts = &self.claim_ref_start;
        self.ends.len() == graph.claims.len()
            && self.ends.iter().all(|&(s, o)| entity_ok(s) && entity_ok(o))
            && starts.len() == graph.claims.len() + 1
            && starts.first() == Some(&0)
            && starts.last().is_some_and(|&end| end as usize == self.claim_refs.len())
            && starts.windows(2).all(|w| w[0] <= w[1])
            && self.claim_refs.iter().all(|&r| (r as usize) < references)
    }

    fn claim_ends(&self, graph: &Graph) -> Vec<ClaimEnds> {
        self.ends
            .iter()
            .zip(&graph.claims)
            .map(|(&(s, o), c)| {
                (s != Resolved::MISSING && o != Resolved::MISSING).then_some((s, o, c.negated))
            })
            .collect()
    }
}

fn entity_ids(graph: &Graph) -> HashMap<&str, EntityIx> {
    graph.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i as EntityIx)).collect()
}

fn reference_ids(graph: &Graph) -> HashMap<&str, RefIx> {
    graph.references.iter().enumerate().map(|(i, r)| (r.id.as_str(), i as RefIx)).collect()
}

fn causal_signs(vocab: &Vocabulary) -> HashMap<&str, Sign> {
    vocab.predicates().map(|p| (p.id.as_str(), p.causal_sign())).collect()
}

/// The hop network, its forward and backward adjacency and the per-hop
/// "asserted" flags, from resolved claim endpoints (both constructors share it).
fn hop_structures(
    n: usize,
    claim_ends: &[ClaimEnds],
) -> (DiGraph<EntityIx, Hop, u32>, Adjacency, Adjacency, Vec<bool>) {
    let Hops { ends, claims, asserted } = group_hops(n, claim_ends);
    let out_links = Adjacency::new(n, &ends);
    let reversed: Vec<(EntityIx, EntityIx)> = ends.iter().map(|&(s, o)| (o, s)).collect();
    let in_links = Adjacency::new(n, &reversed);
    (hop_network(n, &ends, claims), out_links, in_links, asserted)
}

impl<'g> Index<'g> {
    /// Build the index from ids already resolved (a compiled snapshot's),
    /// skipping the hash lookups of [`Index::new`]; same index. Resolutions
    /// that do not [fit](Resolved::fits) the graph are ignored and the index
    /// is built by hashing.
    pub fn from_resolved(graph: &'g Graph, resolved: Resolved) -> Index<'g> {
        if !resolved.fits(graph) {
            return Index::new(graph);
        }
        let vocab = graph.vocabulary();
        let n = graph.entities.len();
        let claim_ends = resolved.claim_ends(graph);
        let ((entity_ids, reference_ids, facts), (net, out_links, in_links, hop_asserted)) =
            std::thread::scope(|scope| {
                // Facts and the id tables on one side, the hops on the other.
                let side = scope.spawn(|| {
                    let signs = causal_signs(&vocab);
                    (entity_ids(graph), reference_ids(graph), claim_facts(&graph.claims, &signs))
                });
                let hops = hop_structures(n, &claim_ends);
                (side.join().expect("claim facts do not panic"), hops)
            });
        let Resolved { claim_refs, claim_ref_start, .. } = resolved;
        Index {
            graph,
            vocab,
            facts,
            net,
            entity_ids,
            reference_ids,
            claim_ids: OnceCell::new(),
            claim_refs,
            claim_ref_start,
            out_links,
            in_links,
            hop_asserted,
        }
    }

    /// Build the index. Claims whose endpoints do not exist are skipped, so
    /// only build from a graph that `check` found free of errors.
    pub fn new(graph: &'g Graph) -> Index<'g> {
        let entity_ids = entity_ids(graph);
        let reference_ids = reference_ids(graph);
        let vocab = graph.vocabulary();
        let causal_signs = causal_signs(&vocab);
        let n = graph.entities.len();
        let (net, out_links, in_links, hop_asserted, facts, (claim_refs, claim_ref_start)) =
            std::thread::scope(|scope| {
                // Resolve the claims' endpoints in two halves side by side,
                // then build the reference lists beside the hops.
                let (lower, upper) = graph.claims.split_at(graph.claims.len() / 2);
                let upper = scope.spawn(|| claim_ends(upper, &entity_ids, &causal_signs));
                let (mut claim_ends, mut facts) = claim_ends(lower, &entity_ids, &causal_signs);
                let (upper_ends, upper_facts) = upper.join().expect("resolving endpoints does not panic");
                claim_ends.extend(upper_ends);
                facts.extend(upper_facts);
                let refs = scope.spawn(|| claim_references(graph, &reference_ids));
                let (net, out_links, in_links, asserted) = hop_structures(n, &claim_ends);
                (
                    net,
                    out_links,
                    in_links,
                    asserted,
                    facts,
                    refs.join().expect("building reference lists does not panic"),
                )
            });
        Index {
            graph,
            vocab,
            facts,
            net,
            entity_ids,
            reference_ids,
            claim_ids: OnceCell::new(),
            claim_refs,
            claim_ref_start,
            out_links,
            in_links,
            hop_asserted,
        }
    }

    /// How many hops (petgraph edges) there are.
    pub fn hop_count(&self) -> usize {
        self.hop_asserted.len()
    }

    /// A hop by number (its petgraph edge index).
    pub fn hop(&self, hop: u32) -> &Hop {
        &self.net[EdgeIndex::new(hop as usize)]
    }

    /// Whether some claim on the hop is not negated.
    pub fn hop_asserted(&self, hop: u32) -> bool {
        self.hop_asserted[hop as usize]
    }

    /// The hops whose subject is `e`: (object, hop), as one contiguous slice.
    pub fn out_links(&self, e: EntityIx) -> &[Link] {
        self.out_links.of(e)
    }

    /// The hops whose object is `e`: (subject, hop), as one contiguous slice.
    pub fn in_links(&self, e: EntityIx) -> &[Link] {
        self.in_links.of(e)
    }

    pub fn entity(&self, ix: EntityIx) -> &'g Entity {
        &self.graph.entities[ix as usize]
    }

    pub fn claim(&self, ix: ClaimIx) -> &'g Claim {
        &self.graph.claims[ix as usize]
    }

    pub fn reference(&self, ix: RefIx) -> &'g Reference {
        &self.graph.references[ix as usize]
    }

    pub fn entity_ix(&self, id: &str) -> Option<EntityIx> {
        self.entity_ids.get(id).copied()
    }

    pub fn claim_ix(&self, id: &str) -> Option<ClaimIx> {
        let ids = self.claim_ids.get_or_init(|| {
            self.graph.claims.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as ClaimIx)).collect()
        });
        ids.get(id).copied()
    }

    pub fn reference_ix(&self, id: &str) -> Option<RefIx> {
        self.reference_ids.get(id).copied()
    }

    /// The references a claim cites, deduplicated, in evidence order.
    pub fn claim_refs(&self, ix: ClaimIx) -> &[RefIx] {
        let i = ix as usize;
        &self.claim_refs[self.claim_ref_start[i] as usize..self.claim_ref_start[i + 1] as usize]
    }

    /// The predicate definition of a claim (present for checked graphs).
    pub fn predicate(&self, ix: ClaimIx) -> Option<&PredicateDef> {
        self.vocab.predicate(&self.claim(ix).predicate)
    }

    /// The sign a claim gives a path: its predicate's sign if causal, else
    /// `Sign::None` (also for a predicate the vocabulary lacks).
    pub fn causal_sign(&self, ix: ClaimIx) -> Sign {
        self.facts[ix as usize].sign
    }

    /// What `trace` weighs a claim by, without touching the claim.
    pub fn claim_facts(&self, ix: ClaimIx) -> ClaimFacts {
        self.facts[ix as usize]
    }

    /// Claims whose subject is `e`, grouped by hop.
    pub fn outgoing(&self, e: EntityIx) -> impl Iterator<Item = (EntityIx, &Hop)> + '_ {
        let net = &self.net;
        self.out_links(e).iter().map(move |l| (l.entity, &net[EdgeIndex::new(l.hop as usize)]))
    }

    /// Claims whose object is `e`, grouped by hop.
    pub fn incoming(&self, e: EntityIx) -> impl Iterator<Item = (EntityIx, &Hop)> + '_ {
        let net = &self.net;
        self.in_links(e).iter().map(move |l| (l.entity, &net[EdgeIndex::new(l.hop as usize)]))
    }

    /// Find an entity by id, name or alias, case-insensitively.
    ///
    /// An exact id wins outright; otherwise every entity whose id, name or an
    /// alias equals the query (ignoring case) is a candidate, and more than one
    /// candidate is an error listing them.
    pub fn resolve(&self, query: &str) -> Result<EntityIx, ResolveError> {
        if let Some(ix) = self.entity_ix(query) {
            return Ok(ix);
        }
        let q = query.trim().to_lowercase();
        let matches: Vec<EntityIx> = (0..self.graph.entities.len() as EntityIx)
            .filter(|&i| {
                let e = self.entity(i);
                e.id.to_lowercase() == q
                    || e.name.to_lowercase() == q
                    || e.aliases.iter().any(|a| a.to_lowercase() == q)
            })
            .collect();
        let describe = |i: &EntityIx| (self.entity(*i).id.clone(), self.entity(*i).name.clone());
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(ResolveError::NotFound { query: query.to_string(), suggestions: self.suggest(query) }),
            many => Err(ResolveError::Ambiguous {
                query: query.to_string(),
                candidates: many.iter().map(describe).collect(),
            }),
        }
    }

    /// Entities whose id, name or alias is close to `query`.
    fn suggest(&self, query: &str) -> Vec<(String, String)> {
        let labels: Vec<(&str, EntityIx)> = self
            .graph
            .entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                [e.id.as_str(), e.name.as_str()]
                    .into_iter()
                    .chain(e.aliases.iter().map(String::as_str))
                    .map(move |l| (l, i as EntityIx))
            })
            .collect();
        let mut out: Vec<(String, String)> = Vec::new();
        for label in closest(query, labels.iter().map(|(l, _)| *l), 8) {
            let (_, ix) = labels.iter().find(|(l, _)| *l == label).expect("label came from the list");
            let e = self.entity(*ix);
            if !out.iter().any(|(id, _)| id == &e.id) && out.len() < 3 {
                out.push((e.id.clone(), e.name.clone()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Params};
    use petgraph::visit::EdgeRef;
    use petgraph::Direction::{Incoming, Outgoing};

    /// The hop network as first written: claims added one at a time, a hash
    /// map from (subject, object) to edge. The sorted build must match it.
    fn claim_by_claim(graph: &Graph) -> DiGraph<EntityIx, Hop, u32> {
        let ids: HashMap<&str, EntityIx> =
            graph.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i as EntityIx)).collect();
        let mut net = DiGraph::new();
        for i in 0..graph.entities.len() {
            net.add_node(i as EntityIx);
        }
        let mut hops: HashMap<(EntityIx, EntityIx), EdgeIndex> = HashMap::default();
        for (ci, c) in graph.claims.iter().enumerate() {
            let (Some(&s), Some(&o)) = (ids.get(c.subject.as_str()), ids.get(c.object.as_str())) else {
                continue;
            };
            let edge = *hops.entry((s, o)).or_insert_with(|| {
                net.add_edge(NodeIndex::new(s as usize), NodeIndex::new(o as usize), Hop::default())
            });
            net[edge].claims.push(ci as ClaimIx);
        }
        net
    }

    fn sample() -> Graph {
        let mut graph = generate(Params::new(3000, 300, 7));
        // A dangling claim is skipped, not a panic.
        graph.claims[10].object = "no-such-entity".into();
        graph.claims[11].negated = true;
        graph
    }

    #[test]
    fn sorted_build_matches_claim_by_claim_build() {
        let graph = sample();
        let index = Index::new(&graph);
        let expected = claim_by_claim(&graph);
        assert_eq!(index.hop_count(), expected.edge_count());
        for e in expected.edge_indices() {
            let (s, o) = expected.edge_endpoints(e).unwrap();
            assert_eq!(index.net.edge_endpoints(e), Some((s, o)));
            assert_eq!(index.hop(e.index() as u32).claims, expected[e].claims);
            let asserted = expected[e].claims.iter().any(|&c| !graph.claims[c as usize].negated);
            assert_eq!(index.hop_asserted(e.index() as u32), asserted);
        }
    }

    #[test]
    fn claim_facts_match_the_claims() {
        let mut graph = sample();
        graph.claims[12].certainty = Some("contested".into());
        graph.claims[13].predicate = "not-a-predicate".into();
        let index = Index::new(&graph);
        let vocab = graph.vocabulary();
        for (i, c) in graph.claims.iter().enumerate() {
            let facts = index.claim_facts(i as ClaimIx);
            assert_eq!(facts.negated, c.negated);
            assert_eq!(facts.sign, vocab.predicate(&c.predicate).map_or(Sign::None, |p| p.causal_sign()));
            assert_eq!(facts.best, c.best_level());
            assert_eq!(facts.contested, c.certainty() == Some(Certainty::Contested));
        }
        let facts = |i: ClaimIx| index.claim_facts(i);
        assert!(facts(11).negated && facts(12).contested && facts(13).sign == Sign::None);
        assert!(
            (0..3000).any(|i| facts(i).sign == Sign::Plus) && (0..3000).any(|i| facts(i).sign == Sign::Minus)
        );
    }

    /// Everything an index answers, for comparing two builds.
    fn answers(index: &Index) -> impl PartialEq + std::fmt::Debug {
        let graph = index.graph;
        type HopAnswer = (Option<(NodeIndex, NodeIndex)>, Vec<ClaimIx>, bool);
        let hops: Vec<HopAnswer> = (0..index.hop_count() as u32)
            .map(|h| {
                let edge = EdgeIndex::new(h as usize);
                (index.net.edge_endpoints(edge), index.hop(h).claims.clone(), index.hop_asserted(h))
            })
            .collect();
        let per_entity: Vec<(Vec<Link>, Vec<Link>, Option<EntityIx>)> = (0..graph.entities.len() as EntityIx)
            .map(|v| {
                let id = &graph.entities[v as usize].id;
                (index.out_links(v).to_vec(), index.in_links(v).to_vec(), index.entity_ix(id))
            })
            .collect();
        let per_claim: Vec<(Vec<RefIx>, ClaimFacts)> = (0..graph.claims.len() as ClaimIx)
            .map(|c| (index.claim_refs(c).to_vec(), index.claim_facts(c)))
            .collect();
        let refs: Vec<Option<RefIx>> = graph.references.iter().map(|r| index.reference_ix(&r.id)).collect();
        (hops, per_entity, per_claim, refs)
    }

    #[test]
    fn an_index_from_resolved_ids_equals_one_built_by_hashing() {
        let graph = sample();
        let resolved = Resolved::new(&graph);
        assert!(resolved.fits(&graph));
        assert_eq!(resolved.ends[10].1, Resolved::MISSING, "the dangling claim");
        let hashed = Index::new(&graph);
        assert_eq!(answers(&Index::from_resolved(&graph, resolved.clone())), answers(&hashed));
        // Resolutions that do not fit are ignored, not trusted.
        let mut wrong = resolved;
        wrong.ends[0].0 = graph.entities.len() as EntityIx;
        assert!(!wrong.fits(&graph));
        assert_eq!(answers(&Index::from_resolved(&graph, wrong)), answers(&hashed));
    }

    #[test]
    fn links_list_hops_in_petgraph_order() {
        let graph = sample();
        let index = Index::new(&graph);
        let mut links = 0;
        for v in 0..graph.entities.len() as EntityIx {
            let node = NodeIndex::new(v as usize);
            let out: Vec<Link> = index
                .net
                .edges_directed(node, Outgoing)
                .map(|e| Link { entity: e.target().index() as EntityIx, hop: e.id().index() as u32 })
                .collect();
            let inc: Vec<Link> = index
                .net
                .edges_directed(node, Incoming)
                .map(|e| Link { entity: e.source().index() as EntityIx, hop: e.id().index() as u32 })
                .collect();
            assert_eq!(index.out_links(v), out.as_slice());
            assert_eq!(index.in_links(v), inc.as_slice());
            links += out.len();
        }
        assert_eq!(links, index.hop_count());
        assert!(links > 1000, "the sample has hops to compare");
    }
}
