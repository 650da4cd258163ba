"""What a validation run knows besides the value being checked: today, and what cross-member rules collect."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kbc_validate.findings import Issue, Loc, finding

FAR_AHEAD = timedelta(days=365)


class Context:
    """Today, the findings reported so far, and the accounts the same-account rule compares."""

    __slots__ = ("creditor_ibans", "debtor_iban", "far_ahead", "issues", "today")

    def __init__(self, today: date) -> None:
        self.today = today
        self.far_ahead = _FAR_AHEAD.get(today) or _far_ahead(today)
        self.issues: list[Issue] = []
        self.debtor_iban: str | None = None
        self.creditor_ibans: list[tuple[Loc, str]] = []

    def report(self, code: str, loc: Loc, value: Any, **ctx: Any) -> None:
        """Record the finding of rule `code` at `loc`."""
        self.issues.append(finding(code, loc, value, **ctx))


# Hot path: a context is made for every body; the date arithmetic is done once per `today`.
_FAR_AHEAD: dict[date, date] = {}


def _far_ahead(today: date) -> date:
    if len(_FAR_AHEAD) > 1024:
        _FAR_AHEAD.clear()
    _FAR_AHEAD[today] = far = today + FAR_AHEAD if today < date.max - FAR_AHEAD else date.max
    return far
