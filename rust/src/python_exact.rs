//! `kbc_validate._scan.exact_rows`: what the scanner tells of the exact rows of a block (`exact::exact_row`).

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::exact::exact_row;
use crate::python::{bad, Scanner};

/// Of each exact row of `data` (line, start, end: its bytes without the line end), the groups not surely clean as
/// a bit mask (all bits: not of the header's width) and whether its keys were made; and the keys made, as native
/// u64 (hash, line) pairs.
#[pyfunction]
fn exact_rows<'py>(
    py: Python<'py>,
    scanner: &Bound<'py, Scanner>,
    data: &[u8],
    rows: Vec<(u64, usize, usize)>,
) -> PyResult<(Vec<(u64, bool)>, Bound<'py, PyBytes>)> {
    let scanner = scanner.get();
    let verdicts = scanner.verdicts.read().map_err(bad)?;
    let mut pairs = Vec::new();
    let mut found = Vec::with_capacity(rows.len());
    for (line, start, end) in rows {
        let content = data.get(start..end).ok_or_else(|| bad("a row outside the block"))?;
        let row = exact_row(&scanner.plan, content, line, &verdicts, &mut pairs);
        found.push(row.map_or((u64::MAX, false), |row| (row.unsure, row.keyed)));
    }
    let bytes: Vec<u8> = pairs.iter().flat_map(|value| value.to_ne_bytes()).collect();
    Ok((found, PyBytes::new(py, &bytes)))
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(exact_rows, module)?)
}
