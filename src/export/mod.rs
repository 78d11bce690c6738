//! Diagrams of a graph: what to draw, and how each thing looks.
//!
//! A diagram starts from a [`Selection`] (the whole graph, the neighbourhood
//! of an entity, the claims one reference supports, or the paths a trace
//! found), optionally with a highlighted subset. This module decides the
//! *look* shared by every format — rank by kind along the causal flow, shape
//! and colour by kind, line and arrowhead by sign, claims between the same
//! pair merged into one edge — so that [`dot`] only turns it into DOT text and
//! [`render`] only runs Graphviz.

pub mod biolink;
pub mod cytoscape;
pub mod dot;
pub mod escape;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod kgx;
pub mod mermaid;
pub mod neo4j;
pub mod rdf;
pub mod records;
pub mod render;
pub mod tabular;

pub use crate::cite::Citations;

use crate::index::{ClaimIx, EntityIx, Index, RefIx};
use crate::model::{Certainty, PredicateClass, Sign};
use crate::query::{ClaimFilter, PathHop, TraceResult};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Above this many drawn edges a whole diagram stops being readable; the
/// command line suggests narrowing it.
pub const READABLE_EDGES: usize = 300;

/// How edge labels cite their evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Labels {
    /// `activates [3,7]`, numbered as in the legend's reference list.
    #[default]
    Numbers,
    /// `activates [Seo et al. 2010; Bae 2011]`: readable without the list.
    AuthorYear,
}

/// The entities and claims to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// A short description for the diagram's caption ("around Zinc, depth 1").
    pub caption: String,
    pub entities: BTreeSet<EntityIx>,
    pub claims: BTreeSet<ClaimIx>,
    pub ranking: Ranking,
    /// Drawn strong; everything else is faded. `None` draws all alike.
    pub highlight: Option<Highlight>,
    /// The reference numbers the diagram starts from: a trace's own, so the
    /// legend numbers as the trace report does; else empty (first use along
    /// the edges).
    pub citations: Citations,
}

/// How entities are placed from left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// In tiers along the causal flow: food → nutrient → enzyme → cell → process → tissue.
    ByKind,
    /// By distance from `source`; `target` last (a trace).
    FromTo { source: EntityIx, target: EntityIx },
}

/// The part of a selection drawn strong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlight {
    pub entities: BTreeSet<EntityIx>,
    pub claims: BTreeSet<ClaimIx>,
}

impl Highlight {
    /// The claims carrying the hops of a trace's paths.
    pub fn trace(index: &Index, result: &TraceResult) -> Highlight {
        let carrying = result.paths.iter().flat_map(|p| &p.hops).flat_map(|h| h.claims.iter().copied());
        Highlight::from_claims(index, carrying)
    }

    /// The claims given and their endpoints.
    pub fn from_claims(index: &Index, claims: impl IntoIterator<Item = ClaimIx>) -> Highlight {
        let claims: BTreeSet<ClaimIx> = claims.into_iter().collect();
        Highlight { entities: endpoints(index, &claims), claims }
    }
}

impl Selection {
    /// Every entity and claim.
    pub fn whole(index: &Index) -> Selection {
        let title = index.title();
        let caption = if title.is_empty() { "whole graph".to_string() } else { title.to_string() };
        Selection {
            caption,
            entities: (0..index.entity_count() as EntityIx).collect(),
            claims: (0..index.claim_count() as ClaimIx).collect(),
            ranking: Ranking::ByKind,
            highlight: None,
            citations: Citations::default(),
        }
    }

    /// Entities within `depth` claims of `center` (either direction), at
    /// most `limit` of them besides the center, and every claim between two
    /// of them; and how many entities there were within reach.
    ///
    /// A hub with 100,000 neighbours would make a diagram nobody can read and
    /// Graphviz takes minutes over, so each ring keeps its best-supported
    /// entities (strongest evidence on the connecting claims, then more of
    /// them, then id) and only those are expanded further.
    pub fn around(index: &Index, center: EntityIx, depth: usize, limit: usize) -> (Selection, usize) {
        let mut kept: BTreeSet<EntityIx> = BTreeSet::from([center]);
        let mut ring = vec![center];
        for _ in 0..depth {
            let mut next: BTreeMap<EntityIx, Support> = BTreeMap::new();
            for &e in &ring {
                let links = index.out_links(e).iter().chain(index.in_links(e));
                for l in links.filter(|l| !kept.contains(&l.entity)) {
                    next.entry(l.entity).or_default().add(index, l.hop);
                }
            }
            let mut ranked: Vec<(EntityIx, Support)> = next.into_iter().collect();
            ranked.sort_by(|(a, sa), (b, sb)| {
                sb.cmp(sa).then_with(|| index.entity(*a).id.cmp(&index.entity(*b).id))
            });
            ranked.truncate(limit.saturating_sub(kept.len() - 1));
            ring = ranked.into_iter().map(|(e, _)| e).collect();
            kept.extend(&ring);
        }
        let claims = kept
            .iter()
            .flat_map(|&e| index.out_links(e).iter().filter(|l| kept.contains(&l.entity)))
            .flat_map(|l| index.hop(l.hop).claims.iter().copied())
            .collect();
        let selection = Selection {
            caption: format!("around {}, depth {depth}", index.entity(center).name),
            entities: kept,
            claims,
            ranking: Ranking::ByKind,
            highlight: None,
            citations: Citations::default(),
        };
        (selection, within_reach(index, center, depth))
    }

