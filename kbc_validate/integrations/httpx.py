"""httpx: event hooks that validate payment initiations before they are sent, for `Client` and `AsyncClient`.

    import httpx
    from kbc_validate.integrations.httpx import async_request_hook, request_hook

    client = httpx.Client(event_hooks={"request": [request_hook]})
    async_client = httpx.AsyncClient(event_hooks={"request": [async_request_hook]})

A faulty payment initiation raises `PaymentValidationError` (carrying the report) from the call that would have
sent it. `validating_hooks(today=...)` makes a pair bound to a fixed date, for tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import httpx

from kbc_validate.request import is_payment_initiation, validate_request


def _validate(request: httpx.Request, body: bytes, today: date | None) -> None:
    validate_request(request.method, str(request.url), request.headers, body, today=today).raise_for_errors()


def validating_hooks(
    today: date | None = None,
) -> tuple[Callable[[httpx.Request], None], Callable[[httpx.Request], Awaitable[None]]]:
    """A (sync, async) pair of request hooks comparing execution dates with `today` (None: today in Brussels)."""

    def hook(request: httpx.Request) -> None:
        if is_payment_initiation(request.method, str(request.url)):
            _validate(request, request.read(), today)

    async def async_hook(request: httpx.Request) -> None:
        if is_payment_initiation(request.method, str(request.url)):
            _validate(request, await request.aread(), today)

    return hook, async_hook


request_hook, async_request_hook = validating_hooks()
