"""Repeated payments (``KBC907``, ``KBC908``) found column by column: a 64-bit hash of each key
`files.repeats.payment_keys` would make (computed from the cells, without making the key; equal keys, equal hashes)
is logged with its line (`files.hash_log`: on disk, so memory stays flat), and once the file is read, the hashes
met more than once are found; an exact second pass over the lines up to the last line holding one compares those
rows' keys themselves. The keys of rows whose account cells are not ASCII are made by `payment_keys` itself. A file
without a repeated hash needs no second pass."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import polars as pl

from kbc_validate.columnar.engine import STRUCTURED, UNSTRUCTURED, ascii_cells, converted, field_name
from kbc_validate.files.csv_columns import Column, row_body
from kbc_validate.files.csv_source import Header
from kbc_validate.files.hash_log import NONE_REPEATED, HashLog, Repeated, sorted_pairs
from kbc_validate.files.repeats import SEPARATOR, payment_keys, repeat_issue
from kbc_validate.findings import Issue

_KEYS = {"line": pl.Int64, "code": pl.String, "key": pl.String, "shown": pl.String}


def noted_keys(hashes: pl.DataFrame) -> bytes:
    """The (hash, line) pairs of `hashes` (columns line, hash) for `HashLog.add`, made by the process that read the
    rows (`sorted_pairs`)."""
    return sorted_pairs(hashes["hash"].to_numpy(), hashes["line"].to_numpy())


class ColumnRepeats:
    def __init__(self, header: Header, delimiter: str) -> None:
        self.header, self.delimiter = header, delimiter
        self._log = HashLog()
        self._repeated: Repeated = NONE_REPEATED  # found by `may_repeat`, once every key is noted
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
        """Note the keys of `frame`'s rows."""
        self.note(noted_keys(self.hashes(frame)))

    def note(self, keys: bytes, lines: int = 0) -> None:
        """Note `keys` (`noted_keys`, of rows `lines` lines further down than they say)."""
        self._log.add(keys, lines)

    def may_repeat(self) -> bool:
        """Whether any key's hash was noted twice (found here, once every key is noted): else no key repeats."""
        self._repeated = self._log.repeated()
        return bool(self._repeated.hashes)

    def confirm(self, frames: Iterable[pl.DataFrame]) -> Iterator[tuple[int, Issue]]:
        """Second pass over the frames of the same file: the real repeats among the candidates (keys compared whole:
        equal hashes of different keys are no repeat)."""
        first_lines: dict[str, int] = {}
        wanted = pl.Series(sorted(self._repeated.hashes), dtype=pl.UInt64).implode()
        for frame in frames:
            if not frame.height:
                continue
            if frame["line"][0] > self._repeated.last_line:
                return
            lines = self.hashes(frame).filter(pl.col("hash").is_in(wanted))["line"]
            rows = frame.filter(pl.col("line").is_in(lines.implode()))
            # Every key of these rows is compared: a key met twice has its hash among those met twice, so every row
            # holding it is among these rows (up to the last line holding such a hash), the first one too.
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


def _any(columns: list[Column]) -> pl.Expr:
    return pl.any_horizontal([pl.col(field_name(c.field)) != "" for c in columns])
