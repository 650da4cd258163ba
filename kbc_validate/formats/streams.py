"""Writing a table's findings, rendered as UTF-8 bytes, to a text output: straight to the bytes under it, a piece at a
time."""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from typing import Any, TextIO


def write_utf8(out: TextIO, pieces: Iterable[bytes]) -> None:
    """The UTF-8 `pieces` (each of whole characters) written to `out`, one after the other: to the byte stream under
    it (flushed first, so that the bytes follow the text) when `out` writes UTF-8 there, else as text."""
    buffer = getattr(out, "buffer", None)
    if buffer is None or codecs.lookup(getattr(out, "encoding", None) or "ascii").name != "utf-8":
        for piece in pieces:
            out.write(piece.decode("utf-8"))
        return
    out.flush()
    for piece in pieces:
        write_all(buffer, piece)


def write_all(buffer: Any, data: bytes | memoryview) -> None:
    """All of `data`. A raw stream (standard output under ``python -u``) may take part of it and say so; the rest
    is written again, so that a reader gone away (``| head``) is a BrokenPipeError, not output lost unnoticed."""
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        if written is None:  # a non-blocking stream that would block
            raise BlockingIOError("the output cannot take more now")
        view = view[written:]
