"""requests: a transport adapter that validates payment initiations before sending them.

    import requests
    from kbc_validate.integrations.requests import ValidatingAdapter

    session = requests.Session()
    session.mount("https://psd2.api.kbc.be/psd2/v2/", ValidatingAdapter())
    session.post(...)  # raises PaymentValidationError, carrying the report, instead of sending a faulty payment
"""

from __future__ import annotations

from datetime import date
from typing import Any

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter

from kbc_validate.request import is_payment_initiation, validate_request


class ValidatingAdapter(HTTPAdapter):
    """An `HTTPAdapter` that raises `PaymentValidationError` for a payment initiation KBC would refuse.

    `today` is the date execution dates are compared with (None: today in Europe/Brussels). Other requests, and
    payment initiations with warnings only, are sent unchanged. A pain.001 body given as a file (``data=open(...)``)
    is read to be validated, then put back where it stood before it is sent."""

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        method, url = request.method or "", request.url or ""
        if is_payment_initiation(method, url):
            validate_request(method, url, request.headers, _body(request), today=self.today).raise_for_errors()
        return super().send(request, *args, **kwargs)


def _body(request: PreparedRequest) -> Any:
    """The bytes or text the request sends. A file's are read, and it is rewound when it can be; an iterator's
    (a generator, a file that cannot be rewound) are read and sent as they were read."""
    body: Any = request.body
    if body is None or isinstance(body, bytes | str):
        return body
    if hasattr(body, "read"):
        start = body.tell() if _seekable(body) else None
        data = body.read()
        if start is not None:
            body.seek(start)
        else:
            request.body = data
        return data
    chunks = [chunk.encode() if isinstance(chunk, str) else bytes(chunk) for chunk in body]
    request.body = b"".join(chunks)
    return request.body


def _seekable(body: Any) -> bool:
    try:
        return bool(body.seekable())
    except (AttributeError, OSError, ValueError):
        return False
