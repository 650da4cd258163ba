"""Repeated payments in a pain.001 file, found exactly in flat memory without reading the document twice.

The repeated-payment rules are the CSV files' (`repeats.tracker`: ``KBC907`` for an end-to-end identification met
again, ``KBC908`` for the same creditor, amount and reference): every transaction's keys are hashed into the
tracker's on-disk hash log, and the values the keys are made of, with the transaction's places, are written to a
temporary file beside it (by Python, or by the compiled pass for the transactions it read). Once the document is
read, the hashes met more than once are found, and the temporary file, not the XML, is read back to compare the keys
of those transactions and report each repeat at its transaction.

A record is four little-endian u32 (the transaction's line and column, its EndToEndId's), the hashes of its two
keys (u64, 0 for a key it does not have: only a record with a hash met more than once is read further), the size
of what follows (u32) and four strings, each a u32 length and its UTF-8 bytes: the end-to-end identification, the
creditor IBAN, the amount and the reference, as written. Records are written in runs of consecutive
transactions, each run headed by the number of the first (counted from 0 in the document), its count and its
size; a transaction's location follows from its number and the numbers each block starts at.
"""

from __future__ import annotations

import struct
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Set
from dataclasses import replace
from typing import IO, Any

from kbc_validate import extension
from kbc_validate.findings import Issue, Loc
from kbc_validate.pain001.values import normal_decimal
from kbc_validate.repeats.key_log import KeyLog
from kbc_validate.repeats.tracker import RepeatTracker, payment_keys, process_hash, repeat_issue
from kbc_validate.rules.account import comparable

_RUN = struct.Struct("<QII")
_HEAD = struct.Struct("<IIIIQQI")
_LENGTH = struct.Struct("<I")
PARTITION_KEYS = 1 << 18
_BUFFERED = 1 << 20  # bytes of records (or keys) gathered before they are written
Places = tuple[int, int, int, int]  # the transaction's line and column, its EndToEndId's


def payment_body(e2e: str | None, iban: str | None, amount: str | None, reference: str | None) -> dict[str, Any]:
    """The members of a transaction the repeated-payment rules compare, as a JSON body holds them."""
    body: dict[str, Any] = {}
    if e2e:
        body["endToEndIdentification"] = e2e
    if iban and amount:
        body["creditorAccount"] = {"iban": comparable(iban)}
        body["instructedAmount"] = {"amount": normal_decimal(amount)}
        if reference:
            body["remittanceInformationUnstructured"] = reference
    return body


def _wanted(candidates: Set[int]) -> Callable[[bytes, int], list[tuple[int, int]]]:
    """How the records of a run whose keys' hashes are among `candidates` are found: (index, offset) of each."""
    if extension.module is not None:
        hashes = array("Q", sorted(candidates)).tobytes()
        return lambda data, count: list(extension.module.wanted_records(data, count, hashes))

    def wanted(data: bytes, count: int) -> list[tuple[int, int]]:
        found, at = [], 0
        for index in range(count):
            e2e_hash, pay_hash, size = _HEAD.unpack_from(data, at)[4:]
            if e2e_hash in candidates or pay_hash in candidates:
                found.append((index, at))
            at += _HEAD.size + size
        return found

    return wanted


def record(places: Places, hashes: tuple[int, int], e2e: str, iban: str, amount: str, reference: str) -> bytes:
    """One transaction's record (see the module's text)."""
    parts = []
    for text in (e2e, iban, amount, reference):
        data = text.encode("utf-8", "surrogatepass")
        parts += [_LENGTH.pack(len(data)), data]
    strings = b"".join(parts)
    return _HEAD.pack(*places, *hashes, len(strings)) + strings


