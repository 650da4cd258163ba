"""`validate_batch`: the findings of a table of payment rows (pyarrow, pandas or polars), keyed by row id.

Columns are named as in a CSV header (Berlin Group paths such as ``creditorAccount.iban``, or aliases such as
``creditor_iban``); every cell is read as text, a null or empty cell is a member left out. A batch does not know
file lines, so each finding names its row by `id_column`, else by ``endToEndIdentification``, else by its position
in the batch (from 0). Repeated payments are found within the batch, and name the first row by the same id.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import polars as pl

from kbc_validate.columnar.engine import FINDINGS_SCHEMA, FrameValidator, field_name
from kbc_validate.columnar.repeats import ColumnRepeats
from kbc_validate.files.csv_columns import row_body
from kbc_validate.files.csv_source import Header, read_header, row_issues
from kbc_validate.findings import Issue
from kbc_validate.repeats.tracker import repeat_issue
from kbc_validate.validate import SERVICES, brussels_today

BATCH_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row_id": pl.String, "path": pl.String, "cause": pl.String, "code": pl.String, "severity": pl.String,
    "message": pl.String,
}
E2E = "endToEndIdentification"


def validate_batch(
    data: Any, *, today: date | None = None, service: str = "payments", id_column: str | None = None,
    decimal_comma: bool = False, repeats: bool = True,
) -> Any:
    """The findings of every row of `data` (a pyarrow Table, a pandas or a polars DataFrame) as a table of the same
    kind with the columns of `BATCH_SCHEMA`, in row order.

    `today`: the date execution dates are compared with (None: today in Brussels). `decimal_comma`: amounts are
    written ``12,50`` (as in a CSV file whose delimiter is not a comma). `repeats`: also report repeated payments
    within the batch (KBC907, KBC908). Column-level findings (an unknown or missing column) have no row id.
    """
    if service not in SERVICES or service == "bulk-payments":
        raise ValueError(f"a batch holds single or periodic payments, not {service!r}")
    frame, labels = _polars(data)
    if id_column is not None and labels.count(id_column) != 1:
        raise ValueError(f"no column {id_column!r} in the batch" if id_column not in labels else
                         f"the batch names {id_column!r} more than once: which is the id?")
    id_name = frame.columns[labels.index(id_column)] if id_column is not None else None
    names = [name for name in frame.columns if name != id_name]
    header, column_findings = read_header("", [label for label in labels if label != id_column],
                                          ";" if decimal_comma else ",")
    cells = batch_cells(frame, names)
    ids = row_ids(frame, header, names, id_name)
    today = today or brussels_today()
    delimiter = ";" if decimal_comma else ","
    if FrameValidator.supports(header, service):
        found = FrameValidator(header, today, delimiter).findings(cells)
    else:
        found = _per_row(cells, header, service, today)
    if repeats:
        found = pl.concat([found, _repeats(cells, header, delimiter, ids)]).sort("line", maintain_order=True)
    table = pl.concat([
        pl.DataFrame([finding_row(None, f.issue) for f in column_findings], schema=BATCH_SCHEMA),
        found.with_columns(row_id=ids.gather(found["line"] - 1)).select(*BATCH_SCHEMA),
    ])
    return _like(data, table)


def batch_cells(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """The columns `names` of `frame` as CSV cells (text, "" for null) in the column engine's frame: a "line" (the
    row's position, from 1) and "f0", "f1"..."""
    return frame.select(
        pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias("line"),
        *(pl.col(name).cast(pl.String).fill_null("").alias(field_name(i)) for i, name in enumerate(names)),
    )


