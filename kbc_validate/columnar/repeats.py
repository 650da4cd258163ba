"""Repeated payments (``KBC907``, ``KBC908``) of a table, column by column: the key `repeats.tracker.payment_keys`
makes of each row, made by polars expressions from the cells (by `payment_keys` itself for rows whose account
cells are not ASCII), for `columnar.batch` and the Dask integration to find the keys met more than once."""

from __future__ import annotations

import polars as pl

from kbc_validate.columnar.engine import STRUCTURED, UNSTRUCTURED, ascii_cells, converted, field_name
from kbc_validate.files.csv_columns import Column, row_body
from kbc_validate.files.csv_source import Header
from kbc_validate.repeats.tracker import SEPARATOR, payment_keys

_KEYS = {"line": pl.Int64, "code": pl.String, "key": pl.String, "shown": pl.String}


class ColumnRepeats:
    def __init__(self, header: Header, delimiter: str) -> None:
        self.header, self.delimiter = header, delimiter
        by_path = {(*c.parents, c.member): c for c in header.columns}
        self._e2e = by_path.get(("endToEndIdentification",))
        self._accounts = [c for c in header.columns if c.parents[:1] == ("creditorAccount",)]
        self._amounts = [c for c in header.columns if c.parents[:1] == ("instructedAmount",)]
        self._iban = by_path.get(("creditorAccount", "iban"))
        self._amount = by_path.get(("instructedAmount", "amount"))
        self._reference = by_path.get((STRUCTURED, "reference"))
        self._unstructured = by_path.get((UNSTRUCTURED,))

    def keys(self, frame: pl.DataFrame) -> pl.DataFrame:
        """(line, code, key, shown) of every key of `frame`'s rows, in line order, KBC907 before KBC908."""
        simple = ascii_cells(self._accounts)
        parts = [self._frame_keys(frame.filter(simple)), self._python_keys(frame.filter(~simple))]
        return pl.concat(parts).sort("line", "code")

    def _frame_keys(self, frame: pl.DataFrame) -> pl.DataFrame:
        parts = []
        if self._e2e is not None:
            e2e = pl.col(field_name(self._e2e.field))
            parts.append(frame.filter(e2e != "").select(
                "line", code=pl.lit("KBC907"), key=_e2e_key(e2e), shown=e2e))
        if self._accounts and self._amounts:
            present = _any(self._accounts) & _any(self._amounts)
            parts.append(frame.filter(present).select(
                "line", code=pl.lit("KBC908"), key=self._payment_key(), shown=pl.lit(None, dtype=pl.String)))
        return pl.concat(parts) if parts else pl.DataFrame(schema=_KEYS)

    def _payment_key(self) -> pl.Expr:
        return pl.concat_str(
            pl.lit(f"pay{SEPARATOR}"), self._or_none(self._iban), pl.lit(SEPARATOR), self._or_none(self._amount),
            pl.lit(SEPARATOR), self._reference_expr(),
        )

    def _or_none(self, column: Column | None) -> pl.Expr:
        """The converted cell, or "None" when empty (the key is made with ``dict.get``)."""
        if column is None:
            return pl.lit("None")
        cell = pl.col(field_name(column.field))
        return pl.when(cell == "").then(pl.lit("None")).otherwise(converted(column, self.delimiter))

    def _reference_expr(self) -> pl.Expr:
        reference: pl.Expr = pl.lit("")
        for column in (self._unstructured, self._reference):  # the structured reference first, when non-empty
            if column is not None:
                cell = pl.col(field_name(column.field))
                reference = pl.when(cell != "").then(cell).otherwise(reference)
        return reference

    def _python_keys(self, frame: pl.DataFrame) -> pl.DataFrame:
        records = []
        for line, *row in frame.iter_rows():
            for code, key, shown in payment_keys(row_body(self.header.columns, row)):
                records.append({"line": line, "code": code, "key": key, "shown": shown})
        return pl.DataFrame(records, schema=_KEYS)


def _e2e_key(e2e: pl.Expr) -> pl.Expr:
    """The KBC907 key `payment_keys` makes (`keys` must make the same for every row: the repeats are found by
    comparing them)."""
    return pl.concat_str(pl.lit(f"e2e{SEPARATOR}"), e2e)


def _any(columns: list[Column]) -> pl.Expr:
    return pl.any_horizontal([pl.col(field_name(c.field)) != "" for c in columns])
