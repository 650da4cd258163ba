"""validate_request: path, product, headers and strictly parsed body of a payment initiation."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kbc_validate import Cause, validate_pain001
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


PAIN001_URL = "https://psd2.api.kbc.be/psd2/v2/bulk-payments/pain.001"
XML_HEADERS = {**HEADERS, "Content-Type": "application/xml"}
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
XML_TODAY = date(2026, 12, 5)  # the day the pain.001 examples are written for


def test_a_valid_pain001_body_has_no_finding() -> None:
    body = (EXAMPLES / "bulk-payment.xml").read_bytes()
    assert validate_request("POST", PAIN001_URL, XML_HEADERS, body, today=XML_TODAY).issues == ()
    assert validate_request("POST", PAIN001_URL, XML_HEADERS, body.decode(), today=XML_TODAY).issues == ()


def test_a_faulty_pain001_body_is_validated_with_lines_not_a_warning() -> None:
    body = (EXAMPLES / "faulty-bulk.xml").read_bytes()
    report = validate_request("POST", PAIN001_URL, XML_HEADERS, body, today=XML_TODAY)
    assert report.issues == validate_pain001(body, today=XML_TODAY).issues
    assert {"KBC202", "KBC320", "KBC810"} <= set(report.codes)
    assert "KBC952" not in report.codes  # retired: the body is validated now
    same_account = next(i for i in report.issues if i.code == "KBC320")
    assert (same_account.path, same_account.line, same_account.column) == (
        "PmtInf[0].CdtTrfTxInf[1].CdtrAcct.Id.IBAN", 76, 13)
    assert "PmtInf[0].CdtTrfTxInf[1].CdtrAcct.Id.IBAN" in [m["path"] for m in report.to_error400()["tppMessages"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"<Document/>", [("KBC922", ())], id="not the pain.001 namespace"),
        pytest.param(b"", [("KBC920", ())], id="an empty body"),
        pytest.param(b"<Document", [("KBC920", ())], id="not well-formed"),
        pytest.param({"payments": []}, [("KBC920", ("body",))], id="a decoded JSON value is no XML"),
    ],
)
def test_pain001_bodies_that_are_not_pain001(body: Any, expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert _codes(url=PAIN001_URL, headers=XML_HEADERS, body=body) == expected


def test_no_pain001_body_is_an_empty_document() -> None:
    assert validate_request("POST", PAIN001_URL, XML_HEADERS, None, today=TODAY).codes == ("KBC920",)


def test_a_pain001_file_object_is_read_and_put_back_where_it_stood() -> None:
    data = b"padding" + (EXAMPLES / "faulty-bulk.xml").read_bytes()
    stream = io.BytesIO(data)
    stream.seek(len(b"padding"))
    report = validate_request("POST", PAIN001_URL, XML_HEADERS, stream, today=XML_TODAY)
    assert report.issues == validate_pain001(data[len(b"padding"):], today=XML_TODAY).issues
    assert stream.tell() == len(b"padding")


def test_pain001_needs_the_xml_content_type() -> None:
    body = (EXAMPLES / "bulk-payment.xml").read_bytes()
    assert [(i.code, i.loc) for i in validate_request("POST", PAIN001_URL, HEADERS, body, today=XML_TODAY).issues] == [
        ("KBC954", ("Content-Type",))]


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
