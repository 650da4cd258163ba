"""``kbc-validate FILE...``: validate payment bodies stored as JSON files.

Each file holds one body; the service is recognised from its shape (a ``payments`` list: bulk; ``frequency`` or
``startDate``: periodic; otherwise a single payment) unless ``--service`` says it. Exit status: 0 when no file has
an error (warnings allowed), 1 when one has, 2 for a usage error or a file that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from kbc_validate.findings import Report
from kbc_validate.validate import SERVICES, validate_payment


def recognise_service(body: Any) -> str:
    """The service a body's shape belongs to."""
    if isinstance(body, dict):
        if isinstance(body.get("payments"), list):
            return "bulk-payments"
        if "frequency" in body or "startDate" in body:
            return "periodic-payments"
    return "payments"


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def load_json(text: str) -> Any:
    """Parse strictly: NaN and Infinity literals are refused, as KBC refuses them."""
    return json.loads(text, parse_constant=_reject_constant)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("invalid")
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbc-validate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON files with one body each; - for standard input")
    parser.add_argument("--service", choices=SERVICES, help="the payment service (default: recognised from the body)")
    parser.add_argument(
        "--today", type=_parse_date, help="the date execution dates are compared with (default: today in Brussels)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    with open(name, encoding="utf-8-sig") as handle:
        return handle.read()


def _print_text(name: str, report: Report, out: TextIO) -> None:
    for issue in report.issues:
        print(f"{name}: {issue.path or '(body)'}: {issue.code} {issue.severity}: {issue.message}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    status, results = 0, []
    for name in args.files:
        try:
            text = _read(name)
        except (OSError, UnicodeDecodeError) as error:
            print(f"{name}: cannot read: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
            return 2
        try:
            body = load_json(text)
        except ValueError as error:
            line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
            print(f"{name}:{line}:{column}: invalid JSON: {getattr(error, 'msg', error)}", file=sys.stdout)
            status = 1
            continue
        report = validate_payment(body, service=args.service or recognise_service(body), today=args.today)
        status = max(status, 0 if report.ok else 1)
        if args.format == "text":
            _print_text(name, report, sys.stdout)
        results.append({"file": name, "ok": report.ok, "findings": [_as_dict(issue) for issue in report.issues]})
    if args.format == "json":
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False, default=str)
        print()
    return status


def _as_dict(issue: Any) -> dict[str, Any]:
    return {"path": issue.path, "code": issue.code, "cause": str(issue.cause), "severity": str(issue.severity),
            "message": issue.message}


if __name__ == "__main__":
    raise SystemExit(main())
