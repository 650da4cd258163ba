"""Cold start: wall time of ``kbc-validate`` on one small JSON file, as pre-commit runs it on every commit.

    python benchmarks/bench_cli.py [--runs 20]

Prints the median over fresh processes, next to ``python -c pass`` measured in the same run; the target is at
most 0.3 s on this machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "faulty-payment.json"
TARGET_SECONDS = 0.3


def median_wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    script = shutil.which("kbc-validate") or "kbc-validate"
    ours = median_wall([script, "-q", str(EXAMPLE)], args.runs)
    python = median_wall([sys.executable, "-c", "pass"], args.runs)
    print(f"kbc-validate on {EXAMPLE.name}: {ours:.3f} s (median of {args.runs})")
    print(f"python -c pass:                  {python:.3f} s")
    print(f"target: <= {TARGET_SECONDS} s: {'met' if ours <= TARGET_SECONDS else 'MISSED'}")
    return 0 if ours <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
