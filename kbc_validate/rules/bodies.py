"""The three JSON bodies KBC's payment-initiation API takes, member by member, and their cross-member rules.

Members are those of Berlin Group's ``paymentInitiation_json``, ``periodicPaymentInitiation_json`` and
``bulkPaymentInitiation_json`` (with ``paymentInitiationBulkElement_json``) for ``sepa-credit-transfers``:
the members the official specification marks active, plus ``requestedExecutionDate``, ``requestedExecutionTime``
and ``remittanceInformationStructured``, which KBC evidently uses. Any other member is reported as unknown.
``debtorAccount`` is optional for single and periodic payments: KBC lets the customer choose the account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.rules import periodic
from kbc_validate.rules.account import (
    check_bic,
    check_country_code,
    check_creditor_account,
    check_debtor_account,
    check_same_account,
)
from kbc_validate.rules.amount import AMOUNT
from kbc_validate.rules.context import Context
from kbc_validate.rules.execution_date import (
    check_date,
    check_date_time,
    check_execution_date,
    check_period,
    check_start_date,
)
from kbc_validate.rules.members import ObjectSpec, check_object, expect_boolean, nested
from kbc_validate.rules.remittance import check_one_form, check_structured, check_unstructured
from kbc_validate.rules.text import identifier, text

# ISO 20022 PostalAddress24 lengths (Berlin Group 1.3.16 adopts them).
ADDRESS = ObjectSpec(
    {
        "streetName": text(70), "buildingNumber": text(16), "buildingName": text(35), "floor": text(70),
        "postBox": text(16), "room": text(70), "postCode": text(16), "townName": text(35),
        "townLocationName": text(35), "districtName": text(35), "countrySubDivision": text(35),
        "department": text(70), "subDepartment": text(70), "country": check_country_code,
    },
    required=("country",),
)

_PAYMENT_MEMBERS = {
    "endToEndIdentification": identifier(35),
    "instructedAmount": nested(AMOUNT),
    "creditorAccount": check_creditor_account,
    "creditorAgent": check_bic,
    "creditorAgentName": text(140),
    "creditorName": text(70),
    "creditorAddress": nested(ADDRESS),
    "remittanceInformationUnstructured": check_unstructured,
    "remittanceInformationStructured": check_structured,
}
_PAYMENT_REQUIRED = ("instructedAmount", "creditorAccount", "creditorName")
_BULK_ONLY = ("debtorAccount", "requestedExecutionDate", "requestedExecutionTime")

SINGLE = ObjectSpec(
    {
        **_PAYMENT_MEMBERS,
        "debtorAccount": check_debtor_account,
        "requestedExecutionDate": check_execution_date,
        "requestedExecutionTime": check_date_time,
    },
    required=_PAYMENT_REQUIRED,
)

PERIODIC = ObjectSpec(
    {
        **_PAYMENT_MEMBERS,
        "debtorAccount": check_debtor_account,
        "startDate": check_start_date,
        "endDate": check_date,
        "executionRule": periodic.check_execution_rule,
        "frequency": periodic.check_frequency,
        "dayOfExecution": periodic.check_day_of_execution,
        "monthsOfExecution": periodic.check_months_of_execution,
    },
    required=(*_PAYMENT_REQUIRED, "startDate", "frequency"),
)

BULK_ELEMENT = ObjectSpec(_PAYMENT_MEMBERS, required=_PAYMENT_REQUIRED, forbidden=frozenset(_BULK_ONLY))


def check_single(body: dict[str, Any], ctx: Context) -> None:
    check_payment(body, (), SINGLE, ctx)


def check_periodic(body: dict[str, Any], ctx: Context) -> None:
    if check_payment(body, (), PERIODIC, ctx):
        check_period(body, (), ctx)
        periodic.check_schedule(body, (), ctx)


def check_payment(body: Any, loc: Loc, spec: ObjectSpec, ctx: Context) -> bool:
    """A payment's members, then the rules that relate them; False when `body` is not an object."""
    if not check_object(body, loc, spec, ctx):
        return False
    check_one_form(body, loc, ctx)
    return True


def check_payments(value: Any, loc: Loc, ctx: Context) -> None:
    """A bulk body's ``payments``: a non-empty list of payments without debtor or execution date of their own."""
    if not isinstance(value, list):
        ctx.report("KBC103", loc, value, expected="a list of payments")
        return
    if not value:
        ctx.report("KBC800", loc, value)
    for index, payment in enumerate(value):
        check_payment(payment, (*loc, index), BULK_ELEMENT, ctx)


BULK = ObjectSpec(
    {
        "batchBookingPreferred": expect_boolean,
        "debtorAccount": check_debtor_account,
        "debtorName": text(70),
        "requestedExecutionDate": check_execution_date,
        "requestedExecutionTime": check_date_time,
        "payments": check_payments,
    },
    required=("payments", "debtorAccount"),
)


def check_bulk(body: dict[str, Any], ctx: Context) -> None:
    check_object(body, (), BULK, ctx)


BODY_CHECKS: dict[str, Callable[[dict[str, Any], Context], None]] = {
    "payments": check_single,
    "periodic-payments": check_periodic,
    "bulk-payments": check_bulk,
}
SPECS: dict[str, ObjectSpec] = {"payments": SINGLE, "periodic-payments": PERIODIC, "bulk-payments": BULK}


def check_body(body: dict[str, Any], service: str, ctx: Context) -> None:
    """Every rule of `service` on a body that is a JSON object."""
    BODY_CHECKS[service](body, ctx)
    check_same_account(ctx)
