"""Lines too long for any payment row (a file with no line feed, a binary or sparse file, ``/dev/zero``): each is one
finding at its line, read in bounded memory and time, the same from the compiled pass and the per-row path."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files.csv_columns import PATHS
from kbc_validate.files.line_feeds import LINE_LIMIT, LineLimit
from tests.bodies import TODAY
from tests.test_csv_engines import ENGINES, PEAK, located_findings

HEADER = b"creditor_iban;creditor_name;amount;end_to_end_id\n"
ROW = b"BE71096123456769;Jansen BV;10,00;E2E-%d\n"


class Trickle(io.RawIOBase):
    """`data` handed out a few bytes at a time, as a pipe may."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data, self._sizes, self._at = data, sizes or [1], 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self._sizes[self._at % len(self._sizes)], len(self._data))
        self._at += 1
        buffer[:size], self._data = self._data[:size], self._data[size:]
        return size


def _through(data: bytes, limit: int, sizes: list[int], skip_limit: int = 1 << 20) -> tuple[bytes, dict[int, str]]:
    limited = LineLimit(Trickle(data, sizes), limit=limit, skip_limit=skip_limit)  # type: ignore[arg-type]
    out = io.BufferedReader(limited, buffer_size=7).read()
    return out, limited.long_lines


@given(st.lists(st.binary(max_size=12).map(lambda line: line.replace(b"\n", b"")), max_size=12),
       st.booleans(), st.lists(st.integers(1, 9), max_size=4))
@settings(max_examples=300, deadline=None)
def test_a_line_over_the_limit_is_left_out_but_for_its_line_feed(lines: list[bytes], last_feed: bool,
                                                                sizes: list[int]) -> None:
    data = b"\n".join(lines) + (b"\n" if last_feed else b"")
    out, long_lines = _through(data, 5, sizes)
    expected = [b"" if len(line) > 5 else line for line in lines]
    over = {number for number, line in enumerate(lines, 1) if len(line) > 5}
    if lines and not last_feed and len(lines[-1]) > 5:  # a last line left out still has its line, as a line feed
        assert out == b"\n".join(expected) + b"\n"
    else:
        assert out == b"\n".join(expected) + (b"\n" if last_feed else b"")
    assert set(long_lines) == over
    assert all("left out up to its line feed" in reason for reason in long_lines.values())


@pytest.mark.parametrize(("data", "sizes"), [(b"a\n" + b"x" * 100 + b"\nb\n", [3]), (b"a\n" + b"x" * 100, [1000])])
def test_no_line_feed_within_the_skip_limit_ends_the_input(data: bytes, sizes: list[int]) -> None:
    out, long_lines = _through(data, 5, sizes, skip_limit=20)
    assert out == b"a\n\n"
    assert list(long_lines) == [2]
    assert "the rest of the input is not read" in long_lines[2]


def test_the_limit_holds_a_row_of_every_column_at_the_csv_module_s_field_limit() -> None:
    """A row the csv module reads (no field over its limit, of one-byte characters), with every column the header
    reader knows, is never left out."""
    assert len(PATHS) * (csv.field_size_limit() + 1) < LINE_LIMIT


@pytest.mark.parametrize("engine", ENGINES)
def test_over_long_lines_are_one_finding_each_and_reading_goes_on(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER + ROW % 1 + b"A" * (LINE_LIMIT + 10) + b"\n" + ROW % 2 + b"\x00" * (LINE_LIMIT + 1)
                     + b"\r\n" + ROW % 3 + b"B;" * LINE_LIMIT)
    found, stats, messages = located_findings(path, engine)
    assert found == [(3, 1, "KBC905"), (5, 1, "KBC905"), (7, 1, "KBC905"), (4, 1, "KBC908"), (6, 1, "KBC908")]
    assert all(f"more than {LINE_LIMIT:,} bytes" in message for message in messages[:3])
    assert (stats.rows, stats.lines) == (6, 6)


UNDER_1_GIB = ("import resource, sys\nresource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
               "from kbc_validate.cli import main\nsys.exit(main(sys.argv[1:]))\n")  # the command, in 1 GiB at most


