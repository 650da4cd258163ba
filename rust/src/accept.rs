//! The acceptors: True only where the member's own check would find nothing (`columnar.clean`, restated over
//! bytes). Like every acceptor, one may leave a clean value unrecognised (Python then checks it), never pass a
//! faulty one; the differential tests hold them to the rules.

use crate::plan::{Cell, CellTest, Convert, GroupTest, Plan};

/// A cell converted as the reader converts it, into `out` (ASCII cells; see `Convert`).
pub fn converted<'a>(plan: &Plan, convert: Convert, cell: &'a [u8], out: &'a mut Vec<u8>) -> &'a [u8] {
    match convert {
        Convert::AsWritten => cell,
        // Most IBANs are written as the reader converts them: no copy then.
        Convert::Iban if !cell.iter().any(|&b| b == b' ' || b.is_ascii_lowercase()) => cell,
        Convert::Iban => {
            out.clear();
            out.extend(cell.iter().filter(|&&b| b != b' ').map(u8::to_ascii_uppercase));
            out
        }
        Convert::Amount => match &plan.comma_amount {
            Some(pattern) if pattern.is_match(cell) => {
                out.clear();
                out.extend(cell.iter().filter(|&&b| b != b'.').map(|&b| if b == b',' { b'.' } else { b }));
                out
            }
            _ => cell,
        },
    }
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
    plan.belgian_iban.is_match(value) && belgian_iban_digits(value, &plan.bank_codes)
}

/// The digits of an IBAN of a Belgian IBAN's shape (`BE` and 14 digits): check digits 02 to 98 with mod 97 = 1,
/// national mod 97, an assigned bank code (`bank_codes`, indexed by code).
pub fn belgian_iban_digits(value: &[u8], bank_codes: &[bool]) -> bool {
    let digits = number(&value[2..]);
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

pub(crate) fn or_97(remainder: u64) -> u64 {
    if remainder == 0 {
        97
    } else {
        remainder
    }
}

fn cells_clean(plan: &Plan, row: &[&[u8]], cells: &[Cell], required: &[usize], scratch: &mut Vec<u8>) -> bool {
    cells.iter().all(|cell| {
        let raw = row[cell.field];
        raw.is_empty() || cell_clean(plan, &cell.test, converted(plan, cell.convert, raw, scratch))
    }) && required.iter().all(|&field| !row[field].is_empty())
}

/// Whether a present group (some cell not empty) is surely clean; None for a group Python checks (`Memo`).
pub fn group_clean(plan: &Plan, test: &GroupTest, row: &[&[u8]], scratch: &mut Vec<u8>) -> Option<bool> {
    Some(match test {
        GroupTest::Memo => return None,
        GroupTest::Object { cells, required, never, ascii } => {
            !never
                && ascii.iter().all(|&field| row[field].is_ascii())
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
