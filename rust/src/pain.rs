//! The compiled pass over a pain.001 piece: its transactions of the usual shape (`kbc_validate.pain001.quick`)
//! read from their text, each value put to the rules' acceptors, and what Python must still see handed back.
//!
//! Python's side (`pain001.compiled`) feeds the same piece to lxml's validating parser meanwhile; it holds the two
//! readings equal by the transaction count. For each transaction the pass answers:
//!
//! - `CLEAN`: every value is surely clean; its amount in cents, its creditor IBAN's hash (for the debtor
//!   comparison), its repetition keys' hashes and its record for the repeated-payment log are made here;
//! - `FLAGGED`: as clean, but some values (identifiers, currency, BIC, name, IBAN, texts, references) are not surely
//!   clean, each handed back with its element's place: Python finds their findings (the rules');
//! - `WRITTEN`: the usual shape, but a value Python must read itself (an amount not surely clean, an IBAN empty or
//!   not in capitals and digits alone, an issuer neither BBA nor ISO): Python's quick path reads it from its text;
//! - `ELEMENTS`: any other shape: Python reads it from its elements.
//!
//! Acceptors only ever answer "surely clean"; a value they do not recognise is flagged, and Python's check of its
//! kind (once per distinct value) tells whether it has findings. The pass never calls Python: it runs on a thread of
//! its own (`python_pain`), while the parser holds the GIL.

use memchr::memchr_iter;
use regex::bytes::Regex;

use crate::accept::{belgian_iban_digits, number, or_97};
use crate::keys::key_hash;

pub const CLEAN: u8 = 0;
pub const FLAGGED: u8 = 1;
pub const WRITTEN: u8 = 2;
pub const ELEMENTS: u8 = 3;

// The values of the usual shape, by their group names in Python's pattern: instr, e2e, ccy, amount, bic, name,
// iban, ustrd, issuer, ref.
const INSTR: usize = 0;
const E2E: usize = 1;
const CCY: usize = 2;
const AMOUNT: usize = 3;
const BIC: usize = 4;
const NAME: usize = 5;
const IBAN: usize = 6;
const USTRD: usize = 7;
const ISSUER: usize = 8;
const REF: usize = 9;

/// The patterns and tables of the rules, from Python.
pub struct PainPlan {
    pub transaction_end: Regex,
    pub basic_set: Regex,
    pub clean_amount: Regex,
    pub belgian_iban: Regex,
    /// Indexed by a Belgian bank code (three digits): assigned.
    pub bank_codes: Vec<bool>,
    /// The start tag of the creditor agent's code (`<BIC>` or `<BICFI>`).
    pub bic_tag: Vec<u8>,
}

/// A value with findings: its field, its bytes in the piece, and its element's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub transaction: usize,
    pub field: usize,
    pub start: usize,
    pub end: usize,
    pub line: u64,
    pub column: u64,
}

/// What the pass found in a piece.
#[derive(Debug, Default)]
pub struct PieceScan {
    pub status: Vec<u8>,
    /// (start, end) of each transaction in the piece, and the (line, column) of its start tag.
    pub spans: Vec<u64>,
    pub places: Vec<u64>,
    pub cents: Vec<i64>,
    /// Each amount's number of decimals as written (a sum of decimals keeps the most: Python's `Decimal`).
    pub scales: Vec<u8>,
    pub iban_hashes: Vec<u64>,
    pub flags: Vec<Flag>,
    /// (hash, line) of the keys of clean and flagged transactions, and where each transaction's end in it.
    pub pairs: Vec<u64>,
    pub pair_ends: Vec<u64>,
    /// The repeated-payment log's records of clean and flagged transactions, and where each ends.
    pub records: Vec<u8>,
    pub record_ends: Vec<u64>,
    /// Whether the piece holds a comment, CDATA section or processing instruction (its XML declaration aside):
    /// `stream.hides_markup`.
    pub markup: bool,
}

/// Lines and character columns of offsets met in increasing order.
struct Cursor<'a> {
    data: &'a [u8],
    offset: usize,
    line: u64,
    /// Offset of the current line's start, or None while on the piece's first line.
    line_start: Option<usize>,
    first_column_chars: u64,
}

impl<'a> Cursor<'a> {
    fn new(data: &'a [u8], line: u64, column_chars: u64) -> Self {
        Cursor { data, offset: 0, line, line_start: None, first_column_chars: column_chars }
    }

