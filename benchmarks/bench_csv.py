"""Bulk CSV validation: rows per second on a 1,000,000-row file, and peak memory at 1M and 4M rows.

    python benchmarks/bench_csv.py [--rows 1000000 4000000] [--workdir /tmp/kbc-bench]

Generates the files (benchmarks/generate_csv.py: Belgian Excel form, ~2% faulty rows, 40% OGM), runs the
installed ``kbc-validate -q`` on each in a fresh process, and reports wall time, rows per second and the peak
resident memory of that process. Memory must not grow with the file: the ratio of the peaks is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_csv import write

_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `command`, run alone in a fresh measuring process."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, peak = result.stdout.split()
    return float(elapsed), int(peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 4_000_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kbc-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        path = args.workdir / f"payments-{rows}.csv"
        if not path.exists():
            write(rows, path)
        seconds, peak = measure(["kbc-validate", "-q", "--today", "2026-11-24", "--format", "json", str(path)])
        results.append({"rows": rows, "seconds": round(seconds, 2), "rows_per_second": round(rows / seconds),
                        "peak_rss_mib": round(peak / 1024, 1)})
        print(json.dumps(results[-1]))
    if len(results) > 1:
        print(f"peak memory ratio {results[-1]['rows']:,} / {results[0]['rows']:,} rows: "
              f"{results[-1]['peak_rss_mib'] / results[0]['peak_rss_mib']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
