"""Text members: presence of content, maximum length, and the characters SEPA can carry.

The SEPA basic character set (``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space) is carried everywhere. After NFC
normalisation, names, addresses and unstructured remittance may also hold Latin-1 Supplement and Latin
Extended-A/B letters, printable ASCII outside the basic set and Latin-1 symbols (and the euro sign): banks
transliterate them, so they are a warning. Control characters, non-ASCII spaces, zero-width and bidi characters,
combining marks left over after NFC, fullwidth forms, other scripts and emoji are refused. Identifiers travel
unchanged between banks and must stay within the basic set.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Member, Vector

# Hot path: the basic-set test is one precompiled fullmatch; the slower classification runs only when it fails.
BASIC_SET = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_NOT_BASIC = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
# Printable ASCII, Latin-1 symbols and letters (not U+00A0 no-break space, not U+00AD soft hyphen),
# Latin Extended-A and -B, and the euro sign.
_TRANSLITERABLE = "\x20-\x7e\u00a1-\u00ac\u00ae-\u024f\u20ac"
_FORBIDDEN = re.compile(f"[^{_TRANSLITERABLE}]")
# The column engine's form of `is_clean_text`: basic-set characters, at least one of them not a space.
CLEAN_TEXT = r"[A-Za-z0-9/\-?:().,'+ ]*[A-Za-z0-9/\-?:().,'+][A-Za-z0-9/\-?:().,'+ ]*"


_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def describe_character(char: str) -> str:
    """``'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE)``; invisible characters without the quoted glyph."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "CONTROL CHARACTER")
    code = f"U+{ord(char):04X} {name}"
    return f"'{char}' ({code})" if char.isprintable() and not char.isspace() else code


def check_characters(value: str, loc: Loc, ctx: Context, *, identifier: bool) -> None:
    """Report characters outside the SEPA basic set: an error in identifiers, a warning or error in free text."""
    if BASIC_SET.fullmatch(value):
        return
    normalized = unicodedata.normalize("NFC", value)
    if identifier:
        outside = _NOT_BASIC.search(normalized)
        if outside:
            ctx.report("KBC702", loc, value, char=describe_character(outside.group()))
        return
    forbidden = _FORBIDDEN.search(normalized)
    if forbidden:
        ctx.report("KBC703", loc, value, char=describe_character(forbidden.group()))
        return
    outside = _NOT_BASIC.search(normalized)
    if outside:
        ctx.report("KBC704", loc, value, char=describe_character(outside.group()))


def check_text(value: Any, loc: Loc, ctx: Context, max_length: int, *, identifier: bool = False) -> bool:
    """Check a text member; True when it is a string (so that further rules may look at it)."""
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")
        return False
    if not value or value.isspace():
        ctx.report("KBC700", loc, value)
        return True
    length = len(value)
    if length > max_length:
        length = len(unicodedata.normalize("NFC", value))
        if length > max_length:
            ctx.report("KBC701", loc, value, length=length, max=max_length)
    check_characters(value, loc, ctx, identifier=identifier)
    return True


def is_clean_text(value: Any, max_length: int) -> bool:
    """True only when `check_text` would report nothing (the value is in the basic set)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= max_length
        and BASIC_SET.fullmatch(value) is not None
        and not value.isspace()
    )


def text(max_length: int) -> Member:
    """A free-text member (names, addresses) of at most `max_length` characters."""
    def check(value: Any, loc: Loc, ctx: Context) -> None:
        check_text(value, loc, ctx, max_length)

    def accept(value: Any, ctx: Context) -> bool:  # is_clean_text, inlined: one call less per member
        return (
            isinstance(value, str)
            and 0 < len(value) <= max_length
            and BASIC_SET.fullmatch(value) is not None
            and not value.isspace()
        )

    return Member(check, accept, Vector("pattern", CLEAN_TEXT, max_length))


def identifier(max_length: int) -> Member:
    """An identifier member (basic character set only) of at most `max_length` characters."""
    def check(value: Any, loc: Loc, ctx: Context) -> None:
        check_text(value, loc, ctx, max_length, identifier=True)

    clean = text(max_length)
    return Member(check, clean.accept, clean.vector)
