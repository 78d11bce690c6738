//! Synthetic graphs for benchmarks: a valid claimgraph document of any size,
//! with the shape real literature-mined graphs have.
//!
//! Real graphs are not uniform. A few entities (glucose, TNF, inflammation) sit
//! in a large share of all claims, most entities appear in a handful, and a few
//! references are cited over and over. Benchmarks on uniform random graphs
//! would flatter every algorithm, so degrees here follow a power law, one
//! entity is an explicit hub (about a tenth of all claims touch it), and every
//! built-in kind and predicate is used. The output passes `check` without
//! errors: predicates respect their usual subject/object kinds, no claim is
//! written twice, every entity and reference is used, and the only conflicting
//! pairs are the ones planted on purpose (one in a thousand claims).
//!
//! Deterministic: the same parameters and seed give the same document, byte
//! for byte, on every platform (a hand-rolled splitmix64, no OS entropy).
//!
//! The DOIs use `10.5555`, the prefix Crossref reserves for test records, so a
//! synthetic reference can never be mistaken for a real paper.

use crate::model::{Claim, Entity, Evidence, Graph, Reference, Sign, Text, Vocabulary, SCHEMA};
use std::collections::{HashMap, HashSet};

/// How claim endpoints are drawn: real graphs come in many shapes, and a
/// benchmark on one shape says little about another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// Power-law degrees plus one explicit hub in ~10% of claims (the
    /// original generator; its output is unchanged byte for byte).
    #[default]
    Powerlaw,
    /// Both endpoints uniform: no hubs, short random paths everywhere.
    Uniform,
    /// Literature-mined: [`HUBS`] hubs, each side of a claim a hub with
    /// probability 0.4, so ~64% of claims touch a hub; the rest uniform.
    Hub,
    /// Curated-pathway-like: [`LAYERS`] layers in entity order; a claim goes
    /// to the next layer (90%) or skips one (10%), so paths are long and sparse.
    Layered,
    /// Watts–Strogatz-like: a ring where each claim links an entity to one of
    /// its next `2·claims/entities` neighbours, rewired to a random entity
    /// with probability 0.1.
    Smallworld,
}

/// How many hubs [`Shape::Hub`] has (fewer in graphs under 2,000 entities).
pub const HUBS: usize = 20;
/// How many layers [`Shape::Layered`] has (fewer in tiny graphs).
pub const LAYERS: usize = 8;

impl Shape {
    pub const ALL: [Shape; 5] =
        [Shape::Powerlaw, Shape::Uniform, Shape::Hub, Shape::Layered, Shape::Smallworld];

    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Powerlaw => "powerlaw",
            Shape::Uniform => "uniform",
            Shape::Hub => "hub",
            Shape::Layered => "layered",
            Shape::Smallworld => "smallworld",
        }
    }

    pub fn parse(s: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.as_str() == s)
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub claims: usize,
    pub entities: usize,
    /// References cited by the claims; [`Params::new`] picks one per 20 claims.
    pub references: usize,
    pub seed: u64,
    pub shape: Shape,
}

impl Params {
    pub fn new(claims: usize, entities: usize, seed: u64) -> Params {
        Params { claims, entities, references: (claims / 20).max(1), seed, shape: Shape::Powerlaw }
    }

    pub fn with_shape(self, shape: Shape) -> Params {
        Params { shape, ..self }
    }
}

