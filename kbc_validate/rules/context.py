"""What a validation run knows besides the value being checked: today, and what cross-member rules collect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kbc_validate.findings import Issue, Loc, finding

FAR_AHEAD = timedelta(days=365)


@dataclass(slots=True)
class Context:
    today: date
    issues: list[Issue] = field(default_factory=list)
    debtor_iban: str | None = None
    creditor_ibans: list[tuple[Loc, str]] = field(default_factory=list)
    far_ahead: date = field(init=False)

    def __post_init__(self) -> None:
        self.far_ahead = self.today + FAR_AHEAD

    def report(self, code: str, loc: Loc, value: Any, **ctx: Any) -> None:
        """Record the finding of rule `code` at `loc`."""
        self.issues.append(finding(code, loc, value, **ctx))
