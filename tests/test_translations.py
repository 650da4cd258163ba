"""Messages in Dutch and French: every rule has its message and documentation in each language, with the same
placeholders; the compiled catalogues are the .po files; codes never change with the language."""

from __future__ import annotations

import gettext
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kbc_validate.catalogue import RULES
from kbc_validate.cli import main
from kbc_validate.translations import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    Translator,
    language_from_environment,
    message_values,
    placeholders,
    translator,
)
from tests.test_csv_engines import ENGINES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = ["--today", "2026-11-24"]
TRANSLATED = [language for language in LANGUAGES if language != "en"]
KBC_VALIDATE = str(Path(sys.executable).with_name("kbc-validate"))


def _catalogue(language: str) -> dict[object, str]:
    translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    return translations._catalog  # type: ignore[attr-defined,no-any-return]


def _tools() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "tools" / "translations.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_rule_has_its_message_and_documentation_in_each_language(language: str) -> None:
    catalogue = _catalogue(language)
    untranslated = [
        f"{rule.code} {part}" for rule in RULES for part, text in (("message", rule.template), ("doc", rule.doc))
        if not catalogue.get(text)
    ]
    # At a merge, this list names the rules whose translations are still to be written (tools/translations.py).
    assert untranslated == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    catalogue = _catalogue(language)
    changed = {
        english: translated for english, translated in catalogue.items()
        if isinstance(english, str) and english and placeholders(english) != placeholders(translated)
    }
    assert changed == {}
    assert all(placeholders(rule.template) == placeholders(catalogue[rule.template]) for rule in RULES)


def test_the_compiled_catalogues_are_the_po_files_and_the_po_files_are_up_to_date() -> None:
    pytest.importorskip("babel")
    assert _tools().check() == []  # every message extracted and translated; each .mo compiled from its .po


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_finding_is_translated_with_its_values(language: str) -> None:
    tr = Translator(language)
    for rule in RULES:
        values = {name: f"«{rule.code}-{name}»" for name in placeholders(rule.template)}
        english = rule.template.format(**values)
        translated = tr.message(rule.code, english)
        assert translated != english, rule.code
        assert all(value in translated for value in values.values()), rule.code
        assert message_values(rule.code, english) == values


def test_a_message_that_does_not_match_its_template_stays_english() -> None:
    assert Translator("nl").message("KBC200", "Something else.") == "Something else."
    assert Translator("nl").message("KBC999", "An unknown code.") == "An unknown code."


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "fr_BE.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_FR", "LANG": "nl_BE.UTF-8"}, "fr"),  # LC_MESSAGES before LANG
        ({"LC_ALL": "C.UTF-8", "LANG": "nl_BE.UTF-8"}, "en"),  # LC_ALL before both, and C is English
        ({"LANG": "de_DE.UTF-8"}, "en"),  # a language without messages: English
        ({"LANG": "nl"}, "nl"),
        ({}, "en"),
    ],
)
def test_language_from_the_locale(environment: dict[str, str], language: str) -> None:
    assert language_from_environment(environment) == language


def _findings(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    main([str(EXAMPLES / "faulty-payments.csv"), *TODAY, "--format", "json", *argv])
    findings: list[dict[str, object]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


@pytest.mark.parametrize("engine", ENGINES)
def test_codes_and_places_never_change_with_the_language(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    runs = {language: _findings(capsys, "--lang", language, "--engine", engine) for language in LANGUAGES}
    places = {language: [(f["line"], f["column"], f["code"], f["cause"], f["path"]) for f in found]
              for language, found in runs.items()}
    assert places["nl"] == places["fr"] == places["en"]
    assert runs["nl"][0]["message"] == 'De IBAN "BE56363123456780" faalt op de ISO 13616 mod 97-controle.'
    assert runs["fr"][0]["message"] == "L'IBAN \"BE56363123456780\" échoue au contrôle ISO 13616 modulo 97."


def test_the_language_from_pyproject_and_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LC_ALL", "fr_BE.UTF-8")
    assert _findings(capsys)[0]["message"].startswith("L'IBAN")  # type: ignore[union-attr]
    (tmp_path / "pyproject.toml").write_text('[tool.kbc-validate]\nlang = "nl"\n', encoding="utf-8")
    assert _findings(capsys)[0]["message"].startswith("De IBAN")  # type: ignore[union-attr]
    assert _findings(capsys, "--lang", "en")[0]["message"].startswith("The IBAN")  # type: ignore[union-attr]
    (tmp_path / "pyproject.toml").write_text('[tool.kbc-validate]\nlang = "de"\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["x.csv"])


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_a_run_shows_is_translated(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tr = translator(language)
    tr.missing.clear()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    report = tmp_path / "report.html"
    main([str(EXAMPLES / "faulty-payments.csv"), str(EXAMPLES / "payment.json"), *TODAY, "--lang", language,
          "--report", str(report), "--errors-out", str(tmp_path / "fix.csv")])
    main([str(EXAMPLES / "payment.json"), *TODAY, "--lang", language])
    main(["--list-rules", "--lang", language])
    main(["--explain", "iban-checksum", "--lang", language])
    main(["--explain", "iban-checksu", "--lang", language])
    capsys.readouterr()
    assert tr.missing == set()


def test_the_installed_command_speaks_dutch_and_french() -> None:
    faulty = str(EXAMPLES / "faulty-payments.csv")
    for language, expected in (("nl", "faalt op de ISO 13616"), ("fr", "échoue au contrôle ISO 13616")):
        environment = {key: value for key, value in os.environ.items() if key not in {"LC_ALL", "LC_MESSAGES"}}
        run = subprocess.run([KBC_VALIDATE, faulty, *TODAY, "-q"], capture_output=True, text=True, check=False,
                             env=environment | {"LANG": f"{language}_BE.UTF-8"})
        assert run.returncode == 1
        assert expected in run.stdout.splitlines()[0]
        explained = subprocess.run([KBC_VALIDATE, "--explain", "KBC309", "--lang", language],
                                   capture_output=True, text=True, check=True)
        assert explained.stdout.startswith("KBC309 iban-national-check\n")
        assert explained.stdout != subprocess.run([KBC_VALIDATE, "--explain", "KBC309", "--lang", "en"],
                                                  capture_output=True, text=True, check=True).stdout
