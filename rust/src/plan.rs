//! What the scanner checks in a file, built from the Python side's data at start-up: the header's groups of
//! columns (a body's top-level members) with each member's acceptor (`kbc_validate.rules` vectors: their
//! patterns, the Belgian bank codes), the rows the per-row validator must see whole, and the repetition keys.

use regex_automata::dfa::dense::{self, DFA};
use regex_automata::dfa::{Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

use crate::decode::Codec;

/// How the CSV reader turns a cell into a member's value (`files.csv_columns.converter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convert {
    AsWritten,
    /// Spaces out, in capitals (ASCII cells only: others are left to Python).
    Iban,
    /// A decimal comma read as a point (`COMMA_AMOUNT`), in a file whose delimiter is not a comma.
    Amount,
}

/// A member's acceptor over its converted, non-empty cell (`columnar.clean.member_clean`).
#[derive(Clone, Debug)]
pub enum CellTest {
    /// No acceptor: a present cell makes its group not surely clean.
    Never,
    /// Fully matching an ASCII pattern, of at most `max_chars` characters (0: any).
    Pattern { regex: Pattern, max_chars: usize },
    /// A pattern ``[S]*[T][S]*`` whose class T is within S (the rules' texts): every byte in S, one at least in T,
    /// at most `max_chars` (0: any). `classes[byte]`: 1 when in S, 2 when in T.
    Classes { classes: Box<[u8; 256]>, max_chars: usize },
    /// A Belgian IBAN whose check digits, national check and bank code hold.
    BelgianIban,
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub field: usize,
    pub convert: Convert,
    pub test: CellTest,
}

/// A group's acceptor (`columnar.engine.FrameValidator._clean_expr`).
#[derive(Clone, Debug)]
pub enum GroupTest {
    /// No acceptor: each distinct value is checked once by the member's own check, in Python.
    Memo,
    /// An object (or a top-level member: one cell): each present cell clean, the mandatory ones present.
    Object {
        cells: Vec<Cell>,
        required: Vec<usize>,
        /// A mandatory member has no column: never clean.
        never: bool,
        /// Fields that must be ASCII (IBANs, whose conversion upper-cases them).
        ascii: Vec<usize>,
    },
    /// A structured remittance whose reference is a valid Belgian structured communication.
    Structured {
        cells: Vec<Cell>,
        required: Vec<usize>,
        never: bool,
        reference: Option<usize>,
        issuer: Option<usize>,
        issuer_default: Vec<u8>,
    },
}

#[derive(Clone, Debug)]
pub struct Group {
    pub fields: Vec<usize>,
    pub test: GroupTest,
}

impl Group {
    /// The field of a group of one cell whose test reads no other (its verdict is a function of that cell).
    pub fn one_cell(&self) -> Option<usize> {
        let &[field] = self.fields.as_slice() else {
            return None;
        };
        let only = |fields: &[usize]| fields.iter().all(|&other| other == field);
        let cells = |cells: &[Cell]| cells.iter().all(|cell| cell.field == field);
        let reads_only_it = match &self.test {
            GroupTest::Memo => true,
            GroupTest::Object { cells: tested, required, ascii, .. } => cells(tested) && only(required) && only(ascii),
            GroupTest::Structured { cells: tested, required, reference, issuer, .. } => {
                cells(tested)
                    && only(required)
                    && reference.is_none_or(|f| f == field)
                    && issuer.is_none_or(|f| f == field)
            }
        };
        reads_only_it.then_some(field)
    }
}

/// The rows a rule relating members may concern: the per-row validator sees them whole.
#[derive(Clone, Debug, Default)]
pub struct Exact {
    pub required_groups: Vec<usize>,
    pub both_forms: Option<(usize, usize)>,
    pub debtor_iban: Option<usize>,
    pub creditor_iban: Option<usize>,
}

/// The fields of the repetition keys (`files.repeats.payment_keys`).
#[derive(Clone, Debug, Default)]
pub struct KeyPlan {
    pub e2e: Option<usize>,
    pub accounts: Vec<usize>,
    pub amounts: Vec<usize>,
    pub iban: Option<usize>,
    pub amount: Option<usize>,
    pub reference: Option<usize>,
    pub unstructured: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub delimiter: u8,
    pub codec: Codec,
    pub width: usize,
    pub field_limit: usize,
    pub groups: Vec<Group>,
    pub exact: Exact,
    pub keys: KeyPlan,
    /// `COMMA_AMOUNT`, anchored; None where the delimiter is a comma (amounts are then read as written).
    pub comma_amount: Option<Pattern>,
    pub belgian_iban: Pattern,
    pub ogm: Pattern,
    /// Indexed by a Belgian bank code (three digits): assigned.
    pub bank_codes: Vec<bool>,
}