/// splitmix64: tiny, fast, and good enough for shaping test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards low indices: P(i < k) = (k/n)^(1/3), so index 0 is a
    /// hub and the tail is long.
    fn skewed(&mut self, n: usize) -> usize {
        ((n as f64 * self.unit().powi(3)) as usize).min(n - 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const SPECIES: &[&str] = &["human", "mouse", "rat", "zebrafish", "pig", "cow"];
const MODELS: &[&str] = &["MC3T3-E1", "RAW264.7", "Saos-2", "HEK293", "ovariectomized rat", "UK Biobank"];
const TISSUES: &[&str] = &["bone", "aorta", "liver", "serum", "intestine", "kidney"];
const CONDITIONS: &[&str] = &["high-phosphate medium", "ovariectomized", "zinc-deficient diet"];
const JOURNALS: &[&str] = &["Synthetic Journal of Nutrition", "Journal of Generated Biology", "Test Reports"];
const NAMES: &[&str] =
    &["Zorvan", "Kelitase", "Mirolin", "Tavrex", "Osmune", "Petrogen", "Calvic", "Dunerin"];

/// Entity id for index `i` (zero-padded so file order is id order).
pub fn entity_id(i: usize) -> String {
    format!("e{i:07}")
}

/// Build the graph. Entity `e0000000` is the hub.
pub fn generate(params: Params) -> Graph {
    assert!(params.entities >= 2, "a graph needs at least two entities");
    let mut rng = Rng(params.seed);
    let vocab = Vocabulary::builtin();
    let kinds: Vec<&str> = vocab.kind_ids();
    let entities: Vec<Entity> = (0..params.entities).map(|i| entity(i, &kinds, &mut rng)).collect();
    let references: Vec<Reference> = (0..params.references).map(|i| reference(i, &mut rng)).collect();
    let mut state = ClaimState::new(&vocab, &entities, params);
    let claims = (0..params.claims).map(|i| state.claim(i, &params, &mut rng)).collect();
    Graph {
        schema: SCHEMA.to_string(),
        title: format!("Synthetic graph: {} claims, {} entities", params.claims, params.entities),
        description: match params.shape {
            Shape::Powerlaw => format!("Generated by `claimgraph generate` with seed {}.", params.seed),
            shape => format!(
                "Generated by `claimgraph generate --shape {}` with seed {}.",
                shape.as_str(),
                params.seed
            ),
        },
        entities,
        references,
        claims,
        ..Graph::default()
    }
}

fn entity(i: usize, kinds: &[&str], rng: &mut Rng) -> Entity {
    // The hub is a nutrient: the kind most predicates accept as subject.
    let kind = if i == 0 { "nutrient" } else { kinds[i % kinds.len()] };
    let name = format!("{} {i}", NAMES[i % NAMES.len()]);
    let aliases = if i.is_multiple_of(7) {
        vec![format!("{}-{i}", &NAMES[i % NAMES.len()][..3]).into()]
    } else {
        vec![]
    };
    let xrefs = if rng.chance(0.3) { vec![format!("SYN:{i}").into()] } else { vec![] };
    Entity {
        id: entity_id(i).into(),
        name: name.into(),
        kind: kind.into(),
        group: None,
        aliases,
        xrefs,
        description: None,
    }
}

fn reference(i: usize, rng: &mut Rng) -> Reference {
    // One in a thousand lacks an identifier: a warning real graphs also carry.
    let doi = (i % 1000 != 999).then(|| format!("10.5555/claimgraph.{i}"));
    Reference {
        id: format!("r{i:07}"),
        kind: if rng.chance(0.1) { "review" } else { "article" }.to_string(),
        title: format!("Synthetic study number {i}"),
        authors: vec![format!("Author{} A", i % 997), format!("Writer{} B", i % 389)],
        year: Some(1980 + (i % 45) as i32),
        journal: Some(rng.pick(JOURNALS).to_string()),
        doi,
        ..Reference::default()
    }
}

/// A predicate as the generator uses it.
struct PredicateUse<'v> {
    id: &'v str,
    sign: Sign,
    subject_kinds: &'v [String],
    /// Entities whose kind the predicate accepts as object (empty: any).
    objects: Vec<usize>,
    object_kinds: &'v [String],
}

/// What the claim generator must remember to stay valid.
struct ClaimState<'v> {
    predicates: Vec<PredicateUse<'v>>,
    kinds: Vec<&'v str>,
    entities: usize,
    shape: Shape,
    /// Hubs of [`Shape::Hub`], layers of [`Shape::Layered`], ring reach of [`Shape::Smallworld`].
    hubs: usize,
    layers: usize,
    reach: usize,
    /// (subject, predicate, object) already written.
    seen: HashSet<(u32, u8, u32)>,
    /// The causal sign asserted on each endpoint pair, to avoid accidental conflicts.
    signs: HashMap<(u32, u32), Sign>,
    /// The endpoints of the last claim, for planting a conflict next to it.
    planted: Option<(usize, usize)>,
}

