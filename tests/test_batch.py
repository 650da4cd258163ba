"""`validate_batch` on Arrow, pandas and polars tables, and on a Dask cluster: the command line's findings, by row."""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbc_validate.columnar.batch import BATCH_SCHEMA, validate_batch
from kbc_validate.files.inputs import ReadOptions, read_input
from kbc_validate.files.located import FileStats, Located
from tests.bodies import TODAY

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate_csv import HEADER, row

Finding = tuple[Any, ...]


def write_payments(path: Path, rows: int, seed: int = 3) -> None:
    """Generated Belgian payments with an id column, a sprinkle of every fault, and a few rows repeated."""
    rng = random.Random(seed)
    lines = [["row", *HEADER]] + [[f"R{n}", *row(rng, n)] for n in range(1, rows + 1)]
    for copy in range(1, 4):  # an exported-twice row: same end-to-end id and same payment, under a new row id
        lines.append([f"R{rows + copy}", *lines[copy * 7][1:]])
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(lines)


def command_line_findings(path: Path) -> list[Finding]:
    """The command line's findings of `path`, named by the row id column instead of lines."""
    with path.open(encoding="cp1252", newline="") as handle:
        ids = {line: fields[0] for line, fields in enumerate(csv.reader(handle, delimiter=";"), start=1)}
    found = []
    for item in read_input(str(path), ReadOptions(today=TODAY, engine="rows"), FileStats()):
        assert isinstance(item, Located)
        if item.code == "KBC906":  # the id column, which the batch is told about
            continue
        message = item.issue.message
        if item.code in ("KBC907", "KBC908"):
            first = int(message.rsplit(" ", 1)[1].rstrip("."))
            message = message.replace(f"line {first}", f"row {ids[first]!r}")
        found.append((ids[item.line], item.issue.path, str(item.issue.cause), item.code, str(item.issue.severity),
                      message))
    return sorted(found)


def as_tuples(table: Any) -> list[Finding]:
    frame = table if isinstance(table, pl.DataFrame) else pl.from_arrow(table) if isinstance(table, pa.Table) \
        else pl.from_pandas(table)
    assert list(frame.columns) == list(BATCH_SCHEMA)
    return sorted(frame.rows())


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "payments.csv"
    write_payments(path, 2000)
    return path


@pytest.mark.parametrize("kind", ["polars", "pyarrow", "pandas"])
def test_validate_batch_gives_the_command_line_findings(kind: str, payments: Path) -> None:
    frame = pl.read_csv(payments, separator=";", encoding="cp1252", infer_schema=False)
    data = {"polars": frame, "pyarrow": frame.to_arrow(), "pandas": frame.to_pandas()}[kind]
    found = validate_batch(data, today=TODAY, id_column="row", decimal_comma=True)
    assert type(found).__module__.split(".")[0] == kind.replace("pyarrow", "pyarrow")
    assert as_tuples(found) == command_line_findings(payments)


def test_rows_are_named_by_end_to_end_id_else_by_position() -> None:
    frame = pl.DataFrame({"creditor_iban": ["BE71096123456760", "BE71096123456760"], "creditor_name": ["A", "B"],
                          "amount": ["1", "2"], "end_to_end_id": ["E2E-9", None]})
    found = validate_batch(frame, today=TODAY)
    assert found.select("row_id", "code").rows() == [("E2E-9", "KBC308"), ("1", "KBC308")]


def test_column_findings_have_no_row_and_other_services_work() -> None:
    frame = pd.DataFrame({"creditor_iban": ["BE71096123456769"], "creditor_name": ["A"], "amount": [None],
                          "start_date": ["2026-12-01"], "frequency": ["Weekly"], "colour": ["red"]})
    found = validate_batch(frame, today=TODAY, service="periodic-payments")
    assert [(None if pd.isna(r) else r, c) for r, c in found[["row_id", "code"]].itertuples(index=False)] == [
        (None, "KBC906"), ("0", "KBC101")]
    with pytest.raises(ValueError, match="bulk"):
        validate_batch(frame, service="bulk-payments")
    with pytest.raises(TypeError, match="pyarrow Table"):
        validate_batch([{"amount": "1"}])


def test_the_callers_table_is_not_changed(payments: Path) -> None:
    frame = pd.read_csv(payments, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    before = frame.copy()
    validate_batch(frame, today=TODAY, id_column="row", decimal_comma=True)
    pd.testing.assert_frame_equal(frame, before)


def test_dask_on_a_local_cluster_gives_the_command_line_findings(payments: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from kbc_validate.integrations.dask import validate_csv_files

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        found = validate_csv_files(str(payments), today=TODAY, id_column="row", blocksize="50KB")
        assert found.npartitions > 2  # repeats cross partitions
        result = found.compute()
    assert as_tuples(result) == command_line_findings(payments)


MISSING = st.sampled_from([None, float("nan"), pd.NA])
TEXTS = st.one_of(st.text(), MISSING)  # what ``read_csv(dtype=str)`` gives, and missing values
MIXED = st.one_of(TEXTS, st.integers(), st.floats(), st.booleans(), st.binary(max_size=4))


@given(st.sampled_from([TEXTS, MIXED]).flatmap(lambda values: st.lists(values, max_size=12)))
def test_a_pandas_column_of_objects_is_read_whole_as_cell_by_cell(values: list[Any]) -> None:
    """Strings and missing values are converted whole, through Arrow; any other mix cell by cell: the same text."""
    from kbc_validate.columnar.batch import _object_texts, _texts

    column = pd.Series(values, dtype=object, name="c0")
    assert _object_texts(column).to_list() == _texts(column).to_list()
