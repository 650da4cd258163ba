"""Bulk CSV validation against reading the file: ratios measured side by side, parity, and flat memory.

    python benchmarks/bench_csv.py [--rows 1000000] [--memory-rows 4000000] [--runs 3] [--workdir /tmp/kbc-bench]

On a generated Belgian Excel file (benchmarks/generate_csv.py: cp1252, ``;``, ~2% faulty rows of every cause,
40% OGM), each command runs in a fresh process, `--runs` times, interleaved; medians are compared:

- ``kbc-validate --engine columns`` (the fast extra) and ``--engine rows`` (pure Python, per row), JSON to a file;
- a plain Python ``csv.reader`` loop that only reads every row (the target: columns / csv.reader <= 1.0);
- polars reading the file alone (the physical floor).

The two engines' outputs are compared byte for byte (every finding, line by line). Peak RSS of the column engine
at `--memory-rows` must be within 10% of that at `--rows`.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import statistics
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
_CSV_READER = """
import csv, sys
with open(sys.argv[1], newline="", encoding="cp1252") as handle:
    for row in csv.reader(handle, delimiter=";"):
        pass
"""
_POLARS = """
import sys, polars
polars.read_csv(sys.argv[1], separator=";", infer_schema=False, encoding="utf8-lossy")
"""


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `command`, run alone in a fresh measuring process."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, peak = result.stdout.split()
    return float(elapsed), int(peak)


def validate(path: Path, engine: str, out: Path) -> list[str]:
    return ["kbc-validate", "-q", "--today", "2026-11-24", "--format", "json", "--engine", engine, "-o", str(out),
            str(path)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory-rows", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kbc-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for rows in (args.rows, args.memory_rows):
        files[rows] = args.workdir / f"payments-{rows}.csv"
        if not files[rows].exists():
            write(rows, files[rows])
    path = files[args.rows]
    commands = {
        "columns": validate(path, "columns", args.workdir / "columns.json"),
        "rows": validate(path, "rows", args.workdir / "rows.json"),
        "csv.reader": [sys.executable, "-c", _CSV_READER, str(path)],
        "polars read": [sys.executable, "-c", _POLARS, str(path)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {}
    for _ in range(args.runs):
        for name, command in commands.items():
            seconds, peak = measure(command)
            times[name].append(seconds)
            peaks[name] = peak
    median = {name: statistics.median(values) for name, values in times.items()}
    for name in commands:
        print(json.dumps({"command": name, "rows": args.rows, "median_seconds": round(median[name], 3),
                          "rows_per_second": round(args.rows / median[name]),
                          "peak_rss_mib": round(peaks[name] / 1024, 1), "runs": [round(t, 3) for t in times[name]]}))
    same = filecmp.cmp(args.workdir / "columns.json", args.workdir / "rows.json", shallow=False)
    print(f"findings identical, line by line (columns vs rows): {same}")
    for baseline in ("csv.reader", "rows", "polars read"):
        print(f"columns / {baseline}: {median['columns'] / median[baseline]:.3f}")
    big_seconds, big_peak = measure(validate(files[args.memory_rows], "columns", args.workdir / "columns-big.json"))
    print(json.dumps({"command": "columns", "rows": args.memory_rows, "seconds": round(big_seconds, 3),
                      "rows_per_second": round(args.memory_rows / big_seconds),
                      "peak_rss_mib": round(big_peak / 1024, 1)}))
    print(f"peak memory ratio {args.memory_rows:,} / {args.rows:,} rows: {big_peak / peaks['columns']:.3f}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
