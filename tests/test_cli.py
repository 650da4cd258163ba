"""The command line through main(argv): inputs, formats, options, exit codes; and the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kbc_validate import cli
from kbc_validate.cli import main, recognise_service
from tests.test_csv_engines import ENGINES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = ["--today", "2026-11-24"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main([*argv])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def _codes(lines: list[str]) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in lines]


def test_clean_json_examples_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / name) for name in ("payment.json", "standing-order.json", "bulk-payment.json")]
    status, lines, _ = _run(capsys, *files, *TODAY)
    # A JSON bulk body is told that KBC takes bulk payments only as pain.001 (a warning: the exit status stays 0).
    assert (status, [line.split(" ", 2)[:2] for line in lines]) == (0, [[f"{files[2]}:1:1:", "KBC802"]])


def test_faulty_json_reports_file_line_column_code(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payment.json"), *TODAY, "-q")
    assert status == 1
    assert _codes(lines) == ["KBC201", "KBC302", "KBC308", "KBC704", "KBC601", "KBC402"]
    assert lines[0].startswith(f"{EXAMPLES / 'faulty-payment.json'}:8:15: KBC201 ")
    assert lines[0].endswith("(at instructedAmount.amount)")


def test_faulty_csv_reports_physical_lines_and_field_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), *TODAY, "-q")
    assert status == 1
    where = [(line.split(":")[1], line.split(":")[2], _codes([line])[0]) for line in lines]
    assert where == [
        ("2", "1", "KBC308"), ("3", "3", "KBC200"), ("4", "2", "KBC704"), ("4", "4", "KBC601"), ("5", "1", "KBC304"),
        ("6", "3", "KBC202"), ("6", "5", "KBC402"), ("6", "2", "KBC101"), ("7", "3", "KBC200"),
        ("6", "1", "KBC907"), ("7", "1", "KBC908"),
    ]


def test_warnings_alone_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _run(capsys, str(EXAMPLES / "payments.csv"), "-q")
    assert status == 0
    assert _codes(lines) == ["KBC704", "KBC704"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(["--select", "KBC2"], ["KBC200", "KBC202", "KBC200"], id="select a prefix"),
        pytest.param(["--select", "KBC308,KBC304"], ["KBC308", "KBC304"], id="select codes"),
        pytest.param(["--ignore", "KBC7,KBC9,KBC1,KBC2,KBC3,KBC4"], ["KBC601"], id="ignore prefixes"),
    ],
)
def test_select_and_ignore(capsys: pytest.CaptureFixture[str], options: list[str], expected: list[str]) -> None:
    _, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), *TODAY, "-q", *options)
    assert _codes(lines) == expected


def test_exit_zero_and_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "findings.txt"
    status, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), "--exit-zero", "-q", "-o", str(target))
    assert (status, lines) == (0, [])
    assert "KBC308" in target.read_text(encoding="utf-8")


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(EXAMPLES / "faulty-payments.csv"), *TODAY, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert status == 1
    assert set(document) == {"findings", "summary"}
    assert document["findings"][0] == {
        "file": str(EXAMPLES / "faulty-payments.csv"), "line": 2, "column": 1, "path": "creditorAccount.iban",
        "cause": "invalid_account", "code": "KBC308", "severity": "error",
        "message": document["findings"][0]["message"],
    }
    assert document["summary"]["rows"] == 6
    rules = {rule["code"]: rule for rule in document["summary"]["rules"]}
    assert rules["KBC200"]["count"] == 2
    assert rules["KBC200"]["first_lines"] == [f"{EXAMPLES / 'faulty-payments.csv'}:3", f"{EXAMPLES / 'faulty-payments.csv'}:7"]


def test_github_format_and_job_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), *TODAY, "--format", "github")
    assert lines[0].startswith(f"::error file={EXAMPLES / 'faulty-payments.csv'},line=2,col=1,title=KBC308::")
    assert any(line.startswith("::warning ") for line in lines)
    assert "| KBC200 | amount-not-positive | error | 2 |" in summary.read_text(encoding="utf-8")


def test_sarif_format(capsys: pytest.CaptureFixture[str]) -> None:
    main([str(EXAMPLES / "faulty-payments.csv"), *TODAY, "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"KBC308", "KBC909"}
    first = run["results"][0]
    assert first["ruleId"] == "KBC308"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 1}


def test_errors_out_writes_failing_rows_in_the_input_dialect(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "errors.csv"
    main([str(EXAMPLES / "faulty-payments.csv"), *TODAY, "-q", "--errors-out", str(target)])
    text = target.read_bytes().decode("cp1252")
    lines = text.splitlines()
    assert lines[0].endswith(";kbc_file;kbc_line;kbc_codes;kbc_messages;kbc_raw")
    assert len(lines) == 1 + 6  # the six rows with an error; the row with only a warning is not there
    assert lines[1].startswith("BE56 3631 2345 6780;Zeeman BV;12,50;'+++010/8068/17183+++;")  # as written, formulas defused
    assert f";{EXAMPLES / 'faulty-payments.csv'};2;KBC308;" in lines[1]


def test_errors_out_neutralises_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "payments.csv"
    source.write_text("amount,creditor_iban,creditor_name\n=1+1,BE56363123456788,@SUM(A1)\n", encoding="utf-8")
    target = tmp_path / "errors.csv"
    main([str(source), "-q", "--errors-out", str(target)])
    row = target.read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith(f"'=1+1,BE56363123456788,'@SUM(A1),{source},2,")


def test_html_report_is_self_contained(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    main([str(EXAMPLES / "faulty-payments.csv"), *TODAY, "-q", "--report", str(target)])
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert "KBC200 amount-not-positive" in page
    assert "<script" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_summary_table_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), *TODAY)
    assert "KBC200" in err
    assert "6 of 6 payments would be refused" in err


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _run(capsys, "--explain", "kbc309")
    assert status == 0
    assert lines[0] == "KBC309 iban-national-check"
    assert main(["--explain", "KBC999"]) == 2


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no file"),
        pytest.param(["--today", "tomorrow", "x.json"], id="bad date"),
        pytest.param(["--select", "XYZ", "x.json"], id="unknown code"),
        pytest.param(["--encoding", "klingon", "x.csv"], id="unknown encoding"),
        pytest.param(["--format", "xml", "x.json"], id="unknown format"),
    ],
)
def test_usage_errors_exit_two(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2


def test_missing_file_is_one_line_and_exit_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = _run(capsys, str(tmp_path / "missing.csv"), str(EXAMPLES / "payment.json"))
    assert status == 2
    assert err.strip().count("\n") == 0
    assert "missing.csv: cannot open" in err


def test_a_folder_without_payment_files_is_one_line_and_exit_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a payment file", encoding="utf-8")
    status, _, err = _run(capsys, str(tmp_path / ""), "-q")
    assert status == 2
    assert err.count("\n") == 1
    assert "no payment files (.json, .jsonl, .csv, .xml)" in err


def test_defaults_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.kbc-validate]\nselect = ["KBC2"]\nexit-zero = true\ntoday = "2026-11-24"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    status, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), "-q")
    assert status == 0
    assert _codes(lines) == ["KBC200", "KBC202", "KBC200"]
    status, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), "-q", "--select", "KBC3")
    assert _codes(lines) == ["KBC308", "KBC304"]


def test_unknown_pyproject_key_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.kbc-validate]\nselcet = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as raised:
        main(["x.json"])
    assert raised.value.code == 2


@pytest.mark.parametrize("setting", ['engine = "bogus"', 'format = "yaml"', 'service = "loans"'])
def test_a_pyproject_value_outside_the_choices_is_a_usage_error(
    setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.kbc-validate]\n{setting}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as raised:
        main(["x.json"])
    assert raised.value.code == 2
    assert "is not one of" in capsys.readouterr().err


def _engines_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The engine of every input the command line reads, in order (filled as it runs)."""
    engines: list[str] = []
    real_read_input = cli.read_input

    def spy(name: str, options: Any, *args: Any, **kwargs: Any) -> Any:
        engines.append(options.engine)
        return real_read_input(name, options, *args, **kwargs)

    monkeypatch.setattr(cli, "read_input", spy)
    return engines


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_from_pyproject(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.kbc-validate]\nengine = "{engine}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    engines = _engines_asked(monkeypatch)
    status, lines, _ = _run(capsys, str(EXAMPLES / "faulty-payments.csv"), "-q", "--select", "KBC3")
    assert (status, _codes(lines), engines) == (1, ["KBC308", "KBC304"], [engine])


