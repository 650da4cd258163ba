"""kbc-validate: find locally, before sending, why KBC's PSD2 API would refuse a payment request.

>>> from datetime import date
>>> report = validate_payment({"instructedAmount": {"currency": "EUR", "amount": "0"}}, today=date(2026, 11, 24))
>>> report.ok, report.codes
(False, ('KBC200', 'KBC101', 'KBC101'))
"""

from typing import TYPE_CHECKING, Any

from kbc_validate.catalogue import RULES, Rule
from kbc_validate.causes import Cause, Severity
from kbc_validate.findings import Issue, PaymentValidationError, Report
from kbc_validate.validate import validate_payment

if TYPE_CHECKING:  # imported when first asked for (`__getattr__`)
    from kbc_validate.pain001 import validate_pain001
    from kbc_validate.preflight.access_token import check_access_token, check_screen_scrape_identifier
    from kbc_validate.preflight.certificate import check_client_certificate
    from kbc_validate.request import validate_request

__all__ = [
    "RULES", "Cause", "Issue", "PaymentValidationError", "Report", "Rule", "Severity", "check_access_token",
    "check_client_certificate", "check_screen_scrape_identifier", "validate_pain001", "validate_payment",
    "validate_request",
]


def __getattr__(name: str) -> Any:
    # The version is written once, in pyproject.toml; the installed metadata is read only when asked for, so that
    # `import kbc_validate` stays cheap. pain.001's reader (about 20 ms of imports) and the request checks (about
    # 13 ms: the JSON file readers) are imported when first asked for: a run that does not need them does not pay;
    # so are the 401/403 preflight checks (about 8 ms: base64, struct, the certificate parser).
    if name in ("check_access_token", "check_screen_scrape_identifier"):
        from kbc_validate.preflight import access_token

        return getattr(access_token, name)
    if name == "check_client_certificate":
        from kbc_validate.preflight.certificate import check_client_certificate

        return check_client_certificate
    if name == "validate_pain001":
        from kbc_validate.pain001 import validate_pain001

        return validate_pain001
    if name == "validate_request":
        from kbc_validate.request import validate_request

        return validate_request
    if name == "__version__":
        from importlib.metadata import version

        return version("kbc-validate")
    raise AttributeError(f"module 'kbc_validate' has no attribute {name!r}")
