//! Integrity rules over a loaded graph. Returns findings; never prints.
//!
//! Errors make a graph unusable or wrong (a claim pointing nowhere); warnings
//! are things a careful curator wants to know (a reference nobody cites);
//! conflicts are claims that disagree, which is information, not a mistake.

use crate::finding::{closest, did_you_mean, Finding, Location, Severity};
use crate::model::{
    normalize_doi, valid_doi, valid_pmcid, valid_pmid, Certainty, Claim, Context, ContextField, Evidence,
    Graph, PredicateDef, Sign, Text, Vocabulary, REFERENCE_TYPES, SCHEMA,
};
use std::collections::BTreeSet;
// A million-claim graph hashes millions of ids here; foldhash is several
// times faster than the DoS-resistant default and the keys are our own data.
use foldhash::{HashMap, HashMapExt, HashSet};

/// Run every rule. Findings come in document order within each rule group.
///
/// The work runs on two threads: entities beside references, then each half
/// of the claims, then each half of the (subject, object) pairs; findings are
/// joined in one fixed order.
pub fn check(graph: &Graph) -> Vec<Finding> {
    let vocab = graph.vocabulary();
    let mut findings = Vec::new();
    if graph.schema != SCHEMA {
        findings.push(
            Finding::error("schema", format!("unsupported schema `{}`", graph.schema))
                .at(Location::value("/schema"))
                .with_help(Some(format!("this version reads `{SCHEMA}`"))),
        );
    }
    let vocab = &vocab;
    let ((entities, entity_findings), (references, reference_findings)) = both(
        || {
            let mut findings = Vec::new();
            let entities = check_entities(graph, vocab, &mut findings);
            check_groups(graph, &mut findings);
            (entities, findings)
        },
        || {
            let mut findings = Vec::new();
            let references = check_references(graph, &mut findings);
            check_contexts(graph, vocab, &mut findings);
            (references, findings)
        },
    );
    let terms = Terms::new(vocab, &entities);
    let (claims, mut claim_findings) = claim_rules(graph, &terms, &entities, &references);
    check_usage(graph, &claims, &entities, &references, &mut claim_findings);
    let (repeats, conflicts) = pair_rules(graph, &terms, &claims);
    for group in [entity_findings, reference_findings, claim_findings, repeats, conflicts] {
        findings.extend(group);
    }
    findings
}

/// Run `a` on another thread and `b` on this one; both results, in order.
fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), b)
    })
}

/// Marks a number not resolved yet (an id or predicate outside the tables).
const UNRESOLVED: u32 = u32::MAX;

/// The entities as the claim rules need them: each id's first index and each
/// entity's kind as a small number (the kinds in use, in order of first use).
struct Entities<'g> {
    first: Ids,
    kind: Vec<u32>,
    kinds: Vec<&'g str>,
}

impl Entities<'_> {
    /// The first index of the entity with this id, or [`UNRESOLVED`].
    fn number(&self, id: &str) -> u32 {
        self.first.get(id).map_or(UNRESOLVED, |&e| e as u32)
    }
}

/// The vocabulary resolved once per check: predicates by number, and whether
/// each predicate admits each kind in use. Comparing strings in the
/// vocabulary's B-trees, several times per claim, was much of `check`.
struct Terms<'v> {
    vocab: &'v Vocabulary,
    number: HashMap<&'v str, u32>,
    defs: Vec<&'v PredicateDef>,
    /// Per predicate: the subject and object kinds it admits; `None`: any.
    admits: Vec<[Option<Vec<bool>>; 2]>,
}

impl<'v> Terms<'v> {
    fn new(vocab: &'v Vocabulary, entities: &Entities) -> Terms<'v> {
        let defs: Vec<&PredicateDef> = vocab.predicates().collect();
        let number = defs.iter().enumerate().map(|(i, p)| (p.id.as_str(), i as u32)).collect();
        let admit = |kinds: &[String]| {
            (!kinds.is_empty()).then(|| entities.kinds.iter().map(|k| kinds.iter().any(|x| x == k)).collect())
        };
        let admits = defs.iter().map(|p| [admit(&p.subject_kinds), admit(&p.object_kinds)]).collect();
        Terms { vocab, number, defs, admits }
    }

    /// The predicate's number, or [`UNRESOLVED`] when the vocabulary lacks it.
    fn predicate(&self, id: &str) -> u32 {
        self.number.get(id).copied().unwrap_or(UNRESOLVED)
    }

    fn def(&self, p: u32) -> Option<&'v PredicateDef> {
        self.defs.get(p as usize).copied()
    }

    /// The causal direction a claim with predicate `p` asserts, if any.
    fn effect(&self, p: u32) -> Option<Sign> {
        let sign = self.def(p)?.causal_sign();
        (sign != Sign::None).then_some(sign)
    }
}

