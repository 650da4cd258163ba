"""The command line under a memory limit (resource.setrlimit) on large hostile inputs: an exit status, never a
traceback, and a peak memory that does not grow with what the input makes a reader keep (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")
if not Path("/proc/self/status").exists():
    pytest.skip("peak memory is read from /proc (Linux)", allow_module_level=True)

LIMIT = 1 << 30  # 1 GiB of address space: the scanner used to need about 120 bytes a character
CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from kbc_validate.cli import main
status = main(sys.argv[1:])
# VmHWM, this process's peak resident memory (ru_maxrss would count the parent's from before exec)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(peak, file=sys.stderr)
sys.exit(status)
"""


def _inputs(folder: Path) -> dict[str, bytes]:
    return {
        "numbers.json": b'{"creditorName": [' + b"0," * 2_000_000 + b"0]}",  # 4 MB: about 480 MB kept before
        "string.json": b'{"creditorName": "' + b"a" * 4_000_000 + b'"}',  # 4 MB: about 580 MB of regex state
        "escapes.json": b'{"x": "' + b"\\n" * 2_000_000 + b'", "creditorName": "\xe2\x80\xa8"}',
        "big-numbers.jsonl": (b'{"instructedAmount": {"amount": ' + b"9" * 100_000 + b"}}\n") * 20,
        "nul.csv": b"creditor_iban;am\x00ount;creditor_name\n" + b"\x00" * 1_000_000 + b"\n" + b"a;b;c\n" * 50_000,
    }


@pytest.mark.parametrize("name", ["numbers.json", "string.json", "escapes.json", "big-numbers.jsonl", "nul.csv"])
def test_large_hostile_inputs_under_a_memory_limit(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_inputs(tmp_path)[name])
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=LIMIT), "--today", "2026-11-24", "-q", "--engine", "rows",
         "--jobs", "1", "-o", str(tmp_path / "out.txt"), str(path)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    if name == "nul.csv":
        assert "nul.csv:1:1: KBC905" in (tmp_path / "out.txt").read_text(encoding="utf-8")
    peak_kib = int(result.stderr.splitlines()[-1])
    assert peak_kib < 200 * 1024, f"{name}: peak {peak_kib / 1024:.0f} MiB"


def test_an_input_too_large_for_the_memory_limit_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "arrays.json"
    path.write_bytes(b"[" + b"[]," * 8_000_000 + b"[]]")  # 24 MB: about 600 MB of Python lists once parsed
    small = tmp_path / "payment.json"
    small.write_bytes(b'{"x": 1}')
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=400 << 20), "--today", "2026-11-24", "-q", "-o",
         str(tmp_path / "out.txt"), str(path), str(small)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"kbc-validate: {path}: too large to validate in the memory this process may use"
    assert "payment.json:1:" in (tmp_path / "out.txt").read_text(encoding="utf-8")  # the next input is still read
