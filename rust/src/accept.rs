//! The acceptors: True only where the member's own check would find nothing (`columnar.clean`, restated over
//! bytes). Like every acceptor, one may leave a clean value unrecognised (Python then checks it), never pass a
//! faulty one; the differential tests hold them to the rules.

use crate::plan::{Cell, CellTest, Convert, GroupTest, Plan};

/// The buffers a row's cells are converted in. The last amount converted is kept: a row's amount is converted for
/// its group's test and again for its repetition key (the decimal-comma pattern's DFA run twice cost a twentieth of
/// the scan). Kept by the cell's place in the data, which does not change while a block is scanned.
#[derive(Debug, Default)]
pub struct Scratch {
    pub buffer: Vec<u8>,
    amount: Vec<u8>,
    /// The amount cell `amount` was made from (address, length), and whether it was converted.
    amount_of: Option<(usize, usize, bool)>,
}

/// A cell converted as the reader converts it, into `scratch` (ASCII cells; see `Convert`). Inlined where it is
/// called: most cells are as written (a call a cell cost a twentieth of the scan); the others are converted by
/// `changed`.
#[inline(always)]
pub fn converted<'a>(plan: &Plan, convert: Convert, cell: &'a [u8], scratch: &'a mut Scratch) -> &'a [u8] {
    match convert {
        Convert::AsWritten => cell,
        // Most IBANs are written as the reader converts them: no copy then.
        Convert::Iban if !iban_changed(cell) => cell,
        _ => changed(plan, convert, cell, scratch),
    }
}

/// `converted` of an amount, or of an IBAN with a space or a small letter.
#[inline(never)]
fn changed<'a>(plan: &Plan, convert: Convert, cell: &'a [u8], scratch: &'a mut Scratch) -> &'a [u8] {
    match convert {
        Convert::AsWritten => cell,
        Convert::Iban if !iban_changed(cell) => cell,
        Convert::Iban => {
            let out = &mut scratch.buffer;
            out.clear();
            out.extend(cell.iter().filter(|&&b| b != b' ').map(u8::to_ascii_uppercase));
            out
        }
        Convert::Amount => {
            let place = (cell.as_ptr() as usize, cell.len());
            let comma = match scratch.amount_of {
                Some((address, length, comma)) if (address, length) == place => comma,
                _ => {
                    let comma = plan.comma_amount.as_ref().is_some_and(|pattern| pattern.is_match(cell));
                    if comma {
                        let out = &mut scratch.amount;
                        out.clear();
                        if cell.iter().fold(false, |found, &byte| found | (byte == b'.')) {
                            // Points out, the comma a point: each byte written, and kept unless a point (no branch).
                            out.resize(cell.len(), 0);
                            let mut kept = 0;
                            for (&byte, index) in cell.iter().zip(0..) {
                                out[kept.min(index)] = if byte == b',' { b'.' } else { byte };
                                kept += usize::from(byte != b'.');
                            }
                            out.truncate(kept);
                        } else {
                            // No point (most amounts): each byte copied, the comma as a point.
                            out.extend(cell.iter().map(|&byte| if byte == b',' { b'.' } else { byte }));
                        }
                    }
                    scratch.amount_of = Some((place.0, place.1, comma));
                    comma
                }
            };
            if comma {
                &scratch.amount
            } else {
                cell
            }
        }
    }
}

/// Whether the reader's conversion of an IBAN changes its cell: a space or a small ASCII letter in it. Every byte
/// tested without a branch (the compiler makes it a vector loop: an IBAN in one or two steps).
#[inline(always)]
pub fn iban_changed(cell: &[u8]) -> bool {
    cell.iter().fold(false, |found, &byte| found | (byte == b' ') | (byte.wrapping_sub(b'a') < 26))
}

fn cell_clean(plan: &Plan, test: &CellTest, value: &[u8]) -> bool {
    match test {
        CellTest::BelgianIban => belgian_iban(plan, value),
        _ => cell_matches(test, value),
    }
}

