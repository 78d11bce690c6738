//! The outline of a graph file: where each record (element of `entities`,
//! `references` and `claims`) lies, found without parsing a record.
//!
//! This is the first, single-threaded step of the fast parse, so it must
//! cost a fraction of parsing. The record arrays are most of the file; they
//! are read 64 bytes at a time as bit masks (quotes, backslashes, braces),
//! as simdjson's first stage does: strings are told apart from structure by
//! a prefix XOR of the quote mask, so string contents are never looked at
//! one byte at a time. The rest of the top level is small and is scanned
//! byte by byte.
//!
//! The outline checks the JSON grammar only *between* values: every byte
//! lies in a value that serde parses afterwards (each record as a document
//! of its own, everything else in [`Outline::top`]) or between values,
//! where only whitespace and one separator are allowed. So a document the
//! outline accepts is well-formed exactly when all those parses succeed.

use crate::locate::{string_end, value_end, Records};
use std::ops::Range;

/// A graph file cut at its records.
pub(super) struct Outline {
    /// The top-level object with each record array emptied, as JSON text:
    /// the same members in the same order, so that duplicates and unknown
    /// members are refused as parsing the whole file would refuse them.
    pub top: String,
    pub records: Records,
}

/// The record arrays of a graph file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Array {
    Entities,
    References,
    Claims,
}

/// The outline of `text`, or `None` when it is not a JSON object of the
/// expected form (the full parse then says what is wrong). `found` hears of
/// each record array as soon as it is outlined, so that its records can be
/// parsed while the outline goes on.
pub(super) fn outline(text: &str, mut found: impl FnMut(Array, &[Range<usize>])) -> Option<Outline> {
    let bytes = text.as_bytes();
    let mut records = Records::default();
    let mut top = String::from("{");
    let mut pos = skip_ws(bytes, 0);
    expect(bytes, pos, b'{')?;
    pos = skip_ws(bytes, pos + 1);
    if bytes.get(pos) == Some(&b'}') {
        pos += 1;
    } else {
        loop {
            expect(bytes, pos, b'"')?;
            let key_end = string_end(bytes, pos + 1)?;
            let key = &text[pos..key_end];
            pos = skip_ws(bytes, key_end);
            expect(bytes, pos, b':')?;
            pos = skip_ws(bytes, pos + 1);
            top.push_str(key);
            top.push(':');
            let list = match serde_json::from_str::<String>(key).ok()?.as_str() {
                "entities" => Some((Array::Entities, &mut records.entities)),
                "references" => Some((Array::References, &mut records.references)),
                "claims" => Some((Array::Claims, &mut records.claims)),
                _ => None,
            };
            if let Some((array, list)) = list {
                expect(bytes, pos, b'[')?;
                let (spans, end) = record_spans(bytes, pos)?;
                found(array, &spans);
                *list = spans;
                top.push_str("[]");
                pos = end;
            } else {
                let end = top_value_end(bytes, pos)?;
                top.push_str(&text[pos..end]);
                pos = end;
            }
            pos = skip_ws(bytes, pos);
            match bytes.get(pos)? {
                b',' => top.push(','),
                b'}' => break,
                _ => return None,
            }
            pos = skip_ws(bytes, pos + 1);
        }
        pos += 1;
    }
    top.push('}');
    (skip_ws(bytes, pos) == bytes.len()).then_some(Outline { top, records })
}

fn expect(bytes: &[u8], pos: usize, byte: u8) -> Option<()> {
    (bytes.get(pos) == Some(&byte)).then_some(())
}

/// JSON's four whitespace bytes (not form feed, which Rust's
/// `is_ascii_whitespace` also allows).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(|&b| is_ws(b)) {
        pos += 1;
    }
    pos
}

