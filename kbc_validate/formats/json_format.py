"""``{"findings": [...], "summary": {...}}``; findings are streamed out one by one, never all held in memory."""

from __future__ import annotations

import json
from typing import Any, TextIO

from kbc_validate.files.located import Located
from kbc_validate.formats.summary import Summary


class JsonFormat:
    def __init__(self, out: TextIO) -> None:
        self.out, self._first = out, True
        out.write('{"findings": [')

    def finding(self, located: Located) -> None:
        self.out.write(("\n  " if self._first else ",\n  ") + json.dumps(located.as_dict(), ensure_ascii=False))
        self._first = False

    def table(self, table: Any) -> None:
        """A `files.finding_rows.FindingRows` (its items rendered already), each finding written as `finding` writes
        it."""
        items = table.json_items()
        if items:
            self.out.write(("\n  " if self._first else ",\n  ") + ",\n  ".join(items))
            self._first = False

    def finish(self, summary: Summary) -> None:
        self.out.write(("" if self._first else "\n") + '],\n"summary": ')
        self.out.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "}\n")
