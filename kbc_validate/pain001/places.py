"""Where an element is in the document: its line and column (1-based, columns in characters).

libxml2 knows an element's line but not its column, so the column is found in the bytes of the piece that holds
the element's start tag: the piece's start tags, read past comments, CDATA sections and processing instructions,
are paired in order with the elements that started in the piece. Only pieces with a finding are looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>]*>|<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)", re.S)


class PiecePlaces:
    """The places of the elements that started in one piece.

    Elements are paired with start tags as far as the element asked for, not further: places are mostly asked for
    in document order, and often only near a piece's start (a block's header), so most of a piece is not tokenised.
    The elements are those of the piece when a place is first asked for (kept: their ids stay theirs)."""

    def __init__(self, data: bytes, line: int, column_chars: int, utf8: bool, root: Any,
                 open_before: frozenset[int]) -> None:
        self._data, self._line, self._column_chars, self._utf8 = data, line, column_chars, utf8
        self._root, self._open_before = root, open_before
        self._fresh: list[Any] | None = None
        self._offsets: dict[int, int] = {}
        self._elements: Iterator[Any] | None = None
        self._tokens: Iterator[re.Match[bytes]] | None = None
        self._done = False

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
        offset = self._offset(element)
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

    def _offset(self, element: Any) -> int | None:
        """Where `element`'s start tag is in the piece: the piece's start tags, read past comments, CDATA sections
        and processing instructions, paired in order with the elements that started in the piece."""
        wanted = id(element)
        if wanted in self._offsets or self._done:
            return self._offsets.get(wanted)
        if self._elements is None:  # the elements as the piece left them (a snapshot: the tree changes later on)
            self._elements = iter(self.fresh)
            self._tokens = (token for token in _TOKEN.finditer(self._data) if token.group(1))
        assert self._tokens is not None
        for fresh in self._elements:
            name = _local(fresh).encode()
            # A start tag with no element is passed over (the parser's recovery never adds one; kept defensive).
            token = next((token for token in self._tokens if token.group(1) == name), None)
            if token is None:
                break
            self._offsets[id(fresh)] = token.start()
            if fresh is element:
                return token.start()
        self._done = True
        return None


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
