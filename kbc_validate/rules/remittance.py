"""Remittance information: one form only, and structured communications whose check digits hold.

A Belgian structured communication (OGM/VCS) is checked when the structured reference's issuer is BBA, when a
structured reference has its shape (12 digits, or ``+++ddd/dddd/ddddd+++`` / ``***ddd/dddd/ddddd***``), and when
the whole unstructured text is a decorated one. Twelve bare digits in unstructured text that fail the check are only
a warning: they may be an invoice number. An ISO 11649 RF reference is checked when the issuer is ISO or the
reference has the RF shape. Issuers are compared case-insensitively.
"""

from __future__ import annotations

import re
from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.identifiers import iso11649, ogm_vcs
from kbc_validate.identifiers.errors import ValidationError
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Member, Vector, check_object, is_clean_object, object_spec
from kbc_validate.rules.text import BASIC_SET, check_text, identifier

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
UNSTRUCTURED_MAX = 140
REFERENCE_MAX = 35


def check_unstructured(value: Any, loc: Loc, ctx: Context) -> None:
    if not check_text(value, loc, ctx, UNSTRUCTURED_MAX):
        return
    if ogm_vcs.is_decorated(value):
        check_ogm(value, loc, ctx)
    elif _TWELVE_DIGITS.fullmatch(value) and not ogm_vcs.is_valid(value):
        ctx.report("KBC603", loc, value)


# Fast path: a "+++ddd/dddd/ddddd+++" communication is picked out by its own pattern, other text by the basic set.
_SPELLED_OGM = re.compile(r" *\+\+\+ *([0-9]{3}) */ *([0-9]{4}) */ *([0-9]{3})([0-9]{2}) *\+\+\+ *")


def accept_unstructured(value: Any, ctx: Context) -> bool:
    if type(value) is not str or not 0 < len(value) <= UNSTRUCTURED_MAX:
        return False
    if "+++" in value and (match := _SPELLED_OGM.fullmatch(value)) is not None:
        first, second, third, check = match.groups()
        return (int(first + second + third) % 97 or 97) == int(check)
    if BASIC_SET.fullmatch(value) is None or value.isspace():
        return False
    if "/" in value and ogm_vcs.is_decorated(value):  # an OGM the pattern above does not spell out
        return False
    return len(value) != 12 or not value.isdigit() or ogm_vcs.is_valid(value)


STRUCTURED = object_spec(
    {
        "reference": identifier(REFERENCE_MAX),
        "referenceType": identifier(REFERENCE_MAX),
        "referenceIssuer": identifier(REFERENCE_MAX),
    },
    required=("reference",),
)


def reference_scheme(reference: str, issuer: Any) -> str | None:
    """Which check a structured reference gets: "ogm", "rf" or None."""
    issuer = issuer.upper() if isinstance(issuer, str) else None
    if issuer == "BBA" or (issuer != "ISO" and ogm_vcs.looks_like(reference)):
        return "ogm"
    if issuer == "ISO" or iso11649.looks_like(reference):
        return "rf"
    return None


def check_structured(value: Any, loc: Loc, ctx: Context) -> None:
    if not check_object(value, loc, STRUCTURED, ctx):
        return
    reference = value.get("reference")
    if not isinstance(reference, str):
        return
    scheme = reference_scheme(reference, value.get("referenceIssuer"))
    if scheme == "ogm":
        check_ogm(reference, (*loc, "reference"), ctx)
    elif scheme == "rf":
        check_rf(reference, (*loc, "reference"), ctx)


def accept_structured(value: Any, ctx: Context) -> bool:
    if not is_clean_object(value, STRUCTURED, ctx):
        return False
    reference = value["reference"]
    scheme = reference_scheme(reference, value.get("referenceIssuer"))
    if scheme == "ogm":
        return ogm_vcs.is_valid(reference)
    return scheme is None or iso11649.is_valid_electronic(reference)


# The column engine's unstructured text: basic-set characters without '+' (so never a decorated structured
# communication), with at least one that is neither a digit nor a space (so not blank, not twelve digits).
CLEAN_UNSTRUCTURED = r"[A-Za-z0-9/\-?:().,' ]*[A-Za-z/\-?:().,'][A-Za-z0-9/\-?:().,' ]*"
UNSTRUCTURED = Member(check_unstructured, accept_unstructured, Vector("pattern", CLEAN_UNSTRUCTURED, UNSTRUCTURED_MAX))
STRUCTURED_REMITTANCE = Member(check_structured, accept_structured, Vector("structured", spec=STRUCTURED))


def check_one_form(body: dict[str, Any], loc: Loc, ctx: Context) -> None:
    """Unstructured and structured remittance information cannot be used together."""
    structured = body.get("remittanceInformationStructured")
    if structured is not None and body.get("remittanceInformationUnstructured") is not None:
        ctx.report("KBC600", (*loc, "remittanceInformationStructured"), structured)


def accept_one_form(body: dict[str, Any]) -> bool:
    return body.get("remittanceInformationStructured") is None or body.get("remittanceInformationUnstructured") is None


def check_ogm(reference: str, loc: Loc, ctx: Context) -> None:
    try:
        ogm_vcs.validate(reference)
    except ValidationError as error:
        ctx.report(error.code, loc, reference, **error.ctx)


def check_rf(reference: str, loc: Loc, ctx: Context) -> None:
    try:
        iso11649.validate_electronic(reference)
    except ValidationError as error:
        ctx.report(error.code, loc, reference, **error.ctx)
