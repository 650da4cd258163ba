"""Reference data shipped by python-stdnum, read once into plain lookup tables.

python-stdnum maintains the SWIFT IBAN registry (``stdnum/iban.dat``) and the National Bank of Belgium list of
bank identification codes (``stdnum/be/banks.dat``). Its own ``iban.validate`` re-reads structures on every call
(about 120 microseconds); these tables answer in well under one. The files are read from the installed package
without importing python-stdnum, so that ``import kbc_validate`` stays fast.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

_ENTRY = re.compile(r'^(?P<key>[0-9A-Z-]+)\s+(?P<attrs>.*)$')
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_STRUCTURE_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_CLASSES = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}  # electronic IBANs are upper case


class Country(NamedTuple):
    name: str
    length: int
    bban_regex: str
    iban_regex: str  # the whole electronic IBAN: country, two digits, BBAN structure
    rearranged_code: str  # the country code as ISO 7064 digits ('BE' -> '1114')
    numeric_bban: bool

    # The patterns are compiled when first used: compiling the registry's 180 of them would cost about 10 ms,
    # when most runs meet a few countries, or none at all (the Belgian IBANs of the hot paths need no pattern).
    @property
    def bban(self) -> re.Pattern[str]:
        return _compiled(self.bban_regex)

    @property
    def iban(self) -> re.Pattern[str]:
        return _compiled(self.iban_regex)


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def stdnum_dir() -> Path:
    """The installed python-stdnum package folder."""
    spec = importlib.util.find_spec("stdnum")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("python-stdnum is not installed; kbc-validate needs python-stdnum>=2.2")
    return Path(next(iter(spec.submodule_search_locations)))


def _entries(relative: str) -> list[tuple[str, dict[str, str]]]:
    lines = (stdnum_dir() / relative).read_text(encoding="utf-8").splitlines()
    matches = (_ENTRY.match(line) for line in lines if line and not line.startswith(("#", " ")))
    return [(m["key"], dict(_ATTR.findall(m["attrs"]))) for m in matches if m]


def _bban_regex(structure: str) -> tuple[int, str]:
    parts = _STRUCTURE_PART.findall(structure)
    return sum(int(count) for count, _ in parts), "".join(f"{_CLASSES[kind]}{{{count}}}" for count, kind in parts)


@cache
def iban_countries() -> dict[str, Country]:
    """Country code -> name, total IBAN length and BBAN pattern, from the SWIFT IBAN registry."""
    countries = {}
    for code, attrs in _entries("iban.dat"):
        structure = attrs.get("bban", "")
        bban_length, regex = _bban_regex(structure)
        whole = f"{code}[0-9]{{2}}{regex}"
        digits = "".join(str(ord(letter) - ord("A") + 10) for letter in code)
        numeric = all(kind == "n" for _, kind in _STRUCTURE_PART.findall(structure))
        countries[code] = Country(attrs.get("country", code), 4 + bban_length, regex, whole, digits, numeric)
    return countries


@cache
def belgian_bank_codes() -> frozenset[str]:
    """The three-digit bank identification codes the National Bank of Belgium lists as assigned."""
    codes: set[str] = set()
    for key, _attrs in _entries("be/banks.dat"):
        first, _, last = key.partition("-")
        codes.update(f"{number:03d}" for number in range(int(first), int(last or first) + 1))
    return frozenset(codes)


@cache
def national_check_countries() -> frozenset[str]:
    """Countries for which python-stdnum implements national IBAN check digits (``stdnum/<cc>/iban.py``)."""
    return frozenset(path.parent.name.upper() for path in stdnum_dir().glob("*/iban.py"))