    /// The claims `reference` supports, with their endpoints.
    pub fn reference(index: &Index, reference: RefIx) -> Selection {
        let claims: BTreeSet<ClaimIx> = (0..index.claim_count() as ClaimIx)
            .filter(|&c| index.claim_refs(c).contains(&reference))
            .collect();
        Selection {
            caption: format!("claims supported by {}", crate::cite::short(index.reference(reference))),
            entities: endpoints(index, &claims),
            claims,
            ranking: Ranking::ByKind,
            highlight: None,
            citations: Citations::default(),
        }
    }

    /// The claims along paths from `source` to `target`, ranked by distance
    /// from the source.
    pub fn paths(
        index: &Index,
        source: EntityIx,
        target: EntityIx,
        claims: impl IntoIterator<Item = ClaimIx>,
    ) -> Selection {
        let claims: BTreeSet<ClaimIx> = claims.into_iter().collect();
        let mut entities = endpoints(index, &claims);
        entities.extend([source, target]);
        Selection {
            caption: format!("paths from {} to {}", index.entity(source).name, index.entity(target).name),
            entities,
            claims,
            ranking: Ranking::FromTo { source, target },
            highlight: None,
            citations: Citations::default(),
        }
    }

    /// The paths a trace found: the claims carrying each hop, and those
    /// contradicting it (conflicts are shown, not hidden), numbered as the
    /// trace report numbers them.
    pub fn trace(index: &Index, result: &TraceResult) -> Selection {
        let claims = result
            .paths
            .iter()
            .flat_map(|p| &p.hops)
            .flat_map(|h| h.claims.iter().chain(&h.conflicts).copied());
        Selection {
            citations: Citations::for_trace(index, result),
            ..Selection::paths(index, result.from, result.to, claims)
        }
    }

    /// Draw `highlight` strong and the rest faded. Highlighted things outside
    /// the selection are added to it, so the highlight is always complete.
    pub fn with_highlight(mut self, highlight: Highlight) -> Selection {
        self.entities.extend(&highlight.entities);
        self.claims.extend(&highlight.claims);
        self.highlight = Some(highlight);
        self
    }

    pub fn is_highlighted_entity(&self, e: EntityIx) -> bool {
        self.highlight.as_ref().is_none_or(|h| h.entities.contains(&e))
    }

    pub fn is_highlighted_claim(&self, c: ClaimIx) -> bool {
        self.highlight.as_ref().is_none_or(|h| h.claims.contains(&c))
    }
}

/// How strongly an entity is tied to the ring before it: the best evidence
/// on the connecting claims, then their number (larger is stronger).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Support {
    best: Option<crate::model::StudyLevel>,
    claims: usize,
}

impl Support {
    fn add(&mut self, index: &Index, hop: u32) {
        for &c in index.hop(hop).claims {
            self.best = self.best.max(index.claim_facts(c).best);
            self.claims += 1;
        }
    }
}

