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

from kbc_validate.repeats import key_log
from kbc_validate.repeats.tracker import RepeatTracker, process_hash
from tests.test_csv_engines import PEAK

# Few distinct values, so that keys repeat; amounts with no reference, so that the two rules' keys differ.
# Few distinct values, so that keys repeat; amounts with no reference, so that the two rules' keys differ; a line
# may hold several payments (a JSON Lines bulk body), a repeat on its own line included.
ROWS = st.lists(st.tuples(st.sampled_from(["", "E2E-1", "E2E-2", "e2e-1", "E2E-3"]), st.integers(1, 4),
                          st.sampled_from(["BE71096123456769", "BE68539007547034"]), st.booleans()), max_size=60)


def _bodies(rows: list[tuple[str, int, str, bool]]) -> list[tuple[int, dict[str, Any]]]:
    bodies, line = [], 1
    for e2e, amount, iban, same_line in rows:
        line += 0 if same_line and bodies else 1
        bodies.append((line, {"endToEndIdentification": e2e, "creditorAccount": {"iban": iban},
                              "instructedAmount": {"amount": f"{amount}.00", "currency": "EUR"}}))
    return bodies


@settings(max_examples=200, deadline=None)
@given(rows=ROWS, part_keys=st.sampled_from([1, 2, 5, 1 << 16]), colliding=st.booleans())
def test_the_key_log_finds_what_the_pass_in_memory_finds(rows: list[tuple[str, int, str, bool]], part_keys: int,
                                                          colliding: bool) -> None:
    bodies = _bodies(rows)
    # A hash shared by every key: only the comparison of keys, in the log, tells them apart.
    hasher = (lambda key: 7) if colliding else process_hash
    passes = []
    for method in ("confirm", "confirm_on_disk", "confirm_spooled", "exact"):
        tracker = RepeatTracker(hasher=hasher, spooled=method == "confirm_spooled", exact=method == "exact")
        at_once = [(line, issue.code, issue.message) for line, body in bodies for issue in tracker.observe(body, line)]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(key_log, "PART_KEYS", part_keys)
            patch.setattr(key_log, "_BATCH", 3)
            if method == "exact":
                passes.append(at_once)
            elif method == "confirm_spooled":
                passes.append([(line, issue.code, issue.message) for line, issue in tracker.confirm_spooled()])
            else:
                found = getattr(tracker, method)(bodies)
                passes.append([(line, issue.code, issue.message) for line, issue in found])
    assert passes[1] == passes[0]
    assert passes[2] == passes[0]
    assert passes[3] == passes[0]


CHILD = """
import sys
from kbc_validate.repeats import key_log
from kbc_validate.repeats.tracker import RepeatTracker, process_hash

def peak():
    return int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))

count, method = int(sys.argv[1]), sys.argv[2]
spooled, exact = method == "confirm_spooled", method == "exact"

def rows():
    for line in range(2, 2 * count + 2):
        n = (line - 2) % count
        yield line, {"endToEndIdentification": f"E2E-{n}", "creditorAccount": {"iban": f"BE{n:014d}"},
                     "instructedAmount": {"amount": f"{n}.00", "currency": "EUR"},
                     "remittanceInformationUnstructured": f"Factuur {n}"}

tracker = RepeatTracker(hasher=process_hash, partition_keys=1 << 16, spooled=spooled, exact=exact)
before = peak()
found = sum(len(tracker.observe(body, line)) for line, body in rows())
if spooled:
    found += sum(1 for _ in tracker.confirm_spooled())
elif not exact:
    found += sum(1 for _ in getattr(tracker, method)(rows()))
print(found, (peak() - before) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
@pytest.mark.parametrize("method", ["confirm_on_disk", "confirm_spooled"])
def test_memory_stays_flat_however_many_payments_repeat(method: str) -> None:
    """200,000 payments written twice (400,000 repeated keys): the pass in memory grew by 60 MiB, and the exact
    tracking of an input read once by more; the key log by its 8 bytes a repeated hash and one partition's keys
    (the keys are written to disk: from a second pass over the file, or as they come from an input read once)."""
    run = subprocess.run([sys.executable, "-c", CHILD, "200000", method], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found, grown_mib = (int(part) for part in run.stdout.split())
    assert found == 400_000
    assert grown_mib < 32, f"grew by {grown_mib} MiB"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
@pytest.mark.parametrize("read_from", ["file", "standard input"])
def test_the_command_s_peak_memory_on_a_file_written_twice(tmp_path: Path, read_from: str) -> None:
    """150,000 payments written twice: the command peaked at 89 to 91 MiB from a file (either engine) and at 158 MiB
    from standard input; with the key log, at 43 to 54 MiB."""
    rows = ["creditor_iban;creditor_name;amount;communication;end_to_end_id"]
    rows += [f"BE71096123456769;Jansen BV;{n % 5000 + 1},{n % 100:02d};Factuur {n};E2E-{n}" for n in range(150_000)]
    path = tmp_path / "twice.csv"
    path.write_text("\n".join(rows + rows[1:]) + "\n", encoding="utf-8")
    name = str(path) if read_from == "file" else "-"
    with path.open("rb") as stdin:
        run = subprocess.run([sys.executable, "-c", PEAK, "--today", "2026-11-24", "-q", "--format", "json", name],
                             stdin=stdin, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]  # warnings only
    assert run.stdout.count('"code": "KBC907", "severity"') == 150_000
    assert int(run.stderr.splitlines()[-1]) < 72 * 1024
