"""`validate_request`: a whole payment-initiation request as KBC receives it: path, headers and body.

The path is recognised whatever the host (KBC, CBC, KBC Brussels, their sandbox, a test server):
``POST .../psd2/v2/{payment-service}/{payment-product}``. ``payments`` and ``periodic-payments`` with
``sepa-credit-transfers`` carry a JSON body, parsed strictly and checked by `validate_payment`; KBC's
``bulk-payments/pain.001`` carries a pain.001 XML body, checked by `validate_pain001` (each finding with its line
and column in the body). KBC offers bulk payments only as pain.001: ``bulk-payments/sepa-credit-transfers`` (the
Berlin Group JSON bulk body) is a product it does not offer (``KBC951``, 404). Header names are case-insensitive;
findings about a header have the header's name as their location.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from kbc_validate.files.json_source import StrictJson
from kbc_validate.findings import Issue, Report, finding
from kbc_validate.validate import SERVICES, validate_payment

_INITIATION = re.compile(r"/psd2/v2/(?P<service>[^/]+)/(?P<product>[^/]+)/?$")
OFFERED = {
    ("payments", "sepa-credit-transfers"): "application/json",
    ("periodic-payments", "sepa-credit-transfers"): "application/json",
    ("bulk-payments", "pain.001"): "application/xml",
}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def payment_initiation(method: str, url: str) -> tuple[str, str] | None:
    """(service, product) when `method` and `url` initiate a payment, else None (the request is something else,
    or its URL cannot be read, such as ``https://[::1/...``)."""
    try:
        match = _INITIATION.search(urlsplit(_text(url)).path)
    except ValueError:
        return None
    if _text(method).upper() != "POST" or match is None:
        return None
    service, product = match.group("service"), match.group("product")
    return (service, product) if service in SERVICES else None


def is_payment_initiation(method: str, url: str) -> bool:
    return payment_initiation(method, url) is not None


def validate_request(
    method: str, url: str, headers: Mapping[str, Any], body: bytes | str | Any, *, today: date | None = None
) -> Report:
    """Every finding about a payment-initiation request; `body` as bytes, text or the decoded JSON value."""
    route = payment_initiation(method, url)
    if route is None:
        return Report((finding("KBC950", ("path",), _text(url), method=_text(method).upper()),))
    issues: list[Issue] = []
    expected_type = OFFERED.get(route)
    if expected_type is None:
        issues.append(finding("KBC951", ("path",), url, service=route[0], product=route[1]))
    issues += check_headers(headers, expected_type or "application/json")
    if route == ("bulk-payments", "pain.001"):
        issues += pain001_body_issues(body, today)
    elif expected_type is not None:
        value, parse_issues = parse_body(body)
        issues += parse_issues
        if not parse_issues:
            issues += validate_payment(value, service=route[0], today=today).issues
    return Report(tuple(issues))


def pain001_body_issues(body: Any, today: date | None) -> list[Issue]:
    """The findings of a pain.001 body: bytes or text (``None``: an empty body), or a binary file object that can
    seek (read, then put back where it stood, so that it is sent whole)."""
    from kbc_validate.pain001 import validate_pain001

    if body is None or isinstance(body, bytes | bytearray | memoryview | str):
        return list(validate_pain001(body or b"", today=today).issues)
    seekable = getattr(body, "seekable", None)
    if hasattr(body, "read") and seekable is not None and seekable():
        start = body.tell()
        try:
            return list(validate_pain001(body, today=today).issues)
        finally:
            body.seek(start)
    reason = f"the body is {type(body).__name__}, not the document's bytes, its text or a file that can seek"
    return [finding("KBC920", ("body",), None, reason=reason)]


def parse_body(body: bytes | str | Any) -> tuple[Any, list[Issue]]:
    """The JSON value of a request body, parsed as strictly as KBC parses it, and what is wrong with it."""
    if not isinstance(body, bytes | bytearray | str):
        return body, []
    try:
        text = body.decode("utf-8") if isinstance(body, bytes | bytearray) else body
    except UnicodeDecodeError as error:
        return None, [finding("KBC900", ("body",), None, reason=f"byte {error.start} is not UTF-8")]
    strict = StrictJson()
    try:
        value = strict.loads(text)
    except json.JSONDecodeError as error:
        reason = f"{error.msg} (line {error.lineno}, column {error.colno})"
        return None, [finding("KBC900", ("body",), None, reason=reason)]
    except RecursionError:
        return None, [finding("KBC900", ("body",), None, reason="nested too deeply")]
    issues = [finding("KBC900", ("body",), None, reason=f"{name} is not a JSON value") for name in strict.non_finite]
    issues += [finding("KBC901", ("body",), None, member=key) for key in sorted(strict.duplicates)]
    return value, issues


def check_headers(headers: Mapping[str, Any], content_type: str) -> list[Issue]:
    """The headers KBC expects on a payment initiation, looked up case-insensitively."""
    present = {_text(name).lower(): _text(value) for name, value in headers.items()}
    checks = (
        ("X-Request-ID", "a UUID (8-4-4-4-12 hexadecimal digits)", lambda v: _UUID.fullmatch(v) is not None),
        ("PSU-IP-Address", "an IPv4 or IPv6 address", _is_ip_address),
        ("TPP-Redirect-URI", "an absolute https URI", _is_https_uri),
        ("Content-Type", content_type, lambda v: v.split(";")[0].strip().lower() == content_type),
    )
    issues = []
    for name, expected, valid in checks:
        value = present.get(name.lower())
        if value is None:
            issues.append(finding("KBC953", (name,), None, header=name))
        elif not valid(value):
            issues.append(finding("KBC954", (name,), value, header=name, expected=expected))
    return issues


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_https_uri(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in value)
    except ValueError:  # https://[::1/cb: a bracket not closed
        return False


def _text(value: object) -> str:
    """A method, URL, header name or value as text: bytes (which requests accepts) as HTTP's Latin-1."""
    return value.decode("latin-1") if isinstance(value, bytes | bytearray) else str(value)
