"""Belgian structured communication (OGM, "gestructureerde mededeling"; VCS, "communication structurée").

Twelve digits: ten digits and two check digits equal to the first ten mod 97, or 97 when that is 0 (so 00 is
never valid). On paper it is written ``+++ddd/dddd/ddddd+++``, sometimes with asterisks: ``***ddd/dddd/ddddd***``.

More information: http://www.sepabelgium.be/nl/de-gestructureerde-mededeling ; python-stdnum ``stdnum.be.ogm_vcs``
(which does not strip the asterisks).

>>> validate('+++010/8068/17183+++')
'010806817183'
>>> validate('***010/8068/17183***')
'010806817183'
>>> validate('010/8068/17180')
Traceback (most recent call last):
    ...
kbc_validate.identifiers.errors.InvalidChecksum: KBC601
>>> format('010806817183')
'+++010/8068/17183+++'
>>> calc_check_digits('0000000097')
'97'
"""

from __future__ import annotations

import re

from kbc_validate.identifiers.errors import InvalidChecksum, InvalidFormat

_DIGITS_12 = re.compile(r"[0-9]{12}")
_DECORATED = re.compile(r"\s*(\+\+\+|\*\*\*)\s*([0-9]{3})\s*/\s*([0-9]{4})\s*/\s*([0-9]{3})([0-9]{2})\s*\1\s*")
_DECORATION = str.maketrans("", "", " +*/")


def compact(number: str) -> str:
    """The twelve digits: spaces, '+', '*' and '/' removed."""
    return number.translate(_DECORATION)


def calc_check_digits(number: str) -> str:
    """The two check digits for the first ten digits of `number`."""
    return f"{int(number[:10]) % 97 or 97:02d}"


def validate(number: str) -> str:
    """Return the twelve digits or raise `InvalidFormat` (not 12 digits) / `InvalidChecksum`."""
    number = compact(number)
    if not _DIGITS_12.fullmatch(number):
        raise InvalidFormat("KBC602")
    expected = calc_check_digits(number)
    if number[10:] != expected:
        raise InvalidChecksum("KBC601", check=number[10:], expected=expected)
    return number


def is_valid(number: str) -> bool:
    """Whether `validate` accepts the number; never raises."""
    try:
        return bool(validate(number))
    except (InvalidFormat, InvalidChecksum):
        return False


def format(number: str) -> str:
    """The paper form ``+++ddd/dddd/ddddd+++``."""
    number = compact(number)
    return f"+++{number[:3]}/{number[3:7]}/{number[7:]}+++"


def is_valid_decorated(text: str) -> bool:
    """Whether the whole text is a decorated structured communication with valid check digits."""
    parts = _DECORATED.fullmatch(text)
    if parts is None:
        return False
    first, second, third, check = parts.group(2, 3, 4, 5)
    return (int(first + second + third) % 97 or 97) == int(check)


def is_decorated(text: str) -> bool:
    """Whether the whole text is written ``+++ddd/dddd/ddddd+++`` or ``***ddd/dddd/ddddd***``."""
    return _DECORATED.fullmatch(text) is not None


def looks_like(text: str) -> bool:
    """Whether the text has the shape of a structured communication: 12 digits or a decorated form."""
    return _DIGITS_12.fullmatch(text) is not None or is_decorated(text)
