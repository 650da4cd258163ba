"""Account references and agents: one identifier, an IBAN valid in SEPA, a BIC of the Berlin Group form.

Debtor and creditor IBANs are collected in the context so that `check_same_account` can compare them once the
whole body has been read (a bulk body has one debtor and many creditors).
"""

from __future__ import annotations

import re
from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.identifiers import bic, iban
from kbc_validate.identifiers.errors import ValidationError
from kbc_validate.identifiers.registry import iban_countries
from kbc_validate.identifiers.sepa_scope import SEPA_IBAN_COUNTRIES
from kbc_validate.rules.amount import check_currency
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import ObjectSpec, check_object, expect_object, expect_string

_IDENTIFIERS = ("iban", "bban", "pan", "maskedPan", "msisdn", "other")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def check_iban(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
        return
    try:
        iban.validate_electronic(value)
    except ValidationError as error:
        ctx.report(error.code, loc, value, **error.ctx)
        valid = False
    else:
        valid = True
    country = value[:2]
    if country not in SEPA_IBAN_COUNTRIES and country in iban_countries():
        ctx.report("KBC310", loc, value, country=country)
    elif valid and country == "BE" and not iban.belgian_bank_code_assigned(value):
        ctx.report("KBC311", loc, value, bank_code=value[4:7])


def check_bic(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
        return
    try:
        bic.validate_electronic(value)
    except ValidationError as error:
        ctx.report(error.code, loc, value)


def check_country_code(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
    elif not _COUNTRY_CODE.fullmatch(value):
        ctx.report("KBC331", loc, value)


ACCOUNT = ObjectSpec(
    {
        "iban": check_iban,
        "bban": expect_string,
        "pan": expect_string,
        "maskedPan": expect_string,
        "msisdn": expect_string,
        "other": expect_object,
        "currency": check_currency,
        "cashAccountType": expect_string,
    },
    required=("iban",),
)


def _check_account(value: Any, loc: Loc, ctx: Context) -> str | None:
    """Check an account reference; return its IBAN, if it has one."""
    if not check_object(value, loc, ACCOUNT, ctx):
        return None
    present = [key for key in _IDENTIFIERS if value.get(key) is not None]
    if len(present) > 1:
        ctx.report("KBC301", loc, ", ".join(present))
    number = value.get("iban")
    return number if isinstance(number, str) else None


def comparable(number: str) -> str:
    """An account number as accounts are compared: without spaces, in upper case."""
    return number.replace(" ", "").upper()


def check_debtor_account(value: Any, loc: Loc, ctx: Context) -> None:
    number = _check_account(value, loc, ctx)
    ctx.debtor_iban = None if number is None else comparable(number)


def check_creditor_account(value: Any, loc: Loc, ctx: Context) -> None:
    number = _check_account(value, loc, ctx)
    if number is not None:
        ctx.creditor_ibans.append(((*loc, "iban"), number))


def check_same_account(ctx: Context) -> None:
    """Report each creditor account equal to the debtor account."""
    if ctx.debtor_iban is None:
        return
    for loc, number in ctx.creditor_ibans:
        if comparable(number) == ctx.debtor_iban:
            ctx.report("KBC320", loc, number)
