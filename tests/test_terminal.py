"""The command line on a terminal: a one-line verdict for a clean run, Ctrl-C as one line and status 130, a
progress bar whose times say which is which, and the same findings from a file and from standard input."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import Progress

from kbc_validate import cli
from kbc_validate.cli import main
from kbc_validate.formats.progress import progress_columns
from kbc_validate.translations import translator
from tests.test_csv_engines import ENGINES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = ["--today", "2026-11-24"]
KBC_VALIDATE = str(Path(sys.executable).with_name("kbc-validate"))
CLEAN = "creditor_iban;creditor_name;amount\nBE71096123456769;Jansen BV;1.234,56\nBE56363123456788;Peeters;10\n"


def _after_progress_bar(shown: str) -> str:
    """What stays on the terminal once the (transient) progress bar has cleared its line."""
    return shown.rsplit("\x1b[2K", 1)[-1]


@pytest.mark.parametrize(
    ("language", "verdict"),
    [("en", "2 payments checked, no errors"), ("nl", "2 betalingen gecontroleerd, geen fouten"),
     ("fr", "2 paiements contrôlés, aucune erreur")],
)
def test_a_clean_run_on_a_terminal_says_so_in_one_line(
    language: str, verdict: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text(CLEAN, encoding="utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main([str(clean), *TODAY, "--lang", language]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert _after_progress_bar(captured.err) == verdict + "\n"


def test_a_clean_run_in_a_pipeline_is_silent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text(CLEAN, encoding="utf-8")
    assert main([str(clean), *TODAY]) == 0
    assert capsys.readouterr() == ("", "")


def test_the_verdict_counts_payments_refused_with_thousands_separators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["creditor_iban;creditor_name;amount"] + [f"BE71096123456769;Jansen BV;{n + 1}" for n in range(1203)]
    rows += ["BE71096123456769;Jansen BV;0"]
    export = tmp_path / "export.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    main([str(export), *TODAY, "--lang", "nl", "--engine", "rows"])
    assert "1 van 1.204 betalingen zou geweigerd worden" in capsys.readouterr().err


def test_ctrl_c_is_one_line_and_status_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "read_input", interrupted)
    assert main([str(EXAMPLES / "payments.csv"), *TODAY]) == 130
    assert capsys.readouterr().err == "kbc-validate: interrupted\n"


def test_the_installed_command_stops_on_ctrl_c_with_one_line_and_status_130() -> None:
    # Reading a pipe that stays open: the command waits for rows when the interrupt comes, as a terminal sends it
    # (to the whole process group).
    command = subprocess.Popen([KBC_VALIDATE, "-", *TODAY], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    assert command.stdin is not None
    command.stdin.write(b"creditor_iban;creditor_name;amount\nBE71096123456769;Jansen BV;0\n")
    command.stdin.flush()
    time.sleep(3)  # started and waiting for more
    os.killpg(command.pid, signal.SIGINT)
    _, err = command.communicate(timeout=30)
    assert command.returncode == 130
    assert err.decode() == "kbc-validate: interrupted\n"


def test_the_installed_command_gives_its_verdict_on_a_terminal(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text(CLEAN, encoding="utf-8")
    primary, secondary = pty.openpty()
    run = subprocess.run([KBC_VALIDATE, str(clean), *TODAY, "--lang", "fr"], stdout=subprocess.PIPE,
                         stderr=secondary, check=False)
    os.close(secondary)
    shown = os.read(primary, 4096).decode()
    os.close(primary)
    assert run.returncode == 0
    assert run.stdout == b""
    assert _after_progress_bar(shown).strip() == "2 paiements contrôlés, aucune erreur"


@pytest.mark.parametrize(("language", "elapsed", "left"), [("en", "elapsed", "left"), ("nl", "verstreken", "resterend"),
                                                             ("fr", "écoulé", "restant")])
def test_the_progress_bar_says_which_time_is_which(language: str, elapsed: str, left: str) -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    progress = Progress(*progress_columns(translator(language)), console=console, auto_refresh=False)
    task = progress.add_task("export.csv", total=100, rows="1.204", rate="10")
    progress.update(task, completed=50)
    console.print(progress.get_renderable())
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert re.search(rf"\d+:\d\d:\d\d {elapsed} +(-:--:--|\d+:\d\d:\d\d) {left}", shown), shown


REPEATS = (
    "amount;creditor_name;creditor_iban;execution_date;structured_communication;end_to_end_id\n"
    "10,00;Jansen BV;BE71096123456769;2026-11-25;+++090/9337/55493+++;A1\n"
    "0;Peeters;BE56363123456788;2026-11-25;;A2\n"
    "10,00;Jansen BV;BE71 0961 2345 6769;2026-11-25;+++090/9337/55493+++;A1\n"
    "12,00;Peeters;BE56363123456788;2026-11-28;;A3\n"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_same_findings_in_the_same_order_from_a_file_and_from_standard_input(engine: str, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(REPEATS, encoding="utf-8")

    def places(*argv: str, stdin: str | None = None) -> list[tuple[int, int, str]]:
        run = subprocess.run([KBC_VALIDATE, *argv, *TODAY, "--format", "json", "--engine", engine], input=stdin,
                             capture_output=True, text=True, check=False)
        return [(f["line"], f["column"], f["code"]) for f in json.loads(run.stdout)["findings"]]

    from_file, from_pipe = places(str(export)), places("-", stdin=REPEATS)
    assert from_file == from_pipe
    assert [code for _, _, code in from_file] == ["KBC200", "KBC402", "KBC907", "KBC908"]
    assert {(line, column) for line, column, code in from_file if code in {"KBC907", "KBC908"}} == {(4, 1)}


def test_the_same_json_lines_findings_in_the_same_order_from_a_file_and_from_standard_input(tmp_path: Path) -> None:
    body = {"instructedAmount": {"amount": "10", "currency": "EUR"}, "creditorName": "Jansen BV",
            "creditorAccount": {"iban": "BE71096123456769"}, "endToEndIdentification": "A1"}
    zero = {**body, "instructedAmount": {"amount": "0", "currency": "EUR"}}
    text = "".join(json.dumps(item) + "\n" for item in (body, zero, body, zero))
    payments = tmp_path / "payments.jsonl"
    payments.write_text(text, encoding="utf-8")

    def places(*argv: str, stdin: str | None = None) -> list[tuple[int, int, str, str]]:
        run = subprocess.run([KBC_VALIDATE, *argv, *TODAY, "--format", "json"], input=stdin, capture_output=True,
                             text=True, check=False)
        return [(f["line"], f["column"], f["code"], f["path"]) for f in json.loads(run.stdout)["findings"]]

    from_file = places(str(payments))
    assert from_file == places("-", stdin=text)
    assert [code for _, _, code, _ in from_file] == ["KBC200", "KBC200", "KBC907", "KBC907", "KBC908", "KBC907",
                                                     "KBC908"]
