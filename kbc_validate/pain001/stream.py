"""Reading a pain.001 document safely, in flat memory, one transaction at a time, with its schema checked as it goes.

1. The prolog is read first: a DOCTYPE or an entity declaration ends the reading there (`KBC921`), before any XML
   parser sees the document; the root element's name and namespace choose the version (`KBC922` for anything else).
2. The document is then fed to a validating lxml pull parser that resolves no entity, loads no DTD, reaches no
   network and keeps libxml2's limits (10 MB text nodes, depth 256, entity amplification): hostile documents end in a
   well-formedness finding (`KBC920`) in bounded memory. The feed is cut into pieces that end with a transaction
   (``</CdtTrfTxInf>``), so the schema errors each piece raises belong to the elements of that piece.
3. Each piece's events are handed to the rules; the elements they read are then cleared, so memory stays flat
   however many transactions the document holds.

libxml2's streaming validation gives no line to its errors, and keeps every error it reports; so errors are matched
to the piece's elements here (by name, and by value when the message names one), and after `SCHEMA_ERRORS_KEPT`
errors the document is read again from the start without the schema (`KBC928` says so), which keeps memory flat
on a file where every transaction repeats the same mistake.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kbc_validate.pain001.versions import VERSIONS, Version

SCHEMA_ERRORS_KEPT = 1000
PIECE_BYTES = 1 << 16  # a piece of a document that fits its schema: many transactions, fed at once
_PROLOG_LIMIT = 1 << 22  # a root element's start tag must end within the first 4 MiB (a block is 1 MiB)
_TRANSACTION_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?CdtTrfTxInf\s*>")
_CARRY_LIMIT = 1 << 22  # fed without a transaction end in sight (a huge header or text node): keep only a tail
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)\b")
_XML_DECLARATION_ENCODING = re.compile(rb"""\A<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
         "huge_tree": False, "remove_comments": True, "remove_pis": True}


@dataclass
class Problem:
    """A finding about the document itself, at a line and column (1-based)."""

    code: str
    line: int
    column: int
    value: Any = None
    ctx: dict[str, Any] = field(default_factory=dict)


@dataclass
class Piece:
    """Bytes fed at once, where they start, the events they produced and the schema errors they raised."""

    data: bytes
    line: int  # line of the piece's first byte
    column_chars: int  # characters of that line before the piece
    events: list[tuple[str, Any]]
    schema_errors: list[Any]
    utf8: bool
    open_before: frozenset[int]  # ids of the elements already open when the piece was fed
    scanned: Any = None  # the compiled pass's reading of the piece (`pain001.compiled`), made while it was parsed
    cut: str = "transaction"  # where it ends: just after a transaction, at the carry limit, at the document's end


class Reading:
    """What reading found about the document as a whole."""

    def __init__(self) -> None:
        self.version: Version | None = None
        self.encoding = "UTF-8"
        self.problems: list[Problem] = []


def read_head(blocks: Iterator[bytes], reading: Reading) -> bytes | None:
    """The document's first bytes (as UTF-8), up to and including its root element's start, once the prolog is
    safe and the root names a version; None after a `Problem` that ends the reading."""
    head = b""
    for block in blocks:
        head += block
        if len(head) >= _PROLOG_LIMIT or _root_tag_complete(head):
            break
    _note_encoding(head, reading)
    declaration = _DECLARATION.search(head, 0, _root_offset(head))
    if declaration is not None:
        line, column = _place(head, declaration.start())
        reading.problems.append(Problem("KBC921", line, column, f"<!{declaration.group(1).decode()}"))
        return None
    return head if _root_version(head, reading) else None


def _root_tag_complete(head: bytes) -> bool:
    """Whether `head` holds the root element's whole start tag (its namespace declarations with it)."""
    start = _root_offset(head)
    return start < len(head) and head.find(b">", start) >= 0


_ROOT = re.compile(rb"<(?![?!])")
_SKIPPED = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)


def _root_offset(head: bytes) -> int:
    """Where the root element's start tag begins (past comments, processing instructions and a DOCTYPE)."""
    position = 0
    while True:
        skipped = _SKIPPED.search(head, position)
        root = _ROOT.search(head, position)
        if root is None:
            return len(head)
        if skipped is None or root.start() < skipped.start():
            return root.start()
        position = skipped.end()


