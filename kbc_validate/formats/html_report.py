"""``--report report.html``: one self-contained page (no scripts, no network) with the run's summary and a chart
of findings per rule, for people who would rather look at a page than a log."""

from __future__ import annotations

from datetime import datetime
from html import escape

from kbc_validate.files.located import display_name
from kbc_validate.formats.summary import Summary

_BAR_HEIGHT, _LABEL_WIDTH, _CHART_WIDTH = 22, 330, 420

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; color: #1b1f24; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } .meta { color: #57606a; margin-top: 0; }
.cards { display: flex; gap: 1rem; margin: 1.2rem 0; } .card { border: 1px solid #d0d7de; border-radius: 8px;
padding: .6rem 1rem; min-width: 8rem; } .card b { display: block; font-size: 1.6rem; }
.error b { color: #cf222e; } .warning b { color: #9a6700; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #d8dee4; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } svg text { font: 13px system-ui, sans-serif; }
"""


def _chart(summary: Summary) -> str:
    rules = summary.by_rule()
    if not rules:
        return "<p>No findings: every payment passed every rule.</p>"
    top = max(rule["count"] for rule in rules)
    height = len(rules) * (_BAR_HEIGHT + 6) + 10
    bars = []
    for index, rule in enumerate(rules):
        y = 5 + index * (_BAR_HEIGHT + 6)
        width = max(2, round(_CHART_WIDTH * rule["count"] / top))
        colour = "#cf222e" if rule["severity"] == "error" else "#d4a72c"
        label = escape(f"{rule['code']} {rule['name']}")
        bars.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
            f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{width}" height="{_BAR_HEIGHT}" fill="{colour}" rx="3"/>'
            f'<text x="{_LABEL_WIDTH + width + 6}" y="{y + 15}">{rule["count"]}</text>'
        )
    total_width = _LABEL_WIDTH + _CHART_WIDTH + 60
    return (f'<svg role="img" aria-label="Findings per rule" width="{total_width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')


def _table(summary: Summary) -> str:
    rows = "".join(
        f"<tr><td>{escape(r['code'])}</td><td>{escape(r['name'])}</td><td>{escape(r['severity'])}</td>"
        f'<td class="n">{r["count"]}</td><td class="n">{r["share_of_rows"]:.2%}</td>'
        f"<td>{escape(summary.first_lines_text(r['code']))}</td></tr>"
        for r in summary.by_rule()
    )
    return ("<table><thead><tr><th>Code</th><th>Rule</th><th>Severity</th><th>Count</th><th>Share of rows</th>"
            f"<th>First lines</th></tr></thead><tbody>{rows}</tbody></table>")


def render(summary: Summary, inputs: list[str], generated: datetime) -> str:
    cards = "".join(
        f'<div class="card {kind}"><b>{value}</b>{label}</div>'
        for kind, value, label in (
            ("", summary.rows, "payments read"), ("error", summary.errors, "errors"),
            ("warning", summary.warnings, "warnings"), ("", summary.files, "files"),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kbc-validate report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body><h1>kbc-validate report</h1>
<p class="meta">{escape(", ".join(map(display_name, inputs)))} &middot; {generated.strftime("%Y-%m-%d %H:%M")}</p>
<div class="cards">{cards}</div>
<h2>Findings per rule</h2>{_chart(summary)}
<h2>Summary</h2>{_table(summary)}
</body></html>
"""
