"""A CSV payment file validated column by column: the same findings as the per-row path, a table at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import IO, Any

import polars as pl

from kbc_validate.columnar.engine import FrameValidator
from kbc_validate.columnar.repeats import ColumnRepeats, noted_keys
from kbc_validate.columnar.table import FindingTable, records
from kbc_validate.columnar.tokens import chunks
from kbc_validate.files.csv_source import CsvReader, Header
from kbc_validate.files.located import FileStats, Found, Located

Reopen = Callable[[], AbstractContextManager[IO[bytes]]]


class ColumnFile:
    """One CSV file's single payments, validated whole or piece by piece (a `files.pieces.PieceEngine`); the
    repeated payments last, once every piece is read, as on the per-row path."""

    def __init__(self, name: str, header: Header, today: date, delimiter: str, encoding: str) -> None:
        self.name, self.header, self.delimiter, self.encoding = name, header, delimiter, encoding
        self.validator = FrameValidator(header, today, delimiter)
        self.repeats = ColumnRepeats(header, delimiter)
        self._recorded: list[pl.DataFrame] = []

    def whole(self, reader: CsvReader, stream: IO[bytes], stats: FileStats,
              on_progress: Callable[[int], None] | None) -> Iterator[Found]:
        """The findings of the rows after the header `reader` read from `stream`."""
        return self._rows(stream, stats, reader.lines.number, reader.lines.bytes_read, self.repeats.observe,
                          on_progress)

    def piece(self, stream: IO[bytes], stats: FileStats) -> Iterator[Found]:
        self._recorded = []
        return self._rows(stream, stats, 0, 0, lambda frame: self._recorded.append(self.repeats.hashes(frame)), None)

    def recorded(self) -> bytes:
        """The keys of the piece last validated, made ready for the log (here, not by the process noting them)."""
        schema = {"line": pl.Int64, "hash": pl.UInt64}
        return noted_keys(pl.concat(self._recorded) if self._recorded else pl.DataFrame(schema=schema))

    def note(self, keys: bytes, lines: int) -> None:
        self.repeats.note(keys, lines)

    def _rows(self, stream: IO[bytes], stats: FileStats, lines_before: int, bytes_before: int,
              keys: Callable[[pl.DataFrame], Any], on_progress: Callable[[int], None] | None) -> Iterator[Found]:
        """The findings of `stream`'s rows; `keys` takes each frame of rows for its repetition keys."""
        for chunk in chunks(self.name, stream, lines_before=lines_before, bytes_before=bytes_before,
                            header=self.header, delimiter=self.delimiter, encoding=self.encoding):
            stats.rows += chunk.rows
            stats.blank_lines += chunk.blank_lines
            stats.lines += chunk.lines
            found = self.validator.findings(chunk.frame)
            keys(chunk.frame)
            if chunk.problems:
                found = pl.concat([found, records(chunk.problems)]).sort("line", maintain_order=True)
            if found.height:
                yield FindingTable(self.name, found)
            if on_progress is not None:
                on_progress(chunk.bytes_read)

    def repeated(self, reopen: Reopen) -> Iterator[Located]:
        """The repeated payments (a second pass over the file, only when some may repeat)."""
        if not self.repeats.may_repeat():
            return
        with reopen() as again:
            reader = CsvReader(again, FileStats(), self.delimiter, self.encoding)
            found = chunks(self.name, again, lines_before=reader.lines.number, bytes_before=reader.lines.bytes_read,
                           header=self.header, delimiter=self.delimiter, encoding=self.encoding)
            for line, issue in self.repeats.confirm(chunk.frame for chunk in found):
                yield Located(self.name, line, 1, issue)
