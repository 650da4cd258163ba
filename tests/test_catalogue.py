"""The rule catalogue is the single source of truth: unique stable codes, every rule used, tested, documented."""

from __future__ import annotations

import re
import string
from pathlib import Path

from kbc_validate import RULES
from kbc_validate.catalogue import RETIRED, RULES_BY_CODE

ROOT = Path(__file__).resolve().parent.parent
_CODE = re.compile(r'"(KBC\d{3})"')


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"KBC[1-9]\d\d", code) for code in codes)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)
    assert codes == sorted(codes)


def test_every_rule_has_a_template_and_documentation() -> None:
    for rule in RULES:
        assert rule.template.endswith(".")
        assert rule.doc.endswith(".")
        fields = {name for _, name, _, _ in string.Formatter().parse(rule.template) if name}
        rule.template.format(**dict.fromkeys(fields, "x"))


def _codes_in(paths: list[Path]) -> set[str]:
    return {code for path in paths for code in _CODE.findall(path.read_text(encoding="utf-8"))}


def test_every_rule_is_reported_somewhere_and_every_reported_code_exists() -> None:
    sources = [p for p in (ROOT / "kbc_validate").rglob("*.py") if p.name != "catalogue.py"]
    used = _codes_in(sources)
    assert used == set(RULES_BY_CODE) - RETIRED


def test_retired_codes_stay_in_the_table_and_say_so() -> None:
    assert set(RULES_BY_CODE) >= RETIRED
    assert all(RULES_BY_CODE[code].doc.startswith("No longer reported") for code in RETIRED)


def test_every_rule_is_asserted_by_a_test() -> None:
    tests = [p for p in (ROOT / "tests").glob("test_*.py") if p.name != "test_catalogue.py"]
    assert set(RULES_BY_CODE) - _codes_in(tests) == set()
