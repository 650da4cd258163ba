"""A finding in a payment file: the `Issue` and where it is (file, line, column)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from kbc_validate.findings import Issue, Loc, finding, printable

if TYPE_CHECKING:
    from kbc_validate.files.finding_rows import FindingRows


@dataclass
class FileStats:
    """What was read from one input: every payment read is counted, valid or not."""

    rows: int = 0  # payments read: CSV data rows, JSON Lines lines, bodies of a JSON file, pain.001 transactions
    blank_lines: int = 0
    lines: int = 0  # physical lines read after the header (of a CSV file)
    encoding: str = "utf-8"
    delimiter: str = ""
    kind: str = ""  # json, jsonl, csv or xml (`files.inputs.KINDS`), once recognised


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
            "file": display_name(self.file), "line": self.line, "column": self.column, "path": issue.path,
            "cause": str(issue.cause), "code": issue.code, "severity": str(issue.severity), "message": issue.message,
        }


@lru_cache(maxsize=256)
def display_name(name: str) -> str:
    """A file name as every output prints it: bytes that are not UTF-8 (which Python keeps as lone surrogates) as
    ``\\xff``, other characters that are not printable escaped (`findings.printable`).

    >>> display_name("a\\nb.csv"), display_name(os.fsdecode(b"caf\\xe9.csv"))
    ('a\\\\u000ab.csv', 'caf\\\\xe9.csv')
    """
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate that did not come from a file name's bytes
        return printable(name)
    return printable(raw.decode("utf-8", "backslashreplace"))


def file_finding(file: str, line: int, column: int, code: str, loc: Loc = (), value: Any = None, **ctx: Any) -> Located:
    """A finding about the file itself (syntax, structure), not about a payment member."""
    return Located(file, line, column, finding(code, loc, value, **ctx))


# What reading an input yields: one finding, or (from the compiled pass) a run of them in line order.
Found: TypeAlias = "Located | FindingRows"
