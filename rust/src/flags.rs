//! What Python is handed of a block's pending rows (`scan::Pending`), made without the GIL: which groups of which
//! rows have findings, and each distinct flagged value once.
//!
//! A pending row's groups are failed (an acceptor said so, or Python did before) or left to Python's check of their
//! distinct value (`Pending::memo`). The values Python has not checked yet are found first (`unknown_values`); the
//! binding asks Python about those alone, holding the GIL; then the flags are made from the verdicts (`flagged`).

use std::collections::HashMap;

use crate::plan::Plan;
use crate::scan::{memo_key, Pending, Splitter, Verdicts};

/// A group's value: its group, and its cells' byte ranges in the block.
pub type Value = (usize, Vec<(u32, u32)>);

/// The flags of a block's pending rows: (line, group, id) triples in row order, and the flagged values by id.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Flagged {
    pub flags: Vec<u64>,
    pub values: Vec<Value>,
}

fn group_cells(plan: &Plan, group: usize, fields: &[(u32, u32)]) -> Vec<(u32, u32)> {
    plan.groups[group].fields.iter().map(|&field| fields[field]).collect()
}

fn key_of(plan: &Plan, group: usize, fields: &[(u32, u32)], data: &[u8], key: &mut Vec<u8>) {
    let cell = |field: usize| (fields[field].0 as usize, fields[field].1 as usize);
    memo_key(&plan.groups[group].fields, cell, data, key);
}

/// The distinct values (as `memo_key` makes them, and as cell ranges) of the groups Python checks that `verdicts`
/// holds no verdict on, in order of their first row.
pub fn unknown_values(plan: &Plan, pending: &[Pending], data: &[u8], verdicts: &Verdicts) -> Vec<(Vec<u8>, Value)> {
    let splitter = Splitter::new(plan.delimiter, &[]);
    let mut seen: Vec<HashMap<Vec<u8>, (), foldhash::fast::RandomState>> = vec![HashMap::default(); plan.groups.len()];
    let (mut unknown, mut fields, mut key) = (Vec::new(), Vec::new(), Vec::new());
    for row in pending.iter().filter(|row| row.memo != 0) {
        row.cells(&splitter, data, &mut fields);
        for group in (0..plan.groups.len()).filter(|group| row.memo & (1 << group) != 0) {
            key_of(plan, group, &fields, data, &mut key);
            if !verdicts[group].contains_key(key.as_slice()) && !seen[group].contains_key(key.as_slice()) {
                seen[group].insert(key.clone(), ());
                unknown.push((key.clone(), (group, group_cells(plan, group, &fields))));
            }
        }
    }
    unknown
}

/// The flags of `pending` rows: each failed group, and each group Python checks whose value `verdicts` or `answers`
/// (Python's verdicts on this block's `unknown_values`) says is not clean. A value with no verdict in either is
/// flagged (Python's check then writes its findings, or none).
pub fn flagged(plan: &Plan, pending: &[Pending], data: &[u8], verdicts: &Verdicts, answers: &Verdicts) -> Flagged {
    let splitter = Splitter::new(plan.delimiter, &[]);
    // A flagged value's id by its cells and group (a last byte: at most 64 groups): a key allocated only for a value
    // met first.
    let mut ids: HashMap<Vec<u8>, usize, foldhash::fast::RandomState> = HashMap::default();
    let mut out = Flagged::default();
    let (mut fields, mut key) = (Vec::new(), Vec::new());
    for row in pending {
        row.cells(&splitter, data, &mut fields);
        let mut failed = row.failed;
        for group in (0..plan.groups.len()).filter(|group| row.memo & (1 << group) != 0) {
            key_of(plan, group, &fields, data, &mut key);
            let known = verdicts[group].get(key.as_slice()).or_else(|| answers[group].get(key.as_slice()));
            if known != Some(&true) {
                failed |= 1 << group;
            }
        }
        for group in (0..plan.groups.len()).filter(|group| failed & (1 << group) != 0) {
            key_of(plan, group, &fields, data, &mut key);
            key.push(group as u8);
            let id = match ids.get(key.as_slice()) {
                Some(&id) => id,
                None => {
                    ids.insert(key.clone(), out.values.len());
                    out.values.push((group, group_cells(plan, group, &fields)));
                    out.values.len() - 1
                }
            };
            out.flags.extend([row.line, group as u64, id as u64]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Codec;
    use crate::fuzzing::sample_plan;
    use crate::scan::scan;

    const DATA: &[u8] = b"BE71096123456769;Jan;12,50;2027\nBE71096123456760;Jan;1,00;2028\n\
        BE71096123456760;Piet;1,00;2027\nBE71096123456769;Jan;1,00;2029\n";

    #[test]
    fn unknown_values_once_in_order() {
        let plan = sample_plan(b';', Codec::Cp1252);
        let mut verdicts: Verdicts = vec![Default::default(); plan.groups.len()];
        verdicts[3].insert(b"2028\0".to_vec(), true);
        let scanned = scan(&plan, DATA, 0, true, 1, &verdicts);
        let unknown = unknown_values(&plan, &scanned.pending, DATA, &verdicts);
        let keys: Vec<&[u8]> = unknown.iter().map(|(key, _)| key.as_slice()).collect();
        assert_eq!(keys, [&b"2027\0"[..], b"2029\0"], "each value Python has not seen, once, in row order");
        let (group, cells) = &unknown[0].1;
        assert_eq!((*group, &DATA[cells[0].0 as usize..cells[0].1 as usize]), (3, &b"2027"[..]));
    }

    #[test]
    fn flags_from_verdicts_and_answers() {
        let plan = sample_plan(b';', Codec::Cp1252);
        let mut verdicts: Verdicts = vec![Default::default(); plan.groups.len()];
        verdicts[3].insert(b"2028\0".to_vec(), true);
        let scanned = scan(&plan, DATA, 0, true, 1, &verdicts);
        let mut answers: Verdicts = vec![Default::default(); plan.groups.len()];
        answers[3].insert(b"2027\0".to_vec(), false);
        answers[3].insert(b"2029\0".to_vec(), true);
        let out = flagged(&plan, &scanned.pending, DATA, &verdicts, &answers);
        // Line 1: 2027 faulty; line 2: the IBAN (mod 97) fails; line 3: the same IBAN (one id) and 2027 (one id).
        assert_eq!(out.flags, [1, 3, 0, 2, 0, 1, 3, 0, 1, 3, 3, 0]);
        assert_eq!(out.values.iter().map(|(group, _)| *group).collect::<Vec<_>>(), [3, 0]);
        let unanswered = flagged(&plan, &scanned.pending, DATA, &verdicts, &vec![Default::default(); 4]);
        assert_eq!(unanswered.flags.len(), 5 * 3, "a value with no verdict is flagged: 2027 twice, 2029, two IBANs");
    }
}
