"""Finding one's way: ``--list-rules`` (a table, or JSON), ``--explain`` by code or by rule name, and folders as
inputs (payment files found by extension, recursively; hidden folders and virtual environments skipped)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kbc_validate.catalogue import RULES
from kbc_validate.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = ["--today", "2026-11-24"]
KBC_VALIDATE = str(Path(sys.executable).with_name("kbc-validate"))


def test_list_rules_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Code", "Name", "Severity", "Cause"]
    assert [line.split()[0] for line in lines[1:]] == [rule.code for rule in RULES]
    assert lines[1].split() == ["KBC100", "body-not-object", "error", "invalid_format"]


def test_list_rules_as_json_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules", "--format", "json", "--lang", "fr"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["code"] for item in listed] == [rule.code for rule in RULES]
    amount = next(item for item in listed if item["code"] == "KBC200")
    assert amount == {
        "code": "KBC200", "name": "amount-not-positive", "cause": "amount_not_positive", "severity": "error",
        "berlinGroupCode": "FORMAT_ERROR", "message": "Le montant {value} n'est pas supérieur à zéro.",
        "doc": amount["doc"],
    }
    assert amount["doc"].startswith("KBC refuse les montants nuls ou négatifs.")


@pytest.mark.parametrize("asked", ["KBC309", "kbc309", "iban-national-check", " IBAN-National-Check "])
def test_explain_by_code_or_by_name(asked: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", asked]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "KBC309 iban-national-check"


def test_explain_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", "amount-not-positive", "--lang", "nl"]) == 0
    shown = capsys.readouterr().out
    assert "KBC weigert bedragen van nul of minder." in shown
    assert "ernst: fout" in shown
    assert "melding: Het bedrag {value} is niet groter dan nul." in shown


def test_explain_an_unknown_rule_suggests_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", "iban-cheksum"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no rule 'iban-cheksum' (did you mean iban-checksum?)" in err


def _tree(root: Path) -> None:
    for path, text in {
        "exports/2026/nov.csv": "creditor_iban;creditor_name;amount\nBE71096123456768;Jansen BV;10\n",
        "exports/2026/dec.CSV": "creditor_iban;creditor_name;amount\nBE71096123456769;Jansen BV;0\n",
        "exports/payment.json": (EXAMPLES / "faulty-payment.json").read_text(encoding="utf-8"),
        "exports/notes.txt": "not a payment file",
        ".git/old.csv": "creditor_iban\nBE00\n",  # hidden: skipped
        ".venv/lib/x.json": "{}",  # a virtual environment: skipped
        "env/pyvenv.cfg": "home = /usr/bin\n",  # a virtual environment by another name: skipped
        "env/data.json": "{}",
        "node_modules/pkg/payments.json": "{}",  # tools' folders: skipped
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def test_a_folder_is_searched_recursively_by_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(tmp_path)
    main([str(tmp_path), *TODAY, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    files = sorted({Path(f["file"]).relative_to(tmp_path).as_posix() for f in findings})
    assert files == ["exports/2026/dec.CSV", "exports/2026/nov.csv", "exports/payment.json"]


def test_the_installed_command_lists_explains_and_searches_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    listed = subprocess.run([KBC_VALIDATE, "--list-rules", "--format", "json"], capture_output=True, text=True,
                            check=True)
    assert len(json.loads(listed.stdout)) == len(RULES)
    explained = subprocess.run([KBC_VALIDATE, "--explain", "ogm-check-digits"], capture_output=True, text=True,
                               check=True)
    assert explained.stdout.startswith("KBC601 ogm-check-digits\n")
    searched = subprocess.run([KBC_VALIDATE, str(tmp_path / "exports"), *TODAY, "-q"], capture_output=True, text=True,
                              check=False)
    assert searched.returncode == 1
    assert {line.split(":")[0] for line in searched.stdout.splitlines()} == {
        str(tmp_path / "exports/2026/dec.CSV"), str(tmp_path / "exports/2026/nov.csv"),
        str(tmp_path / "exports/payment.json")}
