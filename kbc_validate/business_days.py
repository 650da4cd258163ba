"""Which days a SEPA credit transfer can be executed on: TARGET2 closing days and Belgian bank holidays.

SEPA settles on TARGET2 business days. TARGET2 closes on Saturdays, Sundays, New Year's Day, Good Friday, Easter
Monday, 1 May, Christmas Day and 26 December (ECB, https://www.ecb.europa.eu/press/pr/date/2000/html/pr001214_4.en.html).
Belgian banks also close on Belgian public and bank holidays (Ascension, 21 July, 1 and 11 November...), while
TARGET2 is open; KBC does not document which calendar it applies, so those days are only a warning.

The calendars come from the ``holidays`` package (``financial_holidays("XECB")`` and
``BE(categories=("public", "bank"))``), imported on first use and precomputed once per year: a lookup is then one
dictionary access.
"""

from __future__ import annotations

from datetime import date
from functools import cache


@cache
def target2_closing_days(year: int) -> dict[date, str]:
    """TARGET2 closing days of `year` (weekends aside), with their names."""
    import holidays

    return dict(holidays.financial_holidays("XECB", years=year, language="en_US"))


@cache
def belgian_bank_holidays(year: int) -> dict[date, str]:
    """Belgian public and bank holidays of `year`, with their names."""
    import holidays

    return dict(holidays.country_holidays("BE", years=year, categories=("public", "bank"), language="en_US"))


def target2_closing_day(day: date) -> str | None:
    """The name of the TARGET2 closing day `day` is, or None."""
    return target2_closing_days(day.year).get(day)


def belgian_bank_holiday(day: date) -> str | None:
    """The name of the Belgian public or bank holiday `day` is, or None."""
    return belgian_bank_holidays(day.year).get(day)
