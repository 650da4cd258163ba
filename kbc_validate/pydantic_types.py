"""pydantic v2 field types for your own models: IBAN, BIC, Belgian structured communication, RF reference,
euro amount and SEPA texts.

Each type runs kbc-validate's own rule, so it agrees with `validate_payment`, and its errors carry the
catalogue code as the pydantic error ``type`` (``KBC308``), with the rule's message and details::

    from pydantic import BaseModel
    from kbc_validate.pydantic_types import IBAN, StructuredCommunication

    class Invoice(BaseModel):
        account: IBAN                          # "be36 7340 1234 5681" -> "BE36734012345681"
        communication: StructuredCommunication  # "+++010/8068/17183+++" -> "010806817183"

Warnings (a Belgian bank code the National Bank does not list yet, transliterated characters) do not fail
validation. The JSON Schema of each type documents its pattern or length without pydantic enforcing it a second
time under another error type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Severity
from kbc_validate.findings import Issue, show
from kbc_validate.identifiers import bic, iban, iso11649, ogm_vcs
from kbc_validate.identifiers.errors import ValidationError
from kbc_validate.rules.account import check_bic, check_iban
from kbc_validate.rules.amount import check_amount, check_currency
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Check
from kbc_validate.rules.periodic import (
    FREQUENCIES,
    check_day_of_execution,
    check_execution_rule,
    check_frequency,
)
from kbc_validate.rules.text import check_text

# Member rules that do not depend on today; the scratch context only collects their findings.
_NO_TODAY = date.min


def pydantic_error(issue: Issue) -> PydanticCustomError:
    """The pydantic error of a finding: ``type`` is the rule code, the message is the rule's."""
    return PydanticCustomError(issue.code, issue.message, {"cause": str(issue.cause), "path": issue.path})


def _identifier_error(error: ValidationError, value: Any) -> PydanticCustomError:
    message = RULES_BY_CODE[error.code].template.format(value=show(value), **error.ctx)
    return PydanticCustomError(error.code, message, {"cause": str(RULES_BY_CODE[error.code].cause)})


def from_rule(check: Check) -> Callable[[Any], Any]:
    """A pydantic after-validator running the body rule `check`: its first error becomes the pydantic error."""
    def validate(value: Any) -> Any:
        ctx = Context(_NO_TODAY)
        check(value, (), ctx)
        errors = [issue for issue in ctx.issues if issue.severity is Severity.ERROR]
        if errors:
            raise pydantic_error(errors[0])
        return value
    return validate


def from_identifier(validate: Callable[[str], str]) -> Callable[[Any], str]:
    """A pydantic after-validator running an identifier module's ``validate`` (which also normalises)."""
    def run(value: Any) -> str:
        try:
            return validate(value)
        except ValidationError as error:
            raise _identifier_error(error, value) from None
    return run


def _text(value: Any) -> str:
    """Refuse a non-string with our code (KBC103) rather than pydantic's own ``string_type``."""
    if not isinstance(value, str):
        raise PydanticCustomError("KBC103", RULES_BY_CODE["KBC103"].template.format(
            expected="a string", value=show(value)), {"cause": str(RULES_BY_CODE["KBC103"].cause)})
    return value


def _compact_with(compact: Callable[[str], str]) -> Callable[[Any], str]:
    return lambda value: compact(_text(value))


def _euro_amount(value: Any) -> str:
    """Decimals and integers become the amount string ``"12.50"``; floats are refused (binary rounding)."""
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value:.2f}" if value.as_tuple().exponent >= -2 else str(value)  # type: ignore[operator]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _string(schema: dict[str, Any]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", **schema})


IBAN = Annotated[
    str,
    BeforeValidator(_compact_with(iban.compact)),
    AfterValidator(from_rule(check_iban)),
    _string({"pattern": "^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$", "description": "IBAN in electronic form, in SEPA scope"}),
]
"""An IBAN in SEPA scope, validated like a body's account (registry, check digits, national check digits);
separators and lower case are accepted on input and removed."""

BIC = Annotated[
    str,
    BeforeValidator(_compact_with(bic.compact)),
    AfterValidator(from_rule(check_bic)),
    _string({"pattern": "^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$"}),
]

StructuredCommunication = Annotated[
    str,
    BeforeValidator(_text),
    AfterValidator(from_identifier(ogm_vcs.validate)),
    _string({"pattern": "^[0-9]{12}$", "description": "Belgian structured communication (OGM/VCS), 12 digits"}),
]
"""A Belgian structured communication; ``+++ddd/dddd/ddddd+++`` and ``***...***`` are accepted on input and
normalised to the 12 digits."""

CreditorReference = Annotated[
    str,
    BeforeValidator(_text),
    AfterValidator(from_identifier(iso11649.validate)),
    _string({"pattern": "^RF[0-9]{2}[A-Z0-9]{1,21}$", "description": "ISO 11649 creditor reference"}),
]

EuroAmount = Annotated[
    str,
    BeforeValidator(_euro_amount),
    AfterValidator(from_rule(check_amount)),
    _string({"pattern": "^[0-9]{1,9}(\\.[0-9]{1,2})?$", "description": "0.01 to 999999999.99"}),
]
"""A positive euro amount as Berlin Group writes it; `Decimal` and `int` are accepted and written as text."""


def _text_rule(max_length: int, *, identifier: bool) -> AfterValidator:
    def check(value: Any, loc: Any, ctx: Context) -> None:
        check_text(value, loc, ctx, max_length, identifier=identifier)
    return AfterValidator(from_rule(check))


_TEXT = BeforeValidator(_text)
SepaText16 = Annotated[str, _TEXT, _text_rule(16, identifier=False), _string({"minLength": 1, "maxLength": 16})]
SepaText35 = Annotated[str, _TEXT, _text_rule(35, identifier=False), _string({"minLength": 1, "maxLength": 35})]
SepaText70 = Annotated[str, _TEXT, _text_rule(70, identifier=False), _string({"minLength": 1, "maxLength": 70})]
SepaText140 = Annotated[str, _TEXT, _text_rule(140, identifier=False), _string({"minLength": 1, "maxLength": 140})]
"""Free texts SEPA can carry (names, addresses, unstructured remittance); transliterated letters pass."""
SepaIdentifier35 = Annotated[
    str, _TEXT, _text_rule(35, identifier=True), _string({"pattern": "^[A-Za-z0-9/?:().,'+ -]{1,35}$"})
]
"""An identifier (end-to-end identification, structured reference): the SEPA basic character set only."""

EuroCurrency = Annotated[
    str, _TEXT, AfterValidator(from_rule(check_currency)), _string({"enum": ["EUR"], "default": "EUR"})
]
"""The currency of a SEPA credit transfer: ``"EUR"``; another code is ``KBC210``, a malformed one ``KBC211``
(pydantic's own ``literal_error`` would carry no rule code)."""

Frequency = Annotated[str, _TEXT, AfterValidator(from_rule(check_frequency)), _string({"enum": list(FREQUENCIES)})]
"""A Berlin Group frequency code (``KBC500`` otherwise)."""

DayOfExecution = Annotated[
    str, _TEXT, AfterValidator(from_rule(check_day_of_execution)),
    _string({"enum": [str(day) for day in range(1, 32)]}),
]
"""``"1"`` to ``"31"`` without leading zero (``KBC501`` otherwise)."""

ExecutionRule = Annotated[
    str, _TEXT, AfterValidator(from_rule(check_execution_rule)), _string({"enum": ["following", "preceding"]})
]
"""``"following"`` or ``"preceding"`` (``KBC505`` otherwise)."""
