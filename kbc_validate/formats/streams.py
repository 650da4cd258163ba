"""Writing a table's findings straight to the bytes under a text output, whole."""

from __future__ import annotations

import codecs
from typing import Any, TextIO


def utf8_bytes(out: TextIO) -> Any | None:
    """The byte stream under `out`, flushed (bytes written there follow the text), when `out` writes UTF-8 to it;
    else None."""
    buffer = getattr(out, "buffer", None)
    if buffer is None or codecs.lookup(getattr(out, "encoding", None) or "ascii").name != "utf-8":
        return None
    out.flush()
    return buffer


def write_all(buffer: Any, data: bytes | memoryview) -> None:
    """All of `data`. A raw stream (standard output under ``python -u``) may take part of it and say so; the rest
    is written again, so that a reader gone away (``| head``) is a BrokenPipeError, not output lost unnoticed."""
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        if written is None:  # a non-blocking stream that would block
            raise BlockingIOError("the output cannot take more now")
        view = view[written:]
