"""The lines of a CSV file as its readers take them: line feeds for lone carriage returns, and no line too long.

A file whose lines end in a lone carriage return (classic Mac OS; Excel for Mac's "CSV (Macintosh)") is read through
`LineFeeds`: the csv module, like a spreadsheet, reads such a carriage return as the end of a line, while the readers
here split lines on line feeds, so a line feed is put in place of every carriage return, byte for byte, so every
offset, line and column stays where it is in the file.

Every CSV file is read through `LineLimit`, so that a file with no line feed (a binary file, a sparse file, the
endless ``/dev/zero``) is not read as one line until memory runs out. A line of more than `LINE_LIMIT` bytes is
left out, up to its line feed, and noted (`LineLimit.long_lines`): the readers report it at its line (``KBC905``),
count it as a row, and go on with the next line. When no line feed comes within `SKIP_LIMIT` bytes past the limit,
the input is read no further (an endless one would never end), and the finding says so.
"""

from __future__ import annotations

import io
from typing import IO, Any

_TO_LINE_FEEDS = bytes.maketrans(b"\r", b"\n")
# 64 times the csv module's field limit (131,072 characters, `csv.field_size_limit`): a line holding a field over
# that limit is still read and reported as such, and a row of every column the header reader knows (26), each at
# that limit, is 3.4 MB in a one-byte encoding (tests/test_line_feeds.py); real payment rows are under a kilobyte.
LINE_LIMIT = 1 << 23
SKIP_LIMIT = 1 << 28  # bytes of an over-long line skipped in search of its line feed before reading stops
_CHUNK = 1 << 20


def carriage_return_lines(sample: bytes) -> bool:
    """Whether the file that `sample` begins ends its lines in carriage returns alone: the first line ends in one
    that no line feed follows (within the sample), and no line of the sample ends in CR LF."""
    ends = [index for index in (sample.find(b"\r"), sample.find(b"\n")) if index != -1]
    if not ends:
        return False
    first = min(ends)
    return sample[first] == ord("\r") and first + 1 < len(sample) and b"\r\n" not in sample


class LineFeeds(io.RawIOBase):
    """The bytes of `stream` with a line feed for each carriage return."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data.translate(_TO_LINE_FEEDS)
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def with_line_feeds(stream: IO[bytes], buffer_size: int) -> tuple[IO[bytes], bool]:
    """`stream` (buffered, so that its start can be peeked at), read through `LineFeeds` when its lines end in
    carriage returns alone; and whether they do."""
    sample = stream.peek(buffer_size)[:buffer_size] if hasattr(stream, "peek") else b""
    if not carriage_return_lines(sample):
        return stream, False
    return io.BufferedReader(LineFeeds(stream), buffer_size=buffer_size), True


class LineLimit(io.RawIOBase):
    """The bytes of `stream` a whole line at a time, each line longer than `limit` bytes (its line feed aside) left
    out but for its line feed, and noted in `long_lines` (its line number: what was done) before that line feed is
    read. Line numbers count line feeds, as the readers do."""

    def __init__(self, stream: IO[bytes], limit: int = LINE_LIMIT, skip_limit: int = SKIP_LIMIT, *,
                 first_line: int = 1, long_lines: dict[int, str] | None = None) -> None:
        """`first_line`: the number of the line `stream` starts with; `long_lines`: where to note the long lines."""
        self._stream, self.limit, self.skip_limit = stream, limit, skip_limit
        self.long_lines: dict[int, str] = {} if long_lines is None else long_lines
        self._line = first_line  # the line of the bytes in `_pending`
        self._pending = bytearray()  # the start of a line whose line feed is not read yet
        self._skipped = -1  # bytes of an over-long line left out so far; -1: none is
        self._ready: bytes | memoryview = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._ready and not self._done:
            self._fill()
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def _fill(self) -> None:
        read = getattr(self._stream, "read1", self._stream.read)  # what is there: a pipe's lines as they come
        data = read(max(_CHUNK, self.limit // 8))
        if not data:
            self._done = True
            self._ready = b"\n" if self._skipped >= 0 else bytes(self._pending)  # a last line without line feed
            self._pending.clear()
            return
        out = bytearray()
        if self._skipped >= 0:
            feed = data.find(b"\n")
            if feed < 0:
                if self._skip(len(data)):
                    self._ready = b"\n"
                return
            self._skipped, data = -1, data[feed + 1 :]
            out += b"\n"
            self._line += 1
        last = data.rfind(b"\n")
        if last < 0:
            self._pending += data
        else:
            first = data.find(b"\n")
            if len(self._pending) + first > self.limit:
                self._note()
                out += b"\n"
            else:
                out += self._pending + data[: first + 1]
            self._line += 1
            out += self._whole_lines(data, first + 1, last + 1)
            self._pending = bytearray(data[last + 1 :])
        if len(self._pending) > self.limit:  # no line feed yet: the line is left out from here
            self._note()
            self._skipped = 0
            if self._skip(len(self._pending)):
                out += b"\n"
            self._pending.clear()
        self._ready = memoryview(out) if out else self._ready

    def _whole_lines(self, data: bytes, start: int, end: int) -> bytearray | memoryview:
        """The lines of `data[start:end]` (each ending in its line feed), those over the limit left out."""
        if end - start <= self.limit:  # no line in it can be too long (reads are smaller than the limit)
            self._line += data.count(b"\n", start, end)
            return memoryview(data)[start:end]
        out = bytearray()
        while start < end:
            feed = data.index(b"\n", start, end)
            if feed - start > self.limit:
                self._note()
                out += b"\n"
            else:
                out += data[start : feed + 1]
            self._line, start = self._line + 1, feed + 1
        return out

    def _note(self, stopped: bool = False) -> None:
        self.long_lines[self._line] = f"a line of more than {self.limit:,} bytes, longer than any payment's" + (
            f" (no line feed within {self.skip_limit:,} bytes of it: the rest of the input is not read)" if stopped
            else " (left out up to its line feed)")

    def _skip(self, size: int) -> bool:
        """Count `size` more bytes left out; whether that ends the input (its line feed is then to be read)."""
        self._skipped += size
        if self._skipped <= self.skip_limit:
            return False
        self._note(stopped=True)
        self._done, self._skipped = True, -1
        return True

    def close(self) -> None:
        self._stream.close()
        super().close()


def with_line_limit(stream: IO[bytes], buffer_size: int, *, first_line: int = 1,
                    long_lines: dict[int, str] | None = None) -> tuple[IO[bytes], dict[int, str]]:
    """`stream` read through `LineLimit` (buffered, so that its start can be peeked at), and the lines it left out;
    `stream` starts with line `first_line`, and the lines are noted in `long_lines` when it is given."""
    limited = LineLimit(stream, first_line=first_line, long_lines=long_lines)
    return io.BufferedReader(limited, buffer_size=buffer_size), limited.long_lines