/// How many entities lie within `depth` hops of `center`, either direction.
fn within_reach(index: &Index, center: EntityIx, depth: usize) -> usize {
    let mut seen: BTreeSet<EntityIx> = BTreeSet::from([center]);
    let mut queue = VecDeque::from([(center, 0)]);
    while let Some((e, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for l in index.out_links(e).iter().chain(index.in_links(e)) {
            if seen.insert(l.entity) {
                queue.push_back((l.entity, d + 1));
            }
        }
    }
    seen.len() - 1
}

fn claim_endpoints(index: &Index, c: ClaimIx) -> (Option<EntityIx>, Option<EntityIx>) {
    let claim = index.claim(c);
    (index.entity_ix(&claim.subject), index.entity_ix(&claim.object))
}

fn endpoints(index: &Index, claims: &BTreeSet<ClaimIx>) -> BTreeSet<EntityIx> {
    claims
        .iter()
        .flat_map(|&c| {
            let (s, o) = claim_endpoints(index, c);
            [s, o]
        })
        .flatten()
        .collect()
}

/// How an entity kind is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindStyle {
    /// Position along the causal flow, left to right.
    pub tier: u8,
    pub shape: &'static str,
    /// Fill colour from Paul Tol's "light" scheme: colour-blind safe, and black
    /// text stays readable on every one of them.
    pub fill: &'static str,
}

/// The look of each kind. Kinds sharing a tier share hues, told apart by shape.
pub fn kind_style(kind: &str) -> KindStyle {
    let (tier, shape, fill) = match kind {
        "food" => (0, "folder", "#BBCC33"),
        "supplement" => (0, "tab", "#BBCC33"),
        "guideline" => (0, "note", "#FFFFFF"),
        "nutrient" => (1, "ellipse", "#EEDD88"),
        "compound" => (1, "octagon", "#EEDD88"),
        "enzyme" => (2, "box", "#77AADD"),
        "protein" => (2, "box", "#99DDFF"),
        "gene" => (2, "cds", "#99DDFF"),
        "receptor" => (2, "invhouse", "#77AADD"),
        "cell" => (3, "ellipse", "#EE8866"),
        "process" => (4, "hexagon", "#FFAABB"),
        "tissue" => (5, "box3d", "#44BB99"),
        "outcome" => (5, "octagon", "#DDDDDD"),
        "disease" => (5, "doubleoctagon", "#AAAA00"),
        _ => (3, "box", "#FFFFFF"),
    };
    KindStyle { tier, shape, fill }
}

/// Whether the built-in look table knows `kind`.
fn is_builtin_kind(kind: &str) -> bool {
    crate::model::Vocabulary::builtin().kind(kind).is_some()
}

/// Looks for the kinds a graph declares itself: Tol "light" fills with shapes
/// the built-in kinds do not use, so two declared kinds never look alike (nor
/// like a built-in one) until these run out.
const DECLARED_LOOKS: [(&str, &str); 12] = [
    ("diamond", "#77AADD"),
    ("parallelogram", "#EE8866"),
    ("trapezium", "#44BB99"),
    ("house", "#FFAABB"),
    ("cylinder", "#EEDD88"),
    ("egg", "#99DDFF"),
    ("septagon", "#BBCC33"),
    ("pentagon", "#DDDDDD"),
    ("invtrapezium", "#AAAA00"),
    ("component", "#77AADD"),
    ("Mdiamond", "#EE8866"),
    ("Msquare", "#44BB99"),
];

/// How each kind in a picture is drawn: built-in kinds by [`kind_style`];
/// kinds the graph declares get a look of their own (in the order of their
/// ids) and a tier inferred from the direction of the picture's claims — a
/// kind whose entities are caused by another kind's stands right of it, so
/// an outcome ("Rock trails") ends right of its cause.
#[derive(Debug, Clone, Default)]
pub struct KindStyles {
    declared: BTreeMap<String, KindStyle>,
}

impl KindStyles {
    pub fn new(index: &Index, selection: &Selection) -> KindStyles {
        let declared: Vec<String> =
            index.vocab.kinds().map(|k| k.id.clone()).filter(|k| !is_builtin_kind(k)).collect();
        if declared.is_empty() {
            return KindStyles::default();
        }
        let tiers = declared_tiers(index, selection, &declared);
        let declared = declared
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let (shape, fill) = DECLARED_LOOKS[i % DECLARED_LOOKS.len()];
                (k.clone(), KindStyle { tier: tiers[k], shape, fill })
            })
            .collect();
        KindStyles { declared }
    }

    pub fn of(&self, kind: &str) -> KindStyle {
        self.declared.get(kind).copied().unwrap_or_else(|| kind_style(kind))
    }

    /// A tier's cluster label: the built-in name, or — when the picture puts
    /// declared kinds in the tier — the labels of the kinds it holds.
    pub fn tier_label(&self, index: &Index, selection: &Selection, tier: u8) -> String {
        let kinds: BTreeSet<&str> = selection
            .entities
            .iter()
            .map(|&e| index.entity(e).kind.as_str())
            .filter(|k| self.of(k).tier == tier)
            .collect();
        if !kinds.iter().any(|k| self.declared.contains_key(*k)) {
            return tier_label(tier).to_string();
        }
        let label = |k: &str| {
            index.vocab.kind(k).map_or(k.to_string(), |d| {
                if d.label.is_empty() {
                    d.id.clone()
                } else {
                    d.label.clone()
                }
            })
        };
        kinds.iter().map(|k| label(k)).collect::<Vec<_>>().join(", ")
    }
}

