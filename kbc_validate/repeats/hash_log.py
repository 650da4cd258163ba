"""Which repetition keys of a file occur more than once, found exactly in memory that stays flat however large the
file: every key's 64-bit hash is logged with its line (16 bytes a key), past the first `SPILL_KEYS` keys on disk, in
temporary files by the hashes' top bits; once the file is read, the log is read back in partitions of about
`PARTITION_KEYS` keys (a file of more split again by the next bits), each partition's hashes met twice collected.

Equal keys have equal hashes, so every repeated key's hash is among those found; a hash found twice may still be
two different keys (a one in 2**64 coincidence), which the second pass over the file, comparing keys, rules out.
The compiled extension (`kbc_validate.extension`), when built, does each partition's work; else numpy, when
installed (the ``fast`` extra); else plain Python.
"""

from __future__ import annotations

import bisect
import io
import itertools
import mmap
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any

# Keys held in memory at once while looking for repeats: 64 MiB of them with numpy (a million rows' keys are one
# partition); in plain Python, a set of 256k integers (about 25 MiB).
# The compiled pass's sort copies only the hashes: 256k keys take 4 MiB of log and 2 MiB of hashes, and the hashes
# met twice come back as a list of Python integers (up to 128k of them, 5 MiB).
PARTITION_KEYS = {"compiled": 1 << 18, "numpy": 1 << 22, "python": 1 << 18}
# Keys held in memory as they are added (4 MiB): a log of no more is never written to disk. Beyond that, every key is
# written to one of 2**_SPILL_BITS temporary files by the top bits of its hash as it is added, so that the log needs
# no split once the file is read (a million rows' 2M keys: 16 partitions of 125k keys, each read back once).
SPILL_KEYS = 1 << 18
_SPILL_BITS = 4
_CHUNK_KEYS = 1 << 16  # keys read from the log at a time


class Hashes(Set[int]):
    """A set of 64-bit hashes held as a sorted ``array("Q")``: 8 bytes a hash (a frozenset of Python integers takes
    about 70), looked up by bisection; equal to any set of the same hashes."""

    def __init__(self, ordered: Iterable[int] = ()) -> None:
        self._values = ordered if isinstance(ordered, array) else array("Q", ordered)

    def __contains__(self, digest: object) -> bool:
        at = bisect.bisect_left(self._values, digest)
        return at < len(self._values) and self._values[at] == digest

    @property
    def ordered(self) -> array[int]:
        """The hashes in increasing order (for a caller that bisects them itself, on a hot path)."""
        return self._values

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[int]:
        return iter(self._values)

    def extend(self, ordered: Hashes) -> None:
        """Add hashes all greater than these (the next partition's, by top bits)."""
        self._values.extend(ordered._values)


@dataclass(frozen=True)
class Repeated:
    """The hashes met more than once, and the last line holding one of them (0 when there are none)."""

    hashes: Hashes
    last_line: int


NONE_REPEATED = Repeated(Hashes(), 0)


