//! One block of a CSV body scanned: every record found at its physical lines, each simple row's cells split and
//! tested, its keys hashed; on `threads` threads over byte ranges cut at line ends (only in a block without a
//! quote, where every line feed ends a record).
//!
//! A row is *simple* when Python's `csv` module reads it as a plain split: one line, no quote, no NUL, no carriage
//! return but before the line feed, decoding in the file's encoding, the header's width, no line longer than the
//! module's field limit, not blank. Every other record is *raw*: Python reads its bytes with the per-row path.
//! A simple row is *exact* (also read by Python whole) when a rule relating members may concern it; else each of
//! its groups is clean, failed (Python writes the group's findings, once per distinct value), or left to a
//! Python check of its distinct value (`GroupTest::Memo`).

use std::collections::HashMap;

use memchr::memchr;

use crate::accept::{group_clean, iban_changed, Scratch};
use crate::keys::{makeable, push_keys};
pub use crate::lines::Splitter;
use crate::lines::{Line, CARRIAGE_RETURN, NON_ASCII, NUL, QUOTE};
use crate::plan::Plan;
use crate::recent::Recent;
use crate::records::quoted_record_end;

/// A record Python reads with the per-row path: its first line and its bytes; `split`: a simple row (one line
/// split at its delimiters as the `csv` module splits it, not of empty cells only) that is exact, or whose keys are
/// not made here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raw {
    pub line: u64,
    pub start: usize,
    pub end: usize,
    pub split: bool,
}

/// A simple row with some group not surely clean: its line, failed groups, groups for Python's check, and its
/// bytes without the line end (split again by `cells` when needed: no memory a field, however wide the row).
#[derive(Clone, Debug)]
pub struct Pending {
    pub line: u64,
    pub failed: u64,
    pub memo: u64,
    pub start: usize,
    pub end: usize,
}

impl Pending {
    /// The fields' byte ranges of this row of `data` (`splitter`: of the file's delimiter).
    pub fn cells(&self, splitter: &Splitter, data: &[u8], fields: &mut Vec<(u32, u32)>) {
        splitter.line(&data[..self.end], self.start, true, usize::MAX, fields);
    }
}

#[derive(Debug, Default)]
pub struct Scanned {
    /// Bytes of whole records consumed (the rest begins a record that runs past the data).
    pub consumed: usize,
    pub lines: u64,
    /// Simple rows (clean or pending): raw records are counted by Python.
    pub rows: u64,
    pub raw: Vec<Raw>,
    pub pending: Vec<Pending>,
    /// (hash, line) of the keys of simple rows that are not exact.
    pub pairs: Vec<u64>,
}

/// Python's verdicts on the distinct values of groups without an acceptor, by group (true: clean), each value as
/// `memo_key` makes it; hashed by foldhash, seeded at random per process (SipHash cost more than the lookups).
pub type Verdicts = Vec<HashMap<Vec<u8>, bool, foldhash::fast::RandomState>>;

/// The cells of a group as one key: each followed by a NUL byte (which no simple row holds).
pub fn memo_key(fields: &[usize], cell: impl Fn(usize) -> (usize, usize), data: &[u8], key: &mut Vec<u8>) {
    key.clear();
    for &field in fields {
        let (start, end) = cell(field);
        key.extend_from_slice(&data[start..end]);
        key.push(0);
    }
}

/// Scan `data` (a block of the body; its first line is line `first_line` + 1). `eof`: nothing follows it.
/// `verdicts`: what Python found of values already met (others are left pending).
pub fn scan(plan: &Plan, data: &[u8], first_line: u64, eof: bool, threads: usize, verdicts: &Verdicts) -> Scanned {
    let ranges = if threads > 1 && memchr(b'"', data).is_none() { cut(data, threads) } else { vec![(0, data.len())] };
    if ranges.len() == 1 {
        return scan_range(plan, data, (0, data.len()), first_line, eof, verdicts);
    }
    let last = ranges.len() - 1;
    let parts: Vec<Scanned> = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .enumerate()
            .map(|(index, &(start, end))| {
                scope.spawn(move || scan_range(plan, data, (start, end), 0, eof && index == last, verdicts))
            })
            .collect();
        handles.into_iter().map(|handle| handle.join().expect("a scanning thread panicked")).collect()
    });
    let mut whole = Scanned::default();
    let mut lines = first_line;
    for part in parts {
        whole.consumed = part.consumed;
        whole.rows += part.rows;
        whole.raw.extend(part.raw.into_iter().map(|raw| Raw { line: raw.line + lines, ..raw }));
        whole.pending.extend(part.pending.into_iter().map(|row| Pending { line: row.line + lines, ..row }));
        whole.pairs.extend(part.pairs.chunks_exact(2).flat_map(|pair| [pair[0], pair[1] + lines]));
        lines += part.lines;
    }
    whole.lines = lines - first_line;
    whole
}

