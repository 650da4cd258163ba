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
from kbc_validate.files.inputs import ReadOptions, read_input
from kbc_validate.files.located import FileStats, Located
from kbc_validate.findings import Issue
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


@given(adversarial_files(), st.sampled_from([1, 2, 3]), st.sampled_from([16, 256, 8 << 20]),
       st.sampled_from([7, 100, 1 << 19]))
@settings(max_examples=200, deadline=None)
def test_the_compiled_pass_gives_the_per_row_findings(contents: bytes, threads: int, block: int, first: int) -> None:
    original = compiled_csv.BLOCK_BYTES, compiled_csv.FIRST_BLOCK_BYTES
    # Small blocks: records cut across them, carried to the next; a first block smaller than the others, or not.
    compiled_csv.BLOCK_BYTES, compiled_csv.FIRST_BLOCK_BYTES = block, first
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "payments.csv"
            path.write_bytes(contents)
            assert_same(path, threads)
    finally:
        compiled_csv.BLOCK_BYTES, compiled_csv.FIRST_BLOCK_BYTES = original


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


# Rows the scanner sets aside as exact (a rule relating members may concern them), each reason with faulty members
# in the same row: their findings are made of each member's own and those relating them (`GroupChecks.row_findings`).
EXACT_COLUMNS = {
    "creditorAccount.iban": ["BE71096123456769", "BE68539007547034", "NL91ABNA0417164300", "BE71096123456760",
                             "be68 5390 0754 7034", "BE68539007547034\u00a0", "XX12", "BE00734012345681"],
    "creditorAccount.currency": ["EUR", "USD"],
    "creditorName": ["Zeeman BV", "Café De Zwaan", "N" * 71, "Mer\u200bchant"],
    "instructedAmount.amount": ["12,50", "7,10", "0,00", "12,345", "1.234,56", "-5,00", "abc"],
    "instructedAmount.currency": ["EUR", "USD", "eur"],
    "remittanceInformationStructured.reference": ["+++010/8068/17183+++", "+++090/9337/55493+++",
                                                  "+++010/8068/17180+++", "010806817180", "RF18539007547034"],
    "remittanceInformationStructured.referenceIssuer": ["BBA", "ISO", "bba"],
    "remittanceInformationUnstructured": ["Factuur 12", "Factuur 13", "+++010/8068/17180+++", "123456789012"],
    "requestedExecutionDate": ["2027-01-15", "2026-01-02", "2027-01-16", "15/01/2027"],
    "endToEndIdentification": ["E2E-1", "E2E-2", "FACTURE-É"],
    "debtorAccount.iban": ["BE36734012345681", "BE36734012345680", "BE68539007547034"],
    "creditorAddress.townName": ["Gent", "Zürich"],
    "creditorAddress.country": ["BE", "be"],
    "endDate": ["2027-02-01", "tomorrow"],  # a periodic member in a file of single payments: unknown (KBC104)
}
EXACT_REASONS = ["a mandatory member missing", "both remittance forms", "the same account", "a group's first cell empty"]


def _exact_row(draw: st.DrawFn, columns: list[str]) -> list[str]:
    faulty = draw(st.booleans())  # else every member clean but for the reasons below (rows alike but for them)
    row = {name: draw(st.sampled_from(["", values[0], *values]) if faulty and draw(st.booleans()) else st.just(values[0]))
           for name, values in EXACT_COLUMNS.items() if name in columns}
    for reason in draw(st.sets(st.sampled_from(EXACT_REASONS), min_size=1)):
        if reason == "a mandatory member missing":
            for name in draw(st.sets(st.sampled_from(["creditorAccount.iban", "creditorName", "instructedAmount.amount"]),
                                     min_size=1)):
                row[name] = ""
        elif reason == "both remittance forms":
            row["remittanceInformationStructured.reference"] = draw(st.sampled_from(
                EXACT_COLUMNS["remittanceInformationStructured.reference"]))
            row["remittanceInformationUnstructured"] = draw(st.sampled_from(EXACT_COLUMNS["remittanceInformationUnstructured"]))
        elif reason == "the same account" and row.get("creditorAccount.iban"):
            number = row["creditorAccount.iban"]
            row["debtorAccount.iban"] = draw(st.sampled_from([number, number.lower(), number.replace("BE", "BE ")]))
        elif reason == "a group's first cell empty":
            first, second = draw(st.sampled_from([
                ("instructedAmount.amount", "instructedAmount.currency"),
                ("remittanceInformationStructured.reference", "remittanceInformationStructured.referenceIssuer"),
                ("creditorAccount.iban", "creditorAccount.currency"),
                ("creditorAddress.townName", "creditorAddress.country")]))
            row[first], row[second] = "", draw(st.sampled_from(EXACT_COLUMNS[second]))
    return [row.get(name, "") for name in columns]


