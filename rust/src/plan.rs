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
    let fixed = fixed_runs(pattern);
    let digits = fixed.as_deref().and_then(digit_shapes);
    let compact = Compact::of(&dfa, start);
    let shape: Vec<u8> = b"BE".iter().copied().chain([DIGIT; 14]).collect();
    let belgian = digits.as_deref() == Some(&[shape][..]);
    Ok(Pattern { dfa: Box::new(dfa), start, fixed, digits, compact, belgian })
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

/// `Pattern::digits` of fixed runs: runs whose every position takes one byte or the ten digits.
fn digit_shapes(runs: &[Vec<[bool; 256]>]) -> Option<Vec<Vec<u8>>> {
    runs.iter().map(|run| digit_shape(run)).collect()
}

fn digit_shape(run: &[[bool; 256]]) -> Option<Vec<u8>> {
    let digits: [bool; 256] = std::array::from_fn(|byte| (byte as u8).is_ascii_digit());
    let position = |set: &[bool; 256]| {
        if *set == digits {
            return Some(DIGIT);
        }
        let mut taken = (0..=255u8).filter(|&byte| set[usize::from(byte)]);
        match (taken.next(), taken.next()) {
            (Some(byte), None) if byte != DIGIT => Some(byte),
            _ => None,
        }
    };
    run.iter().map(position).collect()
}

/// In `Pattern::digits`: a position that takes any ASCII digit (not an ASCII byte itself).
const DIGIT: u8 = 0xff;

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
    /// A pattern of fixed runs whose positions each take one byte or a digit (``BE[0-9]{14}``, ``EUR``, the OGM's
    /// two forms): each run as its positions' bytes, or `DIGIT`; matched by comparisons without a branch a byte (no
    /// table, and a vector loop).
    digits: Option<Vec<Vec<u8>>>,
    /// The DFA's states renumbered in a byte (`Compact`), for a DFA of at most 256 states.
    compact: Option<Compact>,
    /// `is_belgian_shape`.
    belgian: bool,
}

/// A DFA of at most 256 states (dead: 0) as a table of the next state by state and byte: one look-up a byte, no
/// test of the state on the way (the dead state leads to itself), whether the state reached matches at the end.
#[derive(Clone, Debug)]
struct Compact {
    /// `next[state << 8 | byte]`.
    next: Vec<u8>,
    /// By state: whether a value ending in it matches.
    matches: Vec<bool>,
    start: u8,
}

impl Compact {
    fn of(dfa: &DFA<Vec<u32>>, start: StateID) -> Option<Compact> {
        let mut ids: Vec<StateID> = vec![dfa.next_state(start, 0)]; // a placeholder for the dead state, set below
        let mut dead = None;
        let number = |id: StateID, ids: &mut Vec<StateID>, dead: &mut Option<StateID>| -> Option<u8> {
            if dfa.is_dead_state(id) {
                *dead = Some(id);
                return Some(0);
            }
            if dfa.is_quit_state(id) {
                return None; // a byte the DFA gives up on (none in the rules' patterns): the DFA is kept as it is
            }
            let index = match ids[1..].iter().position(|&known| known == id) {
                Some(index) => index + 1,
                None => {
                    ids.push(id);
                    ids.len() - 1
                }
            };
            u8::try_from(index).ok()
        };
        let first = number(start, &mut ids, &mut dead)?;
        let mut next = vec![0u8; 256];
        let mut state = 1;
        while state < ids.len() {
            for byte in 0..=255u8 {
                let to = number(dfa.next_state(ids[state], byte), &mut ids, &mut dead)?;
                next.push(to);
            }
            state += 1;
        }
        let matches = (0..ids.len()).map(|state| state != 0 && dfa.is_match_state(dfa.next_eoi_state(ids[state])));
        Some(Compact { next, matches: matches.collect(), start: first })
    }

    fn is_match(&self, value: &[u8]) -> bool {
        let state =
            value.iter().fold(self.start, |state, &byte| self.next[usize::from(state) << 8 | usize::from(byte)]);
        self.matches[usize::from(state)]
    }
}

impl Pattern {
    /// Whether `value`, whole, matches (`re.fullmatch`).
    pub fn is_match(&self, value: &[u8]) -> bool {
        if let Some(shapes) = &self.digits {
            return shapes.iter().any(|shape| {
                shape.len() == value.len()
                    && shape.iter().zip(value).fold(true, |all, (&taken, &byte)| {
                        all & (((taken == byte) & byte.is_ascii()) | ((taken == DIGIT) & byte.is_ascii_digit()))
                    })
            });
        }
        match (&self.fixed, &self.compact) {
            (Some(runs), _) => runs.iter().any(|run| {
                run.len() == value.len() && run.iter().zip(value).all(|(set, &byte)| set[usize::from(byte)])
            }),
            (None, Some(compact)) => compact.is_match(value),
            (None, None) => self.dfa_match(value),
        }
    }

