"""The column engine gives the per-row path's findings, line by line, on generated and adversarial CSV files."""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.columnar import clean, tokens
from kbc_validate.columnar.engine import FINDINGS_SCHEMA, converted
from kbc_validate.columnar.table import FindingTable
from kbc_validate.files.csv_columns import cell_value, column
from kbc_validate.files.inputs import ReadOptions, read_input
from kbc_validate.files.located import FileStats, Located
from kbc_validate.formats.json_format import JsonFormat
from kbc_validate.formats.summary import Summary
from kbc_validate.rules.account import ACCOUNT
from kbc_validate.rules.amount import AMOUNT
from kbc_validate.rules.bodies import SINGLE
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Vector
from kbc_validate.rules.remittance import STRUCTURED
from tests.bodies import TODAY
from tests.strategies import NEAR_MISSES, amounts, basic_text, execution_dates, iban_candidates, valid_ibans, valid_ogms

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def findings(path: Path, engine: str, **options: Any) -> tuple[list[dict[str, Any]], FileStats]:
    """Every finding of `path` as dictionaries, in the order the command line writes them."""
    stats, found = FileStats(), []
    for item in read_input(str(path), ReadOptions(today=TODAY, engine=engine, **options), stats):
        if isinstance(item, Located):
            found.append(item.as_dict())
        else:
            found += [located.as_dict() for located in item.located()]
    return found, stats


def assert_same(path: Path, **options: Any) -> list[dict[str, Any]]:
    rows, row_stats = findings(path, "rows", **options)
    columns, column_stats = findings(path, "columns", **options)
    assert columns == rows
    assert column_stats == row_stats
    return rows


# -- adversarial cells -----------------------------------------------------------------------------------------
ADVERSARIAL = [value for value in NEAR_MISSES if isinstance(value, str)] + [
    "Café De Zwaan", "Straße", "be36 7340 1234 5681", "BE36\u00a07340\u00a01234\u00a05681", "ǅ", "ﬀ", "BE36734012345681 ",
    " 12,50", "1.234,56", "1.234.567,89", "12,5", "1,234", "0,00", "12,345", "+++010/8068/17183+++ ", "ISO", "iso",
    "Factuur 12", "123456789012", "+++090/9337/55493+++", "RF18 5390 0754 7034", "x" * 36, "\t", "a\x0bb", "€",
    "a\x1fb",
]
CELLS = {
    "iban": st.one_of(valid_ibans(), iban_candidates(), valid_ibans(["BE"]).map(lambda n: n[:4] + " " + n[4:])),
    "name": basic_text(70),
    "amount": amounts.map(lambda amount: amount.replace(".", ",")),
    "ogm": valid_ogms().map(lambda digits: f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"),
    "text": basic_text(140),
    "date": execution_dates,
    "e2e": st.from_regex(r"E2E-[0-9]{1,6}", fullmatch=True),
    "currency": st.just("EUR"),
    "issuer": st.sampled_from(["BBA", "bba", "ISO"]),
    "bic": st.sampled_from(["KREDBEBB", "GEBABEBB", "kredbebb", "KREDBE"]),
    "country": st.sampled_from(["BE", "NL", "be"]),
}
LAYOUTS = [
    [("Creditor IBAN", "iban"), ("Creditor name", "name"), ("Amount", "amount"), ("Currency", "currency"),
     ("Structured communication", "ogm"), ("Communication", "text"), ("Execution date", "date"),
     ("End to end id", "e2e"), ("Debtor IBAN", "iban")],
    [("creditorAccount.iban", "iban"), ("creditorName", "name"), ("instructedAmount.amount", "amount"),
     ("remittanceInformationStructured.reference", "ogm"), ("remittanceInformationStructured.referenceIssuer", "issuer"),
     ("creditor_bic", "bic"), ("creditor_country", "country"), ("creditor_town", "name"), ("notes", "text")],
    [("amount", "amount"), ("creditor_name", "name"), ("creditor_iban", "iban"), ("creditorAccount.currency", "currency"),
     ("description", "text"), ("debtor_iban", "iban"), ("end_to_end_id", "e2e")],
]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str]:
    layout = draw(st.sampled_from(LAYOUTS))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    lines = [delimiter.join(name for name, _ in layout)]
    repeated: list[str] = []
    # Columns holding one value in every row (a file's one debtor account, a faulty one too): the quick test is
    # then made once for a whole block.
    constant = {index: draw(st.sampled_from(["", *ADVERSARIAL]) | CELLS[layout[index][1]])
                for index in draw(st.sets(st.integers(0, len(layout) - 1), max_size=3))}
    for _ in range(draw(st.integers(0, 25))):
        shape = draw(st.sampled_from(["row"] * 12 + ["blank", "ragged", "quoted", "repeat"]))
        if shape == "blank":
            lines.append("")
            continue
        if shape == "repeat" and repeated:
            lines.append(draw(st.sampled_from(repeated)))
            continue
        cells = []
        for index, (_, kind) in enumerate(layout):
            choice = draw(st.sampled_from(["valid"] * 5 + ["empty", "adversarial"]))
            cell = "" if choice == "empty" else draw(st.sampled_from(ADVERSARIAL) if choice == "adversarial" else CELLS[kind])
            cell = constant.get(index, cell)
            cells.append(cell.replace(delimiter, " ").replace('"', "").replace("\n", " ").replace("\r", " "))
        if shape == "ragged":
            cells.append("extra")
        if shape == "quoted":
            cells[1] = f'"{cells[1]}{delimiter} fils"'
        line = delimiter.join(cells)
        repeated.append(line)
        lines.append(line)
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    try:
        return text.encode(draw(st.sampled_from(["cp1252", "utf-8"]))), delimiter
    except UnicodeEncodeError:
        return text.encode("utf-8"), delimiter


