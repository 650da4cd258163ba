"""The three JSON bodies KBC's payment-initiation API takes, member by member, and their cross-member rules.

Members are those of Berlin Group's ``paymentInitiation_json``, ``periodicPaymentInitiation_json`` and
``bulkPaymentInitiation_json`` (with ``paymentInitiationBulkElement_json``) for ``sepa-credit-transfers``:
the members the official specification marks active, plus ``requestedExecutionDate``, ``requestedExecutionTime``
and ``remittanceInformationStructured``, which KBC evidently uses. Any other member is reported as unknown.
``debtorAccount`` is optional for single and periodic payments: KBC lets the customer choose the account.

`is_clean_body` is the fast path (acceptors only); `check_body` the reference that reports every finding.
"""

from __future__ import annotations

from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.rules import periodic
from kbc_validate.rules.account import (
    BIC,
    COUNTRY_CODE,
    CREDITOR_ACCOUNT,
    DEBTOR_ACCOUNT,
    accept_same_account,
    check_same_account,
    note_creditor_account,
    note_debtor_account,
)
from kbc_validate.rules.amount import INSTRUCTED_AMOUNT
from kbc_validate.rules.context import Context
from kbc_validate.rules.execution_date import DATE_TIME, END_DATE, EXECUTION_DATE, START_DATE, check_period
from kbc_validate.rules.members import (
    BOOLEAN,
    Member,
    ObjectSpec,
    check_members,
    check_object,
    check_required,
    is_clean_object,
    nested,
    object_spec,
)
from kbc_validate.rules.remittance import STRUCTURED_REMITTANCE, UNSTRUCTURED, accept_one_form, check_one_form
from kbc_validate.rules.text import identifier, text

# ISO 20022 PostalAddress24 lengths (Berlin Group 1.3.16 adopts them).
ADDRESS = object_spec(
    {
        "streetName": text(70), "buildingNumber": text(16), "buildingName": text(35), "floor": text(70),
        "postBox": text(16), "room": text(70), "postCode": text(16), "townName": text(35),
        "townLocationName": text(35), "districtName": text(35), "countrySubDivision": text(35),
        "department": text(70), "subDepartment": text(70), "country": COUNTRY_CODE,
    },
    required=("country",),
)

_PAYMENT_MEMBERS = {
    "endToEndIdentification": identifier(35),
    "instructedAmount": INSTRUCTED_AMOUNT,
    "creditorAccount": CREDITOR_ACCOUNT,
    "creditorAgent": BIC,
    "creditorAgentName": text(140),
    "creditorName": text(70),
    "creditorAddress": nested(ADDRESS),
    "remittanceInformationUnstructured": UNSTRUCTURED,
    "remittanceInformationStructured": STRUCTURED_REMITTANCE,
}
_PAYMENT_REQUIRED = ("instructedAmount", "creditorAccount", "creditorName")
_BULK_ONLY = ("debtorAccount", "requestedExecutionDate", "requestedExecutionTime")

SINGLE = object_spec(
    {
        **_PAYMENT_MEMBERS,
        "debtorAccount": DEBTOR_ACCOUNT,
        "requestedExecutionDate": EXECUTION_DATE,
        "requestedExecutionTime": DATE_TIME,
    },
    required=_PAYMENT_REQUIRED,
)

PERIODIC = object_spec(
    {
        **_PAYMENT_MEMBERS,
        "debtorAccount": DEBTOR_ACCOUNT,
        "startDate": START_DATE,
        "endDate": END_DATE,
        "executionRule": periodic.EXECUTION_RULE,
        "frequency": periodic.FREQUENCY,
        "dayOfExecution": periodic.DAY_OF_EXECUTION,
        "monthsOfExecution": periodic.MONTHS_OF_EXECUTION,
    },
    required=(*_PAYMENT_REQUIRED, "startDate", "frequency"),
)

BULK_ELEMENT = object_spec(_PAYMENT_MEMBERS, required=_PAYMENT_REQUIRED, forbidden=_BULK_ONLY)