/// Each claim's subject, predicate and object as numbers, so the rules below
/// compare and hash numbers instead of looking the same strings up again and
/// again. An id that names an entity maps to its first index, an unknown id
/// to a number past the entities; a predicate maps to its vocabulary number,
/// an unknown one past them. Equal strings ⇔ equal numbers.
struct Claims {
    ends: Vec<(u32, u32)>,
    predicates: Vec<u32>,
    /// Entities in the graph; numbers from here up are unknown ids.
    known: u32,
    /// Per reference (first index of its id): cited by some evidence.
    cited: Vec<bool>,
}

impl Claims {
    /// Numbers alone, without the claim rules (for [`conflicts`]).
    fn resolve(graph: &Graph, terms: &Terms, entities: &Entities) -> Claims {
        let mut claims = Claims {
            ends: graph
                .claims
                .iter()
                .map(|c| (entities.number(&c.subject), entities.number(&c.object)))
                .collect(),
            predicates: graph.claims.iter().map(|c| terms.predicate(&c.predicate)).collect(),
            known: graph.entities.len() as u32,
            cited: Vec::new(),
        };
        claims.number_unresolved(graph, terms);
        claims
    }

    fn is_known(&self, e: u32) -> bool {
        e < self.known
    }

    /// Number what the tables did not know, in claim order. A claim is only
    /// read when it has something unresolved: reading every claim again
    /// cost as much as resolving them.
    fn number_unresolved<'g>(&mut self, graph: &'g Graph, terms: &Terms) {
        let mut unknown: HashMap<&'g str, u32> = HashMap::new();
        let mut next = self.known;
        for (i, (s, o)) in self.ends.iter_mut().enumerate() {
            let c = &graph.claims[i];
            for (id, slot) in [(&c.subject, s), (&c.object, o)] {
                if *slot == UNRESOLVED {
                    *slot = *unknown.entry(id.as_str()).or_insert_with(|| post_increment(&mut next));
                }
            }
        }
        let mut unknown: HashMap<&'g str, u32> = HashMap::new();
        let mut next = terms.defs.len() as u32;
        for (i, p) in self.predicates.iter_mut().enumerate().filter(|(_, p)| **p == UNRESOLVED) {
            let id = graph.claims[i].predicate.as_str();
            *p = *unknown.entry(id).or_insert_with(|| post_increment(&mut next));
        }
    }
}

fn post_increment(n: &mut u32) -> u32 {
    *n += 1;
    *n - 1
}

/// The per-claim rules over each half of the claims on its own thread, then
/// joined: findings in claim order, and every claim's numbers.
fn claim_rules(
    graph: &Graph,
    terms: &Terms,
    entities: &Entities,
    references: &Ids,
) -> (Claims, Vec<Finding>) {
    let half = graph.claims.len() / 2;
    let run = |range| check_claims(graph, terms, entities, references, range);
    let ((mut claims, mut findings), (rest, more)) = both(|| run(0..half), || run(half..graph.claims.len()));
    claims.ends.extend(rest.ends);
    claims.predicates.extend(rest.predicates);
    for (a, b) in claims.cited.iter_mut().zip(rest.cited) {
        *a |= b;
    }
    findings.extend(more);
    claims.number_unresolved(graph, terms);
    (claims, findings)
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// Ids to their first index, keyed by copies of the ids: a `CompactString`
/// keeps a short id inside the table, where a `&str` key sent every lookup's
/// final comparison to the entity or reference itself, a cache miss per
/// lookup at a million claims.
type Ids = HashMap<Text, usize>;

/// Flag ids seen before; returns the id → first index map.
fn unique_ids<'g>(
    ids: impl Iterator<Item = &'g str>,
    section: &str,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Ids {
    let mut seen = Ids::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.get(id) {
            findings.push(
                Finding::error("duplicate-id", format!("duplicate {what} id `{id}`"))
                    .at(Location::value(format!("/{section}/{i}/id")))
                    .with_id(id)
                    .with_help(Some(format!("first defined as {what} #{} (/{section}/{first})", first + 1))),
            );
        } else {
            seen.insert(id.into(), i);
        }
    }
    seen
}

/// Entity rules; kinds are looked up once per distinct kind, not per entity.
fn check_entities<'g>(graph: &'g Graph, vocab: &Vocabulary, findings: &mut Vec<Finding>) -> Entities<'g> {
    let mut numbers: HashMap<&'g str, u32> = HashMap::new();
    let mut kinds: Vec<&'g str> = Vec::new();
    let mut known: Vec<bool> = Vec::new();
    let mut kind = Vec::with_capacity(graph.entities.len());
    for (i, e) in graph.entities.iter().enumerate() {
        if !is_slug(&e.id) {
            findings.push(bad_slug("entity", &e.id, format!("/entities/{i}/id")));
        }
        let k = *numbers.entry(e.kind.as_str()).or_insert_with(|| {
            kinds.push(e.kind.as_str());
            known.push(vocab.kind(&e.kind).is_some());
            kinds.len() as u32 - 1
        });
        kind.push(k);
        if !known[k as usize] {
            findings.push(
                Finding::error("unknown-kind", format!("entity `{}` has unknown kind `{}`", e.id, e.kind))
                    .at(Location::value(format!("/entities/{i}/kind")))
                    .with_id(&e.id)
                    .with_help(did_you_mean(&e.kind, vocab.kind_ids()).or_else(|| {
                        Some(format!(
                            "known kinds: {}; declare others in `vocabulary.kinds`",
                            vocab.kind_ids().join(", ")
                        ))
                    })),
            );
        }
    }
    let first = unique_ids(graph.entities.iter().map(|e| e.id.as_str()), "entities", "entity", findings);
    Entities { first, kind, kinds }
}

