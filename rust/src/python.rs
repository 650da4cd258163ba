//! The Python module `kbc_validate._scan`: a `Scanner` made from the Python side's plan of a file, and the key
//! hash Python's side of the compiled engine shares with it.

use std::collections::HashMap;
use std::sync::RwLock;

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use crate::decode::Codec;
use crate::flags::{flagged, unknown_values};
use crate::plan::{anchored, pattern_test, Cell, CellTest, Convert, Exact, Group, GroupTest, KeyPlan, Plan};
use crate::scan::{scan, Verdicts};

/// Verdicts of Python's checks on distinct values kept at most (a file of one-off values would grow it).
const VERDICTS: usize = 1 << 16;

type CellSpec = (usize, String, String, String, usize);
type GroupSpec =
    (String, Vec<usize>, Vec<CellSpec>, Vec<usize>, bool, Vec<usize>, Option<usize>, Option<usize>, String);
type ExactSpec = (Vec<usize>, Option<(usize, usize)>, Option<usize>, Option<usize>);
type KeySpec = (Option<usize>, Vec<usize>, Vec<usize>, Option<usize>, Option<usize>, Option<usize>, Option<usize>);
type Patterns = (Option<String>, String, String);
type Block<'py> = (
    usize,
    u64,
    u64,
    Vec<(u64, usize, usize, bool)>,
    Bound<'py, PyBytes>,
    Vec<(usize, Bound<'py, PyTuple>)>,
    Bound<'py, PyBytes>,
);

pub(crate) fn bad(error: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(error.to_string())
}

fn cell(spec: CellSpec) -> PyResult<Cell> {
    let (field, convert, test, pattern, max_chars) = spec;
    let convert = match convert.as_str() {
        "iban" => Convert::Iban,
        "amount" => Convert::Amount,
        _ => Convert::AsWritten,
    };
    let test = match test.as_str() {
        "pattern" => pattern_test(&pattern, max_chars).map_err(bad)?,
        "iban" => CellTest::BelgianIban,
        _ => CellTest::Never,
    };
    Ok(Cell { field, convert, test })
}

fn group(spec: GroupSpec) -> PyResult<Group> {
    let (kind, fields, cells, required, never, ascii, reference, issuer, issuer_default) = spec;
    let cells = cells.into_iter().map(cell).collect::<PyResult<Vec<_>>>()?;
    let test = match kind.as_str() {
        "object" => GroupTest::Object { cells, required, never, ascii },
        "structured" => GroupTest::Structured {
            cells,
            required,
            never,
            reference,
            issuer,
            issuer_default: issuer_default.into_bytes(),
        },
        _ => GroupTest::Memo,
    };
    Ok(Group { fields, test })
}

/// The compiled pass over one CSV file's body, block by block.
#[pyclass(frozen, module = "kbc_validate._scan")]
pub(crate) struct Scanner {
    pub(crate) plan: Plan,
    pub(crate) verdicts: RwLock<Verdicts>,
}

