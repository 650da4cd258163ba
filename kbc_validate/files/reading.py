"""What every kind of payment file is read from (`Input`), and the protocol each kind's reader follows
(`PaymentFile`).

Four kinds, one module each: JSON and JSON Lines (`files.json_input`), CSV (`files.csv_input`) and pain.001 XML
(`files.pain001_input`). A reader is made from the `Input`, which holds everything the command line decided (the
name, `ReadOptions`, the `FileStats` it fills, the `Hooks` it calls), so that an option travels from the command
line to the reader that uses it in one object, whatever the kind. A reader's first pass yields the file's own
findings (syntax, structure) and its payments' findings, in file order; a kind that cannot know on a first pass
which payments repeat (the file is not held in memory) confirms them on a second pass over its payments with their
lines (`second_pass`).
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TYPE_CHECKING, Any, Protocol

from kbc_validate.files.located import FileStats, Found, Located

if TYPE_CHECKING:
    from kbc_validate.findings import Issue
    from kbc_validate.repeats.tracker import RepeatTracker

BUFFER = 1 << 20  # large enough to peek at a CSV file's encoding sample

# (line, fields, findings, the row's text when it could not be read into fields of the header's width, else None)
RowCallback = Callable[[int, list[str], list["Issue"], str | None], None]
HeaderCallback = Callable[[list[str], str, str], None]  # header fields, delimiter, encoding


class InputError(Exception):
    """An input that cannot be read at all (missing, a folder, no permission): a one-line message."""


@dataclass
class ReadOptions:
    service: str | None = None
    today: date | None = None
    delimiter: str | None = None
    encoding: str | None = None
    engine: str = "auto"  # CSV files: "auto" or "compiled": the compiled pass when built, else per row; "rows": per row
    jobs: int | None = None  # the compiled pass's threads (None: one per CPU)
    columns: dict[str, str] = field(default_factory=dict)  # the user's column names (`csv_columns.Mapping`)


@dataclass(frozen=True)
class Hooks:
    """What the command line is told while a file is read: a CSV file's header and rows (``--errors-out``), and
    the bytes read so far (the progress bar)."""

    on_header: HeaderCallback | None = None
    on_row: RowCallback | None = None
    on_progress: Callable[[int], None] | None = None


@dataclass
class Input:
    """One input: a file by name, or ``-`` for standard input, read as `options` say; `stats` counts what is read."""

    name: str
    options: ReadOptions = field(default_factory=ReadOptions)
    stats: FileStats = field(default_factory=FileStats)
    hooks: Hooks = field(default_factory=Hooks)

    @property
    def rereadable(self) -> bool:
        """Whether the input can be read a second time (for the repeated-payment pass): a regular file, not standard
        input, a named pipe or a process substitution (``<(...)``), which a second open would wait on for ever."""
        try:
            return self.name != "-" and stat.S_ISREG(os.stat(self.name).st_mode)
        except OSError:
            return False

    def open(self) -> IO[bytes]:
        """The input's bytes, buffered so that their start can be peeked at."""
        if self.name == "-":
            if sys.stdin is None:  # closed (<&-)
                raise InputError("-: cannot open: standard input is closed")
            raw: Any = sys.stdin.buffer
            return io.BufferedReader(raw.raw, buffer_size=BUFFER)
        try:
            return open(self.name, "rb", buffering=BUFFER)
        except OSError as error:
            raise InputError(f"{self.name}: cannot open: {error.strerror or error}") from None


class PaymentFile(Protocol):
    """The reader of one kind of payment file, made from an `Input`."""

    def findings(self, stream: IO[bytes]) -> Iterator[Found]:
        """Every finding of a first pass over `stream` (the input, opened), in file order: the file's own and its
        payments'. Every payment read is counted in the input's `stats`."""
        ...

    def repeated(self) -> Iterator[Located]:
        """The repeated payments a second pass confirms, after `findings` (none when the first pass found them)."""
        ...


def second_pass(
    source: Input, repeats: RepeatTracker, payments: Callable[[IO[bytes]], Iterable[tuple[int, dict[str, Any]]]]
) -> Iterator[Located]:
    """The repeated payments among those `repeats` noted, confirmed over `payments` (line, body) of the input read
    again; each is placed at its line's first column."""
    if not repeats.candidates:
        return
    if repeats.spooled:  # read once (standard input, a pipe): its keys were kept as they came
        yield from (Located(source.name, line, 1, issue) for line, issue in repeats.confirm_spooled())
        return
    with source.open() as again:
        for line, issue in repeats.confirm_on_disk(payments(again)):
            yield Located(source.name, line, 1, issue)