/// A pattern of the Python side, anchored as `re.fullmatch` reads it, over bytes without Unicode classes: only
/// ASCII patterns are given (a non-ASCII byte then never matches, as a non-ASCII character never would).
pub fn anchored(pattern: &str) -> Result<Pattern, String> {
    let config = dense::Config::new().start_kind(StartKind::Anchored).match_kind(MatchKind::All);
    let dfa = dense::Builder::new().configure(config).build(&format!("^(?:{pattern})$")).map_err(|e| e.to_string())?;
    let start = dfa.start_state(&start::Config::new().anchored(Anchored::Yes)).map_err(|e| e.to_string())?;
    Ok(Pattern { dfa: Box::new(dfa), start, fixed: fixed_runs(pattern) })
}

/// The test of a cell fully matching `pattern`: a byte table where the pattern is ``[S]*[T][S]*`` with T within S
/// (which reads as every byte in S and one in T), else the pattern's DFA.
pub fn pattern_test(pattern: &str, max_chars: usize) -> Result<CellTest, String> {
    let regex = anchored(pattern)?;
    let Some((outer, inner)) = class_run(pattern) else {
        return Ok(CellTest::Pattern { regex, max_chars });
    };
    let (outer, inner) = (anchored(&format!("[{outer}]"))?, anchored(&format!("[{inner}]"))?);
    let mut classes = Box::new([0u8; 256]);
    for byte in 0..=255u8 {
        classes[usize::from(byte)] = u8::from(outer.is_match(&[byte])) | (u8::from(inner.is_match(&[byte])) << 1);
    }
    if classes.contains(&2) {
        return Ok(CellTest::Pattern { regex, max_chars }); // T not within S: not a plain test of each byte
    }
    Ok(CellTest::Classes { classes, max_chars })
}

/// A pattern whose alternatives (at its top) are each a fixed sequence of ASCII literals and classes, as the bytes
/// each position takes; None for any other (a repetition of varying count, an assertion, a class beyond ASCII).
pub fn fixed_runs(pattern: &str) -> Option<Vec<Vec<[bool; 256]>>> {
    use regex_syntax::hir::HirKind;
    let hir = regex_syntax::parse(pattern).ok()?;
    let tops = match hir.kind() {
        HirKind::Alternation(alternatives) => alternatives.iter().collect::<Vec<_>>(),
        _ => vec![&hir],
    };
    let runs = tops.into_iter().map(fixed_run).collect::<Option<Vec<_>>>()?;
    (runs.len() <= 8 && runs.iter().all(|run| run.len() <= 64)).then_some(runs)
}

fn fixed_run(hir: &regex_syntax::hir::Hir) -> Option<Vec<[bool; 256]>> {
    use regex_syntax::hir::{Class, HirKind};
    Some(match hir.kind() {
        HirKind::Empty => Vec::new(),
        HirKind::Literal(literal) => literal.0.iter().map(|&byte| one_byte(byte)).collect::<Option<_>>()?,
        HirKind::Class(Class::Unicode(class)) => {
            let mut set = [false; 256];
            for range in class.ranges() {
                let (start, end) = (u8::try_from(range.start()).ok()?, u8::try_from(range.end()).ok()?);
                if !end.is_ascii() {
                    return None;
                }
                set[usize::from(start)..=usize::from(end)].iter_mut().for_each(|taken| *taken = true);
            }
            vec![set]
        }
        HirKind::Repetition(repetition) if Some(repetition.min) == repetition.max && repetition.min <= 64 => {
            let run = fixed_run(&repetition.sub)?;
            (0..repetition.min).flat_map(|_| run.iter().copied()).collect()
        }
        HirKind::Capture(capture) => fixed_run(&capture.sub)?,
        HirKind::Concat(parts) => parts.iter().map(fixed_run).collect::<Option<Vec<_>>>()?.concat(),
        _ => return None,
    })
}

fn one_byte(byte: u8) -> Option<[bool; 256]> {
    let mut set = [false; 256];
    set[usize::from(byte)] = true;
    byte.is_ascii().then_some(set)
}

/// The classes S and T of a pattern written ``[S]*[T][S]*`` (no bracket inside them), or None.
fn class_run(pattern: &str) -> Option<(&str, &str)> {
    let (outer, rest) = pattern.strip_prefix('[')?.split_once("]*[")?;
    let (inner, rest) = rest.split_once("][")?;
    let tail = rest.strip_suffix("]*")?;
    let plain = |class: &str| !class.is_empty() && !class.contains(['[', ']']) && !class.starts_with('^');
    (tail == outer && plain(outer) && plain(inner)).then_some((outer, inner))
}

/// A pattern as a full DFA (`anchored`): whether a whole value matches is one table look-up a byte; a pattern of
/// fixed-length alternatives (`fixed_runs`: ``BE[0-9]{14}``, ``EUR``) is matched by the bytes each position takes.
#[derive(Clone, Debug)]
pub struct Pattern {
    dfa: Box<DFA<Vec<u32>>>,
    start: StateID,
    fixed: Option<Vec<Vec<[bool; 256]>>>,
}

