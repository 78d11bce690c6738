//! Integrity rules over a loaded graph. Returns findings; never prints.
//!
//! Errors make a graph unusable or wrong (a claim pointing nowhere); warnings
//! are things a careful curator wants to know (a reference nobody cites);
//! conflicts are claims that disagree, which is information, not a mistake.

use crate::finding::{closest, did_you_mean, Finding, Location, Severity};
use crate::model::{
    normalize_doi, valid_doi, valid_pmcid, valid_pmid, valid_slug, Certainty, Claim, Context, Graph, Sign,
    StudyLevel, Vocabulary, REFERENCE_TYPES, SCHEMA,
};
use std::collections::BTreeSet;
// A million-claim graph hashes millions of ids here; foldhash is several
// times faster than the DoS-resistant default and the keys are our own data.
use foldhash::{HashMap, HashMapExt};

/// Run every rule. Findings come in document order within each rule group.
///
/// Independent rule groups run on two threads (a million claims take about a
/// second on one core); their findings are joined in the one fixed order.
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
    let ((entities, ends, entity_findings), (references, reference_findings)) = both(
        || {
            let mut findings = Vec::new();
            let entities = check_entities(graph, vocab, &mut findings);
            let ends = endpoints(graph, &entities);
            (entities, ends, findings)
        },
        || {
            let mut findings = Vec::new();
            (check_references(graph, &mut findings), findings)
        },
    );
    let (ends, entities, references) = (&ends, &entities, &references);
    let (claim_findings, pair_findings) = both(
        || {
            let mut findings = Vec::new();
            check_claims(graph, vocab, ends, references, &mut findings);
            check_usage(graph, entities, ends, references, &mut findings);
            findings
        },
        || {
            let mut findings = duplicate_claims(graph, ends);
            findings.extend(conflicts_between(graph, vocab, ends));
            findings
        },
    );
    for group in [entity_findings, reference_findings, claim_findings, pair_findings] {
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

/// Each claim's (subject, object) as integers, so the rules below compare and
/// hash numbers instead of looking the same strings up again and again (at a
/// million claims, string hashing dominated `check`). An id that names an
/// entity maps to its first index; an unknown id maps to a number past the
/// entities, the same number for the same string. Equal ids ⇔ equal numbers.
struct Endpoints {
    ends: Vec<(u32, u32)>,
    /// Entities in the graph; numbers from here up are unknown ids.
    known: u32,
}

impl Endpoints {
    fn is_known(&self, e: u32) -> bool {
        e < self.known
    }
}

fn endpoints<'g>(graph: &'g Graph, entities: &HashMap<&str, usize>) -> Endpoints {
    let known = graph.entities.len() as u32;
    let mut unknown: HashMap<&'g str, u32> = HashMap::new();
    let mut number = |id: &'g str| -> u32 {
        match entities.get(id) {
            Some(&e) => e as u32,
            None => {
                let next = known + unknown.len() as u32;
                *unknown.entry(id).or_insert(next)
            }
        }
    };
    let ends = graph.claims.iter().map(|c| (number(&c.subject), number(&c.object))).collect();
    Endpoints { ends, known }
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// Flag ids seen before; returns the id → first index map.
fn unique_ids<'g>(
    ids: impl Iterator<Item = &'g str>,
    section: &str,
    what: &str,
    findings: &mut Vec<Finding>,
) -> HashMap<&'g str, usize> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.get(id) {
            findings.push(
                Finding::error("duplicate-id", format!("duplicate {what} id `{id}`"))
                    .at(Location::value(format!("/{section}/{i}/id")))
                    .with_id(id)
                    .with_help(Some(format!("first defined as {what} #{} (/{section}/{first})", first + 1))),
            );
        } else {
            seen.insert(id, i);
        }
    }
    seen
}