/// Tiers for declared kinds from the claims between the picture's kinds: a
/// declared kind goes one tier right of the rightmost kind that causes it,
/// or, when nothing causes it, one tier left of the leftmost kind it causes
/// (tier 3, the middle, when it is not linked at all). Relaxed a few rounds,
/// so chains of declared kinds line up; cycles simply stop moving.
fn declared_tiers(index: &Index, selection: &Selection, declared: &[String]) -> BTreeMap<String, u8> {
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for &c in &selection.claims {
        if let (Some(s), Some(o)) = claim_endpoints(index, c) {
            let (ks, ko) = (index.entity(s).kind.to_string(), index.entity(o).kind.to_string());
            if ks != ko {
                pairs.insert((ks, ko));
            }
        }
    }
    let is_declared = |k: &str| declared.iter().any(|d| d == k);
    let linked: BTreeSet<&str> = pairs.iter().flat_map(|(s, o)| [s.as_str(), o.as_str()]).collect();
    let mut tiers: BTreeMap<String, u8> =
        declared.iter().map(|k| (k.clone(), if linked.contains(k.as_str()) { 0 } else { 3 })).collect();
    let tier =
        |tiers: &BTreeMap<String, u8>, k: &str| tiers.get(k).copied().unwrap_or_else(|| kind_style(k).tier);
    let caused: BTreeSet<&str> = pairs.iter().map(|(_, o)| o.as_str()).collect();
    // Declared kinds nothing causes start at the left edge.
    for k in declared.iter().filter(|k| !caused.contains(k.as_str())) {
        let effects = pairs.iter().filter(|(s, _)| s == k).map(|(_, o)| o.as_str());
        let builtin_effect = effects.filter(|o| !is_declared(o)).map(|o| kind_style(o).tier).min();
        tiers.insert(k.clone(), builtin_effect.map_or(0, |t| t.saturating_sub(1)));
    }
    for _ in 0..declared.len() {
        for (s, o) in &pairs {
            if is_declared(o) && caused.contains(o.as_str()) {
                let right = (tier(&tiers, s) + 1).min(5);
                let slot = tiers.get_mut(o).expect("declared");
                *slot = (*slot).max(right).min(5);
            }
        }
    }
    tiers
}

/// The name of a tier's cluster in a whole-graph diagram: kinds sharing a
/// tier form one subsystem of the causal flow.
pub fn tier_label(tier: u8) -> &'static str {
    match tier {
        0 => "Diet, supplements, guidelines",
        1 => "Nutrients and compounds",
        2 => "Enzymes, proteins, genes, receptors",
        3 => "Cells",
        4 => "Processes",
        _ => "Tissues, outcomes, diseases",
    }
}

