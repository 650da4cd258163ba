"""``--errors-out``: the fix file. The CSV rows with errors, in the input's delimiter and encoding, with the codes and
messages, so that operations staff can fix them in Excel and check the file again.

- Every column of the input, then ``kbc_file``, ``kbc_line``, ``kbc_codes``, ``kbc_messages`` and ``kbc_raw``
  (`csv_columns.FIX_FILE_COLUMNS`), which the reader knows: checking the fix file unchanged reports the same
  problems and nothing new (`files.fix_file`).
- A row that could not be read (ragged, NUL bytes, undecodable, inside an open quote) is written too, its payment
  cells empty and its text in ``kbc_raw`` (at most `RAW_CHARS` characters, a spreadsheet cell's limit).
- Cells a spreadsheet would run as a formula are written after an apostrophe (`csv_columns.neutralise`), which the
  reader takes off again, so that every valid value stays valid.
- Inputs with the same header share the file; an input with another header gets a file of its own beside it,
  named after it (``fix.csv`` and ``fix.export-b.csv``), listed by `extra_files`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from kbc_validate.causes import Severity
from kbc_validate.files.column_names import FIX_FILE_COLUMNS
from kbc_validate.files.csv_columns import neutralise
from kbc_validate.findings import Issue

RAW_CHARS = 32_000  # Excel keeps at most 32,767 characters in a cell


class ErrorsCsv:
    def __init__(self, path: str) -> None:
        self.path = path
        self.rows = 0
        self._files: dict[tuple[tuple[str, ...], str, str], tuple[IO[str], Any]] = {}
        self._input = ""
        self._current: Any = None
        self._width = 0
        self.extra_files: list[str] = []

    def begin(self, name: str) -> None:
        """The next input's rows follow (until its header is met, they go nowhere)."""
        self._input, self._current = name, None

    @property
    def started(self) -> bool:
        """Whether the current input is a CSV file whose header was met."""
        return self._current is not None

    def start(self, header: list[str], delimiter: str, encoding: str) -> None:
        """The current input's header: its rows go to the file of inputs with this header and dialect."""
        key = (tuple(header), delimiter, encoding)
        if key not in self._files:
            path = self._path_for(len(self._files))
            handle = open(path, "w", encoding=encoding, errors="replace", newline="")  # noqa: SIM115
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow([*map(neutralise, header), *FIX_FILE_COLUMNS])
            self._files[key] = (handle, writer)
        self._current, self._width = self._files[key][1], len(header)

    def _path_for(self, index: int) -> str:
        if index == 0:
            return self.path
        target = Path(self.path)
        path = str(target.with_name(f"{target.stem}.{Path(self._input).stem or 'stdin'}{target.suffix}"))
        while path == self.path or path in self.extra_files:
            path = str(Path(path).with_stem(Path(path).stem + "-" + str(index)))
        self.extra_files.append(path)
        return path

    def row(self, line: int, fields: list[str], issues: list[Issue], raw: str | None = None) -> None:
        """A row with findings (written when some are errors); `raw`: the text of a row that could not be read."""
        errors = [issue for issue in issues if issue.severity is Severity.ERROR]
        if not errors or self._current is None:
            return
        codes = " ".join(issue.code for issue in errors)
        messages = " | ".join(issue.message for issue in errors)
        cells = [""] * self._width if raw is not None else fields
        raw_cell = "" if raw is None else raw if len(raw) <= RAW_CHARS else raw[:RAW_CHARS] + "…"
        extra = [self._input, str(line), codes, messages, raw_cell]
        self._current.writerow([*map(neutralise, cells), *map(neutralise, extra)])
        self.rows += 1

    def close(self) -> None:
        for handle, _ in self._files.values():
            handle.close()
