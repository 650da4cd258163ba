"""The fuzz harness (fuzz/fuzz_inputs.py): its crashes, kept in fuzz/crashes/, as regression tests; a short
hypothesis run of the same target; and a short atheris run when atheris is installed (issue 14)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
_spec = importlib.util.spec_from_file_location("fuzz_inputs", FUZZ / "fuzz_inputs.py")
assert _spec is not None
assert _spec.loader is not None
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)


@pytest.mark.parametrize("crash", sorted((FUZZ / "crashes").iterdir()), ids=lambda path: path.name)
def test_every_crash_found_so_far_is_fixed(crash: Path) -> None:
    harness.one_input(crash.read_bytes())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_no_input_makes_an_entry_point_raise(data: bytes) -> None:
    harness.one_input(data)


def test_atheris_finds_no_crash_in_a_short_run(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"  # libFuzzer adds what it finds to its first folder: a copy, not fuzz/crashes
    shutil.copytree(FUZZ / "crashes", corpus)
    result = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz_inputs.py"), "-max_total_time=12", "-rss_limit_mb=2048",
         f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not list(tmp_path.glob("crash-*"))