@st.composite
def exact_row_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """A file of single payments whose rows are mostly exact, in any column order, encoding and line ending."""
    required = ["creditorAccount.iban", "creditorName", "instructedAmount.amount"]
    optional = draw(st.sets(st.sampled_from([name for name in EXACT_COLUMNS if name not in required]), min_size=3))
    columns = draw(st.permutations(required + sorted(optional)))
    delimiter = draw(st.sampled_from([";", "\t"]))
    lines = [delimiter.join(columns)]
    for _ in range(draw(st.integers(1, 20))):
        if len(lines) > 1 and draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(lines[1:])))  # a repeated payment
            continue
        exact = draw(st.integers(0, 3)) > 0
        row = _exact_row(draw, columns) if exact else [EXACT_COLUMNS[name][0] for name in columns]
        lines.append(delimiter.join(row))
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    text = newline.join(lines) + newline
    encoding = draw(st.sampled_from(ENCODINGS))
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


def located_issues(path: Path, engine: str, **options: Any) -> list[tuple[int, int, Issue]]:
    """(line, column, issue) of each finding: issues compared whole (their input too, which no output writes)."""
    found = []
    for item in read_input(str(path), ReadOptions(today=TODAY, engine=engine, **options), FileStats()):
        found += [(f.line, f.column, f.issue) for f in ([item] if isinstance(item, Located) else item.located())]
    return found


@given(exact_row_files(), st.sampled_from([1, 2, 3]), st.sampled_from([64, 8 << 20]))
@settings(max_examples=150, deadline=None)
def test_exact_rows_give_the_per_row_findings(file: tuple[bytes, str], threads: int, block: int) -> None:
    contents, _ = file
    original = compiled_csv.BLOCK_BYTES
    compiled_csv.BLOCK_BYTES = block
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "payments.csv"
            path.write_bytes(contents)
            assert_same(path, threads)
            assert located_issues(path, "compiled", jobs=threads) == located_issues(path, "rows", jobs=1)
    finally:
        compiled_csv.BLOCK_BYTES = original


