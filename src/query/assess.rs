//! `assess`: hold statements (an article's claims, one per line) against the
//! graph and give each a verdict with its best path, weakest link and
//! citations — the fact-check a science writer does claim by claim.
//!
//! # Verdicts
//!
//! For `SUBJECT | increases | OBJECT` (and `decreases` alike) the paths of a
//! trace are sorted into those that stay in one context with the asked sign
//! (*for*), with the opposite sign (*against*) and associative ones; paths
//! that cross contexts support nothing and are only counted.
//!
//! - `absent`: no path, or none that stays in one context;
//! - `associative`: no causal path either way, only correlations;
//! - `contradicted`: the opposite sign has the stronger weakest link (or the
//!   only causal paths are the other way);
//! - `mixed`: both signs, equally strong;
//! - `contested`: every path for it has a hop a curator marked contested;
//! - `supported`: a path for it, not contested, with at least one human or
//!   animal study on every hop;
//! - `weak`: otherwise (somewhere on every such path only in vitro work, a
//!   review or a structural fact).
//!
//! `associated` and `any` ask whether the two are linked at all: every
//! context-consistent path counts for them, whatever its sign.

use super::context::{rank, IN_VIVO_RANK};
use super::{trace_run, QueryError, TraceOptions, TracePath};
use crate::index::{EntityIx, Index, RefIx, ResolveError};
use crate::model::Sign;
use thiserror::Error;

/// What a statement says the subject does to the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Increases,
    Decreases,
    Associated,
    Any,
}

impl Effect {
    pub const NAMES: [&'static str; 4] = ["increases", "decreases", "associated", "any"];

    pub fn parse(s: &str) -> Option<Effect> {
        match s.trim().to_lowercase().as_str() {
            "increases" => Some(Effect::Increases),
            "decreases" => Some(Effect::Decreases),
            "associated" => Some(Effect::Associated),
            "any" => Some(Effect::Any),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Effect::NAMES[self as usize]
    }

    fn sign(self) -> Option<Sign> {
        match self {
            Effect::Increases => Some(Sign::Plus),
            Effect::Decreases => Some(Sign::Minus),
            _ => None,
        }
    }
}

/// One statement of a statements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 1-based line number in the file.
    pub line: usize,
    pub subject: String,
    pub effect: Effect,
    pub object: String,
}

/// A line that is not a statement, or a name the graph does not know.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    #[error("expected `SUBJECT | EFFECT | OBJECT`, found {found} field(s)")]
    Shape { line: usize, found: usize },
    #[error("unknown effect `{effect}`")]
    Effect { line: usize, effect: String },
    #[error("{role}: {source}")]
    Name {
        line: usize,
        role: &'static str,
        #[source]
        source: ResolveError,
    },
}

impl StatementError {
    pub fn line(&self) -> usize {
        match self {
            StatementError::Shape { line, .. }
            | StatementError::Effect { line, .. }
            | StatementError::Name { line, .. } => *line,
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            StatementError::Shape { .. } => {
                Some("one statement per line, e.g. `zinc | increases | bone mineralization`".into())
            }
            StatementError::Effect { .. } => Some(format!("use one of: {}", Effect::NAMES.join(", "))),
            StatementError::Name { source, .. } => source.help(),
        }
    }
}

/// Read a statements file: `SUBJECT | EFFECT | OBJECT` per line; `#` starts
/// a comment, blank lines are skipped. Returns the statements that read and
/// an error for every line that did not.
pub fn parse_statements(text: &str) -> (Vec<Statement>, Vec<StatementError>) {
    let (mut statements, mut errors) = (Vec::new(), Vec::new());
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let fields: Vec<&str> = content.split('|').map(str::trim).collect();
        match fields.as_slice() {
            [subject, effect, object] if !subject.is_empty() && !object.is_empty() => {
                match Effect::parse(effect) {
                    Some(effect) => statements.push(Statement {
                        line,
                        subject: subject.to_string(),
                        effect,
                        object: object.to_string(),
                    }),
                    None => errors.push(StatementError::Effect { line, effect: effect.to_string() }),
                }
            }
            _ => errors.push(StatementError::Shape { line, found: fields.len() }),
        }
    }
    (statements, errors)
}

/// A statement with its names resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub statement: Statement,
    pub subject: EntityIx,
    pub object: EntityIx,
}

