"""ISO 11649 structured creditor reference ("RF reference").

``RF``, two check digits and a reference of 1 to 21 letters or digits (25 characters at most). Valid when the
whole, rearranged (first four characters moved to the end, letters as 10..35), equals 1 mod 97.

More information: https://www.iso.org/standard/50649.html ; python-stdnum ``stdnum.iso11649``.

>>> validate('RF18 5390 0754 7034')
'RF18539007547034'
>>> validate('RF17539007547034')
Traceback (most recent call last):
    ...
kbc_validate.identifiers.errors.InvalidChecksum: KBC604
>>> looks_like('RF712348231')
True
"""

from __future__ import annotations

import re

from kbc_validate.identifiers.errors import InvalidChecksum, InvalidFormat
from kbc_validate.identifiers.iban import mod97

_RF = re.compile(r"RF[0-9]{2}[A-Za-z0-9]{1,21}")
_SEPARATORS = str.maketrans("", "", " -.,/:")


def compact(number: str) -> str:
    """Separators removed, upper case."""
    return number.translate(_SEPARATORS).strip().upper()


def validate(number: str) -> str:
    """Return the compact reference or raise `InvalidFormat` / `InvalidChecksum`."""
    return validate_electronic(compact(number))


def validate_electronic(number: str) -> str:
    """Validate a reference exactly as written (letters of either case)."""
    if not _RF.fullmatch(number):
        raise InvalidFormat("KBC605")
    if mod97(number.upper()) != 1:
        raise InvalidChecksum("KBC604")
    return number


def is_valid_electronic(number: str) -> bool:
    """Whether `validate_electronic` accepts the reference; never raises."""
    return _RF.fullmatch(number) is not None and mod97(number.upper()) == 1


def is_valid(number: str) -> bool:
    """Whether `validate` accepts the number; never raises."""
    try:
        return bool(validate(number))
    except (InvalidFormat, InvalidChecksum):
        return False


def format(number: str) -> str:
    """Groups of four characters."""
    number = compact(number)
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def looks_like(text: str) -> bool:
    """Whether the text has the shape of an RF reference."""
    return _RF.fullmatch(text) is not None
