"""Hostile JSON: memory that does not grow with the text, numbers of any length, lines that do not lie (issue 14)."""

from __future__ import annotations

import json
import tracemalloc
from datetime import date

import pytest

from kbc_validate import validate_payment, validate_request
from kbc_validate.files.inputs import recognise_service
from kbc_validate.files.json_positions import LineIndex
from kbc_validate.files.json_source import validate_json_lines, validate_json_text
from kbc_validate.files.located import FileStats
from kbc_validate.findings import show
from tests.test_csv_engines import ENGINES

TODAY = date(2026, 11, 24)
BIG = "9" * 5000  # past Python's 4,300-digit limit on converting digits to an int


def _found(text: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.code, f.issue.path)
            for f in validate_json_text("f.json", text, None, recognise_service, TODAY, FileStats())]


def _peak(run: object) -> int:
    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"creditorName": [' + "0," * 200_000 + "0]}", id="a list of 200,000 numbers"),
        pytest.param('{"creditorName": "' + "a" * 1_000_000 + '"}', id="a string of a million characters"),
        pytest.param('{"creditorName": "' + "\\n" * 500_000 + '"}', id="a string of half a million escapes"),
        pytest.param("[" + "[]," * 20_000 + '{"x": 1}]', id="an array of 20,000 bodies"),
    ],
)
def test_finding_places_take_memory_that_does_not_grow_with_the_text(text: str) -> None:
    # The scanner used to keep every value's place (about 120 bytes a character) and its string pattern a
    # backtracking record per character (about 150 bytes a character).
    def run() -> None:
        found = 0
        for _ in validate_json_text("f.json", text, None, recognise_service, TODAY, FileStats()):
            found += 1  # findings are counted, not kept: what is measured is the reader's own memory
        assert found

    def parse_only() -> None:
        json.loads(text)

    assert _peak(run) < _peak(parse_only) + 8 * len(text)


def test_an_array_of_bodies_is_placed_body_by_body() -> None:
    text = '[\n{"a": 1},\n {"b": [1, {"c": 2}]},\n\n  {"d": "\\"}"}\n]'
    found = {(line, column, path) for line, column, code, path in _found(text) if code == "KBC104"}
    assert found == {(2, 7, "[0].a"), (3, 8, "[1].b"), (5, 9, "[2].d")}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\u001e\u2028\u0085"[1:]])
def test_a_line_separator_inside_a_string_does_not_shift_lines(separator: str) -> None:
    # JSON allows these raw in a string; str.splitlines took each for a line break.
    text = "[\n" + json.dumps({"creditorName": f"a{separator}b"}, ensure_ascii=False) + ',\n{"x": 1}]'
    assert (3, 7, "KBC104", "[1].x") in _found(text)


def test_line_index_counts_line_feeds_only_and_reaches_far_positions() -> None:
    text = ("x" * 5000 + "\n") * 3 + "\u2028y"
    lines = LineIndex(text)
    assert lines.position(0) == (1, 1)
    assert lines.position(5001) == (2, 1)
    assert lines.position(3 * 5001 + 1) == (4, 2)
    assert lines.position(4999) == (1, 5000)


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_json_lines_a_line_cut_short_is_reported_on_its_own_line(end: str) -> None:
    lines = [f'{{"a": 1}}{end}', f'{{"b":{end}']
    found = list(validate_json_lines("f.jsonl", lines, None, recognise_service, TODAY, FileStats()))
    assert [(f.line, f.column) for f in found if f.code == "KBC900"] == [(2, 6)]


def test_numbers_of_any_length_in_a_json_file_are_a_finding() -> None:
    assert _found('{"instructedAmount": {"amount": ' + BIG + ', "currency": "EUR"}}')[0][2:] == (
        "KBC103", "instructedAmount.amount")


def test_numbers_of_any_length_in_json_lines() -> None:
    lines = ['{"instructedAmount": {"amount": ' + BIG + "}}\n", '{"e": -' + BIG + "}\n"]
    found = list(validate_json_lines("f.jsonl", lines, None, recognise_service, TODAY, FileStats()))
    assert {(f.line, f.code) for f in found} >= {(1, "KBC103"), (2, "KBC104")}


def test_numbers_of_any_length_in_a_request_body() -> None:
    body = '{"instructedAmount": {"amount": ' + BIG + ', "currency": "EUR"}}'
    report = validate_request("POST", "https://psd2.api.kbc.be/psd2/v2/payments/sepa-credit-transfers", {}, body)
    assert "KBC103" in report.codes


@pytest.mark.parametrize(("number", "digits"), [(10**5000, 5001), (-(10**5000), 5001), (10**4300 - 1, 4300),
                                               (2**20000, 6021), (10**70 - 1, 70)],
                         ids=["1e5000", "-1e5000", "4300 nines", "2**20000", "70 nines"])
def test_numbers_of_any_length_are_shown_by_their_count_of_digits(number: int, digits: int) -> None:
    report = validate_payment({"instructedAmount": {"amount": number, "currency": "EUR"}}, today=TODAY)
    assert report.codes[0] == "KBC103"
    assert f"a number of {digits} digits" in report.issues[0].message
    assert show(12) == "12"


# CSV files read by the per-row path (and the column engine's fallback to it)

CSV_HEADER = b"creditor_iban;amount;creditor_name\n"
CSV_ROW = b"BE71096123456769;12,50;Zeeman\n"


def _csv(tmp_path: object, data: bytes, engine: str) -> tuple[list[tuple[int, str]], FileStats]:
    from pathlib import Path

    from kbc_validate.files.inputs import ReadOptions, read_input

    path = Path(str(tmp_path)) / "f.csv"
    path.write_bytes(data)
    stats = FileStats()
    found = [located for item in read_input(str(path), ReadOptions(today=TODAY, engine=engine, jobs=1), stats)
             for located in (item.located() if hasattr(item, "located") else [item])]
    return [(f.line, f.code) for f in found], stats


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_a_nul_in_the_header_is_a_finding(tmp_path: object, engine: str) -> None:
    found, _ = _csv(tmp_path, b"creditor_iban;am\x00ount;creditor_name\n" + CSV_ROW, engine)
    assert found == [(1, "KBC905")]


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_a_line_of_nul_bytes_is_an_unreadable_row_not_a_blank_line(tmp_path: object, engine: str) -> None:
    found, stats = _csv(tmp_path, CSV_HEADER + b"\x00\x00\x00\n" + CSV_ROW, engine)
    assert found == [(2, "KBC905")]
    assert (stats.rows, stats.blank_lines) == (2, 0)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n", b"\xef\xbb\xbf\r\n"], ids=["empty", "BOM", "LF", "BOM CRLF"])
def test_csv_an_empty_file_is_a_file_without_the_mandatory_columns(tmp_path: object, engine: str, data: bytes) -> None:
    found, _ = _csv(tmp_path, data, engine)
    assert found == [(1, "KBC902")] * 3
