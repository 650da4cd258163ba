"""The checks of one value of a pain.001 element, by kind, made by the rules' own functions.

A value's findings depend on the value alone (and on today), so they are made once per distinct value with the
location ``()`` and moved to each place the value stands at. The kinds' acceptors (the rules' fast tests, held equal
to their checks by the rules' own tests) answer for the clean values without making a context; the findings of
values that fail them are remembered, at most `REMEMBERED` of them (a file repeats its faulty values: one misspelt
supplier name on every row).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from kbc_validate.findings import Issue
from kbc_validate.identifiers import bic, iban, ogm_vcs
from kbc_validate.rules.account import check_bic, check_iban
from kbc_validate.rules.amount import CLEAN_AMOUNT, check_amount, check_currency
from kbc_validate.rules.context import Context
from kbc_validate.rules.execution_date import check_execution_date
from kbc_validate.rules.remittance import accept_unstructured, check_ogm, check_rf, check_unstructured, reference_scheme
from kbc_validate.rules.text import check_text, is_clean_text

NAME_MAX = 70  # EPC: names are 70 characters, though the .09 schema allows 140
IDENTIFIER_MAX = 35
REMEMBERED = 1 << 12
_SLASHES = re.compile(r"^/|/$|//")
_XSD_DECIMAL = re.compile(r"\s*([+-]?)(\d*)(?:\.(\d*))?\s*")


def normal_decimal(text: str) -> str:
    """An XSD decimal as a JSON amount is written: no '+', no whitespace, digits on both sides of a '.'
    (``+5.`` is ``5``); anything else unchanged, for the amount rule to refuse."""
    match = _XSD_DECIMAL.fullmatch(text)
    if match is None or not (match.group(2) or match.group(3)):
        return text
    sign, whole, decimals = match.groups()
    number = (whole or "0") + (f".{decimals}" if decimals else "")
    return ("-" if sign == "-" else "") + number


def _identifier(value: str, ctx: Context) -> None:
    check_text(value, (), ctx, IDENTIFIER_MAX, identifier=True)
    if _SLASHES.search(value):
        ctx.report("KBC824", (), value)


def _reference(issuer: str) -> Callable[[str, Context], None]:
    """A structured creditor reference from issuer `issuer` (BBA: a Belgian structured communication; ISO: RF)."""
    def check(value: str, ctx: Context) -> None:
        check_text(value, (), ctx, IDENTIFIER_MAX, identifier=True)
        scheme = reference_scheme(value, issuer or None)
        if scheme == "ogm":
            if ogm_vcs.is_decorated(value):
                ctx.report("KBC819", (), value)
            check_ogm(value, (), ctx)
        elif scheme == "rf":
            check_rf(value, (), ctx)

    return check


def _text(most: int) -> Callable[[str, Context], None]:
    def check(value: str, ctx: Context) -> None:
        check_text(value, (), ctx, most)

    return check


CHECKS: dict[str, Callable[[str, Context], None]] = {
    "identifier": _identifier,
    "name": _text(NAME_MAX),
    "text70": _text(70),
    "text35": _text(35),
    "text16": _text(16),
    "iban": lambda value, ctx: check_iban(value, (), ctx),
    "bic": lambda value, ctx: check_bic(value, (), ctx),
    "currency": lambda value, ctx: check_currency(value, (), ctx),
    "amount": lambda value, ctx: check_amount(normal_decimal(value), (), ctx),  # xs:decimal: white space collapses
    "unstructured": lambda value, ctx: check_unstructured(value, (), ctx),
    "execution_date": lambda value, ctx: check_execution_date(value, (), ctx),
}
# Hot path: the clean values of the kinds every transaction has are recognised without a context.
ACCEPTS: dict[str, Callable[[str], bool]] = {
    "identifier": lambda value: is_clean_text(value, IDENTIFIER_MAX) and _SLASHES.search(value) is None,
    "name": lambda value: is_clean_text(value, NAME_MAX),
    "iban": iban.is_valid_for_sepa_payment,
    "bic": bic.is_valid_electronic,
    "currency": lambda value: value == "EUR",
    "amount": lambda value: CLEAN_AMOUNT.fullmatch(value) is not None,
    "unstructured": lambda value: accept_unstructured(value, None),  # type: ignore[arg-type]
}


class ValueChecks:
    """The findings of values of each kind, at location ``()``, for one document (one `today`)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._found: dict[tuple[str, str], tuple[Issue, ...]] = {}

    def issues(self, kind: str, value: str) -> tuple[Issue, ...]:
        accept = ACCEPTS.get(kind)
        if accept is not None and accept(value):
            return ()
        key = (kind, value)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= REMEMBERED:
                self._found.clear()
            ctx = Context(self.today)
            check = CHECKS[kind] if not kind.startswith("reference:") else _reference(kind[10:])
            check(value, ctx)
            found = self._found[key] = tuple(ctx.issues)
        return found


def reference_kind(issuer: str | None) -> str:
    """The kind of a structured reference given by `issuer` (compared as the rules compare issuers)."""
    return "reference:" + (issuer or "")
