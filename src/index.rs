//! The queryable form of a graph: ids resolved to integer indices once, and
//! the hop network as flat arrays (see [`Tables`]), with a petgraph view of it
//! for petgraph's algorithms ([`Index::petgraph`]).
//!
//! An index reads its records and tables from the model in memory or from
//! any [`Store`]: a graph kept in another form that answers the same
//! questions in place (a compiled snapshot, [`crate::snapshot`], reads its
//! tables from a memory map and decodes only the records a query touches).
//! Every query works with both. The store is a trait defined here, so the
//! index depends on nothing above it: the snapshot implements it.
//!
//! A hop is an ordered entity pair (subject → object) with every claim between
//! them. Path queries walk hops, not claims, so five papers saying "zinc
//! activates ALP" make one step with five citations rather than five paths.

use crate::finding::closest;
use crate::model::{
    Certainty, Claim, Entity, Graph, PredicateDef, Reference, Sign, StudyLevel, Vocabulary, MAX_STUDY_TYPES,
};
use foldhash::HashMap;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cell::OnceCell;
use thiserror::Error;

/// Index of an entity in `Graph::entities` (and of its node in the petgraph).
pub type EntityIx = u32;
/// Index of a claim in `Graph::claims`.
pub type ClaimIx = u32;
/// Index of a reference in `Graph::references`.
pub type RefIx = u32;

/// All claims from one subject to one object: a view into the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop<'a> {
    pub claims: &'a [ClaimIx],
}

/// A graph kept outside the model (a compiled snapshot) that an index reads
/// in place: records one at a time, tables as slices, ids through lookups.
///
/// Every index a store hands out (in a link, a hop, a claim's references)
/// is in range for its counts. A store that finds part of itself damaged
/// answers empty there (no records, no links) and remembers it, so that
/// its owner can throw the answer away; it never panics.
pub trait Store {
    fn title(&self) -> &str;
    fn vocabulary(&self) -> Vocabulary;
    fn entity_count(&self) -> usize;
    fn claim_count(&self) -> usize;
    fn reference_count(&self) -> usize;
    fn hop_count(&self) -> usize;
    fn entity(&self, ix: EntityIx) -> &Entity;
    fn claim(&self, ix: ClaimIx) -> &Claim;
    fn reference(&self, ix: RefIx) -> &Reference;
    fn entity_ix(&self, id: &str) -> Option<EntityIx>;
    fn claim_ix(&self, id: &str) -> Option<ClaimIx>;
    fn reference_ix(&self, id: &str) -> Option<RefIx>;
    /// Entities whose id, name or an alias, in lower case, is `label`, in
    /// entity order.
    fn entities_labelled(&self, label: &str) -> Vec<EntityIx>;
    /// A hop's claims (see [`Index::hop`]).
    fn hop(&self, hop: u32) -> &[ClaimIx];
    /// The hop's [`HopSummary`] when no filter is set (see [`Tables::hop_facts`]).
    fn hop_summary(&self, hop: u32) -> Option<HopSummary>;
    fn out_links(&self, e: EntityIx) -> &[Link];
    fn in_links(&self, e: EntityIx) -> &[Link];
    fn claim_refs(&self, c: ClaimIx) -> &[RefIx];
    fn claim_facts(&self, c: ClaimIx) -> ClaimFacts;
}

/// Where an index reads from: the model in memory with the tables worked
/// out from it and hash tables over its ids, or a [`Store`]. (One per
/// index, and the tables are read in every query's inner loop: not boxed.)
#[allow(clippy::large_enum_variant)]
enum Source<'g> {
    Model {
        graph: &'g Graph,
        tables: Tables,
        entities: HashMap<&'g str, EntityIx>,
        references: HashMap<&'g str, RefIx>,
    },
    Store(&'g dyn Store),
}

/// A checked graph made ready for queries. Borrowing the graph keeps ids as
/// `&str` into the model: nothing is copied per query.
pub struct Index<'g> {
    source: Source<'g>,
    pub vocab: Vocabulary,
    /// Built on first use: only `show CLAIM`-style lookups need it, and at a
    /// million claims it is the largest table.
    claim_ids: OnceCell<HashMap<&'g str, ClaimIx>>,
}

