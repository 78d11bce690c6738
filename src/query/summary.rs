//! The answer first: what the paths of a trace add up to, before the paths.
//!
//! A person asking "how does zinc reach bone mineralization?" wants a verdict
//! with its strength, not eighteen chains to add up in their head. The
//! verdict counts only paths that stay in one context (a chain that moves
//! from osteoblasts to artery walls concludes nothing), and prefers paths no
//! curator marked contested when there are any.

use super::context::{is_primary, rank, HUMAN_RANK};
use super::{PathHop, PathSource, TracePath};
use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::{Sign, StudyLevel};
use std::collections::BTreeSet;

/// What the context-consistent paths say, together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Increases,
    Decreases,
    /// Context-consistent paths of both signs.
    Mixed,
    /// Only associative paths (no net sign).
    Associated,
    /// No path, or none that stays in one context.
    None,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Increases => "increases",
            Verdict::Decreases => "decreases",
            Verdict::Mixed => "mixed",
            Verdict::Associated => "associated",
            Verdict::None => "none",
        }
    }

    /// The sign a verdict stands for, if one.
    pub fn sign(self) -> Option<Sign> {
        match self {
            Verdict::Increases => Some(Sign::Plus),
            Verdict::Decreases => Some(Sign::Minus),
            Verdict::Associated => Some(Sign::None),
            _ => None,
        }
    }
}

/// The direct claim FROM → TO, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direct {
    pub sign: Sign,
    pub best_evidence: Option<StudyLevel>,
    pub contested: bool,
    pub claims: Vec<ClaimIx>,
}

/// The summary of a trace (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceSummary {
    pub verdict: Verdict,
    /// Context-consistent paths that decide the verdict and agree with it.
    pub agreeing: usize,
    /// Paths found (kept), and whether more exist.
    pub paths: usize,
    pub truncated: bool,
    pub increasing: usize,
    pub decreasing: usize,
    pub associative: usize,
    pub crossing_context: usize,
    pub contested: usize,
    pub direct: Option<Direct>,
    /// The verdict path with the best weakest link (0-based rank), and that link.
    pub strongest: Option<(usize, Option<StudyLevel>)>,
    /// The strongest human study type on a context-consistent path with the
    /// verdict's sign (both signs when mixed).
    pub best_human_evidence: Option<StudyLevel>,
    /// The strongest human study on a context-consistent associative path:
    /// with no human evidence for the verdict, "human evidence: associations only".
    pub best_human_association: Option<StudyLevel>,
    /// Distinct hops (over all paths) carrying a conflicting claim; how many
    /// of those carry a dispute (a side a curator marked contested, by
    /// `check`'s rule); and how many of the others have every conflict
    /// observed outside the hop's context.
    pub conflict_hops: usize,
    pub conflicts_disputed: usize,
    pub conflicts_explained: usize,
}

/// A context-consistent path: (rank, sign, contested, weakest link, best human level).
type Consistent = (usize, Sign, bool, Option<StudyLevel>, Option<StudyLevel>);

/// Adds paths one at a time, so a streamed report can summarise without
/// holding every path.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    counts: [usize; 5],
    /// Per consistent path: (rank, sign, contested, weakest, best human level).
    consistent: Vec<Consistent>,
    conflict_hops: BTreeSet<(EntityIx, EntityIx)>,
    disputed: BTreeSet<(EntityIx, EntityIx)>,
    explained: BTreeSet<(EntityIx, EntityIx)>,
    seen: usize,
}

/// The best human study level among the evidence of a path's carrying claims.
fn human_level(index: &Index, path: &TracePath) -> Option<StudyLevel> {
    path.hops
        .iter()
        .flat_map(|h| &h.claims)
        .flat_map(|&c| &index.claim(c).evidence)
        .filter_map(|e| e.level(&index.vocab))
        .filter(|&l| rank(&index.vocab, l) >= HUMAN_RANK)
        .max()
}

