"""Where the values of a JSON text start: ``loc`` tuple -> (line, column), both counted from 1.

The C parser (``json.loads``) reads the values; this scanner runs only when findings need a place, and only
over a text the C parser has accepted, so it assumes valid JSON. It is iterative: nesting depth cannot
exhaust Python's stack. It keeps only the places asked for (and their ancestors'), so that its memory does not
grow with the text: a finding's place is looked up in the one value (a body of an array) that holds it.
Duplicate keys keep the position of their last occurrence, as ``json.loads`` keeps their last value.

Lines are counted as JSON counts them (and as ``json.JSONDecodeError`` reports them): a line ends at a line feed.
A U+2028 or U+0085 inside a string is a character of that string, not a line break.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable, Collection
from decimal import Decimal

Loc = tuple[str | int, ...]
Visit = Callable[[Loc, int], None]

_SPACE = re.compile(r"[ \t\n\r]*")
# Possessive: a plain (?:...|...)* keeps a backtracking record per character (700 MB for a string of 5 million).
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]} \t\n\r]+")
_STEP = 4096  # characters between two of `LineIndex`'s counts


INT_DIGITS = 4300  # Python's own limit on converting digits to an int (sys.int_info.default_max_str_digits)


def json_int(digits: str) -> int | Decimal:
    """A JSON integer: an int, or past `INT_DIGITS` digits a Decimal (converting so many digits to an int is
    refused by Python, and would take time that grows with their square)."""
    return int(digits) if len(digits) <= INT_DIGITS else Decimal(digits)


class LineIndex:
    """Offsets to (line, column) in a text whose lines end in line feeds.

    It keeps a count of the lines before every 4,096th character (two numbers each: about 0.4% of the text's
    size), so that a position costs a search of at most 4,096 characters, however long the text or its lines."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = array("q", [0])  # line feeds before character k * _STEP
        self._starts = array("q", [0])  # the offset of the line holding character k * _STEP
        lines = 0
        for start in range(_STEP, len(text) + _STEP, _STEP):
            lines += text.count("\n", start - _STEP, start)
            self._lines.append(lines)
            self._starts.append(text.rfind("\n", start - _STEP, start) + 1 or self._starts[-1])

    def position(self, offset: int) -> tuple[int, int]:
        step = min(offset // _STEP, len(self._lines) - 1)
        base = step * _STEP
        line = self._lines[step] + self._text.count("\n", base, offset) + 1
        start = self._text.rfind("\n", base, offset) + 1 or self._starts[step]
        return line, offset - start + 1


def scan(text: str, visit: Visit, start: int = 0, loc: Loc = ()) -> int:
    """Call `visit` with the location and offset of the (valid) JSON value at offset `start` of `text`, whose
    location is `loc`, and of every value inside it, in text order; return the offset just past the value."""
    stack: list[tuple[Loc, int | None]] = []  # (location of the container, next list index or None for objects)
    i = _SPACE.match(text, start).end()  # type: ignore[union-attr]
    while True:
        visit(loc, i)
        char = text[i]
        if char in "{[":
            stack.append((loc, None if char == "{" else 0))
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] in "}]":  # empty container
                stack.pop()
                i += 1
            else:
                loc, i = _next_member(text, i, stack)
                continue
        else:
            i = (_STRING if char == '"' else _SCALAR).match(text, i).end()  # type: ignore[union-attr]
        # after a value: close containers, or move to the next member
        while True:
            if not stack:
                return i
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
                loc, i = _next_member(text, i, stack)
                break
            stack.pop()
            i += 1


def _next_member(text: str, i: int, stack: list[tuple[Loc, int | None]]) -> tuple[Loc, int]:
    """The location of the next member of the innermost container, and the offset of its value."""
    parent, index = stack[-1]
    if index is not None:
        stack[-1] = (parent, index + 1)
        return (*parent, index), i
    end = _STRING.match(text, i).end()  # type: ignore[union-attr]
    key = json.loads(text[i:end])
    i = _SPACE.match(text, end).end()  # type: ignore[union-attr]
    i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]  # past ':'
    return (*parent, key), i


def value_offsets(text: str, wanted: Collection[Loc] | None = None, start: int = 0, loc: Loc = ()) -> dict[Loc, int]:
    """The offset at which each value of the (valid) JSON value at `start` starts, by location: of every value,
    or only of the locations in `wanted` and their ancestors (what `locate` needs)."""
    offsets: dict[Loc, int] = {}
    if wanted is None:
        scan(text, offsets.__setitem__, start, loc)
        return offsets
    kept = {where[:length] for where in wanted for length in range(len(where) + 1)}

    def visit(where: Loc, offset: int) -> None:
        if where in kept:
            offsets[where] = offset

    scan(text, visit, start, loc)
    return offsets


def locate(offsets: dict[Loc, int], loc: Loc) -> int:
    """The offset of `loc`, or of its nearest located ancestor (a missing member points at its object)."""
    while loc not in offsets and loc:
        loc = loc[:-1]
    return offsets.get(loc, 0)
