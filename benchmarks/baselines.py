"""Baselines the single-body benchmark compares `validate_payment` with, built as a user would build them.

(a) `SchemaOnly`: a pydantic v2 model of the single-payment body with only the Berlin Group patterns (anchored)
    and lengths: no checksum, no calendar.
(b) `WithValidators`: the same plus the obvious field validators on python-stdnum (IBAN, BIC, OGM/VCS) and the
    holidays package (TARGET2 closing days, Belgian bank holidays), each calendar built once at import.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import holidays
from pydantic import BaseModel, ConfigDict, Field, field_validator
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs as stdnum_ogm

# The Berlin Group patterns (psd2-api 1.3.12 components/schemas), anchored.
Iban = Annotated[str, Field(pattern=r"^[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}$")]
Max35 = Annotated[str, Field(min_length=1, max_length=35)]
Max70 = Annotated[str, Field(min_length=1, max_length=70)]
Max140 = Annotated[str, Field(min_length=1, max_length=140)]


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")
    iban: Iban
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None


class Amount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    amount: Annotated[str, Field(pattern=r"^-?[0-9]{1,14}(\.[0-9]{1,3})?$")]


class SchemaOnly(BaseModel):
    model_config = ConfigDict(extra="forbid")
    endToEndIdentification: Max35 | None = None
    debtorAccount: Account | None = None
    instructedAmount: Amount
    creditorAccount: Account
    creditorAgent: Annotated[str, Field(pattern=r"^[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}$")] | None = None
    creditorName: Max70
    remittanceInformationUnstructured: Max140 | None = None
    requestedExecutionDate: date | None = None


_TARGET2 = holidays.financial_holidays("XECB")
_BELGIUM = holidays.country_holidays("BE", categories=("public", "bank"))


class AccountWithValidators(Account):
    @field_validator("iban")
    @classmethod
    def _iban(cls, value: str) -> str:
        return stdnum_iban.validate(value)


class WithValidators(SchemaOnly):
    debtorAccount: AccountWithValidators | None = None
    creditorAccount: AccountWithValidators

    @field_validator("creditorAgent")
    @classmethod
    def _bic(cls, value: str | None) -> str | None:
        return None if value is None else stdnum_bic.validate(value)

    @field_validator("remittanceInformationUnstructured")
    @classmethod
    def _ogm(cls, value: str | None) -> str | None:
        if value is not None and value.startswith("+++"):
            stdnum_ogm.validate(value)
        return value

    @field_validator("requestedExecutionDate")
    @classmethod
    def _business_day(cls, value: date | None) -> date | None:
        if value is not None and (value.weekday() >= 5 or value in _TARGET2 or value in _BELGIUM):
            raise ValueError("not a business day")
        return value
