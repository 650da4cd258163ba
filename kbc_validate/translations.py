"""Messages in Dutch and French: gettext catalogues (``kbc_validate/locale/{nl,fr}/LC_MESSAGES/kbc_validate.po``,
compiled to the ``.mo`` files beside them), read with the standard library's `gettext`.

The library speaks English: `Issue.message` and the rule catalogue are English, as the design's contract says. A
message is translated where it is rendered for a person (the command line's formats, the summary, the HTML report,
``--explain``, ``--list-rules``), or by calling `Translator.message` / `translated` explicitly. Codes, causes,
locations and JSON keys never change with the language.

A finding's English message is turned into another language by reading the values back out of it with its rule's
template (`_template_pattern`), then rendering the translated template with them: findings made anywhere (the
per-row rules, the column engine's tables, a worker process) are translated the same way, and a message that does
not match its template (it cannot happen for the catalogue's own findings) is left in English rather than guessed.

Maintainers: ``python tools/translations.py`` extracts the messages (the catalogue's templates and documentation,
and every ``_("...")`` of the package) with Babel, updates the ``.po`` files and compiles the ``.mo`` files; a
test holds every rule to a translation in each language, with the same placeholders, and the ``.mo`` files to the
``.po`` files.
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kbc_validate.catalogue import RULES_BY_CODE, Rule

if TYPE_CHECKING:
    from kbc_validate.findings import Issue

LANGUAGES = ("en", "nl", "fr")
DOMAIN = "kbc_validate"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_THOUSANDS = {"en": ",", "nl": ".", "fr": "\u202f"}  # CLDR: French groups with a narrow no-break space
_PERCENT_SIGN = {"nl": "%", "fr": "\u202f%"}


def _(message: str) -> str:
    """Marks a message for extraction; the translator of the run translates it where it is shown."""
    return message


_HINT = _(" (did you mean {suggestion}?)")  # KBC906's hint, rendered by `csv_source`
# Words that come into messages as values of a template (KBC402's weekday, `findings.show`'s descriptions).
WORDS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"),
         _("an object"))
SEVERITIES = (_("error"), _("warning"))  # `Severity` values, as the summary and the report show them


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The language of the locale, as gettext finds it (the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is
    set), when it is one of `LANGUAGES`; else English.

    >>> language_from_environment({"LANG": "nl_BE.UTF-8"}), language_from_environment({"LC_ALL": "C", "LANG": "fr_BE"})
    ('nl', 'en')
    """
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            language = re.split(r"[_.@-]", value, maxsplit=1)[0].lower()
            return language if language in LANGUAGES else "en"
    return "en"


class Translator:
    """The messages of one language (English: the catalogue's own text)."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
        self.language = language
        self.missing: set[str] = set()
        self._catalogue: gettext.NullTranslations = (
            gettext.NullTranslations() if language == "en"
            else gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
        )

    def __call__(self, message: str) -> str:
        """The translation of an English text (itself when it has none, noted in `missing` for the tests)."""
        text = self._catalogue.gettext(message)
        if text is message and self.language != "en":
            self.missing.add(message)
        return text

    def plural(self, singular: str, plural: str, count: int, **values: str) -> str:
        """The form of a text for `count` things (the language's plural rule), with ``{count}`` written in full.

        >>> Translator("fr").plural("{count} payment checked", "{count} payments checked", 1204)
        '1\u202f204 paiements contrôlés'
        """
        return self._catalogue.ngettext(singular, plural, count).format(count=self.number(count), **values)

    def number(self, value: int) -> str:
        """A whole number with the language's thousands separator: 1,204 / 1.204 / 1 204 (a narrow no-break space).

        >>> [Translator(language).number(1204) for language in LANGUAGES]
        ['1,204', '1.204', '1\u202f204']
        """
        return f"{value:,}".replace(",", _THOUSANDS[self.language])

    def percent(self, share: float) -> str:
        """A share as a percentage with two decimals, in the language's way.

        >>> [Translator(language).percent(0.25) for language in LANGUAGES]
        ['25.00%', '25,00%', '25,00\u202f%']
        """
        text = f"{share * 100:.2f}"
        return text + "%" if self.language == "en" else text.replace(".", ",") + _PERCENT_SIGN[self.language]

    def template(self, rule: Rule) -> str:
        return self(rule.template)

    def doc(self, rule: Rule) -> str:
        return self(rule.doc)

    def message(self, code: str, message: str) -> str:
        """A finding's English `message` (of rule `code`) in this language."""
        rule = RULES_BY_CODE.get(code)
        if self.language == "en" or rule is None:
            return message
        values = _values(rule.template, message)
        if values is None:
            return message
        values = {name: self._value(name, text) for name, text in values.items()}
        try:
            return self.template(rule).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: a test forbids it
            return message

    def _value(self, name: str, text: str) -> str:
        if name == "hint":
            hint = re.fullmatch(r" \(did you mean (.*)\?\)", text, flags=re.DOTALL)
            return self(_HINT).format(suggestion=hint.group(1)) if hint else text
        return self(text) if text in WORDS else text


def translated(issue: Issue, translator: Translator) -> Issue:
    """`issue` with its message in the translator's language."""
    if translator.language == "en":
        return issue
    return replace(issue, message=translator.message(issue.code, issue.message))


@cache
def translator(language: str) -> Translator:
    return Translator(language)


def placeholders(template: str) -> set[str]:
    """The names a template's ``{placeholders}`` use.

    >>> sorted(placeholders("The IBAN {value} has {length} characters; {{literal}}"))
    ['length', 'value']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def message_values(code: str, message: str) -> dict[str, str] | None:
    """The values an English message of rule `code` was rendered with (``{"value": '"-15,00"'}``), or None."""
    rule = RULES_BY_CODE.get(code)
    return None if rule is None else _values(rule.template, message)


def _values(template: str, message: str) -> dict[str, str] | None:
    match = _template_pattern(template).fullmatch(message)
    return match.groupdict() if match else None


@cache
def _template_pattern(template: str) -> re.Pattern[str]:
    """A pattern that reads a template's placeholder values back out of a message rendered from it."""
    parts, seen = [], set()
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
    return re.compile("".join(parts), flags=re.DOTALL)