/// Left-to-right columns for [`Ranking::ByKind`]: each tier starts after the
/// previous one ends, and within a tier an entity sits one column after the
/// entities of the same tier that point at it (osteoporosis after BMD), so
/// claims inside a tier still run left to right instead of stacking
/// vertically. Claims in a cycle (or against the causal flow) are ignored.
/// Finally an entity nothing points at (a cause, like zinc deficiency) moves
/// left to just before its nearest effect, instead of waiting in its kind's
/// column and sending every claim back across the picture — but never out of
/// its tier's columns, so each tier can be drawn as one cluster.
///
/// Complexity: O(V + E) after sorting.
pub fn columns(index: &Index, selection: &Selection) -> BTreeMap<EntityIx, u32> {
    let styles = KindStyles::new(index, selection);
    let tier = |e: EntityIx| styles.of(&index.entity(e).kind).tier;
    let mut by_tier: BTreeMap<u8, Vec<EntityIx>> = BTreeMap::new();
    for &e in &selection.entities {
        by_tier.entry(tier(e)).or_default().push(e);
    }
    let mut within: BTreeMap<EntityIx, Vec<EntityIx>> = BTreeMap::new();
    let mut indegree: BTreeMap<EntityIx, usize> = BTreeMap::new();
    let mut seen: BTreeSet<(EntityIx, EntityIx)> = BTreeSet::new();
    for &c in &selection.claims {
        let (Some(s), Some(o)) = claim_endpoints(index, c) else { continue };
        if s != o && tier(s) == tier(o) && selection.entities.contains(&s) && seen.insert((s, o)) {
            within.entry(s).or_default().push(o);
            *indegree.entry(o).or_default() += 1;
        }
    }
    let mut columns = BTreeMap::new();
    let mut tier_start: BTreeMap<u8, u32> = BTreeMap::new();
    let mut start = 0;
    for (&t, members) in &by_tier {
        tier_start.insert(t, start);
        // Kahn's algorithm: an entity's offset is settled once every
        // same-tier predecessor is; what a cycle leaves unsettled gets 0.
        let mut offset: BTreeMap<EntityIx, u32> = members.iter().map(|&e| (e, 0)).collect();
        let mut ready: VecDeque<EntityIx> =
            members.iter().copied().filter(|e| indegree.get(e).is_none_or(|&d| d == 0)).collect();
        while let Some(e) = ready.pop_front() {
            for &o in within.get(&e).into_iter().flatten() {
                let next = offset[&e] + 1;
                let slot = offset.get_mut(&o).expect("same tier");
                *slot = (*slot).max(next);
                let d = indegree.get_mut(&o).expect("counted");
                *d -= 1;
                if *d == 0 {
                    ready.push_back(o);
                }
            }
        }
        let width = offset.values().max().copied().unwrap_or(0) + 1;
        for (e, o) in offset {
            columns.insert(e, start + o);
        }
        start += width;
    }
    let mut has_cause: BTreeSet<EntityIx> = BTreeSet::new();
    let mut effects: BTreeMap<EntityIx, Vec<EntityIx>> = BTreeMap::new();
    for &c in &selection.claims {
        if let (Some(s), Some(o)) = claim_endpoints(index, c) {
            if s != o && selection.entities.contains(&s) && selection.entities.contains(&o) {
                has_cause.insert(o);
                effects.entry(s).or_default().push(o);
            }
        }
    }
    for (cause, effects) in effects.into_iter().filter(|(s, _)| !has_cause.contains(s)) {
        let nearest = effects.iter().map(|o| columns[o]).min().unwrap_or(0);
        let floor = tier_start[&tier(cause)];
        if nearest > 0 && nearest <= columns[&cause] {
            columns.insert(cause, (nearest - 1).max(floor));
        }
    }
    columns
}

/// What an edge says about the object, which decides its line and arrowhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// A causal `+` predicate: normal arrow.
    Increases,
    /// A causal `−` predicate: tee arrowhead.
    Decreases,
    /// A correlative `+` predicate: dashed, normal arrow.
    CorrelatesPositively,
    /// A correlative `−` predicate: dashed, tee arrowhead.
    CorrelatesNegatively,
    /// Structural or unsigned: dashed, open arrowhead.
    Unsigned,
}

impl Effect {
    pub fn of(sign: Sign, class: PredicateClass) -> Effect {
        match (class, sign) {
            (PredicateClass::Causal, Sign::Plus) => Effect::Increases,
            (PredicateClass::Causal, Sign::Minus) => Effect::Decreases,
            (PredicateClass::Correlative, Sign::Plus) => Effect::CorrelatesPositively,
            (PredicateClass::Correlative, Sign::Minus) => Effect::CorrelatesNegatively,
            _ => Effect::Unsigned,
        }
    }

    pub fn arrowhead(self) -> &'static str {
        match self {
            Effect::Increases | Effect::CorrelatesPositively => "normal",
            Effect::Decreases | Effect::CorrelatesNegatively => "tee",
            Effect::Unsigned => "empty",
        }
    }

    pub fn line(self) -> &'static str {
        match self {
            Effect::Increases | Effect::Decreases => "solid",
            _ => "dashed",
        }
    }

    /// Words for the legend.
    pub fn describe(self) -> &'static str {
        match self {
            Effect::Increases => "increases (+)",
            Effect::Decreases => "decreases (−)",
            Effect::CorrelatesPositively => "correlates positively",
            Effect::CorrelatesNegatively => "correlates negatively",
            Effect::Unsigned => "unsigned / structural",
        }
    }
}

