//! Positions in the source text: JSON pointers → byte spans → line and column.
//!
//! serde gives us a position only for the first error it meets; to report every
//! problem with its place, we scan the (already well-formed) text once and
//! record where each member's key and value stand. The scan is only done when
//! there is something to report, so loading a clean file never pays for it.

use crate::finding::Location;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt::Write as _;
use std::ops::Range;
// Placing findings in a million-claim file looks up a pointer for each of
// its million array elements; foldhash is several times faster than the
// DoS-resistant default, and the pointers come from our own findings.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

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
    /// When set, only these pointers (and their ancestors) are recorded and
    /// everything else is skipped: locating a few findings in a 500 MB file
    /// must not build a table of its 30 million values.
    wanted: Option<HashSet<String>>,
    /// Line numbers at block boundaries, built on first use so that placing a
    /// thousand findings is not a thousand scans from the top of the file.
    lines: OnceCell<LineIndex>,
}

impl<'a> SourceMap<'a> {
    /// Scan `text`. Malformed JSON yields a partial map (what was seen so far).
    pub fn new(text: &'a str) -> SourceMap<'a> {
        SourceMap::scan(text, 0, None)
    }

    /// Scan `text` for the given locations only: the same answers from
    /// [`SourceMap::locate`] for them, without recording anything else
    /// ([`SourceMap::members`] stays empty).
    pub fn for_locations<'l>(
        text: &'a str,
        locations: impl IntoIterator<Item = &'l Location>,
    ) -> SourceMap<'a> {
        SourceMap::scan(text, 0, Some(wanted(locations)))
    }

    /// [`SourceMap::for_locations`] for the one value that starts at byte
    /// `start` of `text`, with pointers relative to that value.
    fn for_value_at(text: &'a str, start: usize, location: &Location) -> SourceMap<'a> {
        SourceMap::scan(text, start, Some(wanted([location])))
    }

    fn scan(text: &'a str, start: usize, wanted: Option<HashSet<String>>) -> SourceMap<'a> {
        let mut map = SourceMap {
            text,
            values: HashMap::new(),
            keys: HashMap::new(),
            members: Vec::new(),
            wanted,
            lines: OnceCell::new(),
        };
        let mut scanner = Scanner { bytes: text.as_bytes(), pos: start, depth: 0 };
        scanner.skip_ws();
        let _ = scanner.value(&mut String::new(), &mut map);
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
        let lines = self.lines.get_or_init(|| LineIndex::new(self.text.as_bytes()));
        let offset = floor_boundary(self.text, range.start);
        let line = lines.line_of(self.text.as_bytes(), offset);
        let line_start = memchr::memrchr(b'\n', &self.text.as_bytes()[..offset]).map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        Span { range, line, column }
    }
}

/// The pointers of `locations` and their ancestors: what a targeted scan records.
fn wanted<'l>(locations: impl IntoIterator<Item = &'l Location>) -> HashSet<String> {
    let mut wanted = HashSet::new();
    for location in locations {
        if let Location::Pointer { pointer, .. } = location {
            let mut p = pointer.as_str();
            while wanted.insert(p.to_string()) {
                match p.rfind('/') {
                    Some(cut) => p = &p[..cut],
                    None => break,
                }
            }
        }
    }
    wanted
}

/// Where each record (element of `entities`, `references` and `claims`)
/// stands in a graph file, as byte ranges, recorded by the fast parse.
///
/// A finding's pointer names its record in its first two segments, so it
/// can be placed by scanning that record alone instead of the half
/// gigabyte of text before it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Records {
    pub entities: Vec<Range<usize>>,
    pub references: Vec<Range<usize>>,
    pub claims: Vec<Range<usize>>,
}

/// Records further than this from the start of their line (minified JSON)
/// are left to the full scan: a column counts every character before it.
const LONGEST_LINE_LEAD: usize = 1 << 16;

