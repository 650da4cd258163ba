"""One input of the command line (a ``.json``, ``.jsonl`` or ``.csv`` file, or ``-`` for standard input) read
into located findings, whatever its kind."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from kbc_validate.files.csv_source import ColumnEngine, HeaderCallback, RowCallback, csv_bodies, validate_csv
from kbc_validate.files.json_source import json_lines_payments, validate_json_lines, validate_json_text
from kbc_validate.files.line_feeds import with_line_feeds
from kbc_validate.files.located import FileStats, Found, Located, file_finding
from kbc_validate.files.pieces import split_for
from kbc_validate.files.repeats import RepeatTracker

KINDS = ("json", "jsonl", "csv")
_CSV_BUFFER = 1 << 20


class InputError(Exception):
    """An input that cannot be read at all (missing, a folder, no permission): a one-line message."""


def recognise_service(body: Any) -> str:
    """The service a body's shape belongs to: a ``payments`` list is bulk; ``frequency`` or ``startDate``
    periodic; anything else a single payment."""
    if isinstance(body, dict):
        if isinstance(body.get("payments"), list):
            return "bulk-payments"
        if "frequency" in body or "startDate" in body:
            return "periodic-payments"
    return "payments"


def input_kind(name: str, head: bytes = b"") -> str:
    """The kind of an input, from its extension, or for standard input from its first characters."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in KINDS:
        return suffix
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        first_line = head.split(b"\n", 1)[0].strip()
        return "jsonl" if start == b"{" and first_line.endswith(b"}") and head.count(b"\n{") else "json"
    return "csv"


@dataclass
class ReadOptions:
    service: str | None = None
    today: date | None = None
    delimiter: str | None = None
    encoding: str | None = None
    # "auto": the compiled pass when built, else the column engine when installed; "compiled"; "rows": per row;
    # "columns": column engine
    engine: str = "auto"
    jobs: int | None = None  # processes for a large CSV file (None: one per CPU; 1: this process only)


def read_input(
    name: str,
    options: ReadOptions,
    stats: FileStats,
    *,
    on_header: HeaderCallback | None = None,
    on_row: RowCallback | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Found]:
    """Every finding of one input, in file order (repeated payments of a CSV file come last)."""
    stream = _open(name)
    with stream:
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        kind = input_kind(name, head)
        if kind == "csv":
            yield from _read_csv(name, stream, options, stats, (on_header, on_row, on_progress))
            return
        if kind == "json":
            text, problem = _decode(name, stream.read(), options.encoding)
            if problem is not None:
                stats.rows += 1
                yield problem
                return
            repeats = RepeatTracker(exact=True)  # the whole document is in memory already
            yield from validate_json_text(
                name, text, options.service, recognise_service, options.today, stats, repeats=repeats
            )
            return
        yield from _read_json_lines(name, stream, options, stats)


def rereadable(name: str) -> bool:
    """Whether `name` can be read a second time (for the repeated-payment pass): a regular file, not standard input,
    a named pipe or a process substitution (``<(...)``), which a second open would wait on for ever."""
    try:
        return name != "-" and stat.S_ISREG(os.stat(name).st_mode)
    except OSError:
        return False


def _read_json_lines(name: str, stream: IO[bytes], options: ReadOptions, stats: FileStats) -> Iterator[Located]:
    repeats = RepeatTracker(exact=not rereadable(name))
    problems: list[Located] = []
    lines = _decoded_lines(name, stream, options.encoding, problems)
    for located in validate_json_lines(name, lines, options.service, recognise_service, options.today, stats, repeats):
        yield from _drain(problems, stats)
        yield located
    yield from _drain(problems, stats)
    if repeats.candidates:
        with _open(name) as again:
            payments = json_lines_payments(_decoded_lines(name, again, options.encoding, []))
            for line, issue in repeats.confirm(payments):
                yield Located(name, line, 1, issue)


def _drain(problems: list[Located], stats: FileStats) -> Iterator[Located]:
    while problems:
        stats.rows += 1  # an undecodable line is a payment read (validate_json_lines saw it blank)
        stats.blank_lines -= 1
        yield problems.pop(0)


