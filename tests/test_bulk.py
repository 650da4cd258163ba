"""The Berlin Group JSON bulk body (KBC8xx and the bulk-specific member rules)."""

from __future__ import annotations

from typing import Any

import pytest

from kbc_validate import Cause, Severity, validate_payment
from tests.bodies import BULK, SINGLE, TODAY, check, findings, with_value, without


def test_valid_bulk() -> None:
    assert check(BULK, "bulk-payments").issues == ()


def test_every_json_bulk_body_is_told_that_kbc_takes_bulk_only_as_pain001() -> None:
    """KBC answers bulk-payments/sepa-credit-transfers 404 (validate_request: KBC951); a JSON bulk body says so too,
    as a warning, first, and its payments are still checked."""
    clean = validate_payment(BULK, service="bulk-payments", today=TODAY)
    assert [(i.code, i.loc, i.severity, i.cause) for i in clean.issues] == [
        ("KBC802", (), Severity.WARNING, Cause.PAYMENT_PRODUCT_UNKNOWN)]
    assert clean.ok
    faulty = validate_payment(with_value(BULK, ("payments", 1, "instructedAmount", "amount"), "-1"),
                              service="bulk-payments", today=TODAY)
    assert faulty.codes == ("KBC802", "KBC200")
    assert not faulty.ok
    assert "KBC802" not in validate_payment(SINGLE, today=TODAY).codes
    assert validate_payment([], service="bulk-payments", today=TODAY).codes == ("KBC100",)  # not a bulk body


@pytest.mark.parametrize(
    ("loc", "value", "expected"),
    [
        pytest.param(("payments",), [], {("KBC800", ("payments",))}, id="empty payments list"),
        pytest.param(("payments",), {}, {("KBC103", ("payments",))}, id="payments as an object"),
        pytest.param(("payments", 0, "debtorAccount"), {"iban": "BE48735500000127"}, {("KBC801", ("payments", 0, "debtorAccount"))}, id="element with its own debtor"),
        pytest.param(("payments", 1, "requestedExecutionDate"), "2026-12-15", {("KBC801", ("payments", 1, "requestedExecutionDate"))}, id="element with its own date"),
        pytest.param(("payments", 0, "requestedExecutionTime"), "2026-12-15T10:00:00Z", {("KBC801", ("payments", 0, "requestedExecutionTime"))}, id="element with its own time"),
        pytest.param(("payments", 1, "instructedAmount", "amount"), "-1", {("KBC200", ("payments", 1, "instructedAmount", "amount"))}, id="second payment's amount"),
        pytest.param(("payments", 0), "payment", {("KBC103", ("payments", 0))}, id="an element that is not an object"),
        pytest.param(("batchBookingPreferred",), "true", {("KBC103", ("batchBookingPreferred",))}, id="boolean as a string, as in the spec's example"),
        pytest.param(("requestedExecutionDate",), "2026-11-28", {("KBC402", ("requestedExecutionDate",))}, id="bulk date on a Saturday"),
        pytest.param(("debtorName",), "N" * 71, {("KBC701", ("debtorName",))}, id="debtor name too long"),
    ],
)
def test_bulk_members(loc: tuple[Any, ...], value: Any, expected: set[tuple[str, tuple[Any, ...]]]) -> None:
    assert findings(check(with_value(BULK, loc, value), "bulk-payments")) == expected


def test_debtor_account_is_required_in_bulk() -> None:
    assert findings(check(without(BULK, ("debtorAccount",)), "bulk-payments")) == {("KBC101", ("debtorAccount",))}


def test_element_missing_creditor_name() -> None:
    body = without(BULK, ("payments", 0, "creditorName"))
    assert findings(check(body, "bulk-payments")) == {("KBC101", ("payments", 0, "creditorName"))}


def test_paths_render_with_list_indices() -> None:
    body = with_value(BULK, ("payments", 1, "creditorAccount", "iban"), "BE48735500000128")
    issue = check(body, "bulk-payments").issues[0]
    assert issue.path == "payments[1].creditorAccount.iban"
