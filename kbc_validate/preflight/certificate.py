"""`check_client_certificate`: would KBC accept this eIDAS certificate in the TLS handshake (401/403)?

KBC requires an eIDAS PSD2 qualified website authentication certificate (QWAC) with the ETSI extension
(ETSI TS 119 495): the subject's ``organizationIdentifier`` in the PSD2 form ``PSD`` + country + ``-`` + competent
authority + ``-`` + authorisation number (``PSDBE-NBB-0123456789``), and the QCStatement ``0.4.0.19495.2``
listing the PSP's roles (``PSP_PI`` to initiate payments, ``PSP_AI`` for account information). Read with
``cryptography`` (PEM or DER, bytes or a path); signatures and revocation are not checked (no network).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

from kbc_validate.findings import Issue, Report, finding
from kbc_validate.preflight import der
from kbc_validate.preflight.access_token import moment

QC_STATEMENTS = "1.3.6.1.5.5.7.1.3"
PSD2_STATEMENT = "0.4.0.19495.2"
ROLES = {"0.4.0.19495.1.1": "PSP_AS", "0.4.0.19495.1.2": "PSP_PI", "0.4.0.19495.1.3": "PSP_AI",
         "0.4.0.19495.1.4": "PSP_IC"}
_ORGANIZATION_IDENTIFIER = re.compile(r"PSD[A-Z]{2}-[A-Z]{2,8}-\S+")
_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"

Certificate = bytes | bytearray | memoryview | str | PathLike[str] | None


def check_client_certificate(certificate: Certificate, role: str = "PSP_PI", at: datetime | None = None) -> Report:
    """Every reason KBC would refuse `certificate` (PEM or DER bytes, PEM text, or a path) at moment `at`
    (default: now, UTC; without a time zone, UTC) for a PSP acting in `role`.

    A PEM may hold the client certificate's chain after it, as TLS sends them: the first is the client
    certificate, checked in full; each other one is checked for its validity dates (located at ``chain``, its
    position)."""
    from cryptography import x509

    when = moment(at)
    if certificate is None or (isinstance(certificate, bytes | bytearray | memoryview | str) and not certificate):
        return Report((finding("KBC970", (), None),))
    try:
        cert, *chain = _load(certificate)
        _parse(cert)
    except (OSError, ValueError, TypeError) as error:
        return Report((finding("KBC971", (), None, reason=str(error) or type(error).__name__),))
    issues = _validity(cert, when) + _organization_identifier(cert) + _role(cert, role) + _client_auth(cert, x509)
    for index, other in enumerate(chain, start=1):  # the chain sent after it: KBC checks its dates too
        issues += [replace(issue, loc=("chain", index, *issue.loc)) for issue in _validity(other, when)]
    return Report(tuple(issues))


def _parse(cert: Any) -> None:
    """Read the extensions and the subject now: a malformed one (key usage, extended key usage, alternative names)
    raises ValueError here, as the certificate being unreadable, not in the middle of a check."""
    len(cert.extensions)
    len(cert.subject)


def _load(certificate: bytes | bytearray | memoryview | str | PathLike[str]) -> list[Any]:
    """The certificates of a PEM (the client's first, as TLS sends them, then its chain) or of one DER."""
    from cryptography import x509

    if isinstance(certificate, str) and "-----BEGIN" in certificate:
        data = certificate.encode("ascii")
    elif isinstance(certificate, bytes | bytearray | memoryview):
        data = bytes(certificate)
    elif isinstance(certificate, str | PathLike):
        data = Path(certificate).read_bytes()
    else:
        raise TypeError(f"a certificate is bytes, PEM text or a path, not {type(certificate).__name__}")
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _validity(cert: object, moment: datetime) -> list[Issue]:
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc  # type: ignore[attr-defined]
    if moment > not_after:
        return [finding("KBC972", ("notAfter",), not_after.isoformat())]
    if moment < not_before:
        return [finding("KBC973", ("notBefore",), not_before.isoformat())]
    return []


def _organization_identifier(cert: object) -> list[Issue]:
    from cryptography.x509.oid import NameOID

    values = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)]  # type: ignore[attr-defined]
    value = values[0] if values else None
    if isinstance(value, str) and _ORGANIZATION_IDENTIFIER.fullmatch(value):
        return []
    return [finding("KBC974", ("subject", "organizationIdentifier"), value)]


def psd2_roles(cert: object) -> list[str] | None:
    """The PSD2 roles in the certificate's ETSI QCStatement, or None when it has no such statement."""
    from cryptography import x509

    try:
        extension = cert.extensions.get_extension_for_oid(x509.ObjectIdentifier(QC_STATEMENTS))  # type: ignore[attr-defined]
    except x509.ExtensionNotFound:
        return None
    raw = getattr(extension.value, "value", None)
    if not isinstance(raw, bytes):
        return None
    for statement in der.items(der.items(raw)[0].value):
        parts = der.items(statement.value)
        if parts and parts[0].tag == der.OID and der.oid(parts[0].value) == PSD2_STATEMENT and len(parts) > 1:
            roles = der.items(der.items(parts[1].value)[0].value)
            return [ROLES.get(der.oid(der.items(r.value)[0].value), der.items(r.value)[-1].value.decode())
                    for r in roles]
    return None


def _role(cert: object, role: str) -> list[Issue]:
    try:
        roles = psd2_roles(cert)
    except (ValueError, IndexError, UnicodeDecodeError):
        roles = None
    if roles is None:
        return [finding("KBC975", ("extensions", "qcStatements"), None)]
    if role not in roles:
        return [finding("KBC976", ("extensions", "qcStatements"), ", ".join(roles) or "none", role=role)]
    return []


def _client_auth(cert: object, x509: object) -> list[Issue]:
    extensions = cert.extensions  # type: ignore[attr-defined]
    reasons = []
    try:
        usages = [usage.dotted_string for usage in extensions.get_extension_for_class(
            x509.ExtendedKeyUsage).value]  # type: ignore[attr-defined]
        if _CLIENT_AUTH not in usages:
            reasons.append("its extended key usage does not include clientAuth")
    except x509.ExtensionNotFound:  # type: ignore[attr-defined]
        pass
    try:
        if not extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature:  # type: ignore[attr-defined]
            reasons.append("its key usage does not include digitalSignature")
    except x509.ExtensionNotFound:  # type: ignore[attr-defined]
        pass
    return [finding("KBC977", ("extensions",), None, reason="; ".join(reasons))] if reasons else []
