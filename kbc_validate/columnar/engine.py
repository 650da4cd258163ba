"""Validating a frame of payment rows (a table's cells, as a CSV file's header names them) column by column, with
the findings validating each row's body would give (`columnar.batch`).

A row's body is made of top-level members ("groups": ``creditorName``, or ``instructedAmount`` from its amount
and currency columns). For a single payment, the findings of a row are the findings of each of its groups, in body
order, plus those of the rules that relate members (mandatory members, one remittance form, the same account).

- First, a cheap test of each group's cells as written (no conversion, see `FrameValidator._quick_expr`) sets
  aside the rows that surely have no finding at all: most rows of most files. A group whose cells are the same in
  every row of the frame (a file's one debtor account) is tested once. Only the rest go through the steps below.
- Rows that a cross-member rule may concern go to the per-row validator whole (``exact`` rows): few in practice.
- In every other row, only the groups that failed the cheap test are looked at again: one whose cells the reader
  converts (an IBAN with spaces, an amount with a thousands separator) is tested again on its converted cells with
  the vectorised acceptors (`clean`); a group still not surely clean is checked by the member's own check, once per
  distinct value (a memo), and its findings are joined back to every row holding that value.

So every finding is made by the same rule code as on the per-row path; the property and benchmark tests compare
the two paths finding by finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from kbc_validate.columnar import clean
from kbc_validate.files.csv_columns import COMMA_AMOUNT, Column, converter, row_body
from kbc_validate.files.csv_source import Header, row_issues
from kbc_validate.findings import Issue, sort_in_body_order
from kbc_validate.rules.bodies import SPECS
from kbc_validate.rules.context import Context

FINDINGS_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "line": pl.Int64, "column": pl.Int64, "path": pl.String, "cause": pl.String, "code": pl.String,
    "severity": pl.String, "message": pl.String,
}
_ORDER: dict[str, pl.DataType | type[pl.DataType]] = {"group": pl.Int64, "seq": pl.Int64}
_MEMO_LIMIT = 1 << 12  # distinct values remembered: a memo of one-off faulty values would grow with the file

STRUCTURED = "remittanceInformationStructured"
UNSTRUCTURED = "remittanceInformationUnstructured"


def field_name(index: int) -> str:
    return f"f{index}"


def converted_name(column: Column) -> str:
    """The name of the column `with_converted` adds for `column`'s converted cells."""
    return f"c{column.field}"


def with_converted(frame: pl.DataFrame, columns: list[Column], delimiter: str) -> pl.DataFrame:
    """`frame` with the converted cells of every column whose cells a converter changes, computed once."""
    changed = [column for column in columns if converter(".".join((*column.parents, column.member)), delimiter)]
    return frame.with_columns(converted(column, delimiter).alias(converted_name(column)) for column in changed)


def cell_of(column: Column, delimiter: str) -> pl.Expr:
    """The converted cell of `column` in a frame made by `with_converted`."""
    path = ".".join((*column.parents, column.member))
    return pl.col(converted_name(column) if converter(path, delimiter) else field_name(column.field))


def converted(column: Column, delimiter: str) -> pl.Expr:
    """The cell of `column` as `csv_columns.converter` reads it (exact for ASCII cells; see `ascii_cells`)."""
    cell = pl.col(field_name(column.field))
    path = ".".join((*column.parents, column.member))
    if path.endswith(".iban"):
        compact = cell.str.replace_all(" ", "", literal=True).str.replace_all("\u00a0", "", literal=True)
        return compact.str.to_uppercase()
    if path == "instructedAmount.amount" and delimiter != ",":
        comma = cell.str.contains(clean.anchored(COMMA_AMOUNT.pattern))
        return pl.when(comma).then(cell.str.replace_all(".", "", literal=True).str.replace_all(",", ".", literal=True)
                                   ).otherwise(cell)
    return cell


def ascii_cells(columns: list[Column]) -> pl.Expr:
    """The cells whose conversion upper-cases them are ASCII: Python and Rust agree there. (A cell is ASCII when it
    has as many bytes as characters: cheaper than a pattern. Others, no-break spaces too, are read in Python.)"""
    ok = pl.lit(True)
    for column in columns:
        if column.member == "iban":
            cell = pl.col(field_name(column.field))
            ok = ok & (cell.str.len_bytes() == cell.str.len_chars())
    return ok


