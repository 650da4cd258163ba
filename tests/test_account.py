"""Account references, IBANs in a body, BIC, same debtor and creditor account (KBC3xx)."""

from __future__ import annotations

import pytest

from kbc_validate import Cause
from tests.bodies import BULK, DEBTOR_IBAN, SINGLE, check, findings, with_value, without

CREDITOR_IBAN = ("creditorAccount", "iban")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param("BE48735500000127", set(), id="KBC account"),
        pytest.param("BE54000000000097", set(), id="national check 97 (remainder 0)"),
        pytest.param("DE89370400440532013000", set(), id="German"),
        pytest.param("FR1420041010050500013M02606", set(), id="French, letters in the BBAN"),
        pytest.param("GB82WEST12345698765432", set(), id="United Kingdom: in SEPA scope"),
        pytest.param("ES9121000418450200051332", set(), id="Spanish, national check digits pass"),
        pytest.param("ME25505000012345678951", set(), id="Montenegro, admitted to SEPA in 2024"),
        pytest.param("be56363123456788", {"KBC302"}, id="lower case"),
        pytest.param("BE56 3631 2345 6788", {"KBC302"}, id="spaces: paper form, not electronic"),
        pytest.param("BE36-7340-1234-5681", {"KBC302"}, id="dashes"),
        pytest.param("BE56 3631 2345 6780", {"KBC302", "KBC308"}, id="paper form, and the number is wrong too"),
        pytest.param("BE36734012345681\u200b", {"KBC302"}, id="trailing zero-width space"),
        pytest.param("", {"KBC302"}, id="empty"),
        pytest.param("36BE734012345681", {"KBC303"}, id="check digits before the country"),
        pytest.param("B136734012345681", {"KBC303"}, id="digit in the country code"),
        pytest.param("XX36734012345681", {"KBC304"}, id="no such country"),
        pytest.param("US64SVBKUS6S3300958879", {"KBC304"}, id="the United States issue no IBANs"),
        pytest.param("BE3673401234568", {"KBC305"}, id="Belgian IBAN one digit short"),
        pytest.param("BE3673401234568" + "12", {"KBC305"}, id="Belgian IBAN one digit long"),
        pytest.param("BE36A34012345681", {"KBC306"}, id="a letter in an all-digit Belgian BBAN"),
        pytest.param("BE00734012345681", {"KBC307"}, id="check digits 00 are never issued"),
        pytest.param("BE99734012345681", {"KBC307"}, id="check digits 99 are never issued"),
        pytest.param("BE36734012345680", {"KBC308"}, id="typo in the last digit"),
        pytest.param("BE63734012345680", {"KBC309"}, id="ISO check passes, Belgian national check fails"),
        pytest.param("ES2121000418450200051331", {"KBC309"}, id="ISO check passes, Spanish national check fails"),
        pytest.param("BR1800360305000010009795493C1", {"KBC310"}, id="Brazil: valid IBAN outside SEPA"),
        pytest.param("BE68539007547034", {"KBC311"}, id="bank code 539 not in the National Bank's list: warning"),
    ],
)
def test_creditor_iban(number: str, expected: set[str]) -> None:
    assert findings(check(with_value(SINGLE, CREDITOR_IBAN, number))) == {(code, CREDITOR_IBAN) for code in expected}


