"""Instructed amount: a positive euro amount written as digits, at most two decimals, at most 999999999.99.

The Berlin Group pattern ``-?[0-9]{1,14}(\\.[0-9]{1,3})?`` admits zero, negative amounts and three decimals; the
EPC SEPA Credit Transfer rulebook and KBC refuse them. Amounts are compared as strings, never converted: a
5,000-digit amount must not cost a big-integer conversion (or hit Python's digit limit).
"""

from __future__ import annotations

import re
from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Member, Vector, check_object, object_spec

_NUMBER = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_MAX_WHOLE_DIGITS = 9  # 999999999.99
# Fast path: 0.01 to 999999999.99, no leading zero, at most two decimals.
CLEAN_AMOUNT = re.compile(r"[1-9][0-9]{0,8}(?:\.[0-9]{1,2})?|0\.(?:[1-9][0-9]?|0[1-9])")


def check_amount(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string such as \"12.50\"")
        return
    number = _NUMBER.fullmatch(value)
    if number is None:
        ctx.report("KBC201", loc, value)
        return
    sign, whole, decimals = number.group(1), number.group(2), number.group(3) or ""
    if sign or (not whole.strip("0") and not decimals.strip("0")):
        ctx.report("KBC200", loc, value)
        return
    if len(decimals) > 2:
        ctx.report("KBC202", loc, value, decimals=len(decimals))
    if len(whole.lstrip("0")) > _MAX_WHOLE_DIGITS:
        ctx.report("KBC203", loc, value)
    elif len(whole) > 1 and whole[0] == "0":
        ctx.report("KBC204", loc, value)


def check_currency(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
    elif value == "EUR":
        return
    elif _CURRENCY_CODE.fullmatch(value):
        ctx.report("KBC210", loc, value)
    else:
        ctx.report("KBC211", loc, value)


def accept_amount(value: Any, ctx: Context) -> bool:
    return isinstance(value, str) and CLEAN_AMOUNT.fullmatch(value) is not None


def accept_currency(value: Any, ctx: Context) -> bool:
    return isinstance(value, str) and value == "EUR"


CURRENCY = Member(check_currency, accept_currency, Vector("pattern", "EUR"))
AMOUNT = object_spec(
    {"amount": Member(check_amount, accept_amount, Vector("pattern", CLEAN_AMOUNT.pattern)), "currency": CURRENCY},
    required=("amount", "currency"),
)


def check_instructed_amount(value: Any, loc: Loc, ctx: Context) -> None:
    check_object(value, loc, AMOUNT, ctx)


def accept_instructed_amount(value: Any, ctx: Context) -> bool:
    # The generic walk, specialised to the two members an amount has.
    if type(value) is not dict or len(value) != 2:
        return False
    amount, currency = value.get("amount"), value.get("currency")
    return type(currency) is str and currency == "EUR" and type(amount) is str and bool(CLEAN_AMOUNT.fullmatch(amount))


INSTRUCTED_AMOUNT = Member(check_instructed_amount, accept_instructed_amount, Vector("object", spec=AMOUNT))
