"""Invariants over generated bodies: valid bodies pass, one mutation gives exactly its cause at its location,
nothing raises or mutates its input, and the fast path agrees with the reference path."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate import Cause, validate_payment
from kbc_validate.findings import sort_in_body_order
from kbc_validate.rules.bodies import SINGLE, check_body, check_payment_relations, is_clean_body
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import check_members
from tests.bodies import TODAY, check
from tests.strategies import VALID_BODIES, json_values, near_misses

SERVICES = list(VALID_BODIES)


@pytest.mark.parametrize("service", SERVICES)
@given(data=st.data())
def test_generated_valid_bodies_have_no_finding(service: str, data: st.DataObject) -> None:
    body = data.draw(VALID_BODIES[service])
    assert check(body, service).issues == ()


@pytest.mark.parametrize("service", SERVICES)
@given(data=st.data())
def test_valid_bodies_take_the_fast_path(service: str, data: st.DataObject) -> None:
    body = data.draw(VALID_BODIES[service])
    assert is_clean_body(body, service, Context(TODAY))


def _payment(body: dict[str, Any], service: str) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """The payment a mutation targets, and its location (the first element of a bulk body)."""
    return (body["payments"][0], ("payments", 0)) if service == "bulk-payments" else (body, ())


Mutation = Callable[[dict[str, Any], tuple[Any, ...]], tuple[Any, ...]]


def _set(member: tuple[str, ...], value: Any) -> Mutation:
    def mutate(payment: dict[str, Any], loc: tuple[Any, ...]) -> tuple[Any, ...]:
        node = payment
        for part in member[:-1]:
            node = node[part]
        node[member[-1]] = value
        return (*loc, *member)
    return mutate


def _drop(member: str) -> Mutation:
    def mutate(payment: dict[str, Any], loc: tuple[Any, ...]) -> tuple[Any, ...]:
        del payment[member]
        return (*loc, member)
    return mutate


# Each mutation changes one member of a valid payment and names the single cause it must produce there.
MUTATIONS: dict[str, tuple[Mutation, Cause]] = {
    "amount zero": (_set(("instructedAmount", "amount"), "0.00"), Cause.AMOUNT_NOT_POSITIVE),
    "amount negative": (_set(("instructedAmount", "amount"), "-5.00"), Cause.AMOUNT_NOT_POSITIVE),
    "amount decimal comma": (_set(("instructedAmount", "amount"), "12,50"), Cause.INVALID_FORMAT),
    "amount three decimals": (_set(("instructedAmount", "amount"), "1.234"), Cause.INVALID_FORMAT),
    "amount as number": (_set(("instructedAmount", "amount"), 12.5), Cause.INVALID_FORMAT),
    "currency USD": (_set(("instructedAmount", "currency"), "USD"), Cause.CURRENCY_NOT_EUR),
    "currency lower case": (_set(("instructedAmount", "currency"), "eur"), Cause.INVALID_FORMAT),
    "creditor IBAN checksum": (_set(("creditorAccount", "iban"), "BE36734012345680"), Cause.INVALID_ACCOUNT),
    "creditor IBAN outside SEPA": (_set(("creditorAccount", "iban"), "BR1800360305000010009795493C1"), Cause.INVALID_ACCOUNT),
    "creditor IBAN with spaces": (_set(("creditorAccount", "iban"), "BE56 3631 2345 6788"), Cause.INVALID_FORMAT),
    "creditor name missing": (_drop("creditorName"), Cause.MISSING_MANDATORY_PARAMETER),
    "creditor name too long": (_set(("creditorName",), "N" * 71), Cause.INVALID_FORMAT),
    "creditor name zero-width space": (_set(("creditorName",), "Mer\u200bchant"), Cause.INVALID_FORMAT),
    "creditor name Cyrillic a": (_set(("creditorName",), "Merch\u0430nt"), Cause.INVALID_FORMAT),
    "amount missing": (_drop("instructedAmount"), Cause.MISSING_MANDATORY_PARAMETER),
    "OGM check digits": (_set(("remittanceInformationUnstructured",), "+++010/8068/17180+++"), Cause.INVALID_STRUCTURED_COMMUNICATION),
    "creditor BIC malformed": (_set(("creditorAgent",), "KREDBE1B"), Cause.INVALID_FORMAT),
    "end-to-end id with accent": (_set(("endToEndIdentification",), "FACTURE-É"), Cause.INVALID_FORMAT),
}


def _clear_remittance(payment: dict[str, Any]) -> None:
    payment.pop("remittanceInformationStructured", None)
    payment.pop("remittanceInformationUnstructured", None)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("name", list(MUTATIONS))
@settings(max_examples=25)  # 54 parametrised cases: 25 bodies each keeps the suite within minutes
@given(data=st.data())
def test_one_mutation_gives_exactly_its_cause_at_its_location(service: str, name: str, data: st.DataObject) -> None:
    body = copy.deepcopy(data.draw(VALID_BODIES[service]))
    mutate, cause = MUTATIONS[name]
    payment, loc = _payment(body, service)
    if name.startswith("OGM"):
        _clear_remittance(payment)
    expected_loc = mutate(payment, loc)
    report = check(body, service)
    assert {(issue.cause, issue.loc) for issue in report.errors} == {(cause, expected_loc)}


@pytest.mark.parametrize("service", ["payments", "bulk-payments"])
@settings(max_examples=50)
@given(data=st.data(), day=st.sampled_from(["2026-11-23", "2026-11-28", "2026-12-25", "20261215", "2026-02-29"]))
def test_one_date_mutation_gives_exactly_its_cause(service: str, day: str, data: st.DataObject) -> None:
    body = copy.deepcopy(data.draw(VALID_BODIES[service]))
    body["requestedExecutionDate"] = day
    expected = {
        "2026-11-23": Cause.EXECUTION_DATE_IN_PAST,  # yesterday
        "2026-11-28": Cause.INVALID_EXECUTION_DATE,  # a Saturday
        "2026-12-25": Cause.INVALID_EXECUTION_DATE,  # TARGET2 closed
        "20261215": Cause.INVALID_FORMAT,
        "2026-02-29": Cause.INVALID_FORMAT,  # 2026 is not a leap year
    }[day]
    report = check(body, service)
    assert {(issue.cause, issue.loc) for issue in report.errors} == {(expected, ("requestedExecutionDate",))}


@pytest.mark.parametrize("service", SERVICES)
@given(data=st.data())
def test_same_debtor_and_creditor_account_is_found(service: str, data: st.DataObject) -> None:
    body = copy.deepcopy(data.draw(VALID_BODIES[service]))
    payment, loc = _payment(body, service)
    body["debtorAccount"] = {"iban": payment["creditorAccount"]["iban"]}
    report = check(body, service)
    assert {(i.cause, i.loc) for i in report.errors} == {
        (Cause.SAME_DEBTOR_AND_CREDITOR_ACCOUNT, (*loc, "creditorAccount", "iban"))
    }


@pytest.mark.parametrize("service", SERVICES)
@given(body=json_values)
def test_arbitrary_json_never_raises_and_is_never_mutated(service: str, body: Any) -> None:
    before = copy.deepcopy(body)
    report = validate_payment(body, service=service, today=TODAY)
    assert repr(body) == repr(before)  # repr, not ==: NaN is never equal to itself
    assert all(issue.code.startswith("KBC") for issue in report.issues)
    assert report.ok == (not report.errors)


@pytest.mark.parametrize("service", SERVICES)
@given(data=st.data(), replacement=json_values)
def test_any_member_replaced_by_any_json_never_raises(service: str, data: st.DataObject, replacement: Any) -> None:
    body = copy.deepcopy(data.draw(VALID_BODIES[service]))
    payment, _ = _payment(body, service)
    member = data.draw(st.sampled_from(sorted(payment)))
    payment[member] = replacement
    check(body, service)


def _leaf_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [path] + [p for key, value in node.items() for p in _leaf_paths(value, (*path, key))]
    if isinstance(node, list):
        return [path] + [p for index, value in enumerate(node) for p in _leaf_paths(value, (*path, index))]
    return [path]


MEMBER_NAMES = sorted({
    "debtorAccount", "endDate", "monthsOfExecution", "creditorAgent", "creditorAddress", "requestedExecutionDate",
    "remittanceInformationStructured", "remittanceInformationUnstructured", "dayOfExecution", "executionRule",
    "frequency", "startDate", "payments", "batchBookingPreferred", "debtorName", "ultimateCreditor",
})


@pytest.mark.parametrize("service", SERVICES)
@settings(max_examples=400)
@given(data=st.data())
def test_fast_path_never_accepts_what_the_reference_path_reports(service: str, data: st.DataObject) -> None:
    body = copy.deepcopy(data.draw(VALID_BODIES[service]))
    value = data.draw(st.one_of(near_misses, json_values))
    if data.draw(st.booleans()):
        path = data.draw(st.sampled_from(_leaf_paths(body)[1:]))
        node = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    else:
        payment, _ = _payment(body, service)
        payment[data.draw(st.sampled_from(MEMBER_NAMES))] = value
    reference = Context(TODAY)
    check_body(body, service, reference)
    assert is_clean_body(body, service, Context(TODAY)) == (reference.issues == [])


@settings(max_examples=400)
@given(data=st.data())
def test_a_payment_s_findings_are_its_members_own_and_those_relating_them(data: st.DataObject) -> None:
    """A single payment's findings are, in body order, each member's own (`members.check_members` of an object
    holding that member alone) and those relating members (`bodies.check_payment_relations`): how the compiled pass
    makes the findings of a row it sets aside as exact, each member's remembered by its value."""
    body = copy.deepcopy(data.draw(VALID_BODIES["payments"]))
    for _ in range(data.draw(st.integers(1, 4))):
        change = data.draw(st.sampled_from(["value", "member", "drop", "same account", "both forms", "mutation"]))
        if change == "value":
            path = data.draw(st.sampled_from(_leaf_paths(body)[1:]))
            node = body
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = data.draw(st.one_of(near_misses, json_values))
        elif change == "member":
            body[data.draw(st.sampled_from(MEMBER_NAMES))] = data.draw(st.one_of(near_misses, json_values))
        elif change == "drop" and body:
            del body[data.draw(st.sampled_from(sorted(body)))]
        elif change == "same account" and isinstance(body.get("creditorAccount"), dict):
            number = body["creditorAccount"].get("iban")
            if isinstance(number, str):
                body["debtorAccount"] = {"iban": data.draw(st.sampled_from([number, number.lower(), f" {number}"]))}
        elif change == "both forms":
            body["remittanceInformationStructured"] = data.draw(st.sampled_from(
                [{"reference": "+++010/8068/17183+++"}, {"reference": "010806817180", "referenceIssuer": "BBA"}]))
            body["remittanceInformationUnstructured"] = data.draw(st.sampled_from(["Factuur 12", "+++010/8068/17180+++"]))
        elif change == "mutation":
            with contextlib.suppress(KeyError, TypeError):  # a member an earlier change dropped or replaced
                MUTATIONS[data.draw(st.sampled_from(sorted(MUTATIONS)))][0](body, ())
    own = []
    for name, value in body.items():
        ctx = Context(TODAY)
        check_members({name: value}, (), SINGLE, ctx)
        own += sort_in_body_order({name: value}, ctx.issues)
    relating = Context(TODAY)
    check_payment_relations(body, relating)
    composed = sort_in_body_order(body, [*own, *relating.issues])
    assert composed == validate_payment(body, today=TODAY).issues