impl Records {
    /// The record `pointer` falls in, and the rest of the pointer inside it.
    pub fn record_of<'p>(&self, pointer: &'p str) -> Option<(Range<usize>, &'p str)> {
        let (array, rest) = pointer.strip_prefix('/')?.split_once('/')?;
        let list = match array {
            "entities" => &self.entities,
            "references" => &self.references,
            "claims" => &self.claims,
            _ => return None,
        };
        let (index, inner) = rest.find('/').map_or((rest, ""), |cut| rest.split_at(cut));
        // The scanner writes indices in plain decimal; "01" names no record.
        let plain = !index.is_empty() && (index == "0" || !index.starts_with('0'));
        if !plain || !index.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((list.get(index.parse::<usize>().ok()?)?.clone(), inner))
    }

    /// The start of the line of the record `location` points into, when
    /// [`Records::place`] can place it.
    pub fn line_start(&self, bytes: &[u8], location: &Location) -> Option<usize> {
        let Location::Pointer { pointer, .. } = location else { return None };
        let (record, _) = self.record_of(pointer)?;
        let start = record.start.min(bytes.len());
        let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
        (start - line_start <= LONGEST_LINE_LEAD).then_some(line_start)
    }

    /// Place `location` by scanning only its record, from the start of the
    /// record's line (`line_start`, from [`Records::line_start`]), which is
    /// line `line` of the file.
    pub fn place(&self, bytes: &[u8], location: &Location, line_start: usize, line: usize) -> Option<Span> {
        let Location::Pointer { pointer, key } = location else { return None };
        let (record, inner) = self.record_of(pointer)?;
        let text = std::str::from_utf8(bytes.get(line_start..record.end)?).ok()?;
        let local = Location::Pointer { pointer: inner.to_string(), key: *key };
        let span =
            SourceMap::for_value_at(text, record.start.checked_sub(line_start)?, &local).locate(&local)?;
        Some(Span {
            range: span.range.start + line_start..span.range.end + line_start,
            line: span.line + line - 1,
            column: span.column,
        })
    }
}

/// The 1-based line of each offset, in one pass over the text up to the last.
pub fn lines_at(bytes: &[u8], offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let (mut lines, mut at, mut line) = (vec![0; offsets.len()], 0, 1);
    for i in order {
        let offset = offsets[i].min(bytes.len());
        line += newlines(&bytes[at..offset]);
        at = offset;
        lines[i] = line;
    }
    lines
}

/// Line numbers of a text at every [`LineIndex::BLOCK`] bytes: a line is
/// then one short count away. A table of every line start (21 million at a
/// million claims, 170 MB) cost more to build than all the findings it placed.
struct LineIndex {
    /// Newlines before each block.
    before: Vec<usize>,
}

impl LineIndex {
    const BLOCK: usize = 1 << 16;

    fn new(bytes: &[u8]) -> LineIndex {
        let mut before = Vec::with_capacity(bytes.len() / Self::BLOCK + 1);
        let mut count = 0;
        for block in bytes.chunks(Self::BLOCK) {
            before.push(count);
            count += newlines(block);
        }
        LineIndex { before }
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, bytes: &[u8], offset: usize) -> usize {
        let block = offset / Self::BLOCK;
        let Some(&before) = self.before.get(block) else {
            return newlines(&bytes[..offset]) + 1;
        };
        before + newlines(&bytes[block * Self::BLOCK..offset]) + 1
    }
}

/// Newlines in `bytes` (memchr counts with SIMD, several times faster than
/// a plain loop).
fn newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset);
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
    escaped(segment).into_owned()
}

/// [`escape_segment`] without a copy for the usual segment that needs none.
fn escaped(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

struct Scanner<'b> {
    bytes: &'b [u8],
    pos: usize,
    /// Objects and arrays open around `pos`: the scan recurses, so it stops
    /// at [`MAX_NESTING`] (100,000 nested arrays overflowed the stack, and
    /// each level's pointer made memory grow with the square of the depth).
    depth: usize,
}

/// Deepest nesting of objects and arrays the scanner follows. A graph file
/// needs five levels (claims → claim → evidence → item → value); the loader
/// refuses anything deeper than this before scanning.
pub const MAX_NESTING: usize = 64;