/// The end of a top-level value other than a record array: a string,
/// object or array, or a scalar up to the next delimiter.
fn top_value_end(bytes: &[u8], pos: usize) -> Option<usize> {
    if matches!(bytes.get(pos)?, b'"' | b'{' | b'[') {
        return value_end(bytes, pos);
    }
    let len = bytes[pos..].iter().position(|&b| matches!(b, b',' | b'}' | b']') || is_ws(b));
    let end = pos + len.unwrap_or(bytes.len() - pos);
    (end > pos).then_some(end)
}

/// The span of each element of the array whose `[` is at `open`, and the
/// offset just past its `]`. Elements must be objects; only braces are
/// counted (a bracket inside a record is its own business, checked when
/// the record is parsed).
///
/// One thread: splitting the walk between two (the second guessing its
/// start state after a line break, the two joined where they agree) was
/// measured slower on the 2-core machine of README → Performance, 250 ms
/// against 190 ms at a million claims.
fn record_spans(bytes: &[u8], open: usize) -> Option<(Vec<Range<usize>>, usize)> {
    // AVX-512 (64 bytes per compare) was tried: no faster than AVX2 here.
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, just checked.
        return unsafe { record_spans_avx2(bytes, open) };
    }
    spans_with::<Baseline>(bytes, open)
}

/// [`record_spans`] compiled for AVX2, 32 bytes compared at once.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn record_spans_avx2(bytes: &[u8], open: usize) -> Option<(Vec<Range<usize>>, usize)> {
    spans_with::<Avx2>(bytes, open)
}

/// [`record_spans`] with the given way of comparing bytes.
#[inline(always)]
fn spans_with<L: Lanes>(bytes: &[u8], open: usize) -> Option<(Vec<Range<usize>>, usize)> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    let mut strings = Strings::default();
    let mut base = open + 1;
    // Where the text since the last record (or the `[`) began; checked
    // when the next record or the `]` is found, while it is in the cache.
    let gap = |spans: &[Range<usize>]| spans.last().map_or(open + 1, |last| last.end);
    while base < bytes.len() {
        let block = Block::at::<L>(bytes, base);
        let inside = strings.inside(&block);
        let mut structure = (block.open | block.close | block.end) & !inside;
        while structure != 0 {
            let at = base + structure.trailing_zeros() as usize;
            structure &= structure - 1;
            match (bytes[at], depth) {
                (b'{', 0) => {
                    separator(&bytes[gap(&spans)..at], !spans.is_empty()).then_some(())?;
                    start = at;
                    depth = 1;
                }
                (b'{', _) => depth += 1,
                (b'}', 0) => return None,
                (b'}', 1) => {
                    depth = 0;
                    spans.push(start..at + 1);
                }
                (b'}', _) => depth -= 1,
                (_, 0) => {
                    separator(&bytes[gap(&spans)..at], false).then_some(())?;
                    return Some((spans, at + 1));
                }
                _ => {}
            }
        }
        base += 64;
    }
    None
}

/// Whether the text between two records (or a record and a bracket) is
/// whitespace around one comma (`comma`) or whitespace only, as JSON
/// allows: no element that is not a record, no trailing or doubled comma.
fn separator(gap: &[u8], comma: bool) -> bool {
    let rest = &gap[skip_ws(gap, 0)..];
    let rest = if comma { rest.strip_prefix(b",") } else { Some(rest) };
    rest.is_some_and(|rest| skip_ws(rest, 0) == rest.len())
}

/// Bit masks of 64 bytes of text: bit `i` is set when byte `i` is the
/// character named.
struct Block {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
    /// `]`
    end: u64,
    bytes: [u8; 64],
}

impl Block {
    /// The 64 bytes from `base` (padded with spaces past the end).
    #[inline(always)]
    fn at<L: Lanes>(bytes: &[u8], base: usize) -> Block {
        let mut chunk = [b' '; 64];
        let take = (bytes.len() - base).min(64);
        chunk[..take].copy_from_slice(&bytes[base..base + take]);
        let [quote, backslash, open, close, end] = L::masks(&chunk, [b'"', b'\\', b'{', b'}', b']']);
        Block { quote, backslash, open, close, end, bytes: chunk }
    }
}

