//! `trace`: the ranked simple paths from one entity to another.
//!
//! # Ranking without enumerating everything
//!
//! Paths rank by fewest hops, then the strongest weakest link, then more
//! distinct references, then the entity ids along the path. Because hop count
//! comes first, the search goes *layer by layer*: it finds every path of the
//! shortest possible length, then the next length, and stops as soon as it
//! holds more than `limit` paths — longer paths could only rank lower, so
//! they are never enumerated. Within one length it keeps the best `limit`
//! paths in a bounded heap.
//!
//! Each layer is a depth-first search pruned by `dist_to[v]`, the hop
//! distance from `v` to TO found by a breadth-first search backwards from TO
//! (over usable hops, avoiding `--avoid`): a branch is cut as soon as the
//! hops left cannot reach TO. The backward search is extended level by level
//! only as deep as the current layer needs (length − 2: past FROM every
//! entity has at most length − 1 hops left; FROM's own out-neighbours, one
//! level further, are resolved one by one), so when the shortest paths are
//! short the rest of the graph is never visited — on a hub-dominated graph
//! the level spared is most of it. The first layer's length, the shortest
//! distance, is found by a breadth-first search from both ends that grows
//! the cheaper side each step (the backward side is the same search, so the
//! layers reuse it); searching backwards alone until FROM is met would go one
//! level past what the first layer needs. Every `--via` selector gets a similar lower
//! bound (distance to TO through one of its entities), so paths that cannot
//! pass through it are cut early too. Each entity's out-hops are sorted by
//! distance to TO, so the scan of a hub stops at the first hop that is too far,
//! and by evidence strength after that, so strong paths are met first; hops
//! too far for the hops left are not even looked up or sorted. Without a
//! filter a hop's summary (sign, best evidence) is one lookup in the index
//! ([`Index::hop_summary`]); with one it is worked out once per query.
//!
//! Once the best `limit` paths of a layer are held, a new path must beat
//! the worst of them: its weakest link, then its references and ids, are
//! compared before its contexts are looked at (the dearest part: they read
//! the claims' evidence), so most paths of a big layer never need them.
//! Once a layer has more paths than it keeps (the answer is truncated
//! anyway) and its worst kept path stays in context, a branch whose weakest
//! link so far is weaker than that path's is cut before it is extended: a
//! link only weakens a path (on the 1M-claim hub graph, 2–4 ms of 13–19).
//!
//! A work budget (`TraceOptions::work_budget`, counted in hops examined by the
//! depth-first search) guarantees an answer on any graph: when it runs out the
//! best paths found so far are returned with `truncated = true`.
//!
//! # Complexity
//!
//! With V' entities and E' hops within L − 2 hops of TO (backwards), where
//! L ≤ `max_hops` is the longest layer searched, the backward search costs
//! O(V' + E'); each `--via` selector adds a full backward search to
//! `max_hops`. The
//! layered search then costs O(k · P · h) for P partial paths that can still
//! reach TO in time, h ≤ `max_hops` the layer length and k ≤ h layers, and
//! never more than the work budget; ranking costs O(log limit) per path found.
//! Memory is O(V + E') for the distance arrays and per-query hop caches.

use super::context::{self, ContextChange, HopContext};
use super::hop::{add_references, carrying, summarize, usable, HopSummary};
use super::{ClaimFilter, PathHop, QueryError, Selector, TraceOptions};
use crate::finding::did_you_mean;
use crate::index::{ClaimIx, EntityIx, Index, Link, RefIx};
use crate::model::{Sign, StudyLevel};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

/// The answer to `trace`: the best paths, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceResult {
    pub from: EntityIx,
    pub to: EntityIx,
    pub max_hops: usize,
    pub paths: Vec<TracePath>,
    /// More paths matched than were returned, or the work budget ran out.
    pub truncated: bool,
    /// The hop FROM → TO itself, when a claim (passing the filters) makes it.
    pub direct: Option<PathHop>,
}

/// One path, hop by hop, with what it adds up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracePath {
    pub hops: Vec<PathHop>,
    /// Product of the hop signs; `Sign::None` (an associative path) when any
    /// hop is unsigned, correlative or structural.
    pub sign: Sign,
    /// The weakest hop's best evidence: a chain is as strong as its weakest link.
    pub weakest: Option<StudyLevel>,
    /// Distinct references cited by the carrying claims.
    pub reference_count: usize,
    /// Those references, in order of first citation along the path.
    pub references: Vec<RefIx>,
    /// Where the path moves between incompatible contexts (see [`context`]).
    pub context_changes: Vec<ContextChange>,
    /// Some hop is contested.
    pub contested: bool,
}

impl TracePath {
    /// The entities along the path, FROM first.
    pub fn entities(&self) -> Vec<EntityIx> {
        let mut out = vec![self.hops[0].subject];
        out.extend(self.hops.iter().map(|h| h.object));
        out
    }

