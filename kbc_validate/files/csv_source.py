"""CSV payment files, as spreadsheets export them: streamed row by row, every finding at its physical line.

- Encoding: UTF-8 with a BOM, else UTF-8 when the first megabyte decodes as UTF-8, else cp1252 (what Belgian Excel
  writes). A line that does not decode is a finding (``KBC905``) that suggests ``--encoding``; it is not guessed.
- Delimiter: the one of ``;``, ``,`` and tab that the header line uses most (``;`` wins a tie).
- Header: Berlin Group paths or aliases (`csv_columns`); a missing mandatory column is one finding for the file.
- Lines: ``line`` is the physical line where the row starts (the header is line 1), right across quoted newlines;
  the column is the field number. Ragged rows, NUL bytes, over-long fields and blank lines are findings.
- Every row read is accounted for in `FileStats`.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from kbc_validate.files.csv_columns import (
    REQUIRED,
    Column,
    Mapping,
    as_loc,
    column,
    column_path,
    implied_issuer,
    is_known_other_column,
    is_weak,
    row_body,
    suggestion,
)
from kbc_validate.files.fix_file import FixColumns, fix_columns, read_as_written, unread_row
from kbc_validate.files.line_feeds import with_line_feeds, with_line_limit
from kbc_validate.files.located import FileStats, Found, Located, file_finding
from kbc_validate.files.reading import Input, RowCallback
from kbc_validate.findings import Issue, Loc, show
from kbc_validate.repeats.tracker import RepeatTracker
from kbc_validate.validate import brussels_today, validate_payment

SAMPLE_BYTES = 1 << 20
# Columns of a header that are read: a payment member each at most (26, `csv_columns.PATHS`), beside a bank export's
# own columns (a few dozen); each unknown one is a finding with a suggestion, which costs about half a millisecond.
MAX_COLUMNS = 1024
DELIMITERS = (";", ",", "\t")


@dataclass
class Lines:
    """Physical lines of a binary stream, decoded, counted, with their bytes and problems noted."""

    stream: IO[bytes]
    encoding: str
    number: int = 0
    bytes_read: int = 0
    problems: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] | None = None  # each line's text as read, when kept (for the fix file's kbc_raw)
    long_lines: dict[int, str] | None = None  # lines left out as too long (`line_feeds.LineLimit`), popped when read
    delimiter: str | None = None  # once known, quotes are followed (`follow`) to find one never closed
    quote: int = 0  # the line where a quote still open was opened; 0: none is

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            self.bytes_read += len(raw)
            if self.long_lines and self.number in self.long_lines:
                self.problems[self.number] = self.long_lines.pop(self.number)
            try:
                text = raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                self.problems[self.number] = f"bytes that are not {self.encoding} ({error.reason}); try --encoding"
                text = raw.decode(self.encoding, errors="replace")
            if self.texts is not None:
                self.texts[self.number] = text
            if "\x00" in text:
                self.problems[self.number] = "a NUL byte"
                text = text.replace("\x00", "")
            if self.delimiter is not None and (self.quote or '"' in text):
                self.follow(text)
            yield text
        if self.quote:
            self.problems[self.quote] = unclosed_quote(self.quote, self.number)

    def follow(self, text: str) -> None:
        """Note where a quote still open at the end of the line `text` was opened (`quote`), as the csv module reads
        the line: a quote opens a field only at the field's start, and a doubled quote in a quoted field is one."""
        quoted, at, quote, delimiter = bool(self.quote), 0, self.quote, self.delimiter or ","
        while True:
            if quoted:
                close = text.find('"', at)
                if close < 0:
                    break
                if text.startswith('"', close + 1):
                    at = close + 2
                    continue
                quoted, at, quote = False, close + 1, 0
            elif text.startswith('"', at):
                quoted, at, quote = True, at + 1, self.number
                continue
            field_end = text.find(delimiter, at)
            if field_end < 0:
                break
            at = field_end + 1
        self.quote = quote if quoted else 0


def unclosed_quote(opened: int, last: int, *, limited: bool = False) -> str:
    """Why the lines from `opened` to `last` were read as one field (`limited`: it ran over the csv module's limit)."""
    if limited:
        return (f"a quote opened on line {opened} is not closed within the csv module's limit of "
                f"{csv.field_size_limit():,} characters: lines {opened} to {last} are not read as rows")
    return (f"a quote opened on line {opened} is never closed: lines {opened} to {last}, the end of the file, are "
            "read as one field")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def detect_encoding(sample: bytes, *, complete: bool = True) -> str:
    """``utf-8-sig`` with a BOM; ``utf-8`` when the sample decodes as UTF-8 or holds UTF-8 letters (a stray bad
    byte is then reported on its line, not taken as a sign of another encoding); else ``cp1252``. A sample that
    is not the `complete` file may end inside a character."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        cut = not complete and error.reason == "unexpected end of data" and error.start >= len(sample) - 3
        valid_letters = any(_is_utf8(m.group()) for m in _UTF8_SEQUENCE.finditer(sample))
        return "utf-8" if cut or valid_letters else "cp1252"
    return "utf-8"


def _is_utf8(sequence: bytes) -> bool:
    try:
        sequence.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most, outside quotes."""
    unquoted = "".join(part for index, part in enumerate(header_line.split('"')) if index % 2 == 0)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