class RepeatLog:
    def __init__(self, hasher: Callable[[str], int] = process_hash) -> None:
        # One process reads the whole document; partitions of 256k keys (4 MiB) keep its memory flat at any size.
        # `hasher`: the compiled pass's `key_hash` where it hashes some transactions' keys itself.
        self.tracker = RepeatTracker(exact=False, hasher=hasher, partition_keys=PARTITION_KEYS)
        self._rows: IO[bytes] | None = None
        self._buffer = bytearray()  # records not yet written, and keys not yet noted: in runs of `_BUFFERED`
        self._pairs = bytearray()
        self._blocks = array("q")  # the number of each block's first transaction, by block

    def block_started(self, first: int) -> None:
        """A block starts (blocks start in order) with the transaction numbered `first`."""
        self._blocks.append(first)

    def observe(self, body: dict[str, Any], number: int, places: Places) -> None:
        """Note the keys of transaction `number` (`body`, as `repeats.tracker.payment_keys` reads them), and where
        it is."""
        self._note_pairs()  # the log's keys in document order
        self.tracker.observe(body, places[0])  # a repeat names the line its first transaction starts on
        hashes = {code: self.tracker.hasher(key) for code, key, _ in payment_keys(body)}
        account, amount = body.get("creditorAccount") or {}, body.get("instructedAmount") or {}
        self._write(number, 1, record(places, (hashes.get("KBC907", 0), hashes.get("KBC908", 0)),
                                      body.get("endToEndIdentification", ""), account.get("iban", ""),
                                      amount.get("amount", ""), body.get("remittanceInformationUnstructured", "")))

    def observe_scanned(self, number: int, count: int, pairs: bytes, records: bytes) -> None:
        """Note `count` transactions from `number` on whose keys' hashes (as (hash, line) pairs) and records the
        compiled pass made."""
        self._pairs += pairs
        self._write(number, count, records)
        if len(self._pairs) >= _BUFFERED:
            self._note_pairs()

    def _note_pairs(self) -> None:
        if self._pairs:
            keys = array("Q")
            keys.frombytes(self._pairs)
            self.tracker.note(keys)
            self._pairs = bytearray()

    def _write(self, number: int, count: int, records: bytes) -> None:
        self._buffer += _RUN.pack(number, count, len(records))
        self._buffer += records
        if len(self._buffer) >= _BUFFERED:
            self._flush()

    def _flush(self) -> None:
        if self._rows is None:
            self._rows = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `repeats`
        self._rows.write(self._buffer)
        self._buffer = bytearray()

    def repeats(self) -> Iterator[Issue]:
        """The repeats, at their transactions' places (a repeated identification at its EndToEndId)."""
        self._note_pairs()
        if self._buffer:
            self._flush()
        if self._rows is None:
            return
        try:
            if self.tracker.candidates:
                yield from self._confirmed(self._rows)
        finally:
            self._rows.close()
            self._rows = None

    def _loc(self, number: int) -> Loc:
        block = bisect_right(self._blocks, number) - 1
        return "PmtInf", block, "CdtTrfTxInf", number - self._blocks[block]

    def _read(self, rows: IO[bytes]) -> Iterator[tuple[int, Places, dict[str, Any]]]:
        """The records whose keys' hashes were met more than once, as (transaction number, places, body)."""
        wanted = _wanted(self.tracker.candidates)
        while header := rows.read(_RUN.size):
            number, count, size = _RUN.unpack(header)
            data = rows.read(size)
            for offset, start in wanted(data, count):
                line, column, e2e_line, e2e_column, _, _, _ = _HEAD.unpack_from(data, start)
                at = start + _HEAD.size
                texts = []
                for _ in range(4):
                    length = _LENGTH.unpack_from(data, at)[0]
                    at += _LENGTH.size
                    texts.append(data[at : at + length].decode("utf-8", "surrogatepass"))
                    at += length
                e2e, iban, amount, reference = (text or None for text in texts)
                yield number + offset, (line, column, e2e_line, e2e_column), payment_body(e2e, iban, amount, reference)

    def _confirmed(self, rows: IO[bytes]) -> Iterator[Issue]:
        """The repeats among the transactions whose keys' hashes were met more than once, compared on disk
        (`repeats.key_log`: memory stays flat however many payments repeat), in document order."""
        rows.seek(0)
        candidates, hasher = self.tracker.candidates, self.tracker.hasher
        log = KeyLog(len(candidates))
        order = 0
        for number, places, body in self._read(rows):
            for code, key, shown in payment_keys(body):
                digest = hasher(key)
                if digest in candidates:  # equal keys, equal hashes; keys are compared in the log
                    log.add(digest, order, places[0], code, key, (shown, number, places))
                    order += 1
        for _, code, (shown, number, places), first in log.repeats():
            line, column, e2e_line, e2e_column = places
            loc = self._loc(number)
            issue = repeat_issue(code, shown, first)
            if code == "KBC907":
                yield replace(issue, loc=(*loc, "PmtId", "EndToEndId"), line=e2e_line, column=e2e_column)
            else:
                yield replace(issue, loc=loc, line=line, column=column)