    /// No net sign: some hop says "associated", not "causes".
    pub fn is_associative(&self) -> bool {
        self.sign == Sign::None
    }

    /// The path moves between incompatible species, tissues or conditions.
    pub fn crosses_context(&self) -> bool {
        !self.context_changes.is_empty()
    }

    /// The hop whose best evidence is the path's weakest (the first such).
    pub fn weakest_hop(&self) -> usize {
        self.hops.iter().position(|h| h.best_evidence == self.weakest).unwrap_or(0)
    }

    /// Every conflicting claim with the index of the hop it contradicts.
    pub fn conflicts(&self) -> impl Iterator<Item = (usize, ClaimIx)> + '_ {
        self.hops.iter().enumerate().flat_map(|(i, h)| h.conflicts.iter().map(move |&c| (i, c)))
    }
}

/// Find the best simple paths from `from` to `to`.
///
/// # Arguments
/// - `from`, `to`: distinct entities (see [`crate::index::Index::resolve`]).
/// - `opts`: filters, `max_hops`, `limit` and the work budget.
///
/// # Returns
/// At most `opts.limit` paths ranked by fewest hops, strongest weakest link,
/// most distinct references, then entity ids; `truncated` when more exist or
/// the budget ran out. Invalid options (an unknown `--via`, a misspelt
/// predicate, FROM = TO) are a [`QueryError`].
///
/// # Complexity
/// See the module documentation: linear in the part of the graph within
/// `max_hops` of TO, then output-sensitive and bounded by the work budget.
///
/// # Example
/// ```
/// use claimgraph::{index::Index, query::{trace, TraceOptions}};
/// let graph = claimgraph::load::parse(claimgraph::DEFAULT_GRAPH).unwrap();
/// let index = Index::new(&graph);
/// let (zinc, alp) = (index.resolve("zinc").unwrap(), index.resolve("alp").unwrap());
/// let result = trace(&index, zinc, alp, &TraceOptions::default()).unwrap();
/// assert_eq!(result.paths[0].hops.len(), 1);
/// ```
pub fn trace(
    index: &Index,
    from: EntityIx,
    to: EntityIx,
    opts: &TraceOptions,
) -> Result<TraceResult, QueryError> {
    Ok(trace_run(index, from, to, opts)?.into_result())
}

/// [`trace`] without expanding the paths: the ranked paths as entity and hop
/// numbers (a few dozen bytes each), expanded one at a time by
/// [`TraceRun::path`]. Reports stream from it, so a huge `limit` costs the
/// kept numbers, not every expanded path at once.
pub fn trace_run<'i, 'g>(
    index: &'i Index<'g>,
    from: EntityIx,
    to: EntityIx,
    opts: &TraceOptions,
) -> Result<TraceRun<'i, 'g>, QueryError> {
    let plan = Plan::new(index, from, to, opts)?;
    let mut search = Search::new(index, &plan);
    let (mut candidates, truncated) = search.run();
    // Context-consistent paths first, each group in rank order.
    candidates.sort_by_key(|c| c.key.1);
    let found =
        candidates.into_iter().map(|c| Found { crosses: c.key.1, nodes: c.nodes, edges: c.edges }).collect();
    let direct = direct_hop(index, from, to, &plan.filter);
    Ok(TraceRun { index, from, to, max_hops: opts.max_hops, truncated, filter: plan.filter, found, direct })
}

/// The ranked paths of a trace, not yet expanded.
pub struct TraceRun<'i, 'g> {
    index: &'i Index<'g>,
    pub from: EntityIx,
    pub to: EntityIx,
    pub max_hops: usize,
    pub truncated: bool,
    filter: ClaimFilter,
    found: Vec<Found>,
    pub direct: Option<PathHop>,
}

/// A kept path: its entities and hops by number.
struct Found {
    crosses: bool,
    nodes: Box<[EntityIx]>,
    edges: Box<[u32]>,
}

impl TraceRun<'_, '_> {
    /// How many paths were kept.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Path `i`, expanded into hops with claims, conflicts and contexts.
    pub fn path(&self, i: usize) -> TracePath {
        let f = &self.found[i];
        let path = build_path(self.index, &self.filter, &f.nodes, &f.edges);
        let unreadable = path.hops.iter().any(|h| h.claims.is_empty());
        debug_assert!(unreadable || path.crosses_context() == f.crosses);
        path
    }

    /// Every path expanded, at once.
    pub fn into_result(self) -> TraceResult {
        let paths = (0..self.len()).map(|i| self.path(i)).collect();
        TraceResult {
            from: self.from,
            to: self.to,
            max_hops: self.max_hops,
            paths,
            truncated: self.truncated,
            direct: self.direct,
        }
    }
}