/// Entity groups are free text, so the mistakes are an empty one, two
/// spellings of one subsystem (each would become its own cluster), and an
/// entity left out once the graph uses groups (drawn outside every cluster).
fn check_groups(graph: &Graph, findings: &mut Vec<Finding>) {
    let mut spellings: HashMap<String, &str> = HashMap::new();
    let grouped = graph.entities.iter().filter(|e| e.group.is_some()).count();
    for (i, e) in graph.entities.iter().enumerate() {
        let at = Location::value(format!("/entities/{i}/group"));
        let Some(group) = e.group.as_deref() else {
            if grouped > 0 {
                findings.push(
                    Finding::warning("ungrouped-entity", format!("entity `{}` has no group", e.id))
                        .at(Location::value(format!("/entities/{i}/id")))
                        .with_id(&e.id)
                        .with_help(Some(format!(
                            "{grouped} other entities have one; a whole-graph diagram draws this one outside their clusters"
                        ))),
                );
            }
            continue;
        };
        if group.trim().is_empty() {
            findings.push(
                Finding::warning("empty-group", format!("entity `{}` has an empty group", e.id))
                    .at(at)
                    .with_id(&e.id)
                    .with_help(Some("name the subsystem it belongs to, or remove `group`".into())),
            );
            continue;
        }
        let first = *spellings.entry(crate::model::normalize_context(group)).or_insert(group);
        if first != group {
            findings.push(
                Finding::warning(
                    "group-spelling",
                    format!("entity `{}` is in group `{group}`, spelled `{first}` elsewhere", e.id),
                )
                .at(at)
                .with_id(&e.id)
                .with_help(Some(format!(
                    "did you mean `{first}`? Each spelling would be a cluster of its own"
                ))),
            );
        }
    }
}

/// [`valid_slug`](crate::model::valid_slug) on bytes: the same answer (any non-ASCII byte fails both),
/// without decoding characters, which made it a sixth of the claim rules.
fn is_slug(id: &str) -> bool {
    let ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = id.as_bytes();
    bytes.first().is_some_and(ok) && bytes[1..].iter().all(|b| ok(b) || matches!(b, b'-' | b'_' | b'.'))
}

fn bad_slug(what: &str, id: &str, pointer: String) -> Finding {
    let suggestion: String = id
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' })
        .collect();
    Finding::error("bad-id", format!("{what} id `{id}` is not a lower-case slug"))
        .at(Location::value(pointer))
        .with_id(id)
        .with_help(Some(format!("ids use a-z, 0-9, `-`, `_`, `.`; try `{suggestion}`")))
}

