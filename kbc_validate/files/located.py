"""A finding in a payment file: the `Issue` and where it is (file, line, column)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from kbc_validate.findings import Issue, Loc, finding

if TYPE_CHECKING:
    from kbc_validate.columnar.table import FindingTable
    from kbc_validate.files.finding_rows import FindingRows


@dataclass
class FileStats:
    """What was read from one input: every payment read is counted, valid or not."""

    rows: int = 0  # payments read: CSV data rows, JSON Lines lines, bodies of a JSON file
    blank_lines: int = 0
    lines: int = 0  # physical lines read after the header (of a CSV file)
    encoding: str = "utf-8"
    delimiter: str = ""


@dataclass(frozen=True, slots=True)
class Located:
    """An issue at a line and column of a file (CSV: the column is the field number)."""

    file: str
    line: int
    column: int
    issue: Issue

    @property
    def code(self) -> str:
        return self.issue.code

    def moved(self, lines: int) -> Located:
        """The same finding `lines` lines further down (a piece's findings, numbered from the piece's start)."""
        return Located(self.file, self.line + lines, self.column, self.issue)

    def as_dict(self) -> dict[str, Any]:
        issue = self.issue
        return {
            "file": self.file, "line": self.line, "column": self.column, "path": issue.path,
            "cause": str(issue.cause), "code": issue.code, "severity": str(issue.severity), "message": issue.message,
        }


def file_finding(file: str, line: int, column: int, code: str, loc: Loc = (), value: Any = None, **ctx: Any) -> Located:
    """A finding about the file itself (syntax, structure), not about a payment member."""
    return Located(file, line, column, finding(code, loc, value, **ctx))


# What reading an input yields: one finding, or (from the column engine or the compiled pass) a run of them in line
# order.
Found: TypeAlias = "Located | FindingTable | FindingRows"