/// `threads` ranges of `data` cut just after line feeds.
fn cut(data: &[u8], threads: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::with_capacity(threads);
    let mut start = 0;
    for index in 1..threads {
        let target = (data.len() * index / threads).max(start);
        match memchr(b'\n', &data[target..]) {
            Some(offset) if target + offset + 1 < data.len() => {
                ranges.push((start, target + offset + 1));
                start = target + offset + 1;
            }
            _ => break,
        }
    }
    ranges.push((start, data.len()));
    ranges
}

fn scan_range(
    plan: &Plan,
    data: &[u8],
    (start, end): (usize, usize),
    first_line: u64,
    eof: bool,
    verdicts: &Verdicts,
) -> Scanned {
    // Two keys a row of about a hundred bytes, as (hash, line): reserved at once rather than grown (and copied) by
    // doubling.
    let pairs = Vec::with_capacity((end - start) / 24);
    let mut out = Scanned { consumed: start, pairs, ..Scanned::default() };
    let mut line = first_line;
    let mut pos = start;
    let splitter = Splitter::new(plan.delimiter, plan.codec.undefined());
    let mut fields: Vec<(u32, u32)> = Vec::with_capacity(plan.width + 1);
    let mut row: Vec<&[u8]> = Vec::with_capacity(plan.width + 1);
    let mut buffers = (Vec::new(), Scratch::default());
    let mut recent = Recent::new(&plan.groups);
    let bits = Bits::new(plan);
    let utf8 = matches!(plan.codec, crate::decode::Codec::Utf8 | crate::decode::Codec::Utf8Sig);
    let data = &data[..end];
    while pos < end {
        let Some(found) = splitter.line(data, pos, eof, plan.width + 1, &mut fields) else {
            break;
        };
        if found.seen & QUOTE != 0 {
            match quoted_record_end(data, pos, plan.delimiter, plan.field_limit, utf8, eof) {
                Ok((record_end, lines)) => {
                    out.raw.push(Raw { line: line + 1, start: pos, end: record_end, split: false });
                    line += lines as u64;
                    pos = record_end;
                    continue;
                }
                Err(_) => break,
            }
        }
        line += 1;
        let split = simple(plan, data, &found, &fields);
        let simple = split && {
            row.clear();
            row.extend(fields.iter().map(|&(a, b)| &data[a as usize..b as usize]));
            let checks = (verdicts, &mut recent, bits.as_ref());
            let ascii = found.seen & NON_ASCII == 0;
            check_row(plan, data, (&row, &fields, found.content, ascii), line, &mut out, &mut buffers, checks)
        };
        if simple {
            out.rows += 1;
        } else {
            let blank = fields.iter().all(|&(start, end)| start == end); // the per-row path's problem, KBC909
            out.raw.push(Raw { line, start: pos, end: found.end, split: split && !blank });
        }
        pos = found.end;
    }
    out.consumed = pos;
    out.lines = line - first_line;
    out
}

/// Whether a line (without a quote) is read by the `csv` module as a plain split of the header's width.
fn simple(plan: &Plan, data: &[u8], line: &Line, fields: &[(u32, u32)]) -> bool {
    let (start, end) = line.content;
    end > start
        && end - start <= plan.field_limit
        && line.seen & (CARRIAGE_RETURN | NUL) == 0
        && plan.codec.decodes_seen(&data[start..end], line.seen)
        && fields.len() == plan.width
}

/// A simple row: its cells, their byte ranges, the row's bytes without the line end, and whether they are all
/// ASCII (its cells' tests of that are then skipped).
type SimpleRow<'a, 'b> = (&'b [&'a [u8]], &'b [(u32, u32)], (usize, usize), bool);

