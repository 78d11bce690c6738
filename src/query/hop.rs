//! One hop of a path: which claims carry it, which sign it has, which claims
//! contradict it, and how its context compares with the next hop's.
//!
//! # The hop rule
//!
//! All claims from one subject to one object are alternatives for a single
//! hop. Claims that are negated or fail the filters never carry a hop. Among
//! the rest, one claim *leads*: a causal claim with a sign beats an unsigned
//! one (a mechanism says more than an association), then a claim not marked
//! `contested` beats a contested one, then stronger best evidence, higher
//! certainty, more references and finally the smaller claim id. The hop takes
//! the lead's sign. Its `claims` are the lead and every other passing claim
//! that agrees with it (same sign, or unsigned); claims that contradict one of
//! them by `check`'s rule — the opposite sign, or a null result on the same
//! predicate — are its `conflicts`, listed beside it whether or not they pass
//! the filters.
//!
//! So when zinc increases Runx2 in one study (supported) and decreases it in
//! high-phosphate medium (contested), the hop is `+` and the second claim is
//! shown as its conflict. A hop is *contested* when its lead is marked
//! contested, i.e. when every claim giving it its sign is contested.

use super::context::HopContext;
pub(crate) use crate::index::HopSummary;
use crate::index::{ClaimIx, EntityIx, Hop, Index, LeadKey, RefIx};
use crate::model::{Certainty, Claim, Sign, StudyLevel};
use std::cmp::Reverse;

/// The claim-level filters of a trace: which claims may carry a hop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    /// Predicate ids; empty means every predicate.
    pub predicates: Vec<String>,
    pub min_evidence: Option<StudyLevel>,
    pub species: Option<String>,
    pub exclude_contested: bool,
}

impl ClaimFilter {
    /// Whether a claim may carry a hop, given its best study level
    /// ([`Claim::best_level`]). Negated claims never do.
    pub fn passes(&self, claim: &Claim, best: Option<StudyLevel>) -> bool {
        !claim.negated
            && (self.predicates.is_empty() || self.predicates.iter().any(|p| *p == claim.predicate))
            && self.min_evidence.is_none_or(|min| best.is_some_and(|l| l >= min))
            && self.species.as_deref().is_none_or(|s| {
                claim.evidence.iter().any(|e| e.species.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(s)))
            })
            && !(self.exclude_contested && is_contested(claim))
    }

    /// True when no filter is set (every non-negated claim passes).
    pub fn is_empty(&self) -> bool {
        *self == ClaimFilter::default()
    }
}

fn is_contested(claim: &Claim) -> bool {
    claim.certainty() == Some(Certainty::Contested)
}

/// [`ClaimFilter::passes`] from the index's claim facts when no filter is
/// set, so that an unfiltered search never reads a claim.
fn passes(index: &Index, filter: &ClaimFilter, c: ClaimIx) -> bool {
    if filter.is_empty() {
        !index.claim_facts(c).negated
    } else {
        filter.passes(index.claim(c), index.claim_facts(c).best)
    }
}

/// The sign a claim gives a path: its predicate's sign if causal, else none.
pub fn claim_sign(index: &Index, c: ClaimIx) -> Sign {
    index.causal_sign(c)
}

/// How strongly a claim competes to lead a hop, short of the final tie
/// break by claim id (see the module docs); larger leads.
fn fact_key(index: &Index, c: ClaimIx) -> LeadKey {
    index.claim_facts(c).lead_key(index.claim_refs(c).len())
}

/// The full lead key: [`LeadKey`], then the smaller claim id.
fn lead_key<'g>(index: &Index<'g>, c: ClaimIx) -> (LeadKey, Reverse<&'g str>) {
    (fact_key(index, c), Reverse(index.claim(c).id.as_str()))
}

/// Whether a passing claim agrees with a hop of sign `sign`.
fn agrees(index: &Index, c: ClaimIx, sign: Sign) -> bool {
    let s = claim_sign(index, c);
    s == Sign::None || s == sign
}

/// Whether a claim on the hop contradicts one of the claims carrying it, by
/// the rule `check` applies ([`crate::check::disagree`]): the opposite sign,
/// or a null result on the very predicate a carrying claim asserts ("is not
/// required for" says nothing against "increases").
fn contradicts(index: &Index, c: ClaimIx, carrying: &[ClaimIx]) -> bool {
    let claim = index.claim(c);
    carrying.iter().any(|&k| crate::check::disagree(index.claim(k), claim, &index.vocab))
}

/// Whether any claim on the hop passes the filter (cheap: no sign rule).
pub(crate) fn usable(index: &Index, hop: Hop, filter: &ClaimFilter) -> bool {
    hop.claims.iter().any(|&c| passes(index, filter, c))
}

/// The hop rule's outcome without building a [`PathHop`]: the same as
/// [`PathHop::evaluate`]'s sign, best evidence and contested flag, from the
/// index's claim facts. With no filter set, [`Index::hop_summary`] has it
/// worked out already.
pub(crate) fn summarize(index: &Index, hop: Hop, filter: &ClaimFilter) -> Option<HopSummary> {
    let passing: Vec<ClaimIx> = hop.claims.iter().copied().filter(|&c| passes(index, filter, c)).collect();
    crate::index::hop_summary(
        &passing,
        |c| index.claim_facts(c),
        |c| index.claim_refs(c).len(),
        |c| index.claim(c).id.as_str(),
    )
}

