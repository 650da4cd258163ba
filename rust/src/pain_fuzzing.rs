//! What the fuzz target `fuzz/fuzz_targets/pain.rs` and the randomised test below hold pain.001's compiled pass
//! (`pain::scan_piece`) to, on any bytes: no panic; one answer per transaction end, in order and inside the piece;
//! flags inside their transaction, in order, and only on flagged ones; keys, records and their ends consistent, every
//! record found again by its hashes; the same answer twice.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use crate::pain::{scan_piece, wanted_records, PainPlan, PieceScan, CLEAN, ELEMENTS, FLAGGED, WRITTEN};

fn pattern(text: &str) -> Regex {
    RegexBuilder::new(text).unicode(false).build().expect("a sample pattern")
}

/// A plan with the shapes of the rules' patterns (`kbc_validate.pain001.compiled.PieceScanner`): for fuzzing the
/// pass's reading of bytes, not for validating (the real plan comes from the Python rules at start-up).
pub fn sample_plan() -> &'static PainPlan {
    static PLAN: OnceLock<PainPlan> = OnceLock::new();
    PLAN.get_or_init(|| PainPlan {
        transaction_end: pattern(r"</(?:[A-Za-z_][\w.\-]*:)?CdtTrfTxInf\s*>"),
        basic_set: pattern(r"^(?:[A-Za-z0-9/\-?:().,'+ ]*)$"),
        clean_amount: pattern(r"^(?:[1-9][0-9]{0,8}(?:\.[0-9]{1,2})?|0\.(?:[1-9][0-9]?|0[1-9]))$"),
        belgian_iban: pattern(r"^(?:BE[0-9]{14})$"),
        bank_codes: (0..1000).map(|code| code % 3 != 0).collect(),
        bic_tag: b"<BIC>".to_vec(),
    })
}

/// Scan `data` as a piece starting at `line` and `column_chars`, and check the invariants.
pub fn check(data: &[u8], line: u64, column_chars: u64) {
    let plan = sample_plan();
    let scanned = scan_piece(plan, data, line, column_chars);
    let count = plan.transaction_end.find_iter(data).count();
    assert_eq!(scanned.status.len(), count, "an answer per transaction end");
    for (name, length) in [
        ("spans", scanned.spans.len() / 2),
        ("places", scanned.places.len() / 2),
        ("cents", scanned.cents.len()),
        ("scales", scanned.scales.len()),
        ("iban hashes", scanned.iban_hashes.len()),
        ("pair ends", scanned.pair_ends.len()),
        ("record ends", scanned.record_ends.len()),
    ] {
        assert_eq!(length, count, "{name}: one per transaction");
    }
    transactions_hold(&scanned, data, line);
    flags_hold(&scanned);
    records_hold(&scanned);
    let again = scan_piece(plan, data, line, column_chars);
    assert_eq!((&again.status, &again.spans, &again.places), (&scanned.status, &scanned.spans, &scanned.places));
    assert_eq!((&again.flags, &again.pairs, &again.records), (&scanned.flags, &scanned.pairs, &scanned.records));
}

fn transactions_hold(scanned: &PieceScan, data: &[u8], first_line: u64) {
    let (mut previous_end, mut previous_line, mut pairs, mut records) = (0u64, first_line, 0u64, 0u64);
    for (index, &status) in scanned.status.iter().enumerate() {
        let (start, end) = (scanned.spans[2 * index], scanned.spans[2 * index + 1]);
        let (line, column) = (scanned.places[2 * index], scanned.places[2 * index + 1]);
        assert!(matches!(status, CLEAN | FLAGGED | WRITTEN | ELEMENTS), "a known status");
        assert!(end > previous_end, "transaction ends in order");
        assert!(end as usize <= data.len(), "inside the piece");
        let placed = !(status == ELEMENTS && start == 0 && line == 0);
        if placed {
            assert!(start >= previous_end && start < end, "a transaction inside its own bytes");
            assert!(line >= previous_line && column >= 1, "places in order");
            previous_line = line;
        }
        if status == CLEAN || status == FLAGGED {
            assert!(data[start as usize..].starts_with(b"<CdtTrfTxInf>"), "a read transaction starts with its tag");
            assert!((1..=99_999_999_999).contains(&scanned.cents[index]), "a clean amount in cents");
            assert!(scanned.scales[index] <= 2, "at most two decimals");
        } else {
            assert_eq!(scanned.cents[index], 0, "no amount where Python reads the transaction");
            assert_eq!(scanned.pair_ends[index], pairs, "no keys where Python reads the transaction");
            assert_eq!(scanned.record_ends[index], records, "no record where Python reads the transaction");
        }
        assert!(scanned.pair_ends[index] >= pairs && scanned.record_ends[index] >= records, "ends in order");
        (pairs, records) = (scanned.pair_ends[index], scanned.record_ends[index]);
        previous_end = end;
    }
    assert_eq!(pairs, scanned.pairs.len() as u64 / 2, "every key pair owned by a transaction");
    assert_eq!(records, scanned.records.len() as u64, "every record owned by a transaction");
}

