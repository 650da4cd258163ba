//! The Python class `kbc_validate._scan.PainScanner`: `pain::scan_piece` on a thread of the scanner's own, which
//! never takes the GIL. Python submits each piece's bytes before the parser reads them and takes the reading after
//! (`receive`): the two run side by side, whoever holds the GIL.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use regex::bytes::{Regex, RegexBuilder};

use crate::pain::{scan_piece, PainPlan, PieceScan};

/// A pattern of Python's over bytes, its classes ASCII: the pass reads only text that decodes as UTF-8, whose
/// multi-byte characters hold no ASCII byte (a negated class matches them whole, as Python's does); a transaction
/// end with a non-ASCII `\s` or `\w` then makes the counts differ, and Python reads that piece.
fn bytes_pattern(pattern: &str, whole: bool) -> PyResult<Regex> {
    let pattern = if whole { format!("^(?:{pattern})$") } else { pattern.to_owned() };
    RegexBuilder::new(&pattern).unicode(false).build().map_err(bad)
}

fn bad(error: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(error.to_string())
}

type Job = (u64, Vec<u8>, u64, u64);
type Flags = Vec<(usize, usize, usize, usize, u64, u64)>;
type Scanned<'py> = (
    bool,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Flags,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

struct Worker {
    jobs: Option<Sender<Job>>,
    results: Receiver<(u64, PieceScan)>,
    thread: Option<JoinHandle<()>>,
    next: u64,
}

/// The compiled pass over one pain.001 document's pieces.
#[pyclass(module = "kbc_validate._scan")]
struct PainScanner {
    worker: Mutex<Worker>,
}

#[pymethods]
impl PainScanner {
    /// `patterns`: a transaction end's, the basic character set's, a clean amount's and a Belgian IBAN's (Python's
    /// own); `bank_codes`: the assigned Belgian bank codes; `bic_tag`: ``BIC`` or ``BICFI``.
    #[new]
    fn new(patterns: (String, String, String, String), bank_codes: Vec<usize>, bic_tag: &str) -> PyResult<Self> {
        let (transaction_end, basic_set, clean_amount, belgian_iban) = patterns;
        let mut codes = vec![false; 1000];
        for code in bank_codes.into_iter().filter(|&code| code < 1000) {
            codes[code] = true;
        }
        let plan = Arc::new(PainPlan {
            transaction_end: bytes_pattern(&transaction_end, false)?,
            basic_set: bytes_pattern(&basic_set, true)?,
            clean_amount: bytes_pattern(&clean_amount, true)?,
            belgian_iban: bytes_pattern(&belgian_iban, true)?,
            bank_codes: codes,
            bic_tag: format!("<{bic_tag}>").into_bytes(),
        });
        let (jobs, inbox) = channel::<Job>();
        let (outbox, results) = channel();
        let thread = std::thread::Builder::new()
            .name("kbc-pain-scan".into())
            .spawn(move || {
                for (id, data, line, column_chars) in inbox {
                    if outbox.send((id, scan_piece(&plan, &data, line, column_chars))).is_err() {
                        break;
                    }
                }
            })
            .map_err(bad)?;
        let worker = Worker { jobs: Some(jobs), results, thread: Some(thread), next: 0 };
        Ok(PainScanner { worker: Mutex::new(worker) })
    }

    /// Start scanning a piece whose first byte is at `line` and `column_chars` characters into it; returns the
    /// number to `receive` its reading by.
    fn submit(&self, data: &[u8], line: u64, column_chars: u64) -> PyResult<u64> {
        let mut worker = self.worker.lock().map_err(bad)?;
        let id = worker.next;
        worker.next += 1;
        let jobs = worker.jobs.as_ref().ok_or_else(|| bad("the scanner is closed"))?;
        jobs.send((id, data.to_vec(), line, column_chars)).map_err(bad)?;
        Ok(id)
    }

    /// The reading of piece `id` (those submitted before it and never received are dropped), waited for without
    /// the GIL: whether it holds a comment, CDATA or a processing instruction; native arrays of status (u8), spans (u64 start, end), places (u64 line, column), cents (i64),
    /// decimals (u8), IBAN hashes (u64); the flags as (transaction, field, start, end, line, column); key pairs (u64
    /// hash, line) and each transaction's end in them (u64); the log's records and each one's end (u64).
    fn receive<'py>(&self, py: Python<'py>, id: u64) -> PyResult<Scanned<'py>> {
        let mut worker = self.worker.lock().map_err(bad)?;
        let results = &mut worker.results;
        let out = py.detach(move || loop {
            match results.recv() {
                Ok((got, out)) if got == id => return Ok(out),
                Ok((got, _)) if got < id => continue,
                _ => return Err("the scanner stopped"),
            }
        });
        let out = out.map_err(bad)?;
        let flags = out
            .flags
            .iter()
            .map(|flag| (flag.transaction, flag.field, flag.start, flag.end, flag.line, flag.column))
            .collect();
        let native = |values: &[u64]| -> Vec<u8> { values.iter().flat_map(|value| value.to_ne_bytes()).collect() };
        let cents: Vec<u8> = out.cents.iter().flat_map(|value| value.to_ne_bytes()).collect();
        Ok((
            out.markup,
            PyBytes::new(py, &out.status),
            PyBytes::new(py, &native(&out.spans)),
            PyBytes::new(py, &native(&out.places)),
            PyBytes::new(py, &cents),
            PyBytes::new(py, &out.scales),
            PyBytes::new(py, &native(&out.iban_hashes)),
            flags,
            PyBytes::new(py, &native(&out.pairs)),
            PyBytes::new(py, &native(&out.pair_ends)),
            PyBytes::new(py, &out.records),
            PyBytes::new(py, &native(&out.record_ends)),
        ))
    }

    /// Stop the scanner's thread (pieces submitted and not received are dropped).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let mut worker = self.worker.lock().map_err(bad)?;
        worker.jobs = None;
        if let Some(thread) = worker.thread.take() {
            py.detach(|| thread.join()).map_err(|_| bad("the scanner's thread panicked"))?;
        }
        Ok(())
    }
}

/// The records, as (index, offset), of a run of the repeated-payment log (`count` records) whose keys' hashes are
/// among `candidates` (native u64, sorted).
#[pyfunction]
fn wanted_records(data: &[u8], count: usize, candidates: &[u8]) -> Vec<(usize, usize)> {
    let candidates: Vec<u64> =
        candidates.chunks_exact(8).map(|bytes| u64::from_ne_bytes(bytes.try_into().unwrap_or_default())).collect();
    crate::pain::wanted_records(data, count, &candidates)
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PainScanner>()?;
    module.add_function(wrap_pyfunction!(wanted_records, module)?)
}