fn check_references(graph: &Graph, findings: &mut Vec<Finding>) -> Ids {
    for (i, r) in graph.references.iter().enumerate() {
        let at = |field: &str| Location::value(format!("/references/{i}/{field}"));
        if r.id.is_empty() || r.id.chars().any(char::is_whitespace) {
            findings.push(
                Finding::error("bad-id", format!("reference id `{}` is empty or has spaces", r.id))
                    .at(at("id"))
                    .with_id(&r.id),
            );
        }
        if !REFERENCE_TYPES.contains(&r.kind.as_str()) {
            findings.push(
                Finding::error(
                    "unknown-reference-type",
                    format!("reference `{}` has unknown type `{}`", r.id, r.kind),
                )
                .at(at("type"))
                .with_id(&r.id)
                .with_help(
                    did_you_mean(&r.kind, REFERENCE_TYPES)
                        .or(Some(format!("types: {}", REFERENCE_TYPES.join(", ")))),
                ),
            );
        }
        if let Some(doi) = &r.doi {
            if !valid_doi(doi) {
                findings.push(
                    Finding::error("bad-doi", format!("reference `{}` has a malformed DOI `{doi}`", r.id))
                        .at(at("doi"))
                        .with_id(&r.id)
                        .with_help(Some(
                            "a DOI looks like `10.4162/nrp.2010.4.5.356` (no spaces, quotes, `<` or `>`)"
                                .into(),
                        )),
                );
            } else if doi != &normalize_doi(doi) && doi.to_lowercase().contains("doi") {
                findings.push(
                    Finding::warning(
                        "doi-prefix",
                        format!("reference `{}` stores the DOI with a resolver prefix", r.id),
                    )
                    .at(at("doi"))
                    .with_id(&r.id)
                    .with_help(Some(format!("store it as `{}`", normalize_doi(doi)))),
                );
            }
        }
        if let Some(pmid) = &r.pmid {
            if !valid_pmid(pmid) {
                let digits: String = pmid.chars().filter(char::is_ascii_digit).collect();
                findings.push(
                    Finding::error("bad-pmid", format!("reference `{}` has a malformed PMID `{pmid}`", r.id))
                        .at(at("pmid"))
                        .with_id(&r.id)
                        .with_help(Some(if digits.is_empty() {
                            "a PMID is digits only".into()
                        } else {
                            format!("a PMID is digits only: `{digits}`")
                        })),
                );
            }
        }
        if let Some(pmcid) = &r.pmcid {
            if !valid_pmcid(pmcid) {
                findings.push(
                    Finding::error(
                        "bad-pmcid",
                        format!("reference `{}` has a malformed PMCID `{pmcid}`", r.id),
                    )
                    .at(at("pmcid"))
                    .with_id(&r.id)
                    .with_help(Some("a PMCID is `PMC` followed by digits, e.g. `PMC7287917`".into())),
                );
            }
        }
        if r.doi.is_none() && r.pmid.is_none() {
            findings.push(
                Finding::warning("no-identifier", format!("reference `{}` has neither DOI nor PMID", r.id))
                    .at(at("id"))
                    .with_id(&r.id)
                    .with_help(Some(
                        "readers cannot look it up reliably; add `doi` or `pmid` if the record has one"
                            .into(),
                    )),
            );
        }
    }
    unique_ids(graph.references.iter().map(|r| r.id.as_str()), "references", "reference", findings)
}

/// The per-claim rules over `range`; the claims' numbers (unknown ids and
/// predicates left [`UNRESOLVED`]) and which references they cite.
fn check_claims(
    graph: &Graph,
    terms: &Terms,
    entities: &Entities,
    references: &Ids,
    range: std::ops::Range<usize>,
) -> (Claims, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut claims = Claims {
        ends: Vec::with_capacity(range.len()),
        predicates: Vec::with_capacity(range.len()),
        known: graph.entities.len() as u32,
        cited: vec![false; graph.references.len()],
    };
    for (i, c) in range.clone().zip(&graph.claims[range]) {
        let at = |field: &str| Location::value(format!("/claims/{i}/{field}"));
        if !is_slug(&c.id) {
            findings.push(bad_slug("claim", &c.id, format!("/claims/{i}/id")));
        }
        let (s, o) = (entities.number(&c.subject), entities.number(&c.object));
        for (field, id, e) in [("subject", &c.subject, s), ("object", &c.object, o)] {
            if e == UNRESOLVED {
                findings.push(
                    Finding::error(
                        "unknown-entity",
                        format!("claim `{}`: {field} `{id}` is not an entity", c.id),
                    )
                    .at(at(field))
                    .with_id(id)
                    .with_help(suggest_entity(graph, id)),
                );
            }
        }
        let p = terms.predicate(&c.predicate);
        if p == UNRESOLVED {
            let ids = || terms.defs.iter().map(|p| p.id.as_str());
            findings.push(
                Finding::error(
                    "unknown-predicate",
                    format!("claim `{}` has unknown predicate `{}`", c.id, c.predicate),
                )
                .at(at("predicate"))
                .with_id(&c.id)
                .with_help(did_you_mean(&c.predicate, ids()).or_else(|| {
                    Some(format!(
                        "declare it in `vocabulary.predicates`, or use one of: {}",
                        ids().collect::<Vec<_>>().join(", ")
                    ))
                })),
            );
        }
        if let Some(certainty) = &c.certainty {
            if Certainty::parse(certainty).is_none() {
                let names: Vec<&str> = Certainty::ALL.iter().map(|c| c.as_str()).collect();
                findings.push(
                    Finding::error(
                        "unknown-certainty",
                        format!("claim `{}` has unknown certainty `{certainty}`", c.id),
                    )
                    .at(at("certainty"))
                    .with_id(&c.id)
                    .with_help(
                        did_you_mean(certainty, names.iter().copied())
                            .or(Some(format!("one of: {}", names.join(", ")))),
                    ),
                );
            }
        }
        if c.evidence.is_empty() {
            findings.push(
                Finding::error("no-evidence", format!("claim `{}` has no evidence", c.id))
                    .at(at("evidence"))
                    .with_id(&c.id)
                    .with_help(Some(
                        "every claim needs at least one evidence item citing a reference".into(),
                    )),
            );
        }
        for (j, e) in c.evidence.iter().enumerate() {
            match references.get(e.reference.as_str()) {
                Some(&r) => claims.cited[r] = true,
                None => findings.push(unknown_reference(graph, c, e, (i, j))),
            }
            check_study(terms.vocab, c, e, (i, j), &mut findings);
        }
        if let Some(def) = terms.def(p) {
            let admits = &terms.admits[p as usize];
            for (n, (field, id, e)) in
                [("subject", &c.subject, s), ("object", &c.object, o)].into_iter().enumerate()
            {
                let Some(admits) = admits[n].as_ref().filter(|_| e != UNRESOLVED) else {
                    continue;
                };
                if !admits[entities.kind[e as usize] as usize] {
                    let kind = &graph.entities[e as usize].kind;
                    let kinds = if n == 0 { &def.subject_kinds } else { &def.object_kinds };
                    findings.push(
                        Finding::warning(
                            "unusual-kind",
                            format!(
                                "claim `{}`: `{}` as {field} is a {kind}; `{}` usually takes {}",
                                c.id,
                                id,
                                def.id,
                                kinds.join("/")
                            ),
                        )
                        .at(at(field))
                        .with_id(&c.id),
                    );
                }
            }
        }
        claims.ends.push((s, o));
        claims.predicates.push(p);
    }
    (claims, findings)
}

