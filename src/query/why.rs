//! Why a trace came back empty: "No path" alone leaves the user guessing
//! whether a filter was too strict or the two entities are simply not
//! linked. Returns data; the command line words it.

use super::{trace, TraceOptions};
use crate::index::{EntityIx, Index};
use std::collections::VecDeque;

/// What an empty trace means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Empty {
    /// Without filters there are paths: `paths` of them (`more` when the
    /// search stopped at the limit). `culprits` are the filters that each,
    /// alone, remove every path (empty when only their combination does).
    Filtered { culprits: Vec<&'static str>, paths: usize, more: bool },
    /// TO is reachable, but only in `hops` hops, more than `--max-hops`.
    TooFar { hops: usize },
    /// No chain of claims leads from FROM to TO at all.
    Unconnected,
}

/// The filters a trace can have, by their flag, and the options without it.
fn filters(opts: &TraceOptions) -> Vec<(&'static str, TraceOptions)> {
    let mut out = Vec::new();
    let mut without = |flag: &'static str, active: bool, clear: fn(&mut TraceOptions)| {
        if active {
            let mut o = opts.clone();
            clear(&mut o);
            out.push((flag, o));
        }
    };
    without("--via", !opts.via.is_empty(), |o| o.via.clear());
    without("--avoid", !opts.avoid.is_empty(), |o| o.avoid.clear());
    without("--predicate", !opts.predicates.is_empty(), |o| o.predicates.clear());
    without("--min-evidence", opts.min_evidence.is_some(), |o| o.min_evidence = None);
    without("--sign", opts.sign.is_some(), |o| o.sign = None);
    without("--species", opts.species.is_some(), |o| o.species = None);
    without("--exclude-contested", opts.exclude_contested, |o| o.exclude_contested = false);
    out
}

/// Explain an empty trace from `from` to `to` under `opts`.
///
/// Complexity: one trace per active filter plus one unfiltered, each bounded
/// by the work budget; then one breadth-first search, O(V + E).
pub fn why_empty(index: &Index, from: EntityIx, to: EntityIx, opts: &TraceOptions) -> Empty {
    let each = filters(opts);
    if !each.is_empty() {
        let bare = TraceOptions {
            via: Vec::new(),
            avoid: Vec::new(),
            predicates: Vec::new(),
            min_evidence: None,
            sign: None,
            species: None,
            exclude_contested: false,
            ..opts.clone()
        };
        if let Ok(found) = trace(index, from, to, &bare) {
            if !found.paths.is_empty() {
                let culprits = each
                    .iter()
                    .filter(|(_, o)| trace(index, from, to, o).is_ok_and(|r| !r.paths.is_empty()))
                    .map(|(flag, _)| *flag)
                    .collect();
                return Empty::Filtered { culprits, paths: found.paths.len(), more: found.truncated };
            }
        }
    }
    match distance(index, from, to) {
        Some(hops) if hops > opts.max_hops => Empty::TooFar { hops },
        _ => Empty::Unconnected,
    }
}

/// Fewest hops from `from` to `to` along asserted (non-negated) claims.
fn distance(index: &Index, from: EntityIx, to: EntityIx) -> Option<usize> {
    let mut seen = vec![false; index.entity_count()];
    let mut queue = VecDeque::from([(from, 0usize)]);
    seen[from as usize] = true;
    while let Some((e, d)) = queue.pop_front() {
        if e == to {
            return Some(d);
        }
        // Seen first: a hop's asserted flag is one lookup, but near a hub
        // most links lead back to entities already queued.
        for link in index.out_links(e) {
            let next = link.entity;
            if !seen[next as usize] && index.hop_asserted(link.hop) {
                seen[next as usize] = true;
                queue.push_back((next, d + 1));
            }
        }
    }
    None
}