/// Whether a converted cell passes a test of its bytes (`Pattern`, `Classes`; `Never`: no).
pub fn cell_matches(test: &CellTest, value: &[u8]) -> bool {
    match test {
        CellTest::Pattern { regex, max_chars } => {
            (*max_chars == 0 || value.len() <= *max_chars) && regex.is_match(value)
        }
        CellTest::Classes { classes, max_chars } => {
            // One pass, no branch a byte: every byte in S (bit 1 in all), one at least in T (bit 2 in one).
            let (all, any) = value.iter().fold((1u8, 0u8), |(all, any), &byte| {
                let class = classes[usize::from(byte)];
                (all & class, any | class)
            });
            (*max_chars == 0 || value.len() <= *max_chars) && all & 1 != 0 && any & 2 != 0
        }
        CellTest::Never | CellTest::BelgianIban => false,
    }
}

/// `columnar.clean.belgian_iban_clean`: shape, check digits 02 to 98 with mod 97 = 1, national mod 97, an assigned
/// bank code.
pub fn belgian_iban(plan: &Plan, value: &[u8]) -> bool {
    if plan.belgian_iban.is_belgian_shape() {
        // The shape's test is the digits' reading: `BE`, then fourteen digits read once.
        let digits = value.strip_prefix(b"BE").and_then(fourteen_digits);
        return digits.is_some_and(|digits| digits_clean(digits, &plan.bank_codes));
    }
    plan.belgian_iban.is_match(value) && belgian_iban_digits(value, &plan.bank_codes)
}

/// The digits of an IBAN of a Belgian IBAN's shape (`BE` and 14 digits): check digits 02 to 98 with mod 97 = 1,
/// national mod 97, an assigned bank code (`bank_codes`, indexed by code).
pub fn belgian_iban_digits(value: &[u8], bank_codes: &[bool]) -> bool {
    let digits = fourteen_digits(&value[2..]).unwrap_or_else(|| number(&value[2..]));
    digits_clean(digits, bank_codes)
}

/// `belgian_iban_digits` of the fourteen digits after `BE`, read as one number.
fn digits_clean(digits: u64, bank_codes: &[bool]) -> bool {
    let (check, bban) = (digits / 1_000_000_000_000, digits % 1_000_000_000_000);
    (2..=98).contains(&check)
        && (bban * 1_000_000 + 111_400 + check) % 97 == 1
        && or_97(bban / 100 % 97) == bban % 100
        && bank_codes.get((bban / 1_000_000_000) as usize) == Some(&true)
}

/// `columnar.clean.ogm_clean`: ``+++ddd/dddd/ddddd+++`` or 12 digits, whose check digits hold.
pub fn ogm(plan: &Plan, value: &[u8]) -> bool {
    if !plan.ogm.is_match(value) {
        return false;
    }
    let digits = number(value);
    or_97(digits / 100 % 97) == digits % 100
}

/// The digits of an ASCII value, read as one number (other characters skipped; callers matched a pattern).
pub(crate) fn number(value: &[u8]) -> u64 {
    value.iter().filter(|b| b.is_ascii_digit()).fold(0u64, |total, &b| total * 10 + u64::from(b - b'0'))
}

/// `number` of fourteen ASCII digits, read as two words of eight (the first eight digits, and the last eight of
/// which the last six are kept), each tested and read in a few word operations; None for any other value.
fn fourteen_digits(value: &[u8]) -> Option<u64> {
    let word = |at: usize| Some(u64::from_le_bytes(value.get(at..at + 8)?.try_into().ok()?));
    if value.len() != 14 {
        return None;
    }
    let (first, last) = (eight_digits(word(0)?)?, eight_digits(word(6)?)?);
    Some(first * 1_000_000 + last % 1_000_000)
}