/// Everything an index works out from the claims, as flat arrays: what a
/// compiled snapshot stores so that a later process reads it instead of
/// working it out again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    /// Per claim: its evidence's reference indices (deduplicated, in order),
    /// flattened: claim `i` owns `claim_refs[claim_ref_start[i]..claim_ref_start[i + 1]]`
    /// (one allocation instead of one per claim).
    pub claim_refs: Vec<RefIx>,
    pub claim_ref_start: Vec<u32>,
    /// Per claim: what `trace` weighs it by.
    pub facts: Vec<ClaimFacts>,
    /// Per hop: its claims in file order, flattened like `claim_refs`.
    pub hop_claims: Vec<ClaimIx>,
    pub hop_claim_start: Vec<u32>,
    /// Per hop: its [`HopSummary`] when no filter is set, packed
    /// ([`HopSummary::pack`]; 0 when every claim on it is negated, so it
    /// cannot carry a path). Derivable from the claims, but `trace` weighs
    /// every hop it meets by it: near a hub that is tens of thousands of
    /// hops of many claims each, and one lookup each is what keeps a query
    /// within milliseconds.
    pub hop_facts: Vec<u16>,
    /// Hops by subject (to the object) and by object (to the subject).
    pub out_links: Adjacency,
    pub in_links: Adjacency,
}

impl Tables {
    /// Whether these tables could belong to a graph of these sizes: every
    /// run in order and every index in bounds, so that no lookup can go out
    /// of range. (A snapshot's checksum vouches for the values themselves.)
    pub fn fit(&self, entities: usize, claims: usize, references: usize) -> bool {
        let Some(hops) = self.hop_claim_start.len().checked_sub(1) else { return false };
        runs_fit(&self.claim_ref_start, claims, self.claim_refs.len())
            && self.claim_refs.iter().all(|&r| (r as usize) < references)
            && self.facts.len() == claims
            && runs_fit(&self.hop_claim_start, hops, self.hop_claims.len())
            && self.hop_claims.iter().all(|&c| (c as usize) < claims)
            && self.hop_facts.len() == hops
            && self.hop_facts.iter().all(|&f| HopSummary::unpack(f).is_some())
            && [&self.out_links, &self.in_links].iter().all(|a| {
                runs_fit(&a.start, entities, a.links.len())
                    && a.links.iter().all(|l| (l.entity as usize) < entities && (l.hop as usize) < hops)
            })
            && self.out_links.links.len() == hops
            && self.in_links.links.len() == hops
    }
}

/// Whether `start` splits `len` items into `runs` runs in order.
fn runs_fit(start: &[u32], runs: usize, len: usize) -> bool {
    start.len() == runs + 1
        && start.first() == Some(&0)
        && start.last().is_some_and(|&end| end as usize == len)
        && start.windows(2).all(|w| w[0] <= w[1])
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
/// hop (its number, see [`Index::hop`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Link {
    pub entity: EntityIx,
    pub hop: u32,
}

/// Hops per entity in compressed sparse row form: entity `v`'s links are
/// `links[start[v]..start[v + 1]]`. The path searches walk these contiguous
/// arrays; near a hub a linked list would turn every step into a cache miss.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjacency {
    pub start: Vec<u32>,
    pub links: Vec<Link>,
}

impl Adjacency {
    /// Group `(from, to)` hop endpoints by `from`; within an entity, links
    /// come in descending hop order (the order petgraph lists edges in, which
    /// the searches were first written against).
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

/// The hops, numbered by their first claim (the order adding claims one at
/// a time would create them), with each hop's claims in file order.
struct Hops {
    ends: Vec<(EntityIx, EntityIx)>,
    claims: Vec<ClaimIx>,
    claim_start: Vec<u32>,
}

/// Per claim: subject and object, or `None` for a claim whose endpoints do
/// not exist.
type ClaimEnds = Option<(EntityIx, EntityIx)>;

/// What a path search asks of every claim it weighs, worked out once while
/// the index reads the claims in order: in a query the same reads are
/// cache misses scattered over the whole model (or, from a compiled
/// snapshot, records not decoded at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimFacts {
    pub negated: bool,
    /// The predicate's causal sign ([`PredicateDef::causal_sign`]); `Sign::None`
    /// for a predicate the vocabulary lacks.
    pub sign: Sign,
    /// [`Claim::best_level`].
    pub best: Option<StudyLevel>,
    /// [`Claim::certainty`].
    pub certainty: Option<Certainty>,
}

