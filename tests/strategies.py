"""Hypothesis strategies: valid identifiers and valid bodies of the three services, and arbitrary JSON."""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from kbc_validate.business_days import calendar_day
from kbc_validate.identifiers import ogm_vcs
from kbc_validate.identifiers.registry import belgian_bank_codes, iban_countries, national_check_countries
from kbc_validate.identifiers.sepa_scope import SEPA_IBAN_COUNTRIES
from tests.bodies import TODAY

BASIC_CHARACTERS = string.ascii_letters + string.digits + "/-?:().,'+ "
_LETTER_VALUES = {ord(c): str(v) for v, c in enumerate(string.ascii_uppercase, start=10)}


def iso_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits (02..98) for `bban` in `country`."""
    return f"{98 - int((bban + country + '00').translate(_LETTER_VALUES)) % 97:02d}"


_BBAN_STRATEGIES = {
    code: st.from_regex(country.bban, fullmatch=True) for code, country in iban_countries().items()
}
_BELGIAN_BANKS = st.sampled_from(sorted(belgian_bank_codes()))


@st.composite
def bbans(draw: st.DrawFn, country: str) -> str:
    if country == "BE":
        first_ten = draw(_BELGIAN_BANKS) + f"{draw(st.integers(0, 9_999_999)):07d}"
        return first_ten + f"{int(first_ten) % 97 or 97:02d}"
    return draw(_BBAN_STRATEGIES[country])


# Countries whose valid IBANs the strategy can build: no national check digits, or Belgium's (known here).
BUILDABLE_SEPA = sorted(
    c for c in SEPA_IBAN_COUNTRIES if c in iban_countries() and c not in national_check_countries() - {"BE"}
)


@st.composite
def valid_ibans(draw: st.DrawFn, countries: list[str] = BUILDABLE_SEPA) -> str:
    country = draw(st.sampled_from(countries))
    bban = draw(bbans(country))
    return country + iso_check_digits(country, bban) + bban


@st.composite
def iban_candidates(draw: st.DrawFn) -> str:
    """Strings near the IBAN form: valid ones, one character changed, wrong or adjacent check digits, random,
    00/01/99. Half are from the countries with national check digits, which only a changed BBAN with fresh ISO check
    digits can exercise."""
    national = sorted(national_check_countries() & set(iban_countries()))
    country = draw(st.one_of(st.sampled_from(national), st.sampled_from(sorted(iban_countries()))))
    bban = draw(bbans(country))
    check = iso_check_digits(country, bban)
    kinds = ["valid", "typo", "rechecked_typo", "random_check", "adjacent_check", "never_issued", "random"]
    kind = draw(st.sampled_from(kinds))
    if kind == "valid":
        return country + check + bban
    if kind == "typo":
        number = list(country + check + bban)
        index = draw(st.integers(2, len(number) - 1))
        number[index] = draw(st.sampled_from(string.digits + string.ascii_uppercase))
        return "".join(number)
    if kind == "rechecked_typo":  # a changed BBAN with fresh ISO check digits: only national checks can tell
        index = draw(st.integers(0, len(bban) - 1))
        digit = draw(st.sampled_from(string.digits))
        changed = bban[:index] + digit + bban[index + 1:]
        return country + iso_check_digits(country, changed) + changed
    if kind == "random_check":
        return country + f"{draw(st.integers(0, 99)):02d}" + bban
    if kind == "adjacent_check":  # off by one: the remainder is 0 or 2, where an off-by-one test would slip
        return country + f"{int(check) + draw(st.sampled_from([-1, 1])):02d}" + bban
    if kind == "never_issued":  # congruent check digits that pass mod 97: 97 <-> 00, 98 <-> 01, 02 <-> 99
        return country + {"97": "00", "98": "01", "02": "99"}.get(check, check) + bban
    return draw(st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}", fullmatch=True))


@st.composite
def valid_ogms(draw: st.DrawFn) -> str:
    first_ten = f"{draw(st.integers(0, 9_999_999_999)):010d}"
    return first_ten + ogm_vcs.calc_check_digits(first_ten)


@st.composite
def valid_rf_references(draw: st.DrawFn) -> str:
    reference = draw(st.from_regex(r"[A-Z0-9]{1,21}", fullmatch=True))
    check = 98 - int((reference + "RF00").translate(_LETTER_VALUES)) % 97
    return f"RF{check:02d}{reference}"


def basic_text(max_size: int) -> st.SearchStrategy[str]:
    """Non-blank text in the SEPA basic character set that does not look like a structured communication."""
    return st.text(alphabet=BASIC_CHARACTERS, min_size=1, max_size=max_size).filter(
        lambda text: text.strip() != "" and not ogm_vcs.looks_like(text) and not (len(text) == 12 and text.isdigit())
    )


amounts = st.one_of(
    st.integers(1, 99_999_999_999).map(lambda cents: f"{cents // 100}.{cents % 100:02d}"),
    st.integers(1, 999_999_999).map(str),
    st.integers(1, 9_999_999_999).map(lambda tenths: f"{tenths // 10}.{tenths % 10}"),
)


def _is_business_day(text: str) -> bool:
    day = calendar_day(text)
    return day is not None and day.weekday < 5 and not day.target2_closing and not day.belgian_holiday


execution_dates = st.integers(0, 365).map(lambda n: (TODAY + timedelta(days=n)).isoformat()).filter(_is_business_day)
start_dates = st.integers(0, 365).map(lambda n: (TODAY + timedelta(days=n)).isoformat())


@st.composite
def remittance(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["none", "text", "ogm_text", "ogm", "rf"]))
    if kind == "text":
        return {"remittanceInformationUnstructured": draw(basic_text(140))}
    if kind == "ogm_text":
        return {"remittanceInformationUnstructured": ogm_vcs.format(draw(valid_ogms()))}
    if kind == "ogm":
        return {"remittanceInformationStructured": {"reference": draw(valid_ogms()), "referenceIssuer": "BBA"}}
    if kind == "rf":
        return {"remittanceInformationStructured": {"reference": draw(valid_rf_references()), "referenceIssuer": "ISO"}}
    return {}


@st.composite
def payment_members(draw: st.DrawFn, creditor_iban: str) -> dict[str, Any]:
    members: dict[str, Any] = {
        "instructedAmount": {"currency": "EUR", "amount": draw(amounts)},
        "creditorAccount": {"iban": creditor_iban},
        "creditorName": draw(basic_text(70)),
    }
    if draw(st.booleans()):
        members["endToEndIdentification"] = draw(basic_text(35))
    members.update(draw(remittance()))
    return members


@st.composite
def _payment_with_optional_debtor(draw: st.DrawFn) -> dict[str, Any]:
    """A payment's members, and half the time a debtor account (optional at KBC), distinct from the creditor's."""
    debtor, creditor = draw(st.lists(valid_ibans(), min_size=2, max_size=2, unique=True))
    body = draw(payment_members(creditor))
    if draw(st.booleans()):
        body["debtorAccount"] = {"iban": debtor}
    return body


@st.composite
def valid_single_bodies(draw: st.DrawFn) -> dict[str, Any]:
    body = draw(_payment_with_optional_debtor())
    if draw(st.booleans()):
        body["requestedExecutionDate"] = draw(execution_dates)
    return body


@st.composite
def valid_periodic_bodies(draw: st.DrawFn) -> dict[str, Any]:
    body = draw(_payment_with_optional_debtor())
    body["startDate"] = draw(start_dates)
    body["frequency"] = draw(st.sampled_from(["Daily", "Weekly", "Monthly", "Quarterly", "Annual", "MonthlyVariable"]))
    if body["frequency"] == "MonthlyVariable":
        months = sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=11)))
        body["monthsOfExecution"] = [str(month) for month in months]
    if draw(st.booleans()):
        body["endDate"] = (TODAY + timedelta(days=draw(st.integers(366, 800)))).isoformat()
    if draw(st.booleans()):
        body["dayOfExecution"] = str(draw(st.integers(1, 31)))
    if draw(st.booleans()):
        body["executionRule"] = draw(st.sampled_from(["following", "preceding"]))
    return body


@st.composite
def valid_bulk_bodies(draw: st.DrawFn) -> dict[str, Any]:
    ibans = draw(st.lists(valid_ibans(), min_size=2, max_size=5, unique=True))
    body: dict[str, Any] = {"debtorAccount": {"iban": ibans[0]}}
    body["payments"] = [draw(payment_members(creditor)) for creditor in ibans[1:]]
    if draw(st.booleans()):
        body["requestedExecutionDate"] = draw(execution_dates)
    if draw(st.booleans()):
        body["batchBookingPreferred"] = draw(st.booleans())
    return body


VALID_BODIES = {
    "payments": valid_single_bodies(),
    "periodic-payments": valid_periodic_bodies(),
    "bulk-payments": valid_bulk_bodies(),
}

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["EUR", "BE36734012345681", "2026-12-15", "0", "-1", "NaN", "1e2", "20261201", "\u200b"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)

# Values one character or one rule away from valid, for every kind of member: what the fast path must not accept.
NEAR_MISSES = [
    "EUR", "USD", "eur", "EURO", "", " ", "0", "0.00", "-0", "-5.00", "+5", "00012.50", "1.234", "12,50", "1e2",
    "NaN", "999999999.99", "1000000000.00", "0.01", "0.001", "١٢", "BE36734012345681", "BE36734012345680",
    "be36734012345681", "BE36 7340 1234 5681", "BE00734012345681", "BE68539007547034", "BE41091811735141",
    "BR1800360305000010009795493C1", "ES9121000418450200051331", "KREDBEBB", "KREDBE1B", "kredbebb", "2026-12-15",
    "2026-11-23", "2026-11-28", "2026-12-25", "2026-05-14", "2027-12-15", "20261215", "2026-W49-2", "2026-02-29",
    "+++010/8068/17183+++", "+++010/8068/17180+++", "***010/8068/17183***", "010806817183", "010806817180",
    "RF18539007547034", "RF17539007547034", "RFX", "BBA", "bba", "ISO", "Monthly", "monthly", "MonthlyVariable",
    "1", "01", "31", "32", "following", "Following", "Merchant NV", "Mer\u200bchant", "Merch\u0430nt", "Café",
    "A & B", "N" * 71, "R" * 141, "\u00a0", "😀", "\u202e", "x\u0301", True, False, None, 0, 12.5, [], {},
    ["1", "1"], ["1", "13"], ["4", "7"], {"iban": "BE36734012345681"}, {"iban": "BE36734012345681", "bban": "1"},
    {"iban": "BE36734012345681", "currency": "USD"}, {"currency": "EUR", "amount": "1"},
    {"currency": "USD", "amount": "1"}, {"reference": "010806817180", "referenceIssuer": "BBA"},
    {"reference": "RF17539007547034"}, {"country": "be"},
]
near_misses = st.sampled_from(NEAR_MISSES)
