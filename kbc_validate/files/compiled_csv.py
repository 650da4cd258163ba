"""The compiled pass (``kbc_validate._scan``, Rust): a CSV file's single payments validated in one pass over its bytes,
with the findings of the per-row path, byte for byte.

The scanner reads the body block by block on every core, without the GIL. It sets aside the rows that are surely
clean (each member's acceptor, restated over bytes from the rules' own `Vector` patterns and tables, passed here at
start-up), hashes every row's repetition keys for `repeats.hash_log`, and hands back only what needs the rules:

- *raw* records (a quote, a carriage return inside a line, a NUL, bytes that do not decode, a ragged or blank row):
  read here by the per-row path, from their bytes;
- groups of a row (a top-level member's cells) that are not surely clean: the member's own check runs once per
  distinct value (`GroupChecks`), and its findings are written at every row holding it;
- *exact* rows (a rule relating members may concern them: a mandatory member missing, both remittance forms, the
  same account maybe): their findings are their members' own, taken from the same checks of distinct values, and
  those of the rules relating members (`bodies.check_payment_relations`), in body order, as `validate_payment`'s
  (`GroupChecks.row_findings`); the scanner tells which of their groups are not surely clean and makes their keys
  (`_scan.exact_rows`).

Without the extension (no wheel and no Rust toolchain when installing), `available` is False and CSV files take the
other engines. The differential tests hold this engine to the per-row path on generated and adversarial files.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from kbc_validate import extension
from kbc_validate.files.body_blocks import BodyBlocks
from kbc_validate.files.csv_columns import COMMA_AMOUNT, Column, Converter, converter, row_body
from kbc_validate.files.csv_source import Header, Lines, RowCheck, check_rows, physical_rows
from kbc_validate.files.finding_rows import FindingRows
from kbc_validate.files.located import FileStats
from kbc_validate.findings import Issue, Loc, finding, sort_in_body_order
from kbc_validate.identifiers.registry import belgian_bank_codes
from kbc_validate.repeats.tracker import RepeatTracker
from kbc_validate.rules.amount import accept_amount
from kbc_validate.rules.bodies import SPECS, check_payment_relations
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import BELGIAN_IBAN_SHAPE, OGM_SHAPE, Vector, check_members

_scan: Any = extension.module  # None when built without a Rust toolchain: the per-row path reads CSV files

BLOCK_BYTES = 4 << 20  # two in flight (one scanned, one written out): memory stays well under 100 MiB
FIRST_BLOCK_BYTES = 1 << 19  # a smaller first block: this thread starts on its findings sooner
SWITCH_SECONDS = 0.001  # `_switching`
_MEMO_LIMIT = 1 << 12  # distinct values' findings remembered (one-off faulty values would grow it with the file)
_CLEAN_AMOUNT = b"1"  # an amount the amount rule accepts, standing for every other (`GroupChecks.findings`)
STRUCTURED = "remittanceInformationStructured"
UNSTRUCTURED = "remittanceInformationUnstructured"
NOT_INSTALLED = ("kbc-validate: the compiled pass (kbc_validate._scan) is not installed here; CSV files are read by "
                 "the pure-Python path: the same findings, slower")


def available() -> bool:
    """Whether the extension module was built and imports."""
    return _scan is not None


def scanner_module() -> Any:
    """The extension module, or None."""
    return _scan


def scanned_codec(encoding: str) -> str | None:
    """The name the scanner knows `encoding` by, when it reads it (the line-safe encodings)."""
    name = codecs.lookup(encoding).name
    return name if name in {"utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-1", "iso8859-15", "ascii"} else None


key_hash = extension.key_hash  # the hash the scanner gives a repetition key (for `RepeatTracker.hasher`)


@dataclass
class Group:
    name: str
    columns: list[Column]


def groups_of(header: Header) -> list[Group]:
    """The header's columns by top-level member, in order of their first column."""
    groups: dict[str, Group] = {}
    for column in header.columns:
        name = column.parents[0] if column.parents else column.member
        groups.setdefault(name, Group(name, [])).columns.append(column)
    return list(groups.values())