class HashLog:
    """The (hash, line) of every key noted: held as they come up to `SPILL_KEYS` of them, then written by the top
    `_SPILL_BITS` bits of their hashes to as many temporary files (made by the first spill, closed by `repeated`), so
    that once the file is read the log's partitions are there to be read back one by one."""

    def __init__(self, partition_keys: int | None = None) -> None:
        self._held: list[bytes] = []  # pairs not yet written, as they were added (no copy)
        self._held_keys = 0
        self._files = ExitStack()
        self._parts: list[IO[bytes]] = []  # by the top bits of the hashes, once keys were spilled
        self.keys = 0
        self.partition_keys = partition_keys  # None: `PARTITION_KEYS` of the sorter at hand

    def add(self, pairs: array[int] | bytes, lines: int = 0) -> None:
        """Log keys given as unsigned 64-bit (hash, line) pairs, one after the other: an ``array("Q")`` or the bytes
        of one (a numpy array's ``tobytes()``, native byte order), of rows `lines` lines further down than they say
        (a piece's keys, numbered from the piece's first line)."""
        data = pairs.tobytes() if isinstance(pairs, array) else pairs
        if not data:
            return
        if lines:
            data = _moved(data, lines)
        self._held.append(data)
        self._held_keys += len(data) // 16
        self.keys += len(data) // 16
        if self._parts or self._held_keys >= SPILL_KEYS:
            self._spill()

    def _spill(self) -> None:
        if not self._parts:
            self._parts = [self._files.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - closed by `repeated`
                           for _ in range(1 << _SPILL_BITS)]
        for data in self._held:
            for part, piece in zip(self._parts, _split(data, 64 - _SPILL_BITS, len(self._parts)), strict=True):
                if piece:
                    part.write(piece)
        self._held, self._held_keys = [], 0

    def repeated(self, threads: int = 1) -> Repeated:
        """The hashes logged more than once and the last line holding one; the log is closed (and deleted). A log
        spilled to its partitions' files is looked at on up to `threads` threads when the extension does it (it
        releases the GIL), a partition a thread."""
        most = self.partition_keys or PARTITION_KEYS[_sorter()]
        with self._files:
            if not self._parts:  # all in memory
                data, self._held = b"".join(self._held), []
                if len(data) // 16 <= most:
                    return _partition_repeats(data)
                return _repeats_in(io.BytesIO(data), len(data) // 16, 0, most)
            self._spill()
            return _merged(_each(lambda part: _repeats_in(part, part.tell() // 16, _SPILL_BITS, most), self._parts,
                                 threads))


def _each(look: Callable[[IO[bytes]], Repeated], parts: list[IO[bytes]], threads: int) -> Iterator[Repeated]:
    """`look` at each of `parts`, in order: on up to `threads` threads when the extension finds the repeats."""
    if threads < 2 or len(parts) < 2 or _sorter() != "compiled":
        return map(look, parts)
    with ThreadPoolExecutor(min(threads, len(parts)), thread_name_prefix="kbc-repeats") as pool:
        return iter(list(pool.map(look, parts)))


def _repeats_in(log: IO[bytes], keys: int, bits: int, most: int) -> Repeated:
    """The repeats among the `keys` keys of `log` (whose hashes share their top `bits` bits), read back in partitions
    of about `most` keys by the next bits of the hashes."""
    more = max(0, (keys - 1) // most).bit_length()  # 2**more partitions
    if more == 0:
        return _mapped_repeats(log)
    log.seek(0)
    return _merged(_mapped_repeats(part) for part in _partitions(log, 64 - bits - more, 1 << more))


def _mapped_repeats(log: IO[bytes]) -> Repeated:
    """The repeats among the keys of a partition's file, mapped in memory: read where they are in the page cache, with
    no copy (a temporary file of this process's own, which nothing else truncates)."""
    log.flush()
    size = os.fstat(log.fileno()).st_size
    if not size:
        return NONE_REPEATED
    with mmap.mmap(log.fileno(), size, access=mmap.ACCESS_READ) as data:
        return _partition_repeats(data)


def sorted_pairs(hashes: Any, lines: Any) -> bytes:
    """The (hash, line) pairs of two numpy arrays, in order of their hashes, as `HashLog.add` takes them: the log
    then finds repeats faster (each piece sorted by the process that read it)."""
    import numpy

    order = numpy.argsort(hashes)
    pairs = numpy.empty((len(order), 2), dtype=numpy.uint64)
    pairs[:, 0] = hashes[order]
    pairs[:, 1] = lines[order]
    data: bytes = pairs.tobytes()
    return data


def _moved(data: bytes, lines: int) -> bytes:
    """(hash, line) pairs with `lines` added to every line."""
    numpy = _numpy()
    if numpy is not None:
        pairs = numpy.frombuffer(data, dtype=numpy.uint64).reshape(-1, 2).copy()
        pairs[:, 1] += numpy.uint64(lines)
        moved: bytes = pairs.tobytes()
        return moved
    values = array("Q", data)
    for index in range(1, len(values), 2):
        values[index] += lines
    return values.tobytes()


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK_KEYS * 16):
        yield chunk


def _partitions(log: IO[bytes], shift: int, count: int) -> Iterator[IO[bytes]]:
    """The log split by the bits of its hashes from bit `shift` up (modulo `count`, a power of two) into as many
    temporary files, each rewound in turn."""
    with ExitStack() as files:
        parts = [files.enter_context(tempfile.TemporaryFile()) for _ in range(count)]
        for chunk in _chunks(log):
            for index, data in enumerate(_split(chunk, shift, count)):
                if data:
                    parts[index].write(data)
        for part in parts:
            part.seek(0)
            yield part


def _split(chunk: bytes, shift: int, count: int) -> Sequence[bytes | memoryview]:
    """The pairs of `chunk` by ``hash >> shift`` modulo `count` (a power of two), into `count` pieces."""
    if _sorter() == "compiled":
        ordered, starts = _compiled().split(chunk, shift, count)
        view = memoryview(ordered)
        return [view[start:end] for start, end in itertools.pairwise(starts)]
    numpy = _numpy()
    if numpy is not None:
        pairs = numpy.frombuffer(chunk, dtype=numpy.uint64).reshape(-1, 2)
        part = ((pairs[:, 0] >> numpy.uint64(shift)) & numpy.uint64(count - 1)).astype(numpy.intp)
        order = numpy.argsort(part, kind="stable")
        bounds = numpy.searchsorted(part[order], numpy.arange(count + 1))
        ordered = pairs[order]
        return [ordered[start:end].tobytes() for start, end in itertools.pairwise(bounds)]
    values = array("Q", chunk)
    buckets = [array("Q") for _ in range(count)]
    for index in range(0, len(values), 2):
        buckets[(values[index] >> shift) & (count - 1)].extend(values[index:index + 2])
    return [bucket.tobytes() for bucket in buckets]


def _partition_repeats(data: bytes | mmap.mmap) -> Repeated:
    """The repeats among the keys of one partition (all of it in memory, or its file mapped)."""
    if not len(data):
        return NONE_REPEATED
    if _sorter() == "compiled":  # read where it is
        hashes, last_line = _compiled().repeated(data)  # in increasing order
        return Repeated(Hashes(hashes), last_line) if hashes else NONE_REPEATED
    numpy = _numpy()
    if numpy is not None:
        pairs = numpy.frombuffer(data, dtype=numpy.uint64).reshape(-1, 2)
        # A stable sort (a merge sort, for 64-bit integers) takes runs already in order at little cost: keys added
        # in order of their hashes, a piece at a time (`sorted_pairs`), make a partition of such runs.
        ordered = numpy.sort(pairs[:, 0], kind="stable")
        twice = numpy.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        if not twice.size:
            return NONE_REPEATED
        lines = pairs[:, 1][numpy.isin(pairs[:, 0], twice)]
        return Repeated(Hashes(array("Q", twice.tobytes())), int(lines.max()))  # unique: sorted
    values = array("Q")
    values.frombytes(data)
    seen: set[int] = set()
    twice_seen: set[int] = set()
    for digest in values[0::2]:
        if digest in seen:
            twice_seen.add(digest)
        else:
            seen.add(digest)
    if not twice_seen:
        return NONE_REPEATED
    last = max(line for digest, line in zip(values[0::2], values[1::2], strict=True) if digest in twice_seen)
    return Repeated(Hashes(sorted(twice_seen)), last)


def _merged(parts: Iterator[Repeated]) -> Repeated:
    """The repeats of the partitions, in the order of their top bits: their hashes stay in order."""
    hashes = Hashes()
    last = 0
    for part in parts:
        hashes.extend(part.hashes)
        last = max(last, part.last_line)
    return Repeated(hashes, last)


def _sorter() -> str:
    """What sorts a partition: the compiled pass when built, else numpy when installed, else plain Python."""
    return "compiled" if _compiled() is not None else "numpy" if _numpy() is not None else "python"


def _compiled() -> Any:
    from kbc_validate import extension

    return extension.module


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # the fast extra is not installed: plain Python
        return None
    return numpy
