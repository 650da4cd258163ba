"""401/403 preconditions: eIDAS client certificates built here with cryptography, access tokens, screen scraping."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kbc_validate import Cause
from kbc_validate.preflight.access_token import check_access_token, check_screen_scrape_identifier
from kbc_validate.preflight.certificate import check_client_certificate, psd2_roles

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ROLE_OIDS = {"PSP_AS": "0.4.0.19495.1.1", "PSP_PI": "0.4.0.19495.1.2", "PSP_AI": "0.4.0.19495.1.3"}


def _tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def _oid(dotted: str) -> bytes:
    arcs = [int(part) for part in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk, rest = [arc & 0x7F], arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, bytes(body))


def qc_statements(roles: list[str], *, psd2: bool = True) -> bytes:
    """QCStatements with the ETSI PSD2 statement (TS 119 495) naming `roles`, and the QcCompliance statement."""
    statements = [_tlv(0x30, _oid("0.4.0.1862.1.1"))]  # id-etsi-qcs-QcCompliance
    if psd2:
        role_items = b"".join(_tlv(0x30, _oid(ROLE_OIDS[r]) + _tlv(0x0C, r.encode())) for r in roles)
        psd2_type = _tlv(0x30, _tlv(0x30, role_items) + _tlv(0x0C, b"National Bank of Belgium") + _tlv(0x0C, b"BE-NBB"))
        statements.append(_tlv(0x30, _oid("0.4.0.19495.2") + psd2_type))
    return _tlv(0x30, b"".join(statements))


def make_certificate(
    *, organization_identifier: str | None = "PSDBE-NBB-0123456789", roles: list[str] | None = None,
    psd2: bool = True, not_before: datetime = NOW - timedelta(days=30), not_after: datetime = NOW + timedelta(days=300),
    usages: list[x509.ObjectIdentifier] | None = None, digital_signature: bool = True,
) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.NameAttribute(NameOID.COMMON_NAME, "tpp.example"), x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]
    if organization_identifier is not None:
        names.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, organization_identifier))
    name = x509.Name(names)
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"),
                                                  qc_statements(roles if roles is not None else ["PSP_PI", "PSP_AI"], psd2=psd2)), critical=False)
        .add_extension(x509.ExtendedKeyUsage(usages or [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.KeyUsage(digital_signature, False, False, False, False, False, False, False, False), critical=True)
    )
    return builder.sign(key, hashes.SHA256())


def _codes(certificate: Any, **kwargs: Any) -> list[str]:
    return list(check_client_certificate(certificate, at=NOW, **kwargs).codes)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def test_valid_certificate_in_every_form(tmp_path: Path) -> None:
    cert = make_certificate()
    der = cert.public_bytes(serialization.Encoding.DER)
    (tmp_path / "qwac.pem").write_bytes(_pem(cert))
    for form in (_pem(cert), der, _pem(cert).decode(), tmp_path / "qwac.pem", str(tmp_path / "qwac.pem")):
        assert _codes(form) == []
    assert psd2_roles(cert) == ["PSP_PI", "PSP_AI"]


@pytest.mark.parametrize(
    ("cert_options", "role", "expected"),
    [
        pytest.param({"not_after": NOW - timedelta(days=1)}, "PSP_PI", ["KBC972"], id="expired"),
        pytest.param({"not_before": NOW + timedelta(days=1)}, "PSP_PI", ["KBC973"], id="not yet valid"),
        pytest.param({"organization_identifier": None}, "PSP_PI", ["KBC974"], id="no organizationIdentifier"),
        pytest.param({"organization_identifier": "VATBE-0123456789"}, "PSP_PI", ["KBC974"], id="a VAT identifier"),
        pytest.param({"organization_identifier": "PSDBE-NBB"}, "PSP_PI", ["KBC974"], id="no authorisation number"),
        pytest.param({"psd2": False}, "PSP_PI", ["KBC975"], id="no PSD2 statement"),
        pytest.param({"roles": ["PSP_AI"]}, "PSP_PI", ["KBC976"], id="account information only"),
        pytest.param({"roles": ["PSP_AI"]}, "PSP_AI", [], id="account information for accounts"),
        pytest.param({"usages": [ExtendedKeyUsageOID.SERVER_AUTH]}, "PSP_PI", ["KBC977"], id="server authentication only"),
        pytest.param({"digital_signature": False}, "PSP_PI", ["KBC977"], id="key usage without digitalSignature"),
    ],
)
def test_certificate_findings(cert_options: dict[str, Any], role: str, expected: list[str]) -> None:
    assert _codes(_pem(make_certificate(**cert_options)), role=role) == expected


@pytest.mark.parametrize(
    ("certificate", "code"),
    [(None, "KBC970"), (b"", "KBC970"), (b"not a certificate", "KBC971"), (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "KBC971")],
)
def test_missing_and_unreadable_certificates(certificate: Any, code: str) -> None:
    assert _codes(certificate) == [code]


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    assert _codes(tmp_path / "absent.pem") == ["KBC971"]


def test_certificate_causes_and_berlin_group_codes() -> None:
    expired = check_client_certificate(_pem(make_certificate(not_after=NOW - timedelta(days=1))), at=NOW).issues[0]
    assert (expired.cause, expired.cause.berlin_group_code, expired.cause.http_status) == (
        Cause.CLIENT_CERTIFICATE_EXPIRED, "CERTIFICATE_EXPIRED", 401)
    role = check_client_certificate(_pem(make_certificate(roles=["PSP_AI"])), at=NOW).issues[0]
    assert (role.cause, role.cause.berlin_group_code) == (Cause.PSP_ROLE_INVALID, "ROLE_INVALID")
    assert check_client_certificate(None).issues[0].cause.berlin_group_code == "CERTIFICATE_MISSING"


def _jwt(payload: dict[str, Any] | str) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
    header = part(json.dumps({"alg": "RS256"}).encode())
    return f"{header}.{part(body)}.{part(b'signature')}"


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        pytest.param("Bearer 1234-opaque-token", [], id="opaque token"),
        pytest.param("bearer 1234-opaque-token", [], id="scheme is case-insensitive"),
        pytest.param(f"Bearer {_jwt({'exp': NOW.timestamp() + 60})}", [], id="JWT valid for one more minute"),
        pytest.param(f"Bearer {_jwt({'sub': 'x'})}", [], id="JWT without exp"),
        pytest.param(f"Bearer {_jwt({'exp': NOW.timestamp() - 1})}", ["KBC981"], id="JWT expired a second ago"),
        pytest.param(f"Bearer {_jwt({'exp': '2026'})}", ["KBC982"], id="exp not a number"),
        pytest.param(f"Bearer {_jwt('[1]')}", ["KBC982"], id="payload not an object"),
        pytest.param("Bearer a.!!!.c", ["KBC982"], id="payload not base64url"),
        pytest.param(None, ["KBC980"], id="no Authorization header"),
        pytest.param("", ["KBC980"], id="empty"),
        pytest.param("Basic dXNlcjpwYXNz", ["KBC980"], id="Basic credentials"),
        pytest.param("Bearer ", ["KBC980"], id="Bearer without a token"),
    ],
)
def test_access_token(authorization: str | None, expected: list[str]) -> None:
    assert list(check_access_token(authorization, at=NOW).codes) == expected


def test_access_token_causes() -> None:
    expired = check_access_token(f"Bearer {_jwt({'exp': 0})}", at=NOW).issues[0]
    assert (expired.cause, expired.cause.berlin_group_code) == (Cause.ACCESS_TOKEN_EXPIRED, "TOKEN_EXPIRED")


@pytest.mark.parametrize(
    ("headers", "validity", "expected"),
    [
        pytest.param({}, None, [], id="not used"),
        pytest.param({"tppScreenScrapeIdentifier": "abc"}, "2026-11-25T00:00:00+00:00", [], id="valid until tomorrow"),
        pytest.param({"TPPSCREENSCRAPEIDENTIFIER": "abc"}, None, [], id="header name case-insensitive, no validity known"),
        pytest.param({"tppScreenScrapeIdentifier": " "}, None, ["KBC983"], id="blank"),
        pytest.param({"tppScreenScrapeIdentifier": "abc"}, "2026-11-24T11:59:59Z", ["KBC984"], id="expired"),
        pytest.param({"tppScreenScrapeIdentifier": "abc"}, datetime(2026, 11, 24, 11, 0), ["KBC984"], id="naive validity is UTC"),
    ],
)
def test_screen_scrape_identifier(headers: dict[str, str], validity: Any, expected: list[str]) -> None:
    assert list(check_screen_scrape_identifier(headers, validity, at=NOW).codes) == expected


def test_malformed_qc_statements_are_a_missing_psd2_statement() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, "PSDBE-NBB-0123456789")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=1))
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"), b"\x30\x85garbage"), False)
        .sign(key, hashes.SHA256())
    )
    assert _codes(_pem(cert)) == ["KBC975"]