impl<'v> ClaimState<'v> {
    fn new(vocab: &'v Vocabulary, entities: &'v [Entity], params: Params) -> ClaimState<'v> {
        let predicates = vocab
            .predicates()
            .map(|p| {
                let objects: Vec<usize> = if p.object_kinds.is_empty() {
                    Vec::new()
                } else {
                    (0..entities.len())
                        .filter(|&i| p.object_kinds.iter().any(|k| *k == entities[i].kind))
                        .collect()
                };
                PredicateUse {
                    id: p.id.as_str(),
                    sign: p.causal_sign(),
                    subject_kinds: p.subject_kinds.as_slice(),
                    objects,
                    object_kinds: p.object_kinds.as_slice(),
                }
            })
            .collect();
        let n = entities.len();
        ClaimState {
            predicates,
            kinds: entities.iter().map(|e| e.kind.as_str()).collect(),
            entities: n,
            shape: params.shape,
            hubs: (n / 100).clamp(1, HUBS),
            layers: (n / 2).clamp(1, LAYERS),
            reach: (2 * params.claims / n).max(2),
            seen: HashSet::new(),
            signs: HashMap::new(),
            planted: None,
        }
    }

    fn claim(&mut self, i: usize, params: &Params, rng: &mut Rng) -> Claim {
        let (s, p, o) = match self.planted.take() {
            // Plant a conflict: the opposite effect on the same endpoints.
            Some((s, o)) if i % 1000 == 999 => (s, self.predicate_id("decreases"), o),
            _ => self.fresh(i, rng),
        };
        if i % 1000 == 998 {
            self.planted = Some((s, o));
        }
        self.seen.insert((s as u32, p as u8, o as u32));
        let sign = self.predicates[p].sign;
        if i % 1000 == 999 {
            // Both signs are now asserted: no further signed claim may join them.
            self.signs.insert((s as u32, o as u32), Sign::None);
        } else if sign != Sign::None {
            self.signs.entry((s as u32, o as u32)).or_insert(sign);
        }
        let predicate = self.predicates[p].id;
        let negated = sign == Sign::None && rng.chance(0.01);
        Claim {
            id: format!("c{i:08}").into(),
            subject: entity_id(s).into(),
            predicate: (*predicate).into(),
            object: entity_id(o).into(),
            evidence: evidence(i, params, rng),
            negated,
            certainty: certainty(rng),
            note: None,
        }
    }

    fn predicate_id(&self, id: &str) -> usize {
        self.predicates.iter().position(|p| p.id == id).expect("built-in predicate")
    }

    /// A new (subject, predicate, object): skewed endpoints, kinds respected,
    /// never repeated, never contradicting an earlier claim by accident.
    fn fresh(&mut self, i: usize, rng: &mut Rng) -> (usize, usize, usize) {
        if i % 1000 == 998 {
            // The first half of a planted conflict: an unconstrained `increases`.
            // Its endpoints cover entities i and i+1 early on, as `fresh` covers the others.
            for attempt in 0.. {
                let (s, o) = if i + 1 < self.entities && attempt == 0 { (i, i + 1) } else { self.pair(rng) };
                let p = self.predicate_id("increases");
                if s != o && !self.signs.contains_key(&(s as u32, o as u32)) {
                    return (s, p, o);
                }
            }
        }
        if self.shape != Shape::Powerlaw {
            return self.fresh_shaped(i, rng);
        }
        for attempt in 0.. {
            // Early claims cover every entity once, so none is an orphan.
            let s = if i < self.entities && attempt == 0 { i } else { self.endpoint(rng, 0.05) };
            let usable: Vec<usize> = (0..self.predicates.len())
                .filter(|&p| {
                    let kinds = self.predicates[p].subject_kinds;
                    kinds.is_empty() || kinds.iter().any(|k| k == self.kinds[s])
                })
                .collect();
            let p = *rng.pick(&usable);
            let o = match self.predicates[p].objects.as_slice() {
                [] => self.endpoint(rng, 0.05),
                objects => objects[rng.skewed(objects.len())],
            };
            let sign = self.predicates[p].sign;
            let clash =
                sign != Sign::None && self.signs.get(&(s as u32, o as u32)).is_some_and(|&old| old != sign);
            if s != o && !clash && !self.seen.contains(&(s as u32, p as u8, o as u32)) {
                return (s, p, o);
            }
        }
        unreachable!("the loop only ends by returning")
    }

    /// [`ClaimState::fresh`] for the shapes that draw both endpoints first and
    /// then a predicate their kinds allow.
    fn fresh_shaped(&mut self, i: usize, rng: &mut Rng) -> (usize, usize, usize) {
        for attempt in 0.. {
            let (s, o) =
                if i < self.entities && attempt == 0 { (i, self.object(i, rng)) } else { self.pair(rng) };
            let usable: Vec<usize> = (0..self.predicates.len())
                .filter(|&p| {
                    let PredicateUse { subject_kinds: subjects, object_kinds: objects, .. } =
                        &self.predicates[p];
                    (subjects.is_empty() || subjects.iter().any(|k| k == self.kinds[s]))
                        && (objects.is_empty() || objects.iter().any(|k| k == self.kinds[o]))
                })
                .collect();
            if s == o || usable.is_empty() {
                continue;
            }
            let p = *rng.pick(&usable);
            let sign = self.predicates[p].sign;
            let clash =
                sign != Sign::None && self.signs.get(&(s as u32, o as u32)).is_some_and(|&old| old != sign);
            if !clash && !self.seen.contains(&(s as u32, p as u8, o as u32)) {
                return (s, p, o);
            }
        }
        unreachable!("the loop only ends by returning")
    }

    /// A (subject, object) pair drawn as the shape says.
    fn pair(&self, rng: &mut Rng) -> (usize, usize) {
        match self.shape {
            Shape::Powerlaw => (self.endpoint(rng, 0.05), self.endpoint(rng, 0.05)),
            Shape::Hub => (self.hub_or_uniform(rng), self.hub_or_uniform(rng)),
            _ => {
                let s = rng.below(self.entities);
                (s, self.object(s, rng))
            }
        }
    }

    /// An object for subject `s` under the shapes where it depends on `s`.
    fn object(&self, s: usize, rng: &mut Rng) -> usize {
        let n = self.entities;
        match self.shape {
            Shape::Powerlaw => self.endpoint(rng, 0.05),
            Shape::Uniform => rng.below(n),
            Shape::Hub => self.hub_or_uniform(rng),
            Shape::Layered => {
                let layer = s * self.layers / n;
                let next = (layer + if rng.chance(0.9) { 1 } else { 2 }).min(self.layers - 1);
                // Entities of layer k are [ceil(k·n/L), ceil((k+1)·n/L)).
                let start = (next * n).div_ceil(self.layers);
                let end = ((next + 1) * n).div_ceil(self.layers).max(start + 1);
                start + rng.below(end - start)
            }
            Shape::Smallworld if rng.chance(0.1) => rng.below(n),
            Shape::Smallworld => (s + 1 + rng.below(self.reach)) % n,
        }
    }

    fn hub_or_uniform(&self, rng: &mut Rng) -> usize {
        if rng.chance(0.4) {
            rng.below(self.hubs)
        } else {
            rng.below(self.entities)
        }
    }

    /// An entity index: the hub with probability `hub`, else power-law.
    fn endpoint(&self, rng: &mut Rng, hub: f64) -> usize {
        if rng.chance(hub) {
            0
        } else {
            rng.skewed(self.entities)
        }
    }
}