/// What a report reads a trace from: every path expanded ([`TraceResult`]) or
/// expanded on demand ([`TraceRun`]).
pub trait PathSource {
    fn from(&self) -> EntityIx;
    fn to(&self) -> EntityIx;
    fn max_hops(&self) -> usize;
    fn truncated(&self) -> bool;
    fn direct(&self) -> Option<&PathHop>;
    fn len(&self) -> usize;
    fn path(&self, i: usize) -> Cow<'_, TracePath>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PathSource for TraceResult {
    fn from(&self) -> EntityIx {
        self.from
    }
    fn to(&self) -> EntityIx {
        self.to
    }
    fn max_hops(&self) -> usize {
        self.max_hops
    }
    fn truncated(&self) -> bool {
        self.truncated
    }
    fn direct(&self) -> Option<&PathHop> {
        self.direct.as_ref()
    }
    fn len(&self) -> usize {
        self.paths.len()
    }
    fn path(&self, i: usize) -> Cow<'_, TracePath> {
        Cow::Borrowed(&self.paths[i])
    }
}

impl PathSource for TraceRun<'_, '_> {
    fn from(&self) -> EntityIx {
        self.from
    }
    fn to(&self) -> EntityIx {
        self.to
    }
    fn max_hops(&self) -> usize {
        self.max_hops
    }
    fn truncated(&self) -> bool {
        self.truncated
    }
    fn direct(&self) -> Option<&PathHop> {
        self.direct.as_ref()
    }
    fn len(&self) -> usize {
        self.found.len()
    }
    fn path(&self, i: usize) -> Cow<'_, TracePath> {
        Cow::Owned(TraceRun::path(self, i))
    }
}

/// The hop FROM → TO, when some claim passing the filter makes it.
fn direct_hop(index: &Index, from: EntityIx, to: EntityIx, filter: &ClaimFilter) -> Option<PathHop> {
    let link = index.out_links(from).iter().find(|l| l.entity == to)?;
    PathHop::evaluate(index, from, to, index.hop(link.hop), filter)
}

/// The options, checked and resolved.
struct Plan {
    from: EntityIx,
    to: EntityIx,
    max_hops: u32,
    limit: usize,
    budget: u64,
    filter: ClaimFilter,
    via: Vec<Selector>,
    avoid: Vec<Selector>,
    sign: Option<Sign>,
    same_context: bool,
}

impl Plan {
    fn new(index: &Index, from: EntityIx, to: EntityIx, opts: &TraceOptions) -> Result<Plan, QueryError> {
        if from == to {
            return Err(QueryError::SameEndpoints(index.entity(from).id.to_string()));
        }
        if opts.max_hops == 0 {
            return Err(QueryError::NoHops);
        }
        for p in &opts.predicates {
            if index.vocab.predicate(p).is_none() {
                return Err(QueryError::UnknownPredicate {
                    predicate: p.clone(),
                    help: did_you_mean(p, index.vocab.predicate_ids()),
                });
            }
        }
        let selectors = |role: &'static str, queries: &[String]| -> Result<Vec<Selector>, QueryError> {
            queries
                .iter()
                .map(|q| match Selector::resolve(index, role, q)? {
                    Selector::Entity(e) if e == from || e == to => {
                        Err(QueryError::SelectorIsEndpoint { role, query: q.clone() })
                    }
                    s => Ok(s),
                })
                .collect()
        };
        let min_evidence = match &opts.min_evidence {
            None => None,
            Some(study) => Some(index.vocab.study(study).ok_or_else(|| {
                QueryError::UnknownStudy {
                    study: study.clone(),
                    help: did_you_mean(study, index.vocab.study_ids())
                        .or_else(|| Some(format!("one of: {}", index.vocab.study_ids().join(", ")))),
                }
            })?),
        };
        let via = selectors("--via", &opts.via)?;
        if via.len() > 64 {
            return Err(QueryError::TooManyVia);
        }
        Ok(Plan {
            from,
            to,
            max_hops: opts.max_hops.min(u32::MAX as usize - 1) as u32,
            limit: opts.limit,
            budget: opts.work_budget,
            filter: ClaimFilter {
                predicates: opts.predicates.clone(),
                min_evidence,
                species: opts.species.clone(),
                exclude_contested: opts.exclude_contested,
            },
            via,
            avoid: selectors("--avoid", &opts.avoid)?,
            sign: opts.sign,
            same_context: opts.same_context,
        })
    }
}

const FAR: u32 = u32::MAX;

/// A usable hop out of an entity, with what the search needs to know.
#[derive(Debug, Clone, Copy)]
struct Arc {
    to: EntityIx,
    edge: u32,
    dist: u32,
    summary: HopSummary,
}

/// How a path ranks; smaller is better: length, crossing contexts, weakest
/// link, references, ids.
type RankKey<'g> = (usize, bool, Reverse<Option<StudyLevel>>, Reverse<usize>, Box<[&'g str]>);

/// A path found by the search, not yet expanded into hops.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate<'g> {
    /// Smaller is better: length, crossing contexts, weakest link,
    /// references, ids.
    key: RankKey<'g>,
    nodes: Box<[EntityIx]>,
    edges: Box<[u32]>,
}