/// A way of comparing 64 bytes at once with each of a few wanted bytes:
/// for each, the mask of where it occurs.
trait Lanes {
    fn masks<const N: usize>(chunk: &[u8; 64], wanted: [u8; N]) -> [u64; N];
}

/// What every processor of the target has: SSE2 on x86-64 (sixteen bytes
/// at a time), plain Rust elsewhere.
struct Baseline;

impl Lanes for Baseline {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[inline(always)]
    fn masks<const N: usize>(chunk: &[u8; 64], wanted: [u8; N]) -> [u64; N] {
        use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
        let lanes: [__m128i; 4] = bytemuck::cast(*chunk);
        let mut masks = [0; N];
        for (mask, byte) in masks.iter_mut().zip(wanted) {
            // SAFETY: these intrinsics only need SSE2, which this code is
            // compiled with (the `cfg` above; every x86-64 processor has it).
            let needle = unsafe { _mm_set1_epi8(byte as i8) };
            for (i, &lane) in lanes.iter().enumerate() {
                // SAFETY: as above.
                let bits = unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(lane, needle)) } as u16;
                *mask |= u64::from(bits) << (16 * i);
            }
        }
        masks
    }

    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    #[inline(always)]
    fn masks<const N: usize>(chunk: &[u8; 64], wanted: [u8; N]) -> [u64; N] {
        wanted.map(|byte| chunk.iter().rev().fold(0, |mask, &b| (mask << 1) | u64::from(b == byte)))
    }
}

/// 32 bytes at a time. Only [`record_spans_avx2`] uses it, and only runs
/// where the processor has AVX2.
#[cfg(target_arch = "x86_64")]
struct Avx2;

#[cfg(target_arch = "x86_64")]
impl Lanes for Avx2 {
    #[inline(always)]
    fn masks<const N: usize>(chunk: &[u8; 64], wanted: [u8; N]) -> [u64; N] {
        use std::arch::x86_64::{__m256i, _mm256_cmpeq_epi8, _mm256_movemask_epi8, _mm256_set1_epi8};
        let halves: [__m256i; 2] = bytemuck::cast(*chunk);
        let mut masks = [0; N];
        for (mask, byte) in masks.iter_mut().zip(wanted) {
            // SAFETY: AVX2 is present: this is inlined into
            // `record_spans_avx2` only, which runs only where it was detected.
            let needle = unsafe { _mm256_set1_epi8(byte as i8) };
            for (i, &half) in halves.iter().enumerate() {
                // SAFETY: as above.
                let bits = unsafe { _mm256_movemask_epi8(_mm256_cmpeq_epi8(half, needle)) } as u32;
                *mask |= u64::from(bits) << (32 * i);
            }
        }
        masks
    }
}

/// Which bytes are inside strings, carried from one block to the next.
#[derive(Default)]
struct Strings {
    /// All ones when the previous block ended inside a string.
    carry: u64,
    /// The previous block ended with a backslash that escapes the next byte.
    escaped: bool,
}

impl Strings {
    /// The mask of bytes inside a string (an opening quote counts as
    /// inside, a closing one as outside).
    fn inside(&mut self, block: &Block) -> u64 {
        let quotes = self.unescaped_quotes(block);
        // Prefix XOR: bit i is the parity of the quotes at or before i.
        let mut inside = quotes;
        for shift in [1, 2, 4, 8, 16, 32] {
            inside ^= inside << shift;
        }
        inside ^= self.carry;
        self.carry = ((inside as i64) >> 63) as u64;
        inside
    }

