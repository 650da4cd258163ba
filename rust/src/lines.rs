//! A line of a block read in one pass: where it ends, its fields' byte ranges, and what Python's `csv` module would
//! make of it (a quote, a NUL, a carriage return inside it, bytes that are not ASCII).
//!
//! Speed: one table look-up a byte, in place of a `memchr` for the line feed, a `memchr2` for CR and NUL, an ASCII
//! test and a `memchr_iter` over the delimiters (whose cells, of about ten bytes, are too short for its vector
//! loop): the scan of the benchmark's 1M rows spent about 0.06 s there, and spends about half that here.

/// A byte's class: the delimiter, a line feed, or one the row's reading depends on.
pub const DELIMITER: u8 = 1;
pub const LINE_FEED: u8 = 2;
pub const CARRIAGE_RETURN: u8 = 4;
pub const QUOTE: u8 = 8;
pub const NUL: u8 = 16;
pub const NON_ASCII: u8 = 32;
/// A byte the file's encoding leaves undefined (`Splitter::new`'s `undefined`), not ASCII either.
pub const UNDEFINED: u8 = 64;

/// A line found by `Splitter::line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Just past its line feed (or the end of the data, at the end of the file).
    pub end: usize,
    /// Its bytes without the line end (the line feed, and a carriage return before it).
    pub content: (usize, usize),
    /// The classes of the bytes of `content` (`CARRIAGE_RETURN`: one inside it, not the one of its line end).
    pub seen: u8,
}

#[derive(Clone, Debug)]
pub struct Splitter {
    classes: [u8; 256],
    delimiter: u8,
}

impl Splitter {
    /// `undefined`: bytes of 0x80 and over that the file's encoding does not decode (cp1252's five), whose class
    /// tells a line's decoding without another pass over it.
    pub fn new(delimiter: u8, undefined: &[u8]) -> Splitter {
        let mut classes = [0u8; 256];
        classes[0x80..].iter_mut().for_each(|class| *class = NON_ASCII);
        for &byte in undefined.iter().filter(|byte| !byte.is_ascii()) {
            classes[usize::from(byte)] |= UNDEFINED;
        }
        for (byte, class) in [(b'\n', LINE_FEED), (b'\r', CARRIAGE_RETURN), (b'"', QUOTE), (0, NUL)] {
            classes[usize::from(byte)] = class;
        }
        debug_assert!(delimiter != b'\n', "a line feed ends a line");
        classes[usize::from(delimiter)] |= DELIMITER;
        Splitter { classes, delimiter }
    }

    /// The line starting at `pos` in `data`, its fields' ranges into `fields` (at most `most`: a row with more is
    /// not the header's width, and memory stays bounded by it); None when no line feed ends it before the end of
    /// `data` and `eof` is false (the line runs on into the next block).
    pub fn line(&self, data: &[u8], pos: usize, eof: bool, most: usize, fields: &mut Vec<(u32, u32)>) -> Option<Line> {
        fields.clear();
        let mut state = State { start: pos, seen: 0, returns: 0, feed: None };
        let mut at = pos;
        while let Some(chunk) = data.get(at..at + CHUNK) {
            let (delimiters, feeds, others) = self.masks(chunk);
            let before = feeds.trailing_zeros(); // CHUNK when there is no line feed in it
            let below = if before >= CHUNK as u32 { u64::MAX } else { (1u64 << before) - 1 };
            let mut bits = delimiters & below;
            while bits != 0 {
                state.field(at + bits.trailing_zeros() as usize, most, fields);
                bits &= bits - 1;
            }
            let mut bits = others & below;
            while bits != 0 {
                state.other(self.classes[usize::from(chunk[bits.trailing_zeros() as usize])]);
                bits &= bits - 1;
            }
            if feeds != 0 {
                state.feed = Some(at + before as usize);
                break;
            }
            at += CHUNK;
        }
        if state.feed.is_none() {
            for (offset, &byte) in data[at..].iter().enumerate() {
                let class = self.classes[usize::from(byte)];
                if class & DELIMITER != 0 {
                    state.field(at + offset, most, fields);
                }
                if class & LINE_FEED != 0 {
                    state.feed = Some(at + offset);
                    break;
                }
                state.other(class & !DELIMITER);
            }
        }
        state.finish(data, pos, eof, most, fields)
    }

    /// Bits of a chunk's bytes: the delimiter, line feeds, and every other byte of a class.
    #[cfg(target_arch = "x86_64")]
    fn masks(&self, chunk: &[u8]) -> (u64, u64, u64) {
        let mut masks = (0, 0, 0);
        for (index, part) in chunk.chunks_exact(16).enumerate() {
            // SAFETY: SSE2 is part of the x86_64 architecture (its ABI requires it): every x86_64 processor has it.
            let (delimiters, feeds, others) = unsafe { masks16(part, self.delimiter) };
            let shift = 16 * index;
            masks.0 |= delimiters << shift;
            masks.1 |= feeds << shift;
            masks.2 |= others << shift;
        }
        masks
    }