/// Why a layer's depth-first search stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The work budget is spent.
    Budget,
    /// The caller only wanted to know whether one more path exists.
    Found,
}

struct Search<'a, 'g> {
    index: &'a Index<'g>,
    plan: &'a Plan,
    /// Per hop: 0 not yet known, 1 usable, 2 not usable (empty when no
    /// filter is set: then the index knows which hops are usable).
    usable: Vec<u8>,
    /// Per hop met by the depth-first search: its hop summary.
    hop_cache: HashMap<u32, Option<HopSummary>>,
    backward: Backward,
    /// Per `--via` selector: fewest hops from an entity to TO through it.
    via_dist: Vec<Vec<u32>>,
    /// Out-hops per entity, sorted, built when the search first visits it.
    arcs: Vec<Arc>,
    /// Per entity: its arcs' range in `arcs`, and the `left` they were built for.
    arc_range: HashMap<EntityIx, (u32, u32, u32)>,
    /// What the arcs were built for: the state of `backward` they were
    /// sorted by (depth, run dry) and the layer's length.
    arcs_key: Option<(u32, bool, usize)>,
    on_path: Vec<bool>,
    nodes: Vec<EntityIx>,
    edges: Vec<u32>,
    summaries: Vec<HopSummary>,
    /// Per hop met on a path that reached TO: its context, by number.
    context_of: HashMap<u32, u32>,
    contexts: Vec<HopContext>,
    work: u64,
}

/// Hop distances to TO from a backward breadth-first search extended one
/// level at a time, only as deep as the current layer needs: when the
/// shortest paths are short, the far side of a small-world graph is never
/// touched.
struct Backward {
    dist: Vec<u32>,
    /// Entities at distance `depth`, not yet expanded.
    frontier: Vec<EntityIx>,
    /// Every entity within `depth` hops of TO has its final distance.
    depth: u32,
}

impl Backward {
    fn new(entities: usize, to: EntityIx) -> Backward {
        let mut dist = vec![FAR; entities];
        dist[to as usize] = 0;
        Backward { dist, frontier: vec![to], depth: 0 }
    }

    /// A lower bound on the hops from `v` to TO: exact within `depth`,
    /// `depth + 1` beyond it, `FAR` once the search has run dry.
    fn bound(&self, v: EntityIx) -> u32 {
        match self.dist[v as usize] {
            FAR if self.frontier.is_empty() => FAR,
            FAR => self.depth + 1,
            d => d,
        }
    }
}

/// Hop counts from FROM, for [`Search::shortest_length`]; thrown away once
/// the shortest length is known (the layers search from FROM themselves).
///
/// The forward side grows only while it is the cheaper one, so it stays
/// small: a hash map holds the hop counts, and a bit per entity says whether
/// it was reached, so the backward side's lookups (one per entity it
/// reaches, nearly all misses) hash nothing. (A count per entity, 800 KB at
/// 200,000 entities, was fresh memory that cost a 1.5 ms query 0.9 ms.)
struct Forward {
    reached: Vec<u64>,
    hops: HashMap<EntityIx, u32>,
    /// Entities at distance `depth`, not yet expanded.
    frontier: Vec<EntityIx>,
    depth: u32,
}

impl Forward {
    fn new(entities: usize, from: EntityIx) -> Forward {
        let mut forward = Forward {
            reached: vec![0; entities.div_ceil(64)],
            hops: HashMap::new(),
            frontier: vec![from],
            depth: 0,
        };
        forward.reach(from, 0);
        forward
    }

    fn reach(&mut self, v: EntityIx, hops: u32) {
        self.reached[v as usize / 64] |= 1 << (v % 64);
        self.hops.insert(v, hops);
    }

    fn hops(&self, v: EntityIx) -> Option<u32> {
        if self.reached[v as usize / 64] & (1 << (v % 64)) == 0 {
            return None;
        }
        self.hops.get(&v).copied()
    }
}

/// The best paths of one length, worst on top.
struct Layer<'g> {
    length: usize,
    capacity: usize,
    found: usize,
    best: BinaryHeap<Candidate<'g>>,
}

impl Layer<'_> {
    /// Whether a path whose weakest link is `weakest` ranks below the worst
    /// kept path whatever else it has: true when that path stays in context
    /// (a consistent path ranks above every crossing one, whatever its
    /// links) and has a stronger weakest link. Decided before the contexts
    /// are looked at.
    fn worst_outranks(&self, weakest: Option<StudyLevel>) -> bool {
        self.best.peek().is_some_and(|worst| !worst.key.1 && Reverse(weakest) > worst.key.2)
    }

    /// Whether a branch whose weakest link so far is `weakest` can be cut:
    /// a link only weakens a path, so none through it could be kept. Only
    /// once the layer has overflowed (a path beyond `capacity` was met, so
    /// the answer is truncated whatever the cut branch held).
    fn can_cut(&self, weakest: Option<StudyLevel>) -> bool {
        self.found > self.capacity && self.worst_outranks(weakest)
    }
}

