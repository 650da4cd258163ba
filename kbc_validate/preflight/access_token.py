"""`check_access_token` and `check_screen_scrape_identifier`: the credentials that give 401 when they are wrong.

An access token is sent as ``Authorization: Bearer <token>``. A JWT's ``exp`` is compared with the moment `at`
(default: now, UTC); its signature is not verified (there is no key here). An opaque token is accepted as it is.
The screen-scraping fallback sends ``tppScreenScrapeIdentifier``, valid until the validity KBC returned with it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, datetime

from kbc_validate.findings import Issue, Report, finding


def check_access_token(authorization: str | None, at: datetime | None = None) -> Report:
    """Every reason KBC would refuse the ``Authorization`` header value `authorization` at `at`."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Report((finding("KBC980", ("Authorization",), authorization),))
    return Report(tuple(_check_jwt(token.strip(), at or datetime.now(UTC))))


def _check_jwt(token: str, moment: datetime) -> list[Issue]:
    parts = token.split(".")
    if len(parts) != 3:
        return []  # an opaque token: nothing to read
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError) as error:
        return [finding("KBC982", ("Authorization",), None, reason=f"its payload is not base64url JSON ({error})")]
    if not isinstance(payload, dict):
        return [finding("KBC982", ("Authorization",), None, reason="its payload is not a JSON object")]
    expiry = payload.get("exp")
    if expiry is None:
        return []
    if not isinstance(expiry, int | float) or isinstance(expiry, bool):
        return [finding("KBC982", ("Authorization",), None, reason="exp is not a number of seconds")]
    expired = datetime.fromtimestamp(expiry, UTC)
    return [finding("KBC981", ("Authorization",), None, expired=expired.isoformat())] if moment >= expired else []


def check_screen_scrape_identifier(
    headers: Mapping[str, str], validity: datetime | str | None = None, at: datetime | None = None
) -> Report:
    """When `headers` carry ``tppScreenScrapeIdentifier``: it is not empty, and `validity` (as KBC returned it)
    has not passed at `at` (default: now, UTC). Without the header, nothing to report."""
    present = {str(name).lower(): value for name, value in headers.items()}
    identifier = present.get("tppscreenscrapeidentifier")
    if identifier is None:
        return Report(())
    if not str(identifier).strip():
        return Report((finding("KBC983", ("tppScreenScrapeIdentifier",), identifier),))
    until = datetime.fromisoformat(validity) if isinstance(validity, str) else validity
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    if until is not None and (at or datetime.now(UTC)) >= until:
        return Report((finding("KBC984", ("tppScreenScrapeIdentifier",), until.isoformat()),))
    return Report(())