EXACT_HEADER = ("creditorAccount.iban;creditorName;instructedAmount.amount;instructedAmount.currency;"
                "remittanceInformationStructured.reference;remittanceInformationUnstructured;debtorAccount.iban;"
                "endToEndIdentification")


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (["BE71096123456760;;12,50;USD;;Factuur 1;;E2E-1"], "no creditor name, a bad IBAN, USD"),
        (["BE68539007547034;Jan;12,50;EUR;+++010/8068/17180+++;;be68 5390 0754 7034;E2E-1"],
         "the same account (as written otherwise), a bad structured communication"),
        (["BE71096123456769;Jan;;EUR;+++010/8068/17183+++;Factuur 1;;E2E-1"], "both forms, no amount"),
        (["BE71096123456769;Jan;12,50;EUR;+++010/8068/17183+++;Factuur 1;;E2E-1",
          "BE71096123456769;Jan;12,51;EUR;+++090/9337/55493+++;Factuur 2;;E2E-2"],
         "both forms, clean otherwise, twice: each finding names its own structured remittance"),
        (["BE71096123456769;;12,50;EUR;;Factuur 1;BE71096123456769;E2E-1",
          "BE71096123456769;;12,50;EUR;;Factuur 1;BE36734012345681;E2E-2",
          "BE71096123456769;;12,50;EUR;;Factuur 1;BE71096123456769;E2E-3"],
         "no creditor name, the same account or not, clean otherwise: rows alike but for the account"),
        (["BE71096123456769;;;;;;;", "BE71096123456769;;;USD;;;;", ";Jan;;;;;;"],
         "mandatory members missing, a currency without its amount (the member's first cell empty)"),
        (["BE71\u00a0096123456769;;12,50;EUR;;Factuur 1;BE71096123456769;E2E-1",
          "BE71\u00a0096123456769;;12,50;EUR;;Factuur 1;BE71096123456769;E2E-1"],
         "an account cell that is not ASCII: the row's keys made by Python, repeated"),
        (["BE71096123456769;Café;0,00;EUR;;123456789012;BE71096123456769;FACTURE-É"] * 2,
         "the same account with faults in several members, repeated"),
    ],
)
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_exact_rows_by_reason(rows: list[str], reason: str, encoding: str, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reason a row is set aside as exact, with faulty members in the same row: the per-row path's findings,
    issues equal whole, each row's made of its members' and those relating them (`CompiledFile._exact_row`)."""
    path = tmp_path / "payments.csv"
    path.write_bytes("\n".join([EXACT_HEADER, *rows, ""]).encode(encoding))
    exact = []
    made = compiled_csv.CompiledFile._exact_row

    def spied(self: Any, data: bytes, record: Any, told: Any, *args: Any) -> Any:
        exact.append(record[0])
        return made(self, data, record, told, *args)

    monkeypatch.setattr(compiled_csv.CompiledFile, "_exact_row", spied)
    found = assert_same(path, 1)
    assert located_issues(path, "compiled", jobs=1) == located_issues(path, "rows", jobs=1), reason
    assert sorted(set(exact)) == list(range(2, len(rows) + 2)), reason
    assert found, reason


def test_a_periodic_member_s_column_in_a_file_of_single_payments(tmp_path: Path) -> None:
    """A member single payments do not have (``endDate``, ``executionRule``) is unknown (KBC104) in each row holding
    it, as the per-row path finds; a group's check once raised KeyError for it."""
    path = tmp_path / "payments.csv"
    path.write_bytes(b"creditor_iban;creditor_name;amount;endDate;executionRule\n"
                     b"BE71096123456769;Jan;12,50;2027-01-15;following\nBE71096123456769;Jan;12,51;;following\n"
                     b"BE71096123456769;;12,52;2027-01-15;\n")
    found = assert_same(path, 2)
    assert [(item["line"], item["code"]) for item in found if item["code"] == "KBC104"] == [
        (2, "KBC104"), (2, "KBC104"), (3, "KBC104"), (4, "KBC104")]


def test_the_switch_interval_is_shortened_while_blocks_are_scanned_ahead_then_restored() -> None:
    """The scanning thread waits for the GIL at most `SWITCH_SECONDS` while blocks are scanned ahead (two threads),
    and the process's own interval is given back afterwards, also when the reading stops early."""
    path = EXAMPLES / "payments.csv"
    seen: list[float] = []
    scan = compiled_csv.CompiledFile._scan

    def spying(self: compiled_csv.CompiledFile, *args: Any) -> Any:
        seen.append(sys.getswitchinterval())
        return scan(self, *args)

    before = sys.getswitchinterval()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compiled_csv.CompiledFile, "_scan", spying)
        for threads in (2, 1):
            options = ReadOptions(today=TODAY, engine="compiled", jobs=threads)
            found = read_input(str(path), options, FileStats())
            next(found, None)
            found.close()  # stopped early
            assert sys.getswitchinterval() == before
            list(read_input(str(path), options, FileStats()))
            assert sys.getswitchinterval() == before
    assert seen[0] == min(before, compiled_csv.SWITCH_SECONDS), seen
    assert seen[-1] == before, seen
    # Two files read at once, ending in either order: the interval given back is the process's own.
    for order in ((0, 1), (1, 0)):
        faulty = str(EXAMPLES / "faulty-payments.csv")  # a first finding inside the pass: each run stops there
        runs = [read_input(faulty, ReadOptions(today=TODAY, engine="compiled", jobs=2), FileStats()) for _ in range(2)]
        for run in runs:
            assert next(run, None) is not None
            assert sys.getswitchinterval() == min(before, compiled_csv.SWITCH_SECONDS)
        for index in order:
            runs[index].close()
        assert sys.getswitchinterval() == before
