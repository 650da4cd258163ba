//! `kbc_validate._scan.exact_rows`: what the scanner tells of the exact rows of a block (`exact::exact_row`).

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::exact::exact_row;
use crate::python::{bad, Scanner};

/// (groups present, groups not surely clean, the same account maybe, keys made).
type Told = (u64, u64, bool, bool);

/// Of each exact row of `data` (line, start, end of its bytes): the groups present and those not surely clean, as
/// bit masks (all bits: not of the header's width), whether its debtor and creditor may be the same account, and
/// whether its keys were made; and the keys made, as native u64 (hash, line) pairs.
#[pyfunction]
fn exact_rows<'py>(
    py: Python<'py>,
    scanner: &Bound<'py, Scanner>,
    data: &[u8],
    rows: Vec<(u64, usize, usize)>,
) -> PyResult<(Vec<Told>, Bound<'py, PyBytes>)> {
    let scanner = scanner.get();
    let verdicts = scanner.verdicts.read().map_err(bad)?;
    let mut pairs = Vec::new();
    let mut found = Vec::with_capacity(rows.len());
    for (line, start, end) in rows {
        let content = data.get(start..end).ok_or_else(|| bad("a row outside the block"))?;
        let row = exact_row(&scanner.plan, content, line, &verdicts, &mut pairs);
        let told = row.map(|row| (row.present, row.unsure, row.same_account, row.keyed));
        found.push(told.unwrap_or((u64::MAX, u64::MAX, true, false)));
    }
    let bytes: Vec<u8> = pairs.iter().flat_map(|value| value.to_ne_bytes()).collect();
    Ok((found, PyBytes::new(py, &bytes)))
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(exact_rows, module)?)
}