impl<'a, 'g> Search<'a, 'g> {
    fn new(index: &'a Index<'g>, plan: &'a Plan) -> Search<'a, 'g> {
        let n = index.entity_count();
        Search {
            index,
            plan,
            usable: if plan.filter.is_empty() { Vec::new() } else { vec![0; index.hop_count()] },
            hop_cache: HashMap::new(),
            backward: Backward::new(n, plan.to),
            via_dist: Vec::new(),
            arcs: Vec::new(),
            arc_range: HashMap::new(),
            arcs_key: None,
            on_path: vec![false; n],
            nodes: Vec::new(),
            edges: Vec::new(),
            summaries: Vec::new(),
            context_of: HashMap::new(),
            contexts: Vec::new(),
            work: 0,
        }
    }

    /// Layer by layer, shortest first; returns the ranked candidates and
    /// whether the answer is truncated.
    fn run(&mut self) -> (Vec<Candidate<'g>>, bool) {
        let (from, max) = (self.plan.from, self.plan.max_hops);
        let start = if self.plan.via.is_empty() {
            self.shortest_length()
        } else {
            // The bounds through a --via entity need every distance.
            self.extend_backward(max);
            self.via_dist = (0..self.plan.via.len()).map(|j| self.via_distances(j)).collect();
            self.lower_bound(from, self.member_mask(from))
        };
        let mut kept: Vec<Candidate<'g>> = Vec::new();
        let mut found = 0usize;
        if start == FAR {
            return (kept, false);
        }
        for length in start as usize..=max as usize {
            // Exact distances within length − 2 hops of TO bound every
            // entity past FROM; FROM's own out-hops one level further are
            // resolved one by one (`dist_past_from`), sparing the last level
            // of the backward search, on a hub-dominated graph nearly all of it.
            self.extend_backward(length.saturating_sub(2) as u32);
            let key = (self.backward.depth, self.backward.frontier.is_empty(), length);
            if self.arcs_key != Some(key) {
                // New distances: the sorted arcs are stale.
                self.arcs.clear();
                self.arc_range.clear();
                self.arcs_key = Some(key);
            }
            let mut layer = Layer {
                length,
                capacity: self.plan.limit.saturating_sub(kept.len()),
                found: 0,
                best: BinaryHeap::new(),
            };
            self.on_path[from as usize] = true;
            self.nodes.push(from);
            let stop = self.dfs(from, self.member_mask(from), &mut layer);
            self.nodes.clear();
            self.on_path[from as usize] = false;
            found += layer.found;
            kept.extend(layer.best.into_sorted_vec());
            if stop == Some(Stop::Budget) {
                return (kept, true);
            }
            if found > self.plan.limit {
                return (kept, true);
            }
        }
        (kept, false)
    }

    /// The fewest hops of a path FROM → TO, `FAR` when there is none within
    /// `max_hops`: a breadth-first search from both ends, each step growing
    /// the side whose next level has fewer links to scan.
    ///
    /// The backward side is `self.backward`, whose levels the layers reuse.
    /// Searching backwards alone until FROM is reached would cost a level
    /// more than the first layer needs (it needs length − 2), and near a hub
    /// that level is most of the graph: on the 1M-claim hub-shaped graph,
    /// 145,000 entities reached for a 4-hop answer the layers bound with
    /// 29,000. (A path of length ≤ a + b has an entity within a hops of FROM
    /// and b of TO, so once a meeting that short is seen it is the shortest.)
    fn shortest_length(&mut self) -> u32 {
        let mut forward = Forward::new(self.index.entity_count(), self.plan.from);
        let mut best = FAR;
        loop {
            let (a, b) = (forward.depth, self.backward.depth);
            if best <= a + b {
                return best;
            }
            // A side run dry has seen every entity of every path; past
            // `max_hops` no path counts.
            if a + b >= self.plan.max_hops || forward.frontier.is_empty() || self.backward.frontier.is_empty()
            {
                return if best <= self.plan.max_hops { best } else { FAR };
            }
            if self.forward_cost(&forward) < self.backward_cost() {
                self.extend_forward(&mut forward);
                for &w in &forward.frontier {
                    if self.backward.dist[w as usize] != FAR {
                        best = best.min(forward.depth + self.backward.dist[w as usize]);
                    }
                }
            } else {
                self.extend_backward(b + 1);
                for &u in &self.backward.frontier {
                    if let Some(hops) = forward.hops(u) {
                        best = best.min(hops + self.backward.depth);
                    }
                }
            }
        }
    }

    /// The links the next forward level would scan.
    fn forward_cost(&self, forward: &Forward) -> usize {
        forward.frontier.iter().map(|&v| self.index.out_links(v).len()).sum()
    }