/// The first place `text` nests objects and arrays deeper than
/// [`MAX_NESTING`], as a byte offset (brackets inside strings do not count).
/// One pass with no recursion and no allocation.
pub fn too_deep(text: &str) -> Option<usize> {
    let (bytes, mut pos, mut depth) = (text.as_bytes(), 0, 0usize);
    while let Some(&b) = bytes.get(pos) {
        pos += 1;
        match b {
            b'"' => pos = string_end(bytes, pos).unwrap_or(bytes.len()),
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(pos - 1);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The nearest character boundary at or before `offset` (at most the
/// length): an offset from a damaged or concurrently changed text must not
/// split a character.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
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

    /// Scan the value at `pointer`. The pointer is one buffer that children
    /// extend and truncate again: formatting a new string for each of a
    /// million array elements only to skip them was most of the scan.
    fn value(&mut self, pointer: &mut String, map: &mut SourceMap) -> Option<()> {
        if map.wanted.as_ref().is_some_and(|w| !w.contains(pointer.as_str())) {
            return self.skip_value();
        }
        let start = self.pos;
        match self.peek()? {
            b'{' | b'[' if self.depth >= MAX_NESTING => return None,
            b'{' => self.nested(|s| s.object(pointer, map))?,
            b'[' => self.nested(|s| s.array(pointer, map))?,
            b'"' => {
                self.string()?;
            }
            _ => self.scalar()?,
        }
        map.values.insert(pointer.clone(), start..self.pos);
        Some(())
    }

    fn nested(&mut self, scan: impl FnOnce(&mut Self) -> Option<()>) -> Option<()> {
        self.depth += 1;
        let done = scan(self);
        self.depth -= 1;
        done
    }

    fn object(&mut self, pointer: &mut String, map: &mut SourceMap) -> Option<()> {
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
            let parent = pointer.len();
            pointer.push('/');
            pointer.push_str(&escaped(&key));
            map.keys.insert(pointer.clone(), key_start..self.pos);
            map.members.push((pointer[..parent].to_string(), key));
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.skip_ws();
            self.value(pointer, map)?;
            pointer.truncate(parent);
        }
    }

    fn array(&mut self, pointer: &mut String, map: &mut SourceMap) -> Option<()> {
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
            let parent = pointer.len();
            write!(pointer, "/{index}").expect("writing to a String cannot fail");
            self.value(pointer, map)?;
            pointer.truncate(parent);
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

    /// Step over a value without looking inside (see [`value_end`]).
    fn skip_value(&mut self) -> Option<()> {
        if matches!(self.peek()?, b'"' | b'{' | b'[') {
            self.pos = value_end(self.bytes, self.pos)?;
            return Some(());
        }
        self.scalar()
    }

    /// Step over a number, `true`, `false` or `null`. `None` when there is
    /// none here (a `}` where an array element should be): reporting an
    /// empty value and going on would never advance, and an array loop would
    /// then count elements forever.
    fn scalar(&mut self) -> Option<()> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b',' || b == b'}' || b == b']' || b.is_ascii_whitespace() {
                break;
            }
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }
}

/// The offset just past the string, object or array that starts at `pos`,
/// stepped over without looking inside (strings may hold brackets). This is
/// most of the work of placing findings in a big file, so it is one tight
/// loop: only quotes and brackets matter, and a well-formed document's
/// brackets pair up. `None` for anything else (scalars end at a delimiter,
/// which the caller knows).
pub(crate) fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'{' | b'[' => {}
        b'"' => return string_end(bytes, start + 1),
        _ => return None,
    }
    let (mut pos, mut depth) = (start, 0usize);
    loop {
        let b = *bytes.get(pos)?;
        pos += 1;
        match b {
            b'"' => pos = string_end(bytes, pos)?,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(pos);
                }
            }
            _ => {}
        }
    }
}

