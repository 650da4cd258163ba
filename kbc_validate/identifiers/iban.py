"""IBAN (International Bank Account Number, ISO 13616).

An IBAN is a two-letter country code, two check digits and a BBAN whose length and structure the country fixes in
the SWIFT IBAN registry. The check digits make the whole number, rearranged (first four characters moved to the
end, letters as 10..35), equal 1 mod 97 (ISO 7064 mod 97-10). Some countries add check digits inside the BBAN:
Belgium's last two digits are the first ten mod 97 (97 when that is 0; http://www.sepabelgium.be/node/192).

Validation is a pipeline of small steps, each raising one precise error carrying its catalogue code. It differs
from ``stdnum.iban.validate`` on purpose in three places: the check digits must be digits (stdnum lets letters
through its mod 97 test); check digits 00, 01 and 99 are refused (98 minus a remainder never gives them, yet
they can pass the mod 97 test); and an unassigned Belgian bank code is not an error (the National Bank's list
may lag new assignments: see `belgian_bank_code_assigned`).

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

from kbc_validate.identifiers.errors import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from kbc_validate.identifiers.registry import belgian_bank_codes, iban_countries, national_check_countries
from kbc_validate.identifiers.sepa_scope import SEPA_IBAN_COUNTRIES

# Hot path: precompiled patterns and a translation table built once.
_ELECTRONIC = re.compile(r"[A-Z0-9]+")
_PREFIX = re.compile(r"[A-Z]{2}[0-9]{2}")
_LETTER_VALUES = {ord(letter): str(value) for value, letter in enumerate(string.ascii_uppercase, start=10)}
_NEVER_ISSUED_CHECK_DIGITS = frozenset({"00", "01", "99"})
_NEVER_ISSUED = frozenset({0, 1, 99})
_SEPARATORS = str.maketrans("", "", " -.")
_BE_TERM = 111400  # "BE" as ISO 7064 digits (B=11, E=14), then room for the two check digits


def compact(number: str) -> str:
    """The electronic form: separators (space, '-', '.') removed, upper case."""
    return number.translate(_SEPARATORS).strip().upper()


def validate(number: str) -> str:
    """Validate an IBAN written in any usual form; return its electronic form or raise a `ValidationError`."""
    return validate_electronic(compact(number))


def validate_electronic(number: str) -> str:
    """Validate an IBAN that must already be in electronic form (as in a request body)."""
    if not is_valid_electronic(number):
        raise _diagnosis(number)
    return number


def validation_error(number: str) -> ValidationError | None:
    """The error `validate_electronic` raises for `number`, or None when it accepts it: returned, not raised (a
    caller that reports it, on the path of a file's faulty IBANs, saves raising and catching it)."""
    return None if is_valid_electronic(number) else _diagnosis(number)


def is_valid_electronic(number: str, *, sepa_payment: bool = False) -> bool:
    """Whether `validate_electronic` accepts the number; never raises. The hot path of account checks.

    With `sepa_payment`, also whether a SEPA credit transfer can reach it without any finding: its country is in
    the SEPA scope and, for Belgium, its bank code is assigned (one call instead of three on the hot path)."""
    # Hot path, written for speed on purpose: for an all-digit BBAN one integer conversion of everything after
    # the country code serves the check-digit range, the ISO check and the Belgian check, with plain arithmetic
    # instead of a pattern and string concatenation. `_diagnosis` finds out which step failed, off the hot path.
    if len(number) == 16 and number[:2] == "BE" and number.isascii() and (tail := number[2:]).isdigit():
        # The most frequent case of all, spelled out: a Belgian IBAN (check digits, then a 12-digit BBAN whose
        # last two digits are the first ten mod 97, 97 for 0).
        check, bban = divmod(int(tail), 1_000_000_000_000)
        return (
            check not in _NEVER_ISSUED
            and (bban * 1_000_000 + _BE_TERM + check) % 97 == 1
            and (bban // 100 % 97 or 97) == bban % 100
            and (not sepa_payment or tail[2:5] in (_BANK_CODES or _load_bank_codes()))
        )
    entry = (_HOT_TABLE or _load_hot_table()).get(number[:2])
    if sepa_payment and number[:2] not in SEPA_IBAN_COUNTRIES:
        return False
    if entry is None:
        return False
    length, bban_scale, country_term, pattern = entry
    if len(number) != length:
        return False
    if bban_scale:
        if not (number.isascii() and number[2:].isdigit()):
            return False
        digits = int(number[2:])
        check, bban = divmod(digits, bban_scale)
        rearranged = bban * 1_000_000 + country_term + check
    elif pattern is not None and pattern.fullmatch(number):
        check, rearranged = int(number[2:4]), _rearranged(number)
    else:
        return False
    if check in _NEVER_ISSUED or rearranged % 97 != 1:
        return False
    code = number[:2]
    if code == "BE":
        national = (bban // 100 % 97 or 97) == bban % 100
        return national and (not sepa_payment or number[4:7] in (_BANK_CODES or _load_bank_codes()))
    return code not in national_check_countries() or _stdnum_national_check(number, code)


def is_valid_for_sepa_payment(number: str) -> bool:
    """`is_valid_electronic(number, sepa_payment=True)`, remembered: accounts recur (the debtor's own account in
    every payment, the same suppliers and staff month after month), and a verdict depends on the number alone.

    At most `_VERDICTS_MAX` numbers are remembered; the memo is emptied when full (bounded memory, no eviction
    bookkeeping on the hot path)."""
    verdict = _VERDICTS.get(number)
    if verdict is None:
        if len(_VERDICTS) >= _VERDICTS_MAX:
            _VERDICTS.clear()
        verdict = _VERDICTS[number] = is_valid_electronic(number, sepa_payment=True)
    return verdict


_VERDICTS: dict[str, bool] = {}
_VERDICTS_MAX = 1 << 12


# Country code -> (IBAN length, 10**BBAN length if the BBAN is all digits else 0, country digits * 100,
# whole-IBAN pattern). A module global filled on first use: cheaper to reach than a cached function.
_HOT_TABLE: dict[str, tuple[int, int, int, re.Pattern[str] | None]] = {}


_BANK_CODES: set[str] = set()


def _load_bank_codes() -> set[str]:
    _BANK_CODES.update(belgian_bank_codes())
    return _BANK_CODES


def _load_hot_table() -> dict[str, tuple[int, int, int, re.Pattern[str] | None]]:
    _HOT_TABLE.update(
        (code, (c.length, 10 ** (c.length - 4) if c.numeric_bban else 0, int(c.rearranged_code) * 100,
                None if c.numeric_bban else c.iban))  # a BBAN of digits needs no pattern (nor its compiling)
        for code, c in iban_countries().items()
    )
    return _HOT_TABLE


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
    return _rearranged(number) % 97


def _rearranged(number: str) -> int:
    return int((number[4:] + number[:4]).translate(_LETTER_VALUES))


def _diagnosis(number: str) -> ValidationError:
    """The precise error for an IBAN `is_valid_electronic` refused, checking step by step."""
    if len(number) == 16 and number[:2] == "BE" and number.isascii() and number[2:].isdigit():
        # Hot path (a file's faulty Belgian IBANs, each checked once): the shape of `is_valid_electronic`'s spelled-
        # out Belgian case, which holds every step up to the check digits; only those can have failed.
        return _check_digits_error(number, "BE")
    if not _ELECTRONIC.fullmatch(number):
        return InvalidFormat("KBC302")
    if not _PREFIX.match(number):
        return InvalidFormat("KBC303")
    code = number[:2]
    country = iban_countries().get(code)
    if country is None:
        return InvalidComponent("KBC304", country=code)
    if len(number) != country.length:
        return InvalidLength("KBC305", country=code, length=len(number), expected=country.length)
    if not country.bban.fullmatch(number, 4):
        return InvalidFormat("KBC306", country=code)
    return _check_digits_error(number, code)


def _check_digits_error(number: str, code: str) -> ValidationError:
    check = number[2:4]
    if check in _NEVER_ISSUED_CHECK_DIGITS:
        return InvalidChecksum("KBC307", check=check)
    if mod97(number) != 1:
        return InvalidChecksum("KBC308")
    return InvalidChecksum("KBC309", country=code)


def _stdnum_national_check(number: str, country: str) -> bool:
    # Rare path (Spain, Norway, Montenegro): python-stdnum is the reference implementation of these national checks.
    from stdnum.exceptions import ValidationError as StdnumValidationError

    module = importlib.import_module(f"stdnum.{country.lower()}.iban")
    try:
        module.validate(number)
    except StdnumValidationError:
        return False
    return True
