//! The rows the scanner sets aside as *exact* (a rule relating members may concern them: `scan::is_exact`), read by
//! Python from their members' own findings (`compiled_csv.GroupChecks.row_findings`). Here, for such a row: which of
//! its groups are not surely clean (so that Python checks only those), and its repetition keys, as the scanner
//! finds them for every other row (so that Python need not make them).

use crate::accept::{group_clean, Scratch};
use crate::keys::{makeable, push_keys};
use crate::plan::Plan;
use crate::scan::{maybe_same_account, memo_key, Splitter, Verdicts};

/// What the scanner tells of one exact row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExactRow {
    /// The groups present (some cell not empty).
    pub present: u64,
    /// The groups present and not surely clean: failed, or a value Python has not checked yet.
    pub unsure: u64,
    /// Whether the debtor's and the creditor's IBAN may be the same account (as `scan::is_exact` compares them: a
    /// cell that is not ASCII may be).
    pub same_account: bool,
    /// Whether the row's keys were pushed (else Python makes them: an account cell that is not ASCII).
    pub keyed: bool,
}

/// Of the simple row `record` (one line, in the file's encoding, of the header's width) at `line`: its groups not
/// surely clean, and its keys' (hash, line) pairs pushed onto `pairs`. None when the line is not of the header's
/// width (every group is then Python's).
pub fn exact_row(plan: &Plan, record: &[u8], line: u64, verdicts: &Verdicts, pairs: &mut Vec<u64>) -> Option<ExactRow> {
    let content = record.strip_suffix(b"\n").unwrap_or(record);
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    let mut fields: Vec<(u32, u32)> = Vec::with_capacity(plan.width + 1);
    Splitter::new(plan.delimiter, &[]).line(content, 0, true, plan.width + 1, &mut fields);
    if fields.len() != plan.width {
        return None;
    }
    let cell = |field: usize| (fields[field].0 as usize, fields[field].1 as usize);
    let row: Vec<&[u8]> = (0..fields.len()).map(|field| &content[cell(field).0..cell(field).1]).collect();
    let (mut key, mut scratch) = (Vec::new(), Scratch::default());
    let (mut present, mut unsure) = (0u64, 0u64);
    for (index, group) in plan.groups.iter().enumerate() {
        if group.fields.iter().all(|&field| row[field].is_empty()) {
            continue;
        }
        present |= 1 << index;
        let clean = group_clean(plan, &group.test, &row, false, &mut scratch).or_else(|| {
            memo_key(&group.fields, cell, content, &mut scratch.buffer);
            verdicts.get(index).and_then(|known| known.get(scratch.buffer.as_slice()).copied())
        });
        if clean != Some(true) {
            unsure |= 1 << index;
        }
    }
    let keyed = makeable(plan, &row);
    if keyed {
        push_keys(plan, (&row, false), line, &mut key, &mut scratch, pairs);
    }
    let same_account = match (plan.exact.debtor_iban, plan.exact.creditor_iban) {
        (Some(debtor), Some(creditor)) => maybe_same_account(row[debtor], row[creditor]),
        _ => false,
    };
    Some(ExactRow { present, unsure, same_account, keyed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Codec;
    use crate::fuzzing::sample_plan;

    #[test]
    fn groups_not_surely_clean_and_keys() {
        let plan = sample_plan(b';', Codec::Cp1252);
        let mut verdicts: Verdicts = vec![Default::default(); plan.groups.len()];
        let mut pairs = Vec::new();
        let clean = exact_row(&plan, b"BE71096123456769;Jan;12,50;\r\n", 7, &verdicts, &mut pairs);
        assert_eq!(clean, Some(ExactRow { present: 0b111, unsure: 0, same_account: false, keyed: true }));
        assert_eq!(pairs.len(), 4, "the end-to-end key (the sample's name column) and the payment key");
        assert_eq!((pairs[1], pairs[3]), (7, 7));
        let faulty = exact_row(&plan, b"BE71096123456760;;0,00;2027\n", 8, &verdicts, &mut pairs);
        let expected = ExactRow { present: 0b1101, unsure: 0b1001, same_account: false, keyed: true };
        assert_eq!(faulty, Some(expected), "the IBAN, and a value Python checks");
        assert_eq!(pairs.len(), 6);
        verdicts[3].insert(b"2027\0".to_vec(), true);
        let known = exact_row(&plan, b"BE71096123456769;;0,00;2027\n", 8, &verdicts, &mut pairs);
        assert_eq!(known.map(|row| row.unsure), Some(0), "a value Python found clean");
        let accented = exact_row(&plan, b"BE71096123456769\xe9;Jan;1,00;", 9, &verdicts, &mut pairs);
        assert_eq!(accented.map(|row| (row.unsure, row.keyed)), Some((1, false)), "keys Python makes");
        assert_eq!(pairs.len(), 8);
        assert_eq!(exact_row(&plan, b"BE71096123456769;Jan;1,00", 10, &verdicts, &mut pairs), None);
    }

    #[test]
    fn the_same_account_maybe() {
        assert!(maybe_same_account(b"BE71096123456769", b"be71 0961 2345 6769"));
        assert!(!maybe_same_account(b"BE71096123456769", b"BE71096123456760"));
        assert!(!maybe_same_account(b"", b""));
        assert!(maybe_same_account(b"BE71096123456769", b"BE71096123456769\xa0"));
        let mut plan = sample_plan(b';', Codec::Cp1252);
        plan.exact.debtor_iban = Some(1);
        let verdicts: Verdicts = vec![Default::default(); plan.groups.len()];
        let row = exact_row(&plan, b"BE71096123456769;BE71096123456769;1,00;", 2, &verdicts, &mut Vec::new());
        assert_eq!(row.map(|row| row.same_account), Some(true));
    }
}
