"""Payments repeated within a file: the same end-to-end identification, or the same creditor, amount and reference.

Both are warnings (``KBC907``, ``KBC908``) naming the line of the first occurrence. Remembering every key of a file
of millions of rows would make memory grow with the file, so for a file that can be read twice every key's hash is
logged with its line on disk on the first pass (`repeats.hash_log`); once the file is read, the hashes met more than
once are found, partition by partition, and a second pass up to the last line holding one, only when there is one,
compares those rows' keys and finds where each first appears (`confirm_on_disk`: the keys of those rows are written to
disk, `repeats.key_log`, so that memory does not grow with the number of repeats either). No warning is a guess: a hash
shared by two different keys only costs the second pass a comparison. Standard input or a pipe, which cannot be read
twice, has its keys written to disk as they come (`spooled`), and the second pass reads them there.
"""

from __future__ import annotations

import hashlib
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kbc_validate.findings import Issue, finding
from kbc_validate.repeats.hash_log import Hashes, HashLog, Repeated
from kbc_validate.repeats.key_log import KeyLog, Records

SEPARATOR = "\x1f"  # between the parts of a repetition key
_PENDING_KEYS = 1 << 15  # keys (hash and line) gathered before they are written to the log


def payment_keys(body: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(code, key, value shown) of the repetition rules for one payment body."""
    keys: list[tuple[str, str, Any]] = []
    e2e = body.get("endToEndIdentification")
    if isinstance(e2e, str) and e2e:
        keys.append(("KBC907", f"e2e{SEPARATOR}{e2e}", e2e))
    account, amount = body.get("creditorAccount"), body.get("instructedAmount")
    if isinstance(account, dict) and isinstance(amount, dict):
        structured = body.get("remittanceInformationStructured")
        reference = structured.get("reference") if isinstance(structured, dict) else None
        reference = reference or body.get("remittanceInformationUnstructured") or ""
        key = SEPARATOR.join(("pay", str(account.get("iban")), str(amount.get("amount")), str(reference)))
        keys.append(("KBC908", key, None))
    return keys


def key_hash(key: str) -> int:
    """A 64-bit hash of a repetition key, the same in every process (Python's `hash` of a string is not)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def process_hash(key: str) -> int:
    """A 64-bit hash of a repetition key for keys that never leave this process: Python's own (salted per process),
    ten times cheaper than `key_hash`."""
    return hash(key) & 0xFFFF_FFFF_FFFF_FFFF


class RepeatTracker:
    """Notes the keys of each row; `exact` reports repeats at once, otherwise `confirm` does on a second pass.
    `hasher` is `key_hash` wherever another process's keys may be noted (`note`), else it may be `process_hash`."""

    def __init__(self, *, exact: bool = False, hasher: Callable[[str], int] = key_hash,
                 partition_keys: int | None = None, spooled: bool = False) -> None:
        self.exact = exact
        self.spooled = spooled  # every key kept on disk as noted, for `confirm_spooled` (an input read once)
        self._spool: Records | None = None
        # How keys are hashed: `key_hash`, `process_hash` (one process), or the compiled pass's hash when it reads
        # the file (it hashes keys itself).
        self.hasher: Callable[[str], int] = hasher
        self._first_lines: dict[str, int] = {}
        self._log = HashLog(partition_keys)  # None: partitions as large as the sorter at hand takes
        self._pending = array("Q")  # (hash, line) pairs not yet in the log
        self._repeated: Repeated | None = None
        self.threads = 1  # the log's end pass may use as many (the compiled pass's own: `--jobs`)

    def observe(self, body: dict[str, Any], line: int) -> list[Issue]:
        issues = []
        for code, key, shown in payment_keys(body):
            if not self.exact:
                digest = self.hasher(key)
                self._pending.extend((digest, line))
                if self.spooled:
                    self._spooled().add((digest, line, code, key, shown))
                continue
            if key in self._first_lines:
                issues.append(repeat_issue(code, shown, self._first_lines[key]))
            else:
                self._first_lines[key] = line
        if len(self._pending) >= 2 * _PENDING_KEYS:
            self._flush()
        return issues

    def note(self, pairs: array[int], lines: int = 0) -> None:
        """Note keys by their `key_hash` and line, as (hash, line) pairs, of rows `lines` lines further down than they
        say (the keys the compiled pass hashed)."""
        if self.exact:
            return
        self._flush()
        self._log.add(pairs, lines)

    def _flush(self) -> None:
        self._log.add(self._pending)
        self._pending = array("Q")

    @property
    def candidates(self) -> Hashes:
        """The hashes of the keys noted more than once (found once every key is noted, when first asked for)."""
        return self._found().hashes

    def _found(self) -> Repeated:
        if self._repeated is None:
            self._flush()
            self._repeated = self._log.repeated(self.threads)
        return self._repeated

    def confirm(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Issue]]:
        """Second pass over (line, body): the repeats among the candidates, each with its first line, found in step
        with the rows (the repeated keys held in memory)."""
        found = self._found()
        first_lines: dict[str, int] = {}
        for line, body in rows:
            if line > found.last_line:
                return
            for code, key, shown in payment_keys(body):
                if self.hasher(key) not in found.hashes:  # equal keys, equal hashes; keys are compared below
                    continue
                if key in first_lines:
                    yield line, repeat_issue(code, shown, first_lines[key])
                else:
                    first_lines[key] = line


    def confirm_on_disk(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Issue]]:
        """What `confirm` finds, in the same order, once the rows are read, in flat memory (`repeats.key_log`)."""
        hasher = self.hasher
        keys = ((hasher(key), line, code, key, shown) for line, body in rows for code, key, shown in payment_keys(body))
        return self._confirmed(keys)

    def confirm_spooled(self) -> Iterator[tuple[int, Issue]]:
        """What `confirm_on_disk` finds, from the keys kept on disk as they were noted (`spooled`)."""
        spool, self._spool = self._spool, None
        if spool is None:
            return
        with spool.stream:
            yield from self._confirmed(spool.read())

    def _spooled(self) -> Records:
        if self._spool is None:
            self._spool = Records(tempfile.TemporaryFile())  # noqa: SIM115 - closed by `confirm_spooled`
        return self._spool

    def _confirmed(self, keys: Iterable[tuple[int, int, str, str, Any]]) -> Iterator[tuple[int, Issue]]:
        """The repeats among (hash, line, code, key, value shown) of every key, in order, up to the last line that
        holds a repeated hash."""
        found = self._found()
        log, last_line = KeyLog(len(found.hashes)), found.last_line
        # A key a row on this path: `Hashes.__contains__` inlined (a fifth of the time this loop takes)
        hashes, count = found.hashes.ordered, len(found.hashes)
        for order, (digest, line, code, key, shown) in enumerate(keys):
            if line > last_line:
                break
            at = bisect_left(hashes, digest)
            if at < count and hashes[at] == digest:  # equal keys, equal hashes; keys are compared in the log
                log.add(digest, order, line, code, key, shown)
        for line, code, shown, first in log.repeats():
            yield line, repeat_issue(code, shown, first)


def input_tracker(rereadable: bool) -> RepeatTracker:
    """The tracker of an input's payments: confirmed on a second pass over the input when it can be read again, else
    over its keys kept on disk (a hash of this process's own, as nothing else reads it)."""
    return RepeatTracker() if rereadable else RepeatTracker(spooled=True, hasher=process_hash)


REPEAT_CODES = frozenset({"KBC907", "KBC908"})  # the findings of this module, and of no other


def repeat_issue(code: str, shown: Any, first: int | str) -> Issue:
    """The repeat finding; `first` is the line of the first occurrence, or the text naming it (``row 'E2E-1'``)."""
    loc = ("endToEndIdentification",) if code == "KBC907" else ()
    return finding(code, loc, shown, first=f"line {first}" if isinstance(first, int) else first)
