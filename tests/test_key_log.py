"""The repeated-payment second pass from a key log on disk: the findings of the pass in memory, in the same order, in
memory that does not grow with the number of repeated payments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files import key_log
from kbc_validate.files.repeats import RepeatTracker, process_hash

# Few distinct values, so that keys repeat; amounts with no reference, so that the two rules' keys differ.
ROWS = st.lists(st.tuples(st.sampled_from(["", "E2E-1", "E2E-2", "e2e-1", "E2E-3"]), st.integers(1, 4),
                          st.sampled_from(["BE71096123456769", "BE68539007547034"])), max_size=60)


def _bodies(rows: list[tuple[str, int, str]]) -> list[tuple[int, dict[str, Any]]]:
    return [(line, {"endToEndIdentification": e2e, "creditorAccount": {"iban": iban},
                    "instructedAmount": {"amount": f"{amount}.00", "currency": "EUR"}})
            for line, (e2e, amount, iban) in enumerate(rows, 2)]


@settings(max_examples=200, deadline=None)
@given(rows=ROWS, part_keys=st.sampled_from([1, 2, 5, 1 << 16]), colliding=st.booleans())
def test_the_key_log_finds_what_the_pass_in_memory_finds(rows: list[tuple[str, int, str]], part_keys: int,
                                                          colliding: bool) -> None:
    bodies = _bodies(rows)
    # A hash shared by every key: only the comparison of keys, in the log, tells them apart.
    hasher = (lambda key: 7) if colliding else process_hash
    passes = []
    for method in ("confirm", "confirm_on_disk"):
        tracker = RepeatTracker(hasher=hasher)
        for line, body in bodies:
            tracker.observe(body, line)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(key_log, "PART_KEYS", part_keys)
            patch.setattr(key_log, "_BATCH", 3)
            passes.append([(line, issue.code, issue.message) for line, issue in getattr(tracker, method)(bodies)])
    assert passes[1] == passes[0]


CHILD = """
import sys
from kbc_validate.files import key_log
from kbc_validate.files.repeats import RepeatTracker, process_hash

def peak():
    return int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))

count, method = int(sys.argv[1]), sys.argv[2]

def rows():
    for line in range(2, 2 * count + 2):
        n = (line - 2) % count
        yield line, {"endToEndIdentification": f"E2E-{n}", "creditorAccount": {"iban": f"BE{n:014d}"},
                     "instructedAmount": {"amount": f"{n}.00", "currency": "EUR"},
                     "remittanceInformationUnstructured": f"Factuur {n}"}

tracker = RepeatTracker(hasher=process_hash, partition_keys=1 << 16)
for line, body in rows():
    tracker.observe(body, line)
before = peak()
found = sum(1 for _ in getattr(tracker, method)(rows()))
print(found, (peak() - before) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
def test_memory_stays_flat_however_many_payments_repeat() -> None:
    """200,000 payments written twice (400,000 repeated keys): the pass in memory grew by 60 MiB, the key log's
    by its 8 bytes a repeated hash and one partition's keys."""
    run = subprocess.run([sys.executable, "-c", CHILD, "200000", "confirm_on_disk"], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found, grown_mib = (int(part) for part in run.stdout.split())
    assert found == 400_000
    assert grown_mib < 32, f"grew by {grown_mib} MiB"
