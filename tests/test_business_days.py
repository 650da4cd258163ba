"""TARGET2 closing days and Belgian bank holidays, from the holidays package, precomputed per year."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from kbc_validate.business_days import belgian_bank_holiday, calendar_day, target2_closing_day


@pytest.mark.parametrize(
    ("day", "closing"),
    [
        pytest.param(date(2026, 1, 1), True, id="New Year"),
        pytest.param(date(2026, 4, 3), True, id="Good Friday 2026"),
        pytest.param(date(2026, 4, 6), True, id="Easter Monday 2026"),
        pytest.param(date(2026, 5, 1), True, id="Labour Day"),
        pytest.param(date(2026, 12, 25), True, id="Christmas"),
        pytest.param(date(2026, 12, 26), True, id="26 December"),
        pytest.param(date(2026, 5, 14), False, id="Ascension: TARGET2 open"),
        pytest.param(date(2026, 7, 21), False, id="Belgian National Day: TARGET2 open"),
    ],
)
def test_target2_closing_days(day: date, closing: bool) -> None:
    assert (target2_closing_day(day) is not None) is closing


@pytest.mark.parametrize(
    "day",
    [date(2026, 5, 14), date(2026, 5, 15), date(2026, 5, 25), date(2026, 7, 21), date(2026, 11, 11)],
    ids=["Ascension", "bank holiday after Ascension", "Whit Monday", "National Day", "Armistice"],
)
def test_belgian_bank_holidays(day: date) -> None:
    assert belgian_bank_holiday(day) is not None


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2030])
def test_precomputed_calendar_equals_the_holidays_package(year: int) -> None:
    target2 = holidays.financial_holidays("XECB", years=year)
    belgium = holidays.country_holidays("BE", years=year, categories=("public", "bank"))
    for text, day in ((d.isoformat(), d) for d in (date.fromordinal(o) for o in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1))):
        facts = calendar_day(text)
        assert facts is not None
        assert facts.day == day
        assert facts.weekday == day.weekday()
        assert (facts.target2_closing is not None) == (day in target2)
        assert (facts.belgian_holiday is not None) == (day in belgium)


@pytest.mark.parametrize("text", ["20261201", "2026-W49-2", "2026-02-30", "2026-1-01", "0000-01-01", "", "abcd-ef-gh"])
def test_calendar_day_refuses_what_is_not_an_exact_day(text: str) -> None:
    assert calendar_day(text) is None
