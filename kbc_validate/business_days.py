"""Which days a SEPA credit transfer can be executed on: TARGET2 closing days and Belgian bank holidays.

SEPA settles on TARGET2 business days. TARGET2 closes on Saturdays, Sundays, New Year's Day, Good Friday, Easter
Monday, 1 May, Christmas Day and 26 December (ECB, https://www.ecb.europa.eu/press/pr/date/2000/html/pr001214_4.en.html).
Belgian banks also close on Belgian public and bank holidays (Ascension, 21 July, 1 and 11 November...), while
TARGET2 is open; KBC does not document which calendar it applies, so those days are only a warning.

The calendars come from the ``holidays`` package (``financial_holidays("XECB")`` and
``BE(categories=("public", "bank"))``). Those of the years `SHIPPED_YEARS` ship with kbc-validate, made by that
package (``data/closing_days.json``, which `write_shipped_table` writes; a test holds it to the installed
package): a process that meets only those years never imports it (about 0.15 s). Any other year is
asked of the package itself. A year is precomputed once into a table keyed by the ``YYYY-MM-DD`` text itself:
recognising a date and knowing its weekday and holidays is one dictionary access. The ``holidays`` package covers
years up to about 2100; later years have weekends only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple


class CalendarDay(NamedTuple):
    day: date
    weekday: int  # Monday is 0
    target2_closing: str | None  # the closing day's name, if TARGET2 is closed
    belgian_holiday: str | None  # the holiday's name, if Belgian banks are closed
    business: bool  # a weekday on which TARGET2 and Belgian banks are open (the three facts above, in one)


def calendar_day(text: str) -> CalendarDay | None:
    """The calendar facts of the real day `text` names exactly as ``YYYY-MM-DD``, or None.

    >>> calendar_day("2026-12-25").target2_closing
    'Christmas Day'
    >>> calendar_day("2026-02-30") is None, calendar_day("20261201") is None, calendar_day("2026-W49-2") is None
    (True, True, True)
    """
    known = LOADED_DAYS.get(text)
    if known is not None:
        return known
    head = text[:4]
    if len(text) != 10 or not (head.isascii() and head.isdigit()) or head == "0000":
        return None
    days = calendar_year(int(head))
    if len(LOADED_DAYS) >= LOADED_DAYS_MAX:
        LOADED_DAYS.clear()
    LOADED_DAYS.update(days)
    return days.get(text)


# Hot path: the days of the years met so far in one flat dictionary, so that a known date is one lookup.
LOADED_DAYS: dict[str, CalendarDay] = {}
LOADED_DAYS_MAX = 366 * 16


@lru_cache(maxsize=64)
def calendar_year(year: int) -> dict[str, CalendarDay]:
    """Every day of `year`, keyed by its ISO text."""
    target2, belgian = target2_closing_days(year), belgian_bank_holidays(year)
    days = map(date.fromordinal, range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1))
    return {day.isoformat(): _calendar_day(day, target2.get(day), belgian.get(day)) for day in days}


def _calendar_day(day: date, target2: str | None, belgian: str | None) -> CalendarDay:
    weekday = day.weekday()
    return CalendarDay(day, weekday, target2, belgian, weekday < 5 and not target2 and not belgian)


SHIPPED_YEARS = range(2000, 2076)
_SHIPPED = Path(__file__).with_name("data") / "closing_days.json"
ClosingDays = dict[str, dict[str, list[list[str]]]]  # JSON: calendar, then year, then [ISO day, name] pairs


def target2_closing_days(year: int) -> dict[date, str]:
    """TARGET2 closing days of `year` (weekends aside), with their names."""
    shipped = _shipped_year("target2", year)
    return shipped if shipped is not None else _ecb_closing_days(year)


def belgian_bank_holidays(year: int) -> dict[date, str]:
    """Belgian public and bank holidays of `year`, with their names."""
    shipped = _shipped_year("belgian", year)
    return shipped if shipped is not None else _belgian_holidays(year)


@lru_cache(maxsize=256)
def _shipped_year(calendar: str, year: int) -> dict[date, str] | None:
    if year not in SHIPPED_YEARS:
        return None
    days = _shipped().get(calendar, {}).get(str(year))
    return None if days is None else {date.fromisoformat(day): name for day, name in days}


@lru_cache(maxsize=1)
def _shipped() -> ClosingDays:
    """The shipped table; empty (every year asked of the holidays package) if an install lost it."""
    try:
        with _SHIPPED.open(encoding="utf-8") as handle:
            table: ClosingDays = json.load(handle)
    except (OSError, ValueError):
        return {}
    return table


@lru_cache(maxsize=64)
def _ecb_closing_days(year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.financial_holidays("XECB", years=year, language="en_US"))


@lru_cache(maxsize=64)
def _belgian_holidays(year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("BE", years=year, categories=("public", "bank"), language="en_US"))


def closing_days(years: Iterable[int]) -> ClosingDays:
    """Both calendars of `years` as the ``holidays`` package gives them, as JSON (the shipped table's form).

    >>> closing_days([2026])["target2"]["2026"][0]
    ['2026-01-01', "New Year's Day"]
    """
    calendars = {"target2": _ecb_closing_days, "belgian": _belgian_holidays}
    return {name: {str(year): [[day.isoformat(), holiday] for day, holiday in sorted(days(year).items())]
                   for year in years}
            for name, days in calendars.items()}


def shipped_table() -> str:
    """The text of ``data/closing_days.json``: the calendars of `SHIPPED_YEARS` from the ``holidays`` package, one
    year a line."""
    lines = []
    for calendar, years in closing_days(SHIPPED_YEARS).items():
        rows = [f"{json.dumps(year)}: {json.dumps(days, ensure_ascii=False)}" for year, days in years.items()]
        lines.append(f"{json.dumps(calendar)}: {{\n" + ",\n".join(rows) + "\n}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_shipped_table() -> None:
    """Write ``data/closing_days.json`` anew from the installed ``holidays`` package (then review the change):
    ``python -c "from kbc_validate.business_days import write_shipped_table; write_shipped_table()"``."""
    _SHIPPED.write_text(shipped_table(), encoding="utf-8")


def target2_closing_day(day: date) -> str | None:
    """The name of the TARGET2 closing day `day` is, or None."""
    return target2_closing_days(day.year).get(day)


def belgian_bank_holiday(day: date) -> str | None:
    """The name of the Belgian public or bank holiday `day` is, or None."""
    return belgian_bank_holidays(day.year).get(day)
