"""Dates: the exact ``YYYY-MM-DD`` form, not in the past, and on a day SEPA credit transfers are executed.

``date.fromisoformat`` alone accepts too much in Python 3.11 (``20261201``, ``2026-W49-2``); a date here is
recognised by looking its exact text up in the precomputed calendar (`business_days.calendar_day`), which also
knows its weekday and holidays. "Today" is the caller's `today` (Europe/Brussels by default), never a clock read
here. A date in the past gets only the past finding; a weekend only the weekend finding.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from kbc_validate.business_days import LOADED_DAYS, CalendarDay, calendar_day
from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Member

_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_date(value: Any, loc: Loc, ctx: Context) -> CalendarDay | None:
    """The day `value` names, or None after reporting why it names none."""
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a date string YYYY-MM-DD")
        return None
    day = calendar_day(value)
    if day is None:
        ctx.report("KBC400", loc, value)
    return day


def _check_not_past(day: CalendarDay, value: str, loc: Loc, ctx: Context) -> bool:
    """Report a date before today or more than 365 days ahead; False when it is in the past."""
    if day.day < ctx.today:
        ctx.report("KBC401", loc, value, today=ctx.today.isoformat())
        return False
    if day.day > ctx.far_ahead:
        ctx.report("KBC405", loc, value, today=ctx.today.isoformat())
    return True


def check_execution_date(value: Any, loc: Loc, ctx: Context) -> None:
    """``requestedExecutionDate``: not past, not a weekend, not a TARGET2 closing day (a Belgian holiday warns)."""
    day = parse_date(value, loc, ctx)
    if day is None or not _check_not_past(day, value, loc, ctx):
        return
    if day.weekday >= 5:
        ctx.report("KBC402", loc, value, weekday=_WEEKDAYS[day.weekday])
    elif day.target2_closing:
        ctx.report("KBC403", loc, value, holiday=day.target2_closing)
    elif day.belgian_holiday:
        ctx.report("KBC404", loc, value, holiday=day.belgian_holiday)


def accept_execution_date(value: Any, ctx: Context) -> bool:
    day = (LOADED_DAYS.get(value) or calendar_day(value)) if type(value) is str else None
    return day is not None and day.business and ctx.today <= day.day <= ctx.far_ahead


def check_start_date(value: Any, loc: Loc, ctx: Context) -> None:
    """A standing order's ``startDate``: not past (a non-business day is moved by ``executionRule``)."""
    day = parse_date(value, loc, ctx)
    if day is not None:
        _check_not_past(day, value, loc, ctx)


def accept_start_date(value: Any, ctx: Context) -> bool:
    day = calendar_day(value) if isinstance(value, str) else None
    return day is not None and ctx.today <= day.day <= ctx.far_ahead


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


EXECUTION_DATE = Member(check_execution_date, accept_execution_date)
START_DATE = Member(check_start_date, accept_start_date)
END_DATE = Member(check_date, lambda value, ctx: isinstance(value, str) and calendar_day(value) is not None)
DATE_TIME = Member(check_date_time)


def check_period(body: dict[str, Any], loc: Loc, ctx: Context) -> None:
    """A standing order's ``endDate``, when given, is on or after its ``startDate``."""
    start, end = body.get("startDate"), body.get("endDate")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    start_day, end_day = calendar_day(start), calendar_day(end)
    if start_day is not None and end_day is not None and end_day.day < start_day.day:
        ctx.report("KBC410", (*loc, "endDate"), end, start=start)
