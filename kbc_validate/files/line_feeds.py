"""CSV files whose lines end in a lone carriage return (classic Mac OS; Excel for Mac's "CSV (Macintosh)").

The csv module, like a spreadsheet, reads such a carriage return as the end of a line. The readers here split lines
on line feeds, so a file whose lines end that way is read through `LineFeeds`, which puts a line feed in place of
every carriage return: byte for byte, so every offset, line and column stays where it is in the file.
"""

from __future__ import annotations

import io
from typing import IO, Any

_TO_LINE_FEEDS = bytes.maketrans(b"\r", b"\n")


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
