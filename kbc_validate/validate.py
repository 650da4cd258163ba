"""`validate_payment`: every rule on one payment-initiation body, all findings collected, in body order."""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Any

from kbc_validate.findings import Report, finding, sort_in_body_order
from kbc_validate.rules.bodies import SPECS, check_body, is_clean_body
from kbc_validate.rules.context import Context

SERVICES = tuple(SPECS)
BRUSSELS = "Europe/Brussels"
_CLEAN = Report(())
# KBC takes bulk payments only as pain.001 XML (validate_pain001): every Berlin Group JSON bulk body is told so.
_BULK_NOT_OFFERED = finding("KBC802", (), None)
_CLEAN_BULK = Report((_BULK_NOT_OFFERED,))


def validate_payment(body: Any, service: str = "payments", today: date | None = None) -> Report:
    """Check `body` as KBC would check a ``POST .../{service}/sepa-credit-transfers`` request body.

    `body` is the decoded JSON (any value: a non-object is a finding) or one of kbc_validate.models' body models.
    `service` is ``"payments"``, ``"periodic-payments"`` or ``"bulk-payments"`` (the Berlin Group JSON bulk body,
    which KBC does not take: a warning, ``KBC802``, says so, and its payments are checked). `today` is the date
    execution dates are compared with; None means today in Europe/Brussels. Never raises on `body`, never mutates it.
    """
    if service not in SPECS:
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")
    if type(today) is not date:  # the usual case, a plain date, skips the call
        today = _resolve_today(today)
    if type(body) is not dict:
        body = _as_json(body)
        if not isinstance(body, dict):
            return Report((finding("KBC100", (), body),))
    if is_clean_body(body, service, Context(today)):  # fast path: most bodies are clean
        return _CLEAN_BULK if service == "bulk-payments" else _CLEAN
    ctx = Context(today)
    check_body(body, service, ctx)
    if service == "bulk-payments":
        ctx.issues.append(_BULK_NOT_OFFERED)
    return Report(sort_in_body_order(body, ctx.issues))


def brussels_today() -> date:
    """Today's date in Europe/Brussels, the time zone of KBC's execution dates."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(BRUSSELS)).date()


def _resolve_today(today: object) -> date:
    if today is None:
        return brussels_today()
    if isinstance(today, datetime) or not isinstance(today, date):
        raise TypeError(f"today must be a datetime.date (or None for today in {BRUSSELS}), not {type(today).__name__}")
    return today


def _as_json(body: Any) -> Any:
    """A body model instance as the JSON it stands for; any other value unchanged."""
    models = sys.modules.get("kbc_validate.models")  # a model instance implies the module is loaded
    if models is not None and isinstance(body, models.BodyModel):
        return body.to_body()
    return body