    /// Whether the pattern is exactly ``BE[0-9]{14}`` (a Belgian IBAN's shape; `accept::belgian_iban`).
    pub fn is_belgian_shape(&self) -> bool {
        self.belgian
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
            // Longer values (read four bytes a step, then the rest), each byte's class mattering at every place.
            let long = pattern_test(pattern, 0).unwrap();
            for length in 0..14 {
                for place in 0..length {
                    for &byte in alphabet {
                        let mut value = vec![b'a'; length];
                        value[place] = byte;
                        for value in [value.clone(), value.iter().map(|&b| if b == b'a' { b' ' } else { b }).collect()]
                        {
                            assert_eq!(cell_matches(&long, &value), dfa.is_match(&value), "{pattern} {value:?}");
                        }
                    }
                }
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
        // Runs of literals and digits, compared without tables, as their DFA reads them.
        let ogm = "\\+\\+\\+[0-9]{3}/[0-9]{4}/[0-9]{5}\\+\\+\\+|[0-9]{12}";
        for (pattern, shaped) in [
            ("BE[0-9]{14}", true),
            ("EUR", true),
            ("[0-9]{3}x", true),
            ("[0-8]{2}", false),
            (ogm, true),
            ("a|[0-9]b", true),
        ] {
            let test = anchored(pattern).unwrap();
            assert_eq!(test.digits.is_some(), shaped, "{pattern}");
            let mut random = 0x2545_f491_4f6c_dd1du64;
            let alphabet: &[u8] = b"0123456789BEURx \xff\x00/";
            for _ in 0..20_000 {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                let length = (random % 18) as usize;
                let mut value: Vec<u8> = b"BE68539007547034"[..length.min(16)].to_vec();
                value.resize(length, b'7');
                for _ in 0..random % 3 {
                    random ^= random << 13;
                    random ^= random >> 7;
                    random ^= random << 17;
                    if length > 0 {
                        value[(random >> 8) as usize % length] = alphabet[(random % alphabet.len() as u64) as usize];
                    }
                }
                let ogms: [&[u8]; 4] = [b"+++123/4567/89012+++", b"123456789012", b"+++123/4567/89012++-", b"0b"];
                for value in [value.as_slice(), b"EUR", b"EUr", b"123x", b"12x"].into_iter().chain(ogms) {
                    assert_eq!(test.is_match(value), test.dfa_match(value), "{pattern} {value:?}");
                }
            }
        }
        assert!(anchored("BE[0-9]{14}").unwrap().is_belgian_shape());
        for pattern in ["BE[0-9]{13}", "BE[0-9]{15}", "BF[0-9]{14}", "BE[0-9]{14}|x", "BE[0-8][0-9]{13}"] {
            assert!(!anchored(pattern).unwrap().is_belgian_shape(), "{pattern}");
        }
        for pattern in ["[0-9]{1,2}", "a*", "(?:ab)?", "^a", "[a-\\x{e9}]", "[0-9]{9}|[0-9]+"] {
            assert!(anchored(pattern).unwrap().fixed.is_none(), "{pattern}");
        }
        // T not within S, or not the shape: the DFA.
        assert!(matches!(pattern_test("[a]*[b][a]*", 0).unwrap(), CellTest::Pattern { .. }));
        assert!(matches!(pattern_test("[a]*[a][b]*", 0).unwrap(), CellTest::Pattern { .. }));
    }

    /// The compact table reads a pattern as its DFA does, on random values of the patterns' bytes.
    #[test]
    fn compact_tables_as_their_dfas() {
        let patterns = [
            "[1-9][0-9]{0,8}(?:\\.[0-9]{1,2})?|0\\.(?:[1-9][0-9]?|0[1-9])",
            "-?(?:[0-9]{1,3}(?:\\.[0-9]{3})+,[0-9]+|[0-9]+,[0-9]+)",
            "[A-Za-z0-9/\\-?:().,' ]*[A-Za-z/\\-?:().,'][A-Za-z0-9/\\-?:().,' ]*",
            "a|ab|[0-9]{2,3}",
            "",
            "[^a]",
        ];
        let alphabet: &[u8] = b"0123456789,.-a Z/\xe9\x00";
        let mut random = 0x2545_f491_4f6c_dd1du64;
        for pattern in patterns {
            let test = anchored(pattern).unwrap();
            let compact = test.compact.as_ref().expect("a small DFA");
            for _ in 0..30_000 {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                let value: Vec<u8> = (0..random % 16)
                    .map(|index| alphabet[((random >> (4 * (index % 12) + 4)) % alphabet.len() as u64) as usize])
                    .collect();
                assert_eq!(compact.is_match(&value), test.dfa_match(&value), "{pattern} {value:?}");
            }
            for value in [&b""[..], b"1234,56", b"1.234,5", b"0.01", b"12.345", b"-1,0", b"\xff"] {
                assert_eq!(compact.is_match(value), test.dfa_match(value), "{pattern} {value:?}");
            }
        }
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
