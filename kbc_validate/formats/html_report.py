"""``--report report.html``: one self-contained page (no scripts, no network) that operations staff read instead of
a log: the verdict first, then the rows to fix (file, line, column, value, message) grouped by rule with each rule's
explanation, then the findings per rule as a chart and a table. Numbers have the language's thousands separators;
the time is Brussels time.

Each rule lists at most `ROWS_PER_RULE` rows (the page says when there are more, and that the fix file of
``--errors-out`` has them all), so that the page stays small and fast on a file of millions of rows. Every text from
the data (file names, values, messages) passes through `_text`, the page's one escaping function.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Severity
from kbc_validate.files.located import Located, display_name
from kbc_validate.formats.summary import Summary, verdict
from kbc_validate.translations import Translator, _, message_values

ROWS_PER_RULE = 100
NO_FINDINGS, FINDINGS_PER_RULE = _("No findings: every payment passed every rule."), _("Findings per rule")
ROWS_TO_FIX, SUMMARY = _("Rows to fix"), _("Summary")
TITLE, BRUSSELS_TIME = _("kbc-validate report"), _("Brussels time")
_BAR_HEIGHT, _LABEL_WIDTH, _CHART_WIDTH = 22, 330, 420

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #1b1f24; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h1.refused { color: #cf222e; } h1.clean { color: #1a7f37; }
.meta { color: #57606a; margin-top: 0; } h3 { margin-bottom: .2rem; } .doc { color: #3d444d; margin-top: .2rem; }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1.2rem 0; } .card { border: 1px solid #d0d7de;
border-radius: 8px; padding: .6rem 1rem; min-width: 8rem; } .card b { display: block; font-size: 1.6rem; }
.error b { color: #cf222e; } .warning b { color: #9a6700; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #d8dee4; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } td.v { font-family: ui-monospace, monospace; }
.more { color: #57606a; font-style: italic; } svg text { font: 13px system-ui, sans-serif; }
table.rows { table-layout: fixed; } table.rows th.n { text-align: right; } col.n { width: 6rem; }
col.v { width: 16rem; } col.f { width: 14rem; } td.v, td.f { overflow-wrap: anywhere; }
"""


def _text(value: object) -> str:
    """Any text from the data, safe in the page: HTML escaped, and a lone surrogate written as its escape."""
    return escape(str(value), quote=True).encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class ReportRows:
    """The first `ROWS_PER_RULE` findings of each rule, as (file, line, column, message), and how many there were."""

    rows: dict[str, list[tuple[str, int, int, str]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, located: Located) -> None:
        code = located.code
        self.counts[code] += 1
        listed = self.rows.setdefault(code, [])
        if len(listed) < ROWS_PER_RULE:
            listed.append((located.file, located.line, located.column, located.issue.message))

    def add_table(self, table: Any) -> None:
        """The findings of a table (the compiled pass's `files.finding_rows.FindingRows`), as `add` takes them one
        by one."""
        for located in table.located():
            self.add(located)


def _chart(summary: Summary, tr: Translator) -> str:
    rules = summary.by_rule()
    if not rules:
        return f"<p>{_text(tr(NO_FINDINGS))}</p>"
    top = max(rule["count"] for rule in rules)
    height = len(rules) * (_BAR_HEIGHT + 6) + 10
    bars = []
    for index, rule in enumerate(rules):
        y = 5 + index * (_BAR_HEIGHT + 6)
        width = max(2, round(_CHART_WIDTH * rule["count"] / top))
        colour = "#cf222e" if rule["severity"] == "error" else "#d4a72c"
        bars.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{_text(rule["code"] + " " + rule["name"])}'
            f'</text><rect x="{_LABEL_WIDTH}" y="{y}" width="{width}" height="{_BAR_HEIGHT}" fill="{colour}" rx="3"/>'
            f'<text x="{_LABEL_WIDTH + width + 6}" y="{y + 15}">{_text(tr.number(rule["count"]))}</text>'
        )
    total_width = _LABEL_WIDTH + _CHART_WIDTH + 90
    return (f'<svg role="img" aria-label="{_text(tr(FINDINGS_PER_RULE))}" width="{total_width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')


