//! The repetition keys of a row (`files.repeats.payment_keys`), made byte for byte as Python makes them (in UTF-8)
//! and hashed by `key_hash`, which Python's side of the compiled engine also hashes its keys with.

use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;

use crate::accept::{converted, Scratch};
use crate::plan::{Convert, Plan};

const SEPARATOR: u8 = 0x1f;

/// The seed of `key_hash` (any fixed number: the hashes never outlive a run).
const KEY_SEED: u64 = 0x6b62_632d_7661_6c69;

/// A 64-bit hash of a key's UTF-8 bytes: the same in every thread and process running this build (foldhash with a
/// fixed seed). Speed, not strength against collisions made on purpose: every pass that reports a repeat (the hash
/// log's, pain.001's) confirms a match by comparing the keys themselves, so a collision costs time, never a finding.
/// SipHash-2-4 took a tenth of the scan.
pub fn key_hash(key: &[u8]) -> u64 {
    let mut hasher = FixedState::with_seed(KEY_SEED).build_hasher();
    hasher.write(key);
    hasher.finish()
}

/// Whether the scanner can make this row's keys as Python makes them: an account cell that is not ASCII is
/// upper-cased by Python's own rules, so such a row is left to Python.
pub fn makeable(plan: &Plan, row: &[&[u8]]) -> bool {
    plan.keys.iban.is_none_or(|field| row[field].is_ascii())
}

/// Push the hash of each key of `row` (at `line`) onto `pairs`, as (hash, line). `ascii`: every byte of the row is
/// ASCII (its cells are then their own UTF-8).
pub fn push_keys(
    plan: &Plan,
    (row, ascii): (&[&[u8]], bool),
    line: u64,
    key: &mut Vec<u8>,
    scratch: &mut Scratch,
    pairs: &mut Vec<u64>,
) {
    let keys = &plan.keys;
    if let Some(field) = keys.e2e {
        if !row[field].is_empty() {
            key.clear();
            key.extend_from_slice(b"e2e\x1f");
            text(plan, row[field], ascii, key);
            pairs.extend([key_hash(key), line]);
        }
    }
    let present = |fields: &[usize]| fields.iter().any(|&field| !row[field].is_empty());
    if keys.accounts.is_empty() || keys.amounts.is_empty() || !present(&keys.accounts) || !present(&keys.amounts) {
        return;
    }
    key.clear();
    key.extend_from_slice(b"pay\x1f");
    part(plan, (row, ascii), keys.iban, Convert::Iban, key, scratch);
    key.push(SEPARATOR);
    let amount = if plan.comma_amount.is_some() { Convert::Amount } else { Convert::AsWritten };
    part(plan, (row, ascii), keys.amount, amount, key, scratch);
    key.push(SEPARATOR);
    let reference =
        [keys.reference, keys.unstructured].into_iter().flatten().map(|field| row[field]).find(|cell| !cell.is_empty());
    if let Some(cell) = reference {
        text(plan, cell, ascii, key);
    }
    pairs.extend([key_hash(key), line]);
}

/// A cell of a row in UTF-8 (`ascii`: the row's bytes are all ASCII).
fn text(plan: &Plan, cell: &[u8], ascii: bool, key: &mut Vec<u8>) {
    if ascii {
        key.extend_from_slice(cell);
    } else {
        plan.codec.utf8(cell, key);
    }
}

/// A member's converted cell, or ``None`` (Python's ``str`` of a missing member). Inlined (a call a key showed).
#[inline(always)]
fn part(
    plan: &Plan,
    (row, ascii): (&[&[u8]], bool),
    field: Option<usize>,
    convert: Convert,
    key: &mut Vec<u8>,
    scratch: &mut Scratch,
) {
    match field.map(|field| row[field]).filter(|cell| !cell.is_empty()) {
        None => key.extend_from_slice(b"None"),
        Some(cell) => {
            let value = converted(plan, convert, cell, scratch);
            text(plan, value, ascii, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key_hash;

    /// A fixed function of the bytes: the same hash on any thread (and so in any process of this build, which
    /// seeds it with nothing but `KEY_SEED`), different hashes for different keys of a sample.
    #[test]
    fn the_same_hash_everywhere() {
        let keys: Vec<Vec<u8>> =
            (0..2000).map(|n: u32| format!("pay\x1fBE68539007547034\x1f{n}.00\x1f").into_bytes()).collect();
        let here: Vec<u64> = keys.iter().map(|key| key_hash(key)).collect();
        let there =
            std::thread::scope(|scope| scope.spawn(|| keys.iter().map(|key| key_hash(key)).collect::<Vec<_>>()).join());
        assert_eq!(Some(&here), there.as_ref().ok());
        let mut distinct = here.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len());
        assert_ne!(key_hash(b""), key_hash(b"\0"));
    }
}
