"""BIC (Business Identifier Code, ISO 9362), as Berlin Group's ``bicfi`` type writes it.

Eight or eleven characters: four for the institution, two for the country, two for the location (the seventh is
never 0 or 1, which mark test and passive BICs; the eighth is never O) and an optional three-character branch.
The pattern is ISO 20022's ``[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?``. python-stdnum's ``bic`` is looser on the
location and also checks the country against ISO 3166; here the Berlin Group pattern is the contract.

>>> validate('KREDBEBB')
'KREDBEBB'
>>> validate('kredbebb xxx')
'KREDBEBBXXX'
>>> is_valid('KREDBE1B')
False
"""

from __future__ import annotations

import re

from kbc_validate.identifiers.errors import InvalidFormat

_BICFI = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?")


def compact(number: str) -> str:
    """Spaces and '-' removed, upper case."""
    return number.replace(" ", "").replace("-", "").strip().upper()


def validate(number: str) -> str:
    """Return the compact BIC or raise `InvalidFormat`."""
    return validate_electronic(compact(number))


def validate_electronic(number: str) -> str:
    """Validate a BIC exactly as written (as in a request body)."""
    if not _BICFI.fullmatch(number):
        raise InvalidFormat("KBC330")
    return number


def is_valid_electronic(number: str) -> bool:
    """Whether `validate_electronic` accepts the number; never raises."""
    return _BICFI.fullmatch(number) is not None


def is_valid(number: str) -> bool:
    """Whether `validate` accepts the number; never raises."""
    try:
        return bool(validate(number))
    except InvalidFormat:
        return False


def format(number: str) -> str:
    """The compact form (BICs have no separators)."""
    return compact(number)
