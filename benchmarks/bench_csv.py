"""Bulk CSV validation against reading the file: ratios measured side by side, parity, and flat memory.

    python benchmarks/bench_csv.py [--rows 1000000] [--memory-rows 4000000] [--runs 3] [--workdir /tmp/kbc-bench]

On a generated Belgian Excel file (benchmarks/generate_csv.py: cp1252, ``;``, ~2% faulty rows of every cause,
40% OGM), each command runs in a fresh process, `--runs` times, interleaved; medians are compared:

- ``kbc-validate --engine compiled`` (the compiled pass, the default) on every CPU and with ``--jobs 1``;
- a plain Python ``csv.reader`` loop that only reads every row (target: compiled / csv.reader <= 0.5);
- polars reading the file alone (target: compiled / polars read <= 1.0), when polars is installed.

``kbc-validate --engine rows --jobs 1`` (the pure-Python per-row path, the reference) runs once. Every command
writes JSON to a file; each output is compared byte for byte with the reference's (every finding, line by line).
Memory is the command's peak resident set (``ru_maxrss`` of the process, from ``wait4``: every command here is one
process, its threads included; the worker processes of earlier engines are gone), exact and measured without
sampling, which would take CPU time from a command running on both cores; the compiled pass's must stay under 100 MiB
at `--rows` and at `--memory-rows`. CPU time
(user and system) is printed beside each wall time: on a machine shared with other work it moves less than the
wall time does (the targets are the wall-time ratios). The package's modules are byte-compiled first, as an
installed package's are.
"""

from __future__ import annotations

import argparse
import compileall
import filecmp
import json
import statistics
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_csv import write

_MEASURE = """
import os, subprocess, sys, time

start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
elapsed = time.perf_counter() - start
process.returncode = os.waitstatus_to_exitcode(status)
print(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
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


def measure(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak resident set (KiB) and CPU seconds (user and system) of `command`, run in a fresh measuring
    process. Its output file (``-o``) is
    deleted first, outside the timing: truncating the previous run's 56 MB of JSON, still unwritten in the page cache
    seconds later, costs the kernel 10 to 25 ms, which would otherwise be charged to the run that opens it again."""
    if "-o" in command:
        Path(command[command.index("-o") + 1]).unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, peak, cpu = result.stdout.split()
    return float(elapsed), int(peak), float(cpu)


def validate(path: Path, engine: str, out: Path, *options: str) -> list[str]:
    return ["kbc-validate", "-q", "--today", "2026-11-24", "--format", "json", "--engine", engine, *options,
            "-o", str(out), str(path)]


RATIOS = [("compiled", "csv.reader", "target <= 0.5"), ("compiled", "polars read", "target <= 1.0"),
          ("compiled", "compiled --jobs 1", "every CPU / one: the threads pay"),
          ("compiled", "rows --jobs 1", "the per-row path")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory-rows", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kbc-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    # The package as users run it: compiled once (an editable install under PYTHONDONTWRITEBYTECODE, as on the
    # machines here, would otherwise compile every module again in every process, about 0.06 s each).
    import kbc_validate

    compileall.compile_dir(Path(kbc_validate.__file__).parent, quiet=1)
    files = {}
    for rows in (args.rows, args.memory_rows):
        files[rows] = args.workdir / f"payments-{rows}.csv"
        if not files[rows].exists():
            write(rows, files[rows])
    path, out = files[args.rows], args.workdir
    commands = {
        "compiled": validate(path, "compiled", out / "compiled.json"),
        "compiled --jobs 1": validate(path, "compiled", out / "compiled-1.json", "--jobs", "1"),
        "csv.reader": [sys.executable, "-c", _CSV_READER, str(path)],
    }
    if find_spec("polars") is not None:
        commands["polars read"] = [sys.executable, "-c", _POLARS, str(path)]
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {}
    for _ in range(args.runs):
        for name, command in commands.items():
            seconds, peak, cpu = measure(command)
            times[name].append(seconds)
            cpus[name].append(cpu)
            peaks[name] = max(peak, peaks.get(name, 0))
    seconds, peaks["rows --jobs 1"], cpu = measure(validate(path, "rows", out / "rows-1.json", "--jobs", "1"))
    times["rows --jobs 1"], cpus["rows --jobs 1"] = [seconds], [cpu]
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, runs in times.items():
        print(json.dumps({"command": name, "rows": args.rows, "median_seconds": round(median[name], 3),
                          "rows_per_second": round(args.rows / median[name]),
                          "peak_rss_mib": round(peaks[name] / 1024, 1), "runs": [round(t, 3) for t in runs],
                          "median_cpu_seconds": round(statistics.median(cpus[name]), 3)}))
    reference = out / "rows-1.json"
    outputs = [name for name in ("compiled", "compiled-1") if (out / f"{name}.json").exists()]
    same = all(filecmp.cmp(out / f"{name}.json", reference, shallow=False) for name in outputs)
    print(f"findings identical, line by line ({', '.join(outputs)} vs rows --jobs 1): {same}")
    for name, baseline, what in RATIOS:
        if name in median and baseline in median:
            cpu_ratio = statistics.median(cpus[name]) / statistics.median(cpus[baseline])
            print(f"{name} / {baseline}: {median[name] / median[baseline]:.3f} ({what}; CPU time: {cpu_ratio:.3f})")
    big_seconds, big_peak, _ = measure(validate(files[args.memory_rows], "compiled", out / "compiled-big.json"))
    print(json.dumps({"command": "compiled", "rows": args.memory_rows, "seconds": round(big_seconds, 3),
                      "rows_per_second": round(args.memory_rows / big_seconds),
                      "peak_rss_mib": round(big_peak / 1024, 1)}))
    print(f"peak memory, compiled: {peaks['compiled'] / 1024:.1f} MiB at {args.rows:,} rows, "
          f"{big_peak / 1024:.1f} MiB at {args.memory_rows:,} rows (target <= 100 MiB)")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