@dataclass
class Group:
    name: str
    order: int
    columns: list[Column]

    @property
    def fields(self) -> list[str]:
        return [field_name(column.field) for column in self.columns]

    def present(self) -> pl.Expr:
        return pl.any_horizontal([pl.col(name) != "" for name in self.fields])


class FrameValidator:
    """The findings of frames of rows (columns ``line`` and ``f0``...) of one table's single payments."""

    @staticmethod
    def supports(header: Header, service: str) -> bool:
        """Single payments whose mandatory columns are all there; other tables (and fix files) are validated row by
        row."""
        return service == "payments" and not header.missing and header.fix is None

    def __init__(self, header: Header, today: date, delimiter: str) -> None:
        self.header, self.today, self.delimiter = header, today, delimiter
        self.spec = SPECS["payments"]
        groups: dict[str, Group] = {}
        for column in header.columns:
            name = column.parents[0] if column.parents else column.member
            groups.setdefault(name, Group(name, len(groups), []))
            groups[name].columns.append(column)
        self.groups = list(groups.values())
        self._by_name = groups
        self._memo: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        self._clean = {group.name: expr for group in self.groups if (expr := self._clean_expr(group)) is not None}
        self._exact = self._exact_expr()
        self._quick = {group.name: expr for group in self.groups if (expr := self._quick_expr(group)) is not None}
        self._quick_exact = self._quick_exact_expr()
        # Groups whose quick test reads cells as written, not converted: one that fails it may yet be clean.
        self._rewritten = {name for name, expr in self._quick.items()
                           if name in self._clean and expr is not self._clean[name]}

    # -- expressions ---------------------------------------------------------------------------------------
    def _clean_expr(self, group: Group) -> pl.Expr | None:
        """The vectorised acceptor of a group's member, or None when the member has none."""
        vector = self.spec.vectors.get(group.name)
        if vector is None:
            return None
        if not group.columns[0].parents:  # a top-level scalar member
            return clean.member_clean(vector, cell_of(group.columns[0], self.delimiter))
        if vector.spec is None:
            return None
        cells = {column.member: cell_of(column, self.delimiter) for column in group.columns}
        ascii_ok = ascii_cells(group.columns)
        if vector.kind == "object":
            defaults = {"currency": "EUR"} if group.name == "instructedAmount" else {}  # as `row_body` sets it
            return ascii_ok & clean.object_clean(vector.spec, cells, defaults)
        if vector.kind == "structured":
            issuers = {column.issuer for column in group.columns if column.issuer}
            if len(issuers) > 1:
                return None
            return clean.structured_clean(vector.spec, cells, next(iter(issuers), None))
        return None

    def _quick_expr(self, group: Group) -> pl.Expr | None:
        """A group's vectorised acceptor over its cells as written (no conversion), or None when it has none.

        A cell that passes is one the reader's conversion leaves as it is (an IBAN in electronic form) or turns
        into a clean value (a decimal comma, see `clean.decimal_comma`)."""
        vector = self.spec.vectors.get(group.name)
        if vector is None or vector.kind != "object" or vector.spec is None:
            return self._clean.get(group.name)  # the reader converts the cells of no such group
        cells = {column.member: pl.col(field_name(column.field)) for column in group.columns}
        defaults = {"currency": "EUR"} if group.name == "instructedAmount" else {}
        amount = vector.spec.vectors.get("amount")
        vectors = {"amount": clean.decimal_comma(amount)} if amount is not None and self.delimiter != "," else {}
        return clean.object_clean(vector.spec, cells, defaults, vectors)

    def _quick_exact_expr(self) -> pl.Expr:
        """`_exact_expr` over cells as written: the same account is compared as written, since only IBANs in
        electronic form (which the reader leaves as they are) pass `_quick_expr`."""
        exact = self._structure_expr()
        debtor, creditor = self._iban_column("debtorAccount"), self._iban_column("creditorAccount")
        if debtor is not None and creditor is not None:
            debtor_cell, creditor_cell = pl.col(field_name(debtor.field)), pl.col(field_name(creditor.field))
            exact = exact | ((debtor_cell != "") & (debtor_cell == creditor_cell))
        return exact

    def _structure_expr(self) -> pl.Expr:
        """Rows a rule relating members may concern, but the same account: a mandatory member missing, both
        remittance forms, or a group whose first column is empty but another is not."""
        exact = pl.lit(False)
        for name in self.spec.required:
            exact = exact | ~self._by_name[name].present()
        for group in self.groups:
            if len(group.fields) > 1:
                first, *rest = group.fields
                exact = exact | ((pl.col(first) == "") & pl.any_horizontal([pl.col(name) != "" for name in rest]))
        if STRUCTURED in self._by_name and UNSTRUCTURED in self._by_name:
            exact = exact | (self._by_name[STRUCTURED].present() & self._by_name[UNSTRUCTURED].present())
        return exact

    def _exact_expr(self) -> pl.Expr:
        """Rows for the per-row validator: a rule relating members may apply, or the body's member order differs
        from the groups' order (a group whose first column is empty but another is not)."""
        exact = self._structure_expr()
        debtor, creditor = self._iban_column("debtorAccount"), self._iban_column("creditorAccount")
        if debtor is not None and creditor is not None:
            both = [debtor, creditor]
            same = cell_of(debtor, self.delimiter) == cell_of(creditor, self.delimiter)
            exact = exact | ((pl.col(field_name(debtor.field)) != "") & (same | ~ascii_cells(both)))
        return exact

    def _iban_column(self, group: str) -> Column | None:
        found = self._by_name.get(group)
        return next((c for c in found.columns if c.member == "iban"), None) if found else None

    # -- findings ------------------------------------------------------------------------------------------
    def findings(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The findings of `frame`'s rows, in line order, then in body order within a row.

        First the rows that surely have none are set aside by a cheap test of their cells as written (most rows of
        most files); the rest are checked as described in the module's documentation."""
        constant = _constant_columns(frame)
        quick = {_passed(group): self._quick_of(group, frame, constant) for group in self.groups}
        flagged = (frame.lazy().with_columns(_quick_exact=self._quick_exact, **quick)
                   .filter(pl.col("_quick_exact") | ~pl.all_horizontal(list(quick))).collect())
        return self._rest_findings(flagged) if flagged.height else _empty().drop("group", "seq")

    def _quick_of(self, group: Group, frame: pl.DataFrame, constant: set[str]) -> pl.Expr:
        """Whether each row's `group` passes its quick test; computed once when every row holds the same cells (a
        file's one debtor account, say: its columns are `constant`), since the test is a function of a row's cells."""
        passed = ~group.present() | self._quick_in(group, frame)
        if frame.height > 1 and constant.issuperset(group.fields):
            return pl.lit(frame.head(1).select(passed).item(), dtype=pl.Boolean)
        return passed

    def _quick_in(self, group: Group, frame: pl.DataFrame) -> pl.Expr:
        return self._quick[group.name] if group.name in self._quick else self._clean_in(group, frame)

    def _rest_findings(self, flagged: pl.DataFrame) -> pl.DataFrame:
        """The findings of rows some quick test flagged (`findings`): each group is checked further only in the
        rows whose quick test it failed (a group whose cells the reader converts, on its converted cells)."""
        columns = ["line", *(field_name(column.field) for column in self.header.columns)]
        exact = self._exact_rows(flagged, columns)
        parts = [self._exact_findings(exact)]
        rest = flagged.filter(~pl.col("line").is_in(exact["line"].implode())) if exact.height else flagged
        for group in self.groups:
            rows = rest.filter(~pl.col(_passed(group))).select("line", *group.fields)
            if rows.height and group.name in self._rewritten:
                converted_rows = with_converted(rows, group.columns, self.delimiter)
                rows = converted_rows.filter(~(~group.present() | self._clean[group.name])).select(rows.columns)
            if rows.height:
                parts.append(self._group_findings(group, rows))
        found = pl.concat([part for part in parts if part.height] or [_empty()], how="vertical")
        return found.sort("line", "group", "seq").drop("group", "seq")

    def _exact_rows(self, flagged: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
        """The flagged rows for the per-row validator (`_exact_expr`): only rows that `_quick_exact` flagged, or
        whose account the quick test did not pass as written, can be."""
        maybe = pl.col("_quick_exact")
        for group in ("debtorAccount", "creditorAccount"):
            if group in self._by_name:
                maybe = maybe | ~pl.col(_passed(self._by_name[group]))
        candidates = flagged.filter(maybe)
        if not candidates.height:
            return candidates.select(columns)
        return with_converted(candidates, self.header.columns, self.delimiter).filter(self._exact).select(columns)

    def _clean_in(self, group: Group, frame: pl.DataFrame) -> pl.Expr:
        """The group's vectorised acceptor; for a member without one, its distinct values are checked here (once
        per value, remembered) and a value is clean when its check found nothing."""
        if group.name in self._clean:
            return self._clean[group.name]
        faulty = [key for key in frame.select(group.fields).unique().iter_rows() if self._memo_findings(group, key)]
        if len(group.fields) == 1:
            return ~pl.col(group.fields[0]).is_in(pl.Series([key[0] for key in faulty], dtype=pl.String).implode())
        keys = pl.DataFrame(faulty, schema=dict.fromkeys(group.fields, pl.String), orient="row")
        return ~pl.struct(group.fields).is_in(keys.select(pl.struct(group.fields)).to_series().implode())

    def _group_findings(self, group: Group, suspect: pl.DataFrame) -> pl.DataFrame:
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
        records: list[dict[str, Any]] = []
        for key in suspect.select(group.fields).unique().iter_rows():
            for record in self._memo_findings(group, key):
                records.append(dict(zip(group.fields, key, strict=True)) | record)
        if not records:
            return _empty()
        schema: dict[str, pl.DataType | type[pl.DataType]] = dict.fromkeys(group.fields, pl.String)
        schema |= {k: v for k, v in FINDINGS_SCHEMA.items() if k != "line"}
        table = pl.DataFrame(records, schema=schema | _ORDER)
        return suspect.join(table, on=group.fields, how="inner").select(*FINDINGS_SCHEMA, *_ORDER)

    def _memo_findings(self, group: Group, key: tuple[str, ...]) -> list[dict[str, Any]]:
        found = self._memo.get((group.name, key))
        if found is None:
            row = [""] * self.header.width
            for column, cell in zip(group.columns, key, strict=True):
                row[column.field] = cell
            body = row_body(group.columns, row)
            ctx = Context(self.today)
            value = body.get(group.name)  # a string or an object: never None (an empty group is not in the body)
            if value is not None:  # the member's own check, as `check_object` calls it
                self.spec.checks[group.name](value, (group.name,), ctx)
            ordered = sort_in_body_order(body, ctx.issues)
            found = [self._record(issue, group.order, seq) for seq, issue in enumerate(ordered)]
            self._memo[(group.name, key)] = found
        return found

    def _exact_findings(self, rows: pl.DataFrame) -> pl.DataFrame:
        records = []
        for line, *row in rows.iter_rows():
            issues = row_issues(row_body(self.header.columns, row), self.header, "payments", self.today)
            records += [{"line": line} | self._record(issue, 0, seq) for seq, issue in enumerate(issues)]
        return pl.DataFrame(records, schema=FINDINGS_SCHEMA | _ORDER) if records else _empty()

    def _record(self, issue: Issue, group: int, seq: int) -> dict[str, Any]:
        return {
            "column": self.header.column(issue.loc), "path": issue.path, "cause": str(issue.cause), "code": issue.code,
            "severity": str(issue.severity), "message": issue.message, "group": group, "seq": seq,
        }


def _constant_columns(frame: pl.DataFrame) -> set[str]:
    """The cell columns of `frame` that hold one value in every row (found in one pass)."""
    if not frame.height:
        return set()
    cells = [name for name in frame.columns if name != "line"]
    same = frame.select((pl.col(name) == pl.col(name).first()).all() for name in cells).row(0)
    return {name for name, alike in zip(cells, same, strict=True) if alike}


def _passed(group: Group) -> str:
    """The column `findings` adds for whether `group` passed its quick test."""
    return f"_quick{group.order}"


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDINGS_SCHEMA | _ORDER)
