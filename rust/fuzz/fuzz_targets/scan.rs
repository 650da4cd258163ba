//! The CSV scanner on any bytes (`fuzz/run scan`), with the invariants of `_scan::fuzzing::check`.
#![no_main]

use _scan::decode::Codec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else { return };
    let codec = [Codec::Utf8, Codec::Utf8Sig, Codec::Cp1252, Codec::Latin1, Codec::Ascii][usize::from(choice % 5)];
    _scan::fuzzing::check(data, 2 + usize::from(choice / 5 % 3), codec);
});