impl ClaimFacts {
    /// Marked `contested` by the curator.
    pub fn contested(&self) -> bool {
        self.certainty == Some(Certainty::Contested)
    }

    /// The facts in 16 bits (how a [`Store`] keeps them): negated (bit 0),
    /// sign (1–2), best study level (3–8, 0 = none, else the level + 1: a
    /// vocabulary holds at most [`MAX_STUDY_TYPES`] study types) and
    /// certainty (9–11, 0 = none).
    pub fn pack(&self) -> u16 {
        let sign = match self.sign {
            Sign::Plus => 0,
            Sign::Minus => 1,
            Sign::None => 2,
        };
        let position = |found: Option<usize>| found.map_or(0, |i| i as u16 + 1);
        let best = position(self.best.map(|b| b.0 as usize).filter(|&b| b < MAX_STUDY_TYPES));
        let certainty = position(self.certainty.and_then(|c| Certainty::ALL.iter().position(|&x| x == c)));
        self.negated as u16 | sign << 1 | best << 3 | certainty << 9
    }

    /// [`ClaimFacts::pack`] undone; `None` for bits no facts produce.
    pub fn unpack(bits: u16) -> Option<ClaimFacts> {
        let sign = match (bits >> 1) & 3 {
            0 => Sign::Plus,
            1 => Sign::Minus,
            2 => Sign::None,
            _ => return None,
        };
        let pick = |n: u16, all: usize| match n {
            0 => Some(None),
            n if (n as usize) <= all => Some(Some(n as usize - 1)),
            _ => None,
        };
        let best = pick((bits >> 3) & 63, MAX_STUDY_TYPES)?.map(|i| StudyLevel(i as u8));
        let certainty = pick((bits >> 9) & 7, Certainty::ALL.len())?.map(|i| Certainty::ALL[i]);
        (bits >> 12 == 0).then_some(ClaimFacts { negated: bits & 1 == 1, sign, best, certainty })
    }

    /// How strongly a claim with `refs` references competes to lead a hop,
    /// short of the final tie break by claim id (the hop rule,
    /// [`crate::query::hop`]); larger leads.
    pub fn lead_key(self, refs: usize) -> LeadKey {
        (self.sign != Sign::None, !self.contested(), self.best, self.certainty, refs)
    }

    /// Whether [`ClaimFacts::unpack`] takes these bits, without branches:
    /// a snapshot checks a block of thousands at once, and this vectorizes.
    pub fn valid(bits: u16) -> bool {
        let sign = (bits >> 1) & 3;
        let best = ((bits >> 3) & 63) as usize;
        let certainty = ((bits >> 9) & 7) as usize;
        (sign != 3) & (best <= MAX_STUDY_TYPES) & (certainty <= Certainty::ALL.len()) & (bits >> 12 == 0)
    }
}

/// [`ClaimFacts::lead_key`]: sign or not, not contested, best evidence,
/// certainty, reference count.
pub type LeadKey = (bool, bool, Option<StudyLevel>, Option<Certainty>, usize);

/// What `trace` needs to know about a hop, without allocating: the outcome
/// of the hop rule ([`crate::query::hop`]) over the claims that pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HopSummary {
    pub sign: Sign,
    /// The best evidence level among the claims carrying the hop.
    pub best: Option<StudyLevel>,
    pub contested: bool,
}

impl HopSummary {
    /// Sixteen bits: 0 for no summary (no claim passes), else bit 0 set,
    /// the sign in bits 1–2, the best level's position + 1 in bits 3–8 and
    /// the contested flag in bit 9, as [`ClaimFacts::pack`] numbers them.
    pub fn pack(summary: Option<HopSummary>) -> u16 {
        let Some(s) = summary else { return 0 };
        let facts = ClaimFacts { negated: true, sign: s.sign, best: s.best, certainty: None };
        facts.pack() & 0x1ff | (s.contested as u16) << 9
    }