    /// The quotes that end or start a string. Escapes are rare in graph
    /// files, so a block with a backslash is simply walked byte by byte.
    fn unescaped_quotes(&mut self, block: &Block) -> u64 {
        if block.backslash == 0 && !self.escaped {
            return block.quote;
        }
        let mut quotes = 0;
        for (i, &b) in block.bytes.iter().enumerate() {
            if std::mem::take(&mut self.escaped) {
                continue;
            }
            match b {
                b'\\' => self.escaped = true,
                b'"' => quotes |= 1 << i,
                _ => {}
            }
        }
        quotes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where each record lies, found the slow way: one value after another.
    fn reference_spans(text: &str, open: usize) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut spans = Vec::new();
        let mut pos = skip_ws(bytes, open + 1);
        while bytes[pos] == b'{' {
            let end = value_end(bytes, pos).unwrap();
            spans.push(pos..end);
            pos = skip_ws(bytes, end);
            if bytes[pos] == b',' {
                pos = skip_ws(bytes, pos + 1);
            }
        }
        spans
    }

    /// Strings full of quotes, backslashes and brackets, at every offset
    /// against the 64-byte blocks: escapes that straddle a block boundary
    /// must carry over, and nothing inside a string may count.
    #[test]
    fn records_are_found_at_every_block_offset() {
        let notes = [r#"a \"}\" b"#, r#"\\"#, r#"\\\""#, "]}{[", r#"\\\\\"]"#, "κ}"];
        for pad in 0..130 {
            let claims: Vec<String> = notes
                .iter()
                .cycle()
                .take(12)
                .enumerate()
                .map(|(i, note)| {
                    // The filler leaves blocks without a backslash after one
                    // that ends with half an escape.
                    let filler = "y".repeat(70);
                    format!(
                        r#"{{"id": "c{i}", "note": "{note}{filler}", "evidence": [{{"reference": "r"}}]}}"#
                    )
                })
                .collect();
            let text = format!(
                "{{\"schema\": \"{}\", \"claims\": [ {} ]}}",
                "x".repeat(pad),
                claims.join(if pad % 2 == 0 { ",\n  " } else { "," })
            );
            let outline = outline(&text, |_, _| ()).unwrap_or_else(|| panic!("pad {pad}: {text}"));
            let open = text.find('[').unwrap();
            let expected = reference_spans(&text, open);
            assert_eq!(outline.records.claims, expected, "pad {pad}");
            // The path this processor did not take gives the same.
            let end = Some((expected.clone(), text.rfind(']').unwrap() + 1));
            assert_eq!(spans_with::<Baseline>(text.as_bytes(), open), end, "pad {pad}");
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, just checked.
                assert_eq!(unsafe { record_spans_avx2(text.as_bytes(), open) }, end, "pad {pad}");
            }
            assert_eq!(outline.top, format!("{{\"schema\":\"{}\",\"claims\":[]}}", "x".repeat(pad)));
        }
    }

    #[test]
    fn anything_but_records_and_separators_is_refused() {
        let bad = [
            r#"{"claims": [{"id": "a"} {"id": "b"}]}"#,
            r#"{"claims": [{"id": "a"},, {"id": "b"}]}"#,
            r#"{"claims": [, {"id": "a"}]}"#,
            r#"{"claims": [{"id": "a"},]}"#,
            r#"{"claims": [{"id": "a"}, 1]}"#,
            r#"{"claims": [{"id": "a"}}]}"#,
            r#"{"claims": [{"id": "a"}"#,
            r#"{"claims": {"id": "a"}}"#,
            "{\"claims\": [\u{c}]}",
            r#"{"claims": []} x"#,
            r#"{"claims": [] "title": ""}"#,
        ];
        for text in bad {
            assert!(outline(text, |_, _| ()).is_none(), "{text}");
            if let Some(open) = text.find('[') {
                let (bytes, dispatched) = (text.as_bytes(), record_spans(text.as_bytes(), open));
                assert_eq!(spans_with::<Baseline>(bytes, open), dispatched, "{text}");
            }
        }
        let good = outline(" {\"title\" :\t\"t\" , \"claims\":[\r\n]}\n", |_, _| ()).unwrap();
        assert_eq!(good.top, r#"{"title":"t","claims":[]}"#);
    }
}
