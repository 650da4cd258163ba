"""Body shape: objects, mandatory, unknown and null members, JSON types (KBC1xx)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kbc_validate import Cause
from tests.bodies import SINGLE, check, findings, with_value, without


@pytest.mark.parametrize(
    "body",
    [
        pytest.param([SINGLE], id="a list"),
        pytest.param("{}", id="a JSON string"),
        pytest.param(None, id="null"),
        pytest.param(12, id="a number"),
        pytest.param(b"{}", id="bytes"),
        pytest.param(object(), id="any Python object"),
    ],
)
def test_body_that_is_not_an_object(body: Any) -> None:
    report = check(body)
    assert findings(report) == {("KBC100", ())}
    assert report.issues[0].cause is Cause.INVALID_FORMAT


def test_empty_body_reports_each_mandatory_member_once() -> None:
    report = check({})
    assert findings(report) == {
        ("KBC101", ("instructedAmount",)),
        ("KBC101", ("creditorAccount",)),
        ("KBC101", ("creditorName",)),
    }
    assert {issue.cause for issue in report.issues} == {Cause.MISSING_MANDATORY_PARAMETER}


def test_empty_bulk_body_requires_debtor_account_and_payments() -> None:
    assert findings(check({}, "bulk-payments")) == {("KBC101", ("payments",)), ("KBC101", ("debtorAccount",))}


def test_empty_periodic_body_adds_start_date_and_frequency() -> None:
    codes = findings(check({}, "periodic-payments"))
    assert {("KBC101", ("startDate",)), ("KBC101", ("frequency",))} <= codes
    assert len(codes) == 5


@pytest.mark.parametrize(
    ("loc", "value", "expected"),
    [
        pytest.param(("instructedAmount",), {}, {("KBC101", ("instructedAmount", "amount")), ("KBC101", ("instructedAmount", "currency"))}, id="nested empty object"),
        pytest.param(("instructedAmount",), None, {("KBC102", ("instructedAmount",))}, id="mandatory member null"),
        pytest.param(("endToEndIdentification",), None, {("KBC105", ("endToEndIdentification",))}, id="optional member null"),
        pytest.param(("creditorNmae",), "Typo NV", {("KBC104", ("creditorNmae",))}, id="unknown member (a typo)"),
        pytest.param(("ultimateCreditor",), "X", {("KBC104", ("ultimateCreditor",))}, id="member KBC does not support"),
        pytest.param(("instructedAmount",), "123.50", {("KBC103", ("instructedAmount",))}, id="a string for an object"),
        pytest.param(("instructedAmount",), [], {("KBC103", ("instructedAmount",))}, id="a list for an object"),
        pytest.param(("creditorName",), ["Merchant"], {("KBC103", ("creditorName",))}, id="a list for a string"),
        pytest.param(("instructedAmount", "amount"), Decimal("1"), {("KBC103", ("instructedAmount", "amount"))}, id="a Decimal is not JSON"),
        pytest.param(("instructedAmount", "amount"), float("nan"), {("KBC103", ("instructedAmount", "amount"))}, id="NaN"),
    ],
)
def test_member_shapes(loc: tuple[str, ...], value: Any, expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert findings(check(with_value(SINGLE, loc, value))) == expected


def test_unknown_and_null_optional_members_are_warnings() -> None:
    report = check(with_value(with_value(SINGLE, ("foo",), 1), ("endToEndIdentification",), None))
    assert report.ok
    assert {issue.code for issue in report.warnings} == {"KBC104", "KBC105"}


def test_non_string_keys_are_unknown_members() -> None:
    body = dict(SINGLE)
    body[1] = "x"  # type: ignore[index]
    assert findings(check(body)) == {("KBC104", (1,))}


def test_missing_mandatory_member_and_everything_else_is_collected() -> None:
    body = with_value(without(SINGLE, ("creditorName",)), ("instructedAmount", "amount"), "0")
    assert findings(check(body)) == {("KBC101", ("creditorName",)), ("KBC200", ("instructedAmount", "amount"))}