    /// The summary packed by [`HopSummary::pack`]; `None` for bits it
    /// never writes.
    pub fn unpack(bits: u16) -> Option<Option<HopSummary>> {
        if bits == 0 {
            return Some(None);
        }
        let facts = ClaimFacts::unpack(bits & 0x1ff).filter(|f| f.negated && bits >> 10 == 0)?;
        Some(Some(HopSummary { sign: facts.sign, best: facts.best, contested: bits >> 9 & 1 == 1 }))
    }

    /// Whether [`HopSummary::unpack`] takes these bits, without branches
    /// (see [`ClaimFacts::valid`]).
    pub fn valid(bits: u16) -> bool {
        (bits == 0) | ((bits & 1 == 1) & ClaimFacts::valid(bits & 0x1ff) & (bits >> 10 == 0))
    }
}

/// The hop rule's outcome over the claims that pass (see
/// [`crate::query::hop`] for the rule): the lead's sign, the best evidence
/// among the claims agreeing with it, and whether the lead is contested.
/// `refs` and `id` give a claim's reference count and id; ids are read only
/// when they must break a tie between claims of different signs.
pub fn hop_summary<'a>(
    passing: &[ClaimIx],
    facts: impl Fn(ClaimIx) -> ClaimFacts,
    refs: impl Fn(ClaimIx) -> usize,
    id: impl Fn(ClaimIx) -> &'a str,
) -> Option<HopSummary> {
    let key = |c: ClaimIx| facts(c).lead_key(refs(c));
    let top = passing.iter().map(|&c| key(c)).max()?;
    let mut tied = passing.iter().copied().filter(|&c| key(c) == top);
    let first = tied.next().expect("the maximum is among the claims");
    let sign = facts(first).sign;
    let lead = if tied.all(|c| facts(c).sign == sign) {
        first
    } else {
        let tied = passing.iter().copied().filter(|&c| key(c) == top);
        tied.max_by_key(|&c| std::cmp::Reverse(id(c))).expect("a tie has claims")
    };
    let lead_facts = facts(lead);
    let best = passing
        .iter()
        .map(|&c| facts(c))
        .filter(|f| f.sign == Sign::None || f.sign == lead_facts.sign)
        .filter_map(|f| f.best)
        .max();
    Some(HopSummary { sign: lead_facts.sign, best, contested: lead_facts.contested() })
}

/// Each claim's endpoints: string lookups per claim, the largest part of
/// building an index, so `Index::new` splits it between threads.
fn claim_ends(claims: &[Claim], entity_ids: &HashMap<&str, EntityIx>) -> Vec<ClaimEnds> {
    claims
        .iter()
        .map(|c| Some((*entity_ids.get(c.subject.as_str())?, *entity_ids.get(c.object.as_str())?)))
        .collect()
}

fn claim_facts(claims: &[Claim], causal_signs: &HashMap<&str, Sign>, vocab: &Vocabulary) -> Vec<ClaimFacts> {
    claims
        .iter()
        .map(|c| ClaimFacts {
            negated: c.negated,
            sign: causal_signs.get(c.predicate.as_str()).copied().unwrap_or(Sign::None),
            best: c.best_level(vocab),
            certainty: c.certainty(),
        })
        .collect()
}

