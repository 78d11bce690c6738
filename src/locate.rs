//! Positions in the source text: JSON pointers → byte spans → line and column.
//!
//! serde gives us a position only for the first error it meets; to report every
//! problem with its place, we scan the (already well-formed) text once and
//! record where each member's key and value stand. The scan is only done when
//! there is something to report, so loading a clean file never pays for it.

use crate::finding::Location;
use std::collections::HashMap;
use std::ops::Range;

/// A located span: byte range plus 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    pub line: usize,
    pub column: usize,
}

/// Spans of every key and value in a JSON document, by JSON pointer.
pub struct SourceMap<'a> {
    text: &'a str,
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
    /// The members of each object, in order, for schema checks.
    members: Vec<(String, String)>,
}

impl<'a> SourceMap<'a> {
    /// Scan `text`. Malformed JSON yields a partial map (what was seen so far).
    pub fn new(text: &'a str) -> SourceMap<'a> {
        let mut map = SourceMap { text, values: HashMap::new(), keys: HashMap::new(), members: Vec::new() };
        let mut scanner = Scanner { bytes: text.as_bytes(), pos: 0 };
        scanner.skip_ws();
        let _ = scanner.value(String::new(), &mut map);
        map
    }

    /// Every object member as (pointer of the object, key), in document order.
    pub fn members(&self) -> &[(String, String)] {
        &self.members
    }

    pub fn locate(&self, location: &Location) -> Option<Span> {
        match location {
            Location::Position { line, column } => {
                let offset = offset_of(self.text, *line, *column);
                Some(Span { range: offset..offset, line: *line, column: *column })
            }
            Location::Pointer { pointer, key } => {
                let range = if *key {
                    self.keys.get(pointer).or_else(|| self.values.get(pointer))
                } else {
                    self.values.get(pointer).or_else(|| self.keys.get(pointer))
                }
                .or_else(|| self.nearest_ancestor(pointer))?;
                Some(self.span(range.clone()))
            }
        }
    }

    /// A pointer that was never seen (a missing field) is shown at its parent.
    fn nearest_ancestor(&self, pointer: &str) -> Option<&Range<usize>> {
        let mut p = pointer;
        while let Some(cut) = p.rfind('/') {
            p = &p[..cut];
            if let Some(r) = self.values.get(p) {
                return Some(r);
            }
        }
        None
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        let (line, column) = line_col(self.text, range.start);
        Span { range, line, column }
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Byte offset of a 1-based line and character column.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i)
}

/// Escape one JSON-pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

struct Scanner<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self, pointer: String, map: &mut SourceMap) -> Option<()> {
        let start = self.pos;
        match self.peek()? {
            b'{' => self.object(&pointer, map)?,
            b'[' => self.array(&pointer, map)?,
            b'"' => {
                self.string()?;
            }
            _ => self.scalar(),
        }
        map.values.insert(pointer, start..self.pos);
        Some(())
    }

    fn object(&mut self, pointer: &str, map: &mut SourceMap) -> Option<()> {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek()? {
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                b'"' => {}
                _ => return None,
            }
            let key_start = self.pos;
            let key = self.string()?;
            let child = format!("{pointer}/{}", escape_segment(&key));
            map.keys.insert(child.clone(), key_start..self.pos);
            map.members.push((pointer.to_string(), key));
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.skip_ws();
            self.value(child, map)?;
        }
    }

    fn array(&mut self, pointer: &str, map: &mut SourceMap) -> Option<()> {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_ws();
            match self.peek()? {
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            self.value(format!("{pointer}/{index}"), map)?;
            index += 1;
        }
    }

    /// Scan a string literal, returning its decoded text.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => {
                    let literal = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
                    return serde_json::from_str(literal).ok();
                }
                _ => {}
            }
        }
        None
    }

    fn scalar(&mut self) {
        while let Some(b) = self.peek() {
            if b == b',' || b == b'}' || b == b']' || b.is_ascii_whitespace() {
                break;
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_to_lines_and_columns() {
        let text = "{\n  \"claims\": [\n    {\"id\": \"a\", \"subject\": \"zinc\"}\n  ]\n}\n";
        let map = SourceMap::new(text);
        let span = map.locate(&Location::value("/claims/0/subject")).unwrap();
        assert_eq!((span.line, span.column), (3, 28));
        assert_eq!(&text[span.range], "\"zinc\"");
        let key = map.locate(&Location::key("/claims/0/subject")).unwrap();
        assert_eq!(&text[key.range], "\"subject\"");
    }

    #[test]
    fn missing_members_fall_back_to_their_parent() {
        let text = "{\"claims\": [{\"id\": \"a\"}]}";
        let map = SourceMap::new(text);
        let span = map.locate(&Location::value("/claims/0/evidence")).unwrap();
        assert_eq!(&text[span.range], "{\"id\": \"a\"}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(line_col("{\"κ\": 1}", 7), (1, 7));
        assert_eq!(offset_of("ab\ncκd", 2, 3), 6);
    }
}
