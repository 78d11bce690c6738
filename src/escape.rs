//! Text from a graph file made safe for where it is printed: HTML, Markdown
//! and terminals.
//!
//! Titles, names, authors and identifiers come from files anyone may write
//! or import (a `.bib` title may be `<script>…</script>`, a name may hold an
//! ESC byte that re-colours or rewrites the user's terminal). Every writer
//! of those formats passes such text through the functions here, so the
//! rules live in one place and are tested once. DOT has its own rules in
//! [`crate::export::escape`].

use std::borrow::Cow;
use std::io::{self, Write};

/// Escape text for HTML element content and double- or single-quoted
/// attribute values. Control characters (but newline and tab) become spaces.
pub fn html(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || is_unsafe_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_unsafe_control(c) => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escape the characters Markdown (CommonMark) would read as formatting,
/// raw HTML or a link; control characters, line breaks included, become
/// spaces so that text cannot start a new block.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|".contains(c) {
            out.push('\\');
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// A link target safe inside a Markdown `(…)` destination and an HTML
/// attribute: everything but unreserved and a few reserved URL characters
/// is percent-encoded (so no quote, angle bracket, parenthesis, space or
/// control character survives). DOIs may legally hold `<`, `>` and `"`.
pub fn url(link: &str) -> String {
    let mut out = String::with_capacity(link.len());
    for b in link.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#@!$&*+,;=%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether a link may be followed from a page: only web links, never
/// `javascript:` or `data:`.
pub fn is_web_link(link: &str) -> bool {
    let lower = link.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Replace control characters (but newline and tab) with U+FFFD, so that
/// text printed to a terminal cannot move the cursor, recolour, retitle
/// the window or hide what follows.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if is_unsafe_control(c) { '\u{FFFD}' } else { c }).collect())
}

/// C0 (but `\n` and `\t`), DEL and C1 characters: ESC starts a terminal
/// escape sequence, U+009B is a one-character CSI, `\r` overwrites a line.
fn is_unsafe_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A writer that applies [`terminal`] to everything written through it, for
/// the human-readable output of commands that print names and snippets.
/// It works on bytes, so it never splits or changes other characters; a C1
/// character (two bytes, `C2 80`–`C2 9F`) split across two writes is still
/// caught.
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// The previous write ended with a `C2` lead byte, not yet passed on.
    pending_c2: bool,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe { inner, pending_c2: false }
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        let mut bytes = buf.iter().copied().peekable();
        if self.pending_c2 {
            self.pending_c2 = false;
            match bytes.peek() {
                Some(0x80..=0x9F) => {
                    bytes.next();
                    out.extend_from_slice(REPLACEMENT);
                }
                _ => out.push(0xC2),
            }
        }
        while let Some(b) = bytes.next() {
            match b {
                b'\n' | b'\t' => out.push(b),
                0x00..=0x1F | 0x7F => out.extend_from_slice(REPLACEMENT),
                0xC2 => match bytes.peek() {
                    Some(0x80..=0x9F) => {
                        bytes.next();
                        out.extend_from_slice(REPLACEMENT);
                    }
                    None => self.pending_c2 = true,
                    _ => out.push(b),
                },
                _ => out.push(b),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xC2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert!(matches!(html("plain"), Cow::Borrowed(_)));
        assert_eq!(html("a\u{1b}b"), "a b");
    }

    #[test]
    fn urls_lose_quotes_brackets_and_spaces() {
        assert_eq!(url("https://doi.org/10.1000/\"><script>"), "https://doi.org/10.1000/%22%3E%3Cscript%3E");
        assert_eq!(url("https://doi.org/10.1000/a(b) c"), "https://doi.org/10.1000/a%28b%29%20c");
        assert!(is_web_link("HTTPS://x") && !is_web_link("javascript:alert(1)"));
    }

    #[test]
    fn markdown_cannot_open_html_or_a_new_block() {
        assert_eq!(markdown("<img src=x>\n# h"), "\\<img src=x\\> \\# h");
    }

    #[test]
    fn terminal_output_loses_escape_sequences() {
        assert_eq!(terminal("a\u{1b}[31mred\u{9b}2J\r"), "a\u{FFFD}[31mred\u{FFFD}2J\u{FFFD}");
        let mut out = TerminalSafe::new(Vec::new());
        out.write_all(b"x\x1b[0m\xc2").unwrap();
        out.write_all(b"\x9b\xc3\xa9\n").unwrap();
        out.flush().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "x\u{FFFD}[0m\u{FFFD}é\n");
    }
}