    fn place(&mut self, offset: usize) -> (u64, u64) {
        debug_assert!(offset >= self.offset);
        for newline in memchr_iter(b'\n', &self.data[self.offset..offset]) {
            self.line += 1;
            self.line_start = Some(self.offset + newline + 1);
        }
        self.offset = offset;
        let (from, before) = match self.line_start {
            Some(start) => (start, 0),
            None => (0, self.first_column_chars),
        };
        (self.line, before + characters(&self.data[from..offset]) + 1)
    }
}

/// `stream.hides_markup`: a "<!" anywhere, or a "<?" past the XML declaration of a document's first piece.
fn hides_markup(data: &[u8], first: bool) -> bool {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let declaration = match memchr::memmem::find(body, b"?>") {
        Some(end) if first && body.starts_with(b"<?xml") => data.len() - body.len() + end + 2,
        _ => 0,
    };
    memchr::memmem::find(data, b"<!").is_some() || memchr::memmem::find(&data[declaration..], b"<?").is_some()
}

fn characters(data: &[u8]) -> u64 {
    data.iter().filter(|&&byte| byte & 0xC0 != 0x80).count() as u64
}

fn is_space(value: &[u8]) -> bool {
    value.iter().all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
}

/// `text.is_clean_text(value, most)` for an ASCII value (a value the basic set's pattern matches is ASCII).
fn clean_text(plan: &PainPlan, value: &[u8], most: usize) -> bool {
    !value.is_empty() && value.len() <= most && !is_space(value) && plan.basic_set.is_match(value)
}

/// `values.ACCEPTS["identifier"]`: clean text of at most 35 characters, no slash at an end or doubled.
fn clean_identifier(plan: &PainPlan, value: &[u8]) -> bool {
    clean_text(plan, value, 35)
        && value.first() != Some(&b'/')
        && value.last() != Some(&b'/')
        && !value.windows(2).any(|pair| pair == b"//")
}

/// `remittance.accept_unstructured`, for the values it surely accepts without a word about OGMs: no '+++', no '/',
/// not twelve digits.
fn clean_unstructured(plan: &PainPlan, value: &[u8]) -> bool {
    let twelve_digits = value.len() == 12 && value.iter().all(u8::is_ascii_digit);
    let ogm_like = value.contains(&b'/') || value.windows(3).any(|three| three == b"+++");
    clean_text(plan, value, 140) && !ogm_like && !twelve_digits
}

/// `accept::belgian_iban`, over this plan's tables.
fn clean_belgian_iban(plan: &PainPlan, value: &[u8]) -> bool {
    plan.belgian_iban.is_match(value) && belgian_iban_digits(value, &plan.bank_codes)
}

/// A Belgian structured communication of twelve digits whose check digits hold (issuer BBA).
fn clean_ogm_digits(value: &[u8]) -> bool {
    if value.len() != 12 || !value.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let digits = number(value);
    or_97(digits / 100 % 97) == digits % 100
}

/// A clean amount (`values._CLEAN_AMOUNT`: at most two decimals, 0.01 to 999999999.99) in cents.
fn cents(value: &[u8]) -> i64 {
    let (whole, decimals) = match value.iter().position(|&byte| byte == b'.') {
        Some(point) => (&value[..point], &value[point + 1..]),
        None => (value, &value[..0]),
    };
    let mut fraction = number(decimals) as i64;
    if decimals.len() == 1 {
        fraction *= 10;
    }
    number(whole) as i64 * 100 + fraction
}

/// The usual shape of a transaction (`quick.transaction_pattern`), read token by token: every token starts with
/// '<' and white space never holds one, so the pattern's optional parts are decided by their first tag, and a
/// reading that fails fails the pattern too (the differential tests hold the two equal). The values' spans, by
/// field, relative to `text`.
pub struct Shape<'a> {
    text: &'a [u8],
    at: usize,
    bic_open: &'a [u8],
    bic_close: &'a [u8],
}

type Spans = [Option<(usize, usize)>; 10];

impl<'a> Shape<'a> {
    pub fn read(text: &'a [u8], bic_open: &'a [u8], bic_close: &'a [u8]) -> Option<Spans> {
        let mut shape = Shape { text, at: 0, bic_open, bic_close };
        let mut spans: Spans = [None; 10];
        shape.usual(&mut spans)?;
        (shape.at == text.len()).then_some(spans)
    }

