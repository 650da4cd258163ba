//! The encodings of the line-safe set (`files.pieces.LINE_SAFE`): whether a line decodes exactly as Python's codec
//! decodes it, and a cell's text in UTF-8 (for the repetition keys, which Python hashes as UTF-8).

use encoding_rs::{Encoding, ISO_8859_15, WINDOWS_1252};

/// The five bytes Python's cp1252 leaves undefined (WHATWG's windows-1252 maps them to controls).
pub const CP1252_UNDEFINED: [u8; 5] = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Utf8,
    /// UTF-8 whose first line may start with a BOM; Python's codec strips a BOM at the start of every line it
    /// decodes, so a body line starting with one is left to Python.
    Utf8Sig,
    Cp1252,
    Latin1,
    Iso8859_15,
    Ascii,
}

impl Codec {
    /// The codec of a Python codec name (`codecs.lookup(name).name`), or None when the scanner does not read it.
    pub fn from_python(name: &str) -> Option<Codec> {
        Some(match name {
            "utf-8" => Codec::Utf8,
            "utf-8-sig" => Codec::Utf8Sig,
            "cp1252" => Codec::Cp1252,
            "latin-1" | "iso8859-1" => Codec::Latin1,
            "iso8859-15" => Codec::Iso8859_15,
            "ascii" => Codec::Ascii,
            _ => return None,
        })
    }

    /// Whether Python's codec decodes `line` without an error (and, for UTF-8 with a BOM, without stripping one).
    pub fn decodes(self, line: &[u8]) -> bool {
        if line.is_ascii() {
            return true;
        }
        match self {
            Codec::Utf8 => std::str::from_utf8(line).is_ok(),
            Codec::Utf8Sig => !line.starts_with(b"\xef\xbb\xbf") && std::str::from_utf8(line).is_ok(),
            Codec::Cp1252 => !line.iter().any(|b| CP1252_UNDEFINED.contains(b)),
            Codec::Latin1 | Codec::Iso8859_15 => true,
            Codec::Ascii => false,
        }
    }

    /// The bytes that make a line of this encoding not decode, one by one (see `lines::Splitter::new`); for UTF-8
    /// it is a matter of sequences, which `decodes` tells.
    pub fn undefined(self) -> &'static [u8] {
        match self {
            Codec::Cp1252 => &CP1252_UNDEFINED,
            _ => &[],
        }
    }

    /// Whether a line `decodes`, given what `lines::Splitter` saw in it (`seen`, by a splitter made with this
    /// encoding's `undefined` bytes): no other pass over an ASCII line, or a cp1252 one.
    pub fn decodes_seen(self, line: &[u8], seen: u8) -> bool {
        match self {
            _ if seen & crate::lines::NON_ASCII == 0 => true,
            Codec::Cp1252 => seen & crate::lines::UNDEFINED == 0,
            codec => codec.decodes(line),
        }
    }

    /// A cell of a line that `decodes`, in UTF-8.
    pub fn utf8(self, cell: &[u8], out: &mut Vec<u8>) {
        if cell.is_ascii() {
            out.extend_from_slice(cell);
            return;
        }
        match self {
            Codec::Utf8 | Codec::Utf8Sig | Codec::Ascii => out.extend_from_slice(cell),
            Codec::Latin1 => out.extend(cell.iter().flat_map(|&b| char_utf8(char::from(b)))),
            Codec::Cp1252 => decode_with(WINDOWS_1252, cell, out),
            Codec::Iso8859_15 => decode_with(ISO_8859_15, cell, out),
        }
    }
}

fn char_utf8(c: char) -> Vec<u8> {
    let mut buffer = [0u8; 4];
    c.encode_utf8(&mut buffer).as_bytes().to_vec()
}

fn decode_with(encoding: &'static Encoding, cell: &[u8], out: &mut Vec<u8>) {
    let (text, _) = encoding.decode_without_bom_handling(cell);
    out.extend_from_slice(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1252_undefined_bytes_do_not_decode() {
        assert!(Codec::Cp1252.decodes(b"Caf\xe9"));
        assert!(!Codec::Cp1252.decodes(b"a\x81b"));
    }

    #[test]
    fn cells_in_utf8() {
        let mut out = Vec::new();
        Codec::Cp1252.utf8(b"Caf\xe9 \x80", &mut out);
        assert_eq!(out, "Café €".as_bytes());
        out.clear();
        Codec::Latin1.utf8(b"\x80\xe9", &mut out);
        assert_eq!(out, "\u{80}é".as_bytes());
        out.clear();
        Codec::Iso8859_15.utf8(b"\xa4", &mut out);
        assert_eq!(out, "€".as_bytes());
    }

    #[test]
    fn a_bom_inside_a_utf8_sig_body_is_left_to_python() {
        assert!(!Codec::Utf8Sig.decodes(b"\xef\xbb\xbfa;b"));
        assert!(Codec::Utf8.decodes(b"\xef\xbb\xbfa;b"));
        assert!(!Codec::Utf8.decodes(b"\xff"));
    }
}
