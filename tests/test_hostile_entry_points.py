"""The library's other entry points on hostile input: a finding, never an exception (issue 14)."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtensionOID

from kbc_validate import check_access_token, check_client_certificate, check_screen_scrape_identifier, validate_request
from kbc_validate.integrations.requests import ValidatingAdapter
from tests.bodies import SINGLE
from tests.test_integrations import HEADERS, VALID, Recorder, server  # noqa: F401  # the loopback server fixture
from tests.test_preflight import NOW, make_certificate

TODAY = date(2026, 11, 24)
URL = "https://psd2.api.kbc.be/psd2/v2/payments/sepa-credit-transfers"


def _jwt(payload: str) -> str:
    part = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"Bearer e30.{part}.c2ln"


@pytest.mark.parametrize(
    ("payload", "codes"),
    [
        pytest.param('{"exp": 1795000000000}', (), id="milliseconds: the year 58850, not expired"),
        pytest.param('{"exp": 1e308}', (), id="1e308: far ahead"),
        pytest.param('{"exp": -1e308}', ("KBC981",), id="-1e308: long gone"),
        pytest.param('{"exp": ' + "9" * 5000 + "}", (), id="5,000 digits"),
        pytest.param('{"exp": -' + "9" * 5000 + "}", ("KBC981",), id="minus 5,000 digits"),
        pytest.param('{"exp": Infinity}', ("KBC982",), id="Infinity is not JSON"),
        pytest.param('{"exp": NaN}', ("KBC982",), id="NaN is not JSON"),
        pytest.param('{"exp": "1795000000"}', ("KBC982",), id="a string"),
        pytest.param('{"exp": ' + "[" * 100_000 + "]" * 100_000 + "}", ("KBC982",), id="nested deeper than Python"),
        pytest.param('{"exp": 1}', ("KBC981",), id="1970"),
    ],
)
def test_access_token_exp_of_any_kind_is_a_finding(payload: str, codes: tuple[str, ...]) -> None:
    assert check_access_token(_jwt(payload), at=NOW).codes == codes


@pytest.mark.parametrize("authorization", [b"Bearer abc", bytearray(b"Bearer abc")])
def test_access_token_as_bytes(authorization: Any) -> None:
    assert check_access_token(authorization, at=NOW).codes == ()


def test_access_token_not_text_is_not_a_bearer_token() -> None:
    assert check_access_token(5, at=NOW).codes == ("KBC980",)  # type: ignore[arg-type]


def test_a_naive_moment_is_read_as_utc_by_every_preflight_check() -> None:
    naive = NOW.replace(tzinfo=None)
    assert check_access_token(_jwt('{"exp": 1}'), at=naive).codes == ("KBC981",)
    headers = {"tppScreenScrapeIdentifier": "a1"}
    assert check_screen_scrape_identifier(headers, "2026-01-01T00:00:00+00:00", at=naive).codes == ("KBC984",)
    cert = make_certificate(not_after=NOW - timedelta(days=1))
    assert check_client_certificate(cert.public_bytes(serialization.Encoding.PEM), at=naive).codes == ("KBC972",)


@pytest.mark.parametrize("validity", ["soon", "2026-13-45", "", 1795000000, ["2026-01-01"]])
def test_screen_scrape_validity_that_is_not_a_date_is_a_warning(validity: Any) -> None:
    report = check_screen_scrape_identifier({"tppScreenScrapeIdentifier": "a1"}, validity, at=NOW)
    assert report.codes == ("KBC985",)
    assert report.ok


def test_screen_scrape_validity_as_a_date() -> None:
    headers = {b"tppScreenScrapeIdentifier": b"a1"}
    assert check_screen_scrape_identifier(headers, date(2026, 1, 1), at=NOW).codes == ("KBC984",)  # type: ignore[arg-type]
    assert check_screen_scrape_identifier(headers, date(2027, 1, 1), at=NOW).codes == ()  # type: ignore[arg-type]


def _with_raw_extension(oid: x509.ObjectIdentifier, value: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "tpp.example")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=1))
            .add_extension(x509.UnrecognizedExtension(oid, value), critical=False).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize("oid", [ExtensionOID.EXTENDED_KEY_USAGE, ExtensionOID.KEY_USAGE,
                                 ExtensionOID.SUBJECT_ALTERNATIVE_NAME, ExtensionOID.BASIC_CONSTRAINTS])
@pytest.mark.parametrize("value", [b"", b"\x30\x03\x06\x01", b"\x04\x02\xff\xff", b"garbage"])
def test_a_malformed_extension_makes_the_certificate_unreadable(oid: x509.ObjectIdentifier, value: bytes) -> None:
    assert check_client_certificate(_with_raw_extension(oid, value), at=NOW).codes == ("KBC971",)


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_certificate_as_any_bytes_like(kind: type) -> None:
    pem = make_certificate().public_bytes(serialization.Encoding.PEM)
    assert check_client_certificate(kind(pem), at=NOW).codes == ()


def test_certificate_of_no_certificate_kind() -> None:
    assert check_client_certificate(5, at=NOW).codes == ("KBC971",)  # type: ignore[arg-type]


def test_a_pem_chain_checks_the_first_fully_and_the_others_for_their_dates() -> None:
    leaf = make_certificate().public_bytes(serialization.Encoding.PEM)
    expired = make_certificate(organization_identifier=None, psd2=False,
                               not_after=NOW - timedelta(days=1)).public_bytes(serialization.Encoding.PEM)
    assert check_client_certificate(leaf + expired, at=NOW).codes == ("KBC972",)
    assert check_client_certificate(leaf + expired, at=NOW).issues[0].loc == ("chain", 1, "notAfter")
    assert check_client_certificate(leaf + leaf, at=NOW).codes == ()
    assert "KBC974" in check_client_certificate(expired + leaf, at=NOW).codes  # the first is the client's


@pytest.mark.parametrize("url", ["https://[::1/psd2/v2/payments/sepa-credit-transfers", "http://[x]:-1/", "\x00"])
def test_validate_request_with_a_url_that_cannot_be_read(url: str) -> None:
    assert validate_request("POST", url, HEADERS, VALID, today=TODAY).codes == ("KBC950",)


@pytest.mark.parametrize("uri", ["https://[::1/cb", "https://["])
def test_validate_request_with_a_redirect_uri_that_cannot_be_read(uri: str) -> None:
    headers = {**HEADERS, "TPP-Redirect-URI": uri}
    assert validate_request("POST", URL, headers, VALID, today=TODAY).codes == ("KBC954",)


def test_validate_request_with_bytes_headers() -> None:
    headers = {name.encode(): value.encode() for name, value in HEADERS.items()}
    assert validate_request(b"POST", URL.encode(), headers, VALID, today=TODAY).codes == ()  # type: ignore[arg-type]


def test_requests_adapter_sends_a_valid_payment_with_bytes_header_values(server: str) -> None:  # noqa: F811
    session = requests.Session()
    session.mount(server, ValidatingAdapter(today=TODAY))
    headers = {name: value.encode() for name, value in HEADERS.items()}
    response = session.post(f"{server}/payments/sepa-credit-transfers", data=VALID, headers=headers, timeout=10)
    assert response.status_code == 201
    assert Recorder.received[-1][2] == VALID


@pytest.mark.parametrize("kind", ["file", "unseekable file", "generator"])
def test_requests_adapter_reads_a_body_that_is_a_file_or_a_generator(server: str, kind: str) -> None:  # noqa: F811
    session = requests.Session()
    session.mount(server, ValidatingAdapter(today=TODAY))
    body: Any = io.BytesIO(VALID)
    if kind == "unseekable file":
        body.seekable = lambda: False  # type: ignore[method-assign]
    if kind == "generator":
        body = (VALID[i:i + 7] for i in range(0, len(VALID), 7))
    response = session.post(f"{server}/payments/sepa-credit-transfers", data=body, headers=HEADERS, timeout=10)
    assert response.status_code == 201
    assert json.loads(Recorder.received[-1][2] or b"null") == SINGLE or kind == "generator"
    bad = io.BytesIO(json.dumps({**SINGLE, "instructedAmount": {"currency": "EUR", "amount": "0"}}).encode())
    with pytest.raises(ValueError, match="KBC200"):
        session.post(f"{server}/payments/sepa-credit-transfers", data=bad, headers=HEADERS, timeout=10)


def test_validate_batch_with_duplicate_pandas_columns_mixed_objects_and_polars_lists() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    from kbc_validate.columnar.batch import validate_batch

    twice = pd.DataFrame([["BE71096123456769", "12.50", "Zeeman", "Zeeman"]],
                         columns=["creditor_iban", "amount", "creditor_name", "creditor_name"])
    assert list(validate_batch(twice, today=TODAY)["code"]) == ["KBC904"]
    mixed = pd.DataFrame({"creditor_iban": ["BE71096123456769", 5, b"\xff", None],
                          "amount": ["1", 2, 3.5, float("nan")], "creditor_name": ["a", ["l"], {"d": 1}, pd.NA]})
    found = validate_batch(mixed, today=TODAY)
    assert set(found["row_id"]) == {"1", "2", "3"}
    lists = pl.DataFrame({"creditor_iban": [["BE71096123456769"]], "amount": [{"a": 1}], "creditor_name": [b"x"]})
    assert validate_batch(lists, today=TODAY)["code"].to_list() == ["KBC302", "KBC201"]
    pa = pytest.importorskip("pyarrow")
    table = pa.table([pa.array(["BE71096123456769"]), pa.array(["1"]), pa.array(["a"]), pa.array(["2"])],
                     names=["creditor_iban", "amount", "creditor_name", "amount"])
    assert validate_batch(table, today=TODAY).column("code").to_pylist() == ["KBC904"]


def test_now_is_utc_aware() -> None:
    assert check_access_token(_jwt(f'{{"exp": {int(datetime.now(UTC).timestamp()) + 3600}}}')).codes == ()
