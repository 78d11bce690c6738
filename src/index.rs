//! The queryable form of a graph: ids resolved to integer indices once, and a
//! petgraph `DiGraph` with one node per entity and one edge per *hop*.
//!
//! A hop is an ordered entity pair (subject → object) with every claim between
//! them. Path queries walk hops, not claims, so five papers saying "zinc
//! activates ALP" make one step with five citations rather than five paths.

use crate::finding::closest;
use crate::model::{Claim, Entity, Graph, PredicateDef, Reference, Vocabulary};
use foldhash::{HashMap, HashMapExt};
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

/// One node per entity, one edge per (subject, object) with its claims.
/// Claims whose endpoints do not exist are skipped.
fn hop_network(graph: &Graph, entity_ids: &HashMap<&str, EntityIx>) -> DiGraph<EntityIx, Hop, u32> {
    let mut net = DiGraph::with_capacity(graph.entities.len(), graph.claims.len());
    for i in 0..graph.entities.len() {
        net.add_node(i as EntityIx);
    }
    let mut hops: HashMap<(EntityIx, EntityIx), EdgeIndex> = HashMap::with_capacity(graph.claims.len());
    for (ci, c) in graph.claims.iter().enumerate() {
        let (Some(&s), Some(&o)) = (entity_ids.get(c.subject.as_str()), entity_ids.get(c.object.as_str()))
        else {
            continue;
        };
        let edge = *hops.entry((s, o)).or_insert_with(|| {
            net.add_edge(NodeIndex::new(s as usize), NodeIndex::new(o as usize), Hop::default())
        });
        net[edge].claims.push(ci as ClaimIx);
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

impl<'g> Index<'g> {
    /// Build the index. Claims whose endpoints do not exist are skipped, so
    /// only build from a graph that `check` found free of errors.
    pub fn new(graph: &'g Graph) -> Index<'g> {
        let entity_ids: HashMap<&str, EntityIx> =
            graph.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i as EntityIx)).collect();
        let reference_ids: HashMap<&str, RefIx> =
            graph.references.iter().enumerate().map(|(i, r)| (r.id.as_str(), i as RefIx)).collect();
        // The hop network and the per-claim reference lists are independent:
        // build them side by side (at a million claims each takes ~0.3 s).
        let (net, (claim_refs, claim_ref_start)) = std::thread::scope(|scope| {
            let refs = scope.spawn(|| claim_references(graph, &reference_ids));
            let net = hop_network(graph, &entity_ids);
            (net, refs.join().expect("building reference lists does not panic"))
        });
        Index {
            graph,
            vocab: graph.vocabulary(),
            net,
            entity_ids,
            reference_ids,
            claim_ids: OnceCell::new(),
            claim_refs,
            claim_ref_start,
        }
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

    /// Claims whose subject is `e`, grouped by hop.
    pub fn outgoing(&self, e: EntityIx) -> impl Iterator<Item = (EntityIx, &Hop)> + '_ {
        self.net
            .edges_directed(NodeIndex::new(e as usize), petgraph::Direction::Outgoing)
            .map(|edge| (petgraph::visit::EdgeRef::target(&edge).index() as EntityIx, edge.weight()))
    }

    /// Claims whose object is `e`, grouped by hop.
    pub fn incoming(&self, e: EntityIx) -> impl Iterator<Item = (EntityIx, &Hop)> + '_ {
        self.net
            .edges_directed(NodeIndex::new(e as usize), petgraph::Direction::Incoming)
            .map(|edge| (petgraph::visit::EdgeRef::source(&edge).index() as EntityIx, edge.weight()))
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