@dataclass
class Header:
    columns: list[Column]
    width: int
    missing: set[Loc]  # top-level members without a column: reported once for the file, not per row
    column_of: dict[Loc, int]
    fix: FixColumns | None = None  # the header is a fix file's (written by --errors-out)
    delimiter: str | None = None

    def column(self, loc: Loc) -> int:
        """The 1-based field number of a finding's location (its member, a parent or a child column), else 1."""
        for length in range(len(loc), 0, -1):
            if loc[:length] in self.column_of:
                return self.column_of[loc[:length]]
        return next((number for where, number in self.column_of.items() if where[: len(loc)] == loc), 1)


def read_header(
    name: str, fields: list[str], delimiter: str, mapping: Mapping | None = None
) -> tuple[Header, list[Located]]:
    """The columns of a header (`mapping`: the user's ``--column`` names first), with its findings. Only its first
    `MAX_COLUMNS` are read: a wider header is one finding, at its first column not read."""
    findings, columns, column_of = [], [], {}
    width = len(fields)
    if width > MAX_COLUMNS:
        fields = fields[:MAX_COLUMNS]
    paths = [column_path(header, mapping) for header in fields]
    strong = {path for header, path in zip(fields, paths, strict=True) if not is_weak(header, mapping)}
    for index, (header, path) in enumerate(zip(fields, paths, strict=True)):
        if path in strong and is_weak(header, mapping):
            continue  # a bank's description beside the column that holds the member (`column_names.WEAK`)
        if path is None:
            if not is_known_other_column(header):
                findings.append(_unknown_column(name, index, header))
        elif as_loc(path) in column_of:
            findings.append(file_finding(name, 1, index + 1, "KBC904", value=header, member=path))
        else:
            columns.append(column(index, as_loc(path), delimiter, implied_issuer(header)))
            column_of[as_loc(path)] = index + 1
    if width > MAX_COLUMNS:
        findings.append(file_finding(name, 1, MAX_COLUMNS + 1, "KBC905", reason=f"the header: {width:,} columns, "
                                     f"more than the {MAX_COLUMNS:,} read (the columns after them are ignored)"))
    missing = {as_loc(path) for path in REQUIRED if as_loc(path) not in column_of}
    findings += [file_finding(name, 1, 1, "KBC902", member=".".join(map(str, loc))) for loc in sorted(missing)]
    fix = fix_columns(fields, delimiter)
    if fix is not None:
        columns = read_as_written(columns)
    return Header(columns, width, {loc[:1] for loc in missing}, column_of, fix, delimiter), findings


def _unknown_column(name: str, index: int, header: str) -> Located:
    near = suggestion(header)
    hint = f" (did you mean {near}?)" if near else ""  # `translations._HINT`
    return file_finding(name, 1, index + 1, "KBC906", value=header, member=show(header), hint=hint)


class CsvReader:
    """The rows of a CSV stream: (start line, end line, fields, or the csv module's error)."""

    def __init__(self, stream: IO[bytes], stats: FileStats, delimiter: str | None, encoding: str | None,
                 long_lines: dict[int, str] | None = None) -> None:
        sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if hasattr(stream, "peek") else b""
        stats.encoding = encoding or detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
        self.lines = Lines(stream, stats.encoding, long_lines=long_lines)
        line_iter = iter(self.lines)
        first = next(line_iter, None)
        stats.delimiter = delimiter or sniff_delimiter(first or "")
        self.lines.delimiter = stats.delimiter
        if first is not None:
            self.lines.follow(first)
        source = _chain(first, line_iter) if first is not None else iter(())
        self._reader = csv.reader(source, delimiter=stats.delimiter)
        self.header_error: csv.Error | None = None
        try:
            # An empty file has a header with no column, as a file holding only a BOM or a blank line does.
            self.header: list[str] | None = next(self._reader, [])
        except csv.Error as error:  # a lone carriage return, an over-long field...
            self.header, self.header_error = None, error

    def __iter__(self) -> Iterator[tuple[int, int, list[str] | csv.Error]]:
        return physical_rows(self._reader, self.lines)


