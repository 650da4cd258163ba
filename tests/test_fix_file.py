"""The fix file of ``--errors-out``: checked again unchanged, it reports the same problems and nothing new; rows that
could not be read are in it with their text; several inputs each get what they need; formulas are defused,
look-alikes of ``= + - @`` too."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbc_validate.cli import main
from kbc_validate.files.csv_columns import FORMULA_STARTS, neutralise, unneutralise

TODAY = ["--today", "2026-12-01"]
KBC_VALIDATE = str(Path(sys.executable).with_name("kbc-validate"))
HEADER = "Rekening begunstigde;Naam begunstigde;Bedrag;Uitvoeringsdatum;Mededeling;Gestructureerde mededeling\r\n"
ROWS = [
    "BE71 0961 2345 6769;Jansen BV;-15,00;2026-12-07;;+++090/9337/55493+++\r\n",  # KBC200, an OGM that is fine
    "BE71096123456768;=HYPERLINK(\"x\");12,50;2026-12-07;;\r\n",  # KBC308, a formula (KBC704 warning)
    "BE71096123456769;Peeters;@SUM(A1);2026-12-07;;\r\n",  # KBC201, a formula
    "BE71096123456769;Peeters;+5;2026-12-07;;\r\n",  # KBC201, a plus sign first
    "BE71096123456769;Peeters;12,50;2026-12-05;;+++090/9337/55494+++\r\n",  # KBC402 and KBC601
    "BE71096123456769;\uff1dcmd;12,50;2026-12-07;;\r\n",  # a fullwidth equals sign: KBC703
    "BE71096123456769;Peeters;12,50;2026-12-07\r\n",  # KBC903: too few fields
    "BE71096123456769;Pee\x00ters;12,50;2026-12-07;;\r\n",  # KBC905: a NUL byte
    ";;;;;\r\n",  # a blank line (a warning): not in the fix file
    "BE71096123456769;Peeters;13,50;2026-12-07;;\r\n",  # fine: not in the fix file
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    main([*argv, *TODAY, "--format", "json"])
    findings: list[dict[str, object]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


def _problems(findings: list[dict[str, object]]) -> Counter[str]:
    """The errors, by code (lines differ between the input and its fix file; the problems must not)."""
    return Counter(str(f["code"]) for f in findings if f["severity"] == "error")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_the_fix_file_checks_to_the_same_problems_and_nothing_new(
    encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, fix = tmp_path / "export.csv", tmp_path / "fix.csv"
    source.write_bytes((HEADER + "".join(ROWS)).encode(encoding, errors="replace"))
    first = _run(capsys, str(source), "--errors-out", str(fix))
    again = _run(capsys, str(fix))
    assert _problems(first) == _problems(again)
    assert {f["code"] for f in again} - {f["code"] for f in first} == set()  # no new warning either
    assert _problems(first)["KBC903"] == _problems(first)["KBC905"] == 1


def test_rows_that_could_not_be_read_are_in_the_fix_file_with_their_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, fix = tmp_path / "export.csv", tmp_path / "fix.csv"
    source.write_text(HEADER + "".join(ROWS) + 'BE71096123456769;"an open quote;1,00\r\n', encoding="utf-8")
    _run(capsys, str(source), "--errors-out", str(fix))
    rows = list(csv.DictReader(io.StringIO(fix.read_text(encoding="utf-8")), delimiter=";"))
    unread = {row["kbc_line"]: row for row in rows if row["kbc_raw"]}
    assert set(unread) == {"8", "9", "12"}
    assert unread["8"]["kbc_raw"] == "BE71096123456769;Peeters;12,50;2026-12-07"
    assert unread["9"]["kbc_raw"] == "BE71096123456769;Pee\x00ters;12,50;2026-12-07;;"
    assert unread["12"]["kbc_raw"].startswith('BE71096123456769;"an open quote')
    assert all(row["Bedrag"] == "" for row in unread.values())
    # csv: the quote runs to the end of the file, one finding where it opened
    assert [row["kbc_codes"] for row in unread.values()] == ["KBC903", "KBC905", "KBC905"]


def test_several_inputs_of_different_columns_each_get_their_own_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dutch, french, english = tmp_path / "nl.csv", tmp_path / "fr.csv", tmp_path / "en.csv"
    dutch.write_text(HEADER + ROWS[1], encoding="utf-8")
    french.write_text("Compte du bénéficiaire,Nom du bénéficiaire,Montant\nBE71096123456768,Dupont,10\n", encoding="utf-8")
    english.write_text(HEADER + ROWS[2], encoding="utf-8")  # the same columns as nl.csv: its file
    fix = tmp_path / "fix.csv"
    main([str(dutch), str(french), str(english), *TODAY, "-q", "--errors-out", str(fix)])
    assert f"the rows of an input with another header are in {tmp_path / 'fix.fr.csv'}" in capsys.readouterr().err
    shared = list(csv.DictReader(io.StringIO(fix.read_text(encoding="utf-8")), delimiter=";"))
    assert [(row["kbc_file"], row["Naam begunstigde"]) for row in shared] == [
        (str(dutch), "'=HYPERLINK(\"x\")"), (str(english), "Peeters")]
    own = list(csv.DictReader(io.StringIO((tmp_path / "fix.fr.csv").read_text(encoding="utf-8")), delimiter=","))
    assert [(row["kbc_file"], row["Nom du bénéficiaire"], row["kbc_codes"]) for row in own] == [
        (str(french), "Dupont", "KBC308")]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"), ("+++090/9337/55493+++", "'+++090/9337/55493+++"), ("-15,00", "'-15,00"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("\uff1d1+1", "'\uff1d1+1"),  # fullwidth equals sign
        ("\uff0b1", "'\uff0b1"), ("\uff0d1", "'\uff0d1"), ("\uff20x", "'\uff20x"),  # fullwidth plus, minus, at
        ("\ufe661", "'\ufe661"), ("\ufe621", "'\ufe621"), ("\ufe631", "'\ufe631"), ("\ufe6bx", "'\ufe6bx"),  # small forms
        ("\u22121", "'\u22121"),  # the minus sign
        ("'t Stokske", "'t Stokske"),  # a Flemish name with an apostrophe: as it is
        ("Jansen BV", "Jansen BV"), ("", ""),
    ],
)
def test_formulas_and_their_look_alikes_are_defused(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert unneutralise(neutralise(cell)) == cell


@given(st.text())
def test_what_the_fix_file_writes_it_reads_back(cell: str) -> None:
    written = neutralise(cell)
    assert written[:1] not in FORMULA_STARTS
    assert unneutralise(written) == unneutralise(cell) if cell[:1] == "'" else unneutralise(written) == cell


def test_errors_out_on_a_json_input_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "payment.json"
    body.write_text('{"instructedAmount": {"amount": "0", "currency": "EUR"}}', encoding="utf-8")
    main([str(body), *TODAY, "-q", "--errors-out", str(tmp_path / "fix.csv")])
    err = capsys.readouterr().err
    assert f"--errors-out: {body} is not a CSV file; its findings are not in {tmp_path / 'fix.csv'}" in err


def test_the_installed_command_writes_a_fix_file_that_checks_the_same(tmp_path: Path) -> None:
    source, fix = tmp_path / "export.csv", tmp_path / "fix.csv"
    source.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    first = subprocess.run([KBC_VALIDATE, str(source), *TODAY, "--errors-out", str(fix), "--format", "json"],
                           capture_output=True, text=True, check=False)
    again = subprocess.run([KBC_VALIDATE, str(fix), *TODAY, "--format", "json"], capture_output=True, text=True,
                           check=False)
    assert first.returncode == again.returncode == 1
    assert _problems(json.loads(first.stdout)["findings"]) == _problems(json.loads(again.stdout)["findings"])
    json_input = tmp_path / "p.json"
    json_input.write_text("{}", encoding="utf-8")
    said = subprocess.run([KBC_VALIDATE, str(json_input), "--errors-out", str(fix)], capture_output=True, text=True,
                          check=False)
    assert "is not a CSV file" in said.stderr