    /// The links the next backward level would scan (FROM is never expanded).
    fn backward_cost(&self) -> usize {
        let from = self.plan.from;
        self.backward.frontier.iter().filter(|&&v| v != from).map(|&v| self.index.in_links(v).len()).sum()
    }

    /// One more level of `forward`, by the rules of the backward search
    /// mirrored: usable hops, never through TO (a path ends there) nor an
    /// avoided entity, FROM only at the start.
    fn extend_forward(&mut self, forward: &mut Forward) {
        let index = self.index;
        let mut next = Vec::new();
        for v in std::mem::take(&mut forward.frontier) {
            if v == self.plan.to {
                continue;
            }
            for &Link { entity: w, hop } in index.out_links(v) {
                if forward.hops(w).is_some() || self.avoided(w) || !self.is_usable(hop) {
                    continue;
                }
                forward.reach(w, forward.depth + 1);
                next.push(w);
            }
        }
        forward.frontier = next;
        forward.depth += 1;
    }

    /// Fewest hops from `v` to TO that could still satisfy every `--via`
    /// selector not yet in `mask`; `FAR` when none can.
    fn lower_bound(&self, v: EntityIx, mask: u64) -> u32 {
        let mut bound = self.backward.bound(v);
        for (j, dist) in self.via_dist.iter().enumerate() {
            if mask & (1 << j) == 0 {
                bound = bound.max(dist[v as usize]);
            }
        }
        bound
    }

    fn member_mask(&self, v: EntityIx) -> u64 {
        if v == self.plan.from || v == self.plan.to {
            return 0;
        }
        let mut mask = 0;
        for (j, s) in self.plan.via.iter().enumerate() {
            if s.matches(self.index, v) {
                mask |= 1 << j;
            }
        }
        mask
    }

    fn full_mask(&self) -> u64 {
        if self.plan.via.is_empty() {
            0
        } else {
            u64::MAX >> (64 - self.plan.via.len())
        }
    }

    fn avoided(&self, v: EntityIx) -> bool {
        v != self.plan.from && v != self.plan.to && self.plan.avoid.iter().any(|s| s.matches(self.index, v))
    }

    fn is_usable(&mut self, hop: u32) -> bool {
        if self.usable.is_empty() {
            // No filter: a hop is usable when some claim on it is not negated.
            return self.index.hop_asserted(hop);
        }
        let slot = &mut self.usable[hop as usize];
        if *slot == 0 {
            *slot = if usable(self.index, self.index.hop(hop), &self.plan.filter) { 1 } else { 2 };
        }
        *slot == 1
    }

    /// Multi-source backward search: `dist[v]` = min over seeds (s, d) of
    /// d + hops from v to s, up to `max_hops`, never through FROM (a path
    /// cannot pass it again) or TO, nor through avoided entities. A bucket
    /// queue, since seeds start at different distances.
    fn backward_distances(&mut self, seeds: &[(EntityIx, u32)]) -> Vec<u32> {
        let max = self.plan.max_hops;
        let mut dist = vec![FAR; self.index.entity_count()];
        let mut buckets: Vec<VecDeque<EntityIx>> = vec![VecDeque::new(); max as usize + 1];
        for &(s, d) in seeds {
            if d <= max && d < dist[s as usize] {
                dist[s as usize] = d;
                buckets[d as usize].push_back(s);
            }
        }
        for d in 0..=max {
            while let Some(v) = buckets[d as usize].pop_front() {
                if dist[v as usize] != d || v == self.plan.from || d == max {
                    continue;
                }
                let index = self.index;
                for &Link { entity: u, hop } in index.in_links(v) {
                    // Only FROM may sit at the full distance from TO.
                    let too_far = d + 1 == max && u != self.plan.from;
                    if dist[u as usize] <= d + 1 || too_far || u == self.plan.to || self.avoided(u) {
                        continue;
                    }
                    if self.is_usable(hop) {
                        dist[u as usize] = d + 1;
                        buckets[d as usize + 1].push_back(u);
                    }
                }
            }
        }
        dist
    }

    /// Distances to TO through an entity of `--via` selector `j`.
    fn via_distances(&mut self, j: usize) -> Vec<u32> {
        let dist = &self.backward.dist;
        let seeds: Vec<(EntityIx, u32)> = (0..self.index.entity_count() as EntityIx)
            .filter(|&v| {
                dist[v as usize] != FAR
                    && v != self.plan.from
                    && v != self.plan.to
                    && self.plan.via[j].matches(self.index, v)
            })
            .map(|v| (v, dist[v as usize]))
            .collect();
        self.backward_distances(&seeds)
    }

