"""Why KBC would refuse a request (`Cause`) and how sure we are that it will (`Severity`).

The first nine `Cause` values are the causes of a ``400 Bad Request`` listed in the KBC PSD2 FAQ, one per cause;
the others are the product addressed (404) and the 401/403 preconditions (client certificate, access token,
screen-scraping identifier). They are a public contract and never change. The Berlin Group message code sent on
the wire, and the HTTP status, follow from the cause.
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
    # Outside the body: the payment product addressed (403/404) and the 401/403 preconditions.
    PAYMENT_PRODUCT_UNKNOWN = "payment_product_unknown"
    CLIENT_CERTIFICATE_MISSING = "client_certificate_missing"
    CLIENT_CERTIFICATE_INVALID = "client_certificate_invalid"
    CLIENT_CERTIFICATE_EXPIRED = "client_certificate_expired"
    PSP_ROLE_INVALID = "psp_role_invalid"
    ACCESS_TOKEN_INVALID = "access_token_invalid"
    ACCESS_TOKEN_EXPIRED = "access_token_expired"
    SCREEN_SCRAPE_ID_INVALID = "screen_scrape_id_invalid"
    SCREEN_SCRAPE_ID_EXPIRED = "screen_scrape_id_expired"

    @property
    def berlin_group_code(self) -> str:
        """The Berlin Group ``tppMessages[].code`` KBC answers with for this cause."""
        return _BERLIN_GROUP_CODES.get(self, "FORMAT_ERROR")

    @property
    def http_status(self) -> int:
        """The HTTP status KBC answers with for this cause."""
        return _HTTP_STATUS.get(self, 400)


class Severity(StrEnum):
    """``error``: KBC refuses the request. ``warning``: it may be accepted, altered or refused."""

    ERROR = "error"
    WARNING = "warning"


_BERLIN_GROUP_CODES = {
    Cause.EXECUTION_DATE_IN_PAST: "EXECUTION_DATE_INVALID",
    Cause.INVALID_EXECUTION_DATE: "EXECUTION_DATE_INVALID",
    Cause.SAME_DEBTOR_AND_CREDITOR_ACCOUNT: "PARAMETER_NOT_CONSISTENT",
    Cause.PAYMENT_PRODUCT_UNKNOWN: "PRODUCT_UNKNOWN",
    Cause.CLIENT_CERTIFICATE_MISSING: "CERTIFICATE_MISSING",
    Cause.CLIENT_CERTIFICATE_INVALID: "CERTIFICATE_INVALID",
    Cause.CLIENT_CERTIFICATE_EXPIRED: "CERTIFICATE_EXPIRED",
    Cause.PSP_ROLE_INVALID: "ROLE_INVALID",
    Cause.ACCESS_TOKEN_INVALID: "TOKEN_INVALID",
    Cause.ACCESS_TOKEN_EXPIRED: "TOKEN_EXPIRED",
    Cause.SCREEN_SCRAPE_ID_INVALID: "TOKEN_INVALID",
    Cause.SCREEN_SCRAPE_ID_EXPIRED: "TOKEN_EXPIRED",
}
_HTTP_STATUS = {
    Cause.PAYMENT_PRODUCT_UNKNOWN: 404,
    Cause.CLIENT_CERTIFICATE_MISSING: 401,
    Cause.CLIENT_CERTIFICATE_INVALID: 401,
    Cause.CLIENT_CERTIFICATE_EXPIRED: 401,
    Cause.PSP_ROLE_INVALID: 401,
    Cause.ACCESS_TOKEN_INVALID: 401,
    Cause.ACCESS_TOKEN_EXPIRED: 401,
    Cause.SCREEN_SCRAPE_ID_INVALID: 401,
    Cause.SCREEN_SCRAPE_ID_EXPIRED: 401,
}
