"""GitHub Actions workflow commands (``::error file=...``), and a summary table in the job summary when the
runner provides one (``GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

import os
import re
from typing import Any, TextIO

from kbc_validate.causes import Severity
from kbc_validate.files.finding_rows import Rendered
from kbc_validate.files.located import Located, display_name
from kbc_validate.findings import Issue
from kbc_validate.formats.streams import write_utf8
from kbc_validate.formats.summary import Summary


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


def _escape_markdown(text: str) -> str:
    """A table cell of the job summary that shows `text` as it is: no link, tag, emphasis or extra column."""
    return _MARKDOWN.sub(r"\\\1", text)


def _words(file: str, column: int, issue: Issue) -> tuple[str, str]:
    """A finding's workflow command, before its line and after it."""
    kind = "error" if issue.severity is Severity.ERROR else "warning"
    return (f"::{kind} file={_escape_property(display_name(file))},line=",
            f",col={column},title={_escape_property(issue.code)}::{_escape_data(issue.message)}\n")


class GithubFormat:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._rendered = Rendered(_words)  # the compiled pass's distinct findings, rendered once

    def finding(self, located: Located) -> None:
        before, after = _words(located.file, located.column, located.issue)
        self.out.write(f"{before}{located.line}{after}")

    def table(self, table: Any) -> None:
        """A `files.finding_rows.FindingRows`, written at once: the extension repeats each distinct finding's
        command with its line."""
        write_utf8(self.out, table.rendered(self._rendered, b""))

    def finish(self, summary: Summary) -> None:
        path = os.environ.get("GITHUB_STEP_SUMMARY")
        if not path:
            return
        lines = [f"### kbc-validate: {summary.headline()}", "",
                 "| Code | Rule | Severity | Count | Share of rows | First lines |",
                 "| --- | --- | --- | ---: | ---: | --- |"]
        lines += [f"| {r['code']} | {r['name']} | {r['severity']} | {r['count']} | {r['share_of_rows']:.2%} | "
                  f"{_escape_markdown(summary.first_lines_text(r['code']))} |" for r in summary.by_rule()]
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
