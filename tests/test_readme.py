"""The README's examples run, and its first two commands are the install-and-run and the test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)), ids=[f"block {i}" for i in range(len(PYTHON_BLOCKS))])
def test_python_examples_run(index: int) -> None:
    # A block may use what the blocks before it defined, as a reader following the README would.
    namespace: dict[str, object] = {}
    for block in PYTHON_BLOCKS[: index + 1]:
        exec(compile(block, "README.md", "exec"), namespace)


def test_first_example_result_is_what_the_readme_says() -> None:
    namespace: dict[str, object] = {}
    exec(compile(PYTHON_BLOCKS[0], "README.md", "exec"), namespace)
    report = namespace["report"]
    assert [(i.code, i.loc) for i in report.issues] == [  # type: ignore[attr-defined]
        ("KBC200", ("instructedAmount", "amount")),
        ("KBC402", ("requestedExecutionDate",)),
    ]


def test_the_readme_starts_with_install_and_test_commands() -> None:
    first_block = README.split("```sh\n")[1].split("```")[0].splitlines()
    assert first_block[0].startswith("pip install")
    assert "kbc-validate examples/" in first_block[0]
    assert first_block[1] == "python -m pytest"


def test_every_command_line_option_is_in_the_readme() -> None:
    from kbc_validate.cli import build_parser

    actions = build_parser()._actions
    options = [action.option_strings for action in actions if action.option_strings not in ([], ["-h", "--help"])]
    missing = [names for names in options if not any(f"`{name}" in README for name in names)]
    assert not missing
