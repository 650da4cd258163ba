"""Instructed amount and currency (KBC2xx)."""

from __future__ import annotations

import pytest

from kbc_validate import Cause
from tests.bodies import SINGLE, check, findings, with_value

AMOUNT = ("instructedAmount", "amount")
CURRENCY = ("instructedAmount", "currency")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param("1056", set(), id="whole euros"),
        pytest.param("5768.2", set(), id="one decimal"),
        pytest.param("0.01", set(), id="the minimum"),
        pytest.param("999999999.99", set(), id="the maximum"),
        pytest.param("0", {"KBC200"}, id="zero"),
        pytest.param("0.00", {"KBC200"}, id="zero with decimals"),
        pytest.param("-5.00", {"KBC200"}, id="negative, which the Berlin Group pattern admits"),
        pytest.param("-0", {"KBC200"}, id="minus zero"),
        pytest.param("0.000", {"KBC200"}, id="zero with three decimals is zero first"),
        pytest.param("+5", {"KBC201"}, id="plus sign"),
        pytest.param("12,50", {"KBC201"}, id="decimal comma, which the unanchored Berlin Group pattern admits"),
        pytest.param("1e2", {"KBC201"}, id="exponent"),
        pytest.param("NaN", {"KBC201"}, id="not a number"),
        pytest.param("Infinity", {"KBC201"}, id="infinity"),
        pytest.param(" 12.50", {"KBC201"}, id="leading space"),
        pytest.param("1_000", {"KBC201"}, id="underscore separator"),
        pytest.param("1.", {"KBC201"}, id="dot without decimals"),
        pytest.param(".5", {"KBC201"}, id="decimals without whole part"),
        pytest.param("١٢", {"KBC201"}, id="Arabic-Indic digits"),
        pytest.param("１２", {"KBC201"}, id="fullwidth digits"),
        pytest.param("", {"KBC201"}, id="empty"),
        pytest.param("1.234", {"KBC202"}, id="three decimals"),
        pytest.param("1000000000", {"KBC203"}, id="over the maximum"),
        pytest.param("9" * 5000, {"KBC203"}, id="5,000 digits: no big-integer conversion"),
        pytest.param("1000000000.001", {"KBC202", "KBC203"}, id="over the maximum and three decimals"),
        pytest.param("00012.50", {"KBC204"}, id="leading zeros are a warning"),
        pytest.param("0.5", set(), id="a single zero before the dot is not a leading zero"),
    ],
)
def test_amount(amount: str, expected: set[str]) -> None:
    assert findings(check(with_value(SINGLE, AMOUNT, amount))) == {(code, AMOUNT) for code in expected}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(12.5, "KBC103", id="a JSON number"),
        pytest.param(12, "KBC103", id="a JSON integer"),
        pytest.param(True, "KBC103", id="a boolean"),
        pytest.param({"value": "1"}, "KBC103", id="an object"),
    ],
)
def test_amount_of_the_wrong_json_type(value: object, expected: str) -> None:
    assert findings(check(with_value(SINGLE, AMOUNT, value))) == {(expected, AMOUNT)}


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        pytest.param("USD", "KBC210", id="another ISO code"),
        pytest.param("GBP", "KBC210", id="pound sterling: SEPA country, not euro"),
        pytest.param("eur", "KBC211", id="lower case"),
        pytest.param("EURO", "KBC211", id="four letters"),
        pytest.param("xEURx", "KBC211", id="passes the unanchored Berlin Group pattern"),
        pytest.param("€", "KBC211", id="the sign"),
        pytest.param(978, "KBC103", id="the numeric code as a number"),
    ],
)
def test_currency(currency: object, expected: str) -> None:
    report = check(with_value(SINGLE, CURRENCY, currency))
    assert findings(report) == {(expected, CURRENCY)}


def test_causes_of_amount_and_currency() -> None:
    report = check(with_value(with_value(SINGLE, AMOUNT, "-1"), CURRENCY, "USD"))
    assert {issue.cause for issue in report.issues} == {Cause.AMOUNT_NOT_POSITIVE, Cause.CURRENCY_NOT_EUR}


def test_leading_zeros_are_only_a_warning() -> None:
    report = check(with_value(SINGLE, AMOUNT, "007.00"))
    assert report.ok
    assert report.codes == ("KBC204",)
