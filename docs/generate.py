"""Pages generated from the code when the documentation is built, so that they cannot drift from it.

- ``reference/cli.md``: every option of ``kbc-validate``, from ``kbc_validate.cli.build_parser``;
- ``changelog.md``: the repository's ``CHANGELOG.md``;
- ``rules/index.md`` and ``rules/KBCnnn.md``: one page per rule of ``kbc_validate.catalogue``, with an example
  that triggers it and one that does not (``docs/rule_examples.py``), run through kbc-validate as the page is made.

MkDocs runs this file as a hook (``hooks:`` in ``mkdocs.yml``): `on_config` lists the rule pages under "Rules" in
the navigation, and `on_files` adds the pages themselves. A new rule or option appears by itself; a rule without
examples fails the build, and ``tests/test_docs.py``. ``python docs/generate.py FOLDER`` writes the pages to
FOLDER, to read them without MkDocs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rule_examples import EXAMPLES, ROOT, Example, findings

from kbc_validate.catalogue import RULES, Rule
from kbc_validate.cli import build_parser

_FENCES = {"payments": "json", "periodic-payments": "json", "bulk-payments": "json", "json": "json", "csv": "text",
           "xml": "xml", "request": "http", "python": "python"}


def _plain(text: str) -> str:
    """`text` as Markdown shows it letter for letter (rule texts hold patterns such as [A-Z]{6} and <token>)."""
    for character in "\\`*_[]|":
        text = text.replace(character, "\\" + character)
    return text.replace("<", "&lt;")


def _option_names(action: argparse.Action, metavar: str) -> str:
    if not action.option_strings:
        return f"`{metavar}`"
    takes_value = action.nargs != 0 and not isinstance(action.const, bool)
    return ", ".join(f"`{name} {metavar}`" if takes_value else f"`{name}`" for name in action.option_strings)


def _metavar(action: argparse.Action) -> str:
    if action.metavar:
        return str(action.metavar)
    if action.choices:
        return "{" + ",".join(map(str, action.choices)) + "}"
    return action.dest.upper()


def _default(action: argparse.Action) -> str:
    if action.default in (None, False, [], argparse.SUPPRESS) or action.nargs == 0:
        return ""
    return f"`{action.default}`"


def cli_reference() -> str:
    """The command-line reference: every argument of the parser, in its order, with its help and default."""
    parser = build_parser()
    rows = [
        f"| {_option_names(action, _metavar(action))} | {(action.help or '').replace('|', '/')} | {_default(action)} |"
        for action in parser._actions
    ]
    return "\n".join([
        "# Command-line reference",
        "",
        "<!-- Generated from kbc_validate.cli.build_parser by docs/generate.py when the documentation is built. -->",
        "",
        f"`{parser.prog} [options] FILE...`: {(parser.description or '').replace('``', '`')}",
        "",
        "| argument | what it does | default |",
        "| --- | --- | --- |",
        *rows,
        "",
        f"{parser.epilog}",
        "",
        "Every option but `--explain`, `--errors-out`, `--report`, `-o` and `--version` can also be set for a whole "
        "repository in `pyproject.toml`: see [Configuration](../configuration.md). Options on the command line win.",
        "",
    ])


def _example_section(title: str, example: Example, rule: Rule) -> list[str]:
    lines = findings(example)
    shown = f"Saved as `{example.file_name}`, `{example.command}` reports"
    if example.kind == "request":
        shown = "`validate_request` (or the requests and httpx integrations) reports for this request"
    elif example.kind == "python":
        shown = "Run from a checkout of kbc-validate, `report` holds"
    outcome = [f"{shown}:", "", "```text", *lines, "```"] if lines else [f"{shown} no finding at all."]
    note = [example.note, ""] if example.note else []
    return [f"## {title}", "", *note, f"```{_FENCES[example.kind]}", example.text, "```", "", *outcome, ""]


def rule_page(rule: Rule) -> str:
    """A rule's page: its catalogue entry, its documentation, and its two examples as kbc-validate reports them."""
    if rule.code not in EXAMPLES:
        raise KeyError(f"{rule.code} has no examples: add a triggering and a clean one to docs/rule_examples.py")
    triggers, passes = EXAMPLES[rule.code]
    return "\n".join([
        f"# {rule.code} {rule.name}",
        "",
        "<!-- Generated from kbc_validate/catalogue.py and docs/rule_examples.py by docs/generate.py. -->",
        "",
        "| | |",
        "| --- | --- |",
        f"| Severity | {rule.severity} |",
        f"| Cause | `{rule.cause}` |",
        f"| Berlin Group code | `{rule.berlin_group_code}` (HTTP {rule.cause.http_status}) |",
        f"| Message | {_plain(rule.template.replace('{{', '{').replace('}}', '}'))} |",
        "",
        "## What it checks, and why",
        "",
        _plain(rule.doc),
        "",
        *_example_section("An example that triggers it", triggers, rule),
        *_example_section("An example that does not", passes, rule),
        f"`kbc-validate --explain {rule.code}` prints this rule's documentation; `--ignore {rule.code}` leaves it out "
        "of a run ([configuration](../configuration.md)).",
        "",
    ])


def rules_index() -> str:
    """The list of every rule, one click from each page."""
    rows = [f"| [{r.code}]({r.code}.md) | {r.name} | `{r.cause}` | {r.severity} | `{r.berlin_group_code}` |"
            for r in RULES]
    return "\n".join([
        "# Rules",
        "",
        "<!-- Generated from kbc_validate/catalogue.py by docs/generate.py when the documentation is built. -->",
        "",
        "Every finding carries one of these codes. A code is stable: never renumbered or reused. Codes are grouped "
        "by area: KBC1xx body shape, KBC2xx amount and currency, KBC3xx accounts and agents, KBC4xx dates, KBC5xx "
        "standing-order schedule, KBC6xx remittance information, KBC7xx text, KBC8xx bulk, KBC9xx outside the body "
        "(payment files, the request, the 401/403 preconditions). Select or leave out codes and prefixes with "
        "`--select` and `--ignore`. Each cause, and the Berlin Group code KBC answers with, is explained in "
        "[Causes and severities](../causes.md).",
        "",
        "| Code | Name | Cause | Severity | Berlin Group code |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
    ])


def pages() -> dict[str, str]:
    """Every generated page, by its path under ``docs/``."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    generated = {"reference/cli.md": cli_reference(), "rules/index.md": rules_index(), "changelog.md": changelog}
    generated.update({f"rules/{rule.code}.md": rule_page(rule) for rule in RULES})
    return generated


def on_config(config: Any) -> Any:
    """Lists every rule page under the navigation's "Rules" entry, after the index."""
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and entry.get("Rules") == "rules/index.md":
            entry["Rules"] = ["rules/index.md", *({f"{r.code} {r.name}": f"rules/{r.code}.md"} for r in RULES)]
    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for path, content in pages().items():
        files.append(File.generated(config, path, content=content))
    return files


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "generated-docs")
    for path, content in pages().items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(content, encoding="utf-8")