@given(csv_files(), st.sampled_from([64, 512, 1 << 20]))
@settings(max_examples=150)
def test_column_engine_gives_the_per_row_findings(data: tuple[bytes, str], block: int) -> None:
    contents, _ = data
    original = tokens.BLOCK_BYTES
    tokens.BLOCK_BYTES = block  # small blocks: many of them, parsed by polars and by the csv module alike
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "payments.csv"
            path.write_bytes(contents)
            assert_same(path)
    finally:
        tokens.BLOCK_BYTES = original


@pytest.mark.parametrize("name", ["payments.csv", "faulty-payments.csv"])
def test_examples_give_the_same_findings(name: str) -> None:
    assert assert_same(EXAMPLES / name) or name == "payments.csv"


def test_a_file_the_column_engine_does_not_take_gives_the_per_row_findings(tmp_path: Path) -> None:
    periodic = tmp_path / "standing.csv"
    periodic.write_text("creditor_iban;creditor_name;amount;start_date;frequency\n"
                        "BE71096123456769;Zeeman;12,50;2026-12-01;Monthly\n", encoding="utf-8")
    missing = tmp_path / "missing.csv"
    missing.write_text("creditor_iban;amount\nBE71096123456769;12,50\n", encoding="utf-8")
    assert_same(periodic)
    assert [f["code"] for f in assert_same(missing)] == ["KBC902"]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("Zee\rman", "a carriage return alone ends a row for the csv module: two ragged rows"),
        ("Zeeman\r", "a carriage return before the delimiter, not before the line feed"),
        ("Zeeman", "the control: a plain row"),
    ],
)
def test_stray_carriage_returns_are_read_as_the_csv_module_reads_them(cells: str, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "cr.csv"
    rows = "".join(f"BE71096123456769;{cells};1{number},50\r\n" for number in range(3))
    path.write_bytes(("creditor_iban;creditor_name;amount\r\n" + rows).encode())
    found = assert_same(path)
    assert bool(found) == ("\r" in cells), reason


def test_a_field_over_the_csv_module_limit_is_a_finding_on_both_paths(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_name = "x" * 300
    path.write_text(f"creditor_iban;creditor_name;amount\nBE71096123456769;{long_name};12,50\n"
                    "BE71096123456769;Zeeman;12,50\n", encoding="utf-8")
    original = csv.field_size_limit(200)  # the limit both paths read; a 300-character field is over it
    try:
        found = assert_same(path)
    finally:
        csv.field_size_limit(original)
    assert [f["line"] for f in found if f["code"] == "KBC905"] == [2]


def test_repeats_across_blocks_name_the_first_line(tmp_path: Path) -> None:
    row = "BE71096123456769;Zeeman;12,50;Factuur 1;E2E-1\n"
    path = tmp_path / "repeats.csv"
    path.write_text("creditor_iban;creditor_name;amount;communication;end_to_end_id\n" + row * 3, encoding="utf-8")
    original = tokens.BLOCK_BYTES
    tokens.BLOCK_BYTES = 40
    try:
        found = assert_same(path)
    finally:
        tokens.BLOCK_BYTES = original
    assert [(f["line"], f["code"]) for f in found] == [(3, "KBC907"), (3, "KBC908"), (4, "KBC907"), (4, "KBC908")]
    assert "line 2" in found[0]["message"]


@pytest.mark.parametrize(
    ("rows", "repeated", "reason"),
    [
        (["BE36734012345681;1.234,50;Factuur 1", "BE36\u00a07340\u00a01234\u00a05681;1234,50;Factuur 1",
          "be36 7340 1234 5681;1234.50;Factuur 1"], [3, 4],
         "the same key once converted: as written, with no-break spaces (made by the per-row code), lower case"),
        (["X\x1fY;5;r", "X;Y\x1f5;r"], [3], "the key's separator inside cells: the same key from other cells"),
        (["X\x1fY;5;r", "X;Y5;r", "XY;5;r", "X;5,5;r", "X;55;r"], [], "the control: keys that differ"),
    ],
)
def test_repeated_payment_keys_are_found_however_their_cells_are_written(
    rows: list[str], repeated: list[int], reason: str, tmp_path: Path
) -> None:
    path = tmp_path / "keys.csv"
    lines = [";Zeeman;".join(row.split(";", 1)) for row in rows]
    path.write_text("creditor_iban;creditor_name;amount;communication\n" + "\n".join(lines) + "\n", encoding="utf-8")
    found = assert_same(path)
    assert [f["line"] for f in found if f["code"] == "KBC908"] == repeated, reason


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_command_line_output_is_byte_identical(output: str, tmp_path: Path) -> None:
    runs = {}
    for engine in ("rows", "columns"):
        result = subprocess.run(
            [sys.executable, "-m", "kbc_validate", "--engine", engine, "--today", TODAY.isoformat(), "--format",
             output, "--ignore", "KBC704", str(EXAMPLES / "faulty-payments.csv")],
            capture_output=True, text=True, check=False, cwd=tmp_path,
        )
        runs[engine] = (result.returncode, result.stdout, result.stderr)
    assert runs["columns"] == runs["rows"]
    assert runs["rows"][0] == 1


# -- the vectorised acceptors never pass what the rule reports ------------------------------------------------
def _clean(vector: Vector, cells: list[str]) -> list[bool]:
    frame = pl.DataFrame({"f0": cells}, schema={"f0": pl.String})
    return frame.select(clean.member_clean(vector, pl.col("f0"))).to_series().to_list()


def _reports(member: str, value: Any, spec: Any = SINGLE) -> bool:
    ctx = Context(TODAY)
    spec.checks[member](value, (member,), ctx)
    return bool(ctx.issues)


def never_issued_belgian(first_ten: int) -> str:
    """A Belgian IBAN whose check digits 00, 01 or 99 pass mod 97 (congruent to 97, 98 or 02): never issued."""
    while True:
        digits = f"{first_ten % 10**10:010d}"
        bban = digits + f"{int(digits) % 97 or 97:02d}"
        check = 98 - int(bban + "111400") % 97
        if check in (2, 97, 98):
            return f"BE{(check + 97) % 194 if check == 2 else check - 97:02d}{bban}"
        first_ten += 1


MEMBER_CELLS = st.one_of(st.integers(0, 10**10).map(never_issued_belgian), st.sampled_from(ADVERSARIAL), st.text(max_size=40), basic_text(140), amounts, valid_ogms(),
                         iban_candidates(), valid_ibans(["BE"]))


@given(st.lists(MEMBER_CELLS, min_size=1, max_size=20),
       st.sampled_from(["creditorName", "endToEndIdentification", "remittanceInformationUnstructured",
                        "amount", "currency", "iban"]))
def test_a_vectorised_acceptor_passes_only_clean_values(cells: list[str], member: str) -> None:
    spec = {"amount": AMOUNT, "currency": AMOUNT, "iban": ACCOUNT}.get(member, SINGLE)
    vector = spec.vectors[member]
    assert vector is not None
    for cell, passed in zip(cells, _clean(vector, cells), strict=True):
        if passed:
            assert not _reports(member, cell, spec), cell


AMOUNT_CELLS = st.one_of(st.sampled_from(ADVERSARIAL), amounts, amounts.map(lambda amount: amount.replace(".", ",")),
                         st.from_regex(r"[0-9]{1,12}[.,][0-9]{0,4}", fullmatch=True),
                         st.text(alphabet="0123456789.,", max_size=14))


@given(st.lists(AMOUNT_CELLS, min_size=1, max_size=20))
def test_the_decimal_comma_acceptor_passes_only_cells_read_as_clean_amounts(cells: list[str]) -> None:
    vector = AMOUNT.vectors["amount"]
    assert vector is not None
    for cell, passed in zip(cells, _clean(clean.decimal_comma(vector), cells), strict=True):
        if passed:  # as written in a ";" file, where the reader takes a decimal comma
            assert not _reports("amount", cell_value("instructedAmount.amount", cell, ";"), AMOUNT), cell


@given(st.lists(st.one_of(st.sampled_from(ADVERSARIAL), valid_ogms(), valid_ogms().map(
    lambda d: f"+++{d[:3]}/{d[3:7]}/{d[7:]}+++"), st.from_regex(r"[0-9+/]{12,20}", fullmatch=True)), min_size=1),
    st.sampled_from(["", "BBA", "ISO", "iso", "bba", "OTHER"]))
def test_the_structured_acceptor_passes_only_clean_references(references: list[str], issuer: str) -> None:
    frame = pl.DataFrame({"reference": references, "issuer": [issuer] * len(references)})
    cells = {"reference": pl.col("reference"), "referenceIssuer": pl.col("issuer")}
    passed = frame.select(clean.structured_clean(STRUCTURED, cells, None)).to_series().to_list()
    for reference, ok in zip(references, passed, strict=True):
        value = {"reference": reference} | ({"referenceIssuer": issuer} if issuer else {})
        if ok:
            assert not _reports("remittanceInformationStructured", value), value


@given(st.lists(st.one_of(st.sampled_from(ADVERSARIAL), st.text(alphabet="0123456789.,", max_size=12),
                          st.text(max_size=12)), min_size=1), st.sampled_from([";", ","]))
def test_vectorised_conversion_reads_cells_as_the_csv_reader_does(cells: list[str], delimiter: str) -> None:
    for path in ("instructedAmount.amount", "creditorAccount.iban"):
        spec = column(0, tuple(path.split(".")), delimiter, None)
        frame = pl.DataFrame({"f0": cells}, schema={"f0": pl.String})
        ours = frame.select(converted(spec, delimiter)).to_series().to_list()
        for cell, value in zip(cells, ours, strict=True):
            if cell.isascii():
                assert value == cell_value(path, cell, delimiter)


def test_column_keys_noted_further_down_keep_their_lines() -> None:
    """A piece's keys are numbered from its own first line: noted `lines` further down, the last line holding a
    repeated hash (where the second pass stops) is the file's."""
    from kbc_validate.columnar.repeats import ColumnRepeats, noted_keys
    from kbc_validate.files.csv_source import read_header

    header, _ = read_header("f.csv", ["creditor_iban", "creditor_name", "amount"], ";")
    repeats = ColumnRepeats(header, ";")
    piece = pl.DataFrame({"line": [1, 2, 3], "hash": [7, 2**64 - 1, 9]}, schema={"line": pl.Int64, "hash": pl.UInt64})
    repeats.note(noted_keys(piece))
    repeats.note(noted_keys(piece.filter(pl.col("hash") != 9)), 100)
    assert repeats.may_repeat()
    assert repeats._repeated.hashes == {7, 2**64 - 1}
    assert repeats._repeated.last_line == 102


# -- a table of findings is written and counted as its findings one by one ----------------------------------------
MESSAGES = st.sampled_from(["plain", 'a "quoted" \\ word', "Café \u00e9\u20ac", "tab\there", "line\nbreak", ""])


@st.composite
def finding_tables(draw: st.DrawFn) -> list[FindingTable]:
    """Findings in line order (several on a line, codes met again later), cut into consecutive tables."""
    codes = st.sampled_from(["KBC101", "KBC200", "KBC308", "KBC704", "KBC907"])
    lines = sorted(draw(st.lists(st.integers(2, 40), min_size=1, max_size=30)))
    rows = [{"line": line, "column": draw(st.integers(1, 9)), "path": draw(st.sampled_from(["", "creditorName"])),
             "cause": "invalid_format", "code": draw(codes), "severity": draw(st.sampled_from(["error", "warning"])),
             "message": draw(MESSAGES)} for line in lines]
    frame = pl.DataFrame(rows, schema=FINDINGS_SCHEMA)
    cuts = sorted(draw(st.sets(st.integers(1, frame.height - 1), max_size=4))) if frame.height > 1 else []
    bounds = [0, *cuts, frame.height]
    return [FindingTable("p\u00e9.csv", frame.slice(start, end - start)) for start, end in itertools.pairwise(bounds)]


@given(finding_tables())
def test_tables_are_counted_as_their_findings_one_by_one(tables: list[FindingTable]) -> None:
    by_table, one_by_one = Summary(), Summary()
    for table in tables:
        by_table.add_table(table)
        for located in table.located():
            one_by_one.add(located)
    assert by_table == one_by_one


@given(finding_tables())
def test_tables_are_written_as_json_findings_one_by_one(tables: list[FindingTable]) -> None:
    """Straight to the bytes of a UTF-8 stream, as text to a stream without bytes or in another encoding."""
    def written(stream: io.TextIOBase, by_table: bool) -> str:
        out = JsonFormat(stream)  # type: ignore[arg-type]
        for table in tables:
            if by_table:
                out.table(table)
            else:
                for located in table.located():
                    out.finding(located)
        out.finish(Summary())
        stream.flush()
        return stream.getvalue() if isinstance(stream, io.StringIO) else stream.buffer.getvalue().decode(stream.encoding)  # type: ignore[attr-defined]

    expected = written(io.StringIO(), by_table=False)
    assert json.loads(expected)["findings"]
    assert written(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), by_table=True) == expected
    assert written(io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="replace"), by_table=True) == \
        written(io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="replace"), by_table=False)
    assert written(io.StringIO(), by_table=True) == expected