    /// The usable out-hops of `v` that can reach TO in fewer than `left`
    /// hops, nearest first, strongest next; built on the first visit while
    /// the distances and the layer stand, and again if a later visit has
    /// more hops left.
    ///
    /// The depth-first search stops scanning at the first arc with
    /// `dist >= left`, so farther arcs are left out: near a hub that spares
    /// summarizing (and sorting) thousands of hops no path through `v` at
    /// this depth could use. (A rebuilt list starts with the old one: the
    /// scan meets the arcs in the same order either way.)
    fn arcs_of(&mut self, v: EntityIx, left: u32) -> (u32, u32) {
        if let Some(&(start, end, reach)) = self.arc_range.get(&v) {
            if reach >= left {
                return (start, end);
            }
        }
        let index = self.index;
        let start = self.arcs.len() as u32;
        for &Link { entity: w, hop } in index.out_links(v) {
            let mut dist = self.backward.bound(w);
            if v == self.plan.from && dist == left - 1 && self.backward.dist[w as usize] == FAR {
                dist = self.dist_past_from(w);
            }
            if dist >= left || dist >= self.plan.max_hops || w == self.plan.from || self.avoided(w) {
                continue;
            }
            if let Some(summary) = self.summary(hop) {
                self.arcs.push(Arc { to: w, edge: hop, dist, summary });
            }
        }
        let end = self.arcs.len() as u32;
        self.arcs[start as usize..].sort_by_key(|a| (a.dist, Reverse(a.summary.best), a.to));
        self.arc_range.insert(v, (start, end, left));
        (start, end)
    }

    /// The distance to TO of `w`, an out-neighbour of FROM one level beyond
    /// the backward search: that level, worked out for `w` alone, by the
    /// rules of [`Search::extend_backward`]. (It is `depth + 1` or more; the
    /// layer only needs to know which.)
    fn dist_past_from(&mut self, w: EntityIx) -> u32 {
        let depth = self.backward.depth;
        let too_far = depth + 1 >= self.plan.max_hops;
        if too_far || w == self.plan.to || self.avoided(w) {
            return depth + 2;
        }
        let index = self.index;
        for &Link { entity: u, hop } in index.out_links(w) {
            if self.backward.dist[u as usize] == depth && u != self.plan.from && self.is_usable(hop) {
                return depth + 1;
            }
        }
        depth + 2
    }

    fn summary(&mut self, hop: u32) -> Option<HopSummary> {
        let (index, filter) = (self.index, &self.plan.filter);
        if filter.is_empty() {
            // Worked out when the index was built: one lookup.
            return index.hop_summary(hop);
        }
        *self.hop_cache.entry(hop).or_insert_with(|| summarize(index, index.hop(hop), filter))
    }

    /// Extend the backward search from TO until every entity within `depth`
    /// hops of it has its distance (or the search runs dry). Never through
    /// FROM (a path cannot pass it again) nor an avoided entity; only FROM
    /// may sit at the full `max_hops`.
    fn extend_backward(&mut self, depth: u32) {
        let index = self.index;
        while self.backward.depth < depth && !self.backward.frontier.is_empty() {
            let d = self.backward.depth;
            let mut next = Vec::new();
            for v in std::mem::take(&mut self.backward.frontier) {
                if v == self.plan.from {
                    continue;
                }
                for &Link { entity: u, hop } in index.in_links(v) {
                    let too_far = d + 1 >= self.plan.max_hops && u != self.plan.from;
                    if self.backward.dist[u as usize] != FAR || too_far || self.avoided(u) {
                        continue;
                    }
                    if self.is_usable(hop) {
                        self.backward.dist[u as usize] = d + 1;
                        next.push(u);
                    }
                }
            }
            self.backward.frontier = next;
            self.backward.depth = d + 1;
        }
    }

    /// Extend the path ending at `v` to exactly `layer.length` hops.
    fn dfs(&mut self, v: EntityIx, mask: u64, layer: &mut Layer<'g>) -> Option<Stop> {
        let depth = self.nodes.len() - 1;
        let left = (layer.length - depth) as u32;
        let (start, end) = self.arcs_of(v, left);
        let weakest_so_far = self.summaries.iter().map(|s| s.best).min();
        for i in start..end {
            let arc = self.arcs[i as usize];
            if arc.dist >= left {
                break;
            }
            self.work += 1;
            if self.work > self.plan.budget {
                return Some(Stop::Budget);
            }
            let w = arc.to;
            if self.on_path[w as usize] {
                continue;
            }
            let weakest = weakest_so_far.map_or(arc.summary.best, |so_far| so_far.min(arc.summary.best));
            if layer.can_cut(weakest) {
                continue;
            }
            let next_mask = mask | self.member_mask(w);
            if self.lower_bound(w, next_mask) >= left {
                continue;
            }
            self.edges.push(arc.edge);
            self.summaries.push(arc.summary);
            self.nodes.push(w);
            let stop = if w == self.plan.to {
                if left == 1 && next_mask == self.full_mask() {
                    self.emit(layer)
                } else {
                    None
                }
            } else {
                self.on_path[w as usize] = true;
                let stop = self.dfs(w, next_mask, layer);
                self.on_path[w as usize] = false;
                stop
            };
            self.nodes.pop();
            self.edges.pop();
            self.summaries.pop();
            if stop.is_some() {
                return stop;
            }
        }
        None
    }