def byte_safe(pattern: str) -> bool:
    """Whether `pattern` matches the same strings in Python's `re` and, over bytes without Unicode classes, in the
    scanner's: ASCII, no class escape (``\\d`` is any Unicode digit in Python), no dot or negated class (which would
    match one byte of a character in the scanner)."""
    if not pattern.isascii() or "[^" in pattern:
        return False
    in_class, escaped = False, False
    for char in pattern:
        if escaped:
            if char.isalnum():
                return False
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "." and not in_class:
            return False
    return True


def _cell_spec(column: Column, vector: Vector | None, delimiter: str) -> tuple[int, str, str, str, int]:
    path = ".".join((*column.parents, column.member))
    convert = converter(path, delimiter)
    conversion = "iban" if path.endswith(".iban") else "amount" if convert is not None else ""
    if vector is not None and vector.kind == "pattern" and byte_safe(vector.pattern):
        return column.field, conversion, "pattern", vector.pattern, vector.max_length
    if vector is not None and vector.kind == "iban":
        return column.field, conversion, "iban", "", 0
    return column.field, conversion, "never", "", 0


def _group_spec(group: Group, delimiter: str) -> tuple[Any, ...]:
    """The scanner's acceptor of `group`, from its member's `Vector` (`columnar.engine.FrameValidator._clean_expr`)."""
    fields = [column.field for column in group.columns]
    memo: tuple[Any, ...] = ("memo", fields, [], [], False, [], None, None, "")
    vector = SPECS["payments"].vectors.get(group.name)
    if vector is None:
        return memo
    if not group.columns[0].parents:
        return ("object", fields, [_cell_spec(group.columns[0], vector, delimiter)], [], False, [], None, None, "")
    spec = vector.spec
    if spec is None or vector.kind not in ("object", "structured"):
        return memo
    cells = [_cell_spec(column, spec.vectors.get(column.member), delimiter) for column in group.columns]
    field_of = {column.member: column.field for column in group.columns}
    defaults = {"currency"} if group.name == "instructedAmount" else set()
    required = [field_of[m] for m in spec.required if m not in defaults and m in field_of]
    never = any(m not in defaults and m not in field_of for m in spec.required)
    if vector.kind == "object":
        ascii_fields = [column.field for column in group.columns if column.member == "iban"]
        return ("object", fields, cells, required, never, ascii_fields, None, None, "")
    issuers = {column.issuer for column in group.columns if column.issuer}
    if len(issuers) > 1:
        return memo
    return ("structured", fields, cells, required, never, [], field_of.get("reference"),
            field_of.get("referenceIssuer"), next(iter(issuers), ""))


