"""The HTML report as a person sees it: rendered by headless Chromium (Debian's ``chromium``, installed by .ci/run),
its visible text read back. Verdict first, rows to fix grouped by rule with explanations, thousands separators,
Brussels time, a cap on the listed rows that the page states, every text from the data shown as text."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kbc_validate.cli import main
from kbc_validate.formats.html_report import ROWS_PER_RULE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")

# The report has no script; this page, beside it, reads what the report shows (innerText: the text as laid out,
# without what CSS hides) and which active elements its DOM holds, into its own DOM for --dump-dom.
HARNESS = """<!DOCTYPE html><html><body><pre id="seen"></pre><pre id="active"></pre>
<iframe src="report.html" onload="
  const page = this.contentDocument;
  document.getElementById('seen').textContent = page.body.innerText;
  document.getElementById('active').textContent =
    page.querySelectorAll('script, img, iframe, object, embed, link, [onerror], [onload]').length;
"></iframe></body></html>"""


def _export(tmp_path: Path) -> Path:
    rows = ["Rekening begunstigde;Naam begunstigde;Bedrag;Uitvoeringsdatum"]
    for n in range(1204):
        amount = "0,00" if n < 150 else f"{n + 1},50"  # 150 payments refused: amount not positive
        rows.append(f"BE71 0961 2345 6769;Klant {n};{amount};2026-12-07")
    rows[1000] = f"BE71 0961 2345 6769;{HOSTILE};12,00;2026-12-05"  # a Saturday, and a name that is markup
    export = tmp_path / "export <b>nov<i>.csv"
    export.write_text("\r\n".join(rows) + "\r\n", encoding="cp1252")
    return export


def _seen(report: Path) -> tuple[str, int]:
    assert CHROMIUM is not None
    harness = report.with_name("harness.html")
    harness.write_text(HARNESS.replace('src="report.html"', f'src="{report.name}"'), encoding="utf-8")
    dumped = subprocess.run([CHROMIUM, *FLAGS, "--allow-file-access-from-files", "--virtual-time-budget=5000",
                             "--dump-dom", harness.as_uri()], capture_output=True, text=True, timeout=120, check=True)
    seen = re.search(r'<pre id="seen">(.*?)</pre>', dumped.stdout, flags=re.DOTALL)
    active = re.search(r'<pre id="active">(.*?)</pre>', dumped.stdout, flags=re.DOTALL)
    assert seen is not None
    assert active is not None
    return html.unescape(seen.group(1)), int(active.group(1))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", {"verdict": "151 of 1,204 payments would be refused", "rows": "Rows to fix", "time": "Brussels time",
                "cap": f"The first {ROWS_PER_RULE} of 150 findings of this rule are listed", "chart": "Findings per rule",
                "message": 'The amount "0.00" is not greater than zero.'}),
        ("nl", {"verdict": "151 van 1.204 betalingen zouden geweigerd worden", "rows": "Te verbeteren rijen",
                "time": "Brusselse tijd", "cap": f"De eerste {ROWS_PER_RULE} van 150 bevindingen van deze regel",
                "chart": "Bevindingen per regel", "message": 'Het bedrag "0.00" is niet groter dan nul.'}),
        ("fr", {"verdict": "151 paiements sur 1\u202f204 seraient refusés", "rows": "Lignes à corriger",
                "time": "heure de Bruxelles", "cap": f"Les {ROWS_PER_RULE} premiers des 150 constats de cette règle",
                "chart": "Constats par règle", "message": 'Le montant "0.00" n\'est pas supérieur à zéro.'}),
    ],
)
def test_what_a_person_sees_in_the_report(language: str, words: dict[str, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.html"
    before = datetime.now(ZoneInfo("Europe/Brussels"))
    assert main([str(_export(tmp_path)), "--today", "2026-12-01", "-q", "--lang", language,
                 "--report", str(report)]) == 1
    after = datetime.now(ZoneInfo("Europe/Brussels"))
    capsys.readouterr()
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page  # one self-contained file: no script, nothing fetched
    assert re.findall(r"(?:https?:)?//", page) == ["http://"]  # the SVG namespace only
    assert 'xmlns="http://www.w3.org/2000/svg"' in page

    seen, active = _seen(report)
    lines = [line.strip() for line in seen.splitlines() if line.strip()]
    assert lines[0] == words["verdict"]  # the verdict first
    shown_times = {f"{moment:%Y-%m-%d %H:%M} ({words['time']})" for moment in (before, after, after + timedelta(0))}
    assert any(time in lines[1] for time in shown_times)  # then when, in Brussels time
    assert "export <b>nov<i>.csv" in lines[1]  # a file name shown as it is, not as markup
    assert seen.index(words["rows"]) < seen.index(words["chart"])  # rows to fix before the charts
    assert "KBC200 amount-not-positive" in seen
    assert words["cap"] in seen  # the cap, said
    assert words["message"] in seen
    assert seen.count(words["message"]) == ROWS_PER_RULE  # capped
    assert HOSTILE in seen  # markup from the data shown as text...
    assert active == 0  # ...and nothing in the page runs or loads


def test_a_screenshot_of_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert CHROMIUM is not None
    report = tmp_path / "report.html"
    main([str(_export(tmp_path)), "--today", "2026-12-01", "-q", "--lang", "nl", "--report", str(report)])
    capsys.readouterr()
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--screenshot={shot}", "--window-size=1280,1600", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_installed_command_writes_the_report(tmp_path: Path) -> None:
    import sys

    report = tmp_path / "rapport.html"
    run = subprocess.run([str(Path(sys.executable).with_name("kbc-validate")), str(_export(tmp_path)), "--today",
                          "2026-12-01", "-q", "--lang", "fr", "--report", str(report)], capture_output=True, check=False)
    assert run.returncode == 1
    seen, active = _seen(report)
    assert seen.lstrip().startswith("151 paiements sur 1\u202f204 seraient refusés")
    assert active == 0
