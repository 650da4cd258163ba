//! The pain.001 pass on any bytes, with the invariants of `_scan::pain_fuzzing::check` (`fuzz/run pain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else { return };
    _scan::pain_fuzzing::check(data, 1 + u64::from(choice % 4), u64::from(choice / 4 % 8));
});
