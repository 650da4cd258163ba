"""Where each value of a JSON text starts: ``loc`` tuple -> (line, column), both counted from 1.

The C parser (``json.loads``) reads the values; this scanner runs only when findings need a place, and only
over a text the C parser has accepted, so it assumes valid JSON. It is iterative: nesting depth cannot
exhaust Python's stack. Duplicate keys keep the position of their last occurrence, as ``json.loads`` keeps
their last value.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

Loc = tuple[str | int, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]} \t\n\r]+")


class LineIndex:
    """Offsets to (line, column) in a text."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *accumulate(len(line) for line in text.splitlines(keepends=True))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def value_offsets(text: str) -> dict[Loc, int]:
    """The offset at which each value of the (valid) JSON `text` starts, by location."""
    import json

    offsets: dict[Loc, int] = {}
    stack: list[tuple[Loc, int | None]] = []  # (location of the container, next list index or None for objects)
    loc: Loc = ()
    i = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    while True:
        offsets[loc] = i
        char = text[i]
        if char in "{[":
            stack.append((loc, None if char == "{" else 0))
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] in "}]":  # empty container
                stack.pop()
                i += 1
            else:
                loc, i = _next_member(text, i, stack, json)
                continue
        else:
            i = (_STRING if char == '"' else _SCALAR).match(text, i).end()  # type: ignore[union-attr]
        # after a value: close containers, or move to the next member
        while True:
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            if not stack:
                return offsets
            if text[i] == ",":
                i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
                loc, i = _next_member(text, i, stack, json)
                break
            stack.pop()
            i += 1


def _next_member(text: str, i: int, stack: list[tuple[Loc, int | None]], json: object) -> tuple[Loc, int]:
    """The location of the next member of the innermost container, and the offset of its value."""
    parent, index = stack[-1]
    if index is not None:
        stack[-1] = (parent, index + 1)
        return (*parent, index), i
    end = _STRING.match(text, i).end()  # type: ignore[union-attr]
    key = json.loads(text[i:end])  # type: ignore[attr-defined]
    i = _SPACE.match(text, end).end()  # type: ignore[union-attr]
    i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]  # past ':'
    return (*parent, key), i


def locate(offsets: dict[Loc, int], loc: Loc) -> int:
    """The offset of `loc`, or of its nearest located ancestor (a missing member points at its object)."""
    while loc not in offsets and loc:
        loc = loc[:-1]
    return offsets.get(loc, 0)
