"""pydantic models of the bodies and pydantic field types: errors carry the rule code."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from kbc_validate import validate_payment
from kbc_validate.models import (
    AccountReference,
    Amount,
    BulkPaymentElement,
    BulkPaymentInitiation,
    PaymentInitiation,
    PeriodicPaymentInitiation,
    RemittanceInformationStructured,
)
from kbc_validate.pydantic_types import BIC, IBAN, CreditorReference, EuroAmount, StructuredCommunication
from tests.bodies import BODIES, TODAY, check


class Invoice(BaseModel):
    account: IBAN
    communication: StructuredCommunication | None = None
    reference: CreditorReference | None = None
    agent: BIC | None = None
    total: EuroAmount | None = None


def _error_type(**fields: object) -> str:
    with pytest.raises(ValidationError) as raised:
        Invoice(**fields)  # type: ignore[arg-type]
    return str(raised.value.errors()[0]["type"])


def test_types_normalise_what_users_type() -> None:
    invoice = Invoice(
        account="be36 7340 1234 5681",
        communication="+++010/8068/17183+++",
        reference="RF18 5390 0754 7034",
        agent="kredbebb",
        total=Decimal("12.5"),
    )
    assert invoice.account == "BE36734012345681"
    assert invoice.communication == "010806817183"
    assert invoice.reference == "RF18539007547034"
    assert invoice.agent == "KREDBEBB"
    assert invoice.total == "12.50"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        pytest.param({"account": "BE36734012345680"}, "KBC308", id="IBAN checksum"),
        pytest.param({"account": "BE63734012345680"}, "KBC309", id="Belgian national check"),
        pytest.param({"account": "BR1800360305000010009795493C1"}, "KBC310", id="outside SEPA"),
        pytest.param({"account": "BE36734012345681", "communication": "+++010/8068/17180+++"}, "KBC601", id="OGM"),
        pytest.param({"account": "BE36734012345681", "reference": "RF17539007547034"}, "KBC604", id="RF"),
        pytest.param({"account": "BE36734012345681", "agent": "KREDBE1B"}, "KBC330", id="BIC"),
        pytest.param({"account": "BE36734012345681", "total": "0"}, "KBC200", id="zero amount"),
        pytest.param({"account": "BE36734012345681", "total": 12.5}, "KBC103", id="a float amount"),
        pytest.param({"account": "BE36734012345681", "total": Decimal("1.234")}, "KBC202", id="three decimals"),
    ],
)
def test_type_errors_carry_the_rule_code(fields: dict[str, object], code: str) -> None:
    assert _error_type(**fields) == code


def test_unassigned_belgian_bank_code_is_only_a_warning_for_the_type() -> None:
    assert Invoice(account="BE68539007547034").account == "BE68539007547034"


def test_models_round_trip_the_example_bodies() -> None:
    models = {"payments": PaymentInitiation, "periodic-payments": PeriodicPaymentInitiation,
              "bulk-payments": BulkPaymentInitiation}
    for service, body in BODIES.items():
        model = models[service].model_validate(body)
        assert model.to_body() == body
        assert json.loads(model.to_json()) == body
        assert validate_payment(model, service=service, today=TODAY).ok


def test_building_a_body_in_python() -> None:
    body = PaymentInitiation(
        instructedAmount=Amount(amount=Decimal("25")),
        creditorAccount=AccountReference(iban="BE56 3631 2345 6788"),
        creditorName="Merchant NV",
        remittanceInformationStructured=RemittanceInformationStructured(
            reference="010806817183", referenceIssuer="BBA"
        ),
        requestedExecutionDate=date(2026, 12, 15),
    )
    assert body.to_body() == {
        "instructedAmount": {"currency": "EUR", "amount": "25.00"},
        "creditorAccount": {"iban": "BE56363123456788"},
        "creditorName": "Merchant NV",
        "remittanceInformationStructured": {"reference": "010806817183", "referenceIssuer": "BBA"},
        "requestedExecutionDate": "2026-12-15",
    }
    assert check(body.to_body()).ok


@pytest.mark.parametrize(
    ("build", "code"),
    [
        pytest.param(
            lambda: PaymentInitiation(
                instructedAmount=Amount(amount="1"), debtorAccount=AccountReference(iban="BE36734012345681"),
                creditorAccount=AccountReference(iban="BE36734012345681"), creditorName="Self",
            ),
            "KBC320",
            id="same account",
        ),
        pytest.param(
            lambda: PaymentInitiation(
                instructedAmount=Amount(amount="1"), creditorAccount=AccountReference(iban="BE56363123456788"),
                creditorName="X", requestedExecutionDate=date(2026, 11, 28),
            ),
            "KBC402",
            id="a Saturday is invalid whatever today is",
        ),
        pytest.param(
            lambda: PeriodicPaymentInitiation(
                instructedAmount=Amount(amount="1"), creditorAccount=AccountReference(iban="BE56363123456788"),
                creditorName="X", startDate=date(2026, 12, 1), endDate=date(2026, 11, 1), frequency="Monthly",
            ),
            "KBC410",
            id="end before start",
        ),
        pytest.param(
            lambda: PaymentInitiation(
                instructedAmount=Amount(amount="1"), creditorAccount=AccountReference(iban="BE56363123456788"),
                creditorName="X", remittanceInformationUnstructured="Ref",
                remittanceInformationStructured=RemittanceInformationStructured(reference="010806817183"),
            ),
            "KBC600",
            id="both remittance forms",
        ),
        pytest.param(
            lambda: PaymentInitiation(
                instructedAmount=Amount(amount="1"), creditorAccount=AccountReference(iban="BE56363123456788"),
                creditorName="Mer\u200bchant",
            ),
            "KBC703",
            id="zero-width space in a name",
        ),
    ],
)
def test_whole_body_rules_run_when_building(build: object, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        build()  # type: ignore[operator]
    assert raised.value.errors()[0]["type"] == code


def test_a_past_date_is_left_to_validate_payment() -> None:
    body = PaymentInitiation(
        instructedAmount=Amount(amount="1"), creditorAccount=AccountReference(iban="BE56363123456788"),
        creditorName="X", requestedExecutionDate=date(2026, 11, 23),
    )
    assert validate_payment(body, today=TODAY).codes == ("KBC401",)


def test_unknown_members_are_refused_when_building() -> None:
    with pytest.raises(ValidationError):
        AccountReference(iban="BE36734012345681", ibna="x")  # type: ignore[call-arg]


@pytest.mark.parametrize("model", [PaymentInitiation, PeriodicPaymentInitiation, BulkPaymentInitiation, BulkPaymentElement])
def test_json_schema_export(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    assert "creditorAccount" in str(schema)
    assert schema["type"] == "object"


def test_a_body_model_gives_its_body_as_data_and_as_json_text() -> None:
    body = PaymentInitiation(instructedAmount=Amount(amount="10"), creditorAccount=AccountReference(iban="BE56363123456788"),
                             creditorName="Merchant NV")
    assert isinstance(body.to_body(), dict)
    assert isinstance(body.to_json(), str)
    assert json.loads(body.to_json()) == body.to_body()


def test_dumping_a_body_model_leaves_out_what_was_never_set() -> None:
    # pydantic writes every unset member as null; sent or validated, each null is a KBC105 warning.
    body = PaymentInitiation(instructedAmount=Amount(amount="10"), creditorAccount=AccountReference(iban="BE56363123456788"),
                             creditorName="Merchant NV")
    assert validate_payment(json.loads(body.model_dump_json()), today=TODAY).issues == ()
    assert validate_payment(body.model_dump(mode="json"), today=TODAY).issues == ()
    assert "null" in body.model_dump_json(exclude_none=False)  # still there when asked for


@pytest.mark.parametrize(
    ("build", "code"),
    [
        pytest.param(lambda: Amount(amount="10", currency="USD"), "KBC210", id="another currency"),
        pytest.param(lambda: Amount(amount="10", currency="eur"), "KBC211", id="a malformed currency"),
        pytest.param(lambda: AccountReference(iban="BE56363123456788", currency="GBP"), "KBC210", id="account currency"),
        pytest.param(lambda: PeriodicPaymentInitiation.model_validate(
            {**BODIES["periodic-payments"], "frequency": "monthly"}), "KBC500", id="frequency"),
        pytest.param(lambda: PeriodicPaymentInitiation.model_validate(
            {**BODIES["periodic-payments"], "dayOfExecution": "01"}), "KBC501", id="day of execution"),
        pytest.param(lambda: PeriodicPaymentInitiation.model_validate(
            {**BODIES["periodic-payments"], "executionRule": "next"}), "KBC505", id="execution rule"),
    ],
)
def test_values_outside_a_list_carry_the_rule_code_not_literal_error(build: object, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        build()  # type: ignore[operator]
    assert [error["type"] for error in raised.value.errors()] == [code]
