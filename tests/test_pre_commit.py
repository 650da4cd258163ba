"""The real pre-commit runs the hook, installed from this repository, in a scratch repository."""

from __future__ import annotations

import os
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
        "types_or": ["json", "csv"], "minimum_pre_commit_version": "2.9.0", "description": hooks[0]["description"],
    }]
    assert "id: kbc-validate" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("scratch")
    for name in ("faulty-payment.json", "payment.json", "faulty-payments.csv"):
        shutil.copy(EXAMPLES / name, repo / name)
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
