"""The compiled pass (kbc_validate._scan) gives the per-row path's findings and counts, line by line, on generated
and adversarial CSV files, in every encoding, line ending and thread count; without it, the other engines run."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files import compiled_csv
from tests.bodies import TODAY
from tests.test_csv_engines import EXAMPLES, csv_files, findings

pytestmark = pytest.mark.skipif(not compiled_csv.available(), reason="the compiled pass was not built here")

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-15"]
# Bytes that each make the csv module (or the decoder) read a line differently from a plain split.
INJECTIONS = [
    b'"', b'"a\nb"', b'""', b"\x00", b"\r", b"\x81", b"\xff", b"\xef\xbb\xbf", b"\n", b"\n\n", b"\r\n", b'"open',
    b"\xe9", b"\xc3\xa9", b";", b",", b"\t",
]


def assert_same(path: Path, threads: int | None = None) -> list[dict[str, Any]]:
    rows, row_stats = findings(path, "rows", jobs=1)
    compiled, compiled_stats = findings(path, "compiled", jobs=threads)
    assert compiled == rows
    assert compiled_stats == row_stats
    return rows


def _recoded(contents: bytes, encoding: str) -> bytes:
    """`contents` (cp1252 or UTF-8) in `encoding`, where every character has a byte in it."""
    try:
        text = contents.decode("utf-8")
    except UnicodeDecodeError:
        text = contents.decode("cp1252")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return contents


@st.composite
def adversarial_files(draw: st.DrawFn) -> bytes:
    """A generated file in any encoding and line ending, with bytes injected anywhere after the header."""
    contents, _ = draw(csv_files())
    contents = _recoded(contents, draw(st.sampled_from(ENCODINGS)))
    ending = draw(st.sampled_from(["as made", "lf", "cr"]))
    if ending == "lf":
        contents = contents.replace(b"\r\n", b"\n")
    elif ending == "cr":
        contents = contents.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    header_end = contents.find(b"\n") + 1 or contents.find(b"\r") + 1 or len(contents)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(header_end, len(contents)))
        contents = contents[:at] + draw(st.sampled_from(INJECTIONS)) + contents[at:]
    return contents


@given(adversarial_files(), st.sampled_from([1, 2, 3]), st.sampled_from([16, 256, 8 << 20]))
@settings(max_examples=200, deadline=None)
def test_the_compiled_pass_gives_the_per_row_findings(contents: bytes, threads: int, block: int) -> None:
    original = compiled_csv.BLOCK_BYTES
    compiled_csv.BLOCK_BYTES = block  # small blocks: records cut across them, carried to the next
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "payments.csv"
            path.write_bytes(contents)
            assert_same(path, threads)
    finally:
        compiled_csv.BLOCK_BYTES = original


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("threads", [1, 2, 4])
def test_every_encoding_line_ending_and_thread_count(encoding: str, newline: str, threads: int, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate_csv import HEADER, row

    rng = random.Random(7)
    lines = [";".join(HEADER)] + [";".join(row(rng, number)) for number in range(1, 3001)]
    lines[1500] = lines[20]  # a repeated payment, across threads' ranges
    path = tmp_path / "payments.csv"
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    original = compiled_csv.BLOCK_BYTES
    compiled_csv.BLOCK_BYTES = 64 << 10
    try:
        found = assert_same(path, threads)
    finally:
        compiled_csv.BLOCK_BYTES = original
    codes = {item["code"] for item in found}
    assert {"KBC907", "KBC908"} <= codes  # the repeat is found...
    assert len(codes) > 5  # ...among the generator's faults of every cause


@pytest.mark.parametrize("name", ["payments.csv", "faulty-payments.csv"])
def test_examples_give_the_same_findings(name: str) -> None:
    assert_same(EXAMPLES / name)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'"BE68539007547034;Jan\nPeeters;12,50\nBE68539007547034;Jan;1,00\n', "a quote never closed"),
        (b'BE68539007547034;"Jan\nPeeters";12,50\nBE68539007547034;Jan;1,00\n', "a quoted line break"),
        (b"BE68539007547034;Jan\rPeeters;12,50\nBE68539007547034;Jan;1,00\n", "a carriage return inside a line"),
        (b"BE68539007547034;Jan;12,50", "no line feed at the end"),
        (b"\n\nBE68539007547034;Jan;12,50\n\n", "blank lines"),
        (b"BE68539007547034;Jan;12,50;x\n", "a ragged row"),
        (b"BE68539007547034;J\x00an;12,50\n", "a NUL byte"),
        (b"BE68539007547034;Jan;12,50\nBE68539007547034;Jan;12,50\n", "a repeated payment"),
    ],
)
def test_adversarial_bodies(body: bytes, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes(b"creditor_iban;creditor_name;amount\n" + body)
    assert_same(path), reason


def test_without_the_extension_the_per_row_path_runs_and_one_line_says_so(tmp_path: Path) -> None:
    """Neither the extension nor polars needed: the per-row path reads the file, and one line says so."""
    path = tmp_path / "payments.csv"
    path.write_bytes(b"creditor_iban;creditor_name;amount\nBE68539007547034;Jan;0,00\n")
    hide = ("import sys; sys.modules['kbc_validate._scan'] = sys.modules['polars'] = None; "
            "from kbc_validate.cli import main; sys.exit(main())")
    args = ["--today", TODAY.isoformat(), "--engine", "rows", str(path)]
    reference = subprocess.run([sys.executable, "-c", hide, *args], capture_output=True, text=True, check=False)
    auto = [sys.executable, "-c", hide, "--today", TODAY.isoformat(), str(path)]
    result = subprocess.run(auto, capture_output=True, text=True, check=False)
    assert result.returncode == reference.returncode == 1
    assert result.stdout == reference.stdout
    assert result.stderr.count(compiled_csv.NOT_INSTALLED) == 1
    assert compiled_csv.NOT_INSTALLED not in reference.stderr


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_command_line_output_is_byte_identical(output: str, tmp_path: Path) -> None:
    """Runs of findings (`FindingRows`) are written as the per-row path writes its findings one by one."""
    lines = (EXAMPLES / "faulty-payments.csv").read_bytes().splitlines()
    path = tmp_path / "payments.csv"
    path.write_bytes(b"\n".join([lines[0], *lines[1:] * 50, b""]))  # repeats too
    other = tmp_path / "more-payments.csv"  # a second file: each writer renders a finding's words for its file
    other.write_bytes(path.read_bytes())
    runs = {}
    for engine in ("rows", "compiled"):
        result = subprocess.run(
            [sys.executable, "-m", "kbc_validate", "--engine", engine, "--today", TODAY.isoformat(), "--format",
             output, "--select", "KBC3,KBC9", str(path), str(other)], capture_output=True, check=False)
        runs[engine] = (result.returncode, result.stdout, result.stderr)
    assert runs["compiled"] == runs["rows"]
    assert runs["rows"][1].count(b"KBC3") > 50
    assert b"more-payments.csv" in runs["rows"][1]


def test_a_row_of_empty_cells_is_a_blank_row(tmp_path: Path) -> None:
    """A row of delimiters only (Excel writes them for formatted empty rows) is blank (KBC909), not a payment whose
    members are all missing: the scanner sets it aside, and Python reads it with the per-row path, not as a row split
    into cells."""
    path = tmp_path / "payments.csv"
    path.write_bytes(b"creditor_iban;creditor_name;amount\r\nBE71096123456769;Jansen BV;-15,00\r\n;;\r\n"
                     b"BE71096123456769;Peeters;-16,00\r\n")
    found = assert_same(path, 1)
    assert [(item["line"], item["code"]) for item in found if item["line"] == 3] == [(3, "KBC909")]


def test_a_cell_starting_with_a_bom_in_utf_8_with_a_bom(tmp_path: Path) -> None:
    """A BOM at the start of a cell (not of its line) is part of the value, in UTF-8 with a BOM too: the distinct
    values' checks decoded it with utf-8-sig, which strips it, and found the currency clean."""
    path = tmp_path / "payments.csv"
    path.write_bytes(b"\xef\xbb\xbfcreditor_iban;creditor_name;amount;currency\n"
                     b"BE68539007547034;Jan;1,00;\xef\xbb\xbfEUR\nBE68539007547034;Jan;2,00;EUR\n")
    found = assert_same(path, 1)
    assert [item["line"] for item in found if item["code"] == "KBC211"] == [2]


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_file_name_is_escaped_in_runs_of_findings(output: str, tmp_path: Path) -> None:
    """A file name with a terminal escape and a byte that is not UTF-8 is written escaped (`display_name`) in the
    runs' findings too, as the per-row path writes it (the runs once wrote it as it was)."""
    name = os.fsdecode(b"caf\xe9\x1b[31m.csv")
    try:
        (tmp_path / name).write_bytes((EXAMPLES / "faulty-payments.csv").read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system takes no such name")
    runs = {}
    for engine in ("rows", "compiled"):
        result = subprocess.run(
            [sys.executable, "-m", "kbc_validate", "--engine", engine, "--today", TODAY.isoformat(), "--format",
             output, "-q", name], cwd=tmp_path, capture_output=True, check=False)
        runs[engine] = (result.returncode, result.stdout, result.stderr)
    assert runs["compiled"] == runs["rows"]
    assert b"xe9" in runs["rows"][1]
    assert b"\x1b" not in runs["rows"][1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_named_pipe_is_read_once_with_its_repeats(suffix: str, tmp_path: Path) -> None:
    """A second open of a named pipe (or ``<(...)``) would wait for a writer for ever: it is read once, its repeated
    payments found as they are in standard input (at once, not after a second pass)."""
    if suffix == ".csv":
        contents = b"creditor_iban;creditor_name;amount;end_to_end_id\n" + b"BE68539007547034;Jan;1,00;E2E-1\n" * 3
    else:
        contents = (EXAMPLES / "payment.json").read_bytes().replace(b"\n", b" ").strip() + b"\n"
        contents *= 3
    pipe = tmp_path / f"fifo{suffix}"
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(contents,), daemon=True)
    writer.start()
    command = [sys.executable, "-m", "kbc_validate", "--today", TODAY.isoformat(), "--format", "json", "-q"]
    piped = subprocess.run([*command, str(pipe)], capture_output=True, timeout=60, check=False)
    writer.join(timeout=5)
    reference = subprocess.run([*command, "-"], input=contents, capture_output=True, timeout=60, check=False)
    assert piped.stdout.replace(str(pipe).encode(), b"-") == reference.stdout
    assert piped.stdout.count(b'"code": "KBC907", "severity"') == 2  # two findings, not the summary's entry


def test_a_header_of_a_hundred_thousand_columns(tmp_path: Path) -> None:
    """Memory a row, not a field: every row of a very wide file is held by its bytes alone (the column engine took
    about 1.7 GB for a 1.7 MB file of 300,000 columns). The header is read up to `MAX_COLUMNS`, one finding beyond."""
    from kbc_validate.files.csv_source import MAX_COLUMNS

    extra = 100_000
    header = ["creditor_iban", "creditor_name", "amount", "execution_date", *(f"x{index}" for index in range(extra))]
    rows = [["BE68539007547034", name, "1,00", "2027-01-16", *([""] * extra)] for name in ("Jan", "Café", "Piet")]
    path = tmp_path / "payments.csv"
    path.write_text("\n".join(";".join(row) for row in [header, *rows * 20]) + "\n", encoding="utf-8")
    found = assert_same(path, 2)
    assert sum(item["code"] == "KBC906" for item in found) == MAX_COLUMNS - 4  # each unknown column read, once
    assert [(item["line"], item["column"]) for item in found if item["code"] == "KBC905"] == [(1, MAX_COLUMNS + 1)]
    assert sum(item["code"] == "KBC907" or item["code"] == "KBC908" for item in found) > 0


def test_the_report_and_the_summary_count_the_compiled_pass_s_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled pass hands its findings over in runs (`FindingRows`): the summary's verdict and the HTML report
    count and list them as they do the per-row path's."""
    from kbc_validate.cli import main

    scanned: list[int] = []
    rows = compiled_csv.CompiledFile.rows

    def spied(self: Any, *args: Any) -> Any:
        scanned.append(1)
        return rows(self, *args)

    monkeypatch.setattr(compiled_csv.CompiledFile, "rows", spied)
    pages = {}
    for engine in ("compiled", "rows"):
        report = tmp_path / f"{engine}.html"
        main([str(EXAMPLES / "faulty-payments.csv"), "--today", TODAY.isoformat(), "--engine", engine, "--report",
              str(report)])
        pages[engine] = report.read_text(encoding="utf-8").split('<p class="meta">')[1].split("</p>", 1)[1]
        verdict = capsys.readouterr().err.splitlines()[0].strip()
        assert "payments would be refused" in verdict
    assert scanned, "the compiled pass read the file"
    assert pages["compiled"] == pages["rows"]
