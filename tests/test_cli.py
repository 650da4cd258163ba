"""The command line, through main(argv) and through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kbc_validate.cli import main, recognise_service

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = ["--today", "2026-11-24"]


def test_clean_examples_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / name) for name in ("payment.json", "standing-order.json", "bulk-payment.json")]
    assert main([*files, *TODAY]) == 0
    assert capsys.readouterr().out == ""


def test_faulty_example_exits_one_and_names_file_path_and_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EXAMPLES / "faulty-payment.json"), *TODAY]) == 1
    lines = capsys.readouterr().out.splitlines()
    codes = [line.split(": ")[2].split()[0] for line in lines]
    assert codes == ["KBC201", "KBC302", "KBC308", "KBC704", "KBC601", "KBC402"]
    assert lines[0].startswith(f"{EXAMPLES / 'faulty-payment.json'}: instructedAmount.amount: KBC201 error: ")


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EXAMPLES / "faulty-payment.json"), *TODAY, "--format", "json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert results[0]["ok"] is False
    assert results[0]["findings"][0] == {
        "path": "instructedAmount.amount", "code": "KBC201", "cause": "invalid_format", "severity": "error",
        "message": results[0]["findings"][0]["message"],
    }


def test_missing_file_is_one_line_and_exit_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "missing.json: cannot read" in err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param('{"amount": NaN}', ":1:", id="NaN literal"),
        pytest.param('{\n  "a": 1,\n  "b": }', ":3:", id="syntax error on line 3"),
    ],
)
def test_invalid_json_is_a_finding_with_its_line(
    text: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "body.json"
    path.write_text(text, encoding="utf-8")
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}{where}" in out
    assert "invalid JSON" in out


def test_usage_error_exits_two() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--today", "tomorrow", "x.json"])
    assert raised.value.code == 2


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


def test_console_script_and_module_run() -> None:
    script = shutil.which("kbc-validate")
    assert script is not None, "the console script is installed by pip install"
    for command in ([script], [sys.executable, "-m", "kbc_validate"]):
        result = subprocess.run(
            [*command, str(EXAMPLES / "faulty-payment.json"), *TODAY], capture_output=True, text=True, check=False
        )
        assert result.returncode == 1
        assert "KBC601" in result.stdout
        assert result.stderr == ""