fn certainty(rng: &mut Rng) -> Option<Text> {
    let c = ["established", "supported", "supported", "tentative", "contested"];
    rng.chance(0.8).then(|| (*rng.pick(&c)).into())
}

/// The built-in study types, strongest first (the order the seeds were made with).
const STUDIES: [&str; 8] = [
    "meta_analysis",
    "rct",
    "human_observational",
    "animal",
    "in_vitro",
    "structural",
    "reference_value",
    "review",
];

fn evidence(i: usize, params: &Params, rng: &mut Rng) -> Vec<Evidence> {
    let n = match rng.below(20) {
        0..=9 => 1,
        10..=16 => 2,
        _ => 3,
    };
    (0..n)
        .map(|j| {
            // The first item walks every reference (none is left uncited); the
            // others favour a few much-cited papers.
            let r = if j == 0 { i % params.references } else { rng.skewed(params.references) };
            let study = *rng.pick(&STUDIES);
            let (species, model) = match study {
                "in_vitro" => (Some("mouse"), Some(*rng.pick(&MODELS[..4]))),
                "animal" => (Some(*rng.pick(&SPECIES[1..])), Some(MODELS[4])),
                "rct" | "human_observational" | "meta_analysis" => {
                    (Some("human"), rng.chance(0.3).then_some(MODELS[5]))
                }
                _ => (None, None),
            };
            Evidence {
                reference: format!("r{r:07}").into(),
                summary: format!("Synthetic finding {i}.{j}.").into(),
                study: study.into(),
                species: species.map(Into::into),
                model: model.map(Into::into),
                tissue: rng.chance(0.5).then(|| (*rng.pick(TISSUES)).into()),
                condition: rng.chance(0.1).then(|| (*rng.pick(CONDITIONS)).into()),
                ..Evidence::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::finding::Severity;

    #[test]
    fn generated_graphs_pass_check_with_planted_conflicts_only() {
        let graph = generate(Params::new(5_000, 800, 7));
        let findings = check(&graph);
        let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let conflicts = findings.iter().filter(|f| f.severity == Severity::Conflict).count();
        assert_eq!(conflicts, 5, "one planted conflict per thousand claims");
        let warnings: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Warning).collect();
        assert!(warnings.iter().all(|f| f.code == "no-identifier"), "{warnings:#?}");
    }

    #[test]
    fn every_shape_passes_check_with_planted_conflicts_only() {
        for shape in Shape::ALL {
            let graph = generate(Params::new(5_000, 800, 7).with_shape(shape));
            let findings = check(&graph);
            let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{shape:?}: {errors:#?}");
            let conflicts = findings.iter().filter(|f| f.severity == Severity::Conflict).count();
            assert_eq!(conflicts, 5, "{shape:?}: one planted conflict per thousand claims");
            let warnings: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Warning).collect();
            assert!(warnings.iter().all(|f| f.code == "no-identifier"), "{shape:?}: {warnings:#?}");
        }
    }

    /// Index of an entity id `e0000123`.
    fn ix(id: &str) -> usize {
        id[1..].parse().unwrap()
    }

    #[test]
    fn shapes_have_the_degrees_they_promise() {
        let share = |shape: Shape, touches: &dyn Fn(usize, usize) -> bool| {
            let graph = generate(Params::new(20_000, 2_000, 1).with_shape(shape));
            let n = graph.claims.iter().filter(|c| touches(ix(&c.subject), ix(&c.object))).count();
            n as f64 / graph.claims.len() as f64
        };
        // hub: ~64% of claims touch one of the 20 hubs; uniform: ~2%.
        let on_hubs = |s: usize, o: usize| s < HUBS || o < HUBS;
        assert!(share(Shape::Hub, &on_hubs) > 0.5);
        assert!(share(Shape::Uniform, &on_hubs) < 0.05);
        // layered: claims (beyond the first pass over every entity, which is
        // also layered) go one or two layers on, or stay in the last layer.
        let layer = |i: usize| i * LAYERS / 2_000;
        let forward = |s: usize, o: usize| {
            let (a, b) = (layer(s), layer(o));
            b == a + 1 || b == a + 2 || (a == LAYERS - 1 && b == a)
        };
        assert!(share(Shape::Layered, &forward) > 0.99);
        // smallworld: 90% ring neighbours within reach 2·20000/2000 = 20.
        let near = |s: usize, o: usize| (o + 2_000 - s) % 2_000 <= 20;
        assert!(share(Shape::Smallworld, &near) > 0.85);
        assert!(share(Shape::Uniform, &near) < 0.05);
    }

    #[test]
    fn the_same_seed_gives_the_same_graph() {
        let a = generate(Params::new(500, 100, 3));
        assert_eq!(a, generate(Params::new(500, 100, 3)));
        assert_ne!(a, generate(Params::new(500, 100, 4)));
    }

    #[test]
    fn degrees_are_hub_heavy_and_every_predicate_is_used() {
        let graph = generate(Params::new(20_000, 2_000, 1));
        let hub = graph.claims.iter().filter(|c| c.subject == "e0000000" || c.object == "e0000000").count();
        assert!(hub > 1_000, "the hub touches {hub} of 20000 claims");
        let used: HashSet<&str> = graph.claims.iter().map(|c| c.predicate.as_str()).collect();
        assert_eq!(used.len(), Vocabulary::builtin().predicates().count());
        let kinds: HashSet<&str> = graph.entities.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds.len(), Vocabulary::builtin().kinds().count());
    }
}
