"""CSV headers: which payment member each column fills, and how a spreadsheet cell becomes a JSON value.

A column is named by its Berlin Group path (``creditorAccount.iban``), by a name of the header vocabulary
(`column_names`: ``creditor_iban``, ``Rekening begunstigde``, ``Compte du bénéficiaire``), or by the user's mapping
(``--column``, ``[tool.kbc-validate.columns]``); names match without regard to case, accents, spaces and punctuation.
What Belgian Excel writes is read as it means it: IBANs with spaces, and amounts with a decimal comma (``12,50``,
``-15,00`` and ``1.234,56`` where the delimiter is not a comma). Nothing else is guessed: other values go to the
rules as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from kbc_validate.files.column_names import (
    BELGIAN_STRUCTURED,
    NOT_PAYMENT_MEMBERS,
    VOCABULARY,
    WEAK,
    name_key,
)
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

REQUIRED = ("instructedAmount.amount", "creditorAccount.iban", "creditorName")

_BY_KEY = {name_key(path): path for path in PATHS} | VOCABULARY
# A negative amount with a decimal comma is read as the same amount with a point: KBC200 either way, not KBC201.
COMMA_AMOUNT = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]+,[0-9]+)")

Mapping = dict[str, str]  # header key (`name_key`) -> Berlin Group path: `--column` and pyproject's columns


def column_path(header: str, mapping: Mapping | None = None) -> str | None:
    """The Berlin Group path a header names (the user's mapping first, then the vocabulary), or None.

    >>> column_path("Rekening begunstigde"), column_path("Date d'exécution")
    ('creditorAccount.iban', 'requestedExecutionDate')
    """
    key = name_key(header)
    if mapping and key in mapping:
        return mapping[key]
    return _BY_KEY.get(key)


def implied_issuer(header: str) -> str | None:
    """The referenceIssuer a header's name implies: BBA for a Belgian structured communication."""
    return "BBA" if name_key(header) in BELGIAN_STRUCTURED else None


def is_known_other_column(header: str) -> bool:
    """A column known to hold no payment member (bank exports' bookkeeping, the fix file's ``kbc_*``)."""
    return name_key(header) in NOT_PAYMENT_MEMBERS


def is_weak(header: str, mapping: Mapping | None = None) -> bool:
    """A name that yields its member to another column of the header (`column_names.WEAK`), unless mapped."""
    key = name_key(header)
    return key in WEAK and not (mapping and key in mapping)


def suggestion(header: str) -> str | None:
    """The known column name nearest a header's, when one is near enough to be a likely typo."""
    import difflib

    close = difflib.get_close_matches(name_key(header), list(_BY_KEY), n=1, cutoff=0.8)
    return _BY_KEY[close[0]] if close else None


def parse_mapping(pairs: list[tuple[str, str]]) -> Mapping:
    """The mapping of `HEADER=member` pairs; `ValueError` names an unknown member and the known ones."""
    unknown = [member for _, member in pairs if member not in PATHS]
    if unknown:
        import difflib

        near = {m: difflib.get_close_matches(m, PATHS, n=1) for m in unknown}
        hints = [f"{m!r} (did you mean {near[m][0]}?)" if near[m] else repr(m) for m in unknown]
        raise ValueError(f"unknown member {', '.join(hints)}; known members: {', '.join(PATHS)}")
    return {name_key(header): member for header, member in pairs}


def as_loc(path: str) -> Loc:
    return tuple(path.split("."))


def _iban_cell(cell: str) -> str:
    return cell.replace(" ", "").replace("\u00a0", "").upper()


def _comma_amount(cell: str) -> str:
    return cell.replace(".", "").replace(",", ".") if COMMA_AMOUNT.fullmatch(cell) else cell


Converter = Callable[[str], str] | None

# The fix file of ``--errors-out`` is opened in spreadsheets, which run a cell starting with these as a formula; the
# fix file writes such a cell after an apostrophe, and reading a fix file takes the apostrophe off again, so that a
# value is checked as it was written in the input (``+++090/9337/55493+++`` stays a structured communication).
# Fullwidth and small forms and the minus sign are there too: spreadsheets in some locales read them as the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212")


def neutralise(cell: str) -> str:
    """A cell as the fix file writes it: one a spreadsheet would run as a formula gets a leading apostrophe.

    >>> neutralise("=1+1"), neutralise("+++090/9337/55493+++"), neutralise("'t Stokske")
    ("'=1+1", "'+++090/9337/55493+++", "'t Stokske")
    """
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def unneutralise(cell: str) -> str:
    """A fix file's cell as it was in the input (`neutralise` undone).

    >>> unneutralise("'+++090/9337/55493+++"), unneutralise("'t Stokske")
    ('+++090/9337/55493+++', "'t Stokske")
    """
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def unneutralising(convert: Converter) -> Converter:
    """`convert` for the cells of a fix file: after `unneutralise`."""
    if convert is None:
        return unneutralise
    inner = convert
    return lambda cell: inner(unneutralise(cell))


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
