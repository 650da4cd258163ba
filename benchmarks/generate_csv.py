"""Generate a payment CSV as Belgian Excel exports it (``;``, decimal comma, cp1252), mostly valid, with a
realistic sprinkle of every error cause; reproducible from its seed.

    python benchmarks/generate_csv.py ROWS OUT.csv [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HEADER = ["Creditor IBAN", "Creditor name", "Amount", "Currency", "Structured communication", "Communication",
          "Execution date", "End to end id", "Debtor IBAN"]
DEBTOR = "BE36734012345681"
NAMES = ["Zeeman BV", "Brouwerij Het Anker", "Café De Zwaan", "Garage Peeters", "Bakkerij Janssens", "Loodgieter Maes"]
BANKS = ["734", "735", "363", "001", "068", "103", "750", "850"]
DATES = ["2027-01-15", "2027-01-18", "2027-02-03", "2027-03-10", ""]


def belgian_iban(rng: random.Random) -> str:
    first_ten = rng.choice(BANKS) + f"{rng.randrange(10**7):07d}"
    bban = first_ten + f"{int(first_ten) % 97 or 97:02d}"
    check = 98 - int(bban + "111400") % 97
    return f"BE{check:02d}{bban}"


def ogm(rng: random.Random) -> str:
    first_ten = f"{rng.randrange(10**10):010d}"
    digits = first_ten + f"{int(first_ten) % 97 or 97:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def row(rng: random.Random, number: int) -> list[str]:
    amount = f"{rng.randrange(1, 500_000) / 100:.2f}".replace(".", ",")
    structured = ogm(rng) if rng.random() < 0.4 else ""
    values = [belgian_iban(rng), rng.choice(NAMES), amount, "EUR", structured,
              "" if structured else f"Factuur {number}", rng.choice(DATES), f"E2E-{number}", DEBTOR]
    fault = rng.random()
    if fault < 0.004:
        values[0] = values[0][:-1] + str((int(values[0][-1]) + 1) % 10)  # invalid account
    elif fault < 0.006:
        values[2] = "0,00"  # amount not positive
    elif fault < 0.008:
        values[3] = "USD"  # currency not EUR
    elif fault < 0.010:
        values[6] = "2026-01-02"  # execution date in the past
    elif fault < 0.012:
        values[6] = "2027-01-16"  # a Saturday
    elif fault < 0.014:
        values[1] = ""  # missing creditor name
    elif fault < 0.016:
        values[0] = DEBTOR  # same debtor and creditor account
    elif fault < 0.018 and structured:
        values[4] = structured[:-5] + "00+++"  # structured communication check digits
    elif fault < 0.020:
        values[2] = "12,345"  # bad format: three decimals
    return values


def write(rows: int, path: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="cp1252", newline="") as handle:
        handle.write(";".join(HEADER) + "\r\n")
        for number in range(1, rows + 1):
            handle.write(";".join(row(rng, number)) + "\r\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.rows, args.out, args.seed)
