"""pain.001 validation against lxml reading the same file: ratios measured side by side, and flat memory.

    python benchmarks/bench_pain001.py [--transactions 100000 1000000] [--runs 3] [--workdir /tmp/kbc-bench]

On generated Belgian bulk files (benchmarks/generate_pain001.py: pain.001.001.03, Belgian IBANs, 40% OGM, about 2%
faulty transactions of every cause, some repeated end-to-end identifications), each command runs in a fresh
process, `--runs` times, interleaved; medians are compared:

- ``validate``: the whole validation, `Pain001Reader` streaming every finding (schema and rules, repeats too);
- ``parse+xsd``: lxml parsing the file into a tree and validating it against the official XSD (the target:
  validate / parse+xsd <= 1.5);
- ``iterparse``: a bare ``lxml.etree.iterparse`` pass over every element, clearing as it goes (the reading floor).

Memory is each command's peak resident set (``VmHWM``, Linux); the validation's at the largest size must be within
10% of that at the smallest and under 150 MiB. The package's modules are byte-compiled first.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_pain001 import write

ROOT = Path(__file__).resolve().parent.parent
XSD = ROOT / "kbc_validate" / "data" / "pain001" / "pain.001.001.03.xsd"

_COMMANDS = {
    "validate": """
from collections import Counter
from datetime import date
from pathlib import Path
from kbc_validate.pain001 import Pain001Reader
reader = Pain001Reader(Path(FILE), today=date(2026, 12, 5))
counts = Counter(issue.code for issue in reader.findings())
result = {"transactions": reader.transactions, "findings": sum(counts.values()), "codes": dict(sorted(counts.items()))}
""",
    "parse+xsd": """
from lxml import etree
schema = etree.XMLSchema(etree.parse(XSD))
result = {"valid": schema.validate(etree.parse(FILE))}
""",
    "iterparse": """
from lxml import etree
count = 0
for _, element in etree.iterparse(FILE, events=("end",)):
    count += 1
    element.clear()
result = {"elements": count}
""",
}
_WRAPPER = """
import json, sys, time
FILE, XSD = sys.argv[1], sys.argv[2]
start = time.perf_counter()
{body}
result["seconds"] = time.perf_counter() - start
# The process's own high-water mark (ru_maxrss would carry a parent's peak across fork and exec).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
result["peak_mib"] = peak / 1024
print(json.dumps(result))
"""


def run(name: str, path: Path) -> dict[str, object]:
    code = _WRAPPER.format(body=_COMMANDS[name])
    done = subprocess.run([sys.executable, "-c", code, str(path), str(XSD)], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def measure(path: Path, runs: int) -> dict[str, list[dict[str, object]]]:
    results: dict[str, list[dict[str, object]]] = {name: [] for name in _COMMANDS}
    for _ in range(runs):
        for name in _COMMANDS:
            results[name].append(run(name, path))
    return results


def median(results: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(result[key]) for result in results)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kbc-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(ROOT / "kbc_validate", quiet=1)
    peaks = []
    for size in args.transactions:
        path = args.workdir / f"pain001-{size}.xml"
        if not path.exists():
            write(size, path)
        results = measure(path, args.runs)
        seconds = {name: median(found, "seconds") for name, found in results.items()}
        peak = {name: median(found, "peak_mib") for name, found in results.items()}
        peaks.append(peak["validate"])
        print(f"\n{size:,} transactions ({path.stat().st_size / 1e6:.0f} MB), medians of {args.runs} runs")
        for name in _COMMANDS:
            print(f"  {name:10s} {seconds[name]:7.3f} s   peak {peak[name]:7.1f} MiB")
        print(f"  validate / parse+xsd = {seconds['validate'] / seconds['parse+xsd']:.2f} (target <= 1.5)")
        print(f"  validate / iterparse = {seconds['validate'] / seconds['iterparse']:.2f} (the reading floor)")
        print(f"  findings: {results['validate'][0]['codes']}")
    if len(peaks) > 1:
        print(f"\npeak memory of the validation: {peaks[-1] / peaks[0]:.3f} of the smallest size's "
              f"(target <= 1.10); {peaks[-1]:.1f} MiB at the largest (target < 150 MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
