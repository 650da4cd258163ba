"""Repeated payments (``KBC907``, ``KBC908``) found column by column: a 64-bit hash of each key
`files.repeats.payment_keys` would make (computed from the cells, without making the key; equal keys, equal hashes)
goes through a fixed-size blocked Bloom filter (32 MiB, two bits a key within one 64-bit word), and an exact second
pass over the lines up to the last candidate compares the keys themselves. The keys of rows whose account cells are
not ASCII are made by `payment_keys` itself.

Most candidates of a large file are the filter's false positives. Every key's hash is also written to a temporary
file (on disk: memory stays flat); when none of the candidates' hashes occurs twice in it, no candidate can be a
repeat (equal keys have equal hashes) and the second pass is skipped."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np
import polars as pl

from kbc_validate.columnar.engine import STRUCTURED, UNSTRUCTURED, ascii_cells, converted, field_name
from kbc_validate.files.csv_columns import Column, row_body
from kbc_validate.files.csv_source import Header
from kbc_validate.files.repeats import BITS, SEPARATOR, payment_keys, repeat_issue
from kbc_validate.findings import Issue

_ONE, _SIX_BITS = np.uint64(1), np.uint64(63)
_KEYS = {"line": pl.Int64, "code": pl.String, "key": pl.String, "shown": pl.String}


@dataclass(frozen=True)
class NotedKeys:
    """The keys of some rows (`ColumnRepeats.hashes`) made ready for the filter, by the process that read the rows:
    each key's line, hash, word of the filter and two bits in it, and whether its hash occurs twice among them."""

    line: np.ndarray
    digest: np.ndarray
    word: np.ndarray
    bits: np.ndarray
    twice: np.ndarray

    @classmethod
    def of(cls, hashes: pl.DataFrame) -> NotedKeys:
        """`hashes` (line, hash) made ready; the two bits of a key lie in one 64-bit word (one memory access)."""
        digest = hashes["hash"].to_numpy()
        word = (digest & np.uint64(BITS // 64 - 1)).astype(np.intp)
        bits = (_ONE << (digest >> np.uint64(32) & _SIX_BITS)) | (_ONE << (digest >> np.uint64(40) & _SIX_BITS))
        twice = _duplicated(hashes["hash"]).to_numpy() if hashes.height else np.zeros(0, dtype=bool)
        return cls(hashes["line"].to_numpy(), digest, word, bits, twice)


class ColumnRepeats:
    def __init__(self, header: Header, delimiter: str) -> None:
        self.header, self.delimiter = header, delimiter
        self._words = np.zeros(BITS // 64, dtype=np.uint64)
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
                "line", code=pl.lit("KBC907"), key=_e2e_key(e2e), shown=e2e))
        if self._accounts and self._amounts:
            present = _any(self._accounts) & _any(self._amounts)
            parts.append(frame.filter(present).select(
                "line", code=pl.lit("KBC908"), key=self._payment_key(), shown=pl.lit(None, dtype=pl.String)))
        return pl.concat(parts) if parts else pl.DataFrame(schema=_KEYS)

    def _payment_key(self) -> pl.Expr:
        return pl.concat_str(
            pl.lit(f"pay{SEPARATOR}"), self._or_none(self._iban), pl.lit(SEPARATOR), self._or_none(self._amount),
            pl.lit(SEPARATOR), self._reference_expr(),
        )

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

    def hashes(self, frame: pl.DataFrame) -> pl.DataFrame:
        """(line, hash) of every key of `frame`'s rows, in no order: equal keys (those `keys` makes) have equal hashes.

        The hash of a payment key is computed without making the key: from its parts (`_payment_hash`), but for rows
        whose account cells are not ASCII or whose key cells hold the key's separator, which `payment_keys` makes
        whole and `_made_key_hash` hashes."""
        simple = ascii_cells(self._accounts) & ~self._separated()
        parts = []
        if self._e2e is not None:
            e2e = pl.col(field_name(self._e2e.field))
            parts.append(frame.lazy().filter(e2e != "").select("line", hash=e2e.hash()))
        if self._accounts and self._amounts:
            present = _any(self._accounts) & _any(self._amounts)
            parts.append(frame.lazy().filter(present & simple).select("line", hash=self._payment_hash()))
            python = self._python_keys(frame.filter(present & ~simple))
            parts.append(python.lazy().filter(pl.col("code") == "KBC908").select("line", hash=_made_key_hash()))
        if not parts:
            return pl.DataFrame(schema={"line": pl.Int64, "hash": pl.UInt64})
        return pl.concat(parts).collect()

    def _payment_hash(self) -> pl.Expr:
        """The hash of the payment key of a row with ASCII account cells and no separator in its key cells, from the
        cells as written: the parts `_parts_hash` hashes are the same for the cells as for the converted cells."""
        return _parts_hash(self._or_none_as_written(self._iban), self._or_none_as_written(self._amount),
                           self._reference_expr())

    def _or_none_as_written(self, column: Column | None) -> pl.Expr:
        if column is None:
            return pl.lit("None")
        cell = pl.col(field_name(column.field))
        return pl.when(cell == "").then(pl.lit("None")).otherwise(cell)

    def _separated(self) -> pl.Expr:
        """Rows a cell of whose payment key holds the key's separator (whose parts the key alone does not tell)."""
        cells = [c for c in (self._iban, self._amount, self._reference, self._unstructured) if c is not None]
        return pl.any_horizontal([pl.col(field_name(c.field)).str.contains(SEPARATOR, literal=True) for c in cells]
                                 or [pl.lit(False)])

    def observe(self, frame: pl.DataFrame) -> None:
        """Note the keys of `frame`'s rows; keys possibly met before become candidates."""
        self.note(NotedKeys.of(self.hashes(frame)))

    def note(self, keys: NotedKeys, lines: int = 0) -> None:
        """Note `keys` (of rows `lines` lines further down than they say), as `observe` does; in file order."""
        if not keys.digest.size:
            return
        if self._hashes is None:
            self._hashes = tempfile.TemporaryFile()  # noqa: SIM115 - kept open across calls, closed by `close`
        self._hashes.write(keys.digest.tobytes())
        word, bits, words = keys.word, keys.bits, self._words
        again = ((words[word] & bits) == bits) | keys.twice
        # Hot path: a plain fancy-index OR (several times faster than `bitwise_or.at`) keeps only the last key's bits
        # where keys share a word; those few keys are set again, accumulating.
        words[word] |= bits
        lost = (words[word] & bits) != bits
        if lost.any():
            np.bitwise_or.at(words, word[lost], bits[lost])
        if again.any():
            self._candidate_hashes.update(keys.digest[again].tolist())
            self.last_line = max(self.last_line, int(keys.line[again].max()) + lines)

    def may_repeat(self) -> bool:
        """Whether any candidate's hash occurs twice among all keys' hashes: else no candidate is a repeat."""
        if not self._candidate_hashes or self._hashes is None:
            return False
        wanted = pl.Series(sorted(self._candidate_hashes), dtype=pl.UInt64).implode()
        self._hashes.seek(0)
        seen = []
        while block := self._hashes.read(1 << 23):
            digest = pl.Series(np.frombuffer(block, dtype=np.uint64))
            seen.append(digest.filter(digest.is_in(wanted)))
        return bool(_duplicated(pl.concat(seen)).any())

    def close(self) -> None:
        if self._hashes is not None:
            self._hashes.close()

    def confirm(self, frames: Iterable[pl.DataFrame]) -> Iterator[tuple[int, Issue]]:
        """Second pass over the frames of the same file: the real repeats among the candidates (keys compared whole:
        equal hashes of different keys are no repeat)."""
        first_lines: dict[str, int] = {}
        wanted = pl.Series(sorted(self._candidate_hashes), dtype=pl.UInt64).implode()
        for frame in frames:
            if not frame.height:
                continue
            if frame["line"][0] > self.last_line:
                return
            lines = self.hashes(frame).filter(pl.col("hash").is_in(wanted))["line"]
            rows = frame.filter(pl.col("line").is_in(lines.implode()))
            # Every key of these rows is compared: a key met twice has its hash among the candidates, so every row
            # holding it is among these rows (up to the last candidate's line), the first one too.
            for line, code, key, shown in self.keys(rows).iter_rows():
                if key in first_lines:
                    yield line, repeat_issue(code, shown, first_lines[key])
                else:
                    first_lines[key] = line


def _parts_hash(iban: pl.Expr, amount: pl.Expr, reference: pl.Expr) -> pl.Expr:
    """A hash of a payment key's parts (account, amount, reference) that is equal for equal keys: the account
    without spaces, in capitals, and the amount without points and commas, are the same for a part as converted
    (an ASCII cell: `converted`) as for the cell as written."""
    account = iban.str.replace_all(" ", "", literal=True).str.to_uppercase()
    figures = amount.str.replace_all(".", "", literal=True).str.replace_all(",", "", literal=True)
    return pl.struct(account=account, amount=figures, reference=reference).hash()


def _made_key_hash() -> pl.Expr:
    """The hash of a payment key `payment_keys` made (column ``key``): from its parts, as `_parts_hash` hashes the
    cells of other rows, when it has three separators; else (a part holds one) of the whole key, since only another
    such key can equal it."""
    key = pl.col("key")
    parts = key.str.split_exact(SEPARATOR, 3).struct
    from_parts = _parts_hash(parts.field("field_1"), parts.field("field_2"), parts.field("field_3"))
    whole = key.hash()
    return pl.when(key.str.count_matches(SEPARATOR, literal=True) == 3).then(from_parts).otherwise(whole)


def _e2e_key(e2e: pl.Expr) -> pl.Expr:
    """The KBC907 key `payment_keys` makes (`keys` must make the same for every row: the second pass compares them)."""
    return pl.concat_str(pl.lit(f"e2e{SEPARATOR}"), e2e)


def _duplicated(hashes: pl.Series) -> pl.Series:
    """`hashes.is_duplicated()`, by a sort: several times faster on 64-bit integers."""
    ordered = hashes.sort()
    repeated = ordered.filter(ordered == ordered.shift(1))
    return hashes.is_in(repeated.implode()) if repeated.len() else pl.repeat(False, hashes.len(), eager=True)


def _any(columns: list[Column]) -> pl.Expr:
    return pl.any_horizontal([pl.col(field_name(c.field)) != "" for c in columns])