@pytest.mark.parametrize(
    ("body", "service"),
    [
        ({"payments": []}, "bulk-payments"),
        ({"frequency": "Monthly"}, "periodic-payments"),
        ({"creditorName": "X"}, "payments"),
        ([], "payments"),
    ],
)
def test_recognise_service(body: object, service: str) -> None:
    assert recognise_service(body) == service


def test_console_script_module_and_stdin() -> None:
    script = shutil.which("kbc-validate")
    assert script is not None, "pip install puts the console script on PATH"
    faulty = str(EXAMPLES / "faulty-payment.json")
    for command in ([script, faulty], [sys.executable, "-m", "kbc_validate", faulty]):
        result = subprocess.run([*command, *TODAY, "-q"], capture_output=True, text=True, check=False)
        assert result.returncode == 1
        assert "KBC601" in result.stdout
        assert result.stderr == ""
    piped = subprocess.run(
        [script, "-", *TODAY, "-q"], input=(EXAMPLES / "faulty-payments.csv").read_bytes(), capture_output=True,
        check=False,
    )
    assert piped.returncode == 1
    assert b"-:2:1: KBC308" in piped.stdout


def test_the_console_script_ends_at_once_with_every_finding_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`cli.run` ends the process without the interpreter's teardown after a run that went to its end: what it
    wrote to a pipe (more than any buffer holds) and to -o is whole, its status kept; a run that ends with status 2
    ends the usual way."""
    script = shutil.which("kbc-validate")
    assert script is not None
    rows = (EXAMPLES / "faulty-payments.csv").read_bytes().splitlines(keepends=True)
    path = tmp_path / "many.csv"
    path.write_bytes(rows[0] + b"".join(rows[1:]) * 2000)
    assert main([*TODAY, "-q", "--format", "json", str(path)]) == 1
    expected = capsys.readouterr().out
    for command in ([script], [sys.executable, "-m", "kbc_validate"]):
        piped = subprocess.run([*command, *TODAY, "-q", "--format", "json", str(path)], capture_output=True,
                               text=True, check=False)
        assert (piped.returncode, piped.stderr) == (1, "")
        assert piped.stdout == expected
        assert len(json.loads(piped.stdout)["findings"]) > 2000
        out = tmp_path / "out.json"
        written = subprocess.run([*command, *TODAY, "-q", "--format", "json", "-o", str(out), str(path)],
                                 capture_output=True, text=True, check=False)
        assert (written.returncode, out.read_text(encoding="utf-8")) == (1, expected)
    missing = subprocess.run([script, *TODAY, "-q", str(tmp_path / "missing.csv")], capture_output=True, text=True,
                             check=False)
    assert missing.returncode == 2
    assert "missing.csv" in missing.stderr


def test_repeats_in_json_arrays_bulk_bodies_and_json_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    body = json.loads((EXAMPLES / "payment.json").read_text(encoding="utf-8"))
    (tmp_path / "array.json").write_text(json.dumps([body, body], indent=2), encoding="utf-8")
    element = {key: value for key, value in body.items() if key != "debtorAccount"}
    bulk = {"debtorAccount": {"iban": "BE48735500000127"}, "payments": [element, element]}
    (tmp_path / "bulk.json").write_text(json.dumps(bulk), encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(json.dumps(body) + "\n\n" + json.dumps(body) + "\n", encoding="utf-8")
    for name, line in (("array.json", 17), ("bulk.json", 1), ("lines.jsonl", 3)):  # where the repeat starts
        status, lines, _ = _run(capsys, str(tmp_path / name), "-q")
        assert status == 0
        found = [(text.split(":")[1], _codes([text])[0]) for text in lines if "KBC802" not in text]
        assert found == [(str(line), "KBC907"), (str(line), "KBC908")]


@pytest.mark.parametrize("option", ["-o", "--errors-out", "--report"])
def test_unwritable_outputs_are_usage_errors(option: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main([str(EXAMPLES / "payments.csv"), option, str(tmp_path / "missing-folder" / "out")])
    assert raised.value.code == 2


def test_bytes_that_are_not_utf8_in_json_are_located_findings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "body.json").write_bytes(b'{\n  "creditorName": "\xff"\n}')
    (tmp_path / "lines.jsonl").write_bytes(b'{"creditorName": "A"}\n{"creditorName": "\xff"}\n{"x": 1}\n')
    status, lines, err = _run(capsys, str(tmp_path / "body.json"), str(tmp_path / "lines.jsonl"), "-q", "--format", "json")
    findings = json.loads("\n".join(lines))["findings"]
    assert status == 1
    assert err == ""
    assert [(f["file"].rsplit("/", 1)[1], f["line"], f["column"]) for f in findings if f["code"] == "KBC900"] == [
        ("body.json", 2, 20), ("lines.jsonl", 2, 19)]
    assert {f["line"] for f in findings if f["file"].endswith("lines.jsonl")} == {1, 2, 3}
    assert json.loads("\n".join(lines))["summary"]["rows"] == 4


@pytest.mark.parametrize("asked", ["--engine", "pyproject"])
def test_the_removed_column_engine_runs_as_auto_with_one_line_saying_so(
    asked: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scripts and configurations that still ask for ``columns`` keep working: the findings and exit status of
    ``auto``, and one line on standard error that says the column engine was removed."""
    monkeypatch.chdir(tmp_path)
    argv = [str(EXAMPLES / "faulty-payments.csv"), *TODAY, "--format", "json"]
    reference = _run(capsys, *argv)
    engines = _engines_asked(monkeypatch)
    if asked == "pyproject":
        (tmp_path / "pyproject.toml").write_text('[tool.kbc-validate]\nengine = "columns"\n', encoding="utf-8")
    else:
        argv += ["--engine", "columns"]
    status, lines, errors = _run(capsys, *argv)
    assert (status, lines) == reference[:2]
    assert status == 1
    assert engines == ["auto"]
    assert errors.splitlines().count(cli.COLUMNS_REMOVED) == 1
    assert cli.COLUMNS_REMOVED not in reference[2]
    assert "Traceback" not in errors


