"""`validate_batch` over a polars and a pandas table of payment rows: seconds per run, and the findings' digest.

    python benchmarks/bench_batch.py [--rows 1000000] [--runs 3]

The rows are benchmarks/generate_csv.py's (every cell text, ~2% faulty rows of every cause, 40% OGM), held in a
polars DataFrame and in a pandas DataFrame of Python strings (what ``pandas.read_csv(dtype=str)`` gives); each
table is validated `--runs` times in this process, interleaved, and the median is printed with the number of
findings and a digest of them, so that two checkouts can be compared side by side on the same machine (the digest
must not change when only the speed does). Needs the ``fast`` extra and pandas.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_csv import HEADER, row

from kbc_validate.columnar.batch import validate_batch

TODAY = date(2026, 12, 1)


def tables(rows: int, seed: int = 1) -> dict[str, Any]:
    """The same generated rows as a polars and a pandas table."""
    rng = random.Random(seed)
    columns = list(zip(*(row(rng, number) for number in range(1, rows + 1)), strict=True))
    frame = pl.DataFrame({name: list(values) for name, values in zip(HEADER, columns, strict=True)})
    return {"polars": frame, "pandas": frame.to_pandas(use_pyarrow_extension_array=False).astype(object)}


def digest(found: Any) -> tuple[int, str]:
    """The number of findings and a hash of them (row id, code, path), whatever the table's kind."""
    frame = found if isinstance(found, pl.DataFrame) else pl.from_pandas(found)
    text = frame.select("row_id", "code", "path").write_csv()
    return frame.height, hashlib.sha256(text.encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = tables(args.rows)
    times: dict[str, list[float]] = {kind: [] for kind in data}
    results: dict[str, tuple[int, str]] = {}
    for _ in range(args.runs):
        for kind, table in data.items():
            start = time.perf_counter()
            found = validate_batch(table, today=TODAY, decimal_comma=True)
            times[kind].append(time.perf_counter() - start)
            results[kind] = digest(found)
    for kind, measured in times.items():
        count, hashed = results[kind]
        print(f"validate_batch over {args.rows:,} rows, {kind}: median {statistics.median(measured):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in measured)}), {count:,} findings, digest {hashed}")


if __name__ == "__main__":
    main()
