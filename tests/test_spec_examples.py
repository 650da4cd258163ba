"""The Berlin Group specification's own example bodies (1.3.12 components/examples), mistakes included.

Source: ../shared/spec/berlin-group/psd2-api_v1.3.12-2022-07-06.yaml, copied here as Python values so the tests do
not depend on that folder. The examples date from 2018, so execution dates are in the past against TODAY.
"""

from __future__ import annotations

from tests.bodies import check, findings

SINGLE_EXAMPLE = {
    "instructedAmount": {"currency": "EUR", "amount": "123.50"},
    "debtorAccount": {"iban": "DE40100100103307118608"},
    "creditorName": "Merchant123",
    "creditorAccount": {"iban": "DE02100100109307118603"},
    "remittanceInformationUnstructured": "Ref Number Merchant",
}

PERIODIC_EXAMPLE = {
    "instructedAmount": {"currency": "EUR", "amount": "123"},
    "debtorAccount": {"iban": "DE40100100103307118608"},
    "creditorName": "Merchant123",
    "creditorAccount": {"iban": "DE23100120020123456789"},
    "remittanceInformationUnstructured": "Ref Number Abonnement",
    "startDate": "2018-03-01",
    "executionRule": "preceding",
    "frequency": "Monthly",
    "dayOfExecution": "01",
}

# The YAML writes the elements' first key as `instructedAmount": ...` (one quote missing), which a parser reads as
# the member name 'instructedAmount"'.
BULK_EXAMPLE = {
    "batchBookingPreferred": "true",
    "debtorAccount": {"iban": "DE40100100103307118608"},
    "paymentInformationId": "my-bulk-identification-1234",
    "requestedExecutionDate": "2018-08-01",
    "payments": [
        {
            'instructedAmount"': {"currency": "EUR", "amount": "123.50"},
            "creditorName": "Merchant123",
            "creditorAccount": {"iban": "DE02100100109307118603"},
            "remittanceInformationUnstructured": "Ref Number Merchant 1",
        },
        {
            'instructedAmount"': {"currency": "EUR", "amount": "34.10"},
            "creditorName": "Merchant456",
            "creditorAccount": {"iban": "FR7612345987650123456789014"},
            "remittanceInformationUnstructured": "Ref Number Merchant 2",
        },
    ],
}


def test_single_payment_example_is_valid() -> None:
    assert check(SINGLE_EXAMPLE).issues == ()


def test_periodic_example_has_three_mistakes() -> None:
    assert findings(check(PERIODIC_EXAMPLE, "periodic-payments")) == {
        ("KBC308", ("creditorAccount", "iban")),  # DE23100120020123456789 fails mod 97
        ("KBC401", ("startDate",)),  # 2018
        ("KBC501", ("dayOfExecution",)),  # "01" breaks the spec's own enum
    }


def test_bulk_example_mistakes() -> None:
    assert findings(check(BULK_EXAMPLE, "bulk-payments")) == {
        ("KBC103", ("batchBookingPreferred",)),  # "true" is a string, not a boolean
        ("KBC104", ("paymentInformationId",)),  # not a bulk member
        ("KBC401", ("requestedExecutionDate",)),
        ("KBC104", ("payments", 0, 'instructedAmount"')),
        ("KBC101", ("payments", 0, "instructedAmount")),
        ("KBC104", ("payments", 1, 'instructedAmount"')),
        ("KBC101", ("payments", 1, "instructedAmount")),
    }
