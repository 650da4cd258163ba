"""Where an element is in the document: its line and column (1-based, columns in characters).

libxml2 knows an element's line but not its column, so the column is found in the bytes of the piece that holds
the element's start tag: the piece's start tags, read past comments, CDATA sections and processing instructions,
are paired in order with the elements that started in the piece. Only pieces with a finding are looked at.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>]*>|<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)", re.S)


class PiecePlaces:
    """The places of the elements that started in one piece."""

    def __init__(self, data: bytes, line: int, column_chars: int, utf8: bool, root: Any,
                 open_before: frozenset[int]) -> None:
        self._data, self._line, self._column_chars, self._utf8 = data, line, column_chars, utf8
        self._root, self._open_before = root, open_before
        self._fresh: list[Any] | None = None
        self._offsets: dict[int, int] | None = None

    @property
    def fresh(self) -> list[Any]:
        """The elements that started in the piece, in document order (found when first asked for)."""
        if self._fresh is None:
            every = self._root.iter() if self._root is not None else ()
            self._fresh = [element for element in every if id(element) not in self._open_before]
        return self._fresh

    def place(self, element: Any) -> tuple[int, int]:
        """(line, column) of `element`'s start tag; an element that started before the piece gets its line and
        column 1."""
        offset = self._offsets_by_element().get(id(element))
        if offset is None:
            return element.sourceline or self._line, 1
        before = self._data[:offset]
        newline = before.rfind(b"\n")
        line = self._line + before.count(b"\n")
        if newline < 0:
            return line, self._column_chars + self._characters(before) + 1
        return line, self._characters(before[newline + 1 :]) + 1

    def _characters(self, data: bytes) -> int:
        return len(data.decode("utf-8", "replace")) if self._utf8 else len(data)

    def _offsets_by_element(self) -> dict[int, int]:
        if self._offsets is None:
            starts = [(token.start(), token.group(1)) for token in _TOKEN.finditer(self._data) if token.group(1)]
            self._offsets = {}
            index = 0
            for element in self.fresh:
                name = _local(element).encode()
                while index < len(starts) and starts[index][1] != name:
                    index += 1  # a start tag with no element (the parser's recovery never adds one; kept defensive)
                if index == len(starts):
                    break
                self._offsets[id(element)] = starts[index][0]
                index += 1
        return self._offsets


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
