"""What a run found, per rule: how many findings, in how many rows, and the first lines; kept in constant memory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Severity
from kbc_validate.files.located import Located, display_name
from kbc_validate.translations import Translator

FIRST_LINES = 5
HEADER_CODES = frozenset({"KBC902", "KBC904"})


@dataclass
class Summary:
    files: int = 0
    rows: int = 0  # payments read: CSV rows, JSON Lines lines, bodies in JSON files
    counts: Counter[str] = field(default_factory=Counter)
    rows_hit: Counter[str] = field(default_factory=Counter)
    first_lines: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    _last_row: dict[str, tuple[str, int]] = field(default_factory=dict)
    refused: int = 0  # payments (rows, lines, bodies) with at least one error
    header_errors: int = 0  # errors of a CSV header (a missing or twice-named column): every row of its file fails
    _last_refused: tuple[str, int] | None = None

    def add(self, located: Located) -> None:
        code = located.code
        self.counts[code] += 1
        if located.issue.severity is Severity.ERROR:
            self._refuse(located.file, located.line, code)
        place = (located.file, located.line)
        if self._last_row.get(code) != place:  # rows are met in order: a new place is a new row
            self._last_row[code] = place
            self.rows_hit[code] += 1
            lines = self.first_lines.setdefault(code, [])
            if len(lines) < FIRST_LINES:
                lines.append(place)

    @property
    def payments_refused(self) -> int:
        """Payments with an error, never more than were read (a pain.001 file's block and header findings stand on
        lines of their own)."""
        return min(self.refused, self.rows) if self.rows else self.refused

    def _refuse(self, file: str, line: int, code: str) -> None:
        if code in HEADER_CODES:
            self.header_errors += 1
        elif self._last_refused != (file, line):  # findings come in line order within a file
            self._last_refused = (file, line)
            self.refused += 1

    def add_table(self, table: Any) -> None:
        """Count a `files.finding_rows.FindingRows` as `add` counts its findings one by one."""
        first_errors = table.first_errors()
        if any(issue.code in HEADER_CODES for _, issue in table.distinct):
            for line, index in first_errors:
                self._refuse(table.file, line, table.distinct[index][1].code)
        elif first_errors:  # each line once, in order: a new row each but maybe the first (the last table's last)
            opening, closing = (table.file, first_errors[0][0]), (table.file, first_errors[-1][0])
            self.refused += len(first_errors) - (self._last_refused == opening)
            self._last_refused = closing
        for code, count, distinct, first_rows, last in table.per_code(FIRST_LINES + 1):
            self.counts[code] += count
            places = [(table.file, line) for line in first_rows]
            rows = distinct
            if self._last_row.get(code) == places[0]:  # the row the last table (or finding) ended on
                places, rows = places[1:], distinct - 1
            if not rows:
                continue
            self._last_row[code] = (table.file, last)
            self.rows_hit[code] += rows
            first = self.first_lines.setdefault(code, [])
            first += places[: FIRST_LINES - len(first)]

    @property
    def errors(self) -> int:
        return sum(n for code, n in self.counts.items() if RULES_BY_CODE[code].severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(self.counts.values()) - self.errors

    def first_lines_text(self, code: str) -> str:
        """The first lines of a rule's findings: bare numbers when every one is in the same file."""
        places = self.first_lines.get(code, [])
        if len({file for file, _ in places}) == 1 and self.files == 1:
            return ", ".join(str(line) for _, line in places)
        return ", ".join(f"{display_name(file)}:{line}" for file, line in places)

    def share(self, code: str) -> float:
        return self.rows_hit[code] / self.rows if self.rows else 0.0

    def by_rule(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code, "name": RULES_BY_CODE[code].name, "severity": str(RULES_BY_CODE[code].severity),
                "count": self.counts[code], "rows": self.rows_hit[code], "share_of_rows": round(self.share(code), 6),
                "first_lines": [f"{display_name(file)}:{line}" for file, line in self.first_lines.get(code, [])],
            }
            for code in sorted(self.counts)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "rows": self.rows, "errors": self.errors, "warnings": self.warnings,
                "rules": self.by_rule()}

    def headline(self) -> str:
        return (f"{self.errors} error(s), {self.warnings} warning(s) in {self.rows} payment(s) "
                f"from {self.files} file(s)")


def verdict(summary: Summary, tr: Translator) -> str:
    """The run in one sentence, for a person: how many payments would be refused, or that none would."""
    checked = tr.plural("{count} payment checked", "{count} payments checked", summary.rows)
    if not summary.errors:
        if summary.warnings:
            return tr("{checked}, no errors, {warnings}").format(
                checked=checked, warnings=tr.plural("{count} warning", "{count} warnings", summary.warnings))
        return tr("{checked}, no errors").format(checked=checked)
    if summary.header_errors:
        return tr("{checked}: a CSV header lacks a mandatory column or names one twice, so its payments would all be "
                  "refused").format(checked=checked)
    if not summary.rows:  # nothing could be read as a payment (a file that is not XML, JSON or CSV at all)
        return tr("no payment could be read: the input would be refused")
    refused = summary.payments_refused
    return tr.plural("{count} of {total} payments would be refused", "{count} of {total} payments would be refused",
                     refused, total=tr.number(summary.rows))


def print_table(summary: Summary, stream: Any, tr: Translator) -> None:
    """The per-rule summary as a table under the run's verdict (rich, imported only here). Cells are `Text`, never
    read as markup: a file named ``c[red]x.csv`` is shown as it is."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    table = Table(title=escape(verdict(summary, tr)), title_justify="left")
    for column, right in ((tr("Code"), False), (tr("Rule"), False), (tr("Severity"), False), (tr("Count"), True),
                          (tr("Share of rows"), True), (tr("First lines"), False)):
        table.add_column(column, justify="right" if right else "left")
    for rule in summary.by_rule():
        cells = (rule["code"], rule["name"], tr(rule["severity"]), tr.number(rule["count"]),
                 tr.percent(rule["share_of_rows"]), summary.first_lines_text(rule["code"]))
        table.add_row(*map(Text, cells))
    Console(file=stream).print(table)
