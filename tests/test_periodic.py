"""A standing order's schedule (KBC5xx)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bodies import PERIODIC, check, findings, with_value, without


def _periodic(**members: Any) -> dict[str, Any]:
    body = dict(PERIODIC)
    for name, value in members.items():
        if value is ...:
            body.pop(name, None)
        else:
            body[name] = value
    return body


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        pytest.param({"frequency": "Quarterly"}, set(), id="quarterly"),
        pytest.param({"frequency": "monthly"}, {("KBC500", ("frequency",))}, id="codes are case-sensitive"),
        pytest.param({"frequency": "Fortnightly"}, {("KBC500", ("frequency",))}, id="not a code"),
        pytest.param({"frequency": 12}, {("KBC103", ("frequency",))}, id="a number"),
        pytest.param({"frequency": ...}, {("KBC101", ("frequency",))}, id="missing"),
        pytest.param({"dayOfExecution": "31"}, set(), id="31 is the last day of the month"),
        pytest.param({"dayOfExecution": "01"}, {("KBC501", ("dayOfExecution",))}, id="leading zero, as in the spec's example"),
        pytest.param({"dayOfExecution": "32"}, {("KBC501", ("dayOfExecution",))}, id="day 32"),
        pytest.param({"dayOfExecution": "0"}, {("KBC501", ("dayOfExecution",))}, id="day 0"),
        pytest.param({"dayOfExecution": 1}, {("KBC103", ("dayOfExecution",))}, id="a number"),
        pytest.param({"executionRule": "preceding"}, set(), id="preceding"),
        pytest.param({"executionRule": "Following"}, {("KBC505", ("executionRule",))}, id="capitalised"),
        pytest.param({"executionRule": "next"}, {("KBC505", ("executionRule",))}, id="not a rule"),
        pytest.param(
            {"frequency": "MonthlyVariable", "monthsOfExecution": ["1", "4", "7", "10"]}, set(), id="variable months"
        ),
        pytest.param(
            {"frequency": "MonthlyVariable"},
            {("KBC503", ("monthsOfExecution",))},
            id="MonthlyVariable without months",
        ),
        pytest.param(
            {"monthsOfExecution": ["1", "4"]},
            {("KBC502", ("monthsOfExecution",))},
            id="months with frequency Monthly",
        ),
        pytest.param(
            {"frequency": "MonthlyVariable", "monthsOfExecution": ["01"]},
            {("KBC504", ("monthsOfExecution",))},
            id="leading zero month",
        ),
        pytest.param(
            {"frequency": "MonthlyVariable", "monthsOfExecution": ["1", "1"]},
            {("KBC504", ("monthsOfExecution",))},
            id="repeated month",
        ),
        pytest.param(
            {"frequency": "MonthlyVariable", "monthsOfExecution": [str(m) for m in range(1, 13)]},
            {("KBC504", ("monthsOfExecution",))},
            id="twelve months (use Monthly)",
        ),
        pytest.param(
            {"frequency": "MonthlyVariable", "monthsOfExecution": []},
            {("KBC504", ("monthsOfExecution",))},
            id="no month",
        ),
        pytest.param(
            {"frequency": "MonthlyVariable", "monthsOfExecution": "1,4"},
            {("KBC103", ("monthsOfExecution",))},
            id="a string instead of a list",
        ),
        pytest.param(
            {"frequency": ["Monthly"], "monthsOfExecution": ["1"]},
            {("KBC103", ("frequency",))},
            id="an unhashable frequency does not crash the schedule rule",
        ),
    ],
)
def test_schedule(members: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert findings(check(_periodic(**members), "periodic-payments")) == expected


def test_start_date_is_required() -> None:
    assert findings(check(without(PERIODIC, ("startDate",)), "periodic-payments")) == {("KBC101", ("startDate",))}


def test_debtor_account_is_optional_for_periodic_payments() -> None:
    assert check(with_value(PERIODIC, ("debtorAccount",), {"iban": "BE36734012345681"}), "periodic-payments").ok