def _decoded_lines(name: str, stream: IO[bytes], encoding: str | None, problems: list[Located]) -> Iterator[str]:
    """The lines of a JSON Lines stream; a line that does not decode is noted in `problems` and left blank."""
    for number, raw in enumerate(stream, start=1):
        text, problem = _decode(name, raw, encoding, first_line=number)
        if problem is not None:
            problems.append(problem)
        yield text


def input_size(name: str) -> int | None:
    try:
        return None if name == "-" else Path(name).stat().st_size
    except OSError:
        return None


def _read_csv(
    name: str, stream: IO[bytes], options: ReadOptions, stats: FileStats,
    hooks: tuple[HeaderCallback | None, RowCallback | None, Callable[[int], None] | None],
) -> Iterator[Found]:
    on_header, on_row, on_progress = hooks
    if options.service == "bulk-payments":
        raise InputError(f"{name}: a CSV row is one payment; --service bulk-payments applies to JSON bodies only")
    twice = rereadable(name)
    repeats = RepeatTracker(exact=not twice)
    compiled = _compiled_threads(twice, options, on_row)
    columns = None if compiled is not None else _column_engine(name, twice, options, on_row)
    # Rows wanted one by one (--errors-out) are met in this process only.
    split = split_for("columns" if columns else "rows", options.jobs) if twice and on_row is None else None
    yield from validate_csv(
        name, stream, service=options.service, today=options.today, stats=stats, repeats=repeats,
        delimiter=options.delimiter, encoding=options.encoding, on_header=on_header, on_row=on_row,
        on_progress=on_progress, columns=columns, split=split, compiled=compiled,
    )
    if repeats.candidates:
        with _open_csv(name) as again:
            for line, issue in repeats.confirm(csv_bodies(again, stats.delimiter, stats.encoding)):
                column = 1
                yield Located(name, line, column, issue)


def _compiled_threads(twice: bool, options: ReadOptions, on_row: RowCallback | None) -> int | None:
    """The compiled pass's threads, when it is asked for or (``auto``) built, for a file that can be read `twice`,
    unless rows are wanted one by one (``--errors-out``)."""
    if options.engine not in ("auto", "compiled") or not twice or on_row is not None:
        return None
    from kbc_validate.files import compiled_csv

    if not compiled_csv.available():
        return None
    return options.jobs or compiled_csv.default_threads()


def _column_engine(name: str, twice: bool, options: ReadOptions, on_row: RowCallback | None) -> ColumnEngine | None:
    """The column engine, when asked for or (``auto``) installed, for a file that can be read twice, unless rows
    are wanted one by one (``--errors-out``)."""
    if options.engine == "rows" or not twice or on_row is not None:
        return None
    if options.engine == "auto":
        from kbc_validate.columnar import available

        if not available():
            return None
    return ColumnEngine(reopen=lambda: _open_csv(name))


def _open(name: str) -> IO[bytes]:
    if name == "-":  # streamed, with a buffer large enough to peek at the encoding sample
        raw: Any = sys.stdin.buffer
        return io.BufferedReader(raw.raw, buffer_size=_CSV_BUFFER)
    try:
        return open(name, "rb", buffering=_CSV_BUFFER)
    except OSError as error:
        raise InputError(f"{name}: cannot open: {error.strerror or error}") from None


def _open_csv(name: str) -> IO[bytes]:
    """A CSV file opened again (for the second pass), read as the first pass read it."""
    return with_line_feeds(_open(name), _CSV_BUFFER)[0]


def _decode(name: str, data: bytes, encoding: str | None, first_line: int = 1) -> tuple[str, Located | None]:
    """The text of JSON bytes, or a KBC900 finding at the first byte that does not decode (and no text)."""
    try:
        return data.decode(encoding or "utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = first_line + before.count(b"\n")
        column = error.start - (before.rfind(b"\n") + 1) + 1
        reason = f"byte 0x{data[error.start]:02x} is not {encoding or 'UTF-8'} (JSON is UTF-8)"
        return "", file_finding(name, line, column, "KBC900", reason=reason)
