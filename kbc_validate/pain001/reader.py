"""One pain.001 document read into findings, piece by piece: the document's own problems, the schema's, and the
rules', each at its element's line and column, in document order within a piece (counts and control sums when
their block or the message ends, repeated payments last)."""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from kbc_validate import extension
from kbc_validate.findings import Issue, Loc, finding
from kbc_validate.pain001 import compiled
from kbc_validate.pain001.compiled import PieceScanner
from kbc_validate.pain001.places import PiecePlaces
from kbc_validate.pain001.quick import TextPlaces
from kbc_validate.pain001.repeat_log import RepeatLog
from kbc_validate.pain001.rules import DocumentRules
from kbc_validate.pain001.schema_errors import SchemaFinding, describe
from kbc_validate.pain001.source import Source
from kbc_validate.pain001.stream import (
    PIECE_BYTES,
    SCHEMA_ERRORS_KEPT,
    DocumentSyntaxError,
    Piece,
    PieceFeeder,
    Problem,
    Reading,
    hides_markup,
    read_head,
    wide_to_utf8,
)
from kbc_validate.pain001.versions import Version

_WIDE = {b"\xff\xfe\x00\x00": "utf-32", b"\x00\x00\xfe\xff": "utf-32", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


# libxml2's validating push parser stops without a word at a text over its size limit, as at a document cut short.
_UNFINISHED = ("the reading stopped before the root element ended: the document is cut short, or a text in it is "
               "longer than 10,000,000 characters")


class SchemaErrorsCappedError(Exception):
    """More schema errors than are kept: the document is read again without the schema. ``args[0]`` is the number
    of events (ends of GrpHdr, PmtInf, CdtTrfTxInf, Document) handled so far."""


class ExactReadingNeededError(Exception):
    """A large piece raised a schema or syntax error: the document is read again a transaction a piece, so that
    each error is pinned to its transaction. ``args[0]`` is the number of events handled so far."""


class Pain001Reader:
    """Reads one pain.001 document (bytes, text, a path or a binary file) and yields its findings.

    ``transactions`` counts the transactions (``CdtTrfTxInf``) read so far; ``version`` is the version found.
    """

    def __init__(self, document: Any, *, today: date) -> None:
        self.source = Source(document)
        self.today = today
        self.transactions = 0
        self.version: Version | None = None

    def findings(self) -> Iterator[Issue]:
        reading = Reading()
        blocks = self._utf8_blocks(reading)
        head = read_head(blocks, reading)
        if reading.encoding.upper() not in ("UTF-8", "UTF8"):
            yield _placed("KBC927", (), reading.encoding, 1, 1)
        if head is None:
            yield from (_problem(problem) for problem in reading.problems)
            return
        assert reading.version is not None
        self.version = reading.version
        repeats = RepeatLog(extension.key_hash) if compiled.available() else RepeatLog()
        rules = DocumentRules(reading.version, self.today, repeats)
        try:
            yield from self._readings(itertools.chain([head], blocks), rules)
        finally:
            self.transactions = rules.transactions
        yield from repeats.repeats()

    def _readings(self, blocks: Iterator[bytes], rules: DocumentRules) -> Iterator[Issue]:
        """Large pieces while the document fits its schema; a transaction a piece from the first error on; the
        rules alone past `SCHEMA_ERRORS_KEPT` schema errors. A later reading skips what an earlier one handled."""
        size = PIECE_BYTES if self.source.rereadable else 0
        try:
            try:
                yield from self._pass(blocks, rules, validate=True, skip=0, size=size)
            except ExactReadingNeededError as needed:
                yield from self._pass(self._utf8_blocks(Reading()), rules, validate=True, skip=needed.args[0], size=0)
        except SchemaErrorsCappedError as exceeded:
            yield _placed("KBC928", (), None, 1, 1, count=SCHEMA_ERRORS_KEPT)
            yield from self._pass(self._utf8_blocks(Reading()), rules, validate=False, skip=exceeded.args[0], size=0)

    def _utf8_blocks(self, reading: Reading) -> Iterator[bytes]:
        blocks = self.source.blocks()
        first = next(blocks, b"")
        rest = itertools.chain([first], blocks)
        for bom, encoding in _WIDE.items():
            if first.startswith(bom):
                reading.encoding = encoding.upper()
                return wide_to_utf8(rest, encoding)
        return rest

    def _pass(self, blocks: Iterator[bytes], rules: DocumentRules, *, validate: bool, skip: int, size: int
              ) -> Iterator[Issue]:
        """Read the document once, in pieces of `size` bytes (0: a transaction each); the first `skip` events were
        handled by an earlier reading."""
        assert rules.version is not None
        scanner = PieceScanner(rules) if size and validate and not skip and compiled.available() else None
        feeder = PieceFeeder(rules.version, validate=validate, ahead=scanner.ahead if scanner else None)
        root = None
        complete = False
        handled = 0
        try:
            for piece in feeder.pieces(blocks, utf8=True, size=size):
                if size and (piece.schema_errors or (scanner is None and hides_markup(piece))):
                    raise ExactReadingNeededError(handled)
                if piece.events and root is None:
                    root = piece.events[0][1].getroottree().getroot()
                complete = complete or (bool(piece.events) and piece.events[-1] == ("end", root))  # it ends last
                if scanner is not None:
                    handled += yield from _scanned(scanner, piece, rules, root, handled)
                    self.transactions = rules.transactions
                elif (first := max(0, skip - handled)) < len(piece.events):
                    yield from self._piece(piece, rules, root, first)
                    self.transactions = rules.transactions
                if scanner is None:
                    handled += len(piece.events)
                    _clear(piece)
                feeder.note_open(root)
                if validate and feeder.schema_errors_seen >= SCHEMA_ERRORS_KEPT and self.source.rereadable:
                    raise SchemaErrorsCappedError(handled)
        except DocumentSyntaxError as error:
            if size:
                raise ExactReadingNeededError(handled) from None
            yield from _drain(rules)
            yield _problem(error.args[0])
            return
        finally:
            feeder.abandon()
            if scanner is not None:
                scanner.close()
        rules.document_end()
        yield from _drain(rules)
        if not complete:  # libxml2's validating parser can close an unfinished document without a word
            line, column = feeder.line, feeder.column_chars + 1
            yield _placed("KBC920", (), None, line, column, reason=_UNFINISHED)

    def _piece(self, piece: Piece, rules: DocumentRules, root: Any, first: int) -> Iterator[Issue]:
        """The findings of a piece's events from its `first` on (those before were handled by an earlier reading),
        event by event (so that their order is the same whatever the pieces' size); with the schema's, when the
        piece has any (a transaction a piece then), in the order of their places."""
        places = PiecePlaces(piece.data, piece.line, piece.column_chars, piece.utf8, root, piece.open_before)
        rules.place = places.place
        indexes: dict[int, int] = {}
        text, spans = _own_text(piece)
        transactions = 0
        for number, (_, element) in enumerate(piece.events):
            name = element.tag.rpartition("}")[2]
            if name == "CdtTrfTxInf":
                transactions += 1
            if number < first:
                continue
            if name == "CdtTrfTxInf":
                rules.transaction(element, text, spans[transactions - 1] if text is not None else (-1, -1))
                indexes[id(element)] = rules.transaction_index
            elif name == "PmtInf":
                rules.block_end(element)
            elif name == "GrpHdr":
                rules.group_header(element)
            if not piece.schema_errors:
                yield from _drain(rules)
        if piece.schema_errors and root is not None:
            assert rules.version is not None
            matcher = _Matcher(root, places, rules, indexes)
            for entry in piece.schema_errors:
                rules.issues.append(matcher.issue(describe(entry, rules.version.name)))
        yield from _drain(rules)


def _scanned(scanner: PieceScanner, piece: Piece, rules: DocumentRules, root: Any, handled: int
             ) -> Generator[Issue, None, int]:
    """The findings of a piece the compiled pass read; returns the number of events the exact reading would have
    met in it. A piece it may not read sends the document to the exact reading."""
    rules.place = PiecePlaces(piece.data, piece.line, piece.column_chars, piece.utf8, root, piece.open_before).place
    read = scanner.read(piece)
    if not read.usable():
        raise ExactReadingNeededError(handled)
    for _ in read:
        yield from _drain(rules)
    return read.handled


class _Matcher:
    """Places schema errors at the elements they name, among the elements of one piece (and those still open)."""

    def __init__(self, root: Any, places: PiecePlaces, rules: DocumentRules, indexes: dict[int, int]) -> None:
        fresh_ids = {id(element) for element in places.fresh}
        everything = list(root.iter())
        # Elements of the piece first, then those that were open before it (an error at an element's end).
        self.candidates = [e for e in everything if id(e) in fresh_ids] + [e for e in everything
                                                                            if id(e) not in fresh_ids]
        self.places, self.rules, self.indexes = places, rules, indexes
        self.used: set[tuple[str, int]] = set()

    def issue(self, found: SchemaFinding) -> Issue:
        element = self._element(found)
        if element is None:
            return _placed(found.code, (), found.value, 1, 1, **_complete(found, None))
        ctx = _complete(found, element)
        loc = self._loc(element)
        code = found.code
        if code == "KBC924":
            expected = ctx["expected"].removeprefix("expected ")
            parent = element.getparent()
            if " " not in expected and parent is not None and parent.find(
                    f"{{{self.rules.version.namespace}}}{expected}") is None:
                code, ctx = "KBC923", {"element": expected, "parent": _local(parent)}
                loc = (*loc[:-1], expected)
        elif code == "KBC923" and " " not in ctx["element"]:
            loc = (*loc, ctx["element"])
        line, column = self.places.place(element)
        value = found.value if found.value is not None else (_text(element) if code == "KBC925" else None)
        return _placed(code, loc, value, line, column, **ctx)

    def _element(self, found: SchemaFinding) -> Any:
        named = [e for e in self.candidates if _local(e) == found.element and (found.code, id(e)) not in self.used]
        if found.by_value:
            valued = [e for e in named if _text(e) == found.value]
            named = valued or named
        if not named:
            return None
        self.used.add((found.code, id(named[0])))
        return named[0]

    def _loc(self, element: Any) -> Loc:
        parts: list[str | int] = []
        node = element
        while node is not None:
            name = _local(node)
            if name in ("Document", "CstmrCdtTrfInitn") and parts:
                break
            if name == "CdtTrfTxInf":
                parts[:0] = [name, self.indexes.get(id(node), self.rules.transaction_index)]
            elif name == "PmtInf":
                parts[:0] = [name, self.rules.block.index if self.rules.block else max(self.rules.blocks - 1, 0)]
            elif name != "Document":
                parts.insert(0, name)
            node = node.getparent()
        return tuple(parts)


def _own_text(piece: Piece) -> tuple[TextPlaces | None, list[tuple[int, int]]]:
    """A piece's text and the span of each of its transactions, when the quick path may read them: the piece's
    transaction ends found in its text are its transactions' (no comment or CDATA section holds one)."""
    try:
        text = TextPlaces(piece.data.decode("utf-8"), piece.line, piece.column_chars)
    except UnicodeDecodeError:
        return None, []
    spans = text.transactions()
    if len(spans) != sum(1 for _, element in piece.events if element.tag.endswith("}CdtTrfTxInf")):
        return None, []
    return text, spans


def _complete(found: SchemaFinding, element: Any) -> dict[str, str]:
    ctx = dict(found.ctx)
    if found.code == "KBC924":
        parent = element.getparent() if element is not None else None
        ctx["parent"] = _local(parent) if parent is not None else "the document"
    return ctx


def _drain(rules: DocumentRules) -> Iterator[Issue]:
    """The findings made so far, without repeats of one finding (the schema and a rule both missing an element),
    in document order."""
    issues = rules.issues
    if not issues:
        return
    rules.ctx.issues = []
    seen: set[tuple[str, Loc]] = set()
    unique = []
    for issue in issues:
        key = (issue.code, issue.loc)
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    yield from sorted(unique, key=lambda issue: (issue.line or 0, issue.column or 0, issue.code))


def _clear(piece: Piece) -> None:
    """Free what a piece's events hold: each transaction and what came before it in its block, a finished block,
    the group header."""
    last = None  # the latest transaction, whose earlier siblings go at once
    for _, element in piece.events:
        if element.tag.endswith("}CdtTrfTxInf"):
            last = element
            continue
        if last is not None:
            _drop_before(last)
            last = None
        element.clear()
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    if last is not None:
        _drop_before(last)


def _drop_before(transaction: Any) -> None:
    """Clear a transaction and drop its block's children before it (the transactions read, the block's header)."""
    transaction.clear()
    parent = transaction.getparent()
    if parent is not None:
        del parent[: parent.index(transaction)]


def _problem(problem: Problem) -> Issue:
    return _placed(problem.code, (), problem.value, problem.line, problem.column, **problem.ctx)


def _placed(code: str, loc: Loc, value: Any, line: int, column: int, **ctx: Any) -> Issue:
    return replace(finding(code, loc, value, **ctx), line=line, column=column)


def _text(element: Any) -> str:
    text = element.text
    return text.strip() if text else ""


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
