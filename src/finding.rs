//! Findings: what `load` and `check` have to say about a graph file.
//!
//! A finding names *where* by a JSON pointer into the document (or a raw
//! line/column for syntax errors); turning that into a line, a column and a
//! source snippet is the job of [`crate::locate`] at the edge, so the checker
//! never needs the source text.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Two claims that disagree. Not an error: the literature disagrees too.
    Conflict,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Conflict => "conflict",
        })
    }
}

/// Where in the file a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer (`/claims/3/subject`); `key` points at the member name
    /// rather than its value (for unknown fields).
    Pointer { pointer: String, key: bool },
    /// A raw 1-based position, for errors found before the document parsed.
    Position { line: usize, column: usize },
}

impl Location {
    pub fn value(pointer: impl Into<String>) -> Location {
        Location::Pointer { pointer: pointer.into(), key: false }
    }

    pub fn key(pointer: impl Into<String>) -> Location {
        Location::Pointer { pointer: pointer.into(), key: true }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable kebab-case code (`unknown-entity`), for scripts and docs.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    /// The offending id (entity, claim, reference), when there is one.
    pub id: Option<String>,
    /// A suggestion: "did you mean `alp`?".
    pub help: Option<String>,
}

impl Finding {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Finding {
        Finding { severity, code, message: message.into(), location: None, id: None, help: None }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, code, message)
    }

    pub fn at(mut self, location: Location) -> Finding {
        self.location = Some(location);
        self
    }

    pub fn with_id(mut self, id: impl AsRef<str>) -> Finding {
        self.id = Some(id.as_ref().to_string());
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Finding {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// "did you mean …?" for a misspelt name, from the candidates closest to it.
///
/// Uses normalised Damerau-Levenshtein so short ids are not matched to
/// anything at all; returns at most three candidates, best first.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let close = closest(wrong, candidates, 3);
    match close.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => {
            let list: Vec<String> = many.iter().map(|c| format!("`{c}`")).collect();
            Some(format!("did you mean one of {}?", list.join(", ")))
        }
    }
}

/// The candidates most similar to `wrong`, best first.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_lower = c.to_lowercase();
            let mut score = strsim::normalized_damerau_levenshtein(&wrong_lower, &c_lower);
            if c_lower.contains(&wrong_lower) || wrong_lower.contains(&c_lower) {
                score = score.max(0.7);
            }
            (score >= 0.6).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}
