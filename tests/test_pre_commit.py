"""The real pre-commit runs the hook, installed from this repository, in a scratch repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kbc_validate.files.compiled_csv import NOT_INSTALLED

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks == [{
        "id": "kbc-validate", "name": "kbc-validate", "entry": "kbc-validate", "language": "python",
        "files": hooks[0]["files"], "types": ["file"], "minimum_pre_commit_version": "2.9.0",
        "description": hooks[0]["description"],
    }]
    assert "id: kbc-validate" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        pytest.param("payments.json", True, id="JSON"),
        pytest.param("payments.jsonl", True, id="JSON Lines: identify has no type for it"),
        pytest.param("export/payments.csv", True, id="CSV in a folder"),
        pytest.param("bulk.xml", True, id="pain.001 XML"),
        pytest.param("BULK.XML", True, id="an extension in capitals, as Windows exports write it"),
        pytest.param("payments.json.bak", False, id="a backup"),
        pytest.param("payments.jsonld", False, id="JSON-LD"),
        pytest.param("notes.txt", False, id="text"),
    ],
)
def test_hook_files_pattern(name: str, taken: bool) -> None:
    """pre-commit matches `files` with re.search on the path from the repository's root."""
    pattern = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]["files"]
    assert (re.search(pattern, name) is not None) is taken


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("scratch")
    for name in ("faulty-payment.json", "payment.json", "faulty-payments.csv", "bulk-payment.xml", "faulty-bulk.xml"):
        shutil.copy(EXAMPLES / name, repo / name)
    # The day the pain.001 examples are written for (the hook reads the repository's pyproject.toml).
    (repo / "pyproject.toml").write_text('[tool.kbc-validate]\ntoday = "2026-12-05"\n', encoding="utf-8")
    payment = json.loads((EXAMPLES / "payment.json").read_text(encoding="utf-8"))
    faulty = {**payment, "instructedAmount": {"currency": "EUR", "amount": "0"}}
    (repo / "payments.jsonl").write_text(json.dumps(payment) + "\n" + json.dumps(faulty) + "\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    return repo


def _try_repo(scratch: Path, *files: str) -> subprocess.CompletedProcess[str]:
    # The hook's environment is installed as on a machine without a Rust toolchain: the install goes on without the
    # compiled pass (and takes seconds, not a release build from scratch), and the hook says so for a CSV file.
    no_rust = {"CARGO": str(scratch / "no-cargo"), "RUSTC": str(scratch / "no-rustc")}
    env = {**os.environ, **no_rust, "PRE_COMMIT_HOME": str(scratch.parent / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)  # the hook runs the package installed in its environment, not a checkout
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "kbc-validate", "--files", *files]
    return subprocess.run(command, cwd=scratch, capture_output=True, text=True, env=env, check=False, timeout=600)


def test_faulty_files_fail_the_hook_naming_file_and_line(scratch: Path) -> None:
    result = _try_repo(scratch, "faulty-payment.json", "faulty-payments.csv")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "faulty-payment.json:14:40: KBC601" in result.stdout
    assert "faulty-payments.csv:2:1: KBC308" in result.stdout
    assert NOT_INSTALLED in result.stdout  # installed without a Rust toolchain: the pure-Python path, one line


def test_clean_file_passes_the_hook(scratch: Path) -> None:
    result = _try_repo(scratch, "payment.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_xml_and_json_lines_files_run_through_the_hook(scratch: Path) -> None:
    result = _try_repo(scratch, "faulty-bulk.xml", "payments.jsonl")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "faulty-bulk.xml:76:13: KBC320" in result.stdout
    assert "payments.jsonl:2:" in result.stdout
    assert "KBC200" in result.stdout.split("payments.jsonl:2:", 1)[1]


def test_a_clean_pain001_file_passes_the_hook(scratch: Path) -> None:
    result = _try_repo(scratch, "bulk-payment.xml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
