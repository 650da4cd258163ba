"""Writes the example eIDAS certificates the rule pages check (self-signed; their keys are thrown away).

Run from the repository's root: ``python examples/certificates/make_certificates.py`` (needs the test extra).
Each certificate is valid, or not, on 2026-11-24, the date the examples are checked on.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.test_preflight import make_certificate

FOLDER = Path(__file__).resolve().parent
CERTIFICATES = {
    "qwac.pem": {},
    "expired.pem": {"not_before": datetime(2024, 11, 1, tzinfo=UTC), "not_after": datetime(2025, 11, 1, tzinfo=UTC)},
    "not-yet-valid.pem": {"not_before": datetime(2027, 1, 1, tzinfo=UTC)},
    "no-psd2-organization-identifier.pem": {"organization_identifier": "VATBE-0123456789"},
    "no-psd2-statement.pem": {"psd2": False},
    "account-information-only.pem": {"roles": ["PSP_AI"]},
    "server-only.pem": {"usages": [ExtendedKeyUsageOID.SERVER_AUTH]},
}


def main() -> None:
    for name, changes in CERTIFICATES.items():
        validity = {"not_before": datetime(2026, 1, 1, tzinfo=UTC), "not_after": datetime(2036, 1, 1, tzinfo=UTC)}
        certificate = make_certificate(**{**validity, **changes})  # type: ignore[arg-type]
        (FOLDER / name).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (FOLDER / "not-a-certificate.pem").write_text("This file holds no certificate.\n", encoding="utf-8")


if __name__ == "__main__":
    main()
