"""JSON and JSON Lines payment files: strict parsing and the line and column of every finding."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files.inputs import input_kind, recognise_service
from kbc_validate.files.json_positions import LineIndex, value_offsets
from kbc_validate.files.json_source import validate_json_lines, validate_json_text
from kbc_validate.files.located import FileStats
from tests.bodies import BULK, SINGLE, with_value

TODAY = date(2026, 11, 24)


def _found(text: str) -> list[tuple[int, int, str, str]]:
    stats = FileStats()
    return [(f.line, f.column, f.code, f.issue.path)
            for f in validate_json_text("f.json", text, None, recognise_service, TODAY, stats)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"a": 1,}', [(1, 9, "KBC900", "")], id="trailing comma"),
        pytest.param('{\n  "a": NaN\n}', [(2, 8, "KBC900", "")], id="NaN literal"),
        pytest.param('[1, -Infinity]', [(1, 5, "KBC900", "")], id="minus infinity"),
        pytest.param('"NaN"', [(1, 1, "KBC100", "")], id="NaN inside a string is a string"),
        pytest.param("[" * 5000, [(1, 1, "KBC900", "")], id="nested too deeply"),
        pytest.param("", [(1, 1, "KBC900", "")], id="empty"),
    ],
)
def test_invalid_json(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    assert _found(text) == expected


def test_duplicate_keys_are_found_where_they_repeat() -> None:
    text = '{\n  "creditorName": "A",\n  "creditorName": "B"\n}'
    assert ("KBC901" in [code for _, _, code, _ in _found(text)])
    assert (3, 19, "KBC901", "creditorName") in _found(text)


def test_every_finding_points_at_its_value() -> None:
    body = with_value(with_value(SINGLE, ("instructedAmount", "amount"), "0"), ("creditorName", ), "")
    text = json.dumps(body, indent=2)
    for line, column, _code, path in _found(text):
        member = path.split(".")[-1]
        assert f'"{member}": ' in text.splitlines()[line - 1][: column - 1]


def test_array_of_bodies_prefixes_paths_with_the_index() -> None:
    text = json.dumps([SINGLE, with_value(SINGLE, ("instructedAmount", "currency"), "USD")], indent=1)
    assert [(code, path) for _, _, code, path in _found(text)] == [("KBC210", "[1].instructedAmount.currency")]


def test_bulk_body_in_a_json_file() -> None:
    text = json.dumps(with_value(BULK, ("payments", 1, "instructedAmount", "amount"), "-1"), indent=2)
    assert [(code, path) for _, _, code, path in _found(text)] == [
        ("KBC802", ""), ("KBC200", "payments[1].instructedAmount.amount")]  # KBC takes bulk only as pain.001


def test_json_lines() -> None:
    lines = [json.dumps(SINGLE), "", json.dumps(with_value(SINGLE, ("creditorName",), "N" * 71)), "{oops"]
    stats = FileStats()
    found = [(f.line, f.code) for f in validate_json_lines("f.jsonl", iter(lines), None, recognise_service, TODAY, stats)]
    assert found == [(3, "KBC701"), (4, "KBC900")]
    assert (stats.rows, stats.blank_lines) == (3, 1)


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("a.json", b"", "json"), ("a.JSONL", b"", "jsonl"), ("a.csv", b"", "csv"),
        ("-", b'{"a": 1}', "json"), ("-", b'{"a": 1}\n{"b": 2}\n', "jsonl"), ("-", b"[1]", "json"),
        ("-", b"\xef\xbb\xbf{}", "json"), ("-", b"amount;creditor_iban", "csv"),
    ],
)
def test_input_kind(name: str, head: bytes, kind: str) -> None:
    assert input_kind(name, head) == kind


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300)
@given(document=json_documents, indent=st.sampled_from([None, 0, 2]))
def test_positions_name_every_value(document: object, indent: int | None) -> None:
    text = json.dumps(document, indent=indent)
    offsets = value_offsets(text)
    lines = LineIndex(text)
    for loc, offset in offsets.items():
        node = document
        for part in loc:
            node = node[part]  # type: ignore[index]
        assert json.JSONDecoder().raw_decode(text, offset)[0] == node
        line, column = lines.position(offset)
        assert text.splitlines()[line - 1][column - 1] == text[offset]


@settings(max_examples=200)
@given(data=st.binary(max_size=300), kind=st.sampled_from(["json", "jsonl", "csv"]))
def test_any_bytes_in_any_kind_of_file_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes, kind: str) -> None:
    from kbc_validate.files.inputs import ReadOptions, read_input

    path = tmp_path_factory.mktemp("fuzz") / f"input.{kind}"
    path.write_bytes(data)
    stats = FileStats()
    findings = list(read_input(str(path), ReadOptions(today=TODAY), stats))
    assert all(f.code.startswith("KBC") and f.line >= 1 and f.column >= 1 for f in findings)
    assert stats.rows >= 0
    assert stats.blank_lines >= 0