/// The offset just past the closing quote of a string whose contents start
/// at `pos`.
pub(crate) fn string_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let at = memchr::memchr2(b'"', b'\\', bytes.get(pos..)?)?;
        pos += at + 1;
        if bytes[pos - 1] == b'"' {
            return Some(pos);
        }
        pos += 1;
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

    /// Found by fuzzing `load`: a `}` where an array element should be was
    /// scanned as an empty value that never advanced, so the array loop
    /// counted elements (and inserted their pointers) until memory ran out.
    #[test]
    fn a_closing_brace_inside_an_array_ends_the_scan() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for text in
                ["{\"a\": 1, \"claims\": [ }", "{\"a\": 1, \"b\": [{\"c\": 1}, } ]}", "{\"a\": 1, \"b\": }"]
            {
                let map = SourceMap::new(text);
                let span = map.locate(&Location::value("/a")).unwrap();
                assert_eq!(&text[span.range], "1", "{text}");
            }
            done.send(()).unwrap();
        });
        finished.recv_timeout(std::time::Duration::from_secs(20)).expect("the scan ended");
    }

    #[test]
    fn missing_members_fall_back_to_their_parent() {
        let text = "{\"claims\": [{\"id\": \"a\"}]}";
        let map = SourceMap::new(text);
        let span = map.locate(&Location::value("/claims/0/evidence")).unwrap();
        assert_eq!(&text[span.range], "{\"id\": \"a\"}");
    }

    #[test]
    fn a_targeted_scan_places_what_a_full_scan_places() {
        let text = "{\"a\": [1, {\"b\": \"x]}\\\"\"}, {\"b\": \"κ\",\n \"c\": [true]}],\n \"d\": {}}";
        let full = SourceMap::new(text);
        for pointer in ["/a/2/c/0", "/a/2/b", "/a/1/b", "/d", "/a/2/missing"] {
            for location in [Location::value(pointer), Location::key(pointer)] {
                let targeted = SourceMap::for_locations(text, [&location]);
                assert_eq!(targeted.locate(&location), full.locate(&location), "{location:?}");
                assert!(targeted.locate(&location).is_some());
            }
        }
        assert_eq!(full.locate(&Location::value("/a/2/c/0")).unwrap().line, 2);
    }

    /// Spans past the first block of the line index must count the lines
    /// of every block before them.
    #[test]
    fn lines_are_counted_across_index_blocks() {
        let claims: Vec<String> =
            (0..20_000).map(|i| format!("  {{\"id\": \"c{i}\",\n   \"note\": \"κ\"}}")).collect();
        let text = format!("{{\"claims\": [\n{}\n]}}", claims.join(",\n"));
        assert!(text.len() > 3 * LineIndex::BLOCK);
        for i in [0, 1, 7_000, 19_999] {
            let location = Location::value(format!("/claims/{i}/note"));
            let span = SourceMap::for_locations(&text, [&location]).locate(&location).unwrap();
            assert_eq!((span.line, span.column), line_col(&text, span.range.start), "claim {i}");
            assert_eq!(span.line, 2 * i + 3);
        }
    }

    /// Placing a location by scanning its record alone must give what a
    /// scan of the whole text gives: lines, columns (after a multi-byte
    /// character), keys, and missing members shown at their parent.
    #[test]
    fn placing_in_a_record_agrees_with_a_full_scan() {
        let text = "{\"entities\": [{\"id\": \"κ\"}],\n \"claims\": [\n  {\"id\": \"a\"},\n  {\"id\": \"b\",\n   \"evidence\": [{\"reference\": \"r\"}]}\n]}";
        let bytes = text.as_bytes();
        // The record that starts with `open` and ends with `close`.
        let record = |open: &str, close: &str| {
            let start = text.find(open).unwrap();
            start..start + text[start..].find(close).unwrap() + close.len()
        };
        let records = Records {
            entities: vec![record("{\"id\": \"κ\"}", "}")],
            references: vec![],
            claims: vec![record("{\"id\": \"a\"}", "}"), record("{\"id\": \"b\"", "}]}")],
        };
        let full = SourceMap::new(text);
        let pointers = [
            "/entities/0/id",
            "/claims/0",
            "/claims/1/id",
            "/claims/1/evidence/0/reference",
            "/claims/1/note",
        ];
        for pointer in pointers {
            for location in [Location::value(pointer), Location::key(pointer)] {
                let line_start = records.line_start(bytes, &location).unwrap();
                let line = lines_at(bytes, &[line_start])[0];
                let placed = records.place(bytes, &location, line_start, line);
                assert_eq!(placed, full.locate(&location), "{location:?}");
                assert!(placed.is_some());
            }
        }
        for outside in ["/claims/01/id", "/claims/2", "/claims", "/vocabulary/kinds/0"] {
            assert_eq!(records.line_start(bytes, &Location::value(outside)), None, "{outside}");
        }
    }

    #[test]
    fn a_cut_off_document_is_scanned_without_panicking() {
        for text in ["{\"a\": [\"x\\", "{\"a\": [{\"b\": \"\\", "{\"a\": [1, {", "{\"a\": ]"] {
            let location = Location::value("/b");
            assert_eq!(SourceMap::for_locations(text, [&location]).locate(&location), None, "{text}");
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(line_col("{\"κ\": 1}", 7), (1, 7));
        assert_eq!(offset_of("ab\ncκd", 2, 3), 6);
    }
}
