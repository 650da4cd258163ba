"""The catalogue for a person: ``--explain`` (one rule, by code or name) and ``--list-rules`` (a table, or JSON),
in the run's language; codes, names and causes stay as they are."""

from __future__ import annotations

import difflib
import json
from typing import Any, TextIO

from kbc_validate.catalogue import RULES, RULES_BY_CODE, Rule
from kbc_validate.translations import Translator, _

RULES_BY_NAME = {rule.name: rule for rule in RULES}


def find_rule(text: str) -> Rule | None:
    """The rule a code (``KBC309``, ``kbc309``) or a name (``iban-national-check``) names."""
    wanted = text.strip()
    return RULES_BY_CODE.get(wanted.upper()) or RULES_BY_NAME.get(wanted.lower())


def nearest_rules(text: str) -> list[str]:
    """Codes and names near a misspelled one, for a "did you mean"."""
    names = [*RULES_BY_CODE, *RULES_BY_NAME]
    return difflib.get_close_matches(text.strip(), names, n=3, cutoff=0.6)


def explain(rule: Rule, tr: Translator) -> str:
    labels = ((_("cause"), str(rule.cause)), (_("severity"), tr(str(rule.severity))),
              (_("Berlin Group code"), rule.berlin_group_code), (_("message"), tr.template(rule)))
    lines = [f"{rule.code} {rule.name}", "", tr.doc(rule), ""]
    lines += [f"{tr(label)}: {value}" for label, value in labels]
    return "\n".join(lines) + "\n"


def rule_record(rule: Rule, tr: Translator) -> dict[str, Any]:
    return {"code": rule.code, "name": rule.name, "cause": str(rule.cause), "severity": str(rule.severity),
            "berlinGroupCode": rule.berlin_group_code, "message": tr.template(rule), "doc": tr.doc(rule)}


def list_rules(out: TextIO, tr: Translator, *, as_json: bool) -> None:
    if as_json:
        out.write(json.dumps([rule_record(rule, tr) for rule in RULES], ensure_ascii=False, indent=2) + "\n")
        return
    header = (tr("Code"), tr("Name"), tr("Severity"), tr("Cause"))
    rows = [(rule.code, rule.name, tr(str(rule.severity)), str(rule.cause)) for rule in RULES]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n")
