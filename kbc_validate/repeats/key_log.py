"""The second pass of the repeated-payment rules in memory that stays flat however many payments repeat.

The first pass found the hashes of the keys met more than once (`repeats.hash_log`). On the second, each key whose
hash is among them is written, with its line, to one of several temporary files chosen by the hash's top bits, so
that equal keys meet in one file. Once the rows are read, each file in turn is read back: its keys are compared
whole (two keys may share a hash), the first line of each is remembered, and every later occurrence is a repeat,
written to a file of repeats. The files of repeats, each in line order, are merged in line order.

Memory holds one file's distinct keys at a time (about `PART_KEYS` of them), not every repeated key of the file.
"""

from __future__ import annotations

import heapq
import marshal
import struct
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

_LENGTH = struct.Struct("<I")
PART_KEYS = 1 << 16  # distinct repeated keys held in memory at once (about 10 MiB of them)
_BATCH = 1 << 12  # records written at once, as one marshalled list: a write per key would cost twice the time


class KeyLog:
    """The keys of the second pass whose hashes repeat (`add`), read back as the repeats among them (`repeats`)."""

    def __init__(self, candidates: int, part_keys: int | None = None) -> None:
        """A log for the keys of `candidates` hashes, in files of about `part_keys` (`PART_KEYS`) distinct keys."""
        self._bits = max(0, (candidates - 1) // (part_keys or PART_KEYS)).bit_length()  # 2**bits files
        self._shift = 64 - self._bits  # a 64-bit hash shifted by 64 is 0: one file
        self._files = ExitStack()
        self._parts: list[Records] = [Records(self._files.enter_context(tempfile.TemporaryFile()))  # noqa: SIM115
                                       for _ in range(1 << self._bits)]

    def add(self, digest: int, order: int, line: int, code: str, key: str, shown: Any) -> None:
        """Log the `order`-th key of the pass (numbers that grow from key to key), of the payment at `line` (its
        `code`, and the value its finding shows). A line may hold several payments (a JSON Lines bulk body)."""
        self._parts[digest >> self._shift].add((order, line, code, key, shown))

    def repeats(self) -> Iterator[tuple[int, str, Any, int]]:
        """(line, code, value shown, line of the first occurrence) of every key met before, in line order; the
        files are closed (and deleted) at the end."""
        with self._files:
            found = [self._repeats_in(part) for part in self._parts]
            merged = found[0].read() if len(found) == 1 else heapq.merge(*(part.read() for part in found))
            for _, line, code, shown, first in merged:
                yield line, code, shown, first

    def _repeats_in(self, part: Records) -> Records:
        """The repeats among one file's keys, in line order, in a file of their own (the keys' file closed)."""
        out = Records(self._files.enter_context(tempfile.TemporaryFile()))  # noqa: SIM115 - closed by `repeats`
        first_lines: dict[str, int] = {}
        for order, line, code, key, shown in part.read():
            first = first_lines.get(key)
            if first is None:
                first_lines[key] = line
            else:
                out.add((order, line, code, shown, first))
        part.stream.close()
        return out


class Records:
    """Records (tuples) written to a temporary file in batches, and read back in order."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self._batch: list[tuple[Any, ...]] = []

    def add(self, record: tuple[Any, ...]) -> None:
        self._batch.append(record)
        if len(self._batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        data = marshal.dumps(self._batch)
        self.stream.write(_LENGTH.pack(len(data)) + data)
        self._batch = []

    def read(self) -> Iterator[tuple[Any, ...]]:
        """Every record, from the first."""
        if self._batch:
            self._flush()
        self.stream.seek(0)
        while header := self.stream.read(_LENGTH.size):
            batch: list[tuple[Any, ...]] = marshal.loads(self.stream.read(_LENGTH.unpack(header)[0]))
            yield from batch