fn check_entities<'g>(
    graph: &'g Graph,
    vocab: &Vocabulary,
    findings: &mut Vec<Finding>,
) -> HashMap<&'g str, usize> {
    for (i, e) in graph.entities.iter().enumerate() {
        if !valid_slug(&e.id) {
            findings.push(bad_slug("entity", &e.id, format!("/entities/{i}/id")));
        }
        if vocab.kind(&e.kind).is_none() {
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
    unique_ids(graph.entities.iter().map(|e| e.id.as_str()), "entities", "entity", findings)
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

fn check_references<'g>(graph: &'g Graph, findings: &mut Vec<Finding>) -> HashMap<&'g str, usize> {
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
                        .with_help(Some("a DOI looks like `10.4162/nrp.2010.4.5.356`".into())),
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

fn check_claims(
    graph: &Graph,
    vocab: &Vocabulary,
    ends: &Endpoints,
    references: &HashMap<&str, usize>,
    findings: &mut Vec<Finding>,
) {
    for (i, c) in graph.claims.iter().enumerate() {
        let at = |field: &str| Location::value(format!("/claims/{i}/{field}"));
        if !valid_slug(&c.id) {
            findings.push(bad_slug("claim", &c.id, format!("/claims/{i}/id")));
        }
        let (s, o) = ends.ends[i];
        for (field, id, e) in [("subject", &c.subject, s), ("object", &c.object, o)] {
            if !ends.is_known(e) {
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
        let predicate = vocab.predicate(&c.predicate);
        if predicate.is_none() {
            findings.push(
                Finding::error(
                    "unknown-predicate",
                    format!("claim `{}` has unknown predicate `{}`", c.id, c.predicate),
                )
                .at(at("predicate"))
                .with_id(&c.id)
                .with_help(did_you_mean(&c.predicate, vocab.predicate_ids()).or_else(|| {
                    Some(format!(
                        "declare it in `vocabulary.predicates`, or use one of: {}",
                        vocab.predicate_ids().join(", ")
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
            check_evidence(graph, c, e, (i, j), references, findings);
        }
        if let Some(p) = predicate {
            for (field, id, kinds, e) in
                [("subject", &c.subject, &p.subject_kinds, s), ("object", &c.object, &p.object_kinds, o)]
            {
                if !ends.is_known(e) {
                    continue;
                }
                let kind = &graph.entities[e as usize].kind;
                if !kinds.is_empty() && !kinds.iter().any(|k| k == kind) {
                    findings.push(
                        Finding::warning(
                            "unusual-kind",
                            format!(
                                "claim `{}`: `{}` as {field} is a {kind}; `{}` usually takes {}",
                                c.id,
                                id,
                                p.id,
                                kinds.join("/")
                            ),
                        )
                        .at(at(field))
                        .with_id(&c.id),
                    );
                }
            }
        }
    }
}

fn check_evidence(
    graph: &Graph,
    claim: &Claim,
    e: &crate::model::Evidence,
    (i, j): (usize, usize),
    references: &HashMap<&str, usize>,
    findings: &mut Vec<Finding>,
) {
    // The pointer is only spelt out for a finding: formatting it for each of
    // millions of clean evidence items cost more than the checks themselves.
    let pointer = || format!("/claims/{i}/evidence/{j}");
    let at = |field: &str| Location::value(format!("{}/{field}", pointer()));
    if !references.contains_key(e.reference.as_str()) {
        let ids = graph.references.iter().map(|r| r.id.as_str());
        findings.push(
            Finding::error(
                "unknown-reference",
                format!("claim `{}` cites `{}`, which is not a reference", claim.id, e.reference),
            )
            .at(at("reference"))
            .with_id(&e.reference)
            .with_help(did_you_mean(&e.reference, ids)),
        );
    }
    if e.study.is_empty() {
        findings.push(
            Finding::warning(
                "no-study",
                format!("evidence for claim `{}` from `{}` has no study type", claim.id, e.reference),
            )
            .at(Location::value(pointer()))
            .with_id(&claim.id)
            .with_help(Some(format!("add `study`: one of {}", StudyLevel::names().join(", ")))),
        );
    } else if StudyLevel::parse(&e.study).is_none() {
        findings.push(
            Finding::error(
                "unknown-study",
                format!("claim `{}` has unknown study type `{}`", claim.id, e.study),
            )
            .at(at("study"))
            .with_id(&claim.id)
            .with_help(
                did_you_mean(&e.study, StudyLevel::names())
                    .or(Some(format!("one of: {}", StudyLevel::names().join(", ")))),
            ),
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
/// as used when any mention of it is) instead of sets of strings: at a million
/// claims this is one lookup per mention and no second hash table.
fn check_usage(
    graph: &Graph,
    entities: &HashMap<&str, usize>,
    ends: &Endpoints,
    references: &HashMap<&str, usize>,
    findings: &mut Vec<Finding>,
) {
    let mut cited = vec![false; graph.references.len()];
    let mut used = vec![false; graph.entities.len()];
    for (c, &(s, o)) in graph.claims.iter().zip(&ends.ends) {
        for e in &c.evidence {
            if let Some(&r) = references.get(e.reference.as_str()) {
                cited[r] = true;
            }
        }
        for e in [s, o] {
            if ends.is_known(e) {
                used[e as usize] = true;
            }
        }
    }
    let cited = |id: &str| references.get(id).is_some_and(|&r| cited[r]);
    let used = |id: &str| entities.get(id).is_some_and(|&e| used[e]);
    for (i, r) in graph.references.iter().enumerate() {
        if !cited(r.id.as_str()) {
            findings.push(
                Finding::warning("uncited-reference", format!("reference `{}` is never cited", r.id))
                    .at(Location::value(format!("/references/{i}/id")))
                    .with_id(&r.id),
            );
        }
    }
    for (i, e) in graph.entities.iter().enumerate() {
        if !used(e.id.as_str()) {
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

/// Same subject, predicate, object, negation and contexts: one claim written twice.
///
/// Contexts are only compared among claims that share the cheap part of the
/// key: building a context set for every claim dominated `check` at scale.
fn duplicate_claims(graph: &Graph, ends: &Endpoints) -> Vec<Finding> {
    let triple = |i: usize| {
        let c = &graph.claims[i];
        (ends.ends[i], c.predicate.as_str(), c.negated)
    };
    let mut count: HashMap<((u32, u32), &str, bool), u32> = HashMap::with_capacity(graph.claims.len());
    for i in 0..graph.claims.len() {
        *count.entry(triple(i)).or_default() += 1;
    }
    let mut seen: HashMap<(&str, &str, &str, bool, BTreeSet<Context>), usize> = HashMap::new();
    let mut findings = Vec::new();
    for (i, c) in graph.claims.iter().enumerate() {
        if count[&triple(i)] < 2 {
            continue;
        }
        let key = (c.subject.as_str(), c.predicate.as_str(), c.object.as_str(), c.negated, contexts(c));
        if let Some(&first) = seen.get(&key) {
            findings.push(
                Finding::warning(
                    "duplicate-claim",
                    format!("claim `{}` repeats claim `{}`", c.id, graph.claims[first].id),
                )
                .at(Location::value(format!("/claims/{i}/id")))
                .with_id(&c.id)
                .with_help(Some(format!("merge its evidence into `{}`", graph.claims[first].id))),
            );
        } else {
            seen.insert(key, i);
        }
    }
    findings
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
    let entities = graph.entities.iter().enumerate().rev().map(|(i, e)| (e.id.as_str(), i)).collect();
    conflicts_between(graph, vocab, &endpoints(graph, &entities))
}

fn conflicts_between(graph: &Graph, vocab: &Vocabulary, ends: &Endpoints) -> Vec<Finding> {
    // Claims on the same endpoints, as linked lists through `earlier` (one
    // table entry per pair and no vector per pair: most pairs have one claim).
    let mut last: HashMap<(u32, u32), usize> = HashMap::with_capacity(graph.claims.len());
    let mut earlier: Vec<Option<usize>> = vec![None; graph.claims.len()];
    for (i, c) in graph.claims.iter().enumerate() {
        if effect(c, vocab).is_some() {
            if let Some(prev) = last.insert(ends.ends[i], i) {
                earlier[i] = Some(prev);
            }
        }
    }
    // Each pair's group, from its latest claim back; groups ordered by claim.
    let groups = last.values().filter(|&&i| earlier[i].is_some()).map(|&i| {
        let mut group: Vec<usize> = std::iter::successors(Some(i), |&j| earlier[j]).collect();
        group.reverse();
        group
    });
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for group in groups {
        let group = &group;
        for (n, &a) in group.iter().enumerate() {
            for &b in &group[n + 1..] {
                if disagree(&graph.claims[a], &graph.claims[b], vocab) {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.into_iter().map(|(a, b)| conflict_finding(graph, a, b)).collect()
}

/// Whether two claims on the same endpoints contradict each other.
pub fn disagree(a: &Claim, b: &Claim, vocab: &Vocabulary) -> bool {
    match (effect(a, vocab), effect(b, vocab)) {
        (Some(sa), Some(sb)) => {
            if a.negated == b.negated {
                sa == sb.flipped() && !a.negated
            } else {
                sa == sb
            }
        }
        _ => false,
    }
}

fn conflict_finding(graph: &Graph, a: usize, b: usize) -> Finding {
    let (ca, cb) = (&graph.claims[a], &graph.claims[b]);
    let how = if ca.negated != cb.negated { "denies" } else { "has the opposite sign of" };
    let mut finding = Finding::new(
        Severity::Conflict,
        "conflict",
        format!("claim `{}` {how} claim `{}` ({} → {})", cb.id, ca.id, ca.subject, ca.object),
    )
    .at(Location::value(format!("/claims/{b}/id")))
    .with_id(&cb.id);
    finding.help = Some(match context_difference(ca, cb) {
        Some(diff) => format!("context-dependent effect, not a mistake: {diff}"),
        None => "same context: the literature disagrees; mark the weaker claim `contested`".into(),
    });
    finding
}

/// Describe how the contexts of two claims differ ("tissue: bone vs aorta").
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
            (x != y).then(|| format!("{field}: {} vs {}", show_set(&x), show_set(&y)))
        })
        .collect();
    (!diffs.is_empty()).then(|| diffs.join("; "))
}

fn show_set(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "unspecified".into()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}
