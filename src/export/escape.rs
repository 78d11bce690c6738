//! The one place where text becomes DOT (or XML, or Mermaid) syntax.
//!
//! graphviz-rust's model prints every `Id` verbatim: it neither quotes nor
//! escapes. A name with a `"` would end its string early, a backslash would
//! start a Graphviz escape (`\N` is "the node's name"), a raw `<` or `&` breaks
//! an HTML-like label, and two names that print the same would silently merge
//! into one node. Every string from the graph file that reaches the DOT text
//! goes through [`escape`], so those cases are handled once, here, and tested
//! with hostile strings.

use graphviz_rust::dot_structures::Id;

/// How Graphviz will read the escaped text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A double-quoted DOT string: ids and escString attributes (label,
    /// tooltip, URL). The result includes the surrounding quotes. A newline in
    /// the input becomes Graphviz's `\n` line break.
    Quoted,
    /// Character data inside an HTML-like label. A newline in the input
    /// becomes `<BR/>`.
    Html,
    /// A double-quoted attribute value inside an HTML-like label (a cell's
    /// `TITLE`): as [`Context::Html`], but a newline becomes `&#10;`, since
    /// markup there is a syntax error (a reference title with a line break
    /// made `dot` fail).
    HtmlAttribute,
}

/// Escape `text` for `context`.
///
/// Control characters other than newline are replaced by a space: Graphviz
/// cannot show them and XML (SVG, HTML-like labels) forbids most of them.
pub fn escape(text: &str, context: Context) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    if context == Context::Quoted {
        out.push('"');
    }
    for ch in text.chars() {
        match (context, ch) {
            (Context::Quoted, '"') => out.push_str("\\\""),
            (Context::Quoted, '\\') => out.push_str("\\\\"),
            (Context::Quoted, '\n') => out.push_str("\\n"),
            (Context::Html | Context::HtmlAttribute, '&') => out.push_str("&amp;"),
            (Context::Html | Context::HtmlAttribute, '<') => out.push_str("&lt;"),
            (Context::Html | Context::HtmlAttribute, '>') => out.push_str("&gt;"),
            (Context::Html | Context::HtmlAttribute, '"') => out.push_str("&quot;"),
            (Context::Html, '\n') => out.push_str("<BR/>"),
            (Context::HtmlAttribute, '\n') => out.push_str("&#10;"),
            (_, '\r') => {}
            (_, c) if c.is_control() => out.push(' '),
            (_, c) => out.push(c),
        }
    }
    if context == Context::Quoted {
        out.push('"');
    }
    out
}

/// A quoted, escaped DOT id (for node names and attribute values).
pub fn quoted(text: &str) -> Id {
    Id::Escaped(escape(text, Context::Quoted))
}

/// A whole HTML-like label from markup whose text parts were escaped with
/// [`Context::Html`].
pub fn html_label(markup: String) -> Id {
    Id::Html(format!("<{markup}>"))
}

/// Make a link safe to put in an attribute: characters that may not appear
/// in a URL (quotes, angle brackets, spaces, backslashes…) are
/// percent-encoded. DOIs can legally contain `<`, `>` and `"`.
pub fn url(link: &str) -> String {
    let mut out = String::with_capacity(link.len());
    for ch in link.chars() {
        match ch {
            '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | ' ' => {
                out.push_str(&format!("%{:02X}", ch as u32));
            }
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Escape every `&` in `xml` that does not start an entity or character
/// reference. Graphviz writes link targets raw, so a URL with a query string
/// (`?a=1&b=2`) would make the SVG invalid XML.
pub fn bare_ampersands(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if starts_reference(rest) {
            out.push('&');
        } else {
            out.push_str("&amp;");
        }
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

/// `&name;`, `&#123;` or `&#x1F;` at the start of `s`.
fn starts_reference(s: &str) -> bool {
    let body = &s[1..];
    let Some(end) = body.find(';') else { return false };
    let name = &body[..end];
    if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        !num.is_empty() && num.chars().all(|c| c.is_ascii_hexdigit())
    } else if let Some(num) = name.strip_prefix('#') {
        !num.is_empty() && num.chars().all(|c| c.is_ascii_digit())
    } else {
        !name.is_empty()
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
    }
}

/// Escape `text` for XML character data or a double-quoted attribute value
/// (GraphML, GEXF). Newlines, tabs and carriage returns become character
/// references, because an XML parser turns them into spaces inside an
/// attribute and drops a bare `\r`; characters XML 1.0 cannot carry at all
/// (other controls, U+FFFE/U+FFFF) become U+FFFD.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape `text` for a double-quoted Mermaid label (`id["…"]`, `-->|"…"|`).
///
/// Mermaid reads `#name;` and `#123;` as its own entity codes and renders the
/// label as HTML, so: `"` becomes `#quot;`, `#` becomes `#35;` (a bare `#…;`
/// in a name would otherwise be read as an entity), `&`, `<`, `>` become HTML
/// entities (markup in a name is shown, not obeyed), a newline becomes
/// `<br>`, a tab stays, and other control characters become a space.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_keeps_whitespace_as_references() {
        assert_eq!(xml("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
        assert_eq!(xml("a\nb\tc\rd\u{0}e"), "a&#10;b&#9;c&#13;d\u{FFFD}e");
    }

    #[test]
    fn mermaid_labels_escape_quotes_entities_and_markup() {
        assert_eq!(
            mermaid("say \"hi\" #quot; <b>&</b>\nx"),
            "say #quot;hi#quot; #35;quot; &lt;b&gt;&amp;&lt;/b&gt;<br>x"
        );
    }

    #[test]
    fn quoted_strings_escape_quotes_backslashes_and_newlines() {
        assert_eq!(escape(r#"a "b" \N"#, Context::Quoted), r#""a \"b\" \\N""#);
        assert_eq!(escape("one\ntwo\r", Context::Quoted), r#""one\ntwo""#);
        assert_eq!(escape("κ 🦴 \u{0}", Context::Quoted), "\"κ 🦴  \"");
    }

    #[test]
    fn html_text_escapes_markup() {
        assert_eq!(escape("<b>&\"x\"</b>\n", Context::Html), "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;<BR/>");
        assert_eq!(escape("a\n<b>", Context::HtmlAttribute), "a&#10;&lt;b&gt;");
    }

    #[test]
    fn urls_percent_encode_unsafe_characters() {
        assert_eq!(
            url("https://doi.org/10.1002/(SICI)<1>\"x\""),
            "https://doi.org/10.1002/(SICI)%3C1%3E%22x%22"
        );
        assert_eq!(url("https://a.org/?x=1&y=2"), "https://a.org/?x=1&y=2");
    }

    #[test]
    fn only_bare_ampersands_are_escaped() {
        assert_eq!(
            bare_ampersands("a&b &amp; &#38; &#x26; &lt &"),
            "a&amp;b &amp; &#38; &#x26; &amp;lt &amp;"
        );
    }
}