/// Evidence pointers are only spelt out for a finding: formatting one for
/// each of millions of clean evidence items cost more than the checks.
fn evidence_pointer((i, j): (usize, usize)) -> String {
    format!("/claims/{i}/evidence/{j}")
}

fn unknown_reference(graph: &Graph, claim: &Claim, e: &Evidence, at: (usize, usize)) -> Finding {
    let ids = graph.references.iter().map(|r| r.id.as_str());
    Finding::error(
        "unknown-reference",
        format!("claim `{}` cites `{}`, which is not a reference", claim.id, e.reference),
    )
    .at(Location::value(format!("{}/reference", evidence_pointer(at))))
    .with_id(&e.reference)
    .with_help(did_you_mean(&e.reference, ids))
}

/// Warn about a species or tissue string that matches no context term but is
/// close to one: probably a typo that would make `trace` compare it as text
/// (and flag a crossing that is not there). Each distinct string once.
fn check_contexts(graph: &Graph, vocab: &Vocabulary, findings: &mut Vec<Finding>) {
    let mut seen: HashSet<(ContextField, &str)> = HashSet::default();
    for (i, claim) in graph.claims.iter().enumerate() {
        for (j, e) in claim.evidence.iter().enumerate() {
            for (field, value) in [(ContextField::Species, &e.species), (ContextField::Tissue, &e.tissue)] {
                let Some(value) = value.as_deref() else { continue };
                if !seen.insert((field, value)) || vocab.contexts.lookup(field, value).is_some() {
                    continue;
                }
                let Some(help) = did_you_mean(value, vocab.contexts.spellings(field)) else { continue };
                findings.push(
                    Finding::warning(
                        "unknown-context",
                        format!("{} `{value}` (claim `{}`) matches no context term", field.as_str(), claim.id),
                    )
                    .at(Location::value(format!("{}/{}", evidence_pointer((i, j)), field.as_str())))
                    .with_id(&claim.id)
                    .with_help(Some(format!(
                        "{help} Or declare it in `vocabulary.contexts`; until then `trace` compares it as plain text"
                    ))),
                );
            }
        }
    }
}

fn check_study(
    vocab: &Vocabulary,
    claim: &Claim,
    e: &Evidence,
    at: (usize, usize),
    findings: &mut Vec<Finding>,
) {
    let names = || vocab.study_ids().join(", ");
    if e.study.is_empty() {
        findings.push(
            Finding::warning(
                "no-study",
                format!("evidence for claim `{}` from `{}` has no study type", claim.id, e.reference),
            )
            .at(Location::value(evidence_pointer(at)))
            .with_id(&claim.id)
            .with_help(Some(format!("add `study`: one of {}", names()))),
        );
    } else if vocab.study(&e.study).is_none() {
        findings.push(
            Finding::error(
                "unknown-study",
                format!("claim `{}` has unknown study type `{}`", claim.id, e.study),
            )
            .at(Location::value(format!("{}/study", evidence_pointer(at))))
            .with_id(&claim.id)
            .with_help(Some(match did_you_mean(&e.study, vocab.study_ids()) {
                Some(close) => format!("{close} Or declare it: `claimgraph add study {} --rank N`", e.study),
                None => format!(
                    "use one of: {}; or declare it: `claimgraph add study {} --rank N`",
                    names(),
                    e.study
                ),
            })),
        );
    }
}

