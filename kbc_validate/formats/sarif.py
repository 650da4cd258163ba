"""SARIF 2.1.0, with the rules taken from the catalogue."""

from __future__ import annotations

import json
import os
from typing import Any, TextIO
from urllib.parse import quote

from kbc_validate.catalogue import RULES
from kbc_validate.causes import Severity
from kbc_validate.files.finding_rows import Rendered
from kbc_validate.files.located import Located
from kbc_validate.findings import Issue
from kbc_validate.formats.streams import write_utf8
from kbc_validate.formats.summary import Summary

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif_rules() -> list[dict[str, Any]]:
    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.name.replace("-", " ")},
            "fullDescription": {"text": rule.doc},
            "help": {"text": rule.doc},
            "defaultConfiguration": {"level": "error" if rule.severity is Severity.ERROR else "warning"},
            "properties": {"cause": str(rule.cause), "berlinGroupCode": rule.berlin_group_code},
        }
        for rule in RULES
    ]


def _uri(name: str) -> str:
    """A file name as a relative URI reference (SARIF's artifactLocation.uri): its bytes, percent-encoded."""
    return quote(os.fsencode(name) if _fs_encodable(name) else name.encode("utf-8", "backslashreplace"), safe="/")


def _fs_encodable(name: str) -> bool:
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        return False
    return True


def _result(file: str, line: int, column: int, issue: Issue) -> dict[str, Any]:
    return {
        "ruleId": issue.code,
        "level": "error" if issue.severity is Severity.ERROR else "warning",
        "message": {"text": issue.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(file)},
            "region": {"startLine": line, "startColumn": column},
        }}],
        "properties": {"cause": str(issue.cause), "path": issue.path},
    }


def _words(file: str, column: int, issue: Issue) -> tuple[str, str]:
    """A finding's result as `SarifFormat.finding` writes it, before its line and after it: written at line 0 and cut
    at its ``"startLine"`` member (a key: no string of the result holds its quotes unescaped)."""
    text = json.dumps(_result(file, 0, column, issue), ensure_ascii=False)
    marker = '"startLine": 0, "startColumn": '
    at = text.index(marker) + len('"startLine": ')
    return text[:at], text[at + 1:]


class SarifFormat:
    def __init__(self, out: TextIO, version: str) -> None:
        self.out, self.version, self._first = out, version, True
        driver = {"name": "kbc-validate", "version": version, "informationUri": "https://pypi.org/project/kbc-validate/",
                  "rules": sarif_rules()}
        head = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": []}]}
        text = json.dumps(head, ensure_ascii=False)
        self._tail = text[text.rindex('"results": []') + len('"results": ['):]
        out.write(text[: text.rindex('"results": []') + len('"results": [')])
        self._rendered = Rendered(_words)  # the compiled pass's distinct findings, rendered once

    def finding(self, located: Located) -> None:
        result = _result(located.file, located.line, located.column, located.issue)
        self.out.write(("" if self._first else ",") + json.dumps(result, ensure_ascii=False))
        self._first = False

    def table(self, table: Any) -> None:
        """A `files.finding_rows.FindingRows`, written at once: the extension repeats each distinct finding's result
        with its line."""
        if len(table):
            self.out.write("" if self._first else ",")
            self._first = False
            write_utf8(self.out, table.rendered(self._rendered, b","))

    def finish(self, summary: Summary) -> None:
        self.out.write(self._tail + "\n")