/// One hop of a path, with the claims that carry it and those against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathHop {
    pub subject: EntityIx,
    pub object: EntityIx,
    /// Claims carrying the hop (passing the filters, agreeing in sign), lead first.
    pub claims: Vec<ClaimIx>,
    /// Claims on the same endpoints that contradict a carrying claim, by id.
    pub conflicts: Vec<ClaimIx>,
    pub sign: Sign,
    /// The best evidence level among `claims`.
    pub best_evidence: Option<StudyLevel>,
    /// Every claim giving the hop its sign is marked contested.
    pub contested: bool,
    /// Where the evidence of `claims` was observed.
    pub context: HopContext,
}

impl PathHop {
    /// Apply the hop rule to all claims from `subject` to `object`; `None`
    /// when no claim passes the filter.
    pub fn evaluate(
        index: &Index,
        subject: EntityIx,
        object: EntityIx,
        hop: Hop,
        filter: &ClaimFilter,
    ) -> Option<PathHop> {
        let summary = summarize(index, hop, filter)?;
        let mut claims: Vec<ClaimIx> = hop
            .claims
            .iter()
            .copied()
            .filter(|&c| passes(index, filter, c) && agrees(index, c, summary.sign))
            .collect();
        claims.sort_by(|&a, &b| lead_key(index, b).cmp(&lead_key(index, a)));
        let mut conflicts: Vec<ClaimIx> = hop
            .claims
            .iter()
            .copied()
            .filter(|c| !claims.contains(c) && contradicts(index, *c, &claims))
            .collect();
        conflicts.sort_by_key(|&c| &index.claim(c).id);
        Some(PathHop {
            subject,
            object,
            context: HopContext::of_claims(index, &claims),
            claims,
            conflicts,
            sign: summary.sign,
            best_evidence: summary.best,
            contested: summary.contested,
        })
    }

    /// The claim that makes conflict `c` a dispute, by `check`'s rule
    /// ([`crate::check::contested_side`]): `c` itself, or a carrying claim it
    /// contradicts, marked contested by a curator.
    pub fn disputed_by<'g>(&self, index: &Index<'g>, c: ClaimIx) -> Option<&'g Claim> {
        let claim = index.claim(c);
        let against = self
            .claims
            .iter()
            .map(|&k| index.claim(k))
            .filter(|k| crate::check::disagree(k, claim, &index.vocab));
        crate::check::contested_side(std::iter::once(claim).chain(against))
    }

    /// A hop whose claims could not be read (a damaged snapshot answers
    /// empty): no claims, no sign. Never shown: the snapshot's owner
    /// answers again from the graph file.
    pub(crate) fn unreadable(subject: EntityIx, object: EntityIx) -> PathHop {
        PathHop {
            subject,
            object,
            claims: Vec::new(),
            conflicts: Vec::new(),
            sign: Sign::None,
            best_evidence: None,
            contested: false,
            context: HopContext::default(),
        }
    }

    /// The distinct references of the carrying claims, in claim order.
    pub fn references(&self, index: &Index) -> Vec<RefIx> {
        let mut out = Vec::new();
        for &c in &self.claims {
            for &r in index.claim_refs(c) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }
}

/// The claims carrying a hop of sign `sign`: passing the filter and agreeing.
pub(crate) fn carrying(index: &Index, hop: Hop, filter: &ClaimFilter, sign: Sign) -> Vec<ClaimIx> {
    hop.claims.iter().copied().filter(|&c| passes(index, filter, c) && agrees(index, c, sign)).collect()
}

/// Append the distinct references of the claims carrying a hop of sign `sign`.
pub(crate) fn add_references(
    index: &Index,
    hop: Hop,
    filter: &ClaimFilter,
    sign: Sign,
    out: &mut Vec<RefIx>,
) {
    for &c in hop.claims {
        if passes(index, filter, c) && agrees(index, c, sign) {
            for &r in index.claim_refs(c) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Params};

    #[test]
    fn hop_summaries_follow_the_hop_rule() {
        let mut graph = generate(Params::new(3000, 300, 7));
        graph.claims[11].negated = true;
        let index = Index::new(&graph);
        let mut negated_only = 0;
        for h in 0..index.hop_count() as u32 {
            let summary = index.hop_summary(h);
            assert_eq!(summary, summarize(&index, index.hop(h), &ClaimFilter::default()), "hop {h}");
            assert_eq!(summary.is_some(), index.hop_asserted(h));
            let Some(summary) = summary else {
                negated_only += 1;
                continue;
            };
            // The lead by the whole rule, ids included, gives the hop its sign.
            let lead =
                index.hop(h).claims.iter().copied().filter(|&c| !index.claim_facts(c).negated).max_by_key(
                    |&c| {
                        let f = index.claim_facts(c);
                        let key = (
                            f.sign != Sign::None,
                            !f.contested(),
                            f.best,
                            f.certainty,
                            index.claim_refs(c).len(),
                        );
                        (key, std::cmp::Reverse(&index.claim(c).id))
                    },
                );
            let lead = index.claim_facts(lead.expect("an asserted hop has a lead"));
            assert_eq!((summary.sign, summary.contested), (lead.sign, lead.contested()), "hop {h}");
            assert_eq!(HopSummary::unpack(HopSummary::pack(Some(summary))), Some(Some(summary)));
        }
        assert!(negated_only > 0, "the sample has hops of negated claims only");
    }
}
