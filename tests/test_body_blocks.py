"""A CSV file's body in blocks for the compiled pass: a regular file read at its offsets gives the bytes the per-row
path reads, a record longer than a block switches to reading through `LineLimit` at the right offset and line, and a
file that shrinks or grows while it is read never makes the command fail."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from kbc_validate.files import compiled_csv
from kbc_validate.files.body_blocks import BodyBlocks, regular_file
from kbc_validate.files.inputs import Hooks, ReadOptions, read_input
from kbc_validate.files.line_feeds import LINE_LIMIT
from kbc_validate.files.located import FileStats, Located
from tests.bodies import TODAY
from tests.test_csv_engines import NOT_BUILT, assert_same

HEADER = b"creditor_iban;creditor_name;amount;end_to_end_id\n"
ROW = b"BE71096123456769;Jansen BV;10,00;E2E-%d\n"


class Unread(io.RawIOBase):
    """A stream that must not be read: the body of a regular file is read at its offsets."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read through the stream")


def whole_lines(blocks: BodyBlocks) -> bytes:
    """The bytes a scanner that consumes whole lines of each block (all of the last) gets, block by block."""
    got, line = b"", 1
    data, eof = blocks.first()
    while data:
        consumed = len(data) if eof else data.rfind(b"\n") + 1
        got += data[:consumed]
        line += data.count(b"\n", 0, consumed)
        if eof:
            break
        data, eof = blocks.next(consumed, line)
    return got


@pytest.mark.parametrize("size", [1, 17, 64, 1 << 20])
def test_a_regular_file_s_body_is_read_at_its_offsets(size: int, tmp_path: Path) -> None:
    body = b"".join(ROW % n for n in range(40)) + b"last line, no line feed"
    path = tmp_path / "payments.csv"
    path.write_bytes(HEADER + body)
    with path.open("rb") as file:
        file.read(5)  # the descriptor's own position does not matter
        blocks = BodyBlocks(Unread(), file, len(HEADER), {}, size)  # type: ignore[arg-type]
        if size < len(ROW % 0):  # a line longer than a block: read on through `LineLimit`, from its offset
            blocks = BodyBlocks(io.BytesIO(b"unused"), file, len(HEADER), {}, size)
        assert whole_lines(blocks) == body
        assert file.tell() == 5


def test_a_record_longer_than_a_block_is_read_on_from_its_offset(tmp_path: Path) -> None:
    """Short rows, read at their offsets, then a line longer than a block: from there on the file is read through
    `LineLimit`, from that line's offset, and its long lines are noted at their line numbers."""
    rows = b"".join(ROW % n for n in range(10))
    body = rows + b"x" * 300 + b"\n" + b"y" * (LINE_LIMIT + 1) + b"\n" + ROW % 99
    path = tmp_path / "payments.csv"
    path.write_bytes(HEADER + body)
    long_lines: dict[int, str] = {}
    with path.open("rb") as file:
        assert whole_lines(BodyBlocks(Unread(), file, len(HEADER), long_lines, 100)) == (  # type: ignore[arg-type]
            rows + b"x" * 300 + b"\n" + b"\n" + ROW % 99)
    assert list(long_lines) == [13]


def test_what_is_not_a_regular_file_is_read_through_its_stream(tmp_path: Path) -> None:
    read, write = os.pipe()
    with os.fdopen(read, "rb") as pipe, os.fdopen(write, "wb"):
        assert regular_file(pipe) is None
    assert regular_file(io.BytesIO(b"")) is None
    with (tmp_path / "a.csv").open("wb+") as file:
        assert regular_file(file) == file.fileno()
    body = b"".join(ROW % n for n in range(5))
    assert whole_lines(BodyBlocks(io.BytesIO(body), None, 0, {}, 64)) == body


@NOT_BUILT
@pytest.mark.parametrize("block", [64, 300, 4096])
def test_records_longer_than_a_block_midway_give_the_per_row_findings(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks read at their offsets, then a quoted field over many lines (the switch to `LineLimit`), then rows."""
    quoted = b'BE71096123456769;"Jansen\n' + b"BV\n" * 200 + b'";-1;E2E-7\n'
    path = tmp_path / "payments.csv"
    path.write_bytes(HEADER + b"".join(ROW % (n % 7) for n in range(30)) + quoted + b"BE00;X;1;E2E-1\n" * 20)
    monkeypatch.setattr(compiled_csv, "BLOCK_BYTES", block)
    found = assert_same(path)
    assert {f["code"] for f in found} >= {"KBC907", "KBC200"}


@NOT_BUILT
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("size", [0, 1000, 30_000])
def test_a_file_that_shrinks_while_it_is_read(size: int, jobs: int, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut short once the first block is read: what was read is reported, and nothing fails."""
    path = tmp_path / "payments.csv"
    path.write_bytes(HEADER + b"".join(ROW % n for n in range(2000)))
    monkeypatch.setattr(compiled_csv, "BLOCK_BYTES", 8192)

    def cut(read_to: int) -> None:
        os.truncate(path, size)

    stats = FileStats()
    options = ReadOptions(today=TODAY, engine="compiled", jobs=jobs)
    found = [item for found in read_input(str(path), options, stats, Hooks(on_progress=cut))
             for item in ([found] if isinstance(found, Located) else found.located())]
    assert 8192 // 42 <= stats.rows == stats.lines < 2000
    assert all(item.line <= stats.lines + 1 for item in found)