impl Pattern {
    /// Whether `value`, whole, matches (`re.fullmatch`).
    pub fn is_match(&self, value: &[u8]) -> bool {
        match &self.fixed {
            Some(runs) => runs.iter().any(|run| {
                run.len() == value.len() && run.iter().zip(value).all(|(set, &byte)| set[usize::from(byte)])
            }),
            None => self.dfa_match(value),
        }
    }

    /// Whether `value`, whole, matches, by the DFA alone.
    pub fn dfa_match(&self, value: &[u8]) -> bool {
        let mut state = self.start;
        for &byte in value {
            state = self.dfa.next_state(state, byte);
            if self.dfa.is_dead_state(state) {
                return false;
            }
        }
        self.dfa.is_match_state(self.dfa.next_eoi_state(state))
    }
}

#[cfg(test)]
mod tests {
    use super::{anchored, pattern_test, CellTest};
    use crate::accept::cell_matches;

    /// A class run is read as its DFA reads it, on every value of up to three bytes of a sample alphabet.
    #[test]
    fn class_runs_as_their_patterns() {
        let alphabet: &[u8] = b"aZ9 +-\\x00\xe9\xc3";
        for pattern in ["[A-Za-z0-9/\\-?:().,'+ ]*[A-Za-z0-9/\\-?:().,'+][A-Za-z0-9/\\-?:().,'+ ]*", "[a ]*[a][a ]*"] {
            let test = pattern_test(pattern, 2).unwrap();
            assert!(matches!(test, CellTest::Classes { .. }), "{pattern}");
            let dfa = anchored(pattern).unwrap();
            let mut values: Vec<Vec<u8>> = vec![vec![]];
            for _ in 0..3 {
                let longer: Vec<Vec<u8>> =
                    values.iter().flat_map(|v| alphabet.iter().map(move |&b| [v.as_slice(), &[b]].concat())).collect();
                values.extend(longer);
            }
            for value in values {
                let expected = dfa.is_match(&value) && value.len() <= 2;
                assert_eq!(cell_matches(&test, &value), expected, "{pattern} {value:?}");
            }
        }
        // Fixed-length alternatives, as their DFA reads them.
        for pattern in ["BE[0-9]{2}", "EUR", "\\+[0-9]{2}/|[0-9]{3}", "a(?:b[0-9]){2}"] {
            let test = anchored(pattern).unwrap();
            assert!(test.fixed.is_some(), "{pattern}");
            let alphabet: &[u8] = b"BEU09+/ab\xc3";
            let mut values: Vec<Vec<u8>> = vec![vec![]];
            for _ in 0..5 {
                let longer: Vec<Vec<u8>> =
                    values.iter().flat_map(|v| alphabet.iter().map(move |&b| [v.as_slice(), &[b]].concat())).collect();
                values.extend(longer.into_iter().filter(|value| value.len() <= 5));
            }
            values.sort();
            values.dedup();
            for value in values {
                assert_eq!(test.is_match(&value), test.dfa_match(&value), "{pattern} {value:?}");
            }
        }
        for pattern in ["[0-9]{1,2}", "a*", "(?:ab)?", "^a", "[a-\\x{e9}]", "[0-9]{9}|[0-9]+"] {
            assert!(anchored(pattern).unwrap().fixed.is_none(), "{pattern}");
        }
        // T not within S, or not the shape: the DFA.
        assert!(matches!(pattern_test("[a]*[b][a]*", 0).unwrap(), CellTest::Pattern { .. }));
        assert!(matches!(pattern_test("[a]*[a][b]*", 0).unwrap(), CellTest::Pattern { .. }));
    }

    /// The DFA reads a pattern as `re.fullmatch` does: whole values only, every alternative, no prefix match.
    #[test]
    fn full_matches() {
        let pattern = anchored("a|ab|[0-9]{2,3}").unwrap();
        for (value, expected) in
            [("a", true), ("ab", true), ("abc", false), ("", false), ("12", true), ("1234", false), ("b", false)]
        {
            assert_eq!(pattern.is_match(value.as_bytes()), expected, "{value}");
        }
        let name = anchored("[A-Za-z0-9/\\-?:().,'+ ]*[A-Za-z0-9/\\-?:().,'+][A-Za-z0-9/\\-?:().,'+ ]*").unwrap();
        let values: [(&[u8], bool); 5] =
            [(b"Zeeman BV", true), (b"   ", false), (b"Caf\xc3\xa9", false), (b"Caf\xe9", false), (b"a-b", true)];
        for (value, expected) in values {
            assert_eq!(name.is_match(value), expected, "{value:?}");
        }
    }
}