    /// Bits of a chunk's bytes: the delimiter, line feeds, and every other byte of a class.
    #[cfg(not(target_arch = "x86_64"))]
    fn masks(&self, chunk: &[u8]) -> (u64, u64, u64) {
        let mut masks = (0, 0, 0);
        for (index, &byte) in chunk.iter().enumerate() {
            let class = self.classes[usize::from(byte)];
            masks.0 |= u64::from(class & DELIMITER != 0) << index;
            masks.1 |= u64::from(class & LINE_FEED != 0) << index;
            masks.2 |= u64::from(class & !(DELIMITER | LINE_FEED) != 0) << index;
        }
        masks
    }
}

/// `Splitter::masks` of 16 bytes, by SSE2: a compare a class and a byte's top bit (not ASCII).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn masks16(part: &[u8], delimiter: u8) -> (u64, u64, u64) {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    assert_eq!(part.len(), 16);
    // SAFETY: `part` is 16 readable bytes (asserted), which is what `_mm_loadu_si128` reads, at any alignment.
    let bytes = unsafe { _mm_loadu_si128(part.as_ptr().cast::<__m128i>()) };
    let delimiters = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(delimiter as i8));
    let feeds = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\n' as i8));
    let returns = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\r' as i8));
    let quotes = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'"' as i8));
    let nuls = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0));
    let others = _mm_or_si128(_mm_or_si128(returns, quotes), _mm_or_si128(nuls, bytes));
    let bits = |mask: i32| u64::from(mask as u16);
    (bits(_mm_movemask_epi8(delimiters)), bits(_mm_movemask_epi8(feeds)), bits(_mm_movemask_epi8(others)))
}

/// Bytes looked at together (`Splitter::masks`).
const CHUNK: usize = 64;

/// What a line's bytes showed so far.
struct State {
    start: usize,
    seen: u8,
    returns: u32,
    feed: Option<usize>,
}

impl State {
    fn field(&mut self, delimiter: usize, most: usize, fields: &mut Vec<(u32, u32)>) {
        if fields.len() < most {
            fields.push((self.start as u32, delimiter as u32));
        }
        self.start = delimiter + 1;
    }

    fn other(&mut self, class: u8) {
        self.returns += u32::from(class & CARRIAGE_RETURN != 0);
        self.seen |= class;
    }

    fn finish(self, data: &[u8], pos: usize, eof: bool, most: usize, fields: &mut Vec<(u32, u32)>) -> Option<Line> {
        let (mut seen, mut returns) = (self.seen, self.returns);
        let end = match self.feed {
            Some(feed) => feed + 1,
            None if eof => data.len(),
            None => return None,
        };
        let mut content_end = self.feed.unwrap_or(data.len());
        if content_end > pos && data[content_end - 1] == b'\r' {
            content_end -= 1;
            returns -= 1;
        }
        if returns == 0 {
            seen &= !CARRIAGE_RETURN;
        }
        if fields.len() < most {
            fields.push((self.start.min(content_end) as u32, content_end as u32));
        }
        Some(Line { end, content: (pos, content_end), seen: seen & !DELIMITER })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memchr::{memchr, memchr2, memchr_iter};

    /// The passes the splitter replaces, over a line at 0 of `data`.
    fn slow(data: &[u8], eof: bool, delimiter: u8) -> Option<(Line, Vec<(u32, u32)>)> {
        let end = match memchr(b'\n', data) {
            Some(feed) => feed + 1,
            None if eof => data.len(),
            None => return None,
        };
        let text = &data[..end];
        let text = text.strip_suffix(b"\n").unwrap_or(text);
        let content = text.strip_suffix(b"\r").unwrap_or(text);
        let mut seen = 0;
        for (byte, class) in [(b'\r', CARRIAGE_RETURN), (b'"', QUOTE), (0, NUL)] {
            if memchr(byte, content).is_some() {
                seen |= class;
            }
        }
        if !content.is_ascii() {
            seen |= NON_ASCII;
        }
        let _ = memchr2(b'\r', 0, content);
        let mut fields = Vec::new();
        let mut start = 0;
        for offset in memchr_iter(delimiter, content) {
            fields.push((start as u32, offset as u32));
            start = offset + 1;
        }
        fields.push((start as u32, content.len() as u32));
        Some((Line { end, content: (0, content.len()), seen }, fields))
    }

    #[test]
    fn one_pass_as_the_passes_it_replaces() {
        let pieces: [&[u8]; 9] = [b"ab", b";", b"\n", b"\r", b"\"", b"\x00", b"\xe9", b"\r\n", b""];
        let mut values: Vec<Vec<u8>> = vec![vec![]];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> =
                values.iter().flat_map(|v| pieces.iter().map(move |p| [v.as_slice(), p].concat())).collect();
            values.extend(longer);
        }
        values.sort();
        values.dedup();
        let splitter = Splitter::new(b';', &[]);
        let mut fields = Vec::new();
        for value in &values {
            for eof in [true, false] {
                let fast = splitter.line(value, 0, eof, usize::MAX, &mut fields).map(|line| (line, fields.clone()));
                assert_eq!(fast, slow(value, eof, b';'), "{value:?} {eof}");
            }
        }
    }