/// Group claims into hops by sorting, not hashing: bucket claims by subject
/// (a counting sort keeps file order), then sort each subject's run by
/// object. Claims whose endpoints do not exist are skipped.
fn group_hops(n: usize, ends: &[ClaimEnds]) -> Hops {
    let mut start = vec![0u32; n + 1];
    for &(s, _) in ends.iter().flatten() {
        start[s as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    // (object, claim) bucketed by subject, claims ascending within a bucket.
    let mut fill: Vec<u32> = start[..n].to_vec();
    let mut by_subject = vec![(0 as EntityIx, 0 as ClaimIx); start[n] as usize];
    for (ci, &(s, o)) in ends.iter().enumerate().filter_map(|(ci, e)| Some((ci, e.as_ref()?))) {
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
        claims: Vec::with_capacity(by_subject.len()),
        claim_start: Vec::with_capacity(runs.len() + 1),
    };
    for &run in first_claim_run.iter().filter(|&&r| r != u32::MAX) {
        let (s, lo, hi) = runs[run as usize];
        hops.claim_start.push(hops.claims.len() as u32);
        hops.claims.extend(by_subject[lo as usize..hi as usize].iter().map(|&(_, c)| c));
        hops.ends.push((s, by_subject[lo as usize].0));
    }
    hops.claim_start.push(hops.claims.len() as u32);
    hops
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

/// Every hop's packed [`HopSummary`] with no filter set (the non-negated
/// claims pass).
fn hop_facts(graph: &Graph, hops: &Hops, facts: &[ClaimFacts], claim_ref_start: &[u32]) -> Vec<u16> {
    let mut passing = Vec::new();
    hops.claim_start
        .windows(2)
        .map(|w| {
            passing.clear();
            let claims = &hops.claims[w[0] as usize..w[1] as usize];
            passing.extend(claims.iter().copied().filter(|&c| !facts[c as usize].negated));
            HopSummary::pack(hop_summary(
                &passing,
                |c| facts[c as usize],
                |c| (claim_ref_start[c as usize + 1] - claim_ref_start[c as usize]) as usize,
                |c| graph.claims[c as usize].id.as_str(),
            ))
        })
        .collect()
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

impl Tables {
    /// Work the tables out from a graph. Claims whose endpoints do not exist
    /// are skipped, so only build from a graph that `check` found free of
    /// errors.
    pub fn new(graph: &Graph) -> Tables {
        let entity_ids = entity_ids(graph);
        let reference_ids = reference_ids(graph);
        let vocab = graph.vocabulary();
        let causal_signs = causal_signs(&vocab);
        let n = graph.entities.len();
        std::thread::scope(|scope| {
            // Resolve the claims' endpoints in two halves side by side, then
            // work out facts and reference lists beside the hops.
            let (lower, upper) = graph.claims.split_at(graph.claims.len() / 2);
            let upper = scope.spawn(|| claim_ends(upper, &entity_ids));
            let mut ends = claim_ends(lower, &entity_ids);
            ends.extend(upper.join().expect("resolving endpoints does not panic"));
            let side = scope.spawn(|| {
                (claim_facts(&graph.claims, &causal_signs, &vocab), claim_references(graph, &reference_ids))
            });
            let hops = group_hops(n, &ends);
            let out_links = Adjacency::new(n, &hops.ends);
            let reversed: Vec<(EntityIx, EntityIx)> = hops.ends.iter().map(|&(s, o)| (o, s)).collect();
            let in_links = Adjacency::new(n, &reversed);
            let (facts, (claim_refs, claim_ref_start)) = side.join().expect("claim facts do not panic");
            let hop_facts = hop_facts(graph, &hops, &facts, &claim_ref_start);
            Tables {
                claim_refs,
                claim_ref_start,
                facts,
                hop_claims: hops.claims,
                hop_facts,
                hop_claim_start: hops.claim_start,
                out_links,
                in_links,
            }
        })
    }
}

impl<'g> Index<'g> {
    /// Build the index of a graph in memory. Claims whose endpoints do not
    /// exist are skipped, so only build from a graph that `check` found free
    /// of errors.
    pub fn new(graph: &'g Graph) -> Index<'g> {
        Index::with_tables(graph, Tables::new(graph))
    }

    /// The index of a graph whose tables were worked out before (a compiled
    /// snapshot's). Tables that do not [fit](Tables::fit) the graph are
    /// ignored and worked out again.
    pub fn with_tables(graph: &'g Graph, tables: Tables) -> Index<'g> {
        let (e, c, r) = (graph.entities.len(), graph.claims.len(), graph.references.len());
        let tables = if tables.fit(e, c, r) { tables } else { Tables::new(graph) };
        Index {
            source: Source::Model {
                graph,
                tables,
                entities: entity_ids(graph),
                references: reference_ids(graph),
            },
            vocab: graph.vocabulary(),
            claim_ids: OnceCell::new(),
        }
    }

    /// The index of a [`Store`]: its tables and records read in place.
    pub fn stored(store: &'g dyn Store) -> Index<'g> {
        Index { source: Source::Store(store), vocab: store.vocabulary(), claim_ids: OnceCell::new() }
    }

    /// The whole graph, when the index was built from one in memory.
    pub fn graph(&self) -> Option<&'g Graph> {
        match self.source {
            Source::Model { graph, .. } => Some(graph),
            Source::Store(_) => None,
        }
    }

    pub fn entity_count(&self) -> usize {
        match &self.source {
            Source::Model { tables, .. } => tables.out_links.start.len() - 1,
            Source::Store(store) => store.entity_count(),
        }
    }

    pub fn claim_count(&self) -> usize {
        match &self.source {
            Source::Model { tables, .. } => tables.facts.len(),
            Source::Store(store) => store.claim_count(),
        }
    }

    pub fn reference_count(&self) -> usize {
        match &self.source {
            Source::Model { graph, .. } => graph.references.len(),
            Source::Store(store) => store.reference_count(),
        }
    }

    /// The graph's title.
    pub fn title(&self) -> &'g str {
        match self.source {
            Source::Model { graph, .. } => &graph.title,
            Source::Store(store) => store.title(),
        }
    }

    /// How many hops there are.
    pub fn hop_count(&self) -> usize {
        match &self.source {
            Source::Model { tables, .. } => tables.hop_claim_start.len() - 1,
            Source::Store(store) => store.hop_count(),
        }
    }

    /// A hop by number.
    pub fn hop(&self, hop: u32) -> Hop<'_> {
        match &self.source {
            Source::Model { tables, .. } => {
                let start = &tables.hop_claim_start;
                let (lo, hi) = (start[hop as usize] as usize, start[hop as usize + 1] as usize);
                Hop { claims: &tables.hop_claims[lo..hi] }
            }
            Source::Store(store) => Hop { claims: store.hop(hop) },
        }
    }

    /// Whether some claim on the hop is not negated (it can carry a path
    /// when no filter is set).
    pub fn hop_asserted(&self, hop: u32) -> bool {
        match &self.source {
            Source::Model { tables, .. } => tables.hop_facts[hop as usize] != 0,
            Source::Store(store) => store.hop_summary(hop).is_some(),
        }
    }

    /// The hop's summary when no filter is set: the hop rule's outcome over
    /// its non-negated claims, worked out when the index was built.
    pub fn hop_summary(&self, hop: u32) -> Option<HopSummary> {
        match &self.source {
            Source::Model { tables, .. } => HopSummary::unpack(tables.hop_facts[hop as usize]).flatten(),
            Source::Store(store) => store.hop_summary(hop),
        }
    }

    /// The hops whose subject is `e`: (object, hop), as one contiguous slice.
    pub fn out_links(&self, e: EntityIx) -> &[Link] {
        match &self.source {
            Source::Model { tables, .. } => tables.out_links.of(e),
            Source::Store(store) => store.out_links(e),
        }
    }

    /// The hops whose object is `e`: (subject, hop), as one contiguous slice.
    pub fn in_links(&self, e: EntityIx) -> &[Link] {
        match &self.source {
            Source::Model { tables, .. } => tables.in_links.of(e),
            Source::Store(store) => store.in_links(e),
        }
    }

    /// The hop network as a petgraph graph (node `i` = entity `i`, edge `h`
    /// = hop `h`, weighted by the hop number), for petgraph's algorithms.
    /// Built on each call: the searches themselves walk the flat arrays.
    pub fn petgraph(&self) -> DiGraph<EntityIx, u32, u32> {
        let n = self.entity_count();
        let mut ends = vec![(0, 0); self.hop_count()];
        for v in 0..n as EntityIx {
            for l in self.out_links(v) {
                ends[l.hop as usize] = (v, l.entity);
            }
        }
        let mut net = DiGraph::with_capacity(n, ends.len());
        for i in 0..n {
            net.add_node(i as EntityIx);
        }
        for (hop, (s, o)) in ends.into_iter().enumerate() {
            net.add_edge(NodeIndex::new(s as usize), NodeIndex::new(o as usize), hop as u32);
        }
        net
    }

    pub fn entity(&self, ix: EntityIx) -> &'g Entity {
        match self.source {
            Source::Model { graph, .. } => &graph.entities[ix as usize],
            Source::Store(store) => store.entity(ix),
        }
    }

    pub fn claim(&self, ix: ClaimIx) -> &'g Claim {
        match self.source {
            Source::Model { graph, .. } => &graph.claims[ix as usize],
            Source::Store(store) => store.claim(ix),
        }
    }

    pub fn reference(&self, ix: RefIx) -> &'g Reference {
        match self.source {
            Source::Model { graph, .. } => &graph.references[ix as usize],
            Source::Store(store) => store.reference(ix),
        }
    }

    pub fn entity_ix(&self, id: &str) -> Option<EntityIx> {
        match &self.source {
            Source::Model { entities, .. } => entities.get(id).copied(),
            Source::Store(store) => store.entity_ix(id),
        }
    }

    pub fn claim_ix(&self, id: &str) -> Option<ClaimIx> {
        match self.source {
            Source::Model { graph, .. } => {
                let ids = self.claim_ids.get_or_init(|| {
                    graph.claims.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as ClaimIx)).collect()
                });
                ids.get(id).copied()
            }
            Source::Store(store) => store.claim_ix(id),
        }
    }

    pub fn reference_ix(&self, id: &str) -> Option<RefIx> {
        match &self.source {
            Source::Model { references, .. } => references.get(id).copied(),
            Source::Store(store) => store.reference_ix(id),
        }
    }

    /// The references a claim cites, deduplicated, in evidence order.
    pub fn claim_refs(&self, ix: ClaimIx) -> &[RefIx] {
        match &self.source {
            Source::Model { tables: t, .. } => {
                let i = ix as usize;
                &t.claim_refs[t.claim_ref_start[i] as usize..t.claim_ref_start[i + 1] as usize]
            }
            Source::Store(store) => store.claim_refs(ix),
        }
    }

    /// The predicate definition of a claim (present for checked graphs).
    pub fn predicate(&self, ix: ClaimIx) -> Option<&PredicateDef> {
        self.vocab.predicate(&self.claim(ix).predicate)
    }

    /// The sign a claim gives a path: its predicate's sign if causal, else
    /// `Sign::None` (also for a predicate the vocabulary lacks).
    pub fn causal_sign(&self, ix: ClaimIx) -> Sign {
        self.claim_facts(ix).sign
    }

    /// What `trace` weighs a claim by, without touching the claim.
    pub fn claim_facts(&self, ix: ClaimIx) -> ClaimFacts {
        match &self.source {
            Source::Model { tables, .. } => tables.facts[ix as usize],
            Source::Store(store) => store.claim_facts(ix),
        }
    }

    /// Claims whose subject is `e`, grouped by hop.
    pub fn outgoing(&self, e: EntityIx) -> impl Iterator<Item = (EntityIx, Hop<'_>)> + use<'_, 'g> {
        self.out_links(e).iter().map(move |l| (l.entity, self.hop(l.hop)))
    }

    /// Claims whose object is `e`, grouped by hop.
    pub fn incoming(&self, e: EntityIx) -> impl Iterator<Item = (EntityIx, Hop<'_>)> + use<'_, 'g> {
        self.in_links(e).iter().map(move |l| (l.entity, self.hop(l.hop)))
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
        let matches: Vec<EntityIx> = match self.source {
            Source::Store(store) => store.entities_labelled(&q),
            Source::Model { .. } => (0..self.entity_count() as EntityIx)
                .filter(|&i| {
                    let e = self.entity(i);
                    e.id.to_lowercase() == q
                        || e.name.to_lowercase() == q
                        || e.aliases.iter().any(|a| a.to_lowercase() == q)
                })
                .collect(),
        };
        let describe = |i: &EntityIx| (self.entity(*i).id.to_string(), self.entity(*i).name.to_string());
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(ResolveError::NotFound { query: query.to_string(), suggestions: self.suggest(query) }),
            many => Err(ResolveError::Ambiguous {
                query: query.to_string(),
                candidates: many.iter().map(describe).collect(),
            }),
        }
    }

    /// Entities whose id, name or alias is close to `query`. (From a compiled
    /// snapshot this decodes every entity: it only runs when a lookup failed.)
    fn suggest(&self, query: &str) -> Vec<(String, String)> {
        let labels: Vec<(&str, EntityIx)> = (0..self.entity_count() as EntityIx)
            .flat_map(|i| {
                let e = self.entity(i);
                [e.id.as_str(), e.name.as_str()]
                    .into_iter()
                    .chain(e.aliases.iter().map(|s| s.as_str()))
                    .map(move |l| (l, i))
            })
            .collect();
        let mut out: Vec<(String, String)> = Vec::new();
        for label in closest(query, labels.iter().map(|(l, _)| *l), 8) {
            let (_, ix) = labels.iter().find(|(l, _)| *l == label).expect("label came from the list");
            let e = self.entity(*ix);
            if !out.iter().any(|(id, _)| *id == e.id) && out.len() < 3 {
                out.push((e.id.to_string(), e.name.to_string()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Params};
    use petgraph::graph::EdgeIndex;
    use petgraph::visit::EdgeRef;
    use petgraph::Direction::{Incoming, Outgoing};

    /// The hop network as first written: claims added one at a time, a hash
    /// map from (subject, object) to edge. The sorted build must match it.
    fn claim_by_claim(graph: &Graph) -> DiGraph<EntityIx, Vec<ClaimIx>, u32> {
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
                net.add_edge(NodeIndex::new(s as usize), NodeIndex::new(o as usize), Vec::new())
            });
            net[edge].push(ci as ClaimIx);
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
        let view = index.petgraph();
        assert_eq!(index.hop_count(), expected.edge_count());
        assert_eq!(view.edge_count(), expected.edge_count());
        for e in expected.edge_indices() {
            assert_eq!(view.edge_endpoints(e), expected.edge_endpoints(e));
            assert_eq!(view[e], e.index() as u32);
            assert_eq!(index.hop(e.index() as u32).claims, expected[e].as_slice());
            let asserted = expected[e].iter().any(|&c| !graph.claims[c as usize].negated);
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
            assert_eq!(facts.best, c.best_level(&vocab));
            assert_eq!(facts.certainty, c.certainty());
        }
        let facts = |i: ClaimIx| index.claim_facts(i);
        assert!(facts(11).negated && facts(12).contested() && facts(13).sign == Sign::None);
        assert!(
            (0..3000).any(|i| facts(i).sign == Sign::Plus) && (0..3000).any(|i| facts(i).sign == Sign::Minus)
        );
    }

    #[test]
    fn valid_bits_are_the_bits_that_unpack() {
        for bits in 0..=u16::MAX {
            assert_eq!(ClaimFacts::valid(bits), ClaimFacts::unpack(bits).is_some(), "{bits:#x}");
            assert_eq!(HopSummary::valid(bits), HopSummary::unpack(bits).is_some(), "{bits:#x}");
        }
    }

    #[test]
    fn tables_that_do_not_fit_are_worked_out_again() {
        let graph = sample();
        let good = Tables::new(&graph);
        let (e, c, r) = (graph.entities.len(), graph.claims.len(), graph.references.len());
        assert!(good.fit(e, c, r));
        let damage: [&dyn Fn(&mut Tables); 9] = [
            &|t| t.claim_refs[3] = r as u32,
            &|t| t.claim_ref_start[4] = t.claim_ref_start[6] + 1,
            &|t| *t.claim_ref_start.last_mut().unwrap() += 1,
            &|t| t.hop_claims[0] = c as u32,
            &|t| t.out_links.links[0].entity = e as u32,
            &|t| t.in_links.links[1].hop = t.hop_claim_start.len() as u32,
            &|t| {
                t.facts.pop();
            },
            &|t| t.hop_facts[2] = 1 << 12,
            &|t| {
                t.hop_facts.pop();
            },
        ];
        for (i, damage) in damage.iter().enumerate() {
            let mut bad = good.clone();
            damage(&mut bad);
            assert!(!bad.fit(e, c, r), "damage {i}");
            let index = Index::with_tables(&graph, bad);
            let Source::Model { tables, .. } = &index.source else { unreachable!("built from a graph") };
            assert_eq!(*tables, good, "damage {i}");
        }
    }

    #[test]
    fn links_list_hops_in_petgraph_order() {
        let graph = sample();
        let index = Index::new(&graph);
        let net = claim_by_claim(&graph);
        let mut links = 0;
        for v in 0..graph.entities.len() as EntityIx {
            let node = NodeIndex::new(v as usize);
            let out: Vec<Link> = net
                .edges_directed(node, Outgoing)
                .map(|e| Link { entity: e.target().index() as EntityIx, hop: e.id().index() as u32 })
                .collect();
            let inc: Vec<Link> = net
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