/// One drawn edge: every claim from `subject` to `object` with the same
/// effect and negation, merged so five papers make one edge, not a fan.
/// Claims that disagree (a `+` and a `−`) stay separate edges: conflicts are
/// shown, not averaged away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnEdge {
    pub subject: EntityIx,
    pub object: EntityIx,
    pub effect: Effect,
    pub negated: bool,
    /// Every claim is tentative or contested.
    pub weak: bool,
    /// Some claim on it contradicts, or is contradicted by, a claim drawn on
    /// another edge between the same two entities (see [`conflicts`]).
    pub conflicting: bool,
    pub highlighted: bool,
    /// In claim-id order.
    pub claims: Vec<ClaimIx>,
}

/// The edges of a selection, sorted by subject id, object id, effect.
pub fn edges(index: &Index, selection: &Selection) -> Vec<DrawnEdge> {
    let conflicts = conflicts(index, selection);
    let mut groups: BTreeMap<(&str, &str, Effect, bool), Vec<ClaimIx>> = BTreeMap::new();
    for &c in &selection.claims {
        let claim = index.claim(c);
        let effect = index.predicate(c).map_or(Effect::Unsigned, |p| Effect::of(p.sign, p.class));
        let key = (claim.subject.as_str(), claim.object.as_str(), effect, claim.negated);
        groups.entry(key).or_default().push(c);
    }
    groups
        .into_iter()
        .filter_map(|((s, o, effect, negated), mut claims)| {
            claims.sort_by_key(|&c| &index.claim(c).id);
            let weak = claims.iter().all(|&c| {
                matches!(index.claim(c).certainty(), Some(Certainty::Tentative | Certainty::Contested))
            });
            let highlighted = claims.iter().any(|&c| selection.is_highlighted_claim(c));
            let conflicting = claims.iter().any(|c| conflicts.contains_key(c));
            Some(DrawnEdge {
                subject: index.entity_ix(s)?,
                object: index.entity_ix(o)?,
                effect,
                negated,
                weak,
                conflicting,
                highlighted,
                claims,
            })
        })
        .collect()
}

/// For each claim of the selection that takes part in a conflict, the
/// claims of the selection on the same endpoints that contradict it.
///
/// The same rule as `trace`'s hops ([`PathHop::evaluate`] without filters):
/// the hop's leading sign decides which side is "the hop" and which claims
/// contradict it (the opposite sign, or a negation of it); here both sides
/// are marked, since a diagram does not pick a winner.
pub fn conflicts(index: &Index, selection: &Selection) -> BTreeMap<ClaimIx, Vec<ClaimIx>> {
    let mut out: BTreeMap<ClaimIx, Vec<ClaimIx>> = BTreeMap::new();
    for conflict in conflict_groups(index, selection) {
        for &c in &conflict.side {
            out.entry(c).or_default().extend(&conflict.against);
        }
        for &c in &conflict.against {
            out.entry(c).or_default().extend(&conflict.side);
        }
    }
    out
}

/// One conflict between two entities: the claims that give the hop its
/// sign and the selected claims that contradict them. Every claim of one
/// side conflicts with every claim of the other, so a page can name the
/// conflict once instead of listing the other side under every claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub side: Vec<ClaimIx>,
    pub against: Vec<ClaimIx>,
}

/// The conflicts of a selection, one per pair of entities that has one (see
/// [`conflicts`]), in subject then object order.
pub fn conflict_groups(index: &Index, selection: &Selection) -> Vec<Conflict> {
    let mut out = Vec::new();
    let filter = ClaimFilter::default();
    for &s in &selection.entities {
        for (o, hop) in index.outgoing(s) {
            if !selection.entities.contains(&o) {
                continue;
            }
            let Some(evaluated) = PathHop::evaluate(index, s, o, hop, &filter) else { continue };
            let shown = |c: &ClaimIx| selection.claims.contains(c);
            let side: Vec<ClaimIx> = evaluated.claims.iter().copied().filter(shown).collect();
            let against: Vec<ClaimIx> = evaluated.conflicts.iter().copied().filter(shown).collect();
            // Only claims that really disagree: a hop carried by "zinc
            // increases ALP" and by the unsigned "zinc is a cofactor of ALP"
            // conflicts with "zinc decreases ALP" through the first alone.
            let disagree =
                |c: ClaimIx, a: ClaimIx| crate::check::disagree(index.claim(c), index.claim(a), &index.vocab);
            let side: Vec<ClaimIx> =
                side.into_iter().filter(|&c| against.iter().any(|&a| disagree(c, a))).collect();
            let against: Vec<ClaimIx> =
                against.into_iter().filter(|&a| side.iter().any(|&c| disagree(c, a))).collect();
            if !side.is_empty() && !against.is_empty() {
                out.push(Conflict { side, against });
            }
        }
    }
    out
}
