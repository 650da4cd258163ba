"""A large CSV file validated on several cores: its body cut at line ends into pieces (byte ranges), which every
process (this one and the worker processes of `piece_worker`) claims in file order; this process writes out each
piece's findings as soon as it is the piece's turn, and validates a piece itself only while the piece whose turn it
is is not ready. The findings come out in file order, as one process reading the whole file would give them.

- Only a file that can be cut anywhere at a line end is: a regular file, in an encoding where byte 0x0A is always a
  line feed, with no quote after the header (a quoted field may run across lines). Any other file is read whole.
- A piece's findings are numbered from the piece's first line, and moved down by the lines before it.
- Repeated payments: every piece records its keys (as hashes, with their lines), which this process logs, moved down
  like the findings, when it takes in the piece: the repeated hashes, and then the second pass, are those of one
  process.
- Workers are fresh interpreters, not forks (the column engine's thread pools do not survive a fork). A worker that
  fails costs time, not findings: its unfinished piece is validated here.
"""

from __future__ import annotations

import codecs
import io
import os
import pickle
import stat
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from kbc_validate.files.located import FileStats, Found

# Each process of a split file does one core's work: polars's own thread pool in each (a thread a core) only makes
# the processes' threads contend (measured: about 7% slower on two cores). A POLARS_MAX_THREADS the user set is kept.
ONE_THREAD = "1"

_SCAN_BYTES = 8 << 20  # read at a time when looking for a quote

# Encodings in which bytes 0x0A and 0x22 only ever stand for a line feed and a quote.
LINE_SAFE = {"utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-15", "ascii"}


@dataclass(frozen=True)
class Split:
    """How a file may be split: `jobs` processes in all (this one too), pieces of about `piece_bytes`, and only
    for a body of at least `min_bytes` (a worker's start-up must pay for itself)."""

    jobs: int
    piece_bytes: int
    min_bytes: int


# Per engine: the column engine validates about 30 MB/s a core and starts in about 0.4 s; the per-row path about
# 4 MB/s and 0.15 s. Pieces are small enough that the last ones keep both cores busy. The column engine's are 4 MiB:
# as fast as 8 MiB on 1M and 4M rows, and polars' allocator then settles at about 355 MiB for two processes
# within a few pieces (8 MiB: about 450 MiB at 1M rows, still growing to about 515 MiB at 4M).
SPLITS = {"columns": (4 << 20, 32 << 20), "rows": (1 << 20, 4 << 20)}


def default_jobs() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def split_for(engine: str, jobs: int | None) -> Split:
    piece_bytes, min_bytes = SPLITS[engine]
    return Split(default_jobs() if jobs is None else jobs, piece_bytes, min_bytes)


@dataclass(frozen=True)
class Job:
    """What a worker needs to validate pieces of a file as this process does (sent to it as JSON)."""

    name: str  # as findings name the file
    path: str  # absolute, to open
    service: str
    today: str  # ISO date: the run's one "today"
    delimiter: str
    encoding: str
    engine: str  # "rows" or "columns"
    mapping: dict[str, str] = field(default_factory=dict)  # the user's column names (`csv_columns.Mapping`)


class PieceEngine(Protocol):
    """An engine that validates a file whole or piece by piece (`files.csv_source.RowFile`,
    `columnar.csv_file.ColumnFile`)."""

    def whole(self, reader: Any, stream: IO[bytes], stats: FileStats,
              on_progress: Callable[[int], None] | None) -> Iterator[Found]:
        """The findings of the rest of the file whose header `reader` (a `CsvReader`) read from `stream`."""
        ...

    def piece(self, stream: IO[bytes], stats: FileStats) -> Iterator[Found]:
        """The findings of one piece, numbered from its first line; its repetition keys are kept for `recorded`."""
        ...

    def recorded(self) -> Any:
        """The repetition keys the last piece met (picklable), numbered as its findings are."""
        ...

    def note(self, keys: Any, lines: int) -> None:
        """Note the `recorded` keys of a piece `lines` lines down the file (pieces are noted in file order)."""
        ...


def plan(path: str, body_start: int, encoding: str, split: Split) -> list[tuple[int, int]] | None:
    """The pieces (start, end byte offsets) of the file's body from `body_start`, or None to read it whole."""
    if split.jobs < 2 or codecs.lookup(encoding).name not in LINE_SAFE:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    size = status.st_size
    if not stat.S_ISREG(status.st_mode) or size - body_start < max(split.min_bytes, 1):
        return None
    # Read, not mapped: the pages of a mapping count in this process's resident set, the whole file's by the end.
    with open(path, "rb") as handle:
        handle.seek(body_start)
        while block := handle.read(_SCAN_BYTES):
            if b'"' in block:
                return None
        cuts = [body_start]
        for offset in range(body_start + split.piece_bytes, size, split.piece_bytes):
            end = _line_end(handle, max(offset, cuts[-1]))
            if end is None or end >= size:
                break
            cuts.append(end)
    return [*zip(cuts, [*cuts[1:], size], strict=True)]


