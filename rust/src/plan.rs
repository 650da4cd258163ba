//! What the scanner checks in a file, built from the Python side's data at start-up: the header's groups of
//! columns (a body's top-level members) with each member's acceptor (`kbc_validate.rules` vectors: their
//! patterns, the Belgian bank codes), the rows the per-row validator must see whole, and the repetition keys.

use regex::bytes::Regex;

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
    Pattern { regex: Regex, max_chars: usize },
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
    pub comma_amount: Option<Regex>,
    pub belgian_iban: Regex,
    pub ogm: Regex,
    /// Indexed by a Belgian bank code (three digits): assigned.
    pub bank_codes: Vec<bool>,
}

/// A pattern of the Python side, anchored as `re.fullmatch` reads it, over bytes without Unicode classes: only
/// ASCII patterns are given (a non-ASCII byte then never matches, as a non-ASCII character never would).
pub fn anchored(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&format!("^(?:{pattern})$"))
}