def check_payment(body: Any, loc: Loc, spec: ObjectSpec, ctx: Context) -> bool:
    """A payment's members, then the rules that relate them; False when `body` is not an object."""
    if not check_members(body, loc, spec, ctx):
        return False
    check_relations(body, loc, spec, ctx)
    return True


def check_relations(body: dict[str, Any], loc: Loc, spec: ObjectSpec, ctx: Context) -> None:
    """The rules relating a payment's members, which no member's own check sees: mandatory members missing, both
    remittance forms. (Debtor and creditor the same account: `check_same_account`, once the whole body is read.)"""
    check_required(body, loc, spec, ctx)
    check_one_form(body, loc, ctx)


# What the same-account rule keeps of a single payment's members (their checks keep it too).
_NOTES = {"debtorAccount": note_debtor_account, "creditorAccount": note_creditor_account}


def check_payment_relations(body: dict[str, Any], ctx: Context) -> None:
    """The findings `check_body` reports about a single payment's `body` (a JSON object) besides its members' own.

    Those are what `members.check_members` reports of an object holding that member alone; all of them, sorted in
    body order (`findings.sort_in_body_order`), are `check_body`'s findings. The compiled pass makes the findings of
    rows a rule relating members may concern this way, each member's own remembered by its value."""
    for name, note in _NOTES.items():
        value = body.get(name)
        if value is not None:
            note(value, (name,), ctx)
    check_relations(body, (), SINGLE, ctx)
    check_same_account(ctx)


def is_clean_payment(body: Any, spec: ObjectSpec, ctx: Context) -> bool:
    return is_clean_object(body, spec, ctx) and accept_one_form(body)


def check_payments(value: Any, loc: Loc, ctx: Context) -> None:
    """A bulk body's ``payments``: a non-empty list of payments without debtor or execution date of their own."""
    if not isinstance(value, list):
        ctx.report("KBC103", loc, value, expected="a list of payments")
        return
    if not value:
        ctx.report("KBC800", loc, value)
    for index, payment in enumerate(value):
        check_payment(payment, (*loc, index), BULK_ELEMENT, ctx)


def accept_payments(value: Any, ctx: Context) -> bool:
    return type(value) is list and bool(value) and all(is_clean_payment(p, BULK_ELEMENT, ctx) for p in value)


BULK = object_spec(
    {
        "batchBookingPreferred": BOOLEAN,
        "debtorAccount": DEBTOR_ACCOUNT,
        "debtorName": text(70),
        "requestedExecutionDate": EXECUTION_DATE,
        "requestedExecutionTime": DATE_TIME,
        "payments": Member(check_payments, accept_payments),
    },
    required=("payments", "debtorAccount"),
)
SPECS: dict[str, ObjectSpec] = {"payments": SINGLE, "periodic-payments": PERIODIC, "bulk-payments": BULK}


def check_body(body: dict[str, Any], service: str, ctx: Context) -> None:
    """Every rule of `service` on a body that is a JSON object."""
    if service == "bulk-payments":
        check_object(body, (), BULK, ctx)
    elif check_payment(body, (), SPECS[service], ctx) and service == "periodic-payments":
        check_period(body, (), ctx)
        periodic.check_schedule(body, (), ctx)
    check_same_account(ctx)


def is_clean_body(body: dict[str, Any], service: str, ctx: Context) -> bool:
    """True only when `check_body` would report nothing."""
    if service == "payments":  # the most frequent call of all, spelled out
        return (
            is_clean_object(body, SINGLE, ctx)
            and accept_one_form(body)
            and (ctx.debtor_iban is None or accept_same_account(ctx))
        )
    if service == "bulk-payments":
        return is_clean_object(body, BULK, ctx) and accept_same_account(ctx)
    if not (is_clean_payment(body, PERIODIC, ctx) and accept_same_account(ctx)):
        return False
    check_period(body, (), ctx)
    periodic.check_schedule(body, (), ctx)
    return not ctx.issues
