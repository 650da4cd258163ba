"""``--errors-out``: the rows with errors, in the input's delimiter and encoding, with the codes and messages, so
that operations staff can fix them in Excel and send them again.

Cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
are written with a leading apostrophe, so that opening the file runs nothing.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from kbc_validate.causes import Severity
from kbc_validate.findings import Issue

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: formulas are defused with a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


class ErrorsCsv:
    def __init__(self, path: str) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self.rows = 0
        self._csv: Any = None

    def start(self, header: list[str], delimiter: str, encoding: str) -> None:
        """Open the file in the first CSV input's dialect; later inputs are appended to it."""
        if self._handle is not None:
            return
        self._handle = open(self.path, "w", encoding=encoding, errors="replace", newline="")  # noqa: SIM115
        writer = csv.writer(self._handle, delimiter=delimiter)
        writer.writerow([*map(neutralise, header), "kbc_line", "kbc_codes", "kbc_messages"])
        self._csv = writer

    def row(self, line: int, fields: list[str], issues: list[Issue]) -> None:
        errors = [issue for issue in issues if issue.severity is Severity.ERROR]
        if not errors or self._csv is None:
            return
        codes = " ".join(issue.code for issue in errors)
        messages = " | ".join(issue.message for issue in errors)
        self._csv.writerow([*map(neutralise, fields), str(line), codes, neutralise(messages)])
        self.rows += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