def _summary_table(summary: Summary, tr: Translator) -> str:
    heads = "".join(f"<th>{_text(tr(h))}</th>" for h in (
        _("Code"), _("Rule"), _("Severity"), _("Count"), _("Share of rows"), _("First lines")))
    rows = "".join(
        f"<tr><td>{_text(r['code'])}</td><td>{_text(r['name'])}</td><td>{_text(tr(r['severity']))}</td>"
        f'<td class="n">{_text(tr.number(r["count"]))}</td><td class="n">{_text(tr.percent(r["share_of_rows"]))}</td>'
        f"<td>{_text(summary.first_lines_text(r['code']))}</td></tr>"
        for r in summary.by_rule()
    )
    return f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"


def _value(code: str, message: str) -> str:
    """The value a finding names (its template's ``{value}``, else its ``{member}``), as its message shows it."""
    values = message_values(code, message) or {}
    return values.get("value") or values.get("member") or ""


def _rule_section(code: str, found: ReportRows, tr: Translator, several_files: bool) -> str:
    rule = RULES_BY_CODE[code]
    count = found.counts[code]
    heads = [("n", _("Line")), ("n", _("Column")), ("v", _("Value")), ("m", _("Message"))]
    if several_files:
        heads.insert(0, ("f", _("File")))
    columns = "".join(f'<col class="{kind}">' for kind, _label in heads)
    head = "".join(f'<th class="{kind}">{_text(tr(label))}</th>' for kind, label in heads)
    body = "".join(
        "<tr>" + (f'<td class="f">{_text(file)}</td>' if several_files else "")
        + f'<td class="n">{_text(tr.number(line))}</td><td class="n">{column}</td>'
        f'<td class="v">{_text(_value(code, message))}</td><td>{_text(tr.message(code, message))}</td></tr>'
        for file, line, column, message in found.rows.get(code, [])
    )
    shown = len(found.rows.get(code, []))
    more = ""
    if count > shown:
        more = '<p class="more">' + _text(tr(
            "The first {shown} of {count} findings of this rule are listed; the fix file of --errors-out lists every "
            "row.").format(shown=tr.number(shown), count=tr.number(count))) + "</p>"
    title = tr.plural("{count} finding", "{count} findings", count)
    return (f'<section id="{_text(code)}"><h3>{_text(code)} {_text(rule.name)} &middot; {_text(tr(str(rule.severity)))}'
            f' &middot; {_text(title)}</h3><p class="doc">{_text(tr.doc(rule))}</p>'
            f'<table class="rows"><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            f"</table>{more}</section>")


def _rows_to_fix(found: ReportRows, tr: Translator, several_files: bool) -> str:
    def order(code: str) -> tuple[bool, str]:
        return (RULES_BY_CODE[code].severity is not Severity.ERROR, code)

    codes = sorted(found.counts, key=order)
    if not codes:
        return ""
    sections = "".join(_rule_section(code, found, tr, several_files) for code in codes)
    return f"<h2>{_text(tr(ROWS_TO_FIX))}</h2>{sections}"


def render(summary: Summary, inputs: list[str], generated: datetime, tr: Translator,
           found: ReportRows | None = None) -> str:
    """The page; `generated` is shown as it is given (the command line gives Brussels time)."""
    found = found or ReportRows()
    cards = "".join(
        f'<div class="card {kind}"><b>{_text(tr.number(value))}</b>{_text(tr(label))}</div>'
        for kind, value, label in (
            ("", summary.rows, _("payments read")), ("error", summary.payments_refused, _("payments refused")),
            ("error", summary.errors, _("errors")), ("warning", summary.warnings, _("warnings")),
            ("", summary.files, _("files")),
        )
    )
    state = "refused" if summary.errors else "clean"
    when = f"{generated:%Y-%m-%d %H:%M} ({tr(BRUSSELS_TIME)})"
    return f"""<!DOCTYPE html>
<html lang="{tr.language}"><head><meta charset="utf-8"><title>{_text(tr(TITLE))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body><h1 class="{state}">{_text(verdict(summary, tr))}</h1>
<p class="meta">{_text(tr(TITLE))} &middot; {_text(", ".join(map(display_name, inputs)))} &middot; {_text(when)}</p>
<div class="cards">{cards}</div>
{_rows_to_fix(found, tr, summary.files > 1)}
<h2>{_text(tr(FINDINGS_PER_RULE))}</h2>{_chart(summary, tr)}
<h2>{_text(tr(SUMMARY))}</h2>{_summary_table(summary, tr)}
</body></html>
"""
