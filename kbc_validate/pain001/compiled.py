"""The compiled pass over a pain.001 document (``kbc_validate._scan.PainScanner``, Rust): each piece's transactions
of the usual shape read from their text, on a thread of the extension's own, while lxml parses and validates the
same piece (holding the GIL: the scanner never takes it).

The scanner reads the usual shape `pain001.quick`'s pattern describes, token by token, and puts each value to the
rules' acceptors restated over bytes (the basic character set, a clean amount, a Belgian IBAN: the Python side's
own patterns and bank codes, given at start-up). For each transaction it answers clean; flagged (some values are
not surely clean: each is handed back with its element's place, and `values.ValueChecks`, the rules' own checks,
finds its findings here, once per distinct value); or Python's to read (`WRITTEN`: an amount or IBAN not surely
clean, an issuer neither BBA nor ISO; `ELEMENTS`: any other shape). Clean and flagged transactions are counted,
summed and noted for the repeated-payment rules in runs, without a Python step of their own.

The differential tests (`tests/test_pain001_compiled.py`) hold this reading to Python's, finding for finding.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Generator, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kbc_validate import extension
from kbc_validate.findings import Issue, Loc, finding
from kbc_validate.identifiers.registry import belgian_bank_codes
from kbc_validate.pain001.quick import TRANSACTION_END, TextPlaces
from kbc_validate.pain001.rules import DocumentRules
from kbc_validate.pain001.stream import Piece
from kbc_validate.pain001.values import reference_kind
from kbc_validate.rules.amount import CLEAN_AMOUNT
from kbc_validate.rules.members import BELGIAN_IBAN_SHAPE
from kbc_validate.rules.text import BASIC_SET

CLEAN, FLAGGED, WRITTEN, ELEMENTS = range(4)
MEMO_LIMIT = 1 << 12  # flagged values whose findings are remembered (a file repeats its faulty values)
# The scanner's fields (`rust/src/pain.rs`): the kind of each one's check and where its finding is, in a transaction.
_INSTR, _E2E, _CCY, _AMOUNT, _BIC, _NAME, _IBAN, _USTRD, _ISSUER, _REF = range(10)
_KINDS = {_INSTR: "identifier", _E2E: "identifier", _CCY: "currency", _BIC: "bic", _NAME: "name", _IBAN: "iban",
          _USTRD: "unstructured"}
_WHERE: dict[int, Loc] = {_INSTR: ("PmtId", "InstrId"), _E2E: ("PmtId", "EndToEndId"),
                          _CCY: ("Amt", "InstdAmt", "@Ccy"), _NAME: ("Cdtr", "Nm"), _IBAN: ("CdtrAcct", "Id", "IBAN"),
                          _USTRD: ("RmtInf", "Ustrd"), _REF: ("RmtInf", "Strd", "CdtrRefInf", "Ref")}


def available() -> bool:
    """Whether the extension module was built with the pain.001 scanner."""
    return extension.module is not None and hasattr(extension.module, "PainScanner")


class Scanned:
    """A piece's reading by the scanner, as native arrays."""

    def __init__(self, result: tuple[Any, ...]) -> None:
        markup, status, spans, places, cents, scales, hashes, flags, pairs, pair_ends, records, record_ends = result
        self.markup: bool = markup  # `stream.hides_markup`
        self.status: bytes = status
        self.spans, self.places = array("Q", spans), array("Q", places)
        self.cents, self.scales, self.hashes = array("q", cents), scales, array("Q", hashes)
        self.pairs: bytes = pairs
        self.pair_ends, self.record_ends = array("Q", pair_ends), array("Q", record_ends)
        self.records: bytes = records
        self.flags: dict[int, list[tuple[int, int, int, int, int]]] = {}
        for transaction, field, start, end, line, column in flags:
            self.flags.setdefault(transaction, []).append((field, start, end, line, column))
        self.flagged = list(self.flags)  # in order: the scanner hands flags back transaction by transaction


class PieceScanner:
    """Scans a document's pieces ahead on a thread of its own (`ahead`), and reads their events with them."""

    def __init__(self, rules: DocumentRules) -> None:
        module = extension.module
        version = rules.version
        self.rules, self.values = rules, rules.values
        patterns = (TRANSACTION_END.pattern, BASIC_SET.pattern, CLEAN_AMOUNT.pattern, BELGIAN_IBAN_SHAPE)
        codes = sorted(int(code) for code in belgian_bank_codes() if code.isdigit())
        self.scanner = module.PainScanner(patterns, codes, version.bic)
        self.namespace = f"{{{version.namespace}}}"
        self.tag = self.namespace + "CdtTrfTxInf"
        self.block: Any = None  # the block open (started, not ended) after the pieces read so far
        self.kept: Any = None  # its last transaction, read and kept
        self.memo: dict[tuple[Any, ...], tuple[tuple[Issue, Loc], ...]] = {}  # a flagged value's findings

    def ahead(self, data: bytes, line: int, column_chars: int) -> int:
        """Start scanning a piece (on the scanner's own thread); its number."""
        number: int = self.scanner.submit(data, line, column_chars)
        return number

    def close(self) -> None:
        self.scanner.close()

    def read(self, piece: Piece) -> PieceReading:
        """Read a piece with its scan (submitted by `ahead` when it was fed)."""
        return PieceReading(self, piece, Scanned(self.scanner.receive(piece.scanned)))