class GroupChecks:
    """The findings of a group's distinct values, by the member's own check (`members.check_members` of an object
    holding that member alone), and of whole rows made of them (`row_findings`)."""

    def __init__(self, header: Header, groups: list[Group], today: date, encoding: str) -> None:
        self.header, self.groups, self.today = header, groups, today
        # A cell is inside its line (a line starting with a BOM is raw): UTF-8 with a BOM decodes it as UTF-8, whose
        # codec keeps a BOM at its start as the per-row path's line does (utf-8-sig's would strip it).
        self.encoding = "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding
        self.spec = SPECS["payments"]
        self._memo: dict[tuple[int, tuple[bytes, ...]], list[tuple[int, Issue]]] = {}
        # Each group's columns renumbered from 0: a value's body is made of its own cells alone.
        self._columns = [[c._replace(field=at) for at, c in enumerate(g.columns)] for g in groups]
        self._fields = [[c.field for c in g.columns] for g in groups]
        self._index = {group.name: index for index, group in enumerate(groups)}
        self._column_of: dict[Loc, int] = {}  # `header.column` of the locations met (the header's paths: bounded)
        self._amounts = {index: (at, c.convert) for index, g in enumerate(groups) for at, c in enumerate(g.columns)
                         if g.name == "instructedAmount" and c.member == "amount"}
        self._ctx = Context(today)  # for acceptors that need none
        self._relations: dict[tuple[Any, ...], Issue] = {}  # findings relating members (`_Remembering`)
        self.shapes: dict[Any, list[tuple[int, Issue]]] = {}  # by groups present... (`CompiledFile._exact_row`)

    def findings(self, index: int, cells: tuple[bytes, ...]) -> list[tuple[int, Issue]]:
        """(column, issue) of each finding of group `index` holding `cells`, in body order."""
        amount = self._amounts.get(index)
        if amount is not None:
            cells = self._without_clean_amount(cells, *amount)
        found = self._memo.get((index, cells))
        if found is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[(index, cells)] = self._check(index, cells)
        return found

    def clean(self, index: int, cells: tuple[bytes, ...]) -> bool:
        return not self.findings(index, cells)

    def _without_clean_amount(self, cells: tuple[bytes, ...], at: int, convert: Converter) -> tuple[bytes, ...]:
        """`cells` of an instructed amount, its amount cell as `_CLEAN_AMOUNT` when the amount rule accepts it: the
        rule checks the amount and the currency each on its own (`amount.check_instructed_amount`), so a clean
        amount's findings (none) and its group's (the currency's) are those of any other clean amount. Values
        distinct only by their amount (`12,50;USD`, `7,10;USD`) are then checked once."""
        cell = cells[at]
        if cell == _CLEAN_AMOUNT or not cell.isascii():
            return cells
        text = cell.decode("ascii")
        if not accept_amount(text if convert is None else convert(text), self._ctx):
            return cells
        return (*cells[:at], _CLEAN_AMOUNT, *cells[at + 1:])

    def _check(self, index: int, cells: tuple[bytes, ...]) -> list[tuple[int, Issue]]:
        body = row_body(self._columns[index], [cell.decode(self.encoding) for cell in cells])
        ctx = Context(self.today)
        check_members(body, (), self.spec, ctx)
        issues = ctx.issues if len(ctx.issues) < 2 else sort_in_body_order(body, ctx.issues)
        return [(self.column(issue.loc), issue) for issue in issues]

    def column(self, loc: Loc) -> int:
        """`header.column(loc)`, remembered."""
        column = self._column_of.get(loc)
        if column is None:
            column = self._column_of[loc] = self.header.column(loc)
        return column

    def row_findings(self, body: dict[str, Any], cells: list[bytes], unsure: int) -> list[tuple[int, Issue]]:
        """(column, issue) of each finding of a row's `body` (made of its `cells`), as the per-row path makes them
        (`csv_source.row_issues`): each member's own findings (none for a group the scanner found clean, not in
        `unsure`; else its group's, remembered by value), and those relating members
        (`bodies.check_payment_relations`), all in body order."""
        found: list[tuple[int, Issue]] = []
        for name in body if unsure else ():
            index = self._index[name]
            if unsure >> index & 1:
                found += self.findings(index, tuple([cells[field] for field in self._fields[index]]))
        ctx = _Remembering(self.today, self._relations)
        check_payment_relations(body, ctx)
        if not ctx.issues:
            return found
        missing = self.header.missing  # reported once for the file (`csv_source.row_issues`)
        relations = [i for i in ctx.issues if not (i.code == "KBC101" and i.loc in missing)] if missing else ctx.issues
        issues = [issue for _, issue in found] + relations
        ordered = sort_in_body_order(body, issues) if len(issues) > 1 else issues
        return [(self.column(issue.loc), issue) for issue in ordered]