def _root_version(head: bytes, reading: Reading) -> bool:
    """Parse the head up to the root element's start tag: its namespace chooses the version."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start",), **_SAFE)
    try:
        parser.feed(head)
        event = next(iter(parser.read_events()), None)
        if event is None:
            parser.close()  # the whole input is the head: the parser says why no root element starts
    except etree.XMLSyntaxError as error:
        reading.problems.append(own_syntax_error(parser, error) or _problem_of(None, error))
        return False
    finally:
        _close(parser)
    if event is None:
        line, column = _place(head, len(head))
        reading.problems.append(Problem("KBC920", line, column, ctx={"reason": "no root element was found"}))
        return False
    root = event[1]
    qname = etree.QName(root)
    version = VERSIONS.get(qname.namespace or "")
    if version is None or qname.localname != "Document":
        found = f"{qname.localname} in namespace {qname.namespace}" if qname.namespace else f"{qname.localname} " \
            "in no namespace"
        offset = _root_offset(head)
        line, column = _place(head, offset)
        reading.problems.append(Problem("KBC922", line, column, found))
        return False
    reading.version = version
    return True


def _note_encoding(head: bytes, reading: Reading) -> None:
    """Note an encoding the XML declaration names other than UTF-8 (UTF-16 and UTF-32 are read as UTF-8 by then)."""
    declared = _XML_DECLARATION_ENCODING.match(head.removeprefix(codecs.BOM_UTF8))
    if declared is not None:
        name = declared.group(1).decode("ascii")
        try:
            canonical = codecs.lookup(name).name
        except LookupError:
            canonical = name.lower()
        if canonical not in ("utf-8", "ascii") and reading.encoding == "UTF-8":
            reading.encoding = name


def _close(parser: Any) -> None:
    """Close a parser that may be left mid-document: an open lxml feed parser keeps its error log connected to
    libxml2, and the next parser's errors would land in it."""
    from lxml import etree

    with contextlib.suppress(etree.XMLSyntaxError):
        parser.close()


_LIMITS = (
    ("Excessive depth in document", "elements are nested more than 256 deep"),
    ("Text node too long", "a text is longer than 10,000,000 characters"),
    ("amplification", "entities expand beyond libxml2's amplification limit"),
)


class DocumentSyntaxError(Exception):
    """The document is not well-formed: ``args[0]`` is the `Problem`."""


def own_syntax_error(parser: Any, error: Any) -> Problem | None:
    """The well-formedness error a parser met, from its own log: the exception lxml raises may also carry other
    parsers' errors (its thread's global log), and raises at close for schema errors alone (None then)."""
    entries = [entry for entry in parser.feed_error_log
               if entry.domain_name != "SCHEMASV" and entry.level_name in ("ERROR", "FATAL")]
    if not entries:
        return None if error.error_log and all(
            entry.domain_name == "SCHEMASV" for entry in parser.feed_error_log) else _problem_of(None, error)
    return _problem_of(entries[0], error)


def _problem_of(entry: Any, error: Any) -> Problem:
    """A well-formedness error as a finding; libxml2's message, without its trailing position."""
    position = error.position if error is not None else (1, 1)
    line = (entry.line if entry is not None else None) or position[0] or 1
    column = (entry.column if entry is not None else None) or position[1] or 1
    message = entry.message if entry is not None else str(error)
    reason = re.sub(r",? (?:line \d+, column \d+|\(line \d+\))$", "", message.strip()).rstrip(".")
    for jargon, plain in _LIMITS:  # libxml2's limits, said without its parser options
        if jargon in reason:
            return Problem("KBC920", line, max(column, 1), ctx={"reason": plain})
    return Problem("KBC920", line, max(column, 1), ctx={"reason": reason})


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of `offset` in UTF-8 `data`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


