"""The compiled pass over a pain.001 document (``kbc_validate._scan.PainScanner``, Rust): each piece's transactions
of the usual shape read from their text while lxml parses and validates the same piece.

The scanner restates `pain001.quick`'s pattern (Python's own, given at start-up) and the values' acceptors over
bytes; a value it does not recognise is judged by `values.ValueChecks` (once per distinct value: the verdict is
remembered on the Rust side). For each transaction it answers clean, flagged (some values have findings: each is
handed back with its element's place, and its findings are the rules', made here), or Python's to read (`WRITTEN`:
an amount or IBAN not surely clean, an unknown issuer; `ELEMENTS`: any other shape). Clean and flagged transactions
are counted, summed and noted for the repeated-payment rules in runs, without a Python step of their own.

The scan of a piece runs on a thread of its own, its GIL released, while lxml parses the piece (lxml releases the
GIL too). The differential tests hold this reading to the quick path's and the elements' (`tests/test_pain001_
compiled.py`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kbc_validate.files import compiled_csv
from kbc_validate.findings import Issue, Loc, finding
from kbc_validate.identifiers.registry import belgian_bank_codes
from kbc_validate.pain001.quick import TRANSACTION_END, TextPlaces
from kbc_validate.pain001.rules import DocumentRules
from kbc_validate.pain001.stream import Piece
from kbc_validate.pain001.values import _CLEAN_AMOUNT, ValueChecks, reference_kind
from kbc_validate.rules.members import BELGIAN_IBAN_SHAPE
from kbc_validate.rules.text import BASIC_SET

CLEAN, FLAGGED, WRITTEN, ELEMENTS = range(4)
# The scanner's fields (`pain::FIELDS`): the kind of each one's check and where its finding is, in a transaction.
_INSTR, _E2E, _CCY, _AMOUNT, _BIC, _NAME, _IBAN, _USTRD, _ISSUER, _REF = range(10)
_KINDS = {_INSTR: "identifier", _E2E: "identifier", _CCY: "currency", _BIC: "bic", _NAME: "name", _IBAN: "iban",
          _USTRD: "unstructured"}
_WHERE: dict[int, Loc] = {_INSTR: ("PmtId", "InstrId"), _E2E: ("PmtId", "EndToEndId"),
                          _CCY: ("Amt", "InstdAmt", "@Ccy"), _NAME: ("Cdtr", "Nm"), _IBAN: ("CdtrAcct", "Id", "IBAN"),
                          _USTRD: ("RmtInf", "Ustrd"), _REF: ("RmtInf", "Strd", "CdtrRefInf", "Ref")}


def available() -> bool:
    """Whether the extension module was built with the pain.001 scanner."""
    module = compiled_csv.scanner_module()
    return module is not None and hasattr(module, "PainScanner")


class Scanned:
    """A piece's reading by the scanner, as native arrays."""

    def __init__(self, result: tuple[Any, ...]) -> None:
        status, spans, places, cents, scales, hashes, flags, pairs, pair_ends, records, record_ends = result
        self.status: bytes = status
        self.spans, self.places = array("Q", spans), array("Q", places)
        self.cents, self.scales, self.hashes = array("q", cents), scales, array("Q", hashes)
        self.pairs: bytes = pairs
        self.pair_ends, self.record_ends = array("Q", pair_ends), array("Q", record_ends)
        self.records: bytes = records
        self.flags: dict[int, list[tuple[int, int, int, int, int]]] = {}
        for transaction, *flag in flags:
            self.flags.setdefault(transaction, []).append(tuple(flag))  # type: ignore[arg-type]


class PieceScanner:
    """Scans a document's pieces ahead on a thread of its own (`ahead`), and reads their events with them."""

    def __init__(self, rules: DocumentRules) -> None:
        module = compiled_csv.scanner_module()
        version = rules.version
        self.rules, self.values = rules, rules.values
        patterns = (TRANSACTION_END.pattern, BASIC_SET.pattern, _CLEAN_AMOUNT.pattern, BELGIAN_IBAN_SHAPE)
        codes = sorted(int(code) for code in belgian_bank_codes() if code.isdigit())
        self.scanner = module.PainScanner(patterns, codes, version.bic)
        self.tag = f"{{{version.namespace}}}CdtTrfTxInf"

    def ahead(self, data: bytes, line: int, column_chars: int) -> int:
        """Start scanning a piece (on the scanner's own thread); its number."""
        number: int = self.scanner.submit(data, line, column_chars)
        return number

    def close(self) -> None:
        self.scanner.close()

    def reading(self, piece: Piece) -> Scanned | None:
        """The scanner's reading of `piece`, when its transactions are the parser's."""
        if piece.scanned is None:
            return None
        scanned = Scanned(self.scanner.receive(piece.scanned))
        tag = self.tag
        if len(scanned.status) != sum(1 for _, element in piece.events if element.tag == tag):
            return None
        return scanned