/// Suggest entities by id, then by name or alias (shown with their id).
fn suggest_entity(graph: &Graph, wrong: &str) -> Option<String> {
    if let Some(help) = did_you_mean(wrong, graph.entities.iter().map(|e| e.id.as_str())) {
        return Some(help);
    }
    let labels: Vec<(&str, &str)> = graph
        .entities
        .iter()
        .flat_map(|e| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(|s| s.as_str()))
                .map(move |l| (l, e.id.as_str()))
        })
        .collect();
    let best = closest(wrong, labels.iter().map(|(l, _)| *l), 1);
    let (label, id) = labels.iter().find(|(l, _)| Some(l) == best.first())?;
    Some(format!("did you mean `{id}` ({label})?"))
}

/// Marks per id (through the first index of each id, so a duplicated id counts
/// as used when any mention of it is) instead of sets of strings.
fn check_usage(
    graph: &Graph,
    claims: &Claims,
    entities: &Entities,
    references: &Ids,
    findings: &mut Vec<Finding>,
) {
    let mut used = vec![false; graph.entities.len()];
    for &(s, o) in &claims.ends {
        for e in [s, o] {
            if claims.is_known(e) {
                used[e as usize] = true;
            }
        }
    }
    let cited = |id: &str| references.get(id).is_some_and(|&r| claims.cited[r]);
    for (i, r) in graph.references.iter().enumerate() {
        if !cited(r.id.as_str()) {
            findings.push(
                Finding::warning("uncited-reference", format!("reference `{}` is never cited", r.id))
                    .at(Location::value(format!("/references/{i}/id")))
                    .with_id(&r.id),
            );
        }
    }
    // Marks sit at each id's first index: look the id up only when unmarked
    // here (a later duplicate of a used id is used too).
    let used = |i: usize, id: &str| used[i] || entities.first.get(id).is_some_and(|&e| used[e]);
    for (i, e) in graph.entities.iter().enumerate() {
        if !used(i, &e.id) {
            findings.push(
                Finding::warning("orphan-entity", format!("entity `{}` is in no claim", e.id))
                    .at(Location::value(format!("/entities/{i}/id")))
                    .with_id(&e.id),
            );
        }
    }
}

/// The set of contexts a claim's evidence was observed in.
fn contexts(claim: &Claim) -> BTreeSet<Context<'_>> {
    claim.evidence.iter().map(|e| e.context()).collect()
}

/// Rules over claims that share both endpoints: duplicates, then conflicts.
///
/// Claims are grouped by (subject, object) once for both rules; each thread
/// takes the pairs of one parity, which splits the hashing about evenly.
fn pair_rules(graph: &Graph, terms: &Terms, claims: &Claims) -> (Vec<Finding>, Vec<Finding>) {
    let run = |parity| same_ends(graph, terms, claims, parity);
    let ((mut repeats, mut pairs), (more_repeats, more_pairs)) = both(|| run(0), || run(1));
    repeats.extend(more_repeats);
    pairs.extend(more_pairs);
    repeats.sort_unstable();
    pairs.sort_unstable();
    let repeats = repeats.into_iter().map(|(i, first)| duplicate_finding(graph, i, first)).collect();
    let pairs = pairs.into_iter().map(|(a, b)| conflict_finding(graph, a, b)).collect();
    (repeats, pairs)
}

/// Pairs of claim indices, in the order a finding names them.
type Pairs = Vec<(usize, usize)>;

/// Marks the end of a chain in `same_ends`.
const NONE: u32 = u32::MAX;

/// Among pairs whose `(subject + object) % 2 == parity`: each claim that
/// repeats an earlier one, with the first it repeats, and each conflicting
/// pair, as claim indices.
fn same_ends(graph: &Graph, terms: &Terms, claims: &Claims, parity: u32) -> (Pairs, Pairs) {
    // Claims on the same endpoints, as linked lists through `earlier` (one
    // table entry per pair and no vector per pair: most pairs have one claim).
    let mut last: HashMap<(u32, u32), u32> = HashMap::with_capacity(claims.ends.len() / 2);
    let mut earlier: Vec<u32> = vec![NONE; claims.ends.len()];
    for (i, &ends) in claims.ends.iter().enumerate() {
        if ends.0.wrapping_add(ends.1) % 2 == parity {
            if let Some(prev) = last.insert(ends, i as u32) {
                earlier[i] = prev;
            }
        }
    }
    let (mut repeats, mut pairs) = (Vec::new(), Vec::new());
    for &i in last.values().filter(|&&i| earlier[i as usize] != NONE) {
        let mut group: Vec<usize> =
            std::iter::successors(Some(i), |&j| Some(earlier[j as usize]).filter(|&e| e != NONE))
                .map(|j| j as usize)
                .collect();
        group.reverse();
        repeats.extend(repeats_in(graph, claims, &group));
        pairs.extend(conflicts_in(graph, terms, claims, &group));
    }
    (repeats, pairs)
}

