"""The generated documentation: every rule a page with examples that do what they say, every option and setting."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kbc_validate.catalogue import RETIRED, RULES, Rule
from kbc_validate.causes import Cause
from kbc_validate.cli import build_parser
from kbc_validate.files.config import KEYS

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS))
import generate  # noqa: E402
import rule_examples  # noqa: E402

_CODE = re.compile(r"(?:^|: )(KBC\d{3}) ")


def _codes(lines: list[str]) -> list[str]:
    return [match.group(1) for line in lines if (match := _CODE.search(line))]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_examples_trigger_it_and_a_clean_one_reports_nothing(rule: Rule) -> None:
    triggers, passes = rule_examples.EXAMPLES[rule.code]
    if rule.code in RETIRED:  # no longer reported: its example shows the input that once got it
        assert rule.code not in _codes(rule_examples.findings(triggers))
    else:
        assert rule.code in _codes(rule_examples.findings(triggers))
    assert rule_examples.findings(passes) == []


def test_every_example_is_of_a_rule_and_its_lines_name_codes() -> None:
    assert set(rule_examples.EXAMPLES) == {rule.code for rule in RULES}
    found = rule_examples.findings(rule_examples.EXAMPLES["KBC402"][0])
    assert found == ['payment.json:10:29: KBC402 The execution date "2026-11-28" is a Saturday. '
                     "(at requestedExecutionDate)"]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return generate.pages()


def test_every_rule_has_a_page_with_its_catalogue_entry(pages: dict[str, str]) -> None:
    for rule in RULES:
        page = pages[f"rules/{rule.code}.md"]
        assert page.startswith(f"# {rule.code} {rule.name}\n")
        for fact in (f"| Severity | {rule.severity} |", f"`{rule.cause}`", f"`{rule.berlin_group_code}`"):
            assert fact in page
        assert generate._plain(rule.doc) in page
        assert page.count("## An example") == 2
        assert f"[{rule.code}]({rule.code}.md)" in pages["rules/index.md"]


def test_a_rule_without_examples_fails_the_build() -> None:
    unknown = Rule("KBC999", "no-examples", Cause.INVALID_FORMAT, RULES[0].severity, "x.", "y.")
    with pytest.raises(KeyError, match="KBC999 has no examples"):
        generate.rule_page(unknown)


def test_rule_text_is_shown_letter_for_letter() -> None:
    assert generate._plain("[A-Z]{6} <token> a|b") == "\\[A-Z\\]{6} &lt;token> a\\|b"


def test_cli_reference_lists_every_option_with_its_help(pages: dict[str, str]) -> None:
    reference = pages["reference/cli.md"]
    for action in build_parser()._actions:
        for name in action.option_strings or [action.metavar]:
            assert f"`{name}" in reference
        assert (action.help or "").replace("|", "/") in reference


def test_navigation_lists_every_rule_page() -> None:
    config = generate.on_config({"nav": [{"Home": "index.md"}, {"Rules": "rules/index.md"}]})
    rules = config["nav"][1]["Rules"]
    assert rules[0] == "rules/index.md"
    assert [next(iter(entry.values())) for entry in rules[1:]] == [f"rules/{rule.code}.md" for rule in RULES]


def test_configuration_page_documents_every_key() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert [key for key in sorted(KEYS) if f"| `{key}` |" not in page] == []


def test_causes_page_names_every_cause() -> None:
    page = (DOCS / "causes.md").read_text(encoding="utf-8")
    assert [cause for cause in Cause if f"`{cause}`" not in page] == []


def test_changelog_page_is_the_changelog(pages: dict[str, str]) -> None:
    assert pages["changelog.md"] == (DOCS.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in pages["changelog.md"]
