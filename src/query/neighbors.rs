//! Around one entity: its neighbourhood (`neighbors`), everything it can
//! reach (`downstream`) and everything that can reach it (`upstream`).
//!
//! Both are breadth-first searches over hops, so each costs O(V + E) in the
//! part of the graph they visit.

use super::hop::{summarize, ClaimFilter};
use crate::index::{ClaimIx, EntityIx, Hop, Index};
use crate::model::{Sign, StudyLevel};
use std::collections::HashMap;

/// Which way along claims to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From subject to object: what the entity acts on.
    Out,
    /// From object to subject: what acts on the entity.
    In,
    Both,
}

/// An entity near the centre, with the hops that connect it one step closer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    pub entity: EntityIx,
    /// Hops from the centre (1 = adjacent).
    pub depth: usize,
    /// (entity one step closer, direction of the hop from that entity's side,
    /// every claim on the hop), ordered by entity id.
    pub links: Vec<(EntityIx, Direction, Vec<ClaimIx>)>,
}

/// Entities within `depth` hops of `center`, nearest first, then by id.
///
/// Every claim counts here, negated ones included: this is the neighbourhood
/// as written in the file, not a causal reading of it.
pub fn neighbors(index: &Index, center: EntityIx, depth: usize, direction: Direction) -> Vec<Neighbor> {
    let mut level: HashMap<EntityIx, usize> = HashMap::from([(center, 0)]);
    let mut frontier = vec![center];
    let mut out: Vec<Neighbor> = Vec::new();
    for d in 1..=depth {
        let mut found: HashMap<EntityIx, Vec<(EntityIx, Direction, Vec<ClaimIx>)>> = HashMap::new();
        for &v in &frontier {
            for (w, dir, hop) in steps(index, v, direction) {
                if level.get(&w).is_none_or(|&l| l == d) {
                    found.entry(w).or_default().push((v, dir, hop.claims.to_vec()));
                }
            }
        }
        let mut layer: Vec<Neighbor> = found
            .into_iter()
            .map(|(entity, mut links)| {
                links.sort_by(|a, b| {
                    (&index.entity(a.0).id, a.1 == Direction::In)
                        .cmp(&(&index.entity(b.0).id, b.1 == Direction::In))
                });
                Neighbor { entity, depth: d, links }
            })
            .collect();
        layer.sort_by(|a, b| index.entity(a.entity).id.cmp(&index.entity(b.entity).id));
        frontier = layer.iter().map(|n| n.entity).collect();
        for n in &layer {
            level.insert(n.entity, d);
        }
        out.extend(layer);
    }
    out
}

/// The hops out of `v` in `direction`: (other end, direction, hop).
fn steps<'a>(index: &'a Index, v: EntityIx, direction: Direction) -> Vec<(EntityIx, Direction, Hop<'a>)> {
    let mut out = Vec::new();
    if direction != Direction::In {
        out.extend(index.outgoing(v).map(|(w, h)| (w, Direction::Out, h)));
    }
    if direction != Direction::Out {
        out.extend(index.incoming(v).map(|(w, h)| (w, Direction::In, h)));
    }
    out
}

/// An entity reached by `downstream`/`upstream`, with its best path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub entity: EntityIx,
    /// Fewest hops between the entities.
    pub hops: usize,
    /// Net sign of the best shortest path.
    pub sign: Sign,
    /// That path's weakest evidence.
    pub weakest: Option<StudyLevel>,
    /// That path, in claim direction (upstream paths end at the centre).
    pub path: Vec<EntityIx>,
    /// Other shortest paths have a different net sign.
    pub mixed: bool,
}

/// Everything `x` reaches within `max_hops`, following claim direction.
///
/// Only hops carried by a non-negated claim count, with the hop rule of
/// [`super::PathHop`]. For each entity: the fewest hops, and among the
/// shortest paths the one with the strongest weakest link (ties: first by
/// entity id), with its net sign; `mixed` says whether shortest paths
/// disagree on the sign. O(V + E) over the reached part of the graph.
pub fn downstream(index: &Index, x: EntityIx, max_hops: usize) -> Vec<Reached> {
    reach(index, x, max_hops, Direction::Out)
}

/// Everything that reaches `x` within `max_hops`; see [`downstream`].
pub fn upstream(index: &Index, x: EntityIx, max_hops: usize) -> Vec<Reached> {
    reach(index, x, max_hops, Direction::In)
}

/// Per entity during the search: hops, weakest link, sign, parent, sign set.
#[derive(Clone, Copy)]
struct Label {
    hops: usize,
    weakest: Option<StudyLevel>,
    sign: Sign,
    parent: EntityIx,
    signs: u8,
}

fn sign_bit(s: Sign) -> u8 {
    match s {
        Sign::Plus => 1,
        Sign::Minus => 2,
        Sign::None => 4,
    }
}

fn compose_set(set: u8, s: Sign) -> u8 {
    [Sign::Plus, Sign::Minus, Sign::None]
        .into_iter()
        .filter(|&x| set & sign_bit(x) != 0)
        .fold(0, |acc, x| acc | sign_bit(x.compose(s)))
}

fn reach(index: &Index, x: EntityIx, max_hops: usize, direction: Direction) -> Vec<Reached> {
    let filter = ClaimFilter::default();
    let mut labels: HashMap<EntityIx, Label> = HashMap::new();
    labels.insert(
        x,
        Label { hops: 0, weakest: Some(StudyLevel::STRONGEST), sign: Sign::Plus, parent: x, signs: 1 },
    );
    let mut frontier = vec![x];
    for d in 1..=max_hops {
        frontier.sort_by_key(|&v| &index.entity(v).id);
        let mut next: Vec<EntityIx> = Vec::new();
        for &v in &frontier {
            let from = labels[&v];
            for (w, _, hop) in steps(index, v, direction) {
                let Some(summary) = summarize(index, hop, &filter) else { continue };
                let weakest = from.weakest.min(summary.best);
                let sign = from.sign.compose(summary.sign);
                let signs = compose_set(from.signs, summary.sign);
                match labels.get_mut(&w) {
                    None => {
                        labels.insert(w, Label { hops: d, weakest, sign, parent: v, signs });
                        next.push(w);
                    }
                    Some(l) if l.hops == d => {
                        l.signs |= signs;
                        if weakest > l.weakest {
                            (l.weakest, l.sign, l.parent) = (weakest, sign, v);
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        frontier = next;
    }
    let mut out: Vec<Reached> = labels
        .iter()
        .filter(|(&e, _)| e != x)
        .map(|(&e, l)| {
            let mut path = vec![e];
            let mut at = e;
            while at != x {
                at = labels[&at].parent;
                path.push(at);
            }
            if direction == Direction::Out {
                path.reverse();
            }
            Reached {
                entity: e,
                hops: l.hops,
                sign: l.sign,
                weakest: l.weakest,
                path,
                mixed: l.signs.count_ones() > 1,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.hops, &index.entity(a.entity).id).cmp(&(b.hops, &index.entity(b.entity).id)));
    out
}