    /// Lines of up to a few hundred bytes, read in chunks and in the bytes after the last whole chunk, at every
    /// start in the data.
    #[test]
    fn long_lines_as_the_passes_they_replace() {
        let pieces: [&[u8]; 10] = [b"abcdefghij", b"k", b";", b";", b"\n", b"\r", b"\"", b"\x00", b"\xe9", b"\r\n"];
        let mut random = 0x2545_f491_4f6c_dd1du64;
        let splitter = Splitter::new(b';', &[]);
        let mut fields = Vec::new();
        for _ in 0..3000 {
            let mut data = Vec::new();
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let (count, weights) = (random % 80, random >> 8);
            for index in 0..count {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                let rare = (weights >> (index % 32)) & 1 == 0 && random.is_multiple_of(3); // some lines only plain bytes
                data.extend_from_slice(pieces[(random % if rare { 10 } else { 4 }) as usize]);
            }
            for start in [0, 1, 15, 16, 17, 63, 64, 65] {
                let Some(tail) = data.get(start..) else { continue };
                for eof in [true, false] {
                    let fast = splitter.line(&data, start, eof, usize::MAX, &mut fields).map(|line| {
                        let shifted = |(a, b): (usize, usize)| (a - start, b - start);
                        let line = Line { end: line.end - start, content: shifted(line.content), seen: line.seen };
                        (line, fields.iter().map(|&(a, b)| (a - start as u32, b - start as u32)).collect())
                    });
                    assert_eq!(fast, slow(tail, eof, b';'), "{data:?} {start} {eof}");
                }
            }
        }
    }

    #[test]
    fn fields_kept_at_most_and_lines_found_anywhere() {
        let splitter = Splitter::new(b',', &[]);
        let mut fields = Vec::new();
        let line = splitter.line(b"x\na,b,c,d\r\ny", 2, false, 2, &mut fields).unwrap();
        assert_eq!(line, Line { end: 11, content: (2, 9), seen: 0 });
        assert_eq!(fields, [(2, 3), (4, 5)]);
        assert_eq!(splitter.line(b"x\na,b", 2, false, 9, &mut fields), None);
        let line = splitter.line(b"x\na,\xe9\r", 2, true, 9, &mut fields).unwrap();
        assert_eq!(line, Line { end: 6, content: (2, 5), seen: NON_ASCII });
        assert_eq!(fields, [(2, 3), (4, 5)]);
    }

    /// A line holds a byte cp1252 leaves undefined exactly when the codec does not decode it.
    #[test]
    fn undefined_bytes_as_the_codec_reads_them() {
        use crate::decode::{Codec, CP1252_UNDEFINED};
        let splitter = Splitter::new(b';', &CP1252_UNDEFINED);
        let mut fields = Vec::new();
        for high in 0x80..=0xffu8 {
            for line in [vec![b'a', high, b'\n'], [&[b'x'; 70][..], &[b';', high, high, b'\r', b'\n']].concat()] {
                let found = splitter.line(&line, 0, true, 9, &mut fields).unwrap();
                let content = &line[found.content.0..found.content.1];
                assert_eq!(found.seen & UNDEFINED == 0, Codec::Cp1252.decodes(content), "{line:?}");
                assert_eq!(Codec::Cp1252.decodes_seen(content, found.seen), Codec::Cp1252.decodes(content));
                for codec in [Codec::Utf8, Codec::Utf8Sig, Codec::Latin1, Codec::Iso8859_15, Codec::Ascii] {
                    assert_eq!(codec.decodes_seen(content, found.seen), codec.decodes(content), "{codec:?}");
                }
                assert_ne!(found.seen & NON_ASCII, 0);
            }
        }
    }

    #[test]
    fn a_nul_delimiter_is_a_nul_too() {
        let splitter = Splitter::new(0, &[]);
        let mut fields = Vec::new();
        let line = splitter.line(b"a\x00b\n", 0, false, 9, &mut fields).unwrap();
        assert_eq!((line.seen, fields.as_slice()), (NUL, &[(0, 1), (2, 3)][..]));
    }
}
