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
from kbc_validate.identifiers.registry import belgian_bank_codes, iban_countries
from kbc_validate.identifiers.sepa_scope import SEPA_IBAN_COUNTRIES
from kbc_validate.rules.amount import CURRENCY
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import (
    ANY_OBJECT,
    ANY_STRING,
    Member,
    Vector,
    check_object,
    is_clean_object,
    object_spec,
)

_IDENTIFIERS = ("iban", "bban", "pan", "maskedPan", "msisdn", "other")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def check_iban(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
        return
    valid = _report_iban_errors(value, value, loc, ctx)
    if not valid and iban.compact(value) != value:
        # Written in paper form ("BE36 7340 ..."): also say whether the number itself is right.
        _report_iban_errors(iban.compact(value), value, loc, ctx, skip=("KBC302",))
    country = value[:2]
    if country not in SEPA_IBAN_COUNTRIES:
        if country in iban_countries():
            ctx.report("KBC310", loc, value, country=country)
    elif valid and country == "BE" and value[4:7] not in belgian_bank_codes():
        ctx.report("KBC311", loc, value, bank_code=value[4:7])


def _report_iban_errors(
    number: str, value: str, loc: Loc, ctx: Context, skip: tuple[str, ...] = ()
) -> bool:
    error = iban.validation_error(number)
    if error is None:
        return True
    if error.code not in skip:
        ctx.report(error.code, loc, value, **error.ctx)
    return False


def accept_iban(value: Any, ctx: Context) -> bool:
    return isinstance(value, str) and iban.is_valid_for_sepa_payment(value)


def check_bic(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
        return
    try:
        bic.validate_electronic(value)
    except ValidationError as error:
        ctx.report(error.code, loc, value)


def accept_bic(value: Any, ctx: Context) -> bool:
    return isinstance(value, str) and bic.is_valid_electronic(value)


def check_country_code(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
    elif not _COUNTRY_CODE.fullmatch(value):
        ctx.report("KBC331", loc, value)


BIC = Member(check_bic, accept_bic)
COUNTRY_CODE = Member(
    check_country_code,
    lambda value, ctx: isinstance(value, str) and _COUNTRY_CODE.fullmatch(value) is not None,
    Vector("pattern", _COUNTRY_CODE.pattern),
)
ACCOUNT = object_spec(
    {
        "iban": Member(check_iban, accept_iban, Vector("iban")),
        "bban": ANY_STRING,
        "pan": ANY_STRING,
        "maskedPan": ANY_STRING,
        "msisdn": ANY_STRING,
        "other": ANY_OBJECT,
        "currency": CURRENCY,
        "cashAccountType": ANY_STRING,
    },
    required=("iban",),
)


def _check_account(value: Any, loc: Loc, ctx: Context) -> None:
    """Check an account reference."""
    if not check_object(value, loc, ACCOUNT, ctx):
        return
    present = [key for key in _IDENTIFIERS if value.get(key) is not None] if len(value) > 1 else ()
    if len(present) > 1:
        ctx.report("KBC301", loc, ", ".join(present))


def _account_number(value: Any) -> str | None:
    """The IBAN of an account reference, as written, if it has one (whatever the findings about it)."""
    number = value.get("iban") if isinstance(value, dict) else None
    return number if isinstance(number, str) else None


def _accept_account(value: Any, ctx: Context) -> str | None:
    """The IBAN of an account reference `_check_account` would report nothing about, else None."""
    if is_clean_object(value, ACCOUNT, ctx) and sum(key in value for key in _IDENTIFIERS) == 1:
        return value["iban"]  # type: ignore[no-any-return]
    return None


def comparable(number: str) -> str:
    """An account number as accounts are compared: without spaces, in upper case."""
    return number.replace(" ", "").upper()


def check_debtor_account(value: Any, loc: Loc, ctx: Context) -> None:
    _check_account(value, loc, ctx)
    note_debtor_account(value, loc, ctx)


def note_debtor_account(value: Any, loc: Loc, ctx: Context) -> None:
    """Keep the debtor's IBAN for `check_same_account` (its check does; so may a caller that has the account's own
    findings from elsewhere)."""
    number = _account_number(value)
    ctx.debtor_iban = None if number is None else comparable(number)


def accept_debtor_account(value: Any, ctx: Context) -> bool:
    # Hot path: the usual {"iban": ...} is accepted in place, without the generic walk.
    number = value.get("iban") if type(value) is dict and len(value) == 1 else None
    if type(number) is not str or not iban.is_valid_for_sepa_payment(number):
        number = _accept_account(value, ctx)
    ctx.debtor_iban = number  # an accepted IBAN is already in comparable form
    return number is not None


def check_creditor_account(value: Any, loc: Loc, ctx: Context) -> None:
    _check_account(value, loc, ctx)
    note_creditor_account(value, loc, ctx)


def note_creditor_account(value: Any, loc: Loc, ctx: Context) -> None:
    """Keep a creditor's IBAN, and where it is, for `check_same_account` (as `note_debtor_account`)."""
    number = _account_number(value)
    if number is not None:
        ctx.creditor_ibans.append(((*loc, "iban"), number))


def accept_creditor_account(value: Any, ctx: Context) -> bool:
    number = value.get("iban") if type(value) is dict and len(value) == 1 else None  # as for the debtor
    if type(number) is not str or not iban.is_valid_for_sepa_payment(number):
        number = _accept_account(value, ctx)
    if number is None:
        return False
    ctx.creditor_ibans.append(((), number))
    return True


DEBTOR_ACCOUNT = Member(check_debtor_account, accept_debtor_account, Vector("object", spec=ACCOUNT))
CREDITOR_ACCOUNT = Member(check_creditor_account, accept_creditor_account, Vector("object", spec=ACCOUNT))


def check_same_account(ctx: Context) -> None:
    """Report each creditor account equal to the debtor account."""
    if ctx.debtor_iban is None:
        return
    for loc, number in ctx.creditor_ibans:
        if comparable(number) == ctx.debtor_iban:
            ctx.report("KBC320", loc, number)


def accept_same_account(ctx: Context) -> bool:
    """True only when `check_same_account` would report nothing (after the accounts were accepted)."""
    debtor = ctx.debtor_iban
    if debtor is None:
        return True
    for _, number in ctx.creditor_ibans:  # noqa: SIM110 - a loop: faster than all() over a generator here
        if number == debtor:
            return False
    return True
