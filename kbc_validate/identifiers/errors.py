"""Typed errors raised by the identifier modules' ``validate`` functions.

Each error carries the catalogue ``code`` of the precise problem, so that body rules and the pydantic types report
it without re-deriving it, plus the details (``ctx``) its message template names.
"""

from __future__ import annotations

from typing import Any


class ValidationError(ValueError):
    """The identifier is not valid; ``code`` names the catalogue rule, ``ctx`` its message details."""

    def __init__(self, code: str, **ctx: Any) -> None:
        super().__init__(code)
        self.code = code
        self.ctx = ctx


class InvalidFormat(ValidationError):
    """Characters or shape are wrong."""


class InvalidLength(ValidationError):
    """The length is wrong."""


class InvalidChecksum(ValidationError):
    """Check digits do not match."""


class InvalidComponent(ValidationError):
    """A part (country, bank code) is unknown or not allowed."""
