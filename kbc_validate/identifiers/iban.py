"""IBAN (International Bank Account Number, ISO 13616).

An IBAN is a two-letter country code, two check digits and a BBAN whose length and structure the country fixes in
the SWIFT IBAN registry. The check digits make the whole number, rearranged (first four characters moved to the
end, letters as 10..35), equal 1 mod 97 (ISO 7064 mod 97-10). Some countries add check digits inside the BBAN:
Belgium's last two digits are the first ten mod 97 (97 when that is 0; http://www.sepabelgium.be/node/192).

Validation is a pipeline of small steps, each raising one precise error carrying its catalogue code. It differs
from ``stdnum.iban.validate`` on purpose in two places: check digits 00, 01 and 99 are refused (98 minus a
remainder never gives them, yet they can pass the mod 97 test), and an unassigned Belgian bank code is not an
error (the National Bank's list may lag new assignments: see `belgian_bank_code_assigned`).

More information: https://www.swift.com/standards/data-standards/iban

>>> validate('BE36 7340 1234 5681')
'BE36734012345681'
>>> validate('BE36734012345680')
Traceback (most recent call last):
    ...
kbc_validate.identifiers.errors.InvalidChecksum: KBC308
>>> format('BE36734012345681')
'BE36 7340 1234 5681'
>>> in_sepa_scope('BR1800360305000010009795493C1')
False
"""

from __future__ import annotations

import importlib
import re
import string

from kbc_validate.identifiers.errors import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from kbc_validate.identifiers.registry import belgian_bank_codes, iban_countries, national_check_countries
from kbc_validate.identifiers.sepa_scope import SEPA_IBAN_COUNTRIES

# Hot path: precompiled patterns and a translation table built once.
_ELECTRONIC = re.compile(r"[A-Z0-9]+")
_PREFIX = re.compile(r"[A-Z]{2}[0-9]{2}")
_LETTER_VALUES = {ord(letter): str(value) for value, letter in enumerate(string.ascii_uppercase, start=10)}
_NEVER_ISSUED_CHECK_DIGITS = frozenset({"00", "01", "99"})
_SEPARATORS = str.maketrans("", "", " -.")


def compact(number: str) -> str:
    """The electronic form: separators (space, '-', '.') removed, upper case."""
    return number.translate(_SEPARATORS).strip().upper()


def validate(number: str) -> str:
    """Validate an IBAN written in any usual form; return its electronic form or raise a `ValidationError`."""
    return validate_electronic(compact(number))


def validate_electronic(number: str) -> str:
    """Validate an IBAN that must already be in electronic form (as in a request body)."""
    if not _ELECTRONIC.fullmatch(number):
        raise InvalidFormat("KBC302")
    if not _PREFIX.match(number):
        raise InvalidFormat("KBC303")
    country = number[:2]
    _check_registry(number, country)
    _check_digits(number)
    if country == "BE":
        _check_belgian_national(number)
    elif country in national_check_countries():
        _check_with_stdnum(number, country)
    return number


def is_valid(number: str) -> bool:
    """Whether `validate` accepts the number; never raises."""
    try:
        return bool(validate(number))
    except (InvalidFormat, InvalidLength, InvalidChecksum, InvalidComponent):
        return False


def format(number: str, separator: str = " ") -> str:
    """The paper form: groups of four characters."""
    number = compact(number)
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


def in_sepa_scope(number: str) -> bool:
    """Whether the IBAN's country is in the SEPA schemes' geographical scope."""
    return compact(number)[:2] in SEPA_IBAN_COUNTRIES


def belgian_bank_code_assigned(number: str) -> bool:
    """Whether a Belgian IBAN's bank code (BBAN digits 1-3) is in the National Bank of Belgium's list."""
    return compact(number)[4:7] in belgian_bank_codes()


def mod97(number: str) -> int:
    """ISO 7064 mod 97-10 remainder of an IBAN-like string (first four characters moved to the end)."""
    return int((number[4:] + number[:4]).translate(_LETTER_VALUES)) % 97


def _check_registry(number: str, country: str) -> None:
    entry = iban_countries().get(country)
    if entry is None:
        raise InvalidComponent("KBC304", country=country)
    if len(number) != entry.length:
        raise InvalidLength("KBC305", country=country, length=len(number), expected=entry.length)
    if not entry.bban.fullmatch(number, 4):
        raise InvalidFormat("KBC306", country=country)


def _check_digits(number: str) -> None:
    check = number[2:4]
    if check in _NEVER_ISSUED_CHECK_DIGITS:
        raise InvalidChecksum("KBC307", check=check)
    if mod97(number) != 1:
        raise InvalidChecksum("KBC308")


def _check_belgian_national(number: str) -> None:
    if (int(number[4:14]) % 97 or 97) != int(number[14:16]):
        raise InvalidChecksum("KBC309", country="BE")


def _check_with_stdnum(number: str, country: str) -> None:
    # Rare path (Spain, Norway, Montenegro): python-stdnum is the reference implementation of these national checks.
    from stdnum.exceptions import ValidationError as StdnumValidationError

    module = importlib.import_module(f"stdnum.{country.lower()}.iban")
    try:
        module.validate(number)
    except StdnumValidationError:
        raise InvalidChecksum("KBC309", country=country) from None