class _Remembering(Context):
    """A context whose findings are remembered by what makes them (`finding`'s arguments, when hashable): the
    findings relating members recur (the same member missing, the same account twice)."""

    __slots__ = ("_known",)

    def __init__(self, today: date, known: dict[tuple[Any, ...], Issue]) -> None:
        super().__init__(today)
        self._known = known

    def report(self, code: str, loc: Loc, value: Any, **ctx: Any) -> None:
        try:
            key = (code, loc, value, type(value), *ctx.items())
            issue = self._known.get(key)
        except TypeError:  # unhashable: an object, a list
            super().report(code, loc, value, **ctx)
            return
        if issue is None:
            if len(self._known) >= _MEMO_LIMIT:
                self._known.clear()
            issue = self._known[key] = finding(code, loc, value, **ctx)
        self.issues.append(issue)


class CompiledFile:
    """One CSV file's single payments through the scanner (`supports` tells which files)."""

    def __init__(self, name: str, header: Header, today: date, delimiter: str, encoding: str, threads: int) -> None:
        assert _scan is not None
        self.name, self.header, self.encoding, self.threads = name, header, encoding, threads
        self.groups = groups_of(header)
        self.checks = GroupChecks(header, self.groups, today, encoding)
        self.today = today
        self.scanner = _scan.Scanner(ord(delimiter), scanned_codec(encoding), header.width, csv.field_size_limit(),
                                     [_group_spec(group, delimiter) for group in self.groups], self._exact(),
                                     self._keys(), self._patterns(delimiter), _bank_codes())
        self.delimiter = delimiter
        self._byte = delimiter.encode("ascii")
        index = self._index()
        # The two remittance forms' groups, as a mask (-1, which no row's groups make, without both columns).
        both = STRUCTURED in index and UNSTRUCTURED in index
        self._both = (1 << index[STRUCTURED]) | (1 << index[UNSTRUCTURED]) if both else -1
        debtor, creditor = self._field("debtorAccount", "iban"), self._field("creditorAccount", "iban")
        self._accounts = (debtor, creditor) if debtor is not None and creditor is not None else None

    @staticmethod
    def supports(header: Header, service: str, delimiter: str, encoding: str) -> bool:
        """Single payments whose mandatory columns are all there, in a line-safe encoding, a one-byte delimiter."""
        return (service == "payments" and not header.missing and header.width > 0 and len(delimiter) == 1
                and delimiter.isascii() and delimiter not in '"\r\n' and scanned_codec(encoding) is not None
                and len(groups_of(header)) <= 64)

    def _index(self) -> dict[str, int]:
        return {group.name: index for index, group in enumerate(self.groups)}

    def _field(self, *path: str) -> int | None:
        return self.header.column_of[path] - 1 if path in self.header.column_of else None

    def _exact(self) -> tuple[Any, ...]:
        index = self._index()
        required = [index[name] for name in SPECS["payments"].required if name in index]
        both = (index[STRUCTURED], index[UNSTRUCTURED]) if STRUCTURED in index and UNSTRUCTURED in index else None
        return required, both, self._field("debtorAccount", "iban"), self._field("creditorAccount", "iban")

    def _keys(self) -> tuple[Any, ...]:
        columns = self.header.columns
        accounts = [c.field for c in columns if c.parents[:1] == ("creditorAccount",)]
        amounts = [c.field for c in columns if c.parents[:1] == ("instructedAmount",)]
        return (self._field("endToEndIdentification"), accounts, amounts, self._field("creditorAccount", "iban"),
                self._field("instructedAmount", "amount"), self._field(STRUCTURED, "reference"),
                self._field(UNSTRUCTURED))

    @staticmethod
    def _patterns(delimiter: str) -> tuple[str | None, str, str]:
        comma = COMMA_AMOUNT.pattern if delimiter != "," else None
        return comma, BELGIAN_IBAN_SHAPE, OGM_SHAPE

    def rows(self, stream: IO[bytes], lines_before: int, repeats: RepeatTracker, stats: FileStats,
             on_progress: Callable[[int], None] | None, bytes_before: int,
             long_lines: dict[int, str] | None = None, file: IO[bytes] | None = None) -> Iterator[FindingRows]:
        """The findings of the rows after the header (`lines_before` lines, `bytes_before` bytes) of `stream`, read
        at their offsets in `file` (the file under `stream`, untranslated) when it is a regular file
        (`body_blocks.BodyBlocks`).

        With more than one thread, the next block is scanned (on `threads` threads: the scanner releases the GIL)
        while this one's findings are made and written here, from a thread of its own; with one, in turn."""
        repeats.hasher, repeats.threads = key_hash, self.threads
        long_lines = {} if long_lines is None else long_lines
        check = RowCheck(self.header, "payments", self.today, repeats, long_lines=long_lines)
        line = lines_before
        blocks = BodyBlocks(stream, file, bytes_before, long_lines, BLOCK_BYTES)
        with _Scanning(self.threads > 1) as pool, _switching(self.threads > 1):
            data, eof = blocks.first(FIRST_BLOCK_BYTES)
            scanning = pool.submit(self._scan, data, line, eof) if data else None
            while scanning is not None:
                consumed, lines, rows, raw, flags, keys, pairs = scanning.result()
                current, scanned_to = data, blocks.read_to
                line += lines
                scanning = None
                if not eof:
                    data, eof = blocks.next(consumed, line)
                    scanning = pool.submit(self._scan, data, line, eof) if data else None
                stats.rows += rows
                stats.lines += lines
                repeats.note(pairs)
                yield from self._block(current, raw, flags, keys, check, stats)
                if on_progress is not None:
                    on_progress(scanned_to)

    def _scan(self, data: bytes, line: int, eof: bool) -> tuple[Any, ...]:
        # On every thread, though this one writes the previous block's findings meanwhile: when it waits, the scan
        # has them all; when it does not, the system shares the cores (measured faster than one thread fewer).
        result: tuple[Any, ...] = self.scanner.scan(data, line, eof, self.threads, self.checks.clean)
        return result

    def _block(self, data: bytes, raw: list[tuple[int, int, int, bool]], flags: bytes,
               keys: list[tuple[int, tuple[bytes, ...]]], check: RowCheck, stats: FileStats) -> Iterator[FindingRows]:
        """A block's findings in line order, as one run: its raw records' and its flagged groups'. Each flagged key's
        findings are made once (`GroupChecks`) and stand for ids in the run's distinct findings; the extension puts
        the (line, id) pairs in line order."""
        distinct: list[tuple[int, Issue]] = []
        offsets = array("Q", [0])
        for group, cells in keys:
            distinct += self.checks.findings(group, cells)
            offsets.append(len(distinct))
        records, ids_of = array("Q"), dict[tuple[int, int], int]()
        split = self.header.fix is None
        exact = [record[:3] for record in raw if record[3] and split]
        told, pairs = _scan.exact_rows(self.scanner, data, exact) if exact else ([], b"")
        if pairs:
            check.repeats.note(pairs)
        tells = iter(told)
        for record in raw:
            found = (self._exact_row(data, record, next(tells), check, stats) if record[3] and split
                     else self._raw(data, record, check, stats))
            for line, column, issue in found:
                # A finding met again (a member missing from many rows: one `Issue`) is one distinct finding: its
                # words are rendered once. Its issue is in `distinct`, alive: its id names no other object meanwhile.
                at = ids_of.setdefault((column, id(issue)), len(distinct))
                if at == len(distinct):
                    distinct.append((column, issue))
                records.extend((record[0], line, at))
        if not distinct:
            return
        lines, ids = _scan.expand(flags, offsets.tobytes(), records.tobytes())
        if lines:
            yield FindingRows(self.name, lines, ids, distinct, _scan)

    def _exact_row(self, data: bytes, record: tuple[int, int, int, bool], told: tuple[int, int, bool, bool],
                   check: RowCheck, stats: FileStats) -> list[tuple[int, int, Issue]]:
        """The per-row path's findings of an exact row (a row the scanner split: one line, no quote, carriage return
        or NUL, in the file's encoding, the header's width, not blank, so that `csv_source.check_rows` would find no
        problem in it), as `csv_source._check_row` makes them, without a reader a row: from its members' findings
        and those relating them (`GroupChecks.row_findings`). `told` (`_scan.exact_rows`): the groups present, those
        the scanner did not find surely clean, whether the debtor and the creditor may be the same account, and
        whether the scanner made the row's keys."""
        line, start, end, _ = record
        present, unsure, same_account, keyed = told
        stats.rows += 1
        text = data[start:end]
        text = text[:-1] if text.endswith(b"\n") else text
        text = text[:-1] if text.endswith(b"\r") else text
        cells = text.split(self._byte)
        # A row whose members are all clean, with one remittance form at most, has the findings of the mandatory
        # members it lacks and, when its debtor and creditor are the same account, that one: its groups present
        # and its accounts' cells tell them (remembered by those).
        shape: Any = None
        if keyed and not unsure and present & self._both != self._both:
            if not same_account:
                shape = present
            elif self._accounts is not None:
                shape = (present, cells[self._accounts[0]], cells[self._accounts[1]])
        found = self.checks.shapes.get(shape) if shape is not None else None
        if found is None:
            body = row_body(self.header.columns, text.decode(self.checks.encoding).split(self.delimiter))
            found = self.checks.row_findings(body, cells, unsure)
            if shape is not None:
                if len(self.checks.shapes) >= _MEMO_LIMIT:
                    self.checks.shapes.clear()
                self.checks.shapes[shape] = found
            if not keyed:
                return [(line, column, issue) for column, issue in found] + [
                    (line, 1, issue) for issue in check.repeats.observe(body, line)]
        return [(line, column, issue) for column, issue in found]

    def _raw(self, data: bytes, record: tuple[int, int, int, bool], check: RowCheck,
             stats: FileStats) -> list[tuple[int, int, Issue]]:
        """The per-row path's findings of a raw record (its keys noted by `check.repeats`)."""
        line, start, end, _ = record
        lines = Lines(io.BytesIO(data[start:end]), self.encoding, number=line - 1)
        counted = FileStats()
        reader = physical_rows(csv.reader(lines, delimiter=self.delimiter), lines)
        found = [(f.line, f.column, f.issue) for f in check_rows(self.name, reader, lines, check, counted)]
        stats.rows += counted.rows
        stats.blank_lines += counted.blank_lines
        return found


class _Switch:
    """While blocks are scanned ahead: the scanning thread, which needs the GIL to start a block and to hand it back,
    waits for it at most `SWITCH_SECONDS` while the main thread works on findings (Python's default: 5 ms a time).
    The interval is the process's: shortened by the first file scanned ahead, given back by the last to end, in
    whatever order files being read at once end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 0.0

    @contextlib.contextmanager
    def shorter(self, ahead: bool) -> Iterator[None]:
        if not ahead:
            yield
            return
        with self._lock:
            if not self._users:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SWITCH_SECONDS))
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if not self._users:
                    sys.setswitchinterval(self._saved)


_switching = _Switch().shorter


class _Scanning(ThreadPoolExecutor):
    """Where blocks are scanned: on a thread of their own (`ahead`: while the previous block's findings are written),
    or in turn on this one."""

    def __init__(self, ahead: bool) -> None:
        super().__init__(max_workers=1, thread_name_prefix="kbc-scan")
        self.ahead = ahead

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.ahead:
            return super().submit(fn, *args, **kwargs)
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller by `result`, as from a thread
            done.set_exception(error)
        return done


def _bank_codes() -> list[int]:
    return sorted(int(code) for code in belgian_bank_codes() if code.isdigit())


def default_threads() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1
