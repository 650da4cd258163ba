"""Real requests and httpx clients against a real HTTP server on loopback: an invalid payment initiation never
reaches the server, a valid one arrives unchanged, other requests pass through."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
import requests

from kbc_validate import PaymentValidationError
from kbc_validate.integrations.httpx import async_request_hook, request_hook, validating_hooks
from kbc_validate.integrations.requests import ValidatingAdapter
from tests.bodies import BULK, SINGLE, TODAY, with_value

HEADERS = {
    "X-Request-ID": "3f1c2b7e-8a4d-4c1e-9d55-0a6b2f7c9e10",
    "PSU-IP-Address": "192.0.2.10",
    "TPP-Redirect-URI": "https://tpp.example/cb",
    "Content-Type": "application/json",
}
VALID = json.dumps(SINGLE).encode()
INVALID = json.dumps(with_value(SINGLE, ("instructedAmount", "amount"), "0")).encode()


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, str, bytes]]] = []

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append((self.command, self.path, self.rfile.read(length)))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"transactionStatus": "RCVD", "paymentId": "1234"}')

    do_POST = do_GET = _record  # noqa: N815 - http.server's handler names

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/psd2/v2"
    httpd.shutdown()
    httpd.server_close()


def test_requests_adapter(server: str) -> None:
    session = requests.Session()
    session.mount(server, ValidatingAdapter(today=TODAY))
    url = f"{server}/payments/sepa-credit-transfers"
    with pytest.raises(PaymentValidationError) as raised:
        session.post(url, data=INVALID, headers=HEADERS, timeout=10)
    assert raised.value.report.codes == ("KBC200",)
    assert Recorder.received == []
    response = session.post(url, data=VALID, headers=HEADERS, timeout=10)
    assert response.status_code == 201
    assert Recorder.received == [("POST", "/psd2/v2/payments/sepa-credit-transfers", VALID)]
    session.get(f"{server}/accounts", timeout=10)  # not a payment initiation: passes through
    assert Recorder.received[-1][:2] == ("GET", "/psd2/v2/accounts")


def test_requests_adapter_refuses_missing_headers_before_sending(server: str) -> None:
    session = requests.Session()
    session.mount(server, ValidatingAdapter(today=TODAY))
    with pytest.raises(PaymentValidationError) as raised:
        session.post(f"{server}/payments/sepa-credit-transfers", json=SINGLE, timeout=10)
    assert {"KBC953"} == set(raised.value.report.codes)
    assert Recorder.received == []


def test_httpx_client(server: str) -> None:
    hook, _ = validating_hooks(today=TODAY)
    with httpx.Client(event_hooks={"request": [hook]}) as client:
        with pytest.raises(PaymentValidationError):
            client.post(f"{server}/payments/sepa-credit-transfers", content=INVALID, headers=HEADERS)
        assert Recorder.received == []
        response = client.post(f"{server}/payments/sepa-credit-transfers", content=VALID, headers=HEADERS)
        assert response.status_code == 201
        client.get(f"{server}/accounts")
    assert Recorder.received == [("POST", "/psd2/v2/payments/sepa-credit-transfers", VALID), ("GET", "/psd2/v2/accounts", b"")]


def test_httpx_async_client(server: str) -> None:
    _, async_hook = validating_hooks(today=TODAY)

    async def run() -> int:
        async with httpx.AsyncClient(event_hooks={"request": [async_hook]}) as client:
            with pytest.raises(PaymentValidationError):
                await client.post(f"{server}/payments/sepa-credit-transfers", content=INVALID, headers=HEADERS)
            response = await client.post(f"{server}/payments/sepa-credit-transfers", content=VALID, headers=HEADERS)
            return response.status_code

    assert asyncio.run(run()) == 201
    assert Recorder.received == [("POST", "/psd2/v2/payments/sepa-credit-transfers", VALID)]


def test_default_hooks_exist_for_today_in_brussels() -> None:
    assert callable(request_hook)
    assert asyncio.iscoroutinefunction(async_request_hook)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
XML_HEADERS = {**HEADERS, "Content-Type": "application/xml"}
XML_TODAY = date(2026, 12, 5)  # the day the pain.001 examples are written for
VALID_XML = (EXAMPLES / "bulk-payment.xml").read_bytes()
INVALID_XML = (EXAMPLES / "faulty-bulk.xml").read_bytes()
PAIN001 = "/psd2/v2/bulk-payments/pain.001"


def test_requests_adapter_stops_an_invalid_bulk_upload(server: str, tmp_path: Path) -> None:
    session = requests.Session()
    session.mount(server, ValidatingAdapter(today=XML_TODAY))
    url = f"{server}/bulk-payments/pain.001"
    with pytest.raises(PaymentValidationError) as raised:
        session.post(url, data=INVALID_XML, headers=XML_HEADERS, timeout=10)
    assert {"KBC320", "KBC810"} <= set(raised.value.report.codes)
    assert Recorder.received == []
    assert session.post(url, data=VALID_XML, headers=XML_HEADERS, timeout=10).status_code == 201
    assert Recorder.received == [("POST", PAIN001, VALID_XML)]
    (tmp_path / "bulk.xml").write_bytes(VALID_XML)
    (tmp_path / "faulty.xml").write_bytes(INVALID_XML)
    with (tmp_path / "faulty.xml").open("rb") as upload, pytest.raises(PaymentValidationError):
        session.post(url, data=upload, headers=XML_HEADERS, timeout=10)
    with (tmp_path / "bulk.xml").open("rb") as upload:  # a file is read to be validated, then sent whole
        assert session.post(url, data=upload, headers=XML_HEADERS, timeout=10).status_code == 201
    assert Recorder.received == [("POST", PAIN001, VALID_XML)] * 2


def test_httpx_hooks_stop_an_invalid_bulk_upload(server: str) -> None:
    hook, async_hook = validating_hooks(today=XML_TODAY)
    url = f"{server}/bulk-payments/pain.001"
    with httpx.Client(event_hooks={"request": [hook]}) as client:
        with pytest.raises(PaymentValidationError) as raised:
            client.post(url, content=INVALID_XML, headers=XML_HEADERS)
        assert "KBC320" in raised.value.report.codes
        assert Recorder.received == []
        assert client.post(url, content=VALID_XML, headers=XML_HEADERS).status_code == 201

    async def run() -> int:
        async with httpx.AsyncClient(event_hooks={"request": [async_hook]}) as client:
            with pytest.raises(PaymentValidationError):
                await client.post(url, content=INVALID_XML, headers=XML_HEADERS)
            response = await client.post(url, content=VALID_XML, headers=XML_HEADERS)
            return response.status_code

    assert asyncio.run(run()) == 201
    assert Recorder.received == [("POST", PAIN001, VALID_XML)] * 2


def test_a_json_bulk_request_is_refused_before_it_is_sent(server: str) -> None:
    """KBC offers bulk payments only as pain.001: a Berlin Group JSON bulk request never leaves the machine."""
    session = requests.Session()
    session.mount(server, ValidatingAdapter(today=TODAY))
    with pytest.raises(PaymentValidationError) as raised:
        session.post(f"{server}/bulk-payments/sepa-credit-transfers", json=BULK, headers=HEADERS, timeout=10)
    assert "KBC951" in raised.value.report.codes
    assert Recorder.received == []
