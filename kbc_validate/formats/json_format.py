"""``{"findings": [...], "summary": {...}}``; findings are streamed out one by one, never all held in memory."""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any, TextIO

from kbc_validate.files.finding_rows import Rendered
from kbc_validate.files.located import Located, display_name
from kbc_validate.findings import Issue
from kbc_validate.formats.streams import write_utf8
from kbc_validate.formats.summary import Summary

_string = encode_basestring  # a string in JSON, as `json.dumps` writes it with ensure_ascii=False


class JsonFormat:
    def __init__(self, out: TextIO) -> None:
        self.out, self._first = out, True
        self._rendered = Rendered(_words)  # the compiled pass's distinct findings, rendered once
        out.write('{"findings": [')

    def finding(self, located: Located) -> None:
        self.out.write(("\n  " if self._first else ",\n  ") + json.dumps(located.as_dict(), ensure_ascii=False))
        self._first = False

    def table(self, table: Any) -> None:
        """A `files.finding_rows.FindingRows` (rendered as bytes by the extension), each finding written as
        `finding` writes it."""
        if len(table):
            self.out.write("\n  " if self._first else ",\n  ")
            self._first = False
            write_utf8(self.out, table.rendered(self._rendered, b",\n  "))

    def finish(self, summary: Summary) -> None:
        self.out.write(("" if self._first else "\n") + '],\n"summary": ')
        self.out.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "}\n")


def _words(file: str, column: int, issue: Issue) -> tuple[str, str]:
    """A finding's JSON object as `finding` writes it (``Located.as_dict``), before its line and after it: its
    strings as `json.dumps` writes them with ``ensure_ascii=False`` (its own function), without a dictionary and an
    encoder made each time (a third of the time the compiled pass took to write its findings)."""
    return _file_start(file), (
        f', "column": {column}, "path": {_string(issue.path)}, "cause": {_string(str(issue.cause))}, '
        f'"code": {_string(issue.code)}, "severity": {_string(str(issue.severity))}, '
        f'"message": {_string(issue.message)}}}')


@lru_cache(maxsize=64)
def _file_start(file: str) -> str:
    return f'{{"file": {json.dumps(display_name(file), ensure_ascii=False)}, "line": '

