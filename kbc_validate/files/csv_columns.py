"""CSV headers: which payment member each column fills, and how a spreadsheet cell becomes a JSON value.

A column is named by its Berlin Group path (``creditorAccount.iban``) or by a friendly alias (``creditor_iban``);
both are matched case-insensitively, and spaces or dashes in an alias count as underscores. What Belgian Excel
writes is read as it means it: IBANs with spaces, and amounts with a decimal comma (``12,50``, and ``1.234,56``
where the delimiter is not a comma). Nothing else is guessed: other values go to the rules as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from kbc_validate.findings import Loc

# Berlin Group paths a CSV column can fill (lists such as monthsOfExecution cannot be a cell).
PATHS: tuple[str, ...] = (
    "endToEndIdentification", "instructedAmount.amount", "instructedAmount.currency", "debtorAccount.iban",
    "debtorAccount.currency", "creditorAccount.iban", "creditorAccount.currency", "creditorAgent",
    "creditorAgentName", "creditorName", "creditorAddress.streetName", "creditorAddress.buildingNumber",
    "creditorAddress.postCode", "creditorAddress.townName", "creditorAddress.country",
    "remittanceInformationUnstructured", "remittanceInformationStructured.reference",
    "remittanceInformationStructured.referenceType", "remittanceInformationStructured.referenceIssuer",
    "requestedExecutionDate", "requestedExecutionTime", "startDate", "endDate", "executionRule", "frequency",
    "dayOfExecution",
)

ALIASES: dict[str, str] = {
    "amount": "instructedAmount.amount",
    "currency": "instructedAmount.currency",
    "creditor_iban": "creditorAccount.iban",
    "beneficiary_iban": "creditorAccount.iban",
    "creditor_name": "creditorName",
    "beneficiary_name": "creditorName",
    "creditor_bic": "creditorAgent",
    "bic": "creditorAgent",
    "debtor_iban": "debtorAccount.iban",
    "execution_date": "requestedExecutionDate",
    "requested_execution_date": "requestedExecutionDate",
    "structured_communication": "remittanceInformationStructured.reference",
    "ogm": "remittanceInformationStructured.reference",
    "creditor_reference": "remittanceInformationStructured.reference",
    "communication": "remittanceInformationUnstructured",
    "remittance_information": "remittanceInformationUnstructured",
    "description": "remittanceInformationUnstructured",
    "end_to_end_id": "endToEndIdentification",
    "end_to_end_identification": "endToEndIdentification",
    "creditor_country": "creditorAddress.country",
    "creditor_street": "creditorAddress.streetName",
    "creditor_town": "creditorAddress.townName",
    "creditor_post_code": "creditorAddress.postCode",
    "start_date": "startDate",
    "end_date": "endDate",
    "frequency": "frequency",
    "day_of_execution": "dayOfExecution",
    "execution_rule": "executionRule",
}

REQUIRED = ("instructedAmount.amount", "creditorAccount.iban", "creditorName")
# The alias says what the reference is: a Belgian structured communication.
IMPLIED_ISSUER = {"structured_communication": "BBA", "ogm": "BBA"}

_BY_NAME = {path.lower(): path for path in PATHS} | ALIASES
_SEPARATORS = re.compile(r"[\s\-]+")
COMMA_AMOUNT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]+,[0-9]+")


def column_path(header: str) -> str | None:
    """The Berlin Group path a header names, or None."""
    name = header.strip().lower()
    return _BY_NAME.get(name) or _BY_NAME.get(_SEPARATORS.sub("_", name))


def as_loc(path: str) -> Loc:
    return tuple(path.split("."))


def _iban_cell(cell: str) -> str:
    return cell.replace(" ", "").replace("\u00a0", "").upper()


def _comma_amount(cell: str) -> str:
    return cell.replace(".", "").replace(",", ".") if COMMA_AMOUNT.fullmatch(cell) else cell


Converter = Callable[[str], str] | None


def converter(path: str, delimiter: str) -> Converter:
    """How a cell of member `path` is read (None: as written)."""
    if path.endswith(".iban"):
        return _iban_cell
    if path == "instructedAmount.amount" and delimiter != ",":
        return _comma_amount
    return None


def cell_value(path: str, cell: str, delimiter: str) -> Any:
    """The JSON value a spreadsheet cell stands for in member `path`."""
    convert = converter(path, delimiter)
    return cell if convert is None else convert(cell)


class Column(NamedTuple):
    field: int  # field number, from 0
    parents: tuple[str, ...]  # the objects the member sits in ("creditorAccount",)
    member: str
    convert: Converter
    issuer: str | None  # a referenceIssuer the alias implies


def column(index: int, loc: Loc, delimiter: str, issuer: str | None) -> Column:
    path = ".".join(map(str, loc))
    return Column(index, tuple(map(str, loc[:-1])), str(loc[-1]), converter(path, delimiter), issuer)


def row_body(columns: list[Column], row: list[str]) -> dict[str, Any]:
    """The payment body of a CSV row: each mapped, non-empty cell set at its path. Currency defaults to EUR."""
    # Hot path (once per row of files of millions): the columns' paths and converters are worked out once.
    body: dict[str, Any] = {}
    for field, parents, member, convert, issuer in columns:
        cell = row[field]
        if not cell:
            continue
        node = body
        for part in parents:
            node = node.get(part) or node.setdefault(part, {})
        node[member] = cell if convert is None else convert(cell)
        if issuer:
            node.setdefault("referenceIssuer", issuer)
    amount = body.get("instructedAmount")
    if amount is not None:
        amount.setdefault("currency", "EUR")
    return body