class PieceFeeder:
    """Feeds a document's bytes to a validating pull parser, a piece at a time."""

    def __init__(self, version: Version, *, validate: bool,
                 ahead: Callable[[bytes, int, int], Any] | None = None) -> None:
        from lxml import etree

        self.etree = etree
        schema = {"schema": version.schema()} if validate else {}
        names: tuple[str, ...]
        events: tuple[str, ...]
        if ahead is None:  # the ends of the elements the rules read
            names, events = ("GrpHdr", "CdtTrfTxInf", "PmtInf", "Document"), ("end",)
        else:  # the compiled pass reads the transactions: only the blocks' starts and ends (an event costs ~2 us)
            names, events = ("GrpHdr", "PmtInf", "Document"), ("start", "end")
        tags = [f"{{{version.namespace}}}{name}" for name in names]
        self.parser = etree.XMLPullParser(events=events, tag=tags, **_SAFE, **schema)
        self.validate = validate
        self.ahead = ahead  # started on each piece's bytes (line, column) before the parser reads them
        self.schema_errors_seen = 0
        self.line = 1
        self.column_chars = 0
        self.open_ids: frozenset[int] = frozenset()
        self._open: list[Any] = []  # the open elements themselves: alive, so that their ids stay theirs

    def pieces(self, blocks: Iterator[bytes], utf8: bool, size: int = 0) -> Iterator[Piece]:
        """The pieces of the document, fed and parsed: one transaction each (`size` 0), or as many as fill `size`
        bytes; a syntax error raises `DocumentSyntaxError`."""
        carry = b""
        for block in blocks:
            data = carry + block
            start = 0
            for end in _transaction_ends(data, size):
                yield self._feed(data[start:end], utf8)
                start = end
            carry = data[start:]
            if len(carry) > _CARRY_LIMIT:
                yield self._feed(carry[:-256], utf8, "limit")
                carry = carry[-256:]
        if carry:
            yield self._feed(carry, utf8, "end")
        parser = self.parser
        try:
            parser.close()
        except self.etree.XMLSyntaxError as error:
            problem = own_syntax_error(parser, error)
            if problem is not None:
                raise DocumentSyntaxError(problem) from None
        else:  # libxml2's validating parser may stop at a fatal error (a limit) and still close without a word
            fatal = [entry for entry in parser.feed_error_log
                     if entry.domain_name != "SCHEMASV" and entry.level_name in ("ERROR", "FATAL")]
            if fatal:
                raise DocumentSyntaxError(_problem_of(fatal[0], None))
        finally:
            self.parser = None

    def abandon(self) -> None:
        """Close the parser of a reading that stops before the document's end."""
        if self.parser is not None:
            _close(self.parser)
            self.parser = None

    def _feed(self, data: bytes, utf8: bool, cut: str = "transaction") -> Piece:
        scanned = self.ahead(data, self.line, self.column_chars) if self.ahead is not None else None
        try:
            self.parser.feed(data)
        except self.etree.XMLSyntaxError as error:
            raise DocumentSyntaxError(own_syntax_error(self.parser, error) or _problem_of(None, error)) from None
        events = list(self.parser.read_events())
        piece = Piece(data, self.line, self.column_chars, events, self._new_schema_errors(), utf8, self.open_ids,
                      scanned, cut)
        newlines = data.count(b"\n")
        if newlines:
            self.line += newlines
            self.column_chars = _characters(data[data.rfind(b"\n") + 1 :], utf8)
        else:
            self.column_chars += _characters(data, utf8)
        return piece

    def _new_schema_errors(self) -> list[Any]:
        if not self.validate:
            return []
        log = self.parser.feed_error_log  # a copy: kept short by SCHEMA_ERRORS_KEPT
        if len(log) == self.schema_errors_seen:
            return []
        new = [entry for entry in list(log)[self.schema_errors_seen :] if entry.domain_name == "SCHEMASV"]
        self.schema_errors_seen = len(log)
        return new

    def note_open(self, root: Any) -> None:
        """Remember which elements are still open (the ancestors of what comes next) after a piece was handled."""
        self._open = list(root.iter()) if root is not None else []
        self.open_ids = frozenset(id(element) for element in self._open)


def hides_markup(piece: Piece) -> bool:
    """Whether a piece holds a comment, CDATA section or processing instruction (its XML declaration aside): one may
    hold a transaction end the piece was cut at, the transaction still open in the parser."""
    data = piece.data
    declaration = 0
    if piece.line == 1 and not piece.column_chars and data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"):
        declaration = data.find(b"?>") + 2
    return b"<!" in data or data.find(b"<?", declaration) >= 0


def _transaction_ends(data: bytes, size: int) -> Iterator[int]:
    """Where pieces of `data` end: at the first transaction end at least `size` bytes on from the last (each end, for
    `size` 0). Ends are looked for from a little before the size is reached: a longer end tag found later makes
    a larger piece, never a piece cut inside a transaction."""
    if not size:
        yield from (end.end() for end in _TRANSACTION_END.finditer(data))
        return
    start = 0
    while True:
        end = _TRANSACTION_END.search(data, max(start, start + size - 256))
        while end is not None and end.end() - start < size:
            end = _TRANSACTION_END.search(data, end.end())
        if end is None:
            return
        yield end.end()
        start = end.end()


def _characters(data: bytes, utf8: bool) -> int:
    return len(data.decode("utf-8", "replace")) if utf8 else len(data)


def wide_to_utf8(blocks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """A UTF-16 or UTF-32 document as UTF-8 bytes whose declaration says so (lines and characters unchanged)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    first = True
    for block in blocks:
        text = decoder.decode(block)
        if first and text:
            text = re.sub(r"""\A(\ufeff?<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""", r"\1\2UTF-8\2", text)
            text = text.removeprefix("\ufeff")
            first = False
        yield text.encode("utf-8", "surrogatepass")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8", "surrogatepass")
