"""Repeated payments (``KBC907``, ``KBC908``) found column by column, with the keys `files.repeats.payment_keys`
makes, the same fixed-size Bloom filter design (two bits a key, 32 MiB), and an exact second pass over the lines up
to the last candidate. The keys of rows whose account cells are not ASCII are made by `payment_keys` itself.

Most candidates of a large file are the filter's false positives. Every key's 64-bit hash is also written to a
temporary file (on disk: memory stays flat); when none of the candidates' hashes occurs twice in it, no candidate
can be a repeat (equal keys have equal hashes) and the second pass is skipped."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import numpy as np
import polars as pl

from kbc_validate.columnar.engine import STRUCTURED, UNSTRUCTURED, ascii_cells, converted, field_name
from kbc_validate.files.csv_columns import Column, row_body
from kbc_validate.files.csv_source import Header
from kbc_validate.files.repeats import BITS, MASK, payment_keys, repeat_issue
from kbc_validate.findings import Issue

_CODES = ("KBC907", "KBC908")
_KEYS = {"line": pl.Int64, "code": pl.String, "key": pl.String, "shown": pl.String}


class ColumnRepeats:
    def __init__(self, header: Header, delimiter: str) -> None:
        self.header, self.delimiter = header, delimiter
        self._bits = np.zeros(BITS // 8, dtype=np.uint8)
        self.candidates: set[str] = set()
        self._candidate_hashes: set[int] = set()
        self._hashes: IO[bytes] | None = None  # a temporary file, opened by the first `observe`, closed by `close`
        self.last_line = 0  # the last line holding a candidate: the second pass stops there
        by_path = {(*c.parents, c.member): c for c in header.columns}
        self._e2e = by_path.get(("endToEndIdentification",))
        self._accounts = [c for c in header.columns if c.parents[:1] == ("creditorAccount",)]
        self._amounts = [c for c in header.columns if c.parents[:1] == ("instructedAmount",)]
        self._iban = by_path.get(("creditorAccount", "iban"))
        self._amount = by_path.get(("instructedAmount", "amount"))
        self._reference = by_path.get((STRUCTURED, "reference"))
        self._unstructured = by_path.get((UNSTRUCTURED,))

    def keys(self, frame: pl.DataFrame) -> pl.DataFrame:
        """(line, code, key, shown) of every key of `frame`'s rows, in line order, KBC907 before KBC908."""
        simple = ascii_cells(self._accounts)
        parts = [self._frame_keys(frame.filter(simple)), self._python_keys(frame.filter(~simple))]
        return pl.concat(parts).sort("line", "code")

    def _frame_keys(self, frame: pl.DataFrame) -> pl.DataFrame:
        parts = []
        if self._e2e is not None:
            e2e = pl.col(field_name(self._e2e.field))
            parts.append(frame.filter(e2e != "").select(
                "line", code=pl.lit("KBC907"), key=pl.concat_str(pl.lit("e2e\x1f"), e2e), shown=e2e))
        if self._accounts and self._amounts:
            present = _any(self._accounts) & _any(self._amounts)
            key = pl.concat_str(
                pl.lit("pay\x1f"), self._or_none(self._iban), pl.lit("\x1f"), self._or_none(self._amount),
                pl.lit("\x1f"), self._reference_expr(),
            )
            parts.append(frame.filter(present).select(
                "line", code=pl.lit("KBC908"), key=key, shown=pl.lit(None, dtype=pl.String)))
        return pl.concat(parts) if parts else pl.DataFrame(schema=_KEYS)

    def _or_none(self, column: Column | None) -> pl.Expr:
        """The converted cell, or "None" when empty (the key is made with ``dict.get``)."""
        if column is None:
            return pl.lit("None")
        cell = pl.col(field_name(column.field))
        return pl.when(cell == "").then(pl.lit("None")).otherwise(converted(column, self.delimiter))

    def _reference_expr(self) -> pl.Expr:
        reference: pl.Expr = pl.lit("")
        for column in (self._unstructured, self._reference):  # the structured reference first, when non-empty
            if column is not None:
                cell = pl.col(field_name(column.field))
                reference = pl.when(cell != "").then(cell).otherwise(reference)
        return reference

    def _python_keys(self, frame: pl.DataFrame) -> pl.DataFrame:
        records = []
        for line, *row in frame.iter_rows():
            for code, key, shown in payment_keys(row_body(self.header.columns, row)):
                records.append({"line": line, "code": code, "key": key, "shown": shown})
        return pl.DataFrame(records, schema=_KEYS)

    def observe(self, frame: pl.DataFrame) -> None:
        """Note the keys of `frame`'s rows; keys possibly met before become candidates."""
        keys = self.keys(frame)
        if not keys.height:
            return
        digest = keys["key"].hash().to_numpy()
        if self._hashes is None:
            self._hashes = tempfile.TemporaryFile()  # noqa: SIM115 - kept open across calls, closed by `close`
        self._hashes.write(digest.tobytes())
        first = (digest & MASK).astype(np.int64)
        second = ((digest >> np.uint64(28)) & MASK).astype(np.int64)
        bits = self._bits
        seen = bits[first >> 3] >> (first & 7).astype(np.uint8) & bits[second >> 3] >> (second & 7).astype(np.uint8) & 1
        again = seen.astype(bool) | keys["key"].is_duplicated().to_numpy()
        for position in (first, second):
            np.bitwise_or.at(bits, position >> 3, (1 << (position & 7)).astype(np.uint8))
        if again.any():
            found = keys.filter(pl.Series(again))
            self.candidates.update(found["key"].to_list())
            self._candidate_hashes.update(digest[again].tolist())
            self.last_line = max(self.last_line, int(found["line"].max()))  # type: ignore[arg-type]

    def may_repeat(self) -> bool:
        """Whether any candidate's hash occurs twice among all keys' hashes: else no candidate is a repeat."""
        if not self.candidates or self._hashes is None:
            return False
        wanted = np.fromiter(self._candidate_hashes, dtype=np.uint64)
        self._hashes.seek(0)
        seen = []
        while block := self._hashes.read(1 << 23):
            digest = np.frombuffer(block, dtype=np.uint64)
            seen.append(digest[np.isin(digest, wanted)])
        _, counts = np.unique(np.concatenate(seen), return_counts=True)
        return bool((counts > 1).any())

    def close(self) -> None:
        if self._hashes is not None:
            self._hashes.close()

    def confirm(self, frames: Iterable[pl.DataFrame]) -> Iterator[tuple[int, Issue]]:
        """Second pass over the frames of the same file: the real repeats among the candidates."""
        first_lines: dict[str, int] = {}
        candidates = pl.Series(sorted(self.candidates), dtype=pl.String)
        for frame in frames:
            if not frame.height:
                continue
            if frame["line"][0] > self.last_line:
                return
            keys = self.keys(frame).filter(pl.col("key").is_in(candidates.implode()))
            for line, code, key, shown in keys.iter_rows():
                if key in first_lines:
                    yield line, repeat_issue(code, shown, first_lines[key])
                else:
                    first_lines[key] = line


def _any(columns: list[Column]) -> pl.Expr:
    return pl.any_horizontal([pl.col(field_name(c.field)) != "" for c in columns])
