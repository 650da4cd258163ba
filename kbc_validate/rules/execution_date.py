"""Dates: the exact ``YYYY-MM-DD`` form, not in the past, and on a day SEPA credit transfers are executed.

``date.fromisoformat`` alone accepts too much in Python 3.11 (``20261201``, ``2026-W49-2``), so the form is
checked with a pattern first. "Today" is the caller's `today` (Europe/Brussels by default), never a clock read
here. A date in the past gets only the past finding; a weekend only the weekend finding.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from kbc_validate.business_days import belgian_bank_holiday, target2_closing_day
from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_date(value: Any, loc: Loc, ctx: Context) -> date | None:
    """The date `value` names, or None after reporting why it names none."""
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a date string YYYY-MM-DD")
        return None
    parts = _DATE.fullmatch(value)
    if parts is None:
        ctx.report("KBC400", loc, value)
        return None
    try:
        return date(int(parts.group(1)), int(parts.group(2)), int(parts.group(3)))
    except ValueError:
        ctx.report("KBC400", loc, value)
        return None


def _check_not_past(day: date, value: str, loc: Loc, ctx: Context) -> bool:
    """Report a date before today or more than 365 days ahead; False when it is in the past."""
    if day < ctx.today:
        ctx.report("KBC401", loc, value, today=ctx.today.isoformat())
        return False
    if day > ctx.far_ahead:
        ctx.report("KBC405", loc, value, today=ctx.today.isoformat())
    return True


def check_execution_date(value: Any, loc: Loc, ctx: Context) -> None:
    """``requestedExecutionDate``: not past, not a weekend, not a TARGET2 closing day (a Belgian holiday warns)."""
    day = parse_date(value, loc, ctx)
    if day is None or not _check_not_past(day, value, loc, ctx):
        return
    weekday = day.weekday()
    if weekday >= 5:
        ctx.report("KBC402", loc, value, weekday=_WEEKDAYS[weekday])
        return
    closing = target2_closing_day(day)
    if closing:
        ctx.report("KBC403", loc, value, holiday=closing)
        return
    holiday = belgian_bank_holiday(day)
    if holiday:
        ctx.report("KBC404", loc, value, holiday=holiday)


def check_start_date(value: Any, loc: Loc, ctx: Context) -> None:
    """A standing order's ``startDate``: not past (a non-business day is moved by ``executionRule``)."""
    day = parse_date(value, loc, ctx)
    if day is not None:
        _check_not_past(day, value, loc, ctx)


def check_date(value: Any, loc: Loc, ctx: Context) -> None:
    """A date whose only rule here is its form (``endDate``; its order is checked by `check_period`)."""
    parse_date(value, loc, ctx)


def check_date_time(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a date-time string")
        return
    if _DATE_TIME.fullmatch(value) is None:
        ctx.report("KBC406", loc, value)
        return
    try:
        datetime.fromisoformat(value)
    except ValueError:
        ctx.report("KBC406", loc, value)


def check_period(body: dict[str, Any], loc: Loc, ctx: Context) -> None:
    """A standing order's ``endDate``, when given, is on or after its ``startDate``."""
    start, end = _quiet_date(body.get("startDate")), _quiet_date(body.get("endDate"))
    if start is not None and end is not None and end < start:
        ctx.report("KBC410", (*loc, "endDate"), body["endDate"], start=body["startDate"])


def _quiet_date(value: Any) -> date | None:
    """The date `value` names, or None; the member checks report malformed dates."""
    parts = _DATE.fullmatch(value) if isinstance(value, str) else None
    try:
        return date(int(parts.group(1)), int(parts.group(2)), int(parts.group(3))) if parts else None
    except ValueError:
        return None