def physical_rows(reader: Iterator[list[str]], lines: Lines) -> Iterator[tuple[int, int, list[str] | csv.Error]]:
    """(start line, end line, fields or the csv module's error) of each row `reader` makes of `lines`."""
    previous_end = lines.number
    while True:
        start = previous_end + 1
        try:
            row: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            row = error
            if lines.quote:  # the module reads on from the next line, outside quotes
                row = csv.Error(unclosed_quote(lines.quote, lines.number, limited=True))
                lines.quote = 0
        previous_end = lines.number
        yield start, previous_end, row


@dataclass(frozen=True)
class CsvEngine:
    """How the rows of a CSV file are validated (chosen in one place, `files.csv_input.csv_engine`): by the
    compiled pass on `compiled` threads when that is given and the file suits it, else row by row."""

    compiled: int | None = None  # the compiled pass's threads (`files.compiled_csv`), for a file it supports


def validate_csv(
    source: Input, stream: IO[bytes], repeats: RepeatTracker, engine: CsvEngine | None = None
) -> Iterator[Found]:
    """Findings of the CSV payment file `source` read from the binary `stream` (buffered, so its start can be
    peeked at), with the delimiter, encoding, service and day of its options; payments are noted in `repeats`.

    With `engine.compiled` (a number of threads), a file the compiled pass supports is read by it
    (`files.compiled_csv`); every other file is read row by row, in this process."""
    name, stats, options, hooks = source.name, source.stats, source.options, source.hooks
    opened = stream
    stream, translated = with_line_feeds(stream, SAMPLE_BYTES)
    stream, long_lines = with_line_limit(stream, SAMPLE_BYTES)
    reader = CsvReader(stream, stats, options.delimiter, options.encoding, long_lines)
    if reader.header_error is not None:
        yield file_finding(name, 1, 1, "KBC905", reason=f"the header: {csv_reason(reader.header_error)}")
    if reader.header is None:
        return
    problems = [p for n in range(1, reader.lines.number + 1) if (p := reader.lines.problems.pop(n, None))]
    if problems:  # the header is read as well as it can be (a NUL left out), and that is said
        yield file_finding(name, 1, 1, "KBC905", reason=f"the header: {problems[0]}")
    if hooks.on_header is not None:
        hooks.on_header(reader.header, stats.delimiter, stats.encoding)
    header, findings = read_header(name, reader.header, stats.delimiter, options.columns)
    yield from findings
    service = csv_service(header, options.service)
    today = options.today or brussels_today()
    compiled = engine.compiled if engine is not None else None
    if compiled is not None:
        from kbc_validate.files.compiled_csv import CompiledFile

        if header.fix is None and CompiledFile.supports(header, service, stats.delimiter, stats.encoding):
            scanned = CompiledFile(name, header, today, stats.delimiter, stats.encoding, compiled)
            yield from scanned.rows(stream, reader.lines.number, repeats, stats, hooks.on_progress,
                                    reader.lines.bytes_read, long_lines, None if translated else opened)
            return
    check = RowCheck(header, service, today, repeats, hooks.on_row)
    yield from check_rows(name, reader, reader.lines, check, stats, hooks.on_progress)


@dataclass
class RowCheck:
    """How the per-row path checks the rows of one file: its header, service and day, where keys are noted."""

    header: Header
    service: str
    today: date
    repeats: RepeatTracker
    on_row: RowCallback | None = None
    repeated: list[Located] = field(default_factory=list)  # repeats found at once, reported after the rows
    long_lines: dict[int, str] | None = None  # lines left out as too long, for `Lines` made of a record's bytes


def check_rows(
    name: str, rows: Iterable[tuple[int, int, list[str] | csv.Error]], lines: Lines, check: RowCheck,
    stats: FileStats, on_progress: Callable[[int], None] | None = None,
) -> Iterator[Located]:
    """The findings of `rows` (from `physical_rows` over `lines`), row by row; `stats` counts them."""
    lines_before = lines.number
    if check.on_row is not None:
        lines.texts = {}
    if lines.long_lines is None:
        lines.long_lines = check.long_lines
    if lines.delimiter is None:
        lines.delimiter = check.header.delimiter
    for start, end, row in rows:
        if isinstance(row, csv.Error):
            stats.rows += 1
            problem = unreadable_row(name, start, row, lines)
            _unread(check, start, [], problem, lines)
            yield problem
            continue
        yield from _check_row(name, start, end, row, lines, check, stats)
        if lines.texts:
            lines.texts.clear()
        if on_progress is not None and stats.rows % 4096 == 0:
            on_progress(lines.bytes_read)
    stats.lines += lines.number - lines_before
    if on_progress is not None:
        on_progress(lines.bytes_read)
    yield from check.repeated
    check.repeated.clear()


