//! Path queries over an [`Index`]: how one entity reaches another ([`trace`]),
//! what lies around an entity ([`neighbors`], [`downstream`], [`upstream`]),
//! and the sign and evidence of every hop and path on the way.
//!
//! Everything here takes a checked graph's [`Index`] and returns indices and
//! data; it never prints. Turning results into text, Markdown or JSON is the
//! job of [`report`], and choosing between them is the job of `cli`.
//!
//! The options are validated in one checked step (`--via zinc`, `--avoid cell`,
//! `--predicate increses` …) so a typo is a clear [`QueryError`] with a
//! "did you mean …?" rather than an empty answer.

pub mod assess;
pub mod context;
mod hop;
mod neighbors;
mod paths;
pub mod report;
pub mod summary;
pub mod why;
pub mod words;

pub use crate::model::ContextField;
pub use context::{ContextChange, HopContext};
pub use hop::{ClaimFilter, PathHop};
pub use neighbors::{downstream, neighbors, upstream, Direction, Neighbor, Reached};
pub use paths::{trace, trace_run, PathSource, TracePath, TraceResult, TraceRun};
pub use summary::{summarize_trace, TraceSummary, Verdict};

use crate::finding::closest;
use crate::index::{EntityIx, Index, ResolveError};
use crate::model::Sign;
use thiserror::Error;

/// How many edge examinations one `trace` may spend before it stops and
/// returns the best paths found so far, marked truncated. About a second of
/// work in a debug build and a few tens of milliseconds in a release build.
pub const DEFAULT_WORK_BUDGET: u64 = 2_000_000;

/// What `trace` looks for. Build with `..Default::default()` so new fields do
/// not break callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceOptions {
    /// Longest path, in hops (entity → entity steps).
    pub max_hops: usize,
    /// Most paths to return; more found means `truncated`.
    pub limit: usize,
    /// Every selector must be passed through: an entity (id, name, alias) or a
    /// kind name (any entity of that kind); `kind:NAME` forces the kind reading.
    pub via: Vec<String>,
    /// Selectors no path may pass through (endpoints are never avoided by a kind).
    pub avoid: Vec<String>,
    /// Only claims with one of these predicates carry hops; empty means all.
    pub predicates: Vec<String>,
    /// Only claims with at least one piece of evidence this strong carry
    /// hops: a study type id of the graph's vocabulary (`animal`).
    pub min_evidence: Option<String>,
    /// Only paths with this net sign (`Sign::None` asks for associative paths).
    pub sign: Option<Sign>,
    /// Only claims with evidence in this species (case-insensitive) carry hops.
    pub species: Option<String>,
    /// Ignore claims the curator marked `contested`, so no hop is contested.
    pub exclude_contested: bool,
    /// Only paths that stay in one context (see [`context`]).
    pub same_context: bool,
    /// Edge examinations allowed before the search stops (see [`DEFAULT_WORK_BUDGET`]).
    pub work_budget: u64,
}

impl Default for TraceOptions {
    fn default() -> Self {
        TraceOptions {
            max_hops: 6,
            limit: 20,
            via: Vec::new(),
            avoid: Vec::new(),
            predicates: Vec::new(),
            min_evidence: None,
            sign: None,
            species: None,
            exclude_contested: false,
            same_context: false,
            work_budget: DEFAULT_WORK_BUDGET,
        }
    }
}

/// Why a query could not run. Each variant has a [`QueryError::help`] line.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum QueryError {
    #[error("{role}: {source}")]
    Resolve {
        role: &'static str,
        #[source]
        source: ResolveError,
    },
    #[error("{role}: `{query}` is both an entity and a kind")]
    EntityOrKind { role: &'static str, query: String, entity: String },
    #[error("{role}: `{query}` is an endpoint of the trace")]
    SelectorIsEndpoint { role: &'static str, query: String },
    #[error("unknown predicate `{predicate}`")]
    UnknownPredicate { predicate: String, help: Option<String> },
    #[error("unknown study type `{study}`")]
    UnknownStudy { study: String, help: Option<String> },
    #[error("FROM and TO are the same entity (`{0}`)")]
    SameEndpoints(String),
    #[error("--max-hops must be at least 1")]
    NoHops,
    #[error("at most 64 --via selectors")]
    TooManyVia,
}

impl QueryError {
    /// A suggestion for the person at the keyboard.
    pub fn help(&self) -> Option<String> {
        match self {
            QueryError::Resolve { source, .. } => source.help(),
            QueryError::EntityOrKind { query, entity, .. } => Some(format!(
                "write `{entity}` for the entity or `kind:{}` for every entity of the kind",
                query.to_lowercase()
            )),
            QueryError::SelectorIsEndpoint { .. } => {
                Some("every path starts at FROM and ends at TO; select an entity in between".into())
            }
            QueryError::UnknownPredicate { help, .. } | QueryError::UnknownStudy { help, .. } => help.clone(),
            QueryError::SameEndpoints(_) => Some("a path needs two different entities".into()),
            QueryError::NoHops | QueryError::TooManyVia => None,
        }
    }
}

/// A resolved `--via`/`--avoid` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Entity(EntityIx),
    /// Every entity of this kind id.
    Kind(String),
}

impl Selector {
    /// Read an entity (id, name, alias) or a kind name; `kind:NAME` forces a kind.
    ///
    /// A word that is both a kind and an entity is refused rather than guessed.
    pub fn resolve(index: &Index, role: &'static str, query: &str) -> Result<Selector, QueryError> {
        let kind_of = |q: &str| {
            let q = q.trim().to_lowercase();
            index.vocab.kind(&q).map(|k| Selector::Kind(k.id.clone()))
        };
        if let Some(kind) = query.strip_prefix("kind:") {
            return kind_of(kind).ok_or_else(|| QueryError::Resolve {
                role,
                source: ResolveError::NotFound {
                    query: query.to_string(),
                    suggestions: closest(kind, index.vocab.kind_ids(), 3)
                        .into_iter()
                        .map(|k| (format!("kind:{k}"), "kind".to_string()))
                        .collect(),
                },
            });
        }
        match (index.resolve(query), kind_of(query)) {
            (Ok(e), None) => Ok(Selector::Entity(e)),
            (Ok(e), Some(_)) => Err(QueryError::EntityOrKind {
                role,
                query: query.to_string(),
                entity: index.entity(e).id.to_string(),
            }),
            (Err(ResolveError::NotFound { .. }), Some(kind)) => Ok(kind),
            (Err(source), _) => Err(QueryError::Resolve { role, source }),
        }
    }

    /// Whether entity `e` is selected.
    pub fn matches(&self, index: &Index, e: EntityIx) -> bool {
        match self {
            Selector::Entity(x) => *x == e,
            Selector::Kind(k) => index.entity(e).kind == *k,
        }
    }
}

/// Resolve an endpoint (FROM, TO, X) with a role for the error message.
pub fn resolve_entity(index: &Index, role: &'static str, query: &str) -> Result<EntityIx, QueryError> {
    index.resolve(query).map_err(|source| QueryError::Resolve { role, source })
}
