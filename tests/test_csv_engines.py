"""The CSV engines that remain, the compiled pass and the per-row path, give the same findings, line by line, on
the files that once set the column engine apart (a service or header it did not take, stray carriage returns,
over-long fields, repeats across blocks, payment keys written in several ways); and the generated files that
`test_compiled_csv` holds the two to."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from kbc_validate.files import compiled_csv
from kbc_validate.files.inputs import ReadOptions, read_input
from kbc_validate.files.located import FileStats, Located
from tests.bodies import TODAY
from tests.strategies import NEAR_MISSES, amounts, basic_text, execution_dates, iban_candidates, valid_ibans, valid_ogms

NOT_BUILT = pytest.mark.skipif(not compiled_csv.available(), reason="the compiled pass was not built here")
pytestmark = NOT_BUILT
# The engines a CSV file may be read by, for tests of behaviour both must show.
ENGINES = ["rows", pytest.param("compiled", marks=NOT_BUILT)]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# A command run in a fresh interpreter (`python -c PEAK args...`) that prints its peak resident set (KiB, Linux's
# VmHWM) on standard error after its own output.
PEAK = ("import sys\nfrom kbc_validate.cli import main\nstatus = main(sys.argv[1:])\n"
        "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')), "
        "file=sys.stderr)\nsys.exit(status)\n")


def findings(path: Path, engine: str, **options: Any) -> tuple[list[dict[str, Any]], FileStats]:
    """Every finding of `path` as dictionaries, in the order the command line writes them."""
    stats, found = FileStats(), []
    for item in read_input(str(path), ReadOptions(today=TODAY, engine=engine, **options), stats):
        if isinstance(item, Located):
            found.append(item.as_dict())
        else:
            found += [located.as_dict() for located in item.located()]
    return found, stats


def located_findings(path: Path | str, engine: str) -> tuple[list[tuple[int, int, str]], FileStats, list[str]]:
    """(line, column, code) and the message of each finding of the input at `path` read with `engine` (one
    process), and its counts."""
    stats, found, messages = FileStats(), [], []
    for item in read_input(str(path), ReadOptions(today=TODAY, engine=engine, jobs=1), stats):
        for located in [item] if isinstance(item, Located) else list(item.located()):
            found.append((located.line, located.column, located.code))
            messages.append(located.issue.message)
    return found, stats, messages


def assert_same(path: Path, **options: Any) -> list[dict[str, Any]]:
    """The per-row path's findings of `path`, and the compiled pass's the same, with the same counts."""
    rows, row_stats = findings(path, "rows", **options)
    scanned, scanned_stats = findings(path, "compiled", **options)
    assert scanned == rows
    assert scanned_stats == row_stats
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


def test_a_file_the_compiled_pass_does_not_take_gives_the_per_row_findings(tmp_path: Path) -> None:
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


def test_repeats_across_blocks_name_the_first_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    row = "BE71096123456769;Zeeman;12,50;Factuur 1;E2E-1\n"
    path = tmp_path / "repeats.csv"
    path.write_text("creditor_iban;creditor_name;amount;communication;end_to_end_id\n" + row * 3, encoding="utf-8")
    monkeypatch.setattr(compiled_csv, "BLOCK_BYTES", 40)  # a row or two a block
    found = assert_same(path)
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


