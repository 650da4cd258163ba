"""The public contract: Report, Issue, Berlin Group rendering, ordering, arguments, purity."""

from __future__ import annotations

import copy
from datetime import date, datetime
from unittest import mock

import pytest

from kbc_validate import Cause, Issue, PaymentValidationError, Severity, validate_payment
from kbc_validate.findings import render_path
from tests.bodies import BODIES, SINGLE, TODAY, check, with_value, without


def _faulty() -> dict[str, object]:
    body = with_value(SINGLE, ("instructedAmount", "currency"), "USD")
    body = with_value(body, ("requestedExecutionDate",), "2026-11-28")
    body = with_value(body, ("creditorAccount", "iban"), SINGLE["debtorAccount"]["iban"])  # type: ignore[index]
    return with_value(body, ("foo",), "bar")


def test_issue_fields() -> None:
    issue = check(with_value(SINGLE, ("instructedAmount", "amount"), "-5.00")).issues[0]
    assert isinstance(issue, Issue)
    assert issue.code == "KBC200"
    assert issue.cause is Cause.AMOUNT_NOT_POSITIVE
    assert issue.severity is Severity.ERROR
    assert issue.loc == ("instructedAmount", "amount")
    assert issue.input == "-5.00"
    assert '"-5.00"' in issue.message


def test_cause_values_are_the_contract() -> None:
    faq_400 = [
        "missing_mandatory_parameter", "invalid_format", "execution_date_in_past", "amount_not_positive",
        "currency_not_eur", "same_debtor_and_creditor_account", "invalid_account",
        "invalid_structured_communication", "invalid_execution_date",
    ]
    outside_the_body = [
        "payment_product_unknown", "client_certificate_missing", "client_certificate_invalid",
        "client_certificate_expired", "psp_role_invalid", "access_token_invalid", "access_token_expired",
        "screen_scrape_id_invalid", "screen_scrape_id_expired",
    ]
    assert [cause.value for cause in Cause] == faq_400 + outside_the_body
    assert {Cause(value).http_status for value in faq_400} == {400}
    assert {Cause(value).http_status for value in outside_the_body} == {401, 404}
    assert [severity.value for severity in Severity] == ["error", "warning"]


def test_findings_are_in_body_order_then_by_code() -> None:
    report = check(_faulty())
    assert [issue.loc[0] for issue in report.issues] == [
        "instructedAmount", "creditorAccount", "requestedExecutionDate", "foo",
    ]


def test_missing_members_sort_after_present_ones() -> None:
    body = {"creditorName": "X", "instructedAmount": {"amount": "0"}}
    assert [issue.loc for issue in check(body).issues] == [
        ("instructedAmount", "amount"), ("instructedAmount", "currency"), ("creditorAccount",),
    ]


def test_to_error400_carries_errors_only_with_berlin_group_codes() -> None:
    error400 = check(_faulty()).to_error400()
    assert error400 == {
        "tppMessages": [
            {"category": "ERROR", "code": "FORMAT_ERROR", "path": "instructedAmount.currency", "text": mock.ANY},
            {"category": "ERROR", "code": "PARAMETER_NOT_CONSISTENT", "path": "creditorAccount.iban", "text": mock.ANY},
            {"category": "ERROR", "code": "EXECUTION_DATE_INVALID", "path": "requestedExecutionDate", "text": mock.ANY},
        ]
    }
    assert error400["tppMessages"][0]["text"].startswith("KBC210 ")


def test_error400_text_is_at_most_500_characters_and_body_level_has_no_path() -> None:
    messages = check("x" * 2000).to_error400()["tppMessages"]
    assert "path" not in messages[0]
    assert len(messages[0]["text"]) <= 500


def test_raise_for_errors() -> None:
    check(SINGLE).raise_for_errors()
    check(with_value(SINGLE, ("foo",), 1)).raise_for_errors()  # warnings do not raise
    with pytest.raises(PaymentValidationError) as raised:
        check(_faulty()).raise_for_errors()
    assert isinstance(raised.value, ValueError)
    assert raised.value.report.codes[0] == "KBC210"
    assert "and 2 more" in str(raised.value)


def test_ok_errors_warnings() -> None:
    report = check(_faulty())
    assert not report.ok
    assert {issue.code for issue in report.errors} == {"KBC210", "KBC320", "KBC402"}
    assert {issue.code for issue in report.warnings} == {"KBC104"}


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), ""),
        (("creditorName",), "creditorName"),
        (("payments", 1, "creditorAccount", "iban"), "payments[1].creditorAccount.iban"),
        (("payments", 0), "payments[0]"),
    ],
)
def test_render_path(loc: tuple[str | int, ...], path: str) -> None:
    assert render_path(loc) == path


@pytest.mark.parametrize("service", list(BODIES))
def test_input_is_never_mutated(service: str) -> None:
    body = with_value(BODIES[service], ("unknown",), {"nested": ["x"]})
    before = copy.deepcopy(body)
    validate_payment(body, service=service, today=TODAY)
    assert body == before


def test_unknown_service_raises_at_once() -> None:
    with pytest.raises(ValueError, match="unknown service"):
        validate_payment(SINGLE, service="instant-payments")


@pytest.mark.parametrize("today", ["2026-11-24", datetime(2026, 11, 24, 12, 0), 20261124])
def test_today_must_be_a_date(today: object) -> None:
    with pytest.raises(TypeError):
        validate_payment(SINGLE, today=today)  # type: ignore[arg-type]


def test_today_defaults_to_brussels_not_utc() -> None:
    # 23:30 UTC on 2026-11-24 is already 2026-11-25 in Brussels (UTC+1): an execution date of the 24th is past.
    body = with_value(SINGLE, ("requestedExecutionDate",), "2026-11-24")
    late_utc = datetime(2026, 11, 24, 23, 30, tzinfo=__import__("datetime").timezone.utc)

    class FrozenDateTime(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return late_utc.astimezone(tz)  # type: ignore[arg-type]

    with mock.patch("kbc_validate.validate.datetime", FrozenDateTime):
        assert validate_payment(body).codes == ("KBC401",)
        assert validate_payment(body, today=date(2026, 11, 24)).ok


def test_empty_body_is_not_ok() -> None:
    assert not check(without(SINGLE, ("creditorName",))).ok
