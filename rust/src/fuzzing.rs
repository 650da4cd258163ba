//! What the fuzz target (`fuzz/fuzz_targets/scan.rs`) and the randomised test below hold the scanner to, on any
//! bytes: no panic; whole records consumed, every byte at the end of the file; raw records and pending rows inside
//! the data and in line order; and the same result on one thread as on several.

use crate::decode::Codec;
use crate::plan::{anchored, pattern_test, Cell, CellTest, Convert, Exact, Group, GroupTest, KeyPlan, Plan};
use crate::scan::{scan, Scanned, Verdicts};

/// A plan of three columns (IBAN, name, amount) and a date column checked "in Python", with sample patterns: for
/// fuzzing the scanner's reading of bytes, not for validating (the real plan comes from the Python rules).
pub fn sample_plan(delimiter: u8, codec: Codec) -> Plan {
    let pattern = |text: &str| pattern_test(text, 70).expect("a sample pattern");
    let cell = |field, convert, test| Cell { field, convert, test };
    Plan {
        delimiter,
        codec,
        width: 4,
        field_limit: 64,
        groups: vec![
            Group {
                fields: vec![0],
                test: GroupTest::Object {
                    cells: vec![cell(0, Convert::Iban, CellTest::BelgianIban)],
                    required: vec![0],
                    never: false,
                    ascii: vec![0],
                },
            },
            Group {
                fields: vec![1],
                test: GroupTest::Object {
                    cells: vec![cell(1, Convert::AsWritten, pattern("[A-Za-z ]*[A-Za-z][A-Za-z ]*"))],
                    required: vec![],
                    never: false,
                    ascii: vec![],
                },
            },
            Group {
                fields: vec![2],
                test: GroupTest::Object {
                    cells: vec![cell(2, Convert::Amount, pattern("[0-9]+(?:\\.[0-9]{1,2})?"))],
                    required: vec![2],
                    never: false,
                    ascii: vec![],
                },
            },
            Group { fields: vec![3], test: GroupTest::Memo },
        ],
        exact: Exact { required_groups: vec![0, 2], both_forms: None, debtor_iban: None, creditor_iban: Some(0) },
        keys: KeyPlan {
            e2e: Some(1),
            accounts: vec![0],
            amounts: vec![2],
            iban: Some(0),
            amount: Some(2),
            ..KeyPlan::default()
        },
        comma_amount: Some(anchored("[0-9]+,[0-9]+").expect("a sample pattern")),
        belgian_iban: anchored("BE[0-9]{14}").expect("a sample pattern"),
        ogm: anchored("[0-9]{12}").expect("a sample pattern"),
        bank_codes: (0..1000).map(|code| code % 3 == 0).collect(),
    }
}

/// What a scan found: bytes consumed, lines, rows, raw records, pending rows, key pairs in order.
type Summary = (usize, u64, u64, Vec<(u64, usize, usize)>, Vec<(u64, u64, u64)>, Vec<u64>);

fn summary(scanned: &Scanned) -> Summary {
    let raw = scanned.raw.iter().map(|raw| (raw.line, raw.start, raw.end)).collect();
    let pending = scanned.pending.iter().map(|row| (row.line, row.failed, row.memo)).collect();
    let mut pairs: Vec<[u64; 2]> = scanned.pairs.chunks_exact(2).map(|pair| [pair[0], pair[1]]).collect();
    pairs.sort_unstable();
    (scanned.consumed, scanned.lines, scanned.rows, raw, pending, pairs.into_iter().flatten().collect())
}

/// Scan `data` as a whole file and as a block, on one thread and on `threads`, and check the invariants.
pub fn check(data: &[u8], threads: usize, codec: Codec) {
    let plan = sample_plan(b';', codec);
    let verdicts: Verdicts = vec![Default::default(); plan.groups.len()];
    for eof in [true, false] {
        let one = scan(&plan, data, 0, eof, 1, &verdicts);
        let many = scan(&plan, data, 0, eof, threads.max(1), &verdicts);
        assert_eq!(summary(&one), summary(&many), "threads change nothing");
        assert!(one.consumed <= data.len());
        if eof {
            assert_eq!(one.consumed, data.len(), "the end of the file ends every record");
        }
        let mut last = (0u64, 0usize);
        for raw in &one.raw {
            assert!(raw.start < raw.end && raw.end <= one.consumed);
            assert!(raw.line > last.0 && raw.start >= last.1, "raw records in order");
            last = (raw.line, raw.end);
        }
        let lines = one.pending.iter().map(|row| row.line).collect::<Vec<_>>();
        assert!(lines.windows(2).all(|pair| pair[0] < pair[1]), "pending rows in order");
        assert!(lines.iter().all(|&line| line >= 1 && line <= one.lines));
        assert!(one.rows + one.raw.len() as u64 <= one.lines.max(1) + 1);
    }
}

/// A small xorshift generator: reproducible random inputs without a crate (the randomised tests of both passes).
#[cfg(test)]
pub(crate) struct Random(pub(crate) u64);

#[cfg(test)]
impl Random {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Fewer than `most` of `pieces`, drawn at random, one after the other.
    pub(crate) fn pieces(&mut self, pieces: &[&[u8]], most: u64) -> Vec<u8> {
        let mut data = Vec::new();
        for _ in 0..self.next() % most {
            data.extend_from_slice(pieces[(self.next() % pieces.len() as u64) as usize]);
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIECES: [&[u8]; 14] = [
        b"BE68539007547034",
        b"BE68 5390 0754 7034",
        b"Jan Peeters",
        b"12,50",
        b"1.00",
        b"2027-01-15",
        b";",
        b"\n",
        b"\r\n",
        b"\r",
        b"\"",
        b"\x00",
        b"\xc3\xa9",
        b"\xff",
    ];

    #[test]
    fn random_files_hold_the_invariants() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let data = random.pieces(&PIECES, 60);
            let codec = [Codec::Utf8, Codec::Cp1252, Codec::Latin1][round % 3];
            check(&data, 2 + round % 3, codec);
        }
    }
}
