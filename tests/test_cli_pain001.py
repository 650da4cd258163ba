"""pain.001 XML through every entry point of the command line: main(argv) and the installed console script, every
output format, standard input, the summary, the HTML report, --errors-out; and the input layer that reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.cli import main
from kbc_validate.files.inputs import Hooks, ReadOptions, input_kind, read_input
from kbc_validate.files.located import FileStats, Located
from kbc_validate.pain001 import Pain001Reader

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FAULTY, CLEAN = EXAMPLES / "faulty-bulk.xml", EXAMPLES / "bulk-payment.xml"
TODAY = date(2026, 12, 5)  # the day the pain.001 examples are written for
ARGS = ["--today", TODAY.isoformat()]


def _expected(path: Path) -> list[tuple[int, int, str, str]]:
    """(line, column, code, path) of the reader's findings, in its order: what every entry point must show."""
    return [(i.line or 0, i.column or 0, i.code, i.path) for i in Pain001Reader(path, today=TODAY).findings()]


def _transactions(path: Path) -> int:
    reader = Pain001Reader(path, today=TODAY)
    list(reader.findings())
    return reader.transactions


def test_the_faulty_example_has_findings_of_every_kind_to_show() -> None:
    codes = {code for _, _, code, _ in _expected(FAULTY)}
    assert {"KBC320", "KBC202", "KBC810", "KBC704"} <= codes  # rules, counts, and a warning
    assert _expected(CLEAN) == []


def test_text_format_shows_every_finding_at_its_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(FAULTY), *ARGS, "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    shown = []
    for text in lines:
        where, code, _ = text.split(" ", 2)
        _, line, column, _ = where.rsplit(":", 3)
        shown.append((int(line), int(column), code, text.rsplit("(at ", 1)[1].rstrip(")")))
    assert shown == _expected(FAULTY)
    assert f"{FAULTY}:76:13: KBC320 " in "\n".join(lines)


def test_a_clean_pain001_file_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CLEAN), *ARGS, "-q"]) == 0
    assert capsys.readouterr().out == ""


