"""Reading back the fix file ``--errors-out`` writes, so that checking it unchanged reports the same problems and
nothing new (`formats.errors_csv` writes it).

A fix file is the input's header plus the columns `csv_columns.FIX_FILE_COLUMNS`. Its cells were neutralised
against spreadsheet formulas (`csv_columns.neutralise`); read back, the apostrophe comes off again. A row the input
could not be read into (ragged, NUL bytes, undecodable, an open quote) is written with its payment cells empty and
its text in ``kbc_raw``: read back, it is reported with the code it had (``KBC903`` or ``KBC905``), not as a payment
with every member missing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from kbc_validate.files.column_names import FIX_FILE_COLUMNS, name_key
from kbc_validate.files.csv_columns import Column, unneutralise, unneutralising
from kbc_validate.files.located import Located, file_finding


@dataclass(frozen=True)
class FixColumns:
    """Where a fix file's own columns are (field numbers from 0)."""

    line: int | None
    codes: int | None
    raw: int | None
    added: int  # how many of the fix file's columns the header has
    delimiter: str


def fix_columns(fields: list[str], delimiter: str) -> FixColumns | None:
    """The fix file's columns in a header, or None when the header is not a fix file's (it has no ``kbc_line``)."""
    keys = [name_key(field) for field in fields]
    where = {key: keys.index(key) for key in map(name_key, FIX_FILE_COLUMNS) if key in keys}
    if name_key("kbc_line") not in where:
        return None
    return FixColumns(where.get("kbcline"), where.get("kbccodes"), where.get("kbcraw"), len(where), delimiter)


def read_as_written(columns: list[Column]) -> list[Column]:
    """The columns of a fix file, whose cells are read after `csv_columns.unneutralise`."""
    return [column._replace(convert=unneutralising(column.convert)) for column in columns]


def unread_row(name: str, start: int, row: list[str], columns: list[Column], fix: FixColumns,
               width: int) -> Located | None:
    """The finding of a row the fix file holds only as text (no payment cell, a ``kbc_raw``), else None."""
    raw = row[fix.raw] if fix.raw is not None else ""
    if not raw or any(row[column.field] for column in columns):
        return None
    codes = row[fix.codes].split() if fix.codes is not None else []
    line = row[fix.line] if fix.line is not None else "?"
    if "KBC903" in codes:
        try:
            count = len(next(csv.reader([unneutralise(raw)], delimiter=fix.delimiter), []))
        except csv.Error:
            count = 0
        if count:
            return file_finding(name, start, 1, "KBC903", value=count, count=count, expected=width - fix.added)
    reason = f"line {line} of the input could not be read; its text is in kbc_raw"
    return file_finding(name, start, 1, "KBC905", reason=reason)
