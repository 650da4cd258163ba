"""pydantic v2 models of the three JSON bodies, with Berlin Group member names, to build a body in Python.

Building a model checks every rule that does not depend on the day you send it (an execution date in the past
is found by `validate_payment`, which knows `today`); ``model.to_body()`` is the body to send as Python data,
``model.to_json()`` as JSON text, and ``validate_payment(model, today=...)`` checks the rest.
``Model.model_json_schema()`` exports JSON Schema.

Three of pydantic's habits are turned where they would trip a payment body: ``model_dump()`` and
``model_dump_json()`` leave out the members that were never set (pydantic writes them as ``null``, which the
validator rightly warns about, ``KBC105``, once per member); and a currency, frequency, day of execution or
execution rule that is not allowed fails with the rule's own code (``KBC210``...) rather than pydantic's
``literal_error``.

>>> body = PaymentInitiation(
...     instructedAmount=Amount(amount="123.50"),
...     creditorAccount=AccountReference(iban="BE56 3631 2345 6788"),
...     creditorName="Merchant NV",
... )
>>> body.to_body()["creditorAccount"]
{'iban': 'BE56363123456788'}
>>> body.to_json()[:40]
'{"instructedAmount":{"currency":"EUR","a'

"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kbc_validate.causes import Severity
from kbc_validate.pydantic_types import (
    BIC,
    IBAN,
    DayOfExecution,
    EuroAmount,
    EuroCurrency,
    ExecutionRule,
    Frequency,
    SepaIdentifier35,
    SepaText16,
    SepaText35,
    SepaText70,
    SepaText140,
    pydantic_error,
)
from kbc_validate.rules.bodies import check_body
from kbc_validate.rules.context import Context

Month = Literal["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AccountReference(_Part):
    iban: IBAN
    currency: EuroCurrency | None = None


class Amount(_Part):
    currency: EuroCurrency = "EUR"
    amount: EuroAmount


class Address(_Part):
    streetName: SepaText70 | None = None
    buildingNumber: SepaText16 | None = None
    postCode: SepaText16 | None = None
    townName: SepaText35 | None = None
    country: str = Field(pattern="^[A-Z]{2}$")


class RemittanceInformationStructured(_Part):
    reference: SepaIdentifier35
    referenceType: SepaIdentifier35 | None = None
    referenceIssuer: SepaIdentifier35 | None = None


class _Payment(_Part):
    endToEndIdentification: SepaIdentifier35 | None = None
    instructedAmount: Amount
    creditorAccount: AccountReference
    creditorAgent: BIC | None = None
    creditorAgentName: SepaText140 | None = None
    creditorName: SepaText70
    creditorAddress: Address | None = None
    remittanceInformationUnstructured: SepaText140 | None = None
    remittanceInformationStructured: RemittanceInformationStructured | None = None


class BodyModel(_Part):
    """A request body. Building one runs every rule that does not depend on today."""

    service: ClassVar[str]

    def to_body(self) -> dict[str, Any]:
        """The body to send, as the Python data `json.dumps` writes (members left unset are omitted)."""
        return super().model_dump(mode="json", exclude_none=True)

    def to_json(self) -> str:
        """The body to send, as JSON text (members left unset are omitted)."""
        return super().model_dump_json(exclude_none=True)

    def model_dump(self, *, exclude_none: bool = True, **options: Any) -> dict[str, Any]:
        """pydantic's `model_dump`, leaving out members that are None unless asked (``exclude_none=False``)."""
        return super().model_dump(exclude_none=exclude_none, **options)

    def model_dump_json(self, *, exclude_none: bool = True, **options: Any) -> str:
        """pydantic's `model_dump_json`, leaving out members that are None unless asked: pydantic writes them as
        ``null``, and a body with null members is warned about once per member (``KBC105``)."""
        return super().model_dump_json(exclude_none=exclude_none, **options)

    @model_validator(mode="after")
    def _whole_body_rules(self) -> Self:
        ctx = Context(date.min)  # with no "today", only the rules that do not depend on it can fail
        check_body(self.to_body(), self.service, ctx)
        errors = [issue for issue in ctx.issues if issue.severity is Severity.ERROR]
        if errors:
            raise pydantic_error(errors[0])
        return self


class PaymentInitiation(_Payment, BodyModel):
    """Body of ``POST .../payments/sepa-credit-transfers``."""

    service: ClassVar[str] = "payments"
    debtorAccount: AccountReference | None = None
    requestedExecutionDate: date | None = None
    requestedExecutionTime: datetime | None = None


class PeriodicPaymentInitiation(_Payment, BodyModel):
    """Body of ``POST .../periodic-payments/sepa-credit-transfers``."""

    service: ClassVar[str] = "periodic-payments"
    debtorAccount: AccountReference | None = None
    startDate: date
    endDate: date | None = None
    executionRule: ExecutionRule | None = None
    frequency: Frequency
    dayOfExecution: DayOfExecution | None = None
    monthsOfExecution: list[Month] | None = Field(default=None, min_length=1, max_length=11)


class BulkPaymentElement(_Payment):
    """One payment of a bulk body (no debtor account or execution date of its own)."""


class BulkPaymentInitiation(BodyModel):
    """Berlin Group JSON body of ``POST .../bulk-payments/sepa-credit-transfers``."""

    service: ClassVar[str] = "bulk-payments"
    batchBookingPreferred: bool | None = None
    debtorAccount: AccountReference
    debtorName: SepaText70 | None = None
    requestedExecutionDate: date | None = None
    requestedExecutionTime: datetime | None = None
    payments: list[BulkPaymentElement] = Field(min_length=1)


MODELS: dict[str, type[BodyModel]] = {
    model.service: model for model in (PaymentInitiation, PeriodicPaymentInitiation, BulkPaymentInitiation)
}
