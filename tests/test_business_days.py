"""TARGET2 closing days and Belgian bank holidays, from the holidays package, precomputed per year."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import holidays
import pytest

from kbc_validate import business_days
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


def test_shipped_table_is_what_the_holidays_package_gives() -> None:
    # Fails when the installed holidays package changes a shipped year: write the table anew (`write_shipped_table`)
    # and review the change.
    assert business_days._SHIPPED.read_text(encoding="utf-8") == business_days.shipped_table()


@pytest.mark.parametrize(("day", "imported"), [
    pytest.param("2027-03-29", False, id="Easter Monday of a shipped year: no holidays package"),
    pytest.param("2090-12-25", True, id="Christmas of a later year: asked of the holidays package"),
])
def test_holidays_package_imported_only_for_years_not_shipped(day: str, imported: bool) -> None:
    script = ("import sys\nfrom datetime import date\nfrom kbc_validate.business_days import calendar_day\n"
              f"facts = calendar_day({day!r})\n"
              "print(facts.target2_closing is not None, facts.business, 'holidays' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "False", str(imported)]


def test_a_lost_shipped_table_leaves_every_year_to_the_holidays_package(monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    monkeypatch.setattr(business_days, "_SHIPPED", tmp_path / "missing.json")
    business_days._shipped.cache_clear()
    business_days._shipped_year.cache_clear()
    try:
        assert business_days.target2_closing_days(2026) == business_days._ecb_closing_days(2026)
        assert business_days.belgian_bank_holidays(2026) == business_days._belgian_holidays(2026)
    finally:
        business_days._shipped.cache_clear()
        business_days._shipped_year.cache_clear()
