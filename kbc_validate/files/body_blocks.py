"""A CSV file's body (the bytes after its header) in blocks, as the compiled pass (`files.compiled_csv`) scans them.

The scanner consumes a block's whole records and leaves the rest (a record cut at the block's end), which the next
block starts with. A regular file is read at its offsets (``os.pread``): a block is read from the page cache straight
into the ``bytes`` the scanner reads, the rest of the block before read again at its start (a few hundred bytes),
so that no block is copied to put that rest before it, and no line feed is counted on the way (the scanner counts
lines). These are the bytes `line_feeds.LineLimit` gives as long as no line is over its limit (`LINE_LIMIT`): a
block is never longer than that, so a line the scanner consumes never is. Once a record does not end within a
block (an over-long line, or a quoted field running over many lines), the rest of the body is read through
`LineLimit` from there on, as the per-row path reads it, each block after the rest of the one before. A file that
shrinks while it is read ends early; one that grows is read as far as it goes.

Anything else (a file whose lone carriage returns are read as line feeds, a header line over the limit, a stream
that is not a regular file) is read through the stream it was opened as.
"""

from __future__ import annotations

import io
import os
import stat
from typing import IO, Any

from kbc_validate.files.line_feeds import LINE_LIMIT, with_line_limit

_BUFFER = 1 << 20  # `LineLimit`'s reads, once the body is read through it


class BodyBlocks:
    """The blocks of a body: `first`, then `next` after each, told how much of the block before was consumed."""

    def __init__(self, stream: IO[bytes], file: IO[bytes] | None, offset: int, long_lines: dict[int, str],
                 size: int) -> None:
        """`stream`: the body as the per-row path reads it (through `LineLimit`), after the header; `file`: the file
        under it, untranslated, read at its offsets from `offset` (the header's bytes) when it is a regular file and
        no line was left out so far; `long_lines`: where `LineLimit` notes the lines it leaves out."""
        self._stream = stream
        self._descriptor = regular_file(file) if file is not None and not long_lines else None
        self._offset = offset  # where the last block read at its offset starts in the file
        self._long_lines = long_lines
        self._size = min(size, LINE_LIMIT)
        self._data = b""
        self.read_to = offset  # bytes of the input read so far (for the progress bar)

    def first(self, size: int | None = None) -> tuple[bytes, bool]:
        """The first block (of `size` bytes, when given and smaller than the others), and whether the body ends with
        it."""
        size = self._size if size is None else min(size, self._size)
        return self._at_offset(size) if self._descriptor is not None else self._streamed(b"", size)

    def next(self, consumed: int, line: int) -> tuple[bytes, bool]:
        """The block after the last one, of which the scanner consumed `consumed` bytes, up to line `line`."""
        rest = self._data[consumed:]
        if self._descriptor is not None:
            if consumed:
                self._offset += consumed
                return self._at_offset()
            # A record longer than a block: from here on, as `LineLimit` reads the file (its next line is line + 1).
            at_offsets = io.BufferedReader(_AtOffsets(self._descriptor, self._offset), _BUFFER)
            self._stream = with_line_limit(at_offsets, _BUFFER, first_line=line + 1, long_lines=self._long_lines)[0]
            self._descriptor, self.read_to, rest = None, self._offset, b""
        return self._streamed(rest)

    def _at_offset(self, size: int | None = None) -> tuple[bytes, bool]:
        assert self._descriptor is not None
        size = self._size if size is None else size
        self._data = os.pread(self._descriptor, size, self._offset)
        self.read_to = self._offset + len(self._data)
        return self._data, len(self._data) < size  # a regular file reads short only at its end

    def _streamed(self, rest: bytes, size: int | None = None) -> tuple[bytes, bool]:
        block = self._stream.read(self._size if size is None else size)
        self.read_to += len(block)
        self._data = rest + block if rest else block
        return self._data, not block


def regular_file(file: IO[bytes]) -> int | None:
    """The descriptor of `file` when it is a regular file that can be read at its offsets, else None."""
    if not hasattr(os, "pread"):  # not on Windows
        return None
    try:
        descriptor = file.fileno()
        return descriptor if stat.S_ISREG(os.fstat(descriptor).st_mode) else None
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError and a ValueError
        return None


class _AtOffsets(io.RawIOBase):
    """The bytes of a file descriptor from `offset` on, read at their offsets: the descriptor's own position is left
    as it is, and the descriptor open (its file's owner closes it)."""

    def __init__(self, descriptor: int, offset: int) -> None:
        self._descriptor, self._offset = descriptor, offset

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = os.pread(self._descriptor, len(buffer), self._offset)
        buffer[: len(data)] = data
        self._offset += len(data)
        return len(data)
