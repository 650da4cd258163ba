"""validate_request: path, product, headers and strictly parsed body of a payment initiation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbc_validate import Cause
from kbc_validate.request import is_payment_initiation, validate_request
from tests.bodies import PERIODIC, SINGLE, TODAY, with_value

URL = "https://psd2.api.kbc.be/psd2/v2/payments/sepa-credit-transfers"
HEADERS = {
    "X-Request-ID": "3f1c2b7e-8a4d-4c1e-9d55-0a6b2f7c9e10",
    "PSU-IP-Address": "192.0.2.10",
    "TPP-Redirect-URI": "https://tpp.example/cb?flowId=42",
    "Content-Type": "application/json",
}


def _codes(method: str = "POST", url: str = URL, headers: dict[str, str] = HEADERS, body: Any = None) -> list[tuple[str, tuple[Any, ...]]]:
    body = json.dumps(SINGLE).encode() if body is None else body
    return [(i.code, i.loc) for i in validate_request(method, url, headers, body, today=TODAY).issues]


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(URL, id="KBC"),
        pytest.param("https://psd2.api.cbc.be/psd2/v2/payments/sepa-credit-transfers", id="CBC"),
        pytest.param("https://psd2.api.kbcbrussels.be/psd2/v2/payments/sepa-credit-transfers/", id="KBC Brussels, slash"),
        pytest.param("https://be.psd2.sandbox.kbc-group.com/psd2/v2/payments/sepa-credit-transfers", id="sandbox"),
        pytest.param("http://127.0.0.1:8080/psd2/v2/payments/sepa-credit-transfers?x=1", id="a test server"),
    ],
)
def test_valid_request_on_any_host(url: str) -> None:
    assert _codes(url=url) == []


def test_periodic_payment_request() -> None:
    url = "https://psd2.api.kbc.be/psd2/v2/periodic-payments/sepa-credit-transfers"
    assert _codes(url=url, body=json.dumps(PERIODIC)) == []


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        pytest.param("GET", URL, [("KBC950", ("path",))], id="GET"),
        pytest.param("POST", "https://psd2.api.kbc.be/psd2/v2/consents", [("KBC950", ("path",))], id="consents"),
        pytest.param("POST", URL + "/123/authorisations", [("KBC950", ("path",))], id="an authorisation"),
        pytest.param("POST", "https://psd2.api.kbc.be/psd2/v2/payments/instant-sepa-credit-transfers", [("KBC951", ("path",))], id="instant SCT: not offered"),
        pytest.param("POST", "https://psd2.api.kbc.be/psd2/v2/payments/target-2-payments", [("KBC951", ("path",))], id="TARGET2: not offered"),
        pytest.param("POST", "https://psd2.api.kbc.be/psd2/v2/bulk-payments/sepa-credit-transfers", [("KBC951", ("path",))], id="JSON bulk: KBC offers pain.001 only"),
    ],
)
def test_path_and_product(method: str, url: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert _codes(method, url) == expected


def test_product_cause_and_status() -> None:
    issue = validate_request("POST", "https://x/psd2/v2/payments/instant-sepa-credit-transfers", HEADERS, b"{}").issues[0]
    assert issue.cause is Cause.PAYMENT_PRODUCT_UNKNOWN
    assert (issue.cause.http_status, issue.cause.berlin_group_code) == (404, "PRODUCT_UNKNOWN")


def test_pain001_bulk_is_a_warning_that_the_xml_is_not_validated() -> None:
    url = "https://psd2.api.kbc.be/psd2/v2/bulk-payments/pain.001"
    report = validate_request("POST", url, {**HEADERS, "Content-Type": "application/xml"}, b"<Document/>")
    assert report.ok
    assert report.codes == ("KBC952",)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        pytest.param("X-Request-ID", None, "KBC953", id="X-Request-ID missing"),
        pytest.param("X-Request-ID", "123", "KBC954", id="X-Request-ID not a UUID"),
        pytest.param("X-Request-ID", "{3f1c2b7e-8a4d-4c1e-9d55-0a6b2f7c9e10}", "KBC954", id="UUID in braces"),
        pytest.param("PSU-IP-Address", None, "KBC953", id="PSU-IP-Address missing"),
        pytest.param("PSU-IP-Address", "2001:db8::1", None, id="IPv6"),
        pytest.param("PSU-IP-Address", "192.0.2.300", "KBC954", id="octet over 255"),
        pytest.param("PSU-IP-Address", "localhost", "KBC954", id="a host name"),
        pytest.param("TPP-Redirect-URI", None, "KBC953", id="TPP-Redirect-URI missing"),
        pytest.param("TPP-Redirect-URI", "http://tpp.example/cb", "KBC954", id="plain http"),
        pytest.param("TPP-Redirect-URI", "/cb", "KBC954", id="relative"),
        pytest.param("TPP-Redirect-URI", "https:///cb", "KBC954", id="no host"),
        pytest.param("Content-Type", None, "KBC953", id="Content-Type missing"),
        pytest.param("Content-Type", "application/json; charset=utf-8", None, id="with charset"),
        pytest.param("Content-Type", "text/plain", "KBC954", id="text/plain"),
    ],
)
def test_headers(name: str, value: str | None, expected: str | None) -> None:
    headers = {k: v for k, v in HEADERS.items() if k != name}
    if value is not None:
        headers[name] = value
    assert _codes(headers=headers) == ([] if expected is None else [(expected, (name,))])


def test_header_names_are_case_insensitive() -> None:
    assert _codes(headers={name.lower(): value for name, value in HEADERS.items()}) == []
    assert _codes(headers={name.upper(): value for name, value in HEADERS.items()}) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"{", [("KBC900", ("body",))], id="invalid JSON"),
        pytest.param(b'{"creditorName": NaN}', [("KBC900", ("body",))], id="NaN literal"),
        pytest.param(b"\xff", [("KBC900", ("body",))], id="not UTF-8"),
        pytest.param(json.dumps(SINGLE)[:-1].encode() + b', "creditorName": "X"}', [("KBC901", ("body",))], id="duplicate key"),
        pytest.param(json.dumps(with_value(SINGLE, ("instructedAmount", "amount"), "0")), [("KBC200", ("instructedAmount", "amount"))], id="text body, zero amount"),
        pytest.param(with_value(SINGLE, ("instructedAmount", "currency"), "USD"), [("KBC210", ("instructedAmount", "currency"))], id="decoded body"),
    ],
)
def test_body(body: Any, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert _codes(body=body) == expected


def test_header_and_body_findings_together_and_error400() -> None:
    headers = {k: v for k, v in HEADERS.items() if k != "X-Request-ID"}
    report = validate_request("POST", URL, headers, json.dumps(with_value(SINGLE, ("creditorName",), "")), today=TODAY)
    assert report.codes == ("KBC953", "KBC700")
    assert [m["path"] for m in report.to_error400()["tppMessages"]] == ["X-Request-ID", "creditorName"]


@pytest.mark.parametrize(
    ("method", "url", "initiation"),
    [("POST", URL, True), ("post", URL, True), ("GET", URL, False), ("POST", URL + "/abc/status", False),
     ("POST", "https://x/psd2/v2/accounts/x/y", False)],
)
def test_is_payment_initiation(method: str, url: str, initiation: bool) -> None:
    assert is_payment_initiation(method, url) is initiation
