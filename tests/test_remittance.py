"""Remittance information and structured communications (KBC6xx)."""

from __future__ import annotations

from typing import Any

import pytest

from kbc_validate import Cause
from tests.bodies import SINGLE, check, findings, with_value, without

UNSTRUCTURED = ("remittanceInformationUnstructured",)
STRUCTURED = ("remittanceInformationStructured",)
REFERENCE = (*STRUCTURED, "reference")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("+++010/8068/17183+++", set(), id="valid OGM, plus signs"),
        pytest.param("***010/8068/17183***", {"KBC704"}, id="valid OGM, asterisks (outside the basic set: warning)"),
        pytest.param("+++000/0000/09797+++", set(), id="remainder 0 gives check digits 97"),
        pytest.param("+++010/8068/17180+++", {"KBC601"}, id="wrong check digits"),
        pytest.param("+++ 010 / 8068 / 17180 +++", {"KBC601"}, id="wrong check digits, spaced"),
        pytest.param("***010/8068/17180***", {"KBC601", "KBC704"}, id="wrong check digits, asterisks"),
        pytest.param("+++000/0000/00000+++", {"KBC601"}, id="check digits 00 are never valid"),
        pytest.param("010806817180", {"KBC603"}, id="12 bare digits failing the check: warning"),
        pytest.param("010806817183", set(), id="12 bare digits passing the check"),
        pytest.param("Invoice +++010/8068/17180+++", set(), id="not the whole text: free text"),
        pytest.param("+++010/8068/17180***", {"KBC704"}, id="mixed delimiters: not an OGM, only the asterisk warning"),
        pytest.param("R" * 141, {"KBC701"}, id="141 characters"),
        pytest.param("R" * 140, set(), id="140 characters"),
    ],
)
def test_unstructured(text: str, expected: set[str]) -> None:
    assert findings(check(with_value(SINGLE, UNSTRUCTURED, text))) == {(code, UNSTRUCTURED) for code in expected}


def test_unstructured_warning_is_not_an_error() -> None:
    report = check(with_value(SINGLE, UNSTRUCTURED, "010806817180"))
    assert report.ok
    assert report.issues[0].cause is Cause.INVALID_STRUCTURED_COMMUNICATION


def _structured(value: Any) -> dict[str, Any]:
    return with_value(without(SINGLE, UNSTRUCTURED), STRUCTURED, value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"reference": "010806817183", "referenceIssuer": "BBA"}, set(), id="OGM, issuer BBA"),
        pytest.param({"reference": "010806817183", "referenceIssuer": "bba"}, set(), id="issuer is case-insensitive"),
        pytest.param({"reference": "+++010/8068/17183+++", "referenceIssuer": "BBA"}, set(), id="decorated OGM"),
        pytest.param({"reference": "010806817183", "referenceType": "SCOR"}, set(), id="OGM recognised by shape"),
        pytest.param(
            {"reference": "010806817180", "referenceIssuer": "BBA"}, {("KBC601", REFERENCE)}, id="OGM check digits"
        ),
        pytest.param({"reference": "010806817180"}, {("KBC601", REFERENCE)}, id="12 digits without issuer"),
        pytest.param({"reference": "INV-42", "referenceIssuer": "BBA"}, {("KBC602", REFERENCE)}, id="BBA, not an OGM"),
        pytest.param({"reference": "0108068171", "referenceIssuer": "BBA"}, {("KBC602", REFERENCE)}, id="10 digits"),
        pytest.param({"reference": "RF18539007547034", "referenceIssuer": "ISO"}, set(), id="RF reference"),
        pytest.param({"reference": "RF18539007547034"}, set(), id="RF recognised by shape"),
        pytest.param({"reference": "RF17539007547034"}, {("KBC604", REFERENCE)}, id="RF check digits"),
        pytest.param(
            {"reference": "INV-42", "referenceIssuer": "iso"}, {("KBC605", REFERENCE)}, id="ISO issuer, not RF"
        ),
        pytest.param({"reference": "RFQ-42"}, set(), id="starts with RF, not RF-shaped: free reference"),
        pytest.param({"reference": "INV-42", "referenceIssuer": "Acme"}, set(), id="another issuer: free reference"),
        pytest.param({"referenceIssuer": "BBA"}, {("KBC101", REFERENCE)}, id="reference missing"),
        pytest.param({"reference": "R" * 36}, {("KBC701", REFERENCE)}, id="36 characters"),
        pytest.param({"reference": "FACTURE-É"}, {("KBC702", REFERENCE)}, id="identifier outside the basic set"),
        pytest.param("010806817183", {("KBC103", STRUCTURED)}, id="a string instead of an object"),
    ],
)
def test_structured(value: Any, expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert findings(check(_structured(value))) == expected


def test_both_forms_at_once() -> None:
    body = with_value(SINGLE, STRUCTURED, {"reference": "010806817183", "referenceIssuer": "BBA"})
    assert findings(check(body)) == {("KBC600", STRUCTURED)}