/// Check a simple row; false when it is exact (or its keys are not made here): Python then reads it whole.
#[allow(clippy::too_many_arguments)]
fn check_row<'a>(
    plan: &Plan,
    data: &'a [u8],
    (row, fields, (start, end), ascii): SimpleRow<'a, '_>,
    line: u64,
    out: &mut Scanned,
    (key, scratch): &mut (Vec<u8>, Scratch),
    (verdicts, recent, bits): (&Verdicts, &mut Recent<'a>, Option<&Bits>),
) -> bool {
    let filled = bits.map(|bits| (bits, filled(row)));
    if is_exact(plan, row, filled) || !(ascii || makeable(plan, row)) {
        return false;
    }
    let (mut failed, mut memo) = (0u64, 0u64);
    for (index, group) in plan.groups.iter().enumerate() {
        let empty = match filled {
            Some((bits, filled)) => filled & bits.groups[index] == 0,
            None => group.fields.iter().all(|&field| row[field].is_empty()),
        };
        if empty {
            continue;
        }
        let clean = match recent.lookup(index, row) {
            Ok(verdict) => verdict,
            Err(slot) => {
                let verdict = group_clean(plan, &group.test, row, ascii, scratch).or_else(|| {
                    let cell = |field: usize| (fields[field].0 as usize, fields[field].1 as usize);
                    memo_key(&group.fields, cell, data, &mut scratch.buffer);
                    verdicts.get(index).and_then(|known| known.get(scratch.buffer.as_slice()).copied())
                });
                recent.remember(index, row, slot, verdict);
                verdict
            }
        };
        match clean {
            Some(true) => {}
            Some(false) => failed |= 1 << index,
            None => memo |= 1 << index,
        }
    }
    push_keys(plan, (row, ascii), line, key, scratch, &mut out.pairs);
    if failed | memo != 0 {
        out.pending.push(Pending { line, failed, memo, start, end });
    }
    true
}

/// `columnar.engine.FrameValidator._exact_expr`: a mandatory group missing, a group whose first cell is empty but
/// another is not (the body's member order then differs), both remittance forms, or the same account maybe.
/// `filled`: the bits of the row's fields that are not empty (`Bits`).
fn is_exact(plan: &Plan, row: &[&[u8]], filled: Option<(&Bits, u64)>) -> bool {
    let present = |group: usize| match filled {
        Some((bits, filled)) => filled & bits.groups[group] != 0,
        None => plan.groups[group].fields.iter().any(|&field| !row[field].is_empty()),
    };
    let exact = &plan.exact;
    if exact.required_groups.iter().any(|&group| !present(group)) {
        return true;
    }
    let reordered = match filled {
        Some((bits, filled)) => bits.multiple.iter().any(|&(first, all)| filled & first == 0 && filled & all != 0),
        None => plan.groups.iter().any(|group| {
            group.fields.len() > 1
                && row[group.fields[0]].is_empty()
                && group.fields[1..].iter().any(|&field| !row[field].is_empty())
        }),
    };
    if reordered || exact.both_forms.is_some_and(|(a, b)| present(a) && present(b)) {
        return true;
    }
    match (exact.debtor_iban, exact.creditor_iban) {
        (Some(debtor), Some(creditor)) => maybe_same_account(row[debtor], row[creditor]),
        _ => false,
    }
}

/// Whether a debtor's and a creditor's IBAN cells may be the same account: a debtor's cell written, and both the
/// same IBAN as the reader converts them, or one not ASCII (Python's own upper-casing then decides).
pub fn maybe_same_account(debtor: &[u8], creditor: &[u8]) -> bool {
    if debtor.is_empty() {
        return false;
    }
    if !debtor.is_ascii() || !creditor.is_ascii() {
        return true;
    }
    same_iban(debtor, creditor)
}

/// The fields of `plan`'s groups as bits (bit f: field f), for rows of at most 64 fields: whether a group is
/// present is then one test of the bits of the row's fields that are not empty (`filled`).
struct Bits {
    /// By group: its fields.
    groups: Vec<u64>,
    /// The groups of more than one field: (their first field, all their fields).
    multiple: Vec<(u64, u64)>,
}

impl Bits {
    fn new(plan: &Plan) -> Option<Bits> {
        if plan.width > 64 {
            return None;
        }
        let bits = |fields: &[usize]| fields.iter().fold(0u64, |bits, &field| bits | 1 << field);
        let groups: Vec<u64> = plan.groups.iter().map(|group| bits(&group.fields)).collect();
        let multiple = plan.groups.iter().filter(|group| group.fields.len() > 1);
        let multiple = multiple.map(|group| (1 << group.fields[0], bits(&group.fields))).collect();
        Some(Bits { groups, multiple })
    }
}

