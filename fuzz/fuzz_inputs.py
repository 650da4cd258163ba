"""Fuzz every input kind and every public entry point of kbc-validate: no input may raise.

    python fuzz/fuzz_inputs.py -max_total_time=600          # ten minutes (atheris, libFuzzer's options)
    python fuzz/fuzz_inputs.py -max_total_time=600 corpus/  # keeping what it found interesting in corpus/
    python fuzz/fuzz_inputs.py crash-1234abcd                # run one input again

The first byte of an input chooses the entry point, the rest is its data: a JSON, JSON Lines or CSV file read
and written in every output format, `validate_payment`, `validate_request`, the three preflight checks and
`validate_batch`. An input that makes one raise is a crash: libFuzzer writes it to ``crash-<hash>``; copy it into
``fuzz/crashes/`` and ``tests/test_fuzz.py`` runs it on every test run from then on.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
_FOLDER = Path(tempfile.mkdtemp(prefix="kbc-fuzz-"))


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _value(data: bytes) -> Any:
    """A Python value from the data: its JSON when it is JSON (NaN, big numbers and all), else its text."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return _text(data)


def _file(kind: str, data: bytes) -> None:
    from kbc_validate.files.inputs import ReadOptions, read_input
    from kbc_validate.files.located import FileStats
    from kbc_validate.formats.github import GithubFormat
    from kbc_validate.formats.json_format import JsonFormat
    from kbc_validate.formats.sarif import SarifFormat
    from kbc_validate.formats.summary import Summary
    from kbc_validate.formats.text import TextFormat

    path = _FOLDER / (os.fsdecode(data[:8].replace(b"/", b"_").replace(b"\x00", b"_")) + f".{kind}")
    path.write_bytes(data)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # strict: a text that cannot be encoded raises
    formats = [TextFormat(out, colour=True), JsonFormat(out), GithubFormat(out), SarifFormat(out, "0")]
    summary = Summary(files=1)
    for item in read_input(str(path), ReadOptions(today=TODAY, engine="rows", jobs=1), FileStats()):
        for located in item.located() if hasattr(item, "located") else [item]:
            summary.add(located)
            for writer in formats:
                writer.finding(located)
    for writer in formats:
        writer.finish(summary)
    out.flush()
    path.unlink()


def _payment(data: bytes) -> None:
    from kbc_validate import validate_payment

    for service in ("payments", "periodic-payments", "bulk-payments"):
        report = validate_payment(_value(data), service=service, today=TODAY)
        report.to_error400()
        json.dumps(report.to_error400()).encode("utf-8")


def _request(data: bytes) -> None:
    from kbc_validate import validate_request

    url, _, rest = data.partition(b"\n")
    header, _, body = rest.partition(b"\n")
    headers = {"X-Request-ID": _text(header), "TPP-Redirect-URI": _text(header), "PSU-IP-Address": header}
    for route in (url, b"https://x/psd2/v2/payments/sepa-credit-transfers"):
        validate_request("POST", _text(route), headers, body, today=TODAY)


def _preflight(data: bytes) -> None:
    from kbc_validate import check_access_token, check_client_certificate, check_screen_scrape_identifier

    check_access_token(_text(data), at=NOW)
    check_access_token("Bearer a." + _text(data) + ".b", at=NOW.replace(tzinfo=None))
    check_screen_scrape_identifier({"tppScreenScrapeIdentifier": _text(data[:8])}, _text(data[8:]), at=NOW)
    check_client_certificate(data, at=NOW)
    check_client_certificate(b"-----BEGIN CERTIFICATE-----\n" + data + b"\n-----END CERTIFICATE-----\n", at=NOW)


def _batch(data: bytes) -> None:
    try:
        import polars as pl
    except ImportError:
        return
    from kbc_validate.columnar.batch import validate_batch

    cells = data.decode("utf-8", "replace").split("\t")  # a polars string holds no lone surrogate
    names = ["creditor_iban", "amount", "creditor_name", "end_to_end_id", cells[0][:20]]
    columns = {name: [cell or None for cell in cells[index::5]] for index, name in enumerate(dict.fromkeys(names))}
    height = min(map(len, columns.values()))
    validate_batch(pl.DataFrame({name: values[:height] for name, values in columns.items()}), today=TODAY)


TARGETS = [lambda data: _file("json", data), lambda data: _file("jsonl", data), lambda data: _file("csv", data),
           _payment, _request, _preflight, _batch]


def one_input(data: bytes) -> None:
    """Run the entry point the first byte chooses on the rest; any exception is a crash."""
    if data:
        TARGETS[data[0] % len(TARGETS)](data[1:])


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["kbc_validate"]):
        import kbc_validate
        import kbc_validate.columnar.batch
        import kbc_validate.files.inputs  # noqa: F401
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