/// Same predicate, negation and contexts within one group (same endpoints):
/// one claim written twice. Each repeat comes with the first claim it repeats.
fn repeats_in<'a>(
    graph: &'a Graph,
    claims: &'a Claims,
    group: &'a [usize],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let key = |i: usize| (claims.predicates[i], graph.claims[i].negated);
    group.iter().enumerate().filter_map(move |(n, &b)| {
        let (cb, contexts_b) = (&graph.claims[b], std::cell::OnceCell::new());
        let first = group[..n].iter().find(|&&a| {
            key(a) == key(b) && contexts(&graph.claims[a]) == *contexts_b.get_or_init(|| contexts(cb))
        })?;
        Some((b, *first))
    })
}

/// What a claim asserts about its pair: its sign (if any), whether it is a
/// null result, and its predicate's number.
type Effect = (Option<Sign>, bool, u32);

/// Pairs within one group (same endpoints) that disagree.
fn conflicts_in(graph: &Graph, terms: &Terms, claims: &Claims, group: &[usize]) -> Pairs {
    // Unsigned claims take part too: a null result denies its own predicate
    // whatever its sign ("is not a cofactor of" against "is a cofactor of").
    let causal: Vec<(usize, Effect)> = group
        .iter()
        .filter_map(|&i| {
            let p = claims.predicates[i];
            terms.def(p)?;
            Some((i, (terms.effect(p), graph.claims[i].negated, p)))
        })
        .collect();
    let mut pairs = Vec::new();
    for (n, &(a, sa)) in causal.iter().enumerate() {
        pairs.extend(causal[n + 1..].iter().filter(|(_, sb)| signs_disagree(sa, *sb)).map(|&(b, _)| (a, b)));
    }
    pairs
}

fn duplicate_finding(graph: &Graph, i: usize, first: usize) -> Finding {
    let (c, first) = (&graph.claims[i], &graph.claims[first]);
    Finding::warning("duplicate-claim", format!("claim `{}` repeats claim `{}`", c.id, first.id))
        .at(Location::value(format!("/claims/{i}/id")))
        .with_id(&c.id)
        .with_help(Some(format!("merge its evidence into `{}`", first.id)))
}

/// The causal direction a claim asserts, if any (negated claims assert none,
/// but still contradict a claim that the same effect exists).
fn effect(claim: &Claim, vocab: &Vocabulary) -> Option<Sign> {
    let sign = vocab.predicate(&claim.predicate)?.causal_sign();
    (sign != Sign::None).then_some(sign)
}

/// Pairs of claims on the same endpoints that disagree: opposite signs, or
/// one claim denying what the other asserts.
pub fn conflicts(graph: &Graph, vocab: &Vocabulary) -> Vec<Finding> {
    let first = graph.entities.iter().enumerate().rev().map(|(i, e)| (e.id.clone(), i)).collect();
    let entities = Entities { first, kind: Vec::new(), kinds: Vec::new() };
    let terms = Terms::new(vocab, &entities);
    pair_rules(graph, &terms, &Claims::resolve(graph, &terms, &entities)).1
}

/// Whether two claims on the same endpoints contradict each other.
pub fn disagree(a: &Claim, b: &Claim, vocab: &Vocabulary) -> bool {
    let known = |c: &Claim| vocab.predicate(&c.predicate).is_some();
    known(a)
        && known(b)
        && signs_disagree(
            (effect(a, vocab), a.negated, &a.predicate),
            (effect(b, vocab), b.negated, &b.predicate),
        )
}

/// Whether two effects, each with its claim's negation and predicate,
/// contradict: opposite signs, or a null result on the very predicate the
/// other claim asserts ("is not required for" says nothing against
/// "increases"). An unsigned claim (a cofactor or requirement relation) has
/// no opposite sign: "zinc decreases ALP" does not contradict "zinc is a
/// cofactor of ALP".
fn signs_disagree<P: PartialEq>(
    (sa, a_negated, pa): (Option<Sign>, bool, P),
    (sb, b_negated, pb): (Option<Sign>, bool, P),
) -> bool {
    if a_negated == b_negated {
        !a_negated && matches!((sa, sb), (Some(a), Some(b)) if a == b.flipped())
    } else {
        pa == pb
    }
}

fn conflict_finding(graph: &Graph, a: usize, b: usize) -> Finding {
    let (ca, cb) = (&graph.claims[a], &graph.claims[b]);
    // The null result is the one that denies: "`a--not_required_for--b`
    // denies `a--required_for--b`", never the other way round.
    let (how, first, second) = match (ca.negated, cb.negated) {
        (true, false) => ("denies", ca, cb),
        (false, true) => ("denies", cb, ca),
        _ => ("has the opposite sign of", cb, ca),
    };
    let mut finding = Finding::new(
        Severity::Conflict,
        "conflict",
        format!("claim `{}` {how} claim `{}` ({} → {})", first.id, second.id, ca.subject, ca.object),
    )
    .at(Location::value(format!("/claims/{b}/id")))
    .with_id(&cb.id);
    finding.help = Some(conflict_help(ca, cb));
    finding
}