/// The number of eight ASCII digits read as a little-endian word (its first byte the most significant digit), or
/// None when a byte is not a digit. A byte is a digit when its high half is 3 and stays 3 once 6 is added (a carry
/// into a byte comes only from a byte over 0xf9, which fails the first test).
fn eight_digits(word: u64) -> Option<u64> {
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    if word & HIGH != THREES || word.wrapping_add(0x0606_0606_0606_0606) & HIGH != THREES {
        return None;
    }
    // Pairs of digits, then fours, then the eight (each step a multiplication that adds neighbours).
    let digits = word & 0x0f0f_0f0f_0f0f_0f0f;
    let pairs = (digits.wrapping_mul(10 << 8 | 1) >> 8) & 0x00ff_00ff_00ff_00ff;
    let fours = (pairs.wrapping_mul(100 << 16 | 1) >> 16) & 0x0000_ffff_0000_ffff;
    Some(fours.wrapping_mul(10_000 << 32 | 1) >> 32)
}

pub(crate) fn or_97(remainder: u64) -> u64 {
    if remainder == 0 {
        97
    } else {
        remainder
    }
}

fn cells_clean(plan: &Plan, row: &[&[u8]], cells: &[Cell], required: &[usize], scratch: &mut Scratch) -> bool {
    cells.iter().all(|cell| {
        let raw = row[cell.field];
        raw.is_empty() || cell_clean(plan, &cell.test, converted(plan, cell.convert, raw, scratch))
    }) && required.iter().all(|&field| !row[field].is_empty())
}