class Run:
    """Consecutive clean or flagged transactions of one block, read by the scanner: counted, summed, their findings
    written and their keys noted at once."""

    def __init__(self, rules: DocumentRules, piece: Piece, scanned: Scanned) -> None:
        self.rules, self.piece, self.scanned = rules, piece, scanned
        self.first: int | None = None  # the run's first transaction in the piece
        self.next = 0

    def add(self, index: int, element: Any) -> None:
        if self.first is None:
            if self.rules.block is None:
                self.rules.start_block(element.getparent())
            self.first = index
        self.next = index + 1

    def end(self) -> bool:
        """Account for the run's transactions; False when there were none."""
        first, rules, scanned = self.first, self.rules, self.scanned
        if first is None:
            return False
        self.first = None
        end = self.next
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
        for at in range(first, end):
            flags = scanned.flags.get(at)
            if flags is not None:
                self._flagged(flags, ("PmtInf", block.index, "CdtTrfTxInf", index + at - first))
        if block.debtor is not None and compiled_csv.key_hash(block.debtor) in scanned.hashes[first:end]:
            self._same_accounts(first, end, block.debtor, ("PmtInf", block.index, "CdtTrfTxInf", index))
        pairs_from = scanned.pair_ends[first - 1] if first else 0
        records_from = scanned.record_ends[first - 1] if first else 0
        rules.repeats.observe_scanned(number, count, scanned.pairs[pairs_from * 16 : scanned.pair_ends[end - 1] * 16],
                                      scanned.records[records_from : scanned.record_ends[end - 1]])
        return True

    def _flagged(self, flags: list[tuple[int, int, int, int, int]], loc: Loc) -> None:
        data, rules = self.piece.data, self.rules
        issuer = None
        for field, start, end, line, column in flags:
            value = data[start:end].decode("utf-8")
            if field == _ISSUER:
                issuer = value
                continue
            if field == _BIC:
                where: Loc = ("CdtrAgt", "FinInstnId", rules.version.bic)
            else:
                where = _WHERE[field]
            kind = reference_kind(issuer) if field == _REF else _KINDS[field]
            issues = rules.values.issues(kind, value)
            rules.ctx.issues.extend(issue_at(issue, (*loc, *where), line, column) for issue in issues)

    def _same_accounts(self, first: int, end: int, debtor: str, loc: Loc) -> None:
        """KBC320 for the run's transactions whose creditor is the block's debtor (their hashes said maybe)."""
        scanned, data = self.scanned, self.piece.data
        wanted = compiled_csv.key_hash(debtor)
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


def issue_at(issue: Issue, loc: Loc, line: int, column: int) -> Issue:
    from dataclasses import replace

    return replace(issue, loc=loc, line=line, column=column)


def read_transactions(rules: DocumentRules, piece: Piece, scanned: Scanned, tag: str) -> Iterator[None]:
    """Read a piece's events with the scanner's reading; yields wherever the event by event reading would have
    drained findings (the reader drains them then): after each run and each event outside one."""
    run = Run(rules, piece, scanned)
    at = -1
    status = scanned.status
    for _, element in piece.events:
        if element.tag == tag:
            at += 1
            kind = status[at]
            if kind <= FLAGGED:
                run.add(at, element)
                continue
            if run.end():
                yield
            _python(rules, piece, scanned, at, element, kind)
        else:
            if run.end():
                yield
            name = element.tag.rpartition("}")[2]
            if name == "PmtInf":
                rules.block_end(element)
            elif name == "GrpHdr":
                rules.group_header(element)
        yield
    if run.end():
        yield


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


__all__ = ["PieceScanner", "ValueChecks", "available", "read_transactions"]