def test_invalid_account_cause_and_unassigned_bank_code_is_a_warning() -> None:
    assert check(with_value(SINGLE, CREDITOR_IBAN, "BE36734012345680")).issues[0].cause is Cause.INVALID_ACCOUNT
    report = check(with_value(SINGLE, CREDITOR_IBAN, "BE68539007547034"))
    assert report.ok
    assert report.issues[0].cause is Cause.INVALID_ACCOUNT


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        pytest.param({}, {("KBC101", ("debtorAccount", "iban"))}, id="empty object: iban missing"),
        pytest.param({"bban": "734012345681"}, {("KBC101", ("debtorAccount", "iban"))}, id="bban only"),
        pytest.param({"iban": None}, {("KBC102", ("debtorAccount", "iban"))}, id="iban null"),
        pytest.param(
            {"iban": DEBTOR_IBAN, "bban": "734012345681"},
            {("KBC301", ("debtorAccount",))},
            id="iban and bban together",
        ),
        pytest.param({"iban": DEBTOR_IBAN, "currency": "EUR"}, set(), id="currency EUR"),
        pytest.param({"iban": DEBTOR_IBAN, "currency": "USD"}, {("KBC210", ("debtorAccount", "currency"))}, id="USD"),
        pytest.param({"iban": DEBTOR_IBAN, "cashAccountType": "CACC"}, set(), id="cash account type"),
        pytest.param({"iban": DEBTOR_IBAN, "name": "x"}, {("KBC104", ("debtorAccount", "name"))}, id="unknown member"),
        pytest.param({"iban": 36734012345681}, {("KBC103", ("debtorAccount", "iban"))}, id="iban as a number"),
        pytest.param("BE36734012345681", {("KBC103", ("debtorAccount",))}, id="the IBAN without its object"),
    ],
)
def test_debtor_account_reference(account: object, expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert findings(check(with_value(SINGLE, ("debtorAccount",), account))) == expected


def test_debtor_account_is_optional_for_single_payments() -> None:
    assert check(without(SINGLE, ("debtorAccount",))).issues == ()


@pytest.mark.parametrize(
    "creditor",
    [
        pytest.param(DEBTOR_IBAN, id="identical"),
        pytest.param("be36734012345681", id="differs only in case"),
        pytest.param("BE36 7340 1234 5681", id="differs only in spaces"),
    ],
)
def test_same_debtor_and_creditor_account(creditor: str) -> None:
    report = check(with_value(SINGLE, CREDITOR_IBAN, creditor))
    same = [issue for issue in report.issues if issue.code == "KBC320"]
    assert [(issue.loc, issue.cause) for issue in same] == [(CREDITOR_IBAN, Cause.SAME_DEBTOR_AND_CREDITOR_ACCOUNT)]


def test_same_account_in_bulk_names_the_payment() -> None:
    body = with_value(BULK, ("payments", 1, "creditorAccount", "iban"), DEBTOR_IBAN)
    assert findings(check(body, "bulk-payments")) == {("KBC320", ("payments", 1, "creditorAccount", "iban"))}


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        pytest.param("KREDBEBB", set(), id="8 characters"),
        pytest.param("KREDBEBBXXX", set(), id="11 characters"),
        pytest.param("GEBABEB2", set(), id="location digit 2"),
        pytest.param("kredbebb", {"KBC330"}, id="lower case"),
        pytest.param("KREDBEBBXX", {"KBC330"}, id="10 characters"),
        pytest.param("KREDBE1B", {"KBC330"}, id="location starting with 1 (passive BIC)"),
        pytest.param("KREDBEBO", {"KBC330"}, id="location ending in O"),
        pytest.param("KRED BEBB", {"KBC330"}, id="space"),
        pytest.param(12345678, {"KBC103"}, id="a number"),
    ],
)
def test_creditor_agent(agent: object, expected: set[str]) -> None:
    body = with_value(SINGLE, ("creditorAgent",), agent)
    assert findings(check(body)) == {(code, ("creditorAgent",)) for code in expected}


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        pytest.param({"townName": "Leuven", "country": "BE"}, set(), id="town and country"),
        pytest.param({"townName": "Leuven"}, {("KBC101", ("creditorAddress", "country"))}, id="no country"),
        pytest.param({"country": "be"}, {("KBC331", ("creditorAddress", "country"))}, id="lower-case country"),
        pytest.param({"country": "BEL"}, {("KBC331", ("creditorAddress", "country"))}, id="three letters"),
        pytest.param(
            {"country": "BE", "postCode": "3000-3001-3002-3003"},
            {("KBC701", ("creditorAddress", "postCode"))},
            id="post code over 16",
        ),
    ],
)
def test_creditor_address(address: dict[str, str], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert findings(check(with_value(SINGLE, ("creditorAddress",), address))) == expected
