"""Why KBC would refuse a request (`Cause`) and how sure we are that it will (`Severity`).

The `Cause` values are the causes of a ``400 Bad Request`` listed in the KBC PSD2 FAQ, one per cause; they are a
public contract and never change. The Berlin Group message code sent on the wire follows from the cause.
"""

from __future__ import annotations

from enum import StrEnum


class Cause(StrEnum):
    """The KBC FAQ cause a finding belongs to."""

    MISSING_MANDATORY_PARAMETER = "missing_mandatory_parameter"
    INVALID_FORMAT = "invalid_format"
    EXECUTION_DATE_IN_PAST = "execution_date_in_past"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    CURRENCY_NOT_EUR = "currency_not_eur"
    SAME_DEBTOR_AND_CREDITOR_ACCOUNT = "same_debtor_and_creditor_account"
    INVALID_ACCOUNT = "invalid_account"
    INVALID_STRUCTURED_COMMUNICATION = "invalid_structured_communication"
    INVALID_EXECUTION_DATE = "invalid_execution_date"

    @property
    def berlin_group_code(self) -> str:
        """The Berlin Group ``tppMessages[].code`` KBC answers with for this cause."""
        if self in (Cause.EXECUTION_DATE_IN_PAST, Cause.INVALID_EXECUTION_DATE):
            return "EXECUTION_DATE_INVALID"
        if self is Cause.SAME_DEBTOR_AND_CREDITOR_ACCOUNT:
            return "PARAMETER_NOT_CONSISTENT"
        return "FORMAT_ERROR"


class Severity(StrEnum):
    """``error``: KBC refuses the request. ``warning``: it may be accepted, altered or refused."""

    ERROR = "error"
    WARNING = "warning"