fn flags_hold(scanned: &PieceScan) {
    let mut previous = 0;
    for flag in &scanned.flags {
        assert!(flag.transaction >= previous, "flags transaction by transaction");
        assert_eq!(scanned.status[flag.transaction], FLAGGED, "flags only on flagged transactions");
        let (start, end) = (scanned.spans[2 * flag.transaction], scanned.spans[2 * flag.transaction + 1]);
        assert!(flag.start <= flag.end, "a value's bytes");
        if flag.start < flag.end {
            assert!(start as usize <= flag.start && flag.end <= end as usize, "a value inside its transaction");
        }
        assert!(flag.line >= 1 && flag.column >= 1, "a flag's place");
        previous = flag.transaction;
    }
    let flagged = scanned.status.iter().filter(|&&status| status == FLAGGED).count();
    let mut with_flags: Vec<usize> = scanned.flags.iter().map(|flag| flag.transaction).collect();
    with_flags.dedup();
    assert_eq!(with_flags.len(), flagged, "a flagged transaction has a flag");
}

fn records_hold(scanned: &PieceScan) {
    let count = scanned.status.iter().filter(|&&status| status == CLEAN || status == FLAGGED).count();
    let mut hashes: Vec<u64> = scanned.pairs.chunks_exact(2).map(|pair| pair[0]).filter(|&hash| hash != 0).collect();
    hashes.sort_unstable();
    let found = wanted_records(&scanned.records, count, &hashes);
    assert_eq!(found.len(), count, "every record found again by its keys' hashes");
    let starts: Vec<u64> = (0..scanned.status.len())
        .filter(|&index| matches!(scanned.status[index], CLEAN | FLAGGED))
        .map(|index| if index == 0 { 0 } else { scanned.record_ends[index - 1] })
        .collect();
    let offsets: Vec<u64> = found.iter().map(|&(_, offset)| offset as u64).collect();
    assert_eq!(offsets, starts, "records where their ends say");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::Random;

    const TRANSACTION: &[u8] = b"<CdtTrfTxInf><PmtId><EndToEndId>E2E-1</EndToEndId></PmtId><Amt><InstdAmt \
        Ccy=\"EUR\">12.50</InstdAmt></Amt><Cdtr><Nm>Zeeman BV</Nm></Cdtr><CdtrAcct><Id><IBAN>BE68539007547034</IBAN>\
        </Id></CdtrAcct><RmtInf><Ustrd>Factuur 1</Ustrd></RmtInf></CdtTrfTxInf>";

    const PIECES: [&[u8]; 26] = [
        b"<CdtTrfTxInf>",
        b"</CdtTrfTxInf>",
        b"</p:CdtTrfTxInf >",
        b"<PmtId><EndToEndId>E2E-7</EndToEndId></PmtId>",
        b"<PmtId><InstrId>I/1</InstrId><EndToEndId>//</EndToEndId></PmtId>",
        b"<Amt><InstdAmt Ccy=\"EUR\">",
        b"<Amt><InstdAmt Ccy=\"USD\">",
        b"0.01",
        b"999999999.99",
        b"1.5",
        b"</InstdAmt></Amt>",
        b"<CdtrAgt><FinInstnId><BIC>KREDBEBB</BIC></FinInstnId></CdtrAgt>",
        b"<Cdtr><Nm>Caf\xc3\xa9</Nm></Cdtr>",
        b"<CdtrAcct><Id><IBAN>",
        b"BE68539007547034",
        b"be68 5390",
        b"</IBAN></Id></CdtrAcct>",
        b"<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>",
        b"807983791307",
        b"</Ref></CdtrRefInf></Strd></RmtInf>",
        b"<!-- </CdtTrfTxInf> -->",
        b"<?pi x?>",
        b"\n  ",
        b"&amp;",
        b"\xff",
        TRANSACTION,
    ];

    #[test]
    fn random_pieces_hold_the_invariants() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let mut data = random.pieces(&PIECES, 40);
            if round % 7 == 0 && !data.is_empty() {
                data.truncate((random.next() % data.len() as u64) as usize); // a piece cut anywhere
            }
            check(&data, 1 + round as u64 % 3, round as u64 % 5);
        }
    }

    #[test]
    fn usual_transactions_are_read() {
        let data = [TRANSACTION, b"\n", TRANSACTION].concat();
        check(&data, 1, 0);
        let scanned = scan_piece(sample_plan(), &data, 1, 0);
        assert_eq!(scanned.status, [CLEAN, CLEAN]); // the sample is read, so the invariants are not vacuous
        assert_eq!(scanned.cents, [1250, 1250]);
    }
}
