"""A named pipe or a process substitution (``<(...)``) as input, of every kind, with repeated payments in it: read
once (a second open would wait for a writer for ever), its repeats found as they are in standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.bodies import TODAY
from tests.pain001_documents import document, transaction

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _contents(suffix: str) -> bytes:
    payment = json.loads((EXAMPLES / "payment.json").read_text(encoding="utf-8"))
    if suffix == ".csv":
        return b"creditor_iban;creditor_name;amount;end_to_end_id\n" + b"BE71096123456769;Jan;1,00;E2E-1\n" * 3
    if suffix == ".jsonl":
        return (json.dumps(payment) + "\n").encode() * 3
    if suffix == ".json":
        bulk = json.loads((EXAMPLES / "bulk-payment.json").read_text(encoding="utf-8"))
        bulk["payments"] = bulk["payments"][:1] * 3
        return json.dumps(bulk, indent=2).encode()
    return document([transaction(), transaction(), transaction()]).encode()


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xml"])
@pytest.mark.parametrize("engine", ["auto", "rows"])
def test_a_named_pipe_of_every_kind_is_read_once_with_its_repeats(tmp_path: Path, suffix: str, engine: str) -> None:
    contents = _contents(suffix)
    pipe = tmp_path / f"fifo{suffix}"
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(contents,), daemon=True)
    writer.start()
    command = [sys.executable, "-m", "kbc_validate", "--today", TODAY.isoformat(), "--format", "json", "-q",
               "--engine", engine]
    piped = subprocess.run([*command, str(pipe)], capture_output=True, timeout=60, check=False)
    writer.join(timeout=5)
    assert not writer.is_alive()
    reference = subprocess.run([*command, "-"], input=contents, capture_output=True, timeout=60, check=False)
    assert piped.returncode == reference.returncode, piped.stderr[-2000:]
    assert piped.stdout.replace(str(pipe).encode(), b"-") == reference.stdout
    codes = [finding["code"] for finding in json.loads(piped.stdout)["findings"]]
    repeats = [code for code in codes if code in ("KBC907", "KBC908")]
    assert len(repeats) in (2, 4), codes  # the second and third payments repeat the first (by one key, or two)