#[pymethods]
impl Scanner {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        delimiter: u8,
        codec: &str,
        width: usize,
        field_limit: usize,
        groups: Vec<GroupSpec>,
        exact: ExactSpec,
        keys: KeySpec,
        patterns: Patterns,
        bank_codes: Vec<usize>,
    ) -> PyResult<Self> {
        let codec = Codec::from_python(codec).ok_or_else(|| bad(format!("encoding {codec} is not scanned")))?;
        let groups = groups.into_iter().map(group).collect::<PyResult<Vec<_>>>()?;
        if groups.len() > 64 || width == 0 {
            return Err(bad("at most 64 groups, at least one column"));
        }
        let (required_groups, both_forms, debtor_iban, creditor_iban) = exact;
        let (e2e, accounts, amounts, iban, amount, reference, unstructured) = keys;
        let (comma_amount, belgian_iban, ogm) = patterns;
        let mut codes = vec![false; 1000];
        for code in bank_codes.into_iter().filter(|&code| code < 1000) {
            codes[code] = true;
        }
        let plan = Plan {
            delimiter,
            codec,
            width,
            field_limit,
            groups,
            exact: Exact { required_groups, both_forms, debtor_iban, creditor_iban },
            keys: KeyPlan { e2e, accounts, amounts, iban, amount, reference, unstructured },
            comma_amount: comma_amount.map(|pattern| anchored(&pattern)).transpose().map_err(bad)?,
            belgian_iban: anchored(&belgian_iban).map_err(bad)?,
            ogm: anchored(&ogm).map_err(bad)?,
            bank_codes: codes,
        };
        let verdicts = RwLock::new(vec![HashMap::default(); plan.groups.len()]);
        Ok(Scanner { plan, verdicts })
    }

    /// Scan a block of the body whose first line is line `first_line` + 1 (`eof`: the file ends with it), on
    /// `threads` threads without the GIL. `verdict(group, cells)` is Python's check of a distinct value of a group
    /// without an acceptor (True: clean). Returns (bytes consumed, lines, simple rows, raw records as (line, start,
    /// end, split: one line split at its delimiters), flags as native u64 triples (line, group, key), the flagged
    /// keys as (group, cells), key pairs as native
    /// u64 (hash, line)).
    fn scan<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        first_line: u64,
        eof: bool,
        threads: usize,
        verdict: Bound<'py, PyAny>,
    ) -> PyResult<Block<'py>> {
        let plan = &self.plan;
        // Without the GIL: the scan, then the values of its pending rows Python has not checked yet.
        let (scanned, unknown) = {
            let verdicts = self.verdicts.read().map_err(bad)?;
            let known: &Verdicts = &verdicts;
            py.detach(|| {
                let scanned = scan(plan, data, first_line, eof, threads.max(1), known);
                let unknown = unknown_values(plan, &scanned.pending, data, known);
                (scanned, unknown)
            })
        };
        // With it: Python's check of each of those values (few: a value is checked once a file).
        let mut answers: Verdicts = vec![HashMap::default(); plan.groups.len()];
        for (key, (group, cells)) in unknown {
            let clean: bool = verdict.call1((group, value_cells(py, data, &cells)?))?.extract()?;
            answers[group].insert(key, clean);
        }
        if answers.iter().any(|answered| !answered.is_empty()) {
            let mut verdicts = self.verdicts.write().map_err(bad)?;
            if verdicts.iter().map(HashMap::len).sum::<usize>() >= VERDICTS {
                verdicts.iter_mut().for_each(HashMap::clear);
            }
            for (known, answered) in verdicts.iter_mut().zip(&answers) {
                known.extend(answered.iter().map(|(key, &clean)| (key.clone(), clean)));
            }
        }
        // Without it again: the flags of the pending rows, each flagged value once.
        let flagged = {
            let verdicts = self.verdicts.read().map_err(bad)?;
            let known: &Verdicts = &verdicts;
            py.detach(|| flagged(plan, &scanned.pending, data, known, &answers))
        };
        let keys = flagged
            .values
            .iter()
            .map(|(group, cells)| Ok((*group, value_cells(py, data, cells)?)))
            .collect::<PyResult<Vec<_>>>()?;
        let flags = flagged.flags;
        let raw = scanned.raw.iter().map(|raw| (raw.line, raw.start, raw.end, raw.split)).collect();
        Ok((
            scanned.consumed,
            scanned.lines,
            scanned.rows,
            raw,
            u64_object(py, &flags)?,
            keys,
            u64_object(py, &scanned.pairs)?,
        ))
    }
}

/// A value's cells as a tuple of bytes.
fn value_cells<'py>(py: Python<'py>, data: &[u8], cells: &[(u32, u32)]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, cells.iter().map(|&(start, end)| PyBytes::new(py, &data[start as usize..end as usize])))
}

fn u64_bytes(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|value| value.to_ne_bytes()).collect()
}

/// Native-endian u64s as a bytes object, written straight into it.
fn u64_object<'py>(py: Python<'py>, values: &[u64]) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, values.len() * 8, |bytes| {
        for (chunk, value) in bytes.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&value.to_ne_bytes());
        }
        Ok(())
    })
}

/// The hash of a repetition key's UTF-8 bytes, as the scanner hashes the keys it makes.
#[pyfunction]
fn key_hash(key: &[u8]) -> u64 {
    crate::keys::key_hash(key)
}

/// The hashes met more than once among a partition of the repeated-payment log (native (hash, line) pairs, in any
/// read-only buffer: bytes, or the log's file mapped in memory, read where it is), and the last line holding one (0:
/// none).
#[pyfunction]
fn repeated(py: Python<'_>, data: PyBuffer<u8>) -> PyResult<(Vec<u64>, u64)> {
    if !data.is_c_contiguous() || !data.readonly() {
        return Err(bad("the log's pairs are not one contiguous, read-only buffer of bytes"));
    }
    let length = data.len_bytes();
    if length == 0 {
        return Ok((Vec::new(), 0));
    }
    let address = data.buf_ptr() as usize;
    // Without the GIL: partitions of the log are looked at on several threads (`hash_log`).
    Ok(py.detach(move || {
        // SAFETY: `data` holds the exporter's buffer until this function returns, after this closure, and the buffer
        // is read-only (bytes, or a read-only map of one of this process's own temporary files): nothing writes it.
        let bytes = unsafe { std::slice::from_raw_parts(address as *const u8, length) };
        let value = |eight: &[u8]| u64::from_ne_bytes(eight.try_into().unwrap_or_default());
        let pairs = || bytes.chunks_exact(16).map(|pair| (value(&pair[..8]), value(&pair[8..])));
        crate::repeats::repeated_pairs(length / 16, pairs)
    }))
}