def test_findings_are_the_same_when_the_memo_of_values_is_emptied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo of checked values is emptied past a few thousand values (one-off faulty values would make it grow
    with the file): values met again after that are checked again, with the same findings."""
    from kbc_validate.columnar import engine

    monkeypatch.setattr(engine, "_MEMO_LIMIT", 4)
    monkeypatch.setattr(tokens, "BLOCK_BYTES", 200)
    rows = "".join(f"BE7109612345676{number % 10};Café Zeeman;{number % 7},00;{['', 'USD'][number % 2]}\n"
                   for number in range(60))
    path = tmp_path / "payments.csv"
    path.write_text("creditor_iban;creditor_name;amount;currency\n" + rows, encoding="utf-8")
    found = assert_same(path)
    assert {"KBC308", "KBC704", "KBC200", "KBC210"} <= {f["code"] for f in found}


@settings(max_examples=400)
@given(lines=st.lists(st.text(alphabet="ab;\r", max_size=12), max_size=8), end=st.sampled_from(["", "\n", "\r"]),
       limit=st.integers(0, 10))
def test_plain_lines_are_those_split_alike_and_short_enough(lines: list[str], end: str, limit: int) -> None:
    # The reference: a carriage return only before a line feed, and every line (line feed not counted) at most
    # `limit` bytes long.
    block = ("\n".join(lines) + end).encode()
    expected = (block.count(b"\r") == block.count(b"\r\n")
                and max(len(line) for line in block.split(b"\n")) <= limit)
    assert tokens._plain_lines(block, limit) == expected