    fn ws(&mut self) {
        while matches!(self.text.get(self.at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    fn tag(&mut self, tag: &[u8]) -> Option<()> {
        self.text[self.at..].starts_with(tag).then(|| self.at += tag.len())
    }

    /// `tag` after white space.
    fn then(&mut self, tag: &[u8]) -> Option<()> {
        self.ws();
        self.tag(tag)
    }

    /// A value up to the next '<' (`[^<&\r]*`), then `close`.
    fn value(&mut self, close: &[u8]) -> Option<(usize, usize)> {
        self.until(b'<', close)
    }

    /// Bytes up to `stop` (no '<' or '&' before it, nor a carriage return in a text), then `close`.
    fn until(&mut self, stop: u8, close: &[u8]) -> Option<(usize, usize)> {
        let start = self.at;
        let rest = &self.text[start..];
        let ends = |byte: u8| byte == b'<' || byte == b'&' || byte == stop || (stop == b'<' && byte == b'\r');
        let end = start + rest.iter().position(|&byte| ends(byte))?;
        if self.text[end] != stop {
            return None;
        }
        self.at = end;
        self.tag(close)?;
        Some((start, end))
    }

    fn usual(&mut self, spans: &mut Spans) -> Option<()> {
        self.tag(b"<CdtTrfTxInf>")?;
        self.then(b"<PmtId>")?;
        self.ws();
        if self.tag(b"<InstrId>").is_some() {
            spans[INSTR] = Some(self.value(b"</InstrId>")?);
        }
        self.then(b"<EndToEndId>")?;
        spans[E2E] = Some(self.value(b"</EndToEndId>")?);
        self.then(b"</PmtId>")?;
        self.then(b"<Amt>")?;
        self.then(b"<InstdAmt Ccy=\"")?;
        spans[CCY] = Some(self.until(b'"', b"\">")?);
        spans[AMOUNT] = Some(self.value(b"</InstdAmt>")?);
        self.then(b"</Amt>")?;
        self.ws();
        if self.tag(b"<CdtrAgt>").is_some() {
            self.then(b"<FinInstnId>")?;
            self.then(self.bic_open)?;
            spans[BIC] = Some(self.value(self.bic_close)?);
            self.then(b"</FinInstnId>")?;
            self.then(b"</CdtrAgt>")?;
        }
        self.then(b"<Cdtr>")?;
        self.then(b"<Nm>")?;
        spans[NAME] = Some(self.value(b"</Nm>")?);
        self.then(b"</Cdtr>")?;
        for tag in [&b"<CdtrAcct>"[..], b"<Id>", b"<IBAN>"] {
            self.then(tag)?;
        }
        spans[IBAN] = Some(self.value(b"</IBAN>")?);
        self.then(b"</Id>")?;
        self.then(b"</CdtrAcct>")?;
        self.ws();
        if self.tag(b"<RmtInf>").is_some() {
            self.ws();
            if self.tag(b"<Ustrd>").is_some() {
                spans[USTRD] = Some(self.value(b"</Ustrd>")?);
            } else {
                self.tag(b"<Strd>")?;
                for tag in [&b"<CdtrRefInf>"[..], b"<Tp>", b"<CdOrPrtry>", b"<Cd>SCOR</Cd>", b"</CdOrPrtry>", b"<Issr>"]
                {
                    self.then(tag)?;
                }
                spans[ISSUER] = Some(self.value(b"</Issr>")?);
                self.then(b"</Tp>")?;
                self.then(b"<Ref>")?;
                spans[REF] = Some(self.value(b"</Ref>")?);
                self.then(b"</CdtrRefInf>")?;
                self.then(b"</Strd>")?;
            }
            self.then(b"</RmtInf>")?;
        }
        self.then(b"</CdtTrfTxInf>")
    }
}

fn push_string(record: &mut Vec<u8>, value: &[u8]) {
    record.extend_from_slice(&(value.len() as u32).to_le_bytes());
    record.extend_from_slice(value);
}

/// Scan one piece: its bytes, the line and character column its first byte is at. A transaction end the pattern
/// finds outside an element (in a comment) makes the counts differ from the parser's, and Python reads that piece
/// its own way.
pub fn scan_piece(plan: &PainPlan, data: &[u8], line: u64, column_chars: u64) -> PieceScan {
    let mut out = PieceScan { markup: hides_markup(data, line == 1 && column_chars == 0), ..PieceScan::default() };
    let mut cursor = Cursor::new(data, line, column_chars);
    let bic_close = [b"</", &plan.bic_tag[1..]].concat();
    let finder = memchr::memmem::FinderRev::new(b"<CdtTrfTxInf>");
    let mut previous = 0;
    let mut key = Vec::new();
    for end_match in plan.transaction_end.find_iter(data) {
        let index = out.status.len();
        let end = end_match.end();
        let start = finder.rfind(&data[previous..end_match.start()]).map(|at| previous + at);
        previous = end;
        let Some(start) = start else {
            out.push_other(ELEMENTS, 0, end, (0, 0));
            continue;
        };
        let place = cursor.place(start);
        let text = &data[start..end];
        let hidden = memchr::memmem::find(text, b"<!").is_some()
            || memchr::memmem::find(text, b"<?").is_some()
            || std::str::from_utf8(text).is_err();
        let spans = if hidden { None } else { Shape::read(text, &plan.bic_tag, &bic_close) };
        let Some(spans) = spans else {
            out.push_other(ELEMENTS, start, end, place);
            continue;
        };
        let get = |field: usize| spans[field].map(|(a, b)| (start + a, start + b));
        let text_of = |span: Option<(usize, usize)>| span.map_or(&data[..0], |(a, b)| &data[a..b]);
        let iban = text_of(get(IBAN));
        let amount = text_of(get(AMOUNT));
        let issuer = get(ISSUER).map(|span| text_of(Some(span)));
        let issuer_known = issuer.is_none_or(|issuer| {
            issuer.is_empty() || issuer.eq_ignore_ascii_case(b"BBA") || issuer.eq_ignore_ascii_case(b"ISO")
        });
        let iban_ok = !iban.is_empty() && iban.iter().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
        if !iban_ok || amount.is_empty() || !plan.clean_amount.is_match(amount) || !issuer_known {
            out.push_other(WRITTEN, start, end, place);
            continue;
        }
        // Every value put to its check, in `rules.DocumentRules._written`'s order; findings placed at the elements.
        let mut flags = Vec::new();
        let mut flag = |field: usize, (line, column): (u64, u64)| {
            let (value_start, value_end) = get(field).unwrap_or((0, 0));
            flags.push(Flag { transaction: index, field, start: value_start, end: value_end, line, column });
        };
        if let Some((a, b)) = get(INSTR) {
            if a < b && !clean_identifier(plan, &data[a..b]) {
                flag(INSTR, cursor.place(a - "<InstrId>".len()));
            }
        }
        let e2e_place = match get(E2E) {
            Some((a, _)) => cursor.place(a - "<EndToEndId>".len()),
            None => place,
        };
        if let Some((a, b)) = get(E2E) {
            if a < b && !clean_identifier(plan, &data[a..b]) {
                flag(E2E, e2e_place);
            }
        }
        let currency = text_of(get(CCY));
        if !currency.is_empty() && currency != b"EUR" {
            let before = get(AMOUNT).map_or(0, |(a, _)| a - start);
            let at = start + memchr::memmem::rfind(&text[..before], b"<InstdAmt").unwrap_or(0);
            flag(CCY, cursor.place(at));
        }
        if let Some((a, b)) = get(BIC) {
            if a < b {
                flag(BIC, cursor.place(a - plan.bic_tag.len()));
            }
        }
        if let Some((a, b)) = get(NAME) {
            if a < b && !clean_text(plan, &data[a..b], 70) {
                flag(NAME, cursor.place(a - "<Nm>".len()));
            }
        }
        if !clean_belgian_iban(plan, iban) {
            let (a, _) = get(IBAN).unwrap_or_default();
            flag(IBAN, cursor.place(a - "<IBAN>".len()));
        }
        if let Some((a, b)) = get(USTRD) {
            if a < b && !clean_unstructured(plan, &data[a..b]) {
                flag(USTRD, cursor.place(a - "<Ustrd>".len()));
            }
        }
        if let Some((a, b)) = get(REF) {
            let issuer = issuer.unwrap_or_default();
            let reference = &data[a..b];
            if a < b && !(issuer.eq_ignore_ascii_case(b"BBA") && clean_ogm_digits(reference)) {
                let place = cursor.place(a - "<Ref>".len());
                flag(ISSUER, place); // not a finding: the issuer the reference's check depends on
                flag(REF, place);
            }
        }
        let status = if flags.is_empty() { CLEAN } else { FLAGGED };
        out.flags.append(&mut flags);
        // The repetition keys (`files.repeats.payment_keys` of `rules._payment_body`), as Python makes them: the
        // IBAN is in capitals without spaces and the amount a clean decimal, so both are as written.
        let e2e = text_of(get(E2E));
        let reference = match get(REF) {
            Some((a, b)) if a < b => &data[a..b],
            _ => text_of(get(USTRD)),
        };
        let line = place.0;
        let mut hashes = [0u64; 2];
        if !e2e.is_empty() {
            key.clear();
            key.extend_from_slice(b"e2e\x1f");
            key.extend_from_slice(e2e);
            hashes[0] = key_hash(&key);
            out.pairs.extend([hashes[0], line]);
        }
        key.clear();
        for (at, part) in [b"pay" as &[u8], iban, amount, reference].into_iter().enumerate() {
            if at > 0 {
                key.push(0x1f);
            }
            key.extend_from_slice(part);
        }
        hashes[1] = key_hash(&key);
        out.pairs.extend([hashes[1], line]);
        out.pair_ends.push(out.pairs.len() as u64 / 2);
        for number in [place.0, place.1, e2e_place.0, e2e_place.1] {
            out.records.extend_from_slice(&(number as u32).to_le_bytes());
        }
        for hash in hashes {
            out.records.extend_from_slice(&hash.to_le_bytes());
        }
        let strings = [e2e, iban, amount, reference];
        let size: usize = strings.iter().map(|part| 4 + part.len()).sum();
        out.records.extend_from_slice(&(size as u32).to_le_bytes());
        for part in strings {
            push_string(&mut out.records, part);
        }
        out.record_ends.push(out.records.len() as u64);
        out.status.push(status);
        out.spans.extend([start as u64, end as u64]);
        out.places.extend([place.0, place.1]);
        out.cents.push(cents(amount));
        out.scales.push(amount.iter().position(|&byte| byte == b'.').map_or(0, |point| amount.len() - point - 1) as u8);
        out.iban_hashes.push(key_hash(iban));
    }
    out
}

/// The records, as (index, offset) in a run of `count` records of the repeated-payment log (`repeat_log`), one of
/// whose keys' hashes is among `candidates` (sorted).
pub fn wanted_records(data: &[u8], count: usize, candidates: &[u64]) -> Vec<(usize, usize)> {
    let mut wanted = Vec::new();
    let mut at = 0;
    for index in 0..count {
        let Some(head) = data.get(at..at + 36) else { break };
        let hash = |from: usize| u64::from_le_bytes(head[from..from + 8].try_into().unwrap_or_default());
        let size = u32::from_le_bytes(head[32..36].try_into().unwrap_or_default()) as usize;
        if [hash(16), hash(24)].iter().any(|hash| *hash != 0 && candidates.binary_search(hash).is_ok()) {
            wanted.push((index, at));
        }
        at += 36 + size;
    }
    wanted
}

impl PieceScan {
    fn push_other(&mut self, status: u8, start: usize, end: usize, place: (u64, u64)) {
        self.status.push(status);
        self.spans.extend([start as u64, end as u64]);
        self.places.extend([place.0, place.1]);
        self.cents.push(0);
        self.scales.push(0);
        self.iban_hashes.push(0);
        self.pair_ends.push(self.pairs.len() as u64 / 2);
        self.record_ends.push(self.records.len() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_cents() {
        assert_eq!(cents(b"12"), 1200);
        assert_eq!(cents(b"12.5"), 1250);
        assert_eq!(cents(b"0.07"), 7);
        assert_eq!(cents(b"999999999.99"), 99_999_999_999);
    }

    #[test]
    fn places_count_characters() {
        let data = "ab\ncé<x>".as_bytes();
        let mut cursor = Cursor::new(data, 4, 10);
        assert_eq!(cursor.place(1), (4, 12));
        assert_eq!(cursor.place(data.len() - 3), (5, 3));
    }

    #[test]
    fn markup_past_the_declaration() {
        assert!(!hides_markup(b"<?xml version=\"1.0\"?>\n<Document>", true));
        assert!(!hides_markup(b"\xef\xbb\xbf<?xml version=\"1.0\"?><a>", true));
        assert!(hides_markup(b"<?xml version=\"1.0\"?><a><?pi x?>", true));
        assert!(hides_markup(b"<?xml version=\"1.0\"?><a>", false));
        assert!(hides_markup(b"<a><!-- x --></a>", true));
    }

    #[test]
    fn ogm_digits() {
        assert!(clean_ogm_digits(b"807983791307"));
        assert!(!clean_ogm_digits(b"807983791308"));
        assert!(!clean_ogm_digits(b"80798379130"));
    }
}