/// A chunk of the log's pairs in order of their partitions by the bits of their hashes (`hash >> shift`, modulo
/// `count`, a power of two), and where each partition starts in it (`count` + 1 byte offsets).
#[pyfunction]
fn split<'py>(py: Python<'py>, data: &[u8], shift: u32, count: usize) -> PyResult<(Bound<'py, PyBytes>, Vec<usize>)> {
    if !count.is_power_of_two() {
        return Err(bad("the log's partitions are a power of two"));
    }
    let mut starts = Vec::new();
    let ordered = PyBytes::new_with(py, data.len() / 16 * 16, |out| {
        starts = crate::repeats::split(data, shift, count, out);
        Ok(())
    })?;
    Ok((ordered, starts))
}

/// A block's findings in line order (`rows::expand`): (lines, ids) as native u64 bytes, from the flags of `scan`,
/// each key's first id (native u64s, one more than the keys) and the raw records' (line, finding's line, id).
#[pyfunction]
fn expand<'py>(
    py: Python<'py>,
    flags: &[u8],
    offsets: &[u8],
    raw: &[u8],
) -> (Bound<'py, PyBytes>, Bound<'py, PyBytes>) {
    let values = |data: &[u8]| crate::rows::u64s(data).collect::<Vec<u64>>();
    let (lines, ids) = crate::rows::expand(&values(flags), &values(offsets), &values(raw));
    (PyBytes::new(py, &u64_bytes(&lines)), PyBytes::new(py, &u64_bytes(&ids)))
}

/// A run's findings written out (`rows::Words`): `before[id]` (or `before[0]`), the line, `after[id]`,
/// `separator`-separated, as an iterator of pieces of whole findings, each of about `piece` bytes: a writer writes
/// each piece as it comes, from memory of the same size every time (a run's whole output would be fresh memory each
/// block, its pages faulted in by the kernel).
#[pyfunction]
fn render(
    lines: &[u8],
    ids: &[u8],
    before: Vec<Vec<u8>>,
    after: Vec<Vec<u8>>,
    separator: Vec<u8>,
    piece: usize,
) -> Rendering {
    let values = |data: &[u8]| crate::rows::u64s(data).collect::<Vec<u64>>();
    Rendering { lines: values(lines), ids: values(ids), before, after, separator, piece, next: 0 }
}

/// The pieces of a run's findings (`render`).
#[pyclass(module = "kbc_validate._scan")]
struct Rendering {
    lines: Vec<u64>,
    ids: Vec<u64>,
    before: Vec<Vec<u8>>,
    after: Vec<Vec<u8>>,
    separator: Vec<u8>,
    piece: usize,
    next: usize,
}

#[pymethods]
impl Rendering {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        if self.next >= self.lines.len().min(self.ids.len()) {
            return Ok(None);
        }
        let words = crate::rows::Words { before: &self.before, after: &self.after, separator: &self.separator };
        let (end, size) = words.piece(&self.lines, &self.ids, self.next, self.piece);
        let out = PyBytes::new_with(py, size, |out| {
            words.write(&self.lines, &self.ids, (self.next, end), out);
            Ok(())
        })?;
        self.next = end;
        Ok(Some(out))
    }
}

type Tallies = (Vec<(usize, u64, u64, Vec<u64>, u64)>, Vec<(u64, u64)>);

/// A run's findings counted (`rows::tally`): per code (code, count, rows, first rows, last row) in order of first
/// finding, and the (line, id) of each line's first error.
#[pyfunction]
fn tally(lines: &[u8], ids: &[u8], codes: Vec<usize>, errors: Vec<bool>, first: usize) -> Tallies {
    let values = |data: &[u8]| crate::rows::u64s(data).collect::<Vec<u64>>();
    let (tallies, error_lines) = crate::rows::tally(&values(lines), &values(ids), &codes, &errors, first);
    let tallies = tallies.into_iter().map(|t| (t.code, t.count, t.rows, t.first_lines, t.last_line)).collect();
    (tallies, error_lines)
}

#[pymodule]
fn _scan(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Scanner>()?;
    module.add_function(wrap_pyfunction!(key_hash, module)?)?;
    module.add_function(wrap_pyfunction!(repeated, module)?)?;
    module.add_function(wrap_pyfunction!(split, module)?)?;
    module.add_function(wrap_pyfunction!(expand, module)?)?;
    module.add_function(wrap_pyfunction!(render, module)?)?;
    module.add_function(wrap_pyfunction!(tally, module)?)?;
    crate::python_pain::register(module)?;
    crate::python_exact::register(module)?;
    Ok(())
}
