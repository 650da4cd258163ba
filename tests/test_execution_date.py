"""Execution dates (KBC4xx). TODAY is Tuesday 2026-11-24."""

from __future__ import annotations

from datetime import date

import pytest

from kbc_validate import Cause, validate_payment
from tests.bodies import PERIODIC, SINGLE, TODAY, check, findings, with_value

DATE = ("requestedExecutionDate",)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param("2026-11-24", set(), id="today is allowed"),
        pytest.param("2026-11-25", set(), id="tomorrow"),
        pytest.param("2027-11-24", set(), id="exactly 365 days ahead"),
        pytest.param("2026-11-23", {"KBC401"}, id="yesterday"),
        pytest.param("2026-11-22", {"KBC401"}, id="a past Sunday: only the past finding"),
        pytest.param("2026-11-28", {"KBC402"}, id="Saturday"),
        pytest.param("2026-11-29", {"KBC402"}, id="Sunday"),
        pytest.param("2026-12-26", {"KBC402"}, id="26 December 2026 is a Saturday: only the weekend finding"),
        pytest.param("2026-12-25", {"KBC403"}, id="Christmas Day: TARGET2 closed"),
        pytest.param("2027-01-01", {"KBC403"}, id="New Year's Day"),
        pytest.param("2027-03-26", {"KBC403"}, id="Good Friday 2027"),
        pytest.param("2027-03-29", {"KBC403"}, id="Easter Monday 2027"),
        pytest.param("2027-05-01", {"KBC402"}, id="1 May 2027 is a Saturday"),
        pytest.param("2027-05-06", {"KBC404"}, id="Ascension 2027: Belgian holiday, TARGET2 open (warning)"),
        pytest.param("2027-07-21", {"KBC404"}, id="Belgian National Day (warning)"),
        pytest.param("2027-11-11", {"KBC404"}, id="Armistice Day (warning)"),
        pytest.param("2027-11-25", {"KBC405"}, id="366 days ahead (warning)"),
        pytest.param("2026/12/15", {"KBC400"}, id="slashes"),
        pytest.param("20261215", {"KBC400"}, id="basic ISO form, which date.fromisoformat accepts"),
        pytest.param("2026-W51-2", {"KBC400"}, id="ISO week date, which date.fromisoformat accepts"),
        pytest.param("2026-12-15T00:00:00", {"KBC400"}, id="a date-time"),
        pytest.param("2026-02-29", {"KBC400"}, id="not a leap year"),
        pytest.param("2026-13-01", {"KBC400"}, id="month 13"),
        pytest.param("0000-01-01", {"KBC400"}, id="year zero"),
        pytest.param("١٢٣٤-01-01", {"KBC400"}, id="Arabic-Indic digits"),
        pytest.param("15-12-2026", {"KBC400"}, id="day first"),
        pytest.param(" 2026-12-15", {"KBC400"}, id="leading space"),
    ],
)
def test_requested_execution_date(day: str, expected: set[str]) -> None:
    assert findings(check(with_value(SINGLE, DATE, day))) == {(code, DATE) for code in expected}


def test_date_causes() -> None:
    assert check(with_value(SINGLE, DATE, "2026-11-23")).issues[0].cause is Cause.EXECUTION_DATE_IN_PAST
    assert check(with_value(SINGLE, DATE, "2026-11-28")).issues[0].cause is Cause.INVALID_EXECUTION_DATE
    assert check(with_value(SINGLE, DATE, "2026/12/15")).issues[0].cause is Cause.INVALID_FORMAT


def test_warnings_do_not_make_the_report_fail() -> None:
    assert check(with_value(SINGLE, DATE, "2027-05-06")).ok


def test_far_future_years_have_weekends_and_no_crash() -> None:
    report = validate_payment(with_value(SINGLE, DATE, "9999-12-31"), today=TODAY)
    assert report.codes == ("KBC405",)  # a Friday, beyond the holiday calendars


def test_today_at_the_end_of_time_does_not_overflow() -> None:
    assert validate_payment(with_value(SINGLE, DATE, "9999-12-31"), today=date(9999, 12, 31)).ok


def test_date_as_a_number_is_a_type_error() -> None:
    assert findings(check(with_value(SINGLE, DATE, 20261215))) == {("KBC103", DATE)}


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        pytest.param("2026-12-15T10:30:00+01:00", set(), id="with offset"),
        pytest.param("2026-12-15T10:30:00.123Z", set(), id="UTC with fraction"),
        pytest.param("2026-12-15T10:30:00", {"KBC406"}, id="no time zone"),
        pytest.param("2026-12-15 10:30:00Z", {"KBC406"}, id="space instead of T"),
        pytest.param("2026-12-15T25:00:00Z", {"KBC406"}, id="hour 25"),
    ],
)
def test_requested_execution_time(time: str, expected: set[str]) -> None:
    loc = ("requestedExecutionTime",)
    assert findings(check(with_value(SINGLE, loc, time))) == {(code, loc) for code in expected}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param("2026-11-24", None, set(), id="starts today, no end"),
        pytest.param("2026-11-28", None, set(), id="starts on a Saturday: executionRule moves it"),
        pytest.param("2026-12-25", None, set(), id="starts on a TARGET2 closing day: fine"),
        pytest.param("2026-11-23", None, {("KBC401", ("startDate",))}, id="starts yesterday"),
        pytest.param("2027-12-01", None, {("KBC405", ("startDate",))}, id="starts more than a year ahead"),
        pytest.param("2026-12-01", "2026-12-01", set(), id="ends the day it starts"),
        pytest.param("2026-12-01", "2026-11-30", {("KBC410", ("endDate",))}, id="ends before it starts"),
        pytest.param("2026-12-01", "2026-30-11", {("KBC400", ("endDate",))}, id="malformed end, no order finding"),
        pytest.param("bad", "2026-11-30", {("KBC400", ("startDate",))}, id="malformed start, no order finding"),
    ],
)
def test_periodic_period(start: str, end: str | None, expected: set[tuple[str, tuple[str, ...]]]) -> None:
    body = with_value(PERIODIC, ("startDate",), start)
    body = with_value(body, ("endDate",), end) if end else {k: v for k, v in body.items() if k != "endDate"}
    assert findings(check(body, "periodic-payments")) == expected


def test_end_before_start_is_an_execution_date_cause() -> None:
    report = check(with_value(PERIODIC, ("endDate",), "2026-11-30"), "periodic-payments")
    assert [issue.cause for issue in report.issues] == [Cause.INVALID_EXECUTION_DATE]


def test_requested_execution_date_in_a_periodic_body_is_unknown() -> None:
    body = with_value(PERIODIC, DATE, "2026-12-15")
    assert findings(check(body, "periodic-payments")) == {("KBC104", DATE)}