/// The bits of a row's fields that are not empty (a row of at most 64 fields).
fn filled(row: &[&[u8]]) -> u64 {
    row.iter().enumerate().fold(0, |bits, (field, cell)| bits | u64::from(!cell.is_empty()) << field)
}

/// Whether two ASCII cells are the same IBAN as the reader converts them (spaces out, in capitals).
fn same_iban(a: &[u8], b: &[u8]) -> bool {
    if !iban_changed(a) && !iban_changed(b) {
        return crate::recent::same(a, b); // both written as converted (most are); no call to `memcmp`
    }
    fn converted(cell: &[u8]) -> impl Iterator<Item = u8> + '_ {
        cell.iter().filter(|&&byte| byte != b' ').map(u8::to_ascii_uppercase)
    }
    converted(a).eq(converted(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Codec;
    use crate::fuzzing::sample_plan;
    use crate::plan::{Exact, Group, GroupTest};

    /// A row's groups told present by bits as by their cells, in every combination of empty fields.
    #[test]
    fn exact_rows_by_bits_as_by_cells() {
        let mut plan = sample_plan(b';', Codec::Utf8);
        plan.width = 5;
        plan.groups.push(Group { fields: vec![3, 4, 1], test: GroupTest::Memo });
        plan.groups.push(Group { fields: vec![2, 4], test: GroupTest::Memo });
        for (required, both_forms) in [(vec![0, 2], None), (vec![4], Some((1, 3))), (vec![], Some((4, 5)))] {
            plan.exact = Exact { required_groups: required, both_forms, ..plan.exact.clone() };
            let bits = Bits::new(&plan).unwrap();
            for combination in 0..32 {
                let row: Vec<&[u8]> = (0..5)
                    .map(|field| if combination & (1 << field) != 0 { &b"BE68539007547034"[..] } else { b"" })
                    .collect();
                assert_eq!(filled(&row), combination);
                let by_bits = is_exact(&plan, &row, Some((&bits, filled(&row))));
                assert_eq!(by_bits, is_exact(&plan, &row, None), "{combination:b} {:?}", plan.exact);
            }
        }
        plan.width = 65;
        assert!(Bits::new(&plan).is_none());
    }

    /// Two IBANs are the same as converted exactly when their conversions are equal, written as converted or not.
    #[test]
    fn same_iban_as_converted() {
        let convert =
            |cell: &[u8]| -> Vec<u8> { cell.iter().filter(|&&b| b != b' ').map(u8::to_ascii_uppercase).collect() };
        let cells: [&[u8]; 9] = [
            b"BE68539007547034",
            b"be68539007547034",
            b"BE68 5390 0754 7034",
            b"BE68539007547035",
            b"",
            b" ",
            b"Be",
            b"BE",
            b"B E",
        ];
        for a in cells {
            for b in cells {
                assert_eq!(same_iban(a, b), convert(a) == convert(b), "{a:?} {b:?}");
            }
        }
    }

    /// A value that recurs on every row (`recent::Recent`) has, at every row, the verdict the scan is given for
    /// it: none yet (Python is asked: the group is left pending), clean, or faulty; whatever an earlier scan of
    /// the same bytes was given, on any number of threads (each range starts without remembered values).
    #[test]
    fn recurring_values_keep_the_verdicts_given() {
        let plan = sample_plan(b';', Codec::Utf8);
        let row = b"BE78735000000186;Jan Peeters;12,50;2027-01-15\n";
        let data: Vec<u8> = row.iter().copied().cycle().take(row.len() * 300).collect();
        for (verdict, memo, failed) in [(None, 1 << 3, 0), (Some(false), 0, 1 << 3), (Some(true), 0, 0)] {
            let mut known: Verdicts = vec![Default::default(); plan.groups.len()];
            if let Some(clean) = verdict {
                known[3].insert(b"2027-01-15\0".to_vec(), clean);
            }
            for threads in 1..=4 {
                let scanned = scan(&plan, &data, 0, true, threads, &known);
                assert_eq!(scanned.rows, 300);
                let groups: Vec<(u64, u64)> = scanned.pending.iter().map(|row| (row.memo, row.failed)).collect();
                let expected = if memo | failed == 0 { vec![] } else { vec![(memo, failed); 300] };
                assert_eq!(groups, expected, "{verdict:?}, {threads} threads");
            }
        }
    }
}
