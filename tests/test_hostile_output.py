"""Output that data cannot forge or break, outputs that fail, options and configuration of the wrong kind (issue 14).

Each test runs the installed command in a subprocess where standard streams or file names matter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbc_validate.cli import main
from tests.test_csv_engines import ENGINES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FAULTY = str(EXAMPLES / "faulty-payment.json")
TODAY = ["--today", "2026-11-24"]
FORGED_KEY = "a\nforged.json:1:1: KBC000 fake\x1b]0;owned\x07\u2028\udc00"
FORMATS = ["text", "json", "github", "sarif"]


def _command(*argv: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "kbc_validate", *argv], capture_output=True, cwd=cwd, check=False,
                          **kwargs)  # type: ignore[call-overload]


def _hostile_json(folder: Path, name: str = "c[red]x.json") -> Path:
    path = folder / name
    path.write_text(json.dumps({FORGED_KEY: FORGED_KEY, "creditorName": "\udc00"}), encoding="ascii")
    return path


def _no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_from_the_data_cannot_forge_a_line_or_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    path = _hostile_json(tmp_path)
    report, summary = tmp_path / "r.html", tmp_path / "summary.md"
    result = _command(*TODAY, "--format", fmt, "--report", str(report), str(path),
                      env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    _no_traceback(result)
    assert result.returncode == 1
    out = result.stdout.decode("utf-8")  # strict: a lone surrogate would not have been encodable
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u2028" not in out
    if fmt == "text":
        assert all(line.startswith(str(path)) for line in out.splitlines())
        assert "KBC000" not in [line.split(": ")[1].split()[0] for line in out.splitlines()]
    if fmt == "github":
        assert all(line.startswith("::") for line in out.splitlines())
    if fmt in ("json", "sarif"):
        json.loads(out)
    report.read_text(encoding="utf-8")


def test_the_summary_table_reads_no_markup_in_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "a["
    folder.mkdir()
    (folder / "].json").write_text('{"x": 1}', encoding="utf-8")
    (tmp_path / "c[red]x.json").write_text('{"x": 1}', encoding="utf-8")
    result = _command(*TODAY, "a[/].json", "c[red]x.json", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1
    assert "a[/].json" in result.stderr.decode()
    assert "c[red]x.json" in result.stderr.decode()


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8_is_printed_alike_everywhere(tmp_path: Path, engine: str, fmt: str) -> None:
    name = b"caf\xe9.csv"
    (tmp_path / os.fsdecode(name)).write_bytes(b"creditor_iban;amount;creditor_name\nBE71096123456769;0;Zeeman\n")
    out = tmp_path / "out.txt"
    result = _command(*TODAY, "--engine", engine, "--format", fmt, "-o", str(out), "--report", str(tmp_path / "r.html"),
                      os.fsdecode(name), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        text = json.loads(text)["findings"][0]["file"]
    assert ("caf%E9.csv" if fmt == "sarif" else "caf\\xe9.csv") in text
    assert "caf\\xe9.csv" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("option", ["-o", "--report", "--errors-out"])
def test_an_output_on_a_full_disk_is_one_line_and_exit_2(option: str) -> None:
    result = _command(*TODAY, "-q", option, "/dev/full", str(EXAMPLES / "faulty-payments.csv"))
    _no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == ["kbc-validate: /dev/full: cannot write: No space left on device"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_standard_output_on_a_full_disk_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "kbc_validate", *TODAY, "-q", FAULTY], stdout=full,
                                stderr=subprocess.PIPE, check=False)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "kbc-validate: standard output: cannot write: No space left on device"]


def test_a_closed_standard_output_is_one_line_and_exit_2() -> None:
    code = "import os, sys; os.close(1); sys.argv[0] = 'kbc-validate'; from kbc_validate.cli import main; sys.exit(main())"
    result = subprocess.run([sys.executable, "-c", code, *TODAY, FAULTY], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, check=False, close_fds=True, pass_fds=())
    closed = subprocess.run(f'"{sys.executable}" -m kbc_validate --today 2026-11-24 "{FAULTY}" >&-', shell=True,
                            stderr=subprocess.PIPE, check=False)
    _no_traceback(closed)
    assert closed.returncode == 2
    assert closed.stderr.decode().splitlines() == ["kbc-validate: standard output is closed: give -o FILE"]
    assert result.returncode in (1, 2)  # fd 1 closed after start: whatever happens, no traceback
    _no_traceback(result)


@pytest.mark.parametrize("option", ["-o", "--report", "--errors-out"])
def test_an_output_that_is_a_folder_is_refused_before_reading(tmp_path: Path, option: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*TODAY, option, str(tmp_path), str(tmp_path / "never-read.csv")])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"kbc-validate: {option} {tmp_path}: cannot write there (a folder, not a file)"]


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "utf-16", "utf-32",
                                      "utf-7", "unicode_escape", "punycode"])
def test_only_text_encodings_that_keep_ascii_pass_the_option_check(encoding: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*TODAY, "--encoding", encoding, FAULTY])
    assert stop.value.code == 2
    assert "is not an encoding of text" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "latin-1", "iso8859-15", "ascii", "utf-8-sig"])
def test_text_encodings_pass(encoding: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*TODAY, "-q", "--encoding", encoding, str(EXAMPLES / "payment.json")]) == 0


@pytest.mark.parametrize(
    ("setting", "status"),
    [
        pytest.param("today = 2026-11-24", 0, id="a TOML date is the date it says"),
        pytest.param("today = 2026-11-24T10:00:00", 2, id="a date-time is not a date"),
        pytest.param("select = 5", 2, id="a number for a list"),
        pytest.param("select = [1, 2]", 2, id="numbers in the list"),
        pytest.param("delimiter = 1", 2, id="a number for a string"),
        pytest.param("encoding = 1", 2, id="a number for an encoding"),
        pytest.param('encoding = "rot13"', 2, id="not a text encoding"),
        pytest.param("format = true", 2, id="a boolean for a string"),
        pytest.param("jobs = true", 2, id="a boolean for a number"),
        pytest.param("exit-zero = 1", 2, id="a number for a boolean"),
    ],
)
def test_configuration_values_of_the_wrong_type_are_one_usage_error(tmp_path: Path, setting: str, status: int) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.kbc-validate]\n{setting}\n", encoding="utf-8")
    result = _command("-q", str(EXAMPLES / "payment.json"), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == status
    if status == 2:
        assert result.stderr.decode().splitlines()[-1].startswith("kbc-validate: error: ")


@pytest.mark.parametrize("toml", ["tool = 1\n", "[tool]\nkbc-validate = 1\n", '[tool]\nkbc-validate = "x"\n'])
def test_a_tool_table_that_is_not_a_table_is_one_usage_error(tmp_path: Path, toml: str) -> None:
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    result = _command("-q", str(EXAMPLES / "payment.json"), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2


def test_without_a_system_time_zone_database_today_is_still_known() -> None:
    result = _command("-q", str(EXAMPLES / "payment.json"), env={**os.environ, "PYTHONTZPATH": "/nonexistent"})
    _no_traceback(result)
    assert result.returncode == 0


def test_a_closed_standard_input_is_one_line_and_exit_2() -> None:
    closed = subprocess.run(f'"{sys.executable}" -m kbc_validate --today 2026-11-24 - <&-', shell=True,
                            capture_output=True, check=False)
    _no_traceback(closed)
    assert closed.returncode == 2
    assert closed.stderr.decode().splitlines() == ["kbc-validate: -: cannot open: standard input is closed"]
