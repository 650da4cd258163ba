//! The verdicts of a range's groups of one cell on the values met lately: a value that recurs from row to row (the
//! ordering account on nearly every row, a supplier's name, an execution date) is tested once, not once a row.
//!
//! Exact: such a group's verdict is a function of its one cell's bytes (`Group::one_cell`), and Python's verdicts
//! (`scan::Verdicts`) do not change while a block is scanned; a slot holds the value itself, compared whole, and
//! lives only as long as the scan of one range of one block (one thread's).

use crate::plan::Group;

/// Slots a group: a value's slot is chosen by its length and last bytes.
const SLOTS: usize = 8;

/// Values looked up before a group whose values seldom recur (a creditor's account, an end-to-end id) stops being
/// looked up for the rest of the range: it is then tested at every row, as it would be without slots.
const TRIAL: u32 = 256;

type Slot<'a> = Option<(&'a [u8], Option<bool>)>;

struct Slots<'a> {
    field: usize,
    slots: [Slot<'a>; SLOTS],
    looks: u32,
    hits: u32,
}

pub struct Recent<'a> {
    /// By group: its one cell's slots; None for a group whose verdict reads more than one cell.
    groups: Vec<Option<Slots<'a>>>,
}

impl<'a> Recent<'a> {
    pub fn new(groups: &[Group]) -> Recent<'a> {
        let slots = |field| Slots { field, slots: [None; SLOTS], looks: 0, hits: 0 };
        Recent { groups: groups.iter().map(|group| group.one_cell().map(slots)).collect() }
    }

    /// The verdict of group `index` on `row`: `test`'s, or the one it gave lately on the same value.
    pub fn verdict(&mut self, index: usize, row: &[&'a [u8]], test: impl FnOnce() -> Option<bool>) -> Option<bool> {
        match self.lookup(index, row) {
            Ok(verdict) => verdict,
            Err(slot) => {
                let verdict = test();
                self.remember(index, row, slot, verdict);
                verdict
            }
        }
    }

    /// `verdict` in two steps (no closure to build a group, whose cost showed): the verdict given lately on the value
    /// of group `index` in `row`, or Err with what `remember` takes once the group's test has given it.
    #[inline(always)]
    pub fn lookup(&mut self, index: usize, row: &[&'a [u8]]) -> Result<Option<bool>, Option<usize>> {
        let Some(group) = &mut self.groups[index] else {
            return Err(None);
        };
        let value = row[group.field];
        let slot = slot_of(value);
        group.looks = group.looks.saturating_add(1);
        if let Some((seen, verdict)) = group.slots[slot] {
            if same(seen, value) {
                group.hits += 1;
                return Ok(verdict);
            }
        }
        Err(Some(slot))
    }

    /// Keep the `verdict` of group `index` on `row`'s value in the slot `lookup` gave (none: nothing kept).
    pub fn remember(&mut self, index: usize, row: &[&'a [u8]], slot: Option<usize>, verdict: Option<bool>) {
        let (Some(slot), Some(group)) = (slot, &mut self.groups[index]) else {
            return;
        };
        group.slots[slot] = Some((row[group.field], verdict));
        if group.looks == TRIAL && group.hits < TRIAL / 8 {
            self.groups[index] = None;
        }
    }
}

/// A value's slot: its last eight bytes and length, mixed by a multiplication (the top bits of the product).
fn slot_of(value: &[u8]) -> usize {
    let last = match word(value, value.len().wrapping_sub(8)) {
        Some(word) => word,
        None => value.iter().fold(0, |word, &byte| word << 8 | u64::from(byte)),
    };
    let mixed = (last ^ value.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - SLOTS.trailing_zeros())) as usize
}

/// Whether two values are the same bytes; of 8 to 16 bytes (an IBAN, a date, most names), by their first and last
/// eight bytes as two words (a call to `memcmp` costs more than the comparison).
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match (word(a, 0), word(b, 0), word(a, n.wrapping_sub(8)), word(b, n.wrapping_sub(8))) {
        (Some(a0), Some(b0), Some(a1), Some(b1)) if n <= 16 => a0 == b0 && a1 == b1,
        _ => a == b,
    }
}

/// The eight bytes of `value` at `at`, if there are eight there.
fn word(value: &[u8], at: usize) -> Option<u64> {
    let bytes = value.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(bytes.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Group, GroupTest};

    /// Each value's verdict is the test's on it, whatever was met before, slots shared or not; the test is asked
    /// again only for a value not in its slot.
    #[test]
    fn verdicts_as_the_test_gives_them() {
        let groups =
            vec![Group { fields: vec![1], test: GroupTest::Memo }, Group { fields: vec![0, 1], test: GroupTest::Memo }];
        let mut recent = Recent::new(&groups);
        let values: Vec<Vec<u8>> = (0..40u8).map(|n| vec![b'a' + n % 7; usize::from(n % 5)]).collect();
        let truth = |value: &[u8]| match (value.len() + usize::from(value.first().copied().unwrap_or(0))) % 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        let mut asked = 0;
        for round in 0..3 {
            for value in &values {
                let row: [&[u8]; 2] = [b"x", value];
                let verdict = recent.verdict(0, &row, || {
                    asked += 1;
                    truth(value)
                });
                assert_eq!(verdict, truth(value), "{value:?} {round}");
                let mut other = false;
                let verdict = recent.verdict(1, &row, || {
                    other = true;
                    truth(value)
                });
                assert_eq!(verdict, truth(value));
                assert!(other, "a group of two cells is always tested");
            }
        }
        assert!(asked < 3 * values.len(), "recurring values are not tested again");
    }

    #[test]
    fn values_compared_whole() {
        let values: [&[u8]; 10] = [
            b"",
            b"a",
            b"abcdefg",
            b"abcdefgh",
            b"abcdefgX",
            b"Xbcdefgh",
            b"abcdefghijklmnop",
            b"abcdefghijklmnoX",
            b"abcdefghXjklmnop",
            b"abcdefghijklmnopq",
        ];
        for a in values {
            for b in values {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
            assert!(slot_of(a) < SLOTS);
        }
    }

    /// A group whose values do not recur is tested at every row once its trial is over, and stays exact.
    #[test]
    fn values_that_do_not_recur_are_tested_each_time() {
        let groups = vec![Group { fields: vec![0], test: GroupTest::Memo }];
        let mut recent = Recent::new(&groups);
        let values: Vec<Vec<u8>> = (0..2000u32).map(|n| n.to_string().into_bytes()).collect();
        let mut asked = 0;
        for value in values.iter().chain(&values[..10]).chain(&values[..10]) {
            let row: [&[u8]; 1] = [value];
            let verdict = recent.verdict(0, &row, || {
                asked += 1;
                Some(value.len() % 2 == 0)
            });
            assert_eq!(verdict, Some(value.len() % 2 == 0));
        }
        assert_eq!(asked, 2020);
        assert!(recent.groups[0].is_none());
    }
}
