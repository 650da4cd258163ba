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
from datetime import UTC, date, datetime, time
from decimal import Decimal

from kbc_validate.files.json_positions import json_int
from kbc_validate.findings import Issue, Report, finding, show


def moment(at: datetime | None) -> datetime:
    """The moment of a check: `at`, read as UTC when it has no time zone; now (UTC) when None."""
    if at is None:
        return datetime.now(UTC)
    if not isinstance(at, datetime):
        raise TypeError(f"at must be a datetime (or None for now), not {type(at).__name__}")
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def check_access_token(authorization: str | None, at: datetime | None = None) -> Report:
    """Every reason KBC would refuse the ``Authorization`` header value `authorization` at `at` (a datetime without
    a time zone is read as UTC)."""
    when = moment(at)
    header = authorization.decode("latin-1") if isinstance(authorization, bytes | bytearray) else authorization
    scheme, _, token = (header if isinstance(header, str) else "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Report((finding("KBC980", ("Authorization",), authorization),))
    return Report(tuple(_check_jwt(token.strip(), when)))


def _not_json(literal: str) -> None:
    raise ValueError(f"{literal} is not a JSON value")


def _check_jwt(token: str, when: datetime) -> list[Issue]:
    parts = token.split(".")
    if len(parts) != 3:
        return []  # an opaque token: nothing to read
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        payload = json.loads(raw, parse_int=json_int, parse_constant=_not_json)
    except (binascii.Error, ValueError) as error:
        return [finding("KBC982", ("Authorization",), None, reason=f"its payload is not base64url JSON ({error})")]
    except RecursionError:
        return [finding("KBC982", ("Authorization",), None, reason="its payload is nested too deeply")]
    if not isinstance(payload, dict):
        return [finding("KBC982", ("Authorization",), None, reason="its payload is not a JSON object")]
    expiry = payload.get("exp")
    if expiry is None:
        return []
    if not isinstance(expiry, int | float | Decimal) or isinstance(expiry, bool):
        return [finding("KBC982", ("Authorization",), None, reason="exp is not a number of seconds")]
    if expiry > when.timestamp():  # compared as numbers: exp may be past what a datetime holds (milliseconds)
        return []
    try:
        expired = datetime.fromtimestamp(float(expiry), UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        expired = f"{show(expiry)} seconds from 1970-01-01, before the year 1"
    return [finding("KBC981", ("Authorization",), None, expired=expired)]


def check_screen_scrape_identifier(
    headers: Mapping[str, str], validity: datetime | str | None = None, at: datetime | None = None
) -> Report:
    """When `headers` carry ``tppScreenScrapeIdentifier``: it is not empty, and `validity` (as KBC returned it)
    has not passed at `at` (default: now, UTC; datetimes without a time zone are read as UTC). A validity that is
    not a date-time is a warning (``KBC985``): whether the identifier expired cannot be told."""
    when = moment(at)
    present = {_text(name).lower(): value for name, value in headers.items()}
    identifier = present.get("tppscreenscrapeidentifier")
    if identifier is None:
        return Report(())
    if not _text(identifier).strip():
        return Report((finding("KBC983", ("tppScreenScrapeIdentifier",), identifier),))
    until = _until(validity)
    if until is None and validity is not None:
        return Report((finding("KBC985", ("tppScreenScrapeIdentifier",), validity),))
    if until is not None and when >= until:
        return Report((finding("KBC984", ("tppScreenScrapeIdentifier",), until.isoformat()),))
    return Report(())


def _text(value: object) -> str:
    """A header name or value as text (requests accepts bytes)."""
    return value.decode("latin-1") if isinstance(value, bytes | bytearray) else str(value)


def _until(validity: object) -> datetime | None:
    """The validity as an aware datetime (UTC when it names no time zone); None when it is none or not a date."""
    if isinstance(validity, str):
        try:
            validity = datetime.fromisoformat(validity)
        except ValueError:
            return None
    if isinstance(validity, date) and not isinstance(validity, datetime):
        validity = datetime.combine(validity, time())
    if not isinstance(validity, datetime):
        return None
    return validity if validity.tzinfo is not None else validity.replace(tzinfo=UTC)
