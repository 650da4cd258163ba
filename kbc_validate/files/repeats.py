"""Payments repeated within a file: the same end-to-end identification, or the same creditor, amount and reference.

Both are warnings (``KBC907``, ``KBC908``) naming the line of the first occurrence. Remembering every key of a file
of millions of rows would make memory grow with the file, so for a file that can be read twice a fixed-size Bloom
filter (32 MiB) notes the keys on the first pass, collecting the few keys it has possibly seen before; a second
pass, only when there are such candidates, finds which really repeat and where they first appear. No warning is
a guess: a Bloom false positive only costs the second pass a lookup. Standard input, which cannot be read twice,
is tracked exactly.

Keys are hashed with BLAKE2b (`key_hash`), not Python's `hash`, so that the worker processes that validate pieces of
a large file (`files.pieces`) hash a key as this process does: their keys' hashes are noted here, in file order.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from kbc_validate.findings import Issue, finding

SEPARATOR = "\x1f"  # between the parts of a repetition key
BITS = 1 << 28  # 32 MiB: about 0.3% false positives at 4 million rows (two keys a row, two bits a key)
MASK = BITS - 1


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
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


class _Bloom:
    def __init__(self) -> None:
        self._bits = bytearray(BITS // 8)

    def add(self, digest: int) -> bool:
        """Add the key of hash `digest`; True when it may have been added before."""
        # Hot path (twice a row): two bit positions cut from one 64-bit hash, without a loop.
        first, second = digest & MASK, (digest >> 28) & MASK
        bits = self._bits
        seen = bits[first >> 3] >> (first & 7) & 1 and bits[second >> 3] >> (second & 7) & 1
        bits[first >> 3] |= 1 << (first & 7)
        bits[second >> 3] |= 1 << (second & 7)
        return bool(seen)


class RepeatTracker:
    """Notes the keys of each row; `exact` reports repeats at once, otherwise `confirm` does on a second pass."""

    def __init__(self, *, exact: bool = False) -> None:
        self.exact = exact
        self._first_lines: dict[str, int] = {}
        self._bloom: _Bloom | None = None  # made by the first key noted (the column engine notes none here)
        self.candidates: set[int] = set()  # hashes of the keys possibly met before

    def observe(self, body: dict[str, Any], line: int) -> list[Issue]:
        issues = []
        for code, key, shown in payment_keys(body):
            if not self.exact:
                self.note(key_hash(key))
                continue
            if key in self._first_lines:
                issues.append(repeat_issue(code, shown, self._first_lines[key]))
            else:
                self._first_lines[key] = line
        return issues

    def note(self, digest: int) -> None:
        """Note a key by its `key_hash` (the keys of a piece another process read, in file order)."""
        if self.exact:
            return
        if self._bloom is None:
            self._bloom = _Bloom()
        if self._bloom.add(digest):
            self.candidates.add(digest)

    def confirm(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Issue]]:
        """Second pass over (line, body): the repeats among the candidates, each with its first line."""
        first_lines: dict[str, int] = {}
        for line, body in rows:
            for code, key, shown in payment_keys(body):
                if key_hash(key) not in self.candidates:  # equal keys, equal hashes; keys are compared below
                    continue
                if key in first_lines:
                    yield line, repeat_issue(code, shown, first_lines[key])
                else:
                    first_lines[key] = line


class KeyRecorder:
    """Records the hashes of each row's keys (a worker's piece of a file) for a `RepeatTracker` to note later."""

    def __init__(self) -> None:
        self.hashes = array("Q")

    def observe(self, body: dict[str, Any], line: int) -> list[Issue]:
        self.hashes.extend(key_hash(key) for _, key, _ in payment_keys(body))
        return []


def repeat_issue(code: str, shown: Any, first: int | str) -> Issue:
    """The repeat finding; `first` is the line of the first occurrence, or the text naming it (``row 'E2E-1'``)."""
    loc = ("endToEndIdentification",) if code == "KBC907" else ()
    return finding(code, loc, shown, first=f"line {first}" if isinstance(first, int) else first)