/// Whether a present group (some cell not empty) is surely clean; None for a group Python checks (`Memo`).
/// Inlined where it is called (one place: its calls cost a thirtieth of the scan's instructions). `ascii_row`:
/// every byte of the row is ASCII (the test of its ASCII fields is then skipped).
#[inline(always)]
pub fn group_clean(
    plan: &Plan,
    test: &GroupTest,
    row: &[&[u8]],
    ascii_row: bool,
    scratch: &mut Scratch,
) -> Option<bool> {
    Some(match test {
        GroupTest::Memo => return None,
        GroupTest::Object { cells, required, never, ascii } => {
            !never
                && (ascii_row || ascii.iter().all(|&field| row[field].is_ascii()))
                && cells_clean(plan, row, cells, required, scratch)
        }
        GroupTest::Structured { cells, required, never, reference, issuer, issuer_default } => {
            let Some(reference) = reference else {
                return Some(false);
            };
            let written = issuer.map(|field| row[field]).unwrap_or_default();
            let effective: &[u8] = if written.is_empty() { issuer_default } else { written };
            !never
                && cells_clean(plan, row, cells, required, scratch)
                && ogm(plan, row[*reference])
                && effective.iter().all(u8::is_ascii_alphabetic)
                && !effective.eq_ignore_ascii_case(b"ISO")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Codec;
    use crate::fuzzing::sample_plan;

    /// Fourteen digits read in two words as `number` reads them whole; anything else is left to `number`: every
    /// byte at every place, on random digits.
    #[test]
    fn fourteen_digits_by_words() {
        let mut random = 0x2545_f491_4f6c_dd1du64;
        for round in 0..2000 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let digits = format!("{:014}", random % 100_000_000_000_000).into_bytes();
            assert_eq!(fourteen_digits(&digits), Some(number(&digits)), "{digits:?}");
            let place = round % 14;
            for byte in 0..=255u8 {
                let mut value = digits.clone();
                value[place] = byte;
                let expected = byte.is_ascii_digit().then(|| number(&value));
                assert_eq!(fourteen_digits(&value), expected, "{value:?}");
            }
        }
    }

    /// Fourteen digits read as `number` reads them whole; anything else is left to `number`.
    #[test]
    fn fourteen_digits_as_a_number() {
        for value in [&b"00000000000000"[..], b"99999999999999", b"53900754703412", b"00000010000000"] {
            assert_eq!(fourteen_digits(value), Some(number(value)), "{value:?}");
        }
        for value in [&b"5390075470341"[..], b"539007547034123", b"5390075470341a", b"53900 54703412"] {
            assert_eq!(fourteen_digits(value), None, "{value:?}");
        }
    }

    /// An IBAN's cell is changed by the conversion exactly when it holds a space or a small letter, for every byte.
    #[test]
    fn iban_changes_told_byte_by_byte() {
        for byte in 0..=255u8 {
            for cell in [vec![byte], [&b"BE68539007547034"[..], &[byte]].concat(), vec![byte; 33]] {
                assert_eq!(iban_changed(&cell), cell.iter().any(|&b| b == b' ' || b.is_ascii_lowercase()), "{cell:?}");
            }
        }
    }

    /// The test of the ``BE[0-9]{14}`` shape by its digits' reading, as the pattern's DFA and the digits' tests.
    #[test]
    fn belgian_ibans_as_their_pattern() {
        let plan = sample_plan(b';', Codec::Utf8);
        assert!(plan.belgian_iban.is_belgian_shape());
        let mut random = 0x2545_f491_4f6c_dd1du64;
        let alphabet: &[u8] = b"0123456789BEbe /\xff";
        let mut valid = 0;
        for _ in 0..200_000 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            // A valid IBAN of the sample's bank codes (multiples of 3), then maybe one byte changed or cut.
            let base = (random % 334) * 3 % 1000 * 10_000_000 + (random >> 10) % 10_000_000;
            let bban = base * 100 + or_97(base % 97);
            let check = 98 - (bban * 1_000_000 + 111_400) % 97;
            let mut value = format!("BE{check:02}{bban:012}").into_bytes();
            if random.is_multiple_of(4) {
                let place = (random >> 20) as usize % value.len();
                value[place] = alphabet[(random >> 40) as usize % alphabet.len()];
            }
            if random % 16 == 1 {
                value.truncate((random >> 50) as usize % 17);
            }
            let expected = plan.belgian_iban.dfa_match(&value) && belgian_iban_digits(&value, &plan.bank_codes);
            assert_eq!(belgian_iban(&plan, &value), expected, "{value:?}");
            valid += u32::from(expected);
        }
        assert!(valid > 100_000, "{valid}");
    }

    /// A conversion kept for an amount's cell is the one made afresh, whichever cells were converted in between.
    #[test]
    fn amounts_converted_as_afresh() {
        let plan = sample_plan(b';', Codec::Utf8);
        let data = b"12,50;12,50;99,99;1.00;be68 5390;7,1;12,50;1.234,5";
        let cells: Vec<&[u8]> = data.split(|&b| b == b';').collect();
        let mut kept = Scratch::default();
        for round in 0..2 {
            for (index, &cell) in cells.iter().enumerate() {
                for convert in [Convert::Amount, Convert::Iban, Convert::Amount, Convert::AsWritten] {
                    let expected = converted(&plan, convert, cell, &mut Scratch::default()).to_vec();
                    assert_eq!(converted(&plan, convert, cell, &mut kept), expected, "{round} {index} {convert:?}");
                }
            }
        }
        assert_eq!(converted(&plan, Convert::Amount, cells[0], &mut kept), b"12.50");
        assert_eq!(converted(&plan, Convert::Amount, cells[5], &mut kept), b"7.1");
        let rules = Plan { comma_amount: crate::plan::anchored("-?[0-9.]+,[0-9]+").ok(), ..plan.clone() };
        for (amount, expected) in
            [(&b"-1.234.567,89"[..], &b"-1234567.89"[..]), (b"1.234,5", b"1234.5"), (b"1.2", b"1.2")]
        {
            assert_eq!(converted(&rules, Convert::Amount, amount, &mut Scratch::default()), expected);
        }
        assert_eq!(converted(&plan, Convert::Iban, cells[4], &mut kept), b"BE685390");
    }
}
