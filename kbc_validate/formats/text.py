"""``file:line:col: CODE message (at path)``, one finding a line; colour only on a terminal (never with NO_COLOR)."""

from __future__ import annotations

from typing import Any, TextIO

from kbc_validate.causes import Severity
from kbc_validate.files.finding_rows import Rendered
from kbc_validate.files.located import Located, display_name
from kbc_validate.findings import Issue
from kbc_validate.formats.streams import write_utf8
from kbc_validate.translations import _

AT = _(" (at {path})")
_RED, _YELLOW, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[0m"


class TextFormat:
    def __init__(self, out: TextIO, *, colour: bool, at: str = AT) -> None:
        self.out, self.colour, self.at = out, colour, at  # `at`: the place's words in the run's language
        self._rendered = Rendered(self._words)  # the compiled pass's distinct findings, rendered once

    def finding(self, located: Located) -> None:
        issue = located.issue
        where = f"{display_name(located.file)}:{located.line}:{located.column}:"
        code = issue.code
        if self.colour:
            shade = _RED if issue.severity is Severity.ERROR else _YELLOW
            where, code = f"{_BOLD}{where}{_RESET}", f"{shade}{code}{_RESET}"
        path = self.at.format(path=issue.path) if issue.path else ""
        self.out.write(f"{where} {code} {issue.message}{path}\n")

    def _words(self, file: str, column: int, issue: Issue) -> tuple[str, str]:
        """A finding's line as `finding` writes it without colour, before its line number and after it."""
        path = self.at.format(path=issue.path) if issue.path else ""
        return f"{display_name(file)}:", f":{column}: {issue.code} {issue.message}{path}\n"

    def table(self, table: Any) -> None:
        """A `files.finding_rows.FindingRows`, written at once (one by one when in colour)."""
        if self.colour:
            for located in table.located():
                self.finding(located)
            return
        write_utf8(self.out, table.rendered(self._rendered, b""))

    def finish(self, summary: object) -> None:
        """Text findings are written as they come; nothing is held back."""
