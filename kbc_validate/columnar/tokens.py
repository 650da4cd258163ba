"""A CSV file's rows as frames, every row at its physical line, tokenised exactly as the csv module does.

The file is read in blocks of whole lines. A block is parsed by polars when nothing in it can make the csv module
read it differently from a plain split: no quote, no NUL, no lone carriage return, every line decodes, every line
has the header's number of fields, no field longer than the csv module's limit. Any other block is read by the csv
module itself, line by line, with the per-row reader's findings (blank, unreadable and ragged rows); from the first
block with a quote on, the rest of the file is, since a quoted field may run across lines and blocks.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import polars as pl

from kbc_validate.columnar.engine import field_name
from kbc_validate.files.csv_source import Header, Lines, found_blank, physical_rows, row_problem, unreadable_row
from kbc_validate.files.located import Located

BLOCK_BYTES = 8 << 20
ROWS_PER_FRAME = 1 << 16
# Single-byte encodings in which every ASCII byte is its ASCII character: an ASCII block needs no transcoding.
_ASCII_COMPATIBLE = {"cp1252", "latin-1", "iso8859-15", "ascii"}
_UTF8 = {"utf-8", "utf-8-sig"}


@dataclass
class Chunk:
    frame: pl.DataFrame  # "line", then "f0", "f1"...: the rows to validate
    problems: list[Located] = field(default_factory=list)  # blank, unreadable and ragged rows, in line order
    rows: int = 0  # rows read, valid or not (blank lines are not rows)
    blank_lines: int = 0
    lines: int = 0  # physical lines
    bytes_read: int = 0  # of the whole file so far, for progress


def chunks(
    name: str, stream: IO[bytes], *, lines_before: int, bytes_before: int, header: Header, delimiter: str,
    encoding: str,
) -> Iterator[Chunk]:
    """The rows of `stream` after the header (`lines_before` lines, `bytes_before` bytes), in frames."""
    number, done = lines_before, bytes_before
    while True:
        block = stream.read(BLOCK_BYTES)
        if not block:
            return
        if not block.endswith(b"\n"):
            block += stream.readline()
        if b'"' in block:
            yield from csv_module_chunks(name, itertools.chain(io.BytesIO(block), stream), number, done, header,
                                         delimiter, encoding)
            return
        count = block.count(b"\n") + (not block.endswith(b"\n"))
        frame = parsed(block, number, count, header.width, delimiter, encoding)
        if frame is not None:
            done += len(block)
            yield Chunk(frame, rows=count, lines=count, bytes_read=done)
        else:
            yield from csv_module_chunks(name, io.BytesIO(block), number, done, header, delimiter, encoding)
            done += len(block)
        number += count


def parsed(block: bytes, number: int, count: int, width: int, delimiter: str, encoding: str) -> pl.DataFrame | None:
    """The `count` lines of `block` (the first is line `number` + 1) parsed by polars, or None when the csv
    module could read them differently."""
    codec = codecs.lookup(encoding).name
    if (
        width < 2
        or len(delimiter.encode()) != 1
        or b"\x00" in block
        or block.count(delimiter.encode()) != (width - 1) * count  # with no line longer (see below): no ragged row
        or not _plain_lines(block)
        or _delimiters_only(block, delimiter.encode() * (width - 1))
    ):
        return None
    columns = [field_name(index) for index in range(width)]
    frame = _read(_utf8(block, codec), count, columns, delimiter)
    if frame is None:
        return None
    return frame.select(pl.int_range(number + 1, number + 1 + count, dtype=pl.Int64).alias("line"), *columns)


def _delimiters_only(block: bytes, delimiters: bytes) -> bool:
    """A line of only delimiters (Excel's formatted empty rows) is in `block`: a blank line, for the csv module path."""
    return any(block.startswith(delimiters + end) or (b"\n" + delimiters + end) in block
               for end in (b"\n", b"\r\n")) or block.endswith(b"\n" + delimiters) or block == delimiters


def _read(data: bytes | None, count: int, columns: list[str], delimiter: str) -> pl.DataFrame | None:
    """The `count` lines of the UTF-8 `data` parsed by polars, or None when they are not exactly that."""
    if data is None:
        return None
    try:
        frame = pl.read_csv(
            data, has_header=False, separator=delimiter, quote_char=None, infer_schema=False,
            empty_string_is_null=False, new_columns=columns, truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError:  # a line with more fields than the first
        return None
    return frame if frame.height == count and frame.width == len(columns) else None


def _plain_lines(block: bytes, limit: int | None = None) -> bool:
    """No carriage return but before a line feed, and no line longer than `limit` bytes (the csv module's field
    limit by default: then no field is longer either)."""
    if b"\r" in block:  # (a search, far cheaper than the array's comparison; Excel's files have them throughout)
        data = np.frombuffer(block, dtype=np.uint8)
        returns = np.flatnonzero(data == ord("\r")) + 1
        if returns[-1] == len(block) or (data[returns] != ord("\n")).any():
            return False
    limit = csv.field_size_limit() if limit is None else limit
    start = 0
    while len(block) - start > limit:  # searches, not an array of line ends: about 0.02 ms for 8 MiB
        end = block.rfind(b"\n", start, start + limit + 1)  # the last line feed within `limit` bytes of `start`:
        if end < 0:  # no line from `start` to it is longer than `limit`
            return False
        start = end + 1
    return True


def _utf8(block: bytes, codec: str) -> bytes | None:
    """`block` in UTF-8 for polars, when every line of it decodes in `codec` (and no BOM hides inside)."""
    if codec in _UTF8:
        if codecs.BOM_UTF8 in block:
            return None
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return block
    if codec not in _ASCII_COMPATIBLE:
        return None
    if block.isascii():
        return block
    try:
        return block.decode(codec).encode()
    except UnicodeDecodeError:
        return None


def csv_module_chunks(
    name: str, source: Iterable[bytes], number: int, bytes_before: int, header: Header, delimiter: str,
    encoding: str,
) -> Iterator[Chunk]:
    """The rows of the byte lines `source` (the first is line `number` + 1) read by the csv module, in frames."""
    lines = Lines(source, encoding, number=number)  # type: ignore[arg-type]  # any iterable of byte lines
    reader = csv.reader(lines, delimiter=delimiter)
    chunk, rows, starts, before = Chunk(pl.DataFrame()), [], [], number
    for start, end, row in physical_rows(reader, lines):
        if isinstance(row, csv.Error):
            chunk.rows += 1
            chunk.problems.append(unreadable_row(name, start, row, lines))
            continue
        problem = row_problem(name, start, end, row, lines, header)
        if not found_blank(problem):
            chunk.rows += 1
        else:
            chunk.blank_lines += 1
        if problem is not None:
            chunk.problems.append(problem)
        else:
            rows.append(row)
            starts.append(start)
        if len(rows) >= ROWS_PER_FRAME:
            chunk.lines, before = lines.number - before, lines.number
            yield _finish(chunk, rows, starts, header.width, bytes_before + lines.bytes_read)
            chunk, rows, starts = Chunk(pl.DataFrame()), [], []
    chunk.lines = lines.number - before
    yield _finish(chunk, rows, starts, header.width, bytes_before + lines.bytes_read)


def _finish(chunk: Chunk, rows: list[list[str]], starts: list[int], width: int, bytes_read: int) -> Chunk:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    data = {"line": pl.Series(starts, dtype=pl.Int64)}
    data |= {field_name(index): pl.Series(values, dtype=pl.String) for index, values in enumerate(columns)}
    chunk.frame = pl.DataFrame(data)
    chunk.bytes_read = bytes_read
    return chunk
