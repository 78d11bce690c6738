//! Findings rendered for people (miette, with a source snippet at file:line:col)
//! and for programs (a JSON array).

use crate::finding::{Finding, Severity};
use crate::locate::{SourceMap, Span};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A finding placed in its source file.
#[derive(Debug)]
pub struct FileDiagnostic {
    finding: Finding,
    span: Option<Span>,
    source: NamedSource<Arc<str>>,
}

impl fmt::Display for FileDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FileDiagnostic {}

impl Diagnostic for FileDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{}[{}]", self.finding.severity, self.finding.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Conflict => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span.as_ref().map(|_| &self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.as_ref()?;
        let label = self.finding.id.as_ref().map(|id| format!("`{id}`")).unwrap_or_else(|| "here".into());
        Some(Box::new(std::iter::once(LabeledSpan::new(Some(label), span.range.start, span.range.len()))))
    }
}

/// One finding as `check --format json` prints it.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub id: Option<&'a str>,
    pub help: Option<&'a str>,
}

/// Findings of one file, with positions resolved once.
pub struct Located<'a> {
    pub name: &'a str,
    pub items: Vec<(&'a Finding, Option<Span>)>,
    source: Arc<str>,
}

impl<'a> Located<'a> {
    pub fn new(name: &'a str, text: &str, findings: &'a [Finding]) -> Located<'a> {
        // Scanning costs a pass over the text: skip it when nothing needs a place.
        let map = findings.iter().any(|f| f.location.is_some()).then(|| SourceMap::new(text));
        let items =
            findings.iter().map(|f| (f, f.location.as_ref().and_then(|l| map.as_ref()?.locate(l)))).collect();
        Located { name, items, source: Arc::from(text) }
    }

    pub fn to_json(&self) -> Vec<JsonFinding<'_>> {
        self.items
            .iter()
            .map(|(f, span)| JsonFinding {
                severity: f.severity,
                code: f.code,
                message: &f.message,
                file: self.name,
                line: span.as_ref().map(|s| s.line),
                column: span.as_ref().map(|s| s.column),
                id: f.id.as_deref(),
                help: f.help.as_deref(),
            })
            .collect()
    }

    /// Render every finding with a snippet; `color` for terminals.
    pub fn render(&self, color: bool) -> String {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_context_lines(1);
        let mut out = String::new();
        for (finding, span) in &self.items {
            let diagnostic = FileDiagnostic {
                finding: (*finding).clone(),
                span: span.clone(),
                source: NamedSource::new(self.name, self.source.clone()),
            };
            if span.is_none() {
                out.push_str(&format!("{}: ", self.name));
            }
            handler.render_report(&mut out, &diagnostic).expect("writing to a String cannot fail");
            out.push('\n');
        }
        out
    }

    /// "graph.json: 2 errors, 1 warning, 1 conflict".
    pub fn summary(&self) -> String {
        let count = |s: Severity| self.items.iter().filter(|(f, _)| f.severity == s).count();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}: {}, {}, {}",
            self.name,
            plural(count(Severity::Error), "error"),
            plural(count(Severity::Warning), "warning"),
            plural(count(Severity::Conflict), "conflict")
        )
    }
}