def _line_end(handle: IO[bytes], offset: int) -> int | None:
    """The offset just past the first line feed at or after `offset`, or None when there is none."""
    handle.seek(offset)
    while block := handle.read(1 << 16):
        found = block.find(b"\n")
        if found != -1:
            return offset + found + 1
        offset += len(block)
    return None


def open_piece(path: str, start: int, end: int) -> IO[bytes]:
    """The bytes of one piece, as a buffered stream (a piece is a few MiB: read at once)."""
    with open(path, "rb") as handle:
        handle.seek(start)
        return io.BufferedReader(io.BytesIO(handle.read(end - start)))


def validate_pieces(
    make_engine: Callable[[], PieceEngine], job: Job, pieces: list[tuple[int, int]], split: Split, *,
    lines_before: int, stats: FileStats, on_progress: Callable[[int], None] | None = None,
) -> Generator[Found, None, PieceEngine]:
    """The findings of every piece, in file order; `stats` counts what every process read. The engine is made once
    the workers are starting (their start-up and this process's overlap); it is returned, for what follows."""
    from kbc_validate.files.piece_worker import Worker  # the worker's module imports this one

    board = Board(pieces)
    with tempfile.TemporaryDirectory(prefix="kbc-validate-") as folder, ExitStack() as crew:
        for _ in range(min(split.jobs, len(pieces)) - 1):  # no worker that could have no piece
            with suppress(OSError):  # a worker that cannot start: this process validates more pieces
                crew.enter_context(Worker(job, board, Path(folder)))
        engine = make_engine()
        held: dict[int, Validated] = {}  # pieces validated here ahead of their turn
        offset = lines_before
        for turn in range(len(pieces)):
            # Until the piece whose turn it is can go out, validate the next one here.
            while turn not in held and not board.ready(turn) and (index := board.claim()) is not None:
                part = FileStats()
                found = _validate_here(engine, job, pieces[index], part)
                if index == turn:  # its findings go out as they are found
                    yield from (item.moved(offset) for item in found)
                    found = iter(())
                held[index] = Validated(list(found), part, engine.recorded())
                board.settle(index, None, here=True)
            piece = held.pop(turn, None) or _fetch(board, turn, engine, job)
            yield from (item.moved(offset) for item in piece.found)
            engine.note(piece.keys, offset)
            offset += _count(stats, piece.stats)
            if on_progress is not None:
                on_progress(board.done_bytes)
    return engine


@dataclass
class Validated:
    """A validated piece: its findings (numbered from its first line), counts and recorded keys."""

    found: list[Found]
    stats: FileStats
    keys: Any


def _fetch(board: Board, index: int, engine: PieceEngine, job: Job) -> Validated:
    """A piece a worker claimed: its results, or (its worker failed) validated here."""
    result = board.wait(index)
    if result is None:
        part = FileStats()
        return Validated(list(_validate_here(engine, job, board.pieces[index], part)), part, engine.recorded())
    with result.open("rb") as handle:
        found, part, keys = pickle.load(handle)  # written by our own worker, in our own folder
    result.unlink()
    return Validated(found, part, keys)


def _validate_here(engine: PieceEngine, job: Job, piece: tuple[int, int], part: FileStats) -> Iterator[Found]:
    with open_piece(job.path, *piece) as stream:
        yield from engine.piece(stream, part)


def _count(stats: FileStats, part: FileStats) -> int:
    """Add a piece's counts to the file's; its number of lines."""
    stats.rows += part.rows
    stats.blank_lines += part.blank_lines
    stats.lines += part.lines
    return part.lines


class Board:
    """Which process validates which piece: every process claims the next piece of the file; a piece a worker
    validated is settled with the file of its results (None: its worker failed, validate it here)."""

    def __init__(self, pieces: list[tuple[int, int]]) -> None:
        self.pieces = pieces
        self.next = 0
        self.done_bytes = pieces[0][0] if pieces else 0  # the header's, then every finished piece's
        self._results: dict[int, Path | None] = {}
        self._changed = threading.Condition()

    def claim(self) -> int | None:
        with self._changed:
            if self.next >= len(self.pieces):
                return None
            self.next += 1
            return self.next - 1

    def settle(self, index: int, result: Path | None, *, here: bool = False) -> None:
        with self._changed:
            if here or result is not None:
                start, end = self.pieces[index]
                self.done_bytes += end - start
            if not here:
                self._results[index] = result
            self._changed.notify_all()

    def ready(self, index: int) -> bool:
        with self._changed:
            return index in self._results

    def wait(self, index: int) -> Path | None:
        with self._changed:
            self._changed.wait_for(lambda: index in self._results)
            return self._results.pop(index)
