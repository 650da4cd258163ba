"""Maintainers' command for the Dutch and French messages (needs Babel: ``pip install -e '.[dev]'``).

    python tools/translations.py           # extract, update the .po files, compile the .mo files
    python tools/translations.py --check   # exit 1 when a .po lacks a message or a .mo differs from its .po

Messages come from two places: every rule of `kbc_validate.catalogue` (its message template and documentation,
each marked with its code for translators) and every ``_("...")`` in the package's modules. The compiled ``.mo``
files are committed beside the ``.po`` files, so that an install (by any build backend) carries them as package
data; ``tests/test_translations.py`` holds them equal.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbc_validate.catalogue import RULES  # noqa: E402
from kbc_validate.translations import DOMAIN, LANGUAGES, LOCALE_DIR  # noqa: E402

TRANSLATED = [language for language in LANGUAGES if language != "en"]


def template() -> Catalog:
    """Every message to translate, English, with where it comes from."""
    catalog = Catalog(project="kbc-validate", domain=DOMAIN, fuzzy=False)
    for rule in RULES:
        catalog.add(rule.template, auto_comments=[f"{rule.code} {rule.name}: message"], flags=["python-brace-format"])
        catalog.add(rule.doc, auto_comments=[f"{rule.code} {rule.name}: documentation"])
    package = ROOT / "kbc_validate"
    keywords = {"_": None, "tr": None, "plural": (1, 2)}  # _("..."), tr("...") and tr.plural("...", "...", count)
    found = extract_from_dir(package, method_map=[("**.py", "python")], keywords=keywords)
    for filename, lineno, message, comments, _context in found:
        if message and (isinstance(message, str) or all(message)):
            flags = ["python-brace-format"] if "{" in str(message) else []
            where = [(f"kbc_validate/{filename}", lineno)]
            catalog.add(message, locations=where, auto_comments=comments, flags=flags)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _translated(message: object) -> bool:
    string = getattr(message, "string", None)
    return bool(string) and (isinstance(string, str) or all(string))


def update() -> None:
    pot = template()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, pot, width=120, omit_header=False, sort_output=False)
    for language in TRANSLATED:
        path = po_path(language)
        if path.exists():
            catalog = read(language)
            catalog.update(pot, no_fuzzy_matching=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=DOMAIN, project="kbc-validate")
            catalog.update(pot, no_fuzzy_matching=True)
        catalog.fuzzy = False
        with path.open("wb") as handle:
            write_po(handle, catalog, width=120, ignore_obsolete=True)
        path.with_suffix(".mo").write_bytes(compiled(read(language)))


def check() -> list[str]:
    """What is out of date: messages without a translation, .mo files that differ from their .po."""
    problems = []
    wanted = {message.id if isinstance(message.id, str) else message.id[0] for message in template() if message.id}
    for language in TRANSLATED:
        catalog = read(language)
        missing = [m for m in wanted if not _translated(catalog.get(m))]
        problems += [f"{language}: no translation of {m!r}" for m in sorted(missing)]
        if po_path(language).with_suffix(".mo").read_bytes() != compiled(catalog):
            problems.append(f"{language}: the .mo differs from the .po; run python tools/translations.py")
    return problems


if __name__ == "__main__":
    if "--check" in sys.argv:
        found = check()
        print("\n".join(found) or "translations up to date")
        raise SystemExit(1 if found else 0)
    update()
