"""CSV payment files: encodings, delimiters, headers, malformed rows, physical lines, repeats, every row counted."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files.csv_columns import cell_value, column_path
from kbc_validate.files.csv_source import detect_encoding, sniff_delimiter, validate_csv
from kbc_validate.files.inputs import ReadOptions, read_input
from kbc_validate.files.line_feeds import carriage_return_lines
from kbc_validate.files.located import FileStats, Located
from kbc_validate.files.reading import Input
from kbc_validate.repeats.tracker import RepeatTracker
from tests.test_csv_engines import ENGINES

TODAY = date(2026, 11, 24)
HEADER = "creditor_iban;creditor_name;amount"


def _read(data: bytes, **options: object) -> tuple[list[tuple[int, int, str]], FileStats]:
    stats = FileStats()
    stream = io.BufferedReader(io.BytesIO(data), buffer_size=1 << 20)
    found = list(validate_csv(Input("f.csv", ReadOptions(today=TODAY, **options), stats),  # type: ignore[arg-type]
                              stream, RepeatTracker(exact=True)))
    return [(f.line, f.column, f.code) for f in found], stats


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param("é".encode(), "utf-8", id="UTF-8"),
        pytest.param(b"\xef\xbb\xbfabc", "utf-8-sig", id="UTF-8 with BOM"),
        pytest.param("é".encode("cp1252"), "cp1252", id="cp1252"),
        pytest.param(b"plain ascii", "utf-8", id="ASCII"),
        pytest.param("x" * 10 + "é", "utf-8", id="UTF-8 cut inside a character at the end of the sample"),
    ],
)
def test_detect_encoding(data: bytes | str, encoding: str) -> None:
    if isinstance(data, str):
        assert detect_encoding(data.encode("utf-8")[:-1], complete=False) == encoding
    else:
        assert detect_encoding(data) == encoding


def test_utf8_file_with_one_stray_byte_stays_utf8() -> None:
    assert detect_encoding("Café ".encode() + b"\xff") == "utf-8"


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ('"a;x",b,c', ","), ("a;b,c", ";"), ("abc", ",")],
)
def test_sniff_delimiter(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header) == delimiter


@pytest.mark.parametrize(
    ("header", "path"),
    [
        ("creditorAccount.iban", "creditorAccount.iban"),
        ("CREDITORACCOUNT.IBAN", "creditorAccount.iban"),
        ("Creditor IBAN", "creditorAccount.iban"),
        ("creditor-iban", "creditorAccount.iban"),
        (" Amount ", "instructedAmount.amount"),
        ("Structured Communication", "remittanceInformationStructured.reference"),
        ("execution_date", "requestedExecutionDate"),
        ("colour", None),
    ],
)
def test_column_path(header: str, path: str | None) -> None:
    assert column_path(header) == path


@pytest.mark.parametrize(
    ("cell", "delimiter", "value"),
    [
        ("12,50", ";", "12.50"),
        ("1.234,56", ";", "1234.56"),
        ("1.234.567,8", "\t", "1234567.8"),
        ("12.50", ";", "12.50"),
        ("1.234", ";", "1.234"),  # ambiguous: left to the rules (three decimals)
        ("12,50", ",", "12,50"),  # in a comma file a decimal comma is not Excel's: left to the rules
    ],
)
def test_amount_cells(cell: str, delimiter: str, value: str) -> None:
    assert cell_value("instructedAmount.amount", cell, delimiter) == value


def test_iban_cells_lose_spaces_and_case() -> None:
    assert cell_value("creditorAccount.iban", "be56 3631\u00a02345 6788", ";") == "BE56363123456788"


def test_same_file_in_three_encodings_and_three_delimiters_gives_the_same_findings() -> None:
    rows = ["Creditor IBAN|Creditor name|Amount", "BE56363123456788|Café Zeeman|12,50", "BE56363123456788|X|0,00"]
    results = set()
    for delimiter in (";", "\t"):
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            data = "\r\n".join(rows).replace("|", delimiter).encode(encoding)
            findings, stats = _read(data)
            assert stats.encoding == encoding
            results.add(tuple(findings))
    assert results == {((2, 2, "KBC704"), (3, 3, "KBC200"))}


def test_missing_required_column_is_one_file_finding() -> None:
    findings, stats = _read(("creditor_iban;amount\n" + "".join(f"BE56363123456788;{n},50\n" for n in range(3))).encode())
    assert findings == [(1, 1, "KBC902")]
    assert stats.rows == 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"BE56363123456788;X;1;extra\n", [(2, 1, "KBC903")], id="too many fields"),
        pytest.param(b"BE56363123456788;X\n", [(2, 1, "KBC903")], id="too few fields"),
        pytest.param(b"BE56363123456788;X\x00;1\n", [(2, 1, "KBC905")], id="NUL byte"),
        pytest.param(b"BE56363123456788;X;" + b"9" * 200_000 + b"\n", [(2, 1, "KBC905")], id="field over the csv limit"),
        pytest.param("BE56363123456788;Café;1\n".encode() + b"BE48735500000127;\xff\xfe;1\n", [(2, 2, "KBC704"), (3, 1, "KBC905")], id="a line that is not UTF-8 in a UTF-8 file"),
        pytest.param(b"\nBE56363123456788;X;1\n", [(2, 1, "KBC909")], id="blank line"),
        pytest.param(b'BE56363123456788;"Two\nlines";0\nBE48735500000127;X;0\n', [(2, 2, "KBC703"), (2, 3, "KBC200"), (4, 3, "KBC200")], id="quoted newline keeps physical lines"),
    ],
)
def test_malformed_rows(body: bytes, expected: list[tuple[int, int, str]]) -> None:
    findings, _ = _read(HEADER.encode() + b"\n" + body)
    assert findings == expected


def test_cp1252_file_with_a_byte_cp1252_lacks() -> None:
    findings, _ = _read(HEADER.encode() + b"\nBE56363123456788;Caf\xe9;1\nBE56363123456788;\x81;1\n")
    assert findings == [(2, 2, "KBC704"), (3, 1, "KBC905")]


def test_duplicate_and_unknown_columns() -> None:
    findings, _ = _read(b"creditor_iban;creditor_name;amount;Amount;colour\nBE56363123456788;X;1;2;red\n")
    assert findings == [(1, 4, "KBC904"), (1, 5, "KBC906")]


def test_periodic_rows_when_the_header_has_a_schedule() -> None:
    data = b"creditor_iban;creditor_name;amount;start_date;frequency\nBE56363123456788;X;1;2026-12-01;monthly\n"
    findings, _ = _read(data)
    assert findings == [(2, 5, "KBC500")]


def test_empty_file_and_header_only() -> None:
    # An empty file is a file without the mandatory columns, as a file holding only a BOM is (issue 14).
    assert _read(b"") == ([(1, 1, "KBC902")] * 3, FileStats(encoding="utf-8", delimiter=","))
    findings, stats = _read(HEADER.encode() + b"\n")
    assert (findings, stats.rows) == ([], 0)


def _every_row_counted(data: bytes) -> None:
    findings, stats = _read(data)
    physical_rows = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    assert stats.rows + stats.blank_lines <= max(physical_rows - 1, 0)
    assert all(code.startswith("KBC") for _, _, code in findings)


@settings(max_examples=300)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _every_row_counted(HEADER.encode() + b"\n" + data)


@settings(max_examples=300)
@given(cells=st.lists(st.lists(st.text(alphabet='ab;,"\n\r\t 0123456789é\x00', max_size=8), max_size=4), max_size=6))
def test_arbitrary_csv_text_never_raises_and_lines_stay_ordered(cells: list[list[str]]) -> None:
    data = ("\n".join(";".join(row) for row in cells)).encode("utf-8")
    findings, _ = _read(HEADER.encode() + b"\n" + data)
    lines = [line for line, _, code in findings if code not in {"KBC907", "KBC908"}]
    assert lines == sorted(lines)


def test_repeats_tracked_exactly_and_with_the_hash_log_agree(tmp_path: Path) -> None:
    rows = [HEADER + ";end_to_end_id"]
    rows += [f"BE56363123456788;X;{n % 7 + 1};E{n % 11}" for n in range(60)]
    data = ("\n".join(rows) + "\n").encode()
    path = tmp_path / "payments.csv"
    path.write_bytes(data)
    exact, _ = _read(data)  # one pass, exact memory
    two_pass = [(f.line, f.code) for f in read_input(str(path), ReadOptions(today=TODAY), FileStats())]
    repeats = {"KBC907", "KBC908"}
    expected = sorted((line, code) for line, _, code in exact if code in repeats)
    assert sorted((line, code) for line, code in two_pass if code in repeats) == expected
    assert {code for _, code in expected} == repeats
    assert ("KBC907", 13) in {(code, line) for line, code in expected}  # E1 again, 11 rows after line 3


def test_located_findings_carry_paths() -> None:
    stats = FileStats()
    stream = io.BufferedReader(io.BytesIO(HEADER.encode() + b"\nBE56363123456780;X;1\n"))
    found: list[Located] = list(validate_csv(Input("f.csv", ReadOptions(today=TODAY), stats), stream,
                                             RepeatTracker(exact=True)))  # type: ignore[arg-type]
    assert found[0].as_dict()["path"] == "creditorAccount.iban"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        pytest.param(b"a;b\rc;d\r", True, id="every line ends in CR: classic Mac OS, Excel's CSV (Macintosh)"),
        pytest.param(b'a;"b\nc"\rd;e\r', False, id="a line feed before the first line ends: not such a file"),
        pytest.param(b"a;b\r\nc;d\r\n", False, id="CR LF: Windows"),
        pytest.param(b"a;b\nc;d\rx\n", False, id="the first line ends in LF: a lone CR later is that row's finding"),
        pytest.param(b"a;b\rc;d\r\n", False, id="a CR LF in the sample: the lone CR is that row's finding"),
        pytest.param(b"a;b\r", False, id="a CR only at the end of the sample: its LF may follow"),
        pytest.param(b"a;b", False, id="no line end at all"),
        pytest.param(b"", False, id="empty"),
    ],
)
def test_carriage_return_lines(sample: bytes, expected: bool) -> None:
    assert carriage_return_lines(sample) is expected


def test_carriage_return_lines_are_read_byte_for_byte_as_line_feeds() -> None:
    findings, stats = _read((HEADER + "\rBE56363123456788;Café;0\r\rBE56363123456788;X;1\r").encode("cp1252"))
    assert findings == [(2, 2, "KBC704"), (2, 3, "KBC200"), (3, 1, "KBC909")]
    assert (stats.rows, stats.blank_lines) == (2, 1)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(b"BE56363123456788;X\r;1\r\n", "carriage return", id="a lone CR in a CR LF file"),
        pytest.param(b"BE56363123456788;X;" + b"9" * 200_000 + b"\n", "limit of 131,072", id="an over-long field"),
    ],
)
def test_unreadable_rows_say_why_in_a_users_words(body: bytes, words: str) -> None:
    stream = io.BufferedReader(io.BytesIO(HEADER.encode() + b"\r\n" + body), buffer_size=1 << 20)
    found = list(validate_csv(Input("f.csv", ReadOptions(today=TODAY)), stream, RepeatTracker(exact=True)))
    assert [(f.line, f.code) for f in found] == [(2, "KBC905")]  # type: ignore[union-attr]
    message = found[0].issue.message  # type: ignore[union-attr]
    assert words in message
    assert "universal-newline" not in message


def _engine_codes(tmp_path: Path, text: str, engine: str) -> tuple[list[tuple[int, int, str]], FileStats]:
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    stats = FileStats()
    found: list[tuple[int, int, str]] = []
    for item in read_input(str(export), ReadOptions(today=TODAY, engine=engine, jobs=1), stats):
        located = [item] if isinstance(item, Located) else list(item.located())
        found += [(f.line, f.column, f.code) for f in located]
    return found, stats


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_row_of_only_delimiters_is_a_blank_line(tmp_path: Path, engine: str, ending: str) -> None:
    # Excel writes ";;" for a formatted empty row: one warning, as an empty line is, not three missing members.
    rows = [HEADER, "BE71096123456769;Jansen BV;10", ";;", "", "BE71096123456769;Peeters;11", ";;"]
    found, stats = _engine_codes(tmp_path, ending.join(rows) + ending, engine)
    assert found == [(3, 1, "KBC909"), (4, 1, "KBC909"), (6, 1, "KBC909")]
    assert (stats.rows, stats.blank_lines) == (2, 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_negative_amount_with_a_decimal_comma_is_not_positive_as_with_a_point(tmp_path: Path, engine: str) -> None:
    rows = [HEADER, "BE71096123456769;Jansen BV;-15,00", "BE71096123456769;Jansen BV;-16.00",
            "BE71096123456769;Jansen BV;-1.234,56", "BE71096123456769;Jansen BV;-0,00", "BE71096123456769;Jansen BV;--1,00"]
    found, _ = _engine_codes(tmp_path, "\n".join(rows) + "\n", engine)
    assert found == [(2, 3, "KBC200"), (3, 3, "KBC200"), (4, 3, "KBC200"), (5, 3, "KBC200"), (6, 3, "KBC201")]


def test_the_installed_command_reads_blank_rows_and_negative_comma_amounts_as_meant(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    export = tmp_path / "export.csv"
    export.write_text(f"{HEADER}\r\nBE71096123456769;Jansen BV;-15,00\r\n;;\r\nBE71096123456769;Peeters;-16.00\r\n",
                      encoding="cp1252")
    run = subprocess.run([str(Path(sys.executable).with_name("kbc-validate")), str(export), "--today", "2026-11-24",
                          "--format", "json"], capture_output=True, text=True, check=False)
    found = [(f["line"], f["column"], f["code"]) for f in json.loads(run.stdout)["findings"]]
    assert (run.returncode, found) == (1, [(2, 3, "KBC200"), (3, 1, "KBC909"), (4, 3, "KBC200")])