impl SummaryBuilder {
    pub fn add(&mut self, index: &Index, path: &TracePath) {
        let rank = self.seen;
        self.seen += 1;
        match path.sign {
            Sign::Plus => self.counts[0] += 1,
            Sign::Minus => self.counts[1] += 1,
            Sign::None => self.counts[2] += 1,
        }
        if path.contested {
            self.counts[4] += 1;
        }
        if path.crosses_context() {
            self.counts[3] += 1;
        } else {
            self.consistent.push((rank, path.sign, path.contested, path.weakest, human_level(index, path)));
        }
        for hop in path.hops.iter().filter(|h| !h.conflicts.is_empty()) {
            let key = (hop.subject, hop.object);
            if !self.conflict_hops.insert(key) {
                continue;
            }
            if hop.conflicts.iter().any(|&c| hop.disputed_by(index, c).is_some()) {
                self.disputed.insert(key);
            } else if explained(index, hop) {
                self.explained.insert(key);
            }
        }
    }

    pub fn finish(self, source: &dyn PathSource) -> TraceSummary {
        // Paths no curator contested decide, when there are any.
        let uncontested = self.consistent.iter().any(|p| !p.2);
        let deciding: Vec<_> = self.consistent.iter().filter(|p| !(uncontested && p.2)).collect();
        let has = |s: Sign| deciding.iter().any(|p| p.1 == s);
        let verdict = match (has(Sign::Plus), has(Sign::Minus), has(Sign::None)) {
            (true, true, _) => Verdict::Mixed,
            (true, false, _) => Verdict::Increases,
            (false, true, _) => Verdict::Decreases,
            (false, false, true) => Verdict::Associated,
            _ => Verdict::None,
        };
        let for_verdict = |p: &&&Consistent| match verdict {
            Verdict::Mixed => p.1 != Sign::None,
            v => v.sign() == Some(p.1),
        };
        let agreeing = deciding.iter().filter(for_verdict).count();
        let strongest = deciding.iter().filter(for_verdict).fold(
            None::<(usize, Option<StudyLevel>)>,
            |best, p| match best {
                Some((_, w)) if w >= p.3 => best,
                _ => Some((p.0, p.3)),
            },
        );
        let best_human_evidence = deciding.iter().filter(for_verdict).filter_map(|p| p.4).max();
        let best_human_association =
            self.consistent.iter().filter(|p| p.1 == Sign::None).filter_map(|p| p.4).max();
        TraceSummary {
            verdict,
            agreeing,
            paths: self.seen,
            truncated: source.truncated(),
            increasing: self.counts[0],
            decreasing: self.counts[1],
            associative: self.counts[2],
            crossing_context: self.counts[3],
            contested: self.counts[4],
            direct: source.direct().map(direct),
            strongest,
            best_human_evidence,
            best_human_association,
            conflict_hops: self.conflict_hops.len(),
            conflicts_disputed: self.disputed.len(),
            conflicts_explained: self.explained.len(),
        }
    }
}

fn direct(hop: &PathHop) -> Direct {
    Direct {
        sign: hop.sign,
        best_evidence: hop.best_evidence,
        contested: hop.contested,
        claims: hop.claims.clone(),
    }
}

/// Whether every conflict on a hop was observed outside the hop's context
/// ([`super::context::differences`]).
fn explained(index: &Index, hop: &PathHop) -> bool {
    hop.conflicts.iter().all(|&c| !super::context::differences(index, &hop.context, c).is_empty())
}

/// Summarise every path of a trace.
pub fn summarize_trace(index: &Index, source: &dyn PathSource) -> TraceSummary {
    let mut builder = SummaryBuilder::default();
    for i in 0..source.len() {
        builder.add(index, &source.path(i));
    }
    builder.finish(source)
}

/// Whether a level is a primary study (not a review, reference value or structural fact).
pub fn primary(index: &Index, level: Option<StudyLevel>) -> bool {
    level.is_some_and(|l| is_primary(&index.vocab, l))
}
