"""A CSV payment file validated column by column: the same findings as the per-row path, a table at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import IO

import polars as pl

from kbc_validate.columnar.engine import FrameValidator
from kbc_validate.columnar.repeats import ColumnRepeats
from kbc_validate.columnar.table import FindingTable, records
from kbc_validate.columnar.tokens import Chunk, chunks
from kbc_validate.files.csv_source import CsvReader, Header
from kbc_validate.files.located import FileStats, Located

Reopen = Callable[[], AbstractContextManager[IO[bytes]]]


def validate_rows(
    name: str, reader: CsvReader, stream: IO[bytes], header: Header, *, today: date, stats: FileStats,
    reopen: Reopen, on_progress: Callable[[int], None] | None = None,
) -> Iterator[Located | FindingTable]:
    """The findings of the rows after the header `reader` read from `stream`; repeats last, as on the per-row path."""
    validator = FrameValidator(header, today, stats.delimiter)
    repeats = ColumnRepeats(header, stats.delimiter)
    for chunk in _chunks(name, reader, stream, header, stats):
        stats.rows += chunk.rows
        stats.blank_lines += chunk.blank_lines
        found = validator.findings(chunk.frame)
        repeats.observe(chunk.frame)
        if chunk.problems:
            found = pl.concat([found, records(chunk.problems)]).sort("line", maintain_order=True)
        if found.height:
            yield FindingTable(name, found)
        if on_progress is not None:
            on_progress(chunk.bytes_read)
    repeated = repeats.may_repeat()
    repeats.close()
    if repeated:
        with reopen() as again:
            second = CsvReader(again, FileStats(), stats.delimiter, stats.encoding)
            frames = (chunk.frame for chunk in _chunks(name, second, again, header, stats))
            for line, issue in repeats.confirm(frames):
                yield Located(name, line, 1, issue)


def _chunks(name: str, reader: CsvReader, stream: IO[bytes], header: Header, stats: FileStats) -> Iterator[Chunk]:
    return chunks(
        name, stream, lines_before=reader.lines.number, bytes_before=reader.lines.bytes_read, header=header,
        delimiter=stats.delimiter, encoding=stats.encoding,
    )
