"""A run of findings of one file as a table: kept, counted and written a table at a time, in the same words as
one `Located` at a time (`located` gives them one by one to formats that want that)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from kbc_validate.causes import Cause, Severity
from kbc_validate.columnar.engine import FINDINGS_SCHEMA
from kbc_validate.files.located import Located, display_name
from kbc_validate.findings import Issue


def records(findings: list[Located]) -> pl.DataFrame:
    """`findings` as rows of the findings table."""
    rows = [
        {"line": f.line, "column": f.column, "path": f.issue.path, "cause": str(f.issue.cause), "code": f.code,
         "severity": str(f.issue.severity), "message": f.issue.message}
        for f in findings
    ]
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA)


@dataclass(frozen=True)
class FindingTable:
    file: str
    frame: pl.DataFrame  # FINDINGS_SCHEMA, in line order

    def __len__(self) -> int:
        return self.frame.height

    def moved(self, lines: int) -> FindingTable:
        """The same findings `lines` lines further down (a piece's findings, numbered from the piece's start)."""
        return FindingTable(self.file, self.frame.with_columns(pl.col("line") + lines))

    def kept(self, select: tuple[str, ...], ignore: tuple[str, ...]) -> FindingTable:
        """The findings whose codes `--select` and `--ignore` keep."""
        code = pl.col("code")
        keep = pl.lit(True)
        if select:
            keep = keep & pl.any_horizontal([code.str.starts_with(prefix) for prefix in select])
        if ignore:
            keep = keep & ~pl.any_horizontal([code.str.starts_with(prefix) for prefix in ignore])
        return self if not (select or ignore) else FindingTable(self.file, self.frame.filter(keep))

    def has_errors(self) -> bool:
        return bool((self.frame["severity"] == str(Severity.ERROR)).any())

    def located(self) -> Iterator[Located]:
        for line, column, path, cause, code, severity, message in self.frame.iter_rows():
            loc = tuple(path.split(".")) if path else ()
            yield Located(self.file, line, column, Issue(code, Cause(cause), Severity(severity), loc, message, None))

    def error_lines(self) -> Iterator[tuple[int, str]]:
        """(line, code) of the first error of each line that has errors, in line order."""
        errors = self.frame.filter(pl.col("severity") == str(Severity.ERROR)).select("line", "code")
        yield from errors.unique("line", keep="first", maintain_order=True).iter_rows()

    def per_code(self, first: int) -> Iterator[tuple[str, int, int, list[int], int]]:
        """(code, number of findings, number of distinct lines, the `first` distinct lines, the last line) for each
        code, codes in order of their first finding."""
        line = pl.col("line")
        distinct = line.filter((line != line.shift(1)).fill_null(True))  # the frame is in line order
        grouped = self.frame.group_by("code", maintain_order=True).agg(
            pl.len().alias("count"), distinct.len().alias("rows"), distinct.head(first).alias("first"),
            line.last().alias("last"))
        yield from grouped.iter_rows()

    def text(self) -> str:
        """``file:line:col: CODE message (at path)`` lines, as `formats.text` writes them without colour."""
        path = pl.col("path")
        at = pl.when(path != "").then(pl.concat_str(pl.lit(" (at "), path, pl.lit(")"))).otherwise(pl.lit(""))
        where = display_name(self.file)
        lines = self.frame.select(pl.concat_str(
            pl.lit(f"{where}:"), pl.col("line").cast(pl.String), pl.lit(":"), pl.col("column").cast(pl.String),
            pl.lit(": "), pl.col("code"), pl.lit(" "), pl.col("message"), at, pl.lit("\n"),
        ))
        return "".join(lines.to_series().to_list())

    def json_items(self) -> pl.Series:
        """Each finding as ``json.dumps(located.as_dict(), ensure_ascii=False)`` writes it."""
        quoted = {name: _quoted(self.frame[name]) for name in ("path", "cause", "code", "severity", "message")}
        file = json.dumps(display_name(self.file), ensure_ascii=False)
        items = self.frame.select(pl.concat_str(
            pl.lit(f'{{"file": {file}, "line": '), pl.col("line").cast(pl.String),
            pl.lit(', "column": '), pl.col("column").cast(pl.String),
            pl.lit(', "path": '), quoted["path"], pl.lit(', "cause": '), quoted["cause"],
            pl.lit(', "code": '), quoted["code"], pl.lit(', "severity": '), quoted["severity"],
            pl.lit(', "message": '), quoted["message"], pl.lit("}"),
        ).alias("item"))
        return items.to_series()


def _quoted(values: pl.Series) -> pl.Expr:
    """The JSON string of each value, made once per distinct value."""
    distinct = values.unique().to_list()
    return pl.col(values.name).replace_strict(distinct, [json.dumps(v, ensure_ascii=False) for v in distinct])
