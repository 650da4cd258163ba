"""JSON and JSON Lines payment files: strict parsing, then every body validated and every finding located.

A ``.json`` file holds one body, a Berlin Group bulk body, or an array of bodies; a ``.jsonl`` file one body per
line. Parsing is strict, as KBC's is: a syntax error or a ``NaN``/``Infinity`` literal is a finding (``KBC900``)
with its line and column, and a key repeated within an object is one too (``KBC901``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from kbc_validate.files.json_positions import LineIndex, json_int, locate, scan, value_offsets
from kbc_validate.files.located import FileStats, Located, file_finding
from kbc_validate.findings import Loc
from kbc_validate.repeats.tracker import RepeatTracker
from kbc_validate.validate import validate_payment

Recognise = Callable[[Any], str]


class _NonFinite:
    """Stands for a NaN or Infinity literal, which JSON does not have."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


class StrictJson:
    """Parse hooks that note what the C parser would silently accept."""

    def __init__(self) -> None:
        self.non_finite: list[str] = []
        self.duplicates: set[str] = set()

    def constant(self, literal: str) -> _NonFinite:
        self.non_finite.append(literal)
        return _NonFinite(literal)

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            self.duplicates.update(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        return result

    def loads(self, text: str) -> Any:
        """The value of the JSON `text`, noting NaN and Infinity literals and duplicate keys; integers of any
        length. Raises `json.JSONDecodeError` or `RecursionError` as `json.loads` does."""
        return json.loads(text, parse_constant=self.constant, object_pairs_hook=self.pairs, parse_int=json_int)


def validate_json_text(
    name: str, text: str, service: str | None, recognise: Recognise, today: date | None, stats: FileStats,
    first_line: int = 1, repeats: RepeatTracker | None = None,
) -> Iterator[Located]:
    """Findings of one JSON text (a whole ``.json`` file, or one line of a ``.jsonl`` file starting at `first_line`).

    With `repeats`, each payment (a body, or an element of a bulk body's ``payments``) is noted for the
    repeated-payment rules."""
    strict = StrictJson()
    try:
        value = strict.loads(text)
    except json.JSONDecodeError as error:
        stats.rows += 1
        yield file_finding(name, first_line + error.lineno - 1, error.colno, "KBC900", reason=error.msg)
        return
    except RecursionError:
        stats.rows += 1
        yield file_finding(name, first_line, 1, "KBC900", reason="nested too deeply")
        return
    if strict.non_finite or strict.duplicates:
        yield from _strictness_findings(name, text, strict, first_line)
        if strict.non_finite:
            stats.rows += 1
            return
    bodies: Iterable[tuple[int | None, Any]] = enumerate(value) if isinstance(value, list) else [(None, value)]
    stats.rows += len(value) if isinstance(value, list) else 1
    where = _Positions(text, first_line, isinstance(value, list))
    for position, body in bodies:
        prefix: Loc = () if position is None else (position,)
        report = validate_payment(body, service=service or recognise(body), today=today)
        issues = [_prefixed(issue, prefix) if prefix else issue for issue in report.issues]
        payments = list(_payments(body, prefix)) if repeats is not None else []
        if issues or payments:  # a repeat is reported at its payment or the payment's end-to-end identification
            repeat_locs = [place for loc, _ in payments for place in (loc, (*loc, "endToEndIdentification"))]
            where.body(position, [issue.loc for issue in issues] + repeat_locs)
        for issue in issues:
            line, column = where(issue.loc)
            yield Located(name, line, column, issue)
        for loc, payment in payments:
            line, _ = where(loc)
            for issue in repeats.observe(payment, line):  # type: ignore[union-attr]
                full = _prefixed(issue, loc)
                yield Located(name, line, where(full.loc)[1], full)


class _Positions:
    """(line, column) of locations in the text, one body at a time: the places of one body (an element of an
    array, or the whole text) are looked up when that body has findings, and forgotten at the next."""

    def __init__(self, text: str, first_line: int, array: bool) -> None:
        self._text, self._first_line = text, first_line
        self._lines: LineIndex | None = None
        self._offsets: dict[Loc, int] = {}
        # An array's elements are walked by the C parser (raw_decode) up to the one wanted.
        self._next: tuple[int, int] | None = (0, _SPACE.match(text, text.index("[") + 1).end()) if array else None  # type: ignore[union-attr]

    def body(self, position: int | None, locs: list[Loc]) -> None:
        """Look up the places of `locs` in the body at `position` (None: the whole text)."""
        start = 0 if position is None else self._element(position)
        prefix: Loc = () if position is None else (position,)
        self._offsets = value_offsets(self._text, locs, start, prefix)
        if self._lines is None:
            self._lines = LineIndex(self._text)

    def _element(self, position: int) -> int:
        index, offset = self._next  # type: ignore[misc]
        decoder = _SKIPPER
        while index < position:
            offset = decoder.raw_decode(self._text, offset)[1]
            offset = _SPACE.match(self._text, offset).end()  # type: ignore[union-attr]
            offset = _SPACE.match(self._text, offset + 1).end()  # type: ignore[union-attr]  # past ','
            index += 1
        self._next = (index, offset)
        return offset

    def __call__(self, loc: Loc) -> tuple[int, int]:
        line, column = self._lines.position(locate(self._offsets, loc))  # type: ignore[union-attr]
        return self._first_line + line - 1, column


_SPACE = re.compile(r"[ \t\n\r]*")
_SKIPPER = json.JSONDecoder(parse_int=json_int, parse_constant=lambda literal: None)


def _payments(body: Any, prefix: Loc) -> Iterator[tuple[Loc, dict[str, Any]]]:
    """The payments of a body with their locations: the body itself, or a bulk body's elements."""
    if not isinstance(body, dict):
        return
    elements = body.get("payments")
    if isinstance(elements, list):
        yield from (((*prefix, "payments", i), p) for i, p in enumerate(elements) if isinstance(p, dict))
    else:
        yield prefix, body


def _prefixed(issue: Any, prefix: Loc) -> Any:
    from dataclasses import replace

    return replace(issue, loc=(*prefix, *issue.loc))


# Strings are matched first so that a literal inside a string ("NaN") is not taken for one.
_NON_FINITE = re.compile(r'"(?:[^"\\]++|\\.)*+"|(-?Infinity|NaN)', re.DOTALL)


def _strictness_findings(name: str, text: str, strict: StrictJson, first_line: int) -> Iterator[Located]:
    lines = LineIndex(text)
    for match in _NON_FINITE.finditer(text) if strict.non_finite else ():
        if match.group(1):
            line, column = lines.position(match.start())
            reason = f"{match.group(1)} is not a JSON value"
            yield file_finding(name, first_line + line - 1, column, "KBC900", reason=reason)
    if strict.non_finite:
        return
    repeated: dict[Loc, int] = {}  # a key met again keeps its last place, as json.loads keeps its last value

    def visit(loc: Loc, offset: int) -> None:
        if loc and isinstance(loc[-1], str) and loc[-1] in strict.duplicates:
            repeated[loc] = offset

    scan(text, visit)
    for loc, offset in repeated.items():
        line, column = lines.position(offset)
        yield file_finding(name, first_line + line - 1, column, "KBC901", loc, member=loc[-1])


def validate_json_lines(
    name: str, lines: Iterable[str], service: str | None, recognise: Recognise, today: date | None,
    stats: FileStats, repeats: RepeatTracker | None = None,
) -> Iterator[Located]:
    """Findings of a JSON Lines text: one body per line; blank lines are counted and skipped."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            # without its line end, so that a line cut short is reported on its own line, not the next
            text = line.removesuffix("\n").removesuffix("\r")
            yield from validate_json_text(name, text, service, recognise, today, stats, number, repeats)
        else:
            stats.blank_lines += 1


def json_lines_payments(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, payment) of each readable line: the second pass of `RepeatTracker`."""
    for number, line in enumerate(lines, start=1):
        try:
            body = StrictJson().loads(line) if line.strip() else None
        except (ValueError, RecursionError):
            continue
        yield from ((number, payment) for _, payment in _payments(body, ()))