def test_json_format_and_summary_count_transactions_as_payments(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(FAULTY), str(CLEAN), *ARGS, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert status == 1
    found = [(f["line"], f["column"], f["code"], f["path"]) for f in document["findings"]]
    assert found == _expected(FAULTY)
    assert {f["file"] for f in document["findings"]} == {str(FAULTY)}
    summary = document["summary"]
    assert (summary["files"], summary["rows"]) == (2, _transactions(FAULTY) + _transactions(CLEAN))
    assert summary["rows"] == 4
    rules = {rule["code"]: rule for rule in summary["rules"]}
    assert rules["KBC320"]["first_lines"] == [f"{FAULTY}:76"]


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    main([str(FAULTY), *ARGS, "--format", "github"])
    lines = capsys.readouterr().out.splitlines()
    assert f"::error file={FAULTY},line=76,col=13,title=KBC320::" in "\n".join(lines)
    assert any(line.startswith(f"::warning file={FAULTY},line=72,col=11,title=KBC704::") for line in lines)
    assert len(lines) == len(_expected(FAULTY))


def test_sarif_format(capsys: pytest.CaptureFixture[str]) -> None:
    main([str(FAULTY), *ARGS, "--format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    regions = [(r["locations"][0]["physicalLocation"]["region"], r["ruleId"], r["properties"]["path"]) for r in results]
    assert regions == [({"startLine": line, "startColumn": column}, code, path)
                       for line, column, code, path in _expected(FAULTY)]


def test_summary_table_counts_transactions(capsys: pytest.CaptureFixture[str]) -> None:
    main([str(FAULTY), *ARGS])
    err = capsys.readouterr().err
    assert f"of {_transactions(FAULTY)} payments would be refused" in err
    assert "KBC320" in err


def test_html_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    main([str(FAULTY), *ARGS, "-q", "--report", str(target)])
    page = target.read_text(encoding="utf-8")
    assert "KBC320 same-debtor-and-creditor-account" in page
    assert f"<b>{_transactions(FAULTY)}</b>payments read" in page
    assert f"of {_transactions(FAULTY)} payments would be refused" in page
    assert "<script" not in page


def test_errors_out_says_it_writes_csv_fix_files_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "fix.csv"
    status = main([str(FAULTY), *ARGS, "-q", "--errors-out", str(target)])
    err = capsys.readouterr().err
    assert status == 1
    assert "is not a CSV file" in err
    assert str(FAULTY) in err
    assert not target.exists()
    main([str(FAULTY), str(EXAMPLES / "faulty-payments.csv"), *ARGS, "-q", "--errors-out", str(target)])
    assert err.count("is not a CSV file") == 1
    assert capsys.readouterr().err.count("is not a CSV file") == 1  # the XML file, not the CSV file
    assert len(target.read_bytes().splitlines()) == 1 + 6  # the CSV file's rows with errors are written


def test_errors_out_on_a_csv_file_alone_says_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main([str(EXAMPLES / "faulty-payments.csv"), *ARGS, "-q", "--errors-out", str(tmp_path / "fix.csv")])
    assert capsys.readouterr().err == ""


def test_an_xml_file_that_is_not_pain001(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "pom.xml").write_text('<?xml version="1.0"?>\n<project/>\n', encoding="utf-8")
    (tmp_path / "broken.XML").write_bytes(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">\n'
                                          b"  <CstmrCdtTrfInitn>\n  <GrpHdr")
    status = main([str(tmp_path / "pom.xml"), str(tmp_path / "broken.XML"), *ARGS, "-q", "--format", "json"])
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert status == 1
    assert captured.err == ""
    assert [(Path(f["file"]).name, f["code"]) for f in document["findings"]] == [
        ("pom.xml", "KBC922"), ("broken.XML", "KBC920")]


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        pytest.param("bulk.xml", b"", "xml", id="extension"),
        pytest.param("BULK.XML", b"", "xml", id="extension in capitals"),
        pytest.param("-", b'<?xml version="1.0" encoding="UTF-8"?>\n<Document', "xml", id="declaration"),
        pytest.param("-", b"\xef\xbb\xbf<Document xmlns=", "xml", id="UTF-8 byte order mark"),
        pytest.param("-", b"\r\n  <Document", "xml", id="blank lines before the root"),
        pytest.param("-", "\ufeff<?xml".encode("utf-16-le"), "xml", id="UTF-16 little-endian"),
        pytest.param("-", "\ufeff<?xml".encode("utf-16-be"), "xml", id="UTF-16 big-endian"),
        pytest.param("-", "\ufeff<?xml".encode("utf-32-le"), "xml", id="UTF-32 little-endian"),
        pytest.param("-", "\ufeff{}".encode("utf-16-le"), "csv", id="UTF-16 JSON is no XML"),
        pytest.param("-", b"amount;creditor_name\n1;<b>\n", "csv", id="a tag later in a CSV file"),
    ],
)
def test_xml_is_recognised_by_extension_or_first_bytes(name: str, head: bytes, kind: str) -> None:
    assert input_kind(name, head) == kind


def test_read_input_counts_transactions_and_tells_the_progress_bar(tmp_path: Path) -> None:
    stats, progress = FileStats(), []
    found = list(read_input(str(FAULTY), ReadOptions(today=TODAY, service="payments", encoding="cp1252"), stats,
                            Hooks(on_progress=progress.append)))
    assert [(f.line, f.column, f.code, f.issue.path) for f in found if isinstance(f, Located)] == _expected(FAULTY)
    assert (stats.kind, stats.rows) == ("xml", _transactions(FAULTY))
    assert progress
    assert progress == sorted(progress)
    assert progress[-1] == FAULTY.stat().st_size


def test_console_script_every_format_and_standard_input(tmp_path: Path) -> None:
    script = shutil.which("kbc-validate")
    assert script is not None, "pip install puts the console script on PATH"
    for output, where in (("text", f"{FAULTY}:76:13: KBC320"), ("json", '"line": 76, "column": 13'),
                          ("github", "line=76,col=13,title=KBC320"), ("sarif", '"startLine": 76, "startColumn": 13')):
        result = subprocess.run([script, str(FAULTY), *ARGS, "-q", "--format", output], capture_output=True,
                                text=True, check=False)
        assert (result.returncode, result.stderr) == (1, ""), output
        assert where in result.stdout, output
    piped = subprocess.run([script, "-", *ARGS, "-q"], input=FAULTY.read_bytes(), capture_output=True, check=False)
    assert piped.returncode == 1
    assert b"-:76:13: KBC320" in piped.stdout
    noted = subprocess.run([script, "-", *ARGS, "-q", "--errors-out", str(tmp_path / "fix.csv")], input=FAULTY.read_bytes(),
                           capture_output=True, check=False)
    assert b"standard input is not a CSV file" in noted.stderr
    wide = subprocess.run([sys.executable, "-m", "kbc_validate", "-", *ARGS, "-q", "--format", "json"],
                          input=FAULTY.read_text(encoding="utf-8").replace('"UTF-8"', '"UTF-16"').encode("utf-16"),
                          capture_output=True, check=False)
    assert wide.returncode == 1
    codes = [f["code"] for f in json.loads(wide.stdout)["findings"]]
    assert "KBC320" in codes
    assert "KBC927" in codes  # not UTF-8: a warning


def test_standard_input_repeats_are_found_in_one_reading(capsys: pytest.CaptureFixture[str]) -> None:
    text = CLEAN.read_text(encoding="utf-8")
    start, end = text.index("<CdtTrfTxInf>"), text.index("</CdtTrfTxInf>") + len("</CdtTrfTxInf>")
    doubled = text[:end] + text[start:end] + text[end:]
    result = subprocess.run([sys.executable, "-m", "kbc_validate", "-", *ARGS, "-q", "--format", "json"],
                            input=doubled.encode(), capture_output=True, check=False)
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert {"KBC907", "KBC908"} <= set(codes)


@given(blank=st.sampled_from([b"", b"\xef\xbb\xbf", b" ", b"\r\n", b"\xef\xbb\xbf\n\t"]), rest=st.binary(max_size=40))
def test_a_tag_first_is_xml_and_json_or_csv_first_is_not(blank: bytes, rest: bytes) -> None:
    assert input_kind("-", blank + b"<" + rest) == "xml"
    assert input_kind("-", blank + b"{" + rest) != "xml"
    assert input_kind("-", b"amount;" + rest) != "xml"


@settings(max_examples=25, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda text: ("<" + text).encode())))
def test_any_xml_file_gives_findings_never_a_traceback(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "payments.xml"
        path.write_bytes(data)
        stats = FileStats()
        found = list(read_input(str(path), ReadOptions(today=TODAY), stats))
    assert all(isinstance(f, Located) and f.line >= 1 and f.column >= 1 for f in found)
    assert stats.kind == "xml"


def test_the_report_never_refuses_more_payments_than_it_read(tmp_path: Path) -> None:
    """faulty-bulk.xml: 2 transactions, errors on 8 lines (block and header findings among them)."""
    target = tmp_path / "report.html"
    main([str(FAULTY), *ARGS, "-q", "--report", str(target)])
    page = target.read_text(encoding="utf-8")
    assert '<b>2</b>payments refused' in page


def test_a_document_with_no_payment_read_is_not_one_of_zero(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.xml"
    path.write_text('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">' + "<a>" * 300, "utf-8")
    assert main([str(path), *ARGS]) == 1
    err = capsys.readouterr().err
    assert "of 0 payments" not in err
    assert "no payment could be read" in err
