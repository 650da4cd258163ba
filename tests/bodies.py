"""Valid example bodies and small helpers shared by the tests. TODAY is a Tuesday."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from kbc_validate import Report, validate_payment

TODAY = date(2026, 11, 24)

DEBTOR_IBAN = "BE36734012345681"  # KBC
CREDITOR_IBAN = "BE56363123456788"  # ING

SINGLE: dict[str, Any] = {
    "endToEndIdentification": "INV-2026-0042",
    "debtorAccount": {"iban": DEBTOR_IBAN},
    "instructedAmount": {"currency": "EUR", "amount": "123.50"},
    "creditorAccount": {"iban": CREDITOR_IBAN},
    "creditorName": "Merchant NV",
    "remittanceInformationUnstructured": "+++010/8068/17183+++",
    "requestedExecutionDate": "2026-12-15",
}

PERIODIC: dict[str, Any] = {
    "instructedAmount": {"currency": "EUR", "amount": "50.00"},
    "creditorAccount": {"iban": CREDITOR_IBAN},
    "creditorName": "Verhuur BV",
    "remittanceInformationUnstructured": "Huur",
    "startDate": "2026-12-01",
    "endDate": "2027-06-30",
    "frequency": "Monthly",
    "dayOfExecution": "1",
    "executionRule": "following",
}

BULK: dict[str, Any] = {
    "batchBookingPreferred": True,
    "debtorAccount": {"iban": DEBTOR_IBAN},
    "requestedExecutionDate": "2026-12-15",
    "payments": [
        {
            "instructedAmount": {"currency": "EUR", "amount": "12.00"},
            "creditorAccount": {"iban": CREDITOR_IBAN},
            "creditorName": "Supplier One",
        },
        {
            "instructedAmount": {"currency": "EUR", "amount": "99.99"},
            "creditorAccount": {"iban": "BE48735500000127"},
            "creditorName": "Supplier Two",
            "remittanceInformationStructured": {"reference": "010806817183", "referenceIssuer": "BBA"},
        },
    ],
}

BODIES = {"payments": SINGLE, "periodic-payments": PERIODIC, "bulk-payments": BULK}


def with_value(body: dict[str, Any], loc: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A deep copy of `body` with the member at `loc` set to `value` (created if absent)."""
    result = copy.deepcopy(body)
    node: Any = result
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = value
    return result


def without(body: dict[str, Any], loc: tuple[Any, ...]) -> dict[str, Any]:
    """A deep copy of `body` without the member at `loc`."""
    result = copy.deepcopy(body)
    node: Any = result
    for part in loc[:-1]:
        node = node[part]
    del node[loc[-1]]
    return result


def check(body: Any, service: str = "payments") -> Report:
    """validate_payment's report, without the warning every JSON bulk body gets (KBC802, tested in test_bulk):
    the findings of the rules under test."""
    report = validate_payment(body, service=service, today=TODAY)
    return Report(tuple(issue for issue in report.issues if issue.code != BULK_NOT_OFFERED))


BULK_NOT_OFFERED = "KBC802"


def findings(report: Report) -> set[tuple[str, tuple[Any, ...]]]:
    """(code, loc) of every finding."""
    return {(issue.code, issue.loc) for issue in report.issues}


def assert_identifier_verdict(module: Any, value: str, code: str | None) -> None:
    """An identifier module's `validate`: the compact form when `code` is None, else an error with that code."""
    import pytest

    from kbc_validate.identifiers.errors import ValidationError

    if code is None:
        assert module.validate(value) == module.compact(value)
        assert module.is_valid(value)
        return
    with pytest.raises(ValidationError) as raised:
        module.validate(value)
    assert raised.value.code == code
    assert not module.is_valid(value)
