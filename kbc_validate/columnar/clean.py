"""Vectorised acceptors: polars expressions that are True only where the member's own acceptor is True.

Each member declares its `Vector` beside its rule (kbc_validate.rules); this module turns it into an expression over
the column of converted cells. Like an acceptor, an expression may leave a clean value unrecognised (the value is
then checked by the member's check, once per distinct value), never pass a faulty one. A property test holds every
expression to the member's check on generated and adversarial cells.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from kbc_validate.identifiers.registry import belgian_bank_codes
from kbc_validate.rules.members import BELGIAN_IBAN_SHAPE, OGM_SHAPE, ObjectSpec, Vector


def decimal_comma(vector: Vector) -> Vector:
    """An amount's vector for cells as written in a file whose delimiter is not a comma, where a decimal comma is
    read as a point: a comma may stand where the point does (such a cell is digits, a comma, digits, which the
    reader converts by turning the comma into a point; a cell without a comma is read as written)."""
    return vector._replace(pattern=vector.pattern.replace(r"\.", "[.,]"))


def anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


_BELGIAN_IBAN = anchored(BELGIAN_IBAN_SHAPE)
_OGM = anchored(OGM_SHAPE)


def member_clean(vector: Vector | None, cell: pl.Expr) -> pl.Expr:
    """True where the member with this vector is surely clean for the (non-empty, converted) `cell`."""
    if vector is None:
        return pl.lit(False)
    if vector.kind == "pattern":
        clean = cell.str.contains(anchored(vector.pattern))
        return clean & (cell.str.len_chars() <= vector.max_length) if vector.max_length else clean
    if vector.kind == "iban":
        return belgian_iban_clean(cell)
    return pl.lit(False)


def belgian_iban_clean(cell: pl.Expr) -> pl.Expr:
    """A Belgian IBAN: shape, check digits 02 to 98 with mod 97 = 1, national mod 97, an assigned bank code."""
    digits = cell.str.slice(2).cast(pl.Int64, strict=False)  # check digits (2) then the BBAN (12): 14 digits
    return cell.str.contains(_BELGIAN_IBAN) & digits.map_batches(_belgian_iban_digits, return_dtype=pl.Boolean)


def _belgian_iban_digits(digits: pl.Series) -> pl.Series:
    # Over the column once computed (an expression using `digits` several times would compute it as many times).
    check, bban = digits // 10**12, digits % 10**12
    return (
        check.is_between(2, 98)
        & ((bban * 1_000_000 + 111_400 + check) % 97 == 1)  # BBAN, "BE" as 1114, check digits
        & (_or_97(bban // 100 % 97) == bban % 100)
        & (bban // 10**9).is_in(_bank_numbers().implode())
    ).fill_null(False)


@cache
def _bank_numbers() -> pl.Series:
    return pl.Series(sorted(int(code) for code in belgian_bank_codes() if code.isdigit()), dtype=pl.Int64)


def ogm_clean(reference: pl.Expr) -> pl.Expr:
    """A Belgian structured communication, ``+++ddd/dddd/ddddd+++`` or 12 digits, whose check digits hold."""
    digits = reference.str.replace_all("/", "", literal=True).str.strip_chars("+").cast(pl.Int64, strict=False)
    return reference.str.contains(_OGM) & digits.map_batches(_ogm_digits, return_dtype=pl.Boolean)


def _ogm_digits(digits: pl.Series) -> pl.Series:
    return (_or_97(digits // 100 % 97) == digits % 100).fill_null(False)


def _or_97(remainder: pl.Series) -> pl.Series:
    """A mod 97 remainder, 97 for 0 (arithmetic: cheaper than a when/then over a whole column)."""
    return remainder + (remainder == 0).cast(pl.Int64) * 97


def object_clean(
    spec: ObjectSpec, cells: dict[str, pl.Expr], defaults: dict[str, str], vectors: dict[str, Vector] | None = None
) -> pl.Expr:
    """An object built from its member `cells` ("" when empty) is surely clean: every present member clean, every
    mandatory member present (or given a default by the CSV reader). `vectors` replace some members' own."""
    clean = pl.lit(True)
    for member, cell in cells.items():
        vector = (vectors or {}).get(member) or spec.vectors.get(member)
        clean = clean & ((cell == "") | member_clean(vector, cell))
    for member in spec.required:
        if member in defaults:
            continue
        required = cells.get(member)
        if required is None:
            return pl.lit(False)
        clean = clean & (required != "")
    return clean


def structured_clean(spec: ObjectSpec, cells: dict[str, pl.Expr], issuer_default: str | None) -> pl.Expr:
    """A structured remittance object whose reference is a valid Belgian structured communication: the issuer, if
    any, is not ISO (BBA or another name: the reference has the communication's shape, so it is checked as one)."""
    reference = cells.get("reference")
    if reference is None:
        return pl.lit(False)
    issuer = cells.get("referenceIssuer", pl.lit(""))
    effective = pl.when(issuer == "").then(pl.lit(issuer_default or "")).otherwise(issuer)
    return (
        object_clean(spec, cells, {})
        & ogm_clean(reference)
        & effective.str.contains(r"^[A-Za-z]*$")  # ASCII: compared upper-cased, as the rule does
        & (effective.str.to_uppercase() != "ISO")
    )