    /// Whether the current path crosses contexts; each hop's context is
    /// worked out once per query, when a path through it first reaches TO.
    fn path_crosses(&mut self) -> bool {
        let (index, filter) = (self.index, &self.plan.filter);
        for (&e, s) in self.edges.iter().zip(&self.summaries) {
            if !self.context_of.contains_key(&e) {
                let claims = carrying(index, index.hop(e), filter, s.sign);
                self.context_of.insert(e, self.contexts.len() as u32);
                self.contexts.push(HopContext::of_claims(index, &claims));
            }
        }
        let contexts: Vec<&HopContext> =
            self.edges.iter().map(|e| &self.contexts[self.context_of[e] as usize]).collect();
        context::crosses(&index.vocab, &contexts)
    }

    /// Record the current path (it ends at TO with the layer's length).
    fn emit(&mut self, layer: &mut Layer<'g>) -> Option<Stop> {
        let sign = self.summaries.iter().fold(Sign::Plus, |acc, s| acc.compose(s.sign));
        if self.plan.sign.is_some_and(|want| want != sign) {
            return None;
        }
        let mut crosses = None;
        if self.plan.same_context {
            if self.path_crosses() {
                return None;
            }
            crosses = Some(false);
        }
        layer.found += 1;
        if layer.capacity == 0 {
            return Some(Stop::Found);
        }
        let weakest = self.summaries.iter().map(|s| s.best).min().flatten();
        let full = layer.best.len() == layer.capacity;
        if full && layer.worst_outranks(weakest) {
            return None;
        }
        let mut refs: Vec<RefIx> = Vec::new();
        for (&e, s) in self.edges.iter().zip(&self.summaries) {
            let hop = self.index.hop(e);
            add_references(self.index, hop, &self.plan.filter, s.sign, &mut refs);
        }
        let mut ids = None;
        if full {
            let worst = layer.best.peek().expect("capacity > 0");
            // Nor by a path that would rank below it even if consistent:
            // the references and ids decide most ties, and are cheaper
            // than contexts.
            if !worst.key.1 {
                let rank = (Reverse(weakest), Reverse(refs.len()));
                if rank > (worst.key.2, worst.key.3) {
                    return None;
                }
                if rank == (worst.key.2, worst.key.3) {
                    let path_ids = self.ids();
                    if path_ids > worst.key.4 {
                        return None;
                    }
                    ids = Some(path_ids);
                }
            }
        }
        let crosses = match crosses {
            Some(c) => c,
            None => self.path_crosses(),
        };
        if full {
            let worst = layer.best.peek().expect("capacity > 0");
            if (crosses, Reverse(weakest)) > (worst.key.1, worst.key.2) {
                return None;
            }
        }
        let ids = ids.unwrap_or_else(|| self.ids());
        layer.best.push(Candidate {
            key: (layer.length, crosses, Reverse(weakest), Reverse(refs.len()), ids),
            nodes: self.nodes.clone().into_boxed_slice(),
            edges: self.edges.clone().into_boxed_slice(),
        });
        if layer.best.len() > layer.capacity {
            layer.best.pop();
        }
        None
    }

    /// The entity ids along the current path, as paths rank by them.
    fn ids(&self) -> Box<[&'g str]> {
        self.nodes.iter().map(|&n| self.index.entity(n).id.as_str()).collect()
    }
}

/// Expand a kept path into hops with claims, conflicts and contexts.
fn build_path(index: &Index, filter: &ClaimFilter, nodes: &[EntityIx], edges: &[u32]) -> TracePath {
    let hops: Vec<PathHop> = edges
        .iter()
        .zip(nodes.windows(2))
        .map(|(&e, pair)| {
            let hop = index.hop(e);
            // Arcs are usable, so a hop fails to evaluate only when a
            // damaged snapshot answers empty; its owner then throws the
            // whole answer away.
            PathHop::evaluate(index, pair[0], pair[1], hop, filter)
                .unwrap_or_else(|| PathHop::unreadable(pair[0], pair[1]))
        })
        .collect();
    let mut references: Vec<RefIx> = Vec::new();
    for h in &hops {
        for r in h.references(index) {
            if !references.contains(&r) {
                references.push(r);
            }
        }
    }
    TracePath {
        sign: hops.iter().fold(Sign::Plus, |acc, h| acc.compose(h.sign)),
        weakest: hops.iter().map(|h| h.best_evidence).min().flatten(),
        reference_count: references.len(),
        references,
        context_changes: {
            let contexts: Vec<&HopContext> = hops.iter().map(|h| &h.context).collect();
            let objects: Vec<EntityIx> = hops.iter().map(|h| h.object).collect();
            context::context_changes(&index.vocab, &contexts, &objects)
        },
        contested: hops.iter().any(|h| h.contested),
        hops,
    }
}
