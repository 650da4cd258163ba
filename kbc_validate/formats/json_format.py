"""``{"findings": [...], "summary": {...}}``; findings are streamed out one by one, never all held in memory."""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

from kbc_validate.files.located import Located
from kbc_validate.formats.streams import utf8_bytes, write_all
from kbc_validate.formats.summary import Summary


class JsonFormat:
    def __init__(self, out: TextIO) -> None:
        self.out, self._first = out, True
        out.write('{"findings": [')

    def finding(self, located: Located) -> None:
        self.out.write(("\n  " if self._first else ",\n  ") + json.dumps(located.as_dict(), ensure_ascii=False))
        self._first = False

    def table(self, table: Any) -> None:
        """A `columnar.table.FindingTable`, each finding written as `finding` writes it (straight to the bytes of a
        UTF-8 stream, without making Python strings, when the stream has them)."""
        items = table.json_items()
        if not items.len():
            return
        self.out.write("\n  " if self._first else ",\n  ")
        self._first = False
        buffer = utf8_bytes(self.out)
        if buffer is None:
            self.out.write(",\n  ".join(items.to_list()))
            return
        import polars as pl  # a table comes from the column engine: polars is there

        after_first = pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("")).otherwise(pl.lit(",\n  "))
        lines = items.to_frame().select(pl.concat_str(after_first, pl.col(items.name)))
        rendered = io.BytesIO()  # not written by polars to the stream: a reader gone away is Python's BrokenPipeError
        lines.write_csv(rendered, include_header=False, quote_style="never", line_terminator="")
        write_all(buffer, rendered.getbuffer())

    def finish(self, summary: Summary) -> None:
        self.out.write(("" if self._first else "\n") + '],\n"summary": ')
        self.out.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "}\n")