/// What a conflict means (see [`contested_side`]).
fn conflict_help(a: &Claim, b: &Claim) -> String {
    let diff = context_difference(a, b);
    match (contested_side([a, b]), diff) {
        (Some(c), diff) => dispute_words(c, diff.as_deref()),
        (None, Some(diff)) => format!("context-dependent effect, not a mistake: {diff}"),
        (None, None) => "same context: the literature disagrees; mark the weaker claim `contested`".into(),
    }
}

/// The side of a conflict a curator marked `contested`, if any. Such a
/// curator has judged the two a real dispute, so differing contexts must not
/// excuse it as "context-dependent" (osteoclast apoptosis: one biomaterial
/// study for, two against, in different species). `check`, `trace` and
/// `show` all word a conflict by this one rule.
pub fn contested_side<'c>(sides: impl IntoIterator<Item = &'c Claim>) -> Option<&'c Claim> {
    sides.into_iter().find(|c| c.certainty() == Some(Certainty::Contested))
}

/// "disputed: `b` is marked contested (the contexts also differ: …)", with
/// the context difference in the caller's words.
pub fn dispute_words(contested: &Claim, diff: Option<&str>) -> String {
    match diff {
        Some(diff) => {
            format!("disputed: `{}` is marked contested (the contexts also differ: {diff})", contested.id)
        }
        None => format!("disputed: `{}` is marked contested", contested.id),
    }
}

/// Describe how the contexts of two claims differ, field by field
/// (`tissue: "bone" vs "aorta"`). A field differs when the two claims name no
/// value in common (one naming none is "unspecified"): claims that share a
/// context disagree within it. Values are quoted, so the sides stay apart
/// even when a value says "low vs adequate zinc" itself.
pub fn context_difference(a: &Claim, b: &Claim) -> Option<String> {
    let values = |c: &Claim, field: &str| -> BTreeSet<String> {
        c.evidence
            .iter()
            .filter_map(|e| match field {
                "tissue" => e.tissue.as_deref().map(str::to_string),
                "condition" => e.condition.as_deref().map(str::to_string),
                _ => e.species.as_deref().map(str::to_string),
            })
            .collect()
    };
    let diffs: Vec<String> = ["tissue", "condition", "species"]
        .iter()
        .filter_map(|field| {
            let (x, y) = (values(a, field), values(b, field));
            (x != y && x.is_disjoint(&y)).then(|| format!("{field}: {} vs {}", show_set(&x), show_set(&y)))
        })
        .collect();
    (!diffs.is_empty()).then(|| diffs.join("; "))
}

fn show_set(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "unspecified".into()
    } else {
        set.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::valid_slug;

    #[test]
    fn byte_slug_check_agrees_with_valid_slug() {
        let ids = ["", "a", "0", "-a", "a-b_c.d", "A", "aB", "a b", "é", "aé", "a\u{0}", "ß1", ".", "a."];
        for id in ids {
            assert_eq!(is_slug(id), valid_slug(id), "{id:?}");
        }
    }

    /// A conflict a curator marked contested is a dispute, even where the
    /// contexts differ (the osteoclast-apoptosis studies used other species).
    #[test]
    fn a_contested_side_makes_a_conflict_a_dispute() {
        let evidence = |species: &str| Evidence {
            reference: "r".into(),
            species: Some(species.into()),
            ..Evidence::default()
        };
        let claim = |id: &str, certainty: &str, species: &str| Claim {
            id: id.into(),
            subject: "zinc".into(),
            predicate: "increases".into(),
            object: "apoptosis".into(),
            evidence: vec![evidence(species)],
            negated: false,
            certainty: Some(certainty.into()),
            note: None,
        };
        let (a, b) = (claim("a", "supported", "rat"), claim("b", "supported", "rabbit"));
        assert!(conflict_help(&a, &b).starts_with("context-dependent effect, not a mistake: species"));
        let b = claim("b", "contested", "rabbit");
        let help = conflict_help(&a, &b);
        assert!(help.starts_with("disputed: `b` is marked contested"), "{help}");
        assert!(help.contains("species: \"rat\" vs \"rabbit\""), "{help}");
        let b = claim("b", "contested", "rat");
        assert_eq!(conflict_help(&a, &b), "disputed: `b` is marked contested");
    }

    /// `conflicts` resolves claims on its own; it must agree with `check`.
    #[test]
    fn conflicts_alone_are_the_conflicts_check_finds() {
        for fixture in ["conflict-context", "conflict-same-context"] {
            let path = format!("{}/tests/fixtures/check/{fixture}.json", env!("CARGO_MANIFEST_DIR"));
            let graph = crate::load::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
            let alone = conflicts(&graph, &graph.vocabulary());
            let within: Vec<Finding> =
                check(&graph).into_iter().filter(|f| f.severity == Severity::Conflict).collect();
            assert!(!alone.is_empty(), "{fixture}");
            assert_eq!(format!("{alone:?}"), format!("{within:?}"), "{fixture}");
        }
    }
}