class Run:
    """Consecutive clean or flagged transactions of one block, read by the scanner: counted, summed, their findings
    written and their keys noted at once."""

    def __init__(self, rules: DocumentRules, piece: Piece, scanned: Scanned,
                 memo: dict[tuple[Any, ...], tuple[tuple[Issue, Loc], ...]]) -> None:
        self.rules, self.piece, self.scanned, self.memo = rules, piece, scanned, memo

    def read(self, first: int, end: int) -> None:
        """Account for the scanner's transactions `first` to `end` (excluded), of the block being read."""
        rules, scanned = self.rules, self.scanned
        block = rules.block
        assert block is not None
        number, index = rules.transactions, block.declared.count
        count = end - first
        decimals = max(scanned.scales[first:end])  # a sum of Decimals has the most decimals of its terms
        total = Decimal(sum(scanned.cents[first:end]) // 10 ** (2 - decimals)).scaleb(-decimals)
        for declared in (block.declared, rules.group):
            declared.count += count
            declared.total += total
        rules.transactions += count
        rules.transaction_index = block.declared.count - 1
        if not block.service_level:
            block.unleveled = True
        flagged = scanned.flagged
        for at in flagged[bisect_left(flagged, first) : bisect_left(flagged, end)]:
            self._flagged(scanned.flags[at], ("PmtInf", block.index, "CdtTrfTxInf", index + at - first))
        if block.debtor is not None and (debtor := _debtor_hash(block.debtor)) in scanned.hashes[first:end]:
            self._same_accounts(first, end, block.debtor, debtor, ("PmtInf", block.index, "CdtTrfTxInf", index))
        pairs_from = scanned.pair_ends[first - 1] if first else 0
        records_from = scanned.record_ends[first - 1] if first else 0
        rules.repeats.observe_scanned(number, count, scanned.pairs[pairs_from * 16 : scanned.pair_ends[end - 1] * 16],
                                      scanned.records[records_from : scanned.record_ends[end - 1]])

    def _flagged(self, flags: list[tuple[int, int, int, int, int]], loc: Loc) -> None:
        data, found, memo = self.piece.data, self.rules.ctx.issues, self.memo
        issuer = b""
        for field, start, end, line, column in flags:
            value = data[start:end]
            if field == _ISSUER:
                issuer = value
                continue
            key = (field, issuer, value) if field == _REF else (field, value)
            issues = memo.get(key)
            if issues is None:
                issues = memo[key] = self._issues(field, issuer.decode("utf-8"), value.decode("utf-8"))
            for issue, where in issues:
                found.append(Issue(issue.code, issue.cause, issue.severity, (*loc, *where), issue.message,
                                   issue.input, line, column))

    def _issues(self, field: int, issuer: str, value: str) -> tuple[tuple[Issue, Loc], ...]:
        """The findings of a flagged value (the rules', by its kind) and where they are in its transaction."""
        rules = self.rules
        if len(self.memo) >= MEMO_LIMIT:
            self.memo.clear()
        where = ("CdtrAgt", "FinInstnId", rules.version.bic) if field == _BIC else _WHERE[field]
        kind = reference_kind(issuer or None) if field == _REF else _KINDS[field]
        return tuple((issue, where) for issue in rules.values.issues(kind, value))

    def _same_accounts(self, first: int, end: int, debtor: str, wanted: int, loc: tuple[str, int, str, int]
                       ) -> None:
        """KBC320 for the run's transactions whose creditor is the block's debtor (their hashes said maybe)."""
        scanned, data = self.scanned, self.piece.data
        for at in range(first, end):
            if scanned.hashes[at] != wanted:
                continue
            start, stop = scanned.spans[2 * at], scanned.spans[2 * at + 1]
            text = data[start:stop].decode("utf-8")
            iban_at = text.index("<IBAN>")
            creditor = text[iban_at + 6 : text.index("</IBAN>", iban_at)]
            if creditor == debtor:
                line, column = scanned.places[2 * at], scanned.places[2 * at + 1]
                place = TextPlaces(text, line, column - 1).place(iban_at)
                issue = finding("KBC320", (*loc[:-1], loc[-1] + at - first, "CdtrAcct", "Id", "IBAN"), creditor)
                self.rules.ctx.issues.append(issue_at(issue, issue.loc, *place))


@lru_cache(maxsize=16)
def _debtor_hash(debtor: str) -> int:
    """The hash the scanner gives a block's debtor IBAN (a block's runs all ask for it)."""
    return extension.key_hash(debtor)


def issue_at(issue: Issue, loc: Loc, line: int, column: int) -> Issue:
    """`issue` at `loc`, `line` and `column` (`dataclasses.replace`, without its checks: a hot path)."""
    return Issue(issue.code, issue.cause, issue.severity, loc, issue.message, issue.input, line, column)


class PieceReading:
    """One piece's transactions and blocks read, with the scanner's reading: iterating yields wherever the event
    by event reading would drain findings (after each run, each transaction Python reads and each block or group
    header ended); `handled` then counts the events the exact reading would have met (`reader._pass`)."""

    def __init__(self, scanner: PieceScanner, piece: Piece, scanned: Scanned) -> None:
        self.scanner, self.piece = scanner, piece
        self.scanned: Scanned | None = scanned
        self.rules = scanner.rules
        self.handled = 0
        self._next = 0  # the scanner's next transaction

    def usable(self) -> bool:
        """Whether the piece may be read this way: it ends after a transaction, or ends the document with every
        block closed (elsewhere, a transaction may still be open in the parser: the exact reading takes over), and
        holds no markup that may hide a transaction end (`stream.hides_markup`)."""
        if self.scanned is None or self.scanned.markup:
            return False
        if self.piece.cut == "transaction":
            return True
        if self.piece.cut == "limit":
            return False
        block = self.scanner.block
        for event, element in self.piece.events:
            if element.tag == self.scanner.namespace + "PmtInf":
                block = element if event == "start" else None
        return block is None

    def __iter__(self) -> Iterator[None]:
        ns = self.scanner.namespace
        started = [element for event, element in self.piece.events
                   if event == "start" and element.tag == ns + "PmtInf"]
        if not self._counts_agree(started):
            self.scanned = None  # another shape than the scanner saw (a comment holding an end tag): elements
        for event, element in self.piece.events:
            name = element.tag[len(ns):]
            if event == "start":
                if name == "PmtInf":
                    self.scanner.block = element
                continue
            self.handled += 1
            if name == "PmtInf":
                yield from self._transactions(element)
                self.rules.block_end(element)
                self.scanner.block = None
            elif name == "GrpHdr":
                self.rules.group_header(element)
            else:
                continue
            yield
            element.clear()
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        block = self.scanner.block
        if block is not None and (yield from self._transactions(block)):
            # Its header and transactions, read; the last is kept (the parser's last node: left alone).
            del block[:-1]
            self.scanner.kept = block[-1]

    def _counts_agree(self, started: list[Any]) -> bool:
        """Whether the blocks this piece holds transactions of (the one open before it, those it starts) hold as
        many as the scanner read."""
        before = self.scanner.block
        blocks = [before, *started] if before is not None else started
        found = sum(len(block) - self._first(block) for block in blocks)
        return self.scanned is not None and found == len(self.scanned.status)

    def _first(self, block: Any) -> int:
        """Where the transactions of `block` not read yet start among its children (after its header, or the
        transaction kept); every child from there on is one (the schema says so, and no schema error was met)."""
        if len(block) and block[0] is self.scanner.kept:
            return 1
        tag = self.scanner.tag
        for at, child in enumerate(block):
            if child.tag == tag:
                return at
        return len(block)

    def _transactions(self, block: Any) -> Generator[None, None, bool]:
        """Read the transactions of `block` that came in this piece (the earlier ones were dropped); returns
        whether there were any."""
        offset = self._first(block)
        count = len(block) - offset
        self.handled += count
        scanned, rules = self.scanned, self.rules
        if scanned is None:
            for transaction in block[offset:]:
                rules.transaction(transaction)
                yield
            return count > 0
        if count and rules.block is None:
            rules.start_block(block)
        run = Run(rules, self.piece, scanned, self.scanner.memo)
        first, end = self._next, self._next + count
        self._next = end
        start = first
        for python in _PYTHON.finditer(scanned.status, first, end):  # the transactions Python reads
            at = python.start()
            if start < at:
                run.read(start, at)
                yield
            _python(rules, self.piece, scanned, at, block[offset + at - first], scanned.status[at])
            yield
            start = at + 1
        if start < end:
            run.read(start, end)
            yield
        return count > 0


_PYTHON = re.compile(bytes([ord("["), WRITTEN, ELEMENTS, ord("]")]))


def _python(rules: DocumentRules, piece: Piece, scanned: Scanned, at: int, element: Any, kind: int) -> None:
    """A transaction Python reads: from its text (`WRITTEN`), or from its elements."""
    if kind == WRITTEN:
        start, stop = scanned.spans[2 * at], scanned.spans[2 * at + 1]
        line, column = scanned.places[2 * at], scanned.places[2 * at + 1]
        try:
            text = TextPlaces(piece.data[start:stop].decode("utf-8"), line, column - 1)
        except UnicodeDecodeError:
            rules.transaction(element)
            return
        rules.transaction(element, text, (0, len(text.text)))
    else:
        rules.transaction(element)


__all__ = ["PieceScanner", "available"]