@pytest.mark.parametrize("engine", ["rows", "compiled"])
def test_dev_zero_and_a_sparse_file_end_with_a_finding(tmp_path: Path, engine: str) -> None:
    """An endless input with no line feed is read no further than `SKIP_LIMIT` bytes past the limit; a 5 GB sparse
    file too. Both in a child process under a memory limit (they were read as one line until memory ran out)."""
    sparse = tmp_path / "sparse.csv"
    with sparse.open("wb") as handle:
        handle.truncate(5 << 30)
    for name in ("/dev/zero", str(sparse)):
        if not os.path.exists(name):
            continue
        # One process (the worker pool, which reads a file's pieces itself, is on its way out)
        run = subprocess.run([sys.executable, "-c", UNDER_1_GIB, "--today", TODAY.isoformat(), "-q", "--engine", engine,
                              "--jobs", "1", name], capture_output=True, text=True, timeout=120, check=False)
        assert "Traceback" not in run.stderr, run.stderr[-2000:]
        assert run.returncode == 1, run.stderr[-2000:]
        first = run.stdout.splitlines()[0]
        assert first.startswith(f"{name}:1:1: KBC905"), first
        assert "the rest of the input is not read" in first


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
@pytest.mark.parametrize("engine", ["rows", "compiled"])
def test_a_header_of_300_000_columns_is_one_finding_in_bounded_time_and_memory(tmp_path: Path, engine: str) -> None:
    """A 1.7 MB header: each unknown column was a finding with a suggestion (25 s, 180 MiB, 300,000 findings). Its
    first `MAX_COLUMNS` are read; the rest is one finding; the rows are still read, against the header's width."""
    from kbc_validate.files.csv_source import MAX_COLUMNS

    header = ["creditor_iban", "creditor_name", "amount", *(f"x{index}" for index in range(300_000)), "currency"]
    rows = [";".join(["BE71096123456769", "Jansen BV", "10,00", *[""] * 300_000, "USD"]), "BE71096123456769;X;1"]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join([";".join(header), *rows]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1_700_000
    run = subprocess.run([sys.executable, "-c", PEAK, "--today", TODAY.isoformat(), "-q", "--engine", engine,
                          "--jobs", "1", "--format", "json", str(path)],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1, run.stderr[-2000:]
    found = [(item["line"], item["column"], item["code"]) for item in json.loads(run.stdout)["findings"]]
    assert found.count((1, MAX_COLUMNS + 1, "KBC905")) == 1
    assert sum(code == "KBC906" for _, _, code in found) == MAX_COLUMNS - 3  # the currency column is not read
    assert [item for item in found if item[0] > 1] == [(3, 1, "KBC903")]  # the full-width row is read: USD unseen
    assert int(run.stderr.splitlines()[-1]) < 100 * 1024


def test_a_json_lines_line_over_the_limit_is_one_finding_and_reading_goes_on(tmp_path: Path) -> None:
    # Reason: a JSON Lines line is one payment: a line of more than 8 MiB is none, and is left out in bounded memory.
    body = b'{"instructedAmount": {"currency": "EUR", "amount": "12.50"}, "creditorAccount": {"iban": ' \
           b'"BE71096123456769"}, "creditorName": "Zeeman", "debtorAccount": {"iban": "BE36734012345681"}}\n'
    path = tmp_path / "payments.jsonl"
    path.write_bytes(body + b'{"creditorName": "' + b"x" * (LINE_LIMIT + 10) + b'"}\n' + body.replace(b"12.50", b"-1"))
    found, stats, messages = located_findings(path, "auto")
    assert [(line, code) for line, _, code in found if code != "KBC908"] == [(2, "KBC900"), (3, "KBC200")]
    assert f"more than {LINE_LIMIT:,} bytes" in messages[0]
    assert stats.rows == 3


def test_a_json_lines_file_of_gigabytes_with_no_line_feed_ends_with_a_finding(tmp_path: Path) -> None:
    # Reason: a 5 GB sparse .jsonl file was read as one line until memory ran out; now no further than the skip limit.
    sparse = tmp_path / "sparse.jsonl"
    with sparse.open("wb") as handle:
        handle.truncate(5 << 30)
    run = subprocess.run([sys.executable, "-c", UNDER_1_GIB, "--today", TODAY.isoformat(), "-q", str(sparse)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.returncode == 1, run.stderr[-2000:]
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"{sparse}:1:1: KBC900"), first
    assert "the rest of the input is not read" in first
