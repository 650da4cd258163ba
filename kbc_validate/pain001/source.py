"""A pain.001 document as given (bytes, text, a path or a binary file object), read in blocks, and read again when
the repeated-payment rules need a second pass.

Text is encoded as UTF-8 for the parser; an encoding its XML declaration names is then no longer true, so the
declaration is made to say UTF-8 (on the first line only: lines stay those of the text). A caller's file object is
read from where it stands and never closed; it is read again only when it can seek.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import IO, Any, TypeAlias

Document: TypeAlias = "bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]"
BLOCK = 1 << 20
_DECLARED_ENCODING = re.compile(r"""\A(\ufeff?<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


class Source:
    """Where the bytes of one document come from."""

    def __init__(self, document: Any) -> None:
        self._data: bytes | None = None
        self._path: str | os.PathLike[str] | None = None
        self._stream: IO[bytes] | None = None
        self._start = 0
        if isinstance(document, str):
            self._data = _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", document, count=1).encode("utf-8", "surrogatepass")
        elif isinstance(document, bytes | bytearray | memoryview):
            self._data = bytes(document)
        elif isinstance(document, os.PathLike):
            self._path = document
        elif hasattr(document, "read"):
            self._stream = document
            self._start = _tell(document)
        else:
            kind = type(document).__name__
            raise TypeError(f"a pain.001 document is bytes, text, a path or a binary file, not {kind}")

    @property
    def rereadable(self) -> bool:
        return self._stream is None or self._start >= 0

    def blocks(self) -> Iterator[bytes]:
        """The document's bytes, a block at a time (a path is opened, and closed when done)."""
        if self._data is not None:
            for start in range(0, len(self._data), BLOCK):
                yield self._data[start : start + BLOCK]
            return
        if self._path is not None:
            with open(self._path, "rb") as stream:
                yield from _read(stream)
            return
        assert self._stream is not None
        if self._start > 0 or _tell(self._stream) != self._start:
            self._stream.seek(self._start)
        yield from _read(self._stream)


def _read(stream: IO[bytes]) -> Iterator[bytes]:
    while block := stream.read(BLOCK):
        if not isinstance(block, bytes):
            raise TypeError(f"a pain.001 file object reads bytes, not {type(block).__name__}")
        yield block


def _tell(stream: IO[bytes]) -> int:
    """Where a seekable stream stands, or -1 when it cannot seek (a pipe, standard input)."""
    try:
        return stream.tell() if stream.seekable() else -1
    except (OSError, ValueError, AttributeError):
        return -1
