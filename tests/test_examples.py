"""Every Python and shell example in the README and the documentation runs as a reader would copy it.

Each block runs on its own (a fresh Python process, or bash) in a scratch folder holding a copy of the checkout's
``examples/``: no block takes a name from an earlier one. Python must end without an exception; in a shell block
every command runs, as when a reader pastes it into a terminal, and a command must exit 0 unless its line
announces another status in a comment (``# exit status 1: ...``). The findings a ``text`` block shows right after
a block must be among what it prints. A block a test cannot run says so on its first line (``# not run by the
tests: why``), and its ``pip install`` lines are still checked. Configuration blocks are checked
by what reads them: pre-commit and kbc-validate's own pyproject reader. docs/contributing.md tells writers all this.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from kbc_validate.files.config import load_config

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_BLOCK = re.compile(r"^```(?P<language>\w*)[^\n]*\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
_NOT_RUN = "# not run by the tests:"
_FINDING = re.compile(r"\S+:\d+:\d+: KBC\d{3} ")
_EXIT_STATUS = re.compile(r"#.*\bexit status (\d+)\b")
_EXTRAS = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"])


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    language: str
    code: str
    output: str = ""  # the text block that comes next on the page, when one does: what the block prints

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks(*languages: str) -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        matches = list(_BLOCK.finditer(text))
        for match, following in zip(matches, [*matches[1:], None], strict=False):
            if match.group("language") in languages:
                line = text.count("\n", 0, match.start()) + 2
                output = following.group("code") if following and following.group("language") == "text" else ""
                found.append(Block(page, line, match.group("language"), match.group("code"), output))
    return found


def _readme_commands() -> Block:
    return next(block for block in _blocks("sh") if block.page.name == "README.md")


RUNNABLE = [b for b in _blocks("python", "sh") if b != _readme_commands()]


@pytest.fixture
def checkout_folder(tmp_path: Path) -> Path:
    """A scratch folder as a reader's checkout offers it to the examples: its examples/ folder."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def _pip_installs(code: str) -> list[list[str]]:
    segments = [part for line in code.splitlines() for part in re.split(r"&&|;", line.split("#")[0])]
    return [shlex.split(part)[2:] for part in segments if part.strip().startswith("pip install")]


def _check_installs(block: Block) -> None:
    """A pip install in an example installs from the checkout (`.`) with extras that pyproject.toml defines."""
    for arguments in _pip_installs(block.code):
        targets = [argument for argument in arguments if not argument.startswith("-")]
        assert targets, f"{block.name}: pip install without a target"
        for target in targets:
            match = re.fullmatch(r"\.(?:\[(?P<extras>[\w,-]+)\])?", target)
            assert match, f"{block.name}: installs {target!r}, not the checkout"
            extras = set((match.group("extras") or "").split(",")) - {""}
            assert extras <= _EXTRAS, f"{block.name}: no extra {extras - _EXTRAS} in pyproject.toml"


_TRAP = "set -o pipefail; trap 'echo \"example failed: status $? at line $LINENO\" >&2' ERR\n"
_END = "example-ran-to-its-end"
_FAILED = re.compile(r"example failed: status (\d+) at line (\d+)")


def _announced(code: str) -> dict[int, int]:
    """{line: status} of the commands whose line says ``# ... exit status N``, numbered as bash numbers them."""
    lines = code.splitlines()
    return {number + 2: int(match.group(1)) for number, line in enumerate(lines)
            if (match := _EXIT_STATUS.search(line)) and not line.lstrip().startswith("#")}


def _run(block: Block, folder: Path) -> subprocess.CompletedProcess[str]:
    script = f"{_TRAP}{block.code}\necho {_END}\n"
    command = [sys.executable, "-c", block.code] if block.language == "python" else ["bash", "-c", script]
    environment = {**os.environ, "NO_COLOR": "1", "PRE_COMMIT_HOME": str(folder / ".pre-commit-home"),
                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, env=environment, check=False,
                          timeout=300)


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.name for block in RUNNABLE])
def test_example_runs_as_copied(block: Block, checkout_folder: Path) -> None:
    if block.code.startswith(_NOT_RUN):
        assert block.code.splitlines()[0].removeprefix(_NOT_RUN).strip(), f"{block.name}: say why it is not run"
        _check_installs(block)
        return
    assert not _pip_installs(block.code), f"{block.name}: a block that installs packages is marked {_NOT_RUN!r}"
    result = _run(block, checkout_folder)
    if block.language == "python":
        assert result.returncode == 0, f"{block.name}\n{result.stdout}\n{result.stderr}"
    else:
        # Every command runs, as when a reader pastes the block into a terminal; the trap reports each one that fails.
        failed = {int(line): int(status) for status, line in _FAILED.findall(result.stderr)}
        assert failed == _announced(block.code), f"{block.name}\n{result.stdout}\n{result.stderr}"
        assert result.stdout.endswith(f"{_END}\n"), f"{block.name}: bash stopped early\n{result.stderr}"
    assert "Traceback" not in result.stderr, f"{block.name}\n{result.stderr}"
    # The findings the page shows next are what the block prints (lines of "..." stand for the rest).
    shown = [line for line in block.output.splitlines() if _FINDING.match(line)]
    assert [line for line in shown if line not in result.stdout.splitlines()] == [], block.name


PRE_COMMIT_CONFIGS = [b for b in _blocks("yaml") if b.code.startswith("repos:")]


@pytest.mark.parametrize("block", PRE_COMMIT_CONFIGS, ids=[block.name for block in PRE_COMMIT_CONFIGS])
def test_pre_commit_configuration_is_valid(block: Block, tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(block.code, encoding="utf-8")
    command = [sys.executable, "-m", "pre_commit", "validate-config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{block.name}\n{result.stdout}{result.stderr}"
    assert "--exit-zero" not in block.code, f"{block.name}: pre-commit would hide the findings"


SETTINGS = [b for b in _blocks("toml") if b.code.startswith("[tool.kbc-validate]")]


@pytest.mark.parametrize("block", SETTINGS, ids=[block.name for block in SETTINGS])
def test_configuration_example_is_read_by_kbc_validate(block: Block, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(block.code, encoding="utf-8")
    settings = load_config(tmp_path)
    assert settings, block.name
    assert len(settings) == len(tomllib.loads(block.code)["tool"]["kbc-validate"])


def test_every_page_has_runnable_examples_found() -> None:
    # The block pattern finds the blocks (a change of fence style would otherwise leave nothing to run).
    assert len(RUNNABLE) >= 20
    assert {block.page.name for block in RUNNABLE} >= {"README.md", "developers.md", "teams.md"}
    assert PRE_COMMIT_CONFIGS
    assert SETTINGS
    assert sum(bool(_FINDING.search(block.output)) for block in RUNNABLE) >= 4


def test_the_readme_starts_with_install_and_test_commands() -> None:
    # .ci/run runs these two lines as they are written: install and run the main job, install and run the tests.
    first, second = _readme_commands().code.splitlines()[:2]
    assert first.startswith("pip install . && kbc-validate examples/")
    assert second == 'pip install ".[test]" && python -m pytest'
    _check_installs(_readme_commands())


def test_readme_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [target for target in targets if "://" not in target]
    assert local
    assert [target for target in local if not (ROOT / target).is_file()] == []
