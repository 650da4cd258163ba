"""Repeated payments in a pain.001 file, found exactly in flat memory without reading the document twice.

The repeated-payment rules are the CSV files' (`files.repeats`: ``KBC907`` for an end-to-end identification met
again, ``KBC908`` for the same creditor, amount and reference): every transaction's keys are hashed into the
tracker's on-disk hash log, and the transaction's own keys and places are written to a temporary file beside it.
Once the document is read, the hashes met more than once are found, and the temporary file, not the XML, is read
back to compare the keys of those transactions and report each repeat at its transaction.
"""

from __future__ import annotations

import marshal
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from kbc_validate.files.repeats import RepeatTracker, process_hash
from kbc_validate.findings import Issue, Loc

_LENGTH = struct.Struct("<I")
PARTITION_KEYS = 1 << 18
Places = tuple[Loc, int, int, int, int]  # the transaction's location, its line and column, its EndToEndId's


class RepeatLog:
    def __init__(self) -> None:
        # One process reads the whole document; partitions of 256k keys (4 MiB) keep its memory flat at any size.
        self.tracker = RepeatTracker(exact=False, hasher=process_hash, partition_keys=PARTITION_KEYS)
        self._rows: IO[bytes] | None = None
        self._count = 0

    def observe(self, body: dict[str, Any], places: Places) -> None:
        """Note one transaction's keys (`body`, as `files.repeats.payment_keys` reads them) and where it is."""
        self._count += 1
        self.tracker.observe(body, places[1])  # a repeat names the line its first transaction starts on
        if self._rows is None:
            self._rows = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `repeats`
        record = marshal.dumps((body, places))
        self._rows.write(_LENGTH.pack(len(record)) + record)

    def repeats(self) -> Iterator[Issue]:
        """The repeats, at their transactions' places (a repeated identification at its EndToEndId)."""
        if self._rows is None:
            return
        try:
            if self.tracker.candidates:
                yield from self._confirmed(self._rows)
        finally:
            self._rows.close()
            self._rows = None

    def _confirmed(self, rows: IO[bytes]) -> Iterator[Issue]:
        rows.seek(0)
        places: list[Places] = []

        def read() -> Iterator[tuple[int, dict[str, Any]]]:
            for _ in range(self._count):
                size = _LENGTH.unpack(rows.read(_LENGTH.size))[0]
                body, where = marshal.loads(rows.read(size))
                places[:] = [where]
                yield where[1], body

        for _, issue in self.tracker.confirm(read()):
            loc, line, column, e2e_line, e2e_column = places[0]
            if issue.code == "KBC907":
                yield replace(issue, loc=(*loc, "PmtId", "EndToEndId"), line=e2e_line, column=e2e_column)
            else:
                yield replace(issue, loc=loc, line=line, column=column)
