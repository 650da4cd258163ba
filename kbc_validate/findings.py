"""Findings (`Issue`), the `Report` that holds them, and their Berlin Group rendering.

A finding is data, in the manner of pydantic-core's ``ErrorDetails``: a stable ``code`` from the catalogue, a
``loc`` tuple, a message rendered from the rule's template, and the offending ``input``; a finding in an XML
document also carries the ``line`` and ``column`` of its element. Locations stay tuples
until the edge; `render_path` is the one place that turns them into ``payments[1].creditorAccount.iban``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Cause, Severity

Loc = tuple[str | int, ...]

_TEXT_MAX = 500  # Error400_NG_PIS: tppMessages[].text has maxLength 500
_SHOWN_CHARS = 60


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: what is wrong (``code``, ``cause``, ``severity``), where (``loc``) and with what (``input``)."""

    code: str
    cause: Cause
    severity: Severity
    loc: Loc
    message: str
    input: Any
    line: int | None = None  # where in a document (pain.001 XML): 1-based line and column of the element
    column: int | None = None

    @property
    def path(self) -> str:
        """The location as Berlin Group writes it: ``payments[1].creditorAccount.iban``."""
        return render_path(self.loc)


def finding(code: str, loc: Loc, value: Any, **ctx: Any) -> Issue:
    """Build the finding of rule `code` at `loc` for `value`, rendering the rule's message template."""
    rule = RULES_BY_CODE[code]
    shown = {key: printable(text) if isinstance(text, str) else text for key, text in ctx.items()} if ctx else ctx
    message = rule.template.format(value=show(value), **shown)
    return Issue(code, rule.cause, rule.severity, loc, message, value)


def render_path(loc: Loc) -> str:
    """``("payments", 1, "creditorAccount", "iban")`` -> ``payments[1].creditorAccount.iban``."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{printable(part)}" if parts else printable(str(part)))
    return "".join(parts)


def printable(text: str) -> str:
    """`text` with every character that is not printable written as an escape (``\\u000a``, ``\\u001b``): line
    breaks, controls, format characters, lone surrogates and unassigned code points. Every text that comes from the
    data (member names, values, file names) is printed through it, so that none can start a forged line, send a
    command to a terminal, or fail to encode.

    >>> printable("a\\nb\\x1b]0;x\\x07 \\udc00")
    'a\\\\u000ab\\\\u001b]0;x\\\\u0007 \\\\udc00'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def show(value: Any) -> str:
    """A short, unambiguous rendering of a JSON value for a message; invisible characters are escaped."""
    if isinstance(value, str):
        shown = value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"
        return f'"{printable(shown)}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 4 * _SHOWN_CHARS:  # not converted to digits (Python's limit)
        return f"a number of {_digits(value)} digits"
    if isinstance(value, int | float | Decimal):
        text = str(value) if isinstance(value, Decimal) else repr(value)
        return text if len(text) <= _SHOWN_CHARS else f"a number of {len(text)} digits"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} elements"
    return f"a value of Python type {type(value).__name__}"


def _digits(number: int) -> int:
    """How many decimal digits `number` has, without writing them out."""
    number = abs(number)
    digits = int(number.bit_length() * 0.30102999566398120)  # log10(2): one less than the count, or the count
    return digits + int(number >= 10**digits)


class PaymentValidationError(ValueError):
    """Raised by `Report.raise_for_errors`: the request would be refused. ``.report`` holds every finding."""

    def __init__(self, report: Report) -> None:
        self.report = report
        first = report.errors[0]
        more = len(report.errors) - 1
        suffix = f" (and {more} more)" if more else ""
        super().__init__(f"{first.code} at {first.path or 'the body'}: {first.message}{suffix}")


@dataclass(frozen=True, slots=True)
class Report:
    """Every finding about one request, in body order."""

    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not any(issue.severity is Severity.ERROR for issue in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity is Severity.WARNING)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of all findings, in order: handy in tests and logs."""
        return tuple(issue.code for issue in self.issues)

    def to_error400(self) -> dict[str, list[dict[str, str]]]:
        """The Berlin Group ``Error400_NG_PIS`` body KBC would answer with, for the errors only."""
        return {"tppMessages": [_tpp_message(issue) for issue in self.errors]}

    def raise_for_errors(self) -> None:
        """Raise `PaymentValidationError` carrying this report when any finding is an error."""
        if not self.ok:
            raise PaymentValidationError(self)


def _tpp_message(issue: Issue) -> dict[str, str]:
    message = {"category": "ERROR", "code": issue.cause.berlin_group_code}
    if issue.loc:
        message["path"] = issue.path
    message["text"] = f"{issue.code} {issue.message}"[:_TEXT_MAX]
    return message


def sort_in_body_order(body: Any, issues: Iterable[Issue]) -> tuple[Issue, ...]:
    """Order findings by where they are in `body` (member order as written, list index), then by rule code.

    A location that is not in the body (a missing member) sorts after its present siblings.
    """
    return tuple(sorted(issues, key=lambda issue: (_position(body, issue.loc), issue.code)))


def _position(body: Any, loc: Loc) -> tuple[int, ...]:
    position: list[int] = []
    node = body
    for part in loc:
        if isinstance(node, dict):
            keys = list(node)
            index = keys.index(part) if part in node else len(keys)
            position.append(index)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            position.append(part)
            node = node[part]
        else:
            position.append(1 << 30)
            node = None
    return tuple(position)
