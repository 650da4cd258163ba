"""What a run found, per rule: how many findings, in how many rows, and the first lines; kept in constant memory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Severity
from kbc_validate.files.located import Located, display_name

FIRST_LINES = 5


@dataclass
class Summary:
    files: int = 0
    rows: int = 0  # payments read: CSV rows, JSON Lines lines, bodies in JSON files
    counts: Counter[str] = field(default_factory=Counter)
    rows_hit: Counter[str] = field(default_factory=Counter)
    first_lines: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    _last_row: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, located: Located) -> None:
        code = located.code
        self.counts[code] += 1
        place = (located.file, located.line)
        if self._last_row.get(code) != place:  # rows are met in order: a new place is a new row
            self._last_row[code] = place
            self.rows_hit[code] += 1
            lines = self.first_lines.setdefault(code, [])
            if len(lines) < FIRST_LINES:
                lines.append(place)

    def add_table(self, table: Any) -> None:
        """Count a `columnar.table.FindingTable` as `add` counts its findings one by one."""
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


def print_table(summary: Summary, stream: Any) -> None:
    """The per-rule summary as a table (rich, imported only here). Cells are `Text`, never read as markup: a file
    named ``c[red]x.csv`` is shown as it is."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=summary.headline(), title_justify="left")
    for column in ("Code", "Rule", "Severity", "Count", "Share of rows", "First lines"):
        table.add_column(column, justify="right" if column in {"Count", "Share of rows"} else "left")
    for rule in summary.by_rule():
        cells = (rule["code"], rule["name"], rule["severity"], str(rule["count"]), f"{rule['share_of_rows']:.2%}",
                 summary.first_lines_text(rule["code"]))
        table.add_row(*map(Text, cells))
    Console(file=stream).print(table)
