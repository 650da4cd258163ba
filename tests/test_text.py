"""Texts: presence, length and characters (KBC7xx)."""

from __future__ import annotations

import pytest

from tests.bodies import SINGLE, check, findings, with_value

NAME = ("creditorName",)
E2E = ("endToEndIdentification",)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Merchant NV", set(), id="basic set"),
        pytest.param("O'Brien (Ltd.) - 2/3, +?:", set(), id="every basic punctuation"),
        pytest.param("N" * 70, set(), id="70 characters"),
        pytest.param("N" * 71, {"KBC701"}, id="71 characters"),
        pytest.param("", {"KBC700"}, id="empty"),
        pytest.param("   ", {"KBC700"}, id="blank"),
        pytest.param("Café Løvén", {"KBC704"}, id="Latin-1 letters: transliterated (warning)"),
        pytest.param("Łódź Sp. z o.o.", {"KBC704"}, id="Latin Extended-A (warning)"),
        pytest.param("Cafe\u0301", {"KBC704"}, id="decomposed é composes under NFC (warning)"),
        pytest.param("A & B", {"KBC704"}, id="ampersand: printable ASCII outside the set (warning)"),
        pytest.param("Pay_Co @ 5*", {"KBC704"}, id="underscore, at, asterisk (warning)"),
        pytest.param("Prix 5 €", {"KBC704"}, id="euro sign (warning)"),
        pytest.param("Caf\u00e9" + "e" * 66, {"KBC704"}, id="70 characters counted after NFC"),
        pytest.param("Mer\u200bchant", {"KBC703"}, id="zero-width space"),
        pytest.param("Merchant\u202eVN", {"KBC703"}, id="bidi override"),
        pytest.param("Merchant\u00a0NV", {"KBC703"}, id="no-break space"),
        pytest.param("Merchant\tNV", {"KBC703"}, id="tab"),
        pytest.param("Merchant\nNV", {"KBC703"}, id="line feed"),
        pytest.param("Merch\u0430nt", {"KBC703"}, id="Cyrillic a, a look-alike"),
        pytest.param("Ωmega", {"KBC703"}, id="Greek"),
        pytest.param("銀行", {"KBC703"}, id="CJK"),
        pytest.param("Ｍerchant", {"KBC703"}, id="fullwidth letter"),
        pytest.param("Merchant 😀", {"KBC703"}, id="emoji"),
        pytest.param("x\u0301\u0301", {"KBC703"}, id="combining marks left after NFC"),
        pytest.param(70, {"KBC103"}, id="a number"),
    ],
)
def test_creditor_name(name: object, expected: set[str]) -> None:
    assert findings(check(with_value(SINGLE, NAME, name))) == {(code, NAME) for code in expected}


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        pytest.param("INV-2026/0042", set(), id="basic set"),
        pytest.param("E" * 35, set(), id="35 characters"),
        pytest.param("E" * 36, {"KBC701"}, id="36 characters"),
        pytest.param("FACTURE-É", {"KBC702"}, id="a letter with diacritic is an error in an identifier"),
        pytest.param("INV_42", {"KBC702"}, id="underscore is an error in an identifier"),
        pytest.param("INV\u200b42", {"KBC702"}, id="zero-width space"),
        pytest.param("", {"KBC700"}, id="empty optional identifier"),
    ],
)
def test_end_to_end_identification(identifier: str, expected: set[str]) -> None:
    assert findings(check(with_value(SINGLE, E2E, identifier))) == {(code, E2E) for code in expected}


def test_messages_make_invisible_characters_visible() -> None:
    issue = check(with_value(SINGLE, NAME, "Mer\u200bchant")).issues[0]
    assert "U+200B" in issue.message
    assert "\\u200b" in issue.message


def test_huge_text_is_reported_without_echoing_it_whole() -> None:
    issue = check(with_value(SINGLE, NAME, "N" * 1_000_000)).issues[0]
    assert issue.code == "KBC701"
    assert len(issue.message) < 300