/// Resolve every statement's names; every unknown one is reported, with its line.
pub fn resolve_statements(
    index: &Index,
    statements: Vec<Statement>,
) -> Result<Vec<Resolved>, Vec<StatementError>> {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for s in statements {
        let subject = index.resolve(&s.subject);
        let object = index.resolve(&s.object);
        match (subject, object) {
            (Ok(subject), Ok(object)) => out.push(Resolved { statement: s, subject, object }),
            (subject, object) => {
                for (role, r) in [("SUBJECT", subject), ("OBJECT", object)] {
                    if let Err(source) = r {
                        errors.push(StatementError::Name { line: s.line, role, source });
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The verdict on one statement (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Supported,
    Weak,
    Associative,
    Contested,
    Contradicted,
    Mixed,
    Absent,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Weak => "weak",
            Verdict::Associative => "associative",
            Verdict::Contested => "contested",
            Verdict::Contradicted => "contradicted",
            Verdict::Mixed => "mixed",
            Verdict::Absent => "absent",
        }
    }
}

/// A statement held against the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub statement: Statement,
    pub subject: EntityIx,
    pub object: EntityIx,
    pub verdict: Verdict,
    /// The path the verdict rests on (for `contradicted`: the opposite one).
    pub best_path: Option<TracePath>,
    /// How many context-consistent paths go each way, and how many cross contexts.
    pub for_paths: usize,
    pub against_paths: usize,
    pub associative_paths: usize,
    pub crossing_paths: usize,
}

impl Assessment {
    /// The references of the best path, in order of first citation.
    pub fn references(&self) -> &[RefIx] {
        self.best_path.as_ref().map_or(&[], |p| &p.references)
    }
}

/// Every hop has at least one human or animal study among its carrying claims.
fn in_vivo_throughout(index: &Index, path: &TracePath) -> bool {
    path.hops.iter().all(|h| {
        h.claims.iter().any(|&c| {
            let vocab = &index.vocab;
            index
                .claim(c)
                .evidence
                .iter()
                .any(|e| e.level(vocab).is_some_and(|l| rank(vocab, l) >= IN_VIVO_RANK))
        })
    })
}

/// The best of some paths: strongest weakest link, then rank order.
fn strongest(paths: &[TracePath]) -> Option<&TracePath> {
    paths.iter().fold(None, |best: Option<&TracePath>, p| match best {
        Some(b) if b.weakest >= p.weakest => Some(b),
        _ => Some(p),
    })
}

/// Hold one statement against the graph.
pub fn assess(index: &Index, r: &Resolved, opts: &TraceOptions) -> Result<Assessment, QueryError> {
    let run = trace_run(index, r.subject, r.object, opts)?;
    let paths: Vec<TracePath> = (0..run.len()).map(|i| run.path(i)).collect();
    let crossing_paths = paths.iter().filter(|p| p.crosses_context()).count();
    let consistent: Vec<TracePath> = paths.into_iter().filter(|p| !p.crosses_context()).collect();
    let (mut pro, mut con, mut assoc) = (Vec::new(), Vec::new(), Vec::new());
    for p in consistent {
        match (r.statement.effect.sign(), p.sign) {
            (None, _) => pro.push(p),
            (_, Sign::None) => assoc.push(p),
            (Some(want), s) if s == want => pro.push(p),
            _ => con.push(p),
        }
    }
    let (verdict, best) = decide(index, &pro, &con, &assoc);
    Ok(Assessment {
        statement: r.statement.clone(),
        subject: r.subject,
        object: r.object,
        verdict,
        best_path: best.cloned(),
        for_paths: pro.len(),
        against_paths: con.len(),
        associative_paths: assoc.len(),
        crossing_paths,
    })
}

fn decide<'p>(
    index: &Index,
    pro: &'p [TracePath],
    con: &'p [TracePath],
    assoc: &'p [TracePath],
) -> (Verdict, Option<&'p TracePath>) {
    let uncontested: Vec<TracePath> = pro.iter().filter(|p| !p.contested).cloned().collect();
    let best_for = strongest(pro);
    match (best_for, strongest(con)) {
        (None, None) => match strongest(assoc) {
            Some(a) => (Verdict::Associative, Some(a)),
            None => (Verdict::Absent, None),
        },
        (None, Some(against)) => (Verdict::Contradicted, Some(against)),
        (Some(f), Some(against)) if against.weakest > f.weakest && !against.contested => {
            (Verdict::Contradicted, Some(against))
        }
        (Some(f), Some(against)) if against.weakest == f.weakest && !against.contested && !f.contested => {
            (Verdict::Mixed, Some(f))
        }
        (Some(f), _) if uncontested.is_empty() => (Verdict::Contested, Some(f)),
        (Some(_), _) => {
            let solid = pro.iter().filter(|p| !p.contested);
            let best_solid = solid.clone().filter(|p| in_vivo_throughout(index, p));
            match strongest(&best_solid.cloned().collect::<Vec<_>>()) {
                Some(p) => (Verdict::Supported, pro.iter().find(|x| *x == p)),
                None => {
                    let p = strongest(&uncontested).and_then(|p| pro.iter().find(|x| *x == p));
                    (Verdict::Weak, p)
                }
            }
        }
    }
}

/// Hold every statement against the graph, in file order.
pub fn assess_all(
    index: &Index,
    resolved: &[Resolved],
    opts: &TraceOptions,
) -> Result<Vec<Assessment>, QueryError> {
    resolved.iter().map(|r| assess(index, r, opts)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_parse_with_comments_and_located_errors() {
        let text = "# header\nzinc | increases | bone mineralization  # the main claim\n\nzinc | boosts | alp\nzinc | alp\n";
        let (ok, errors) = parse_statements(text);
        assert_eq!(errors.iter().map(StatementError::line).collect::<Vec<_>>(), [4, 5]);
        assert!(errors[0].to_string().contains("unknown effect `boosts`"));
        assert_eq!(ok.len(), 1);
        let (ok, _) = parse_statements("Zn | Increases | ALP\n");
        assert_eq!(
            ok[0],
            Statement { line: 1, subject: "Zn".into(), effect: Effect::Increases, object: "ALP".into() }
        );
    }
}