@pytest.mark.parametrize("output", ["json", "text", "github", "sarif"])
@pytest.mark.parametrize("engine", ENGINES)
def test_a_reader_that_goes_away_is_no_traceback(output: str, engine: str, tmp_path: Path) -> None:
    """``kbc-validate big.csv | head``: far more findings than a pipe holds, and the reader leaves after a line."""
    path = tmp_path / "payments.csv"
    rows = "".join(f"BE71096123456769;Café Zeeman;1{number},50;Factuur {number}\n" for number in range(4000))
    path.write_text("creditor_iban;creditor_name;amount;communication\n" + rows, encoding="cp1252")
    command = [sys.executable, "-m", "kbc_validate", *TODAY, "--format", output, "--engine", engine, "-q", str(path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()  # the reader goes away
        errors = process.stderr.read().decode()
        assert process.wait(timeout=120) == 1
    assert "Traceback" not in errors, errors


@pytest.mark.parametrize("listing", [["--list-rules"], ["--list-rules", "--format", "json"], ["--explain", "KBC308"]])
def test_a_reader_gone_before_the_list_of_rules_is_no_traceback(listing: list[str]) -> None:
    """``kbc-validate --list-rules | head -1``, the reader gone before the list is written (its end of the pipe
    closed before the command starts: the first write fails)."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        result = subprocess.run([sys.executable, "-m", "kbc_validate", *listing], stdout=writing,
                                stderr=subprocess.PIPE, check=False)
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr.decode()) == (1, "")


def test_a_table_is_written_whole_to_a_stream_that_takes_part_of_each_write() -> None:
    from kbc_validate.formats.streams import write_all

    class Raw:  # as standard output under python -u: a write may take only part of what it is given
        def __init__(self) -> None:
            self.taken = bytearray()

        def write(self, data: memoryview) -> int:
            self.taken += data[:3]
            return min(3, len(data))

    raw = Raw()
    write_all(raw, "Café Zeeman\n".encode())
    assert raw.taken.decode() == "Café Zeeman\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"kbc-validate {version('kbc-validate')}\n"
