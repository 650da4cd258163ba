"""A standing order's schedule: frequency, day and months of execution, execution rule.

Codes and values are Berlin Group's (``frequencyCode``, ``dayOfExecution``, ``monthsOfExecution``,
``executionRule``); they are case-sensitive, and day and month numbers have no leading zero.
"""

from __future__ import annotations

from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Member

FREQUENCIES = (
    "Daily", "Weekly", "EveryTwoWeeks", "Monthly", "EveryTwoMonths", "Quarterly", "SemiAnnual", "Annual",
    "MonthlyVariable",
)
_FREQUENCY_SET = frozenset(FREQUENCIES)
_DAYS = frozenset(str(day) for day in range(1, 32))
_MONTHS = frozenset(str(month) for month in range(1, 13))
_EXECUTION_RULES = frozenset({"following", "preceding"})
_MAX_MONTHS = 11


def check_frequency(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
    elif value not in _FREQUENCY_SET:
        ctx.report("KBC500", loc, value, expected=", ".join(FREQUENCIES))


def check_day_of_execution(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string such as \"1\"")
    elif value not in _DAYS:
        ctx.report("KBC501", loc, value)


def check_months_of_execution(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, list):
        ctx.report("KBC103", loc, value, expected="a list of month numbers")
    elif not _months_valid(value):
        ctx.report("KBC504", loc, value)


def _months_valid(months: list[Any]) -> bool:
    """1 to 11 distinct month numbers "1".."12"."""
    if not 1 <= len(months) <= _MAX_MONTHS:
        return False
    return all(isinstance(month, str) and month in _MONTHS for month in months) and len(set(months)) == len(months)


def check_execution_rule(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
    elif value not in _EXECUTION_RULES:
        ctx.report("KBC505", loc, value)


FREQUENCY = Member(check_frequency, lambda value, ctx: isinstance(value, str) and value in _FREQUENCY_SET)
DAY_OF_EXECUTION = Member(check_day_of_execution, lambda value, ctx: isinstance(value, str) and value in _DAYS)
MONTHS_OF_EXECUTION = Member(
    check_months_of_execution, lambda value, ctx: isinstance(value, list) and _months_valid(value)
)
EXECUTION_RULE = Member(
    check_execution_rule, lambda value, ctx: isinstance(value, str) and value in _EXECUTION_RULES
)


def check_schedule(body: dict[str, Any], loc: Loc, ctx: Context) -> None:
    """monthsOfExecution is present if and only if the frequency is MonthlyVariable."""
    frequency = body.get("frequency")
    if not isinstance(frequency, str):
        return
    has_months = body.get("monthsOfExecution") is not None
    if frequency == "MonthlyVariable" and not has_months:
        ctx.report("KBC503", (*loc, "monthsOfExecution"), None)
    elif has_months and frequency in _FREQUENCY_SET and frequency != "MonthlyVariable":
        ctx.report("KBC502", (*loc, "monthsOfExecution"), body["monthsOfExecution"], frequency=frequency)