def _polars(data: Any) -> tuple[pl.DataFrame, list[str]]:
    """`data` as a polars frame whose columns can be cast to text, named by position (a pandas or pyarrow table
    may name two columns alike: a finding, KBC904, not an error), and the names the data gives its columns."""
    module = type(data).__module__.split(".")[0]
    if isinstance(data, pl.DataFrame):
        labels, frame = list(data.columns), data
    elif module == "pyarrow":
        labels = [str(name) for name in data.column_names]
        frame = pl.from_arrow(data.rename_columns([f"c{i}" for i in range(len(labels))]))  # type: ignore[assignment]
    elif module == "pandas":
        labels = [str(name) for name in data.columns]
        renamed = data.set_axis([f"c{i}" for i in range(len(labels))], axis=1)
        frame = pl.DataFrame([_object_texts(renamed[name]) if renamed[name].dtype == object
                              else pl.from_pandas(renamed[name]) for name in renamed.columns])
    else:
        raise TypeError(
            f"validate_batch takes a pyarrow Table, a pandas or a polars DataFrame, not {type(data).__name__}")
    frame = frame.rename(dict(zip(frame.columns, [f"c{i}" for i in range(frame.width)], strict=True)))
    return frame.with_columns(_texts(frame[name]) for name, kind in frame.schema.items() if not _castable(kind)), labels


def _castable(kind: Any) -> bool:
    """Whether polars casts a column of this type to text (not lists, structs, binary or Python objects)."""
    return not (kind.is_nested() or kind in (pl.Binary, pl.Object))


def _object_texts(column: Any) -> pl.Series:
    """A pandas column of Python objects as text: converted whole (through Arrow) when it holds only strings and
    missing values, as ``pandas.read_csv(dtype=str)`` gives (about fifty times faster than cell by cell); else
    cell by cell, as `_texts` reads mixed and nested values."""
    try:
        whole = pl.from_pandas(column)
    except Exception:  # values Arrow cannot hold in one column (ints and strings...), or no pyarrow
        return _texts(column)
    return whole if isinstance(whole, pl.Series) and whole.dtype == pl.String else _texts(column)


def _texts(column: Any) -> pl.Series:
    """A column of mixed or nested values as text, cell by cell (None for a missing value)."""
    return pl.Series(column.name, [_text(value) for value in column.to_list()], dtype=pl.String)


def _text(value: Any) -> str | None:
    missing = type(value).__name__ in ("NAType", "NaTType")  # pandas' own missing values
    if value is None or missing or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    return str(value)


def _like(data: Any, table: pl.DataFrame) -> Any:
    module = type(data).__module__.split(".")[0]
    if module == "pyarrow":
        return table.to_arrow()
    if module == "pandas":
        return table.to_pandas()
    return table


def row_ids(frame: pl.DataFrame, header: Header, names: list[str], id_column: str | None) -> pl.Series:
    """Each row's id: `id_column`, else its end-to-end identification (its position when it has none)."""
    position = pl.int_range(0, frame.height, dtype=pl.Int64).cast(pl.String)
    if id_column is not None:
        return frame.select(pl.col(id_column).cast(pl.String).fill_null(position)).to_series()
    field = header.column_of.get((E2E,))
    if field is None:
        return frame.select(position).to_series()
    e2e = pl.col(names[field - 1]).cast(pl.String)
    return frame.select(pl.when(e2e.is_null() | (e2e == "")).then(position).otherwise(e2e)).to_series()


def _per_row(cells: pl.DataFrame, header: Header, service: str, today: date) -> pl.DataFrame:
    records = []
    for line, *row in cells.iter_rows():
        for issue in row_issues(row_body(header.columns, row), header, service, today):
            records.append({"line": line, "column": header.column(issue.loc)} | finding_row(None, issue))
    return pl.DataFrame(records, schema=FINDINGS_SCHEMA).select(*FINDINGS_SCHEMA)


def _repeats(cells: pl.DataFrame, header: Header, delimiter: str, ids: pl.Series) -> pl.DataFrame:
    keys = ColumnRepeats(header, delimiter).keys(cells)
    first: dict[str, int] = {}
    records = []
    for line, code, key, shown in keys.filter(pl.col("key").is_duplicated()).iter_rows():
        if key in first:
            issue = repeat_issue(code, shown, f"row {ids[first[key] - 1]!r}")
            records.append({"line": line, "column": 1} | finding_row(None, issue))
        else:
            first[key] = line
    return pl.DataFrame(records, schema=FINDINGS_SCHEMA).select(*FINDINGS_SCHEMA)


def finding_row(row_id: str | None, issue: Issue) -> dict[str, Any]:
    """A row of the findings table."""
    return {"row_id": row_id, "path": issue.path, "cause": str(issue.cause), "code": issue.code,
            "severity": str(issue.severity), "message": issue.message}
