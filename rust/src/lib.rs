//! kbc-validate's compiled pass over CSV payment files.
//!
//! One pass over a block of a file's body (the bytes after its header): rows split at their physical lines
//! (`records`), each member's acceptor applied to its cells (`accept`), the rows' repetition keys hashed
//! (`keys`), on several threads over byte ranges (`scan`). Whatever is not surely clean is handed back to Python,
//! whose rules write every finding: the rules' tables (patterns, bank codes) come from Python too (`plan`).

pub mod accept;
pub mod decode;
pub mod exact;
pub mod flags;
pub mod fuzzing;
pub mod keys;
pub mod lines;
pub mod pain;
pub mod pain_fuzzing;
pub mod plan;
pub mod recent;
pub mod records;
pub mod repeats;
pub mod rows;
pub mod scan;

#[cfg(feature = "python")]
mod python;
#[cfg(feature = "python")]
mod python_exact;
#[cfg(feature = "python")]
mod python_pain;
