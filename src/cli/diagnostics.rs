//! Findings rendered for people (miette, with a source snippet at file:line:col)
//! and for programs (a JSON array).

use crate::finding::{Finding, Location, Severity};
use crate::locate::{Records, SourceMap, Span};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A finding placed in its source file.
#[derive(Debug)]
pub struct FileDiagnostic {
    finding: Finding,
    span: Option<Span>,
    source: Window,
}

/// The few lines of the file around one finding, standing in for the whole
/// file: miette finds line numbers by scanning its source from the top, which
/// for a thousand findings in a 500 MB graph meant scanning 250 GB.
#[derive(Debug, Clone)]
struct Window {
    name: String,
    text: Arc<str>,
    /// Byte offset of `text` in the file.
    offset: usize,
    /// 0-based line number of the first line of `text` in the file.
    first_line: usize,
}

/// Lines of context kept on each side (the handler shows one).
const WINDOW_LINES: usize = 3;

impl Window {
    fn around(name: &str, bytes: &[u8], span: &Span) -> Window {
        let (mut start, mut back) = (span.range.start.min(bytes.len()), 0);
        while start > 0 {
            if bytes[start - 1] == b'\n' {
                if back == WINDOW_LINES {
                    break;
                }
                back += 1;
            }
            start -= 1;
        }
        let (mut end, mut ahead) = (span.range.end.clamp(start, bytes.len()), 0);
        while end < bytes.len() && ahead <= WINDOW_LINES {
            if bytes[end] == b'\n' {
                ahead += 1;
            }
            end += 1;
        }
        Window {
            name: name.to_string(),
            // The window ends at line ends or at the span's ends, which are
            // character boundaries of a valid file.
            text: Arc::from(String::from_utf8_lossy(&bytes[start..end])),
            offset: start,
            first_line: span.line - 1 - back,
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.offset).into(), span.len());
        let inner = self.text.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + self.offset).into(), inner.span().len()),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
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

/// The span of each location, from one targeted scan of `text`.
fn scan_spans<'l>(
    text: &str,
    locations: impl Iterator<Item = Option<&'l Location>> + Clone,
) -> Vec<Option<Span>> {
    // Scanning costs a pass over the text: skip it when nothing needs a place.
    let map = locations
        .clone()
        .any(|l| l.is_some())
        .then(|| SourceMap::for_locations(text, locations.clone().flatten()));
    locations.map(|l| map.as_ref()?.locate(l?)).collect()
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
    /// Per item, the lines around its span (not a copy of the whole file).
    windows: Vec<Option<Window>>,
}

impl<'a> Located<'a> {
    pub fn new(name: &'a str, text: &str, findings: &'a [Finding]) -> Located<'a> {
        let spans = scan_spans(text, findings.iter().map(|f| f.location.as_ref()));
        Located::with_spans(name, text.as_bytes(), findings, spans)
    }

    /// [`Located::new`] for a big file whose records the fast parse has
    /// placed: each finding in a record is placed by scanning that record
    /// alone, and the text is validated as UTF-8 (and scanned) only if
    /// some finding lies outside the records.
    pub fn in_records(
        name: &'a str,
        bytes: &[u8],
        findings: &'a [Finding],
        records: &Records,
    ) -> Located<'a> {
        let line_starts: Vec<Option<usize>> =
            findings.iter().map(|f| records.line_start(bytes, f.location.as_ref()?)).collect();
        let lines =
            crate::locate::lines_at(bytes, &line_starts.iter().flatten().copied().collect::<Vec<_>>());
        let mut lines = lines.into_iter();
        let mut spans: Vec<Option<Span>> = findings
            .iter()
            .zip(&line_starts)
            .map(|(f, start)| {
                let (start, line) = (start.as_ref()?, lines.next()?);
                records.place(bytes, f.location.as_ref()?, *start, line)
            })
            .collect();
        let rest =
            findings.iter().zip(&line_starts).map(|(f, s)| f.location.as_ref().filter(|_| s.is_none()));
        if rest.clone().any(|l| l.is_some()) {
            if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
                for (span, scanned) in spans.iter_mut().zip(scan_spans(text, rest)) {
                    *span = span.take().or(scanned);
                }
            }
        }
        Located::with_spans(name, bytes, findings, spans)
    }

    fn with_spans(
        name: &'a str,
        bytes: &[u8],
        findings: &'a [Finding],
        spans: Vec<Option<Span>>,
    ) -> Located<'a> {
        let windows =
            spans.iter().map(|span| span.as_ref().map(|s| Window::around(name, bytes, s))).collect();
        Located { name, items: findings.iter().zip(spans).collect(), windows }
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
        for ((finding, span), window) in self.items.iter().zip(&self.windows) {
            let source = window.clone().unwrap_or_else(|| Window {
                name: self.name.to_string(),
                text: Arc::from(""),
                offset: 0,
                first_line: 0,
            });
            let diagnostic = FileDiagnostic { finding: (*finding).clone(), span: span.clone(), source };
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

/// An error that carries the findings behind it, placed in the file, so that
/// under `--format json` they are written as data (`{"error": …, "findings":
/// [...]}`) rather than as rendered text on stderr.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct WithFindings {
    pub message: String,
    #[help]
    pub help: Option<String>,
    pub findings: serde_json::Value,
}

/// Findings placed in `text`, as JSON or rendered on stderr (text mode), and
/// the error to return: `message` and `help` say what it means for the command.
pub fn refuse_with(
    json: bool,
    interactive: bool,
    located: &Located,
    message: String,
    help: &str,
) -> miette::Report {
    if json {
        let findings = serde_json::to_value(located.to_json()).unwrap_or_default();
        let help = help.replace("the errors above", "the errors in `findings`");
        return miette::Report::new(WithFindings { message, help: Some(help), findings });
    }
    eprint!("{}", located.render(interactive));
    miette::miette!(help = help.to_string(), "{message}")
}

/// The JSON form of an error, for `--format json`: the message with its
/// causes, the help line, and the findings when the error carries them.
pub fn error_json(report: &miette::Report) -> serde_json::Value {
    let causes: Vec<String> = report.chain().map(|e| e.to_string()).collect();
    let findings = report
        .downcast_ref::<WithFindings>()
        .map_or(serde_json::Value::Array(Vec::new()), |w| w.findings.clone());
    serde_json::json!({
        "error": causes.join(": "),
        "help": report.help().map(|h| h.to_string()),
        "findings": findings,
    })
}
