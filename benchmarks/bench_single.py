"""Time `validate_payment` on one valid single-payment body against two pydantic baselines, in one run.

    python benchmarks/bench_single.py [--repeat 15] [--number 2000]

Prints the median microseconds per call of each and the ratios the project targets: at most 1.5 times the
schema-only pydantic model (a), at most 0.1 times the model with stdnum and holidays validators (b). Machines here
are shared and noisy: only ratios measured in the same run mean anything. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import SchemaOnly, WithValidators

from kbc_validate import validate_payment

TODAY = date(2026, 11, 24)
BODY = {
    "endToEndIdentification": "INV-2026-0042",
    "debtorAccount": {"iban": "BE36734012345681"},
    "instructedAmount": {"currency": "EUR", "amount": "123.50"},
    "creditorAccount": {"iban": "BE56363123456788"},
    "creditorName": "Merchant NV",
    "remittanceInformationUnstructured": "+++010/8068/17183+++",
    "requestedExecutionDate": "2026-12-15",
}
TARGET_SCHEMA_ONLY = 1.5
TARGET_WITH_VALIDATORS = 0.1


def median_us(call: Callable[[], object], repeat: int, number: int) -> float:
    call()  # warm caches (calendars, registry tables) outside the timing
    runs = timeit.repeat(call, repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args(argv)
    assert validate_payment(BODY, today=TODAY).ok, "the benchmark body must be valid"
    ours = median_us(lambda: validate_payment(BODY, today=TODAY), args.repeat, args.number)
    schema = median_us(lambda: SchemaOnly.model_validate(BODY), args.repeat, args.number)
    full = median_us(lambda: WithValidators.model_validate(BODY), args.repeat, max(args.number // 20, 50))
    ratio_a, ratio_b = ours / schema, ours / full
    print(f"validate_payment (all rules)             {ours:8.2f} us/call")
    print(f"(a) pydantic, patterns and lengths only  {schema:8.2f} us/call")
    print(f"(b) pydantic + stdnum/holidays validators {full:7.2f} us/call")
    print(f"ratio to (a): {ratio_a:.2f} (target <= {TARGET_SCHEMA_ONLY})")
    print(f"ratio to (b): {ratio_b:.3f} (target <= {TARGET_WITH_VALIDATORS})")
    return 0 if ratio_a <= TARGET_SCHEMA_ONLY and ratio_b <= TARGET_WITH_VALIDATORS else 1


if __name__ == "__main__":
    raise SystemExit(main())