def csv_service(header: Header, service: str | None) -> str:
    """The service of a CSV file's rows: as given, else periodic when the header has a periodic column."""
    periodic = {("startDate",), ("frequency",)} & set(header.column_of)
    return service or ("periodic-payments" if periodic else "payments")


def csv_bodies(
    stream: IO[bytes], delimiter: str, encoding: str, mapping: Mapping | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, body) of each row the first pass validated (not blank, readable, of the header's width): the second
    pass of `RepeatTracker`."""
    stream, long_lines = with_line_limit(stream, SAMPLE_BYTES)
    reader = CsvReader(stream, FileStats(), delimiter, encoding, long_lines)
    header, _ = read_header("", reader.header or [], delimiter, mapping)
    for start, end, row in reader:
        if isinstance(row, list) and row_problem("", start, end, row, reader.lines, header) is None:
            yield start, row_body(header.columns, row)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def unreadable_row(name: str, start: int, error: csv.Error, lines: Lines) -> Located:
    """The finding of a row the csv module could not read (its lines' own problems are then moot)."""
    lines.problems.clear()
    return file_finding(name, start, 1, "KBC905", reason=csv_reason(error))


def csv_reason(error: csv.Error) -> str:
    """The csv module's error in the words of a file's user (its own words when it has no better ones here)."""
    text = str(error)
    if text.startswith("new-line character seen in unquoted field"):
        return "a carriage return that no line feed follows, inside the line (the file mixes line endings)"
    if text.startswith("field larger than field limit"):
        return f"a field over the csv module's limit of {csv.field_size_limit():,} characters"
    return text


def _unread(check: RowCheck, start: int, row: list[str], problem: Located, lines: Lines) -> None:
    """Hands a row that could not be validated, with its text as read, to the fix file (`RowCheck.on_row`)."""
    if check.on_row is None or lines.texts is None or (is_blank(row) and problem.code == "KBC909"):
        return
    texts = lines.texts
    raw = "".join(texts.pop(number, "") for number in range(start, lines.number + 1))
    texts.clear()
    check.on_row(start, row, [problem.issue], raw.rstrip("\r\n"))


def is_blank(row: list[str]) -> bool:
    """An empty line, or a line of only delimiters (Excel writes them for formatted empty rows)."""
    return not any(row)


def row_problem(name: str, start: int, end: int, row: list[str], lines: Lines, header: Header) -> Located | None:
    """The finding that keeps a row from being validated: unreadable (a line of NUL bytes too), blank (of only
    delimiters too) or of the wrong width; else None."""
    # pop: problems of rows already read are forgotten, so memory does not grow with a damaged file
    problem = next((p for p in (lines.problems.pop(n, None) for n in range(start, end + 1)) if p), None)
    if problem is not None:
        return file_finding(name, start, 1, "KBC905", reason=problem)
    if is_blank(row):
        return file_finding(name, start, 1, "KBC909")
    if len(row) != header.width:
        return file_finding(name, start, 1, "KBC903", value=len(row), count=len(row), expected=header.width)
    if header.fix is not None:
        return unread_row(name, start, row, header.columns, header.fix, header.width)
    return None


def found_blank(problem: Located | None) -> bool:
    """Whether `row_problem` found a blank line (not counted as a row), rather than a row."""
    return problem is not None and problem.code == "KBC909"


def row_issues(body: dict[str, Any], header: Header, service: str, today: date | None) -> list[Issue]:
    """The findings of one row's payment body (a missing column is reported once for the file, not per row)."""
    return [
        issue for issue in validate_payment(body, service=service, today=today).issues
        if not (issue.code == "KBC101" and issue.loc in header.missing)
    ]


def _check_row(
    name: str, start: int, end: int, row: list[str], lines: Lines, check: RowCheck, stats: FileStats
) -> Iterator[Located]:
    header = check.header
    problem = row_problem(name, start, end, row, lines, header)
    if found_blank(problem):
        stats.blank_lines += 1
    else:
        stats.rows += 1
    if problem is not None:
        _unread(check, start, row, problem, lines)
        yield problem
        return
    body = row_body(header.columns, row)
    issues = row_issues(body, header, check.service, check.today)
    # Repeats an exact tracker finds at once come last, at the row's first column, as a second pass gives them (files
    # and pipes now have theirs confirmed after the rows, `repeats.input_tracker`: this list then stays empty).
    check.repeated += [Located(name, start, 1, issue) for issue in check.repeats.observe(body, start)]
    if check.on_row is not None and issues:
        check.on_row(start, row, issues, None)
    for issue in issues:
        yield Located(name, start, header.column(issue.loc), issue)
