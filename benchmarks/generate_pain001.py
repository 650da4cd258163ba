"""Generate a pain.001.001.03 bulk credit transfer as Belgian packages write it (pretty-printed UTF-8, Belgian IBANs,
40% structured communications), mostly valid, with a sprinkle of every fault; reproducible from its seed.

    python benchmarks/generate_pain001.py TRANSACTIONS OUT.xml [--seed 1] [--blocks 10] [--version 03|09]
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from generate_csv import DEBTOR, NAMES, belgian_iban

DATES = ["2027-01-15", "2027-01-18", "2027-02-03", "2027-03-10"]


def ogm_digits(rng: random.Random) -> str:
    first_ten = f"{rng.randrange(10**10):010d}"
    return first_ten + f"{int(first_ten) % 97 or 97:02d}"


def transaction(rng: random.Random, number: int) -> tuple[str, Decimal]:
    """One CdtTrfTxInf (indented as in a block) and its amount as written."""
    amount, currency, iban, name = f"{rng.randrange(1, 500_000) / 100:.2f}", "EUR", belgian_iban(rng), rng.choice(NAMES)
    structured = ogm_digits(rng) if rng.random() < 0.4 else None
    e2e = f"E2E-{number}"
    fault = rng.random()
    if fault < 0.004:
        iban = iban[:-1] + str((int(iban[-1]) + 1) % 10)  # invalid account
    elif fault < 0.006:
        amount = "0.00"  # amount not positive
    elif fault < 0.008:
        currency = "USD"  # currency not EUR
    elif fault < 0.010:
        iban = DEBTOR  # same debtor and creditor account
    elif fault < 0.012 and structured:
        structured = structured[:-2] + "00"  # structured communication check digits
    elif fault < 0.014:
        amount = "12.345"  # three decimals
    elif fault < 0.016:
        name = "Caf\u00e9 \U0001f600"  # an emoji in a name
    elif fault < 0.018:
        e2e = "E2E-1"  # a repeated end-to-end identification
    if structured:
        remittance = ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
                      f"<Ref>{structured}</Ref></CdtrRefInf></Strd>")
    else:
        remittance = f"<Ustrd>Factuur {number}</Ustrd>"
    text = (
        "      <CdtTrfTxInf>\n"
        f"        <PmtId>\n          <EndToEndId>{e2e}</EndToEndId>\n        </PmtId>\n"
        f"        <Amt>\n          <InstdAmt Ccy=\"{currency}\">{amount}</InstdAmt>\n        </Amt>\n"
        f"        <Cdtr>\n          <Nm>{escape(name)}</Nm>\n        </Cdtr>\n"
        f"        <CdtrAcct>\n          <Id>\n            <IBAN>{iban}</IBAN>\n          </Id>\n        </CdtrAcct>\n"
        f"        <RmtInf>\n          {remittance}\n        </RmtInf>\n"
        "      </CdtTrfTxInf>\n"
    )
    return text, Decimal(amount)


def write(transactions: int, path: Path, seed: int = 1, blocks: int = 10, version: str = "03") -> None:
    rng = random.Random(seed)
    sizes = [transactions // blocks + (1 if i < transactions % blocks else 0) for i in range(blocks)]
    sizes = [size for size in sizes if size]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.{version}">\n'
                  "  <CstmrCdtTrfInitn>\n"
                  "    <GrpHdr>\n      <MsgId>BENCH-1</MsgId>\n      <CreDtTm>2026-12-05T10:00:00</CreDtTm>\n"
                  f"      <NbOfTxs>{transactions}</NbOfTxs>\n"
                  "      <InitgPty>\n        <Nm>Zeeman BV</Nm>\n      </InitgPty>\n    </GrpHdr>\n")
        number = 0
        for block, size in enumerate(sizes, start=1):
            _write_block(out, rng, block, size, number, version)
            number += size
        out.write("  </CstmrCdtTrfInitn>\n</Document>\n")


def _write_block(out: IO[str], rng: random.Random, block: int, size: int, first: int, version: str) -> None:
    date = rng.choice(DATES)
    when = f"<Dt>{date}</Dt>" if version == "09" else date
    agent = "BICFI" if version == "09" else "BIC"
    out.write("    <PmtInf>\n"
              f"      <PmtInfId>BLOCK-{block}</PmtInfId>\n      <PmtMtd>TRF</PmtMtd>\n"
              f"      <NbOfTxs>{size}</NbOfTxs>\n"
              "      <PmtTpInf>\n        <SvcLvl>\n          <Cd>SEPA</Cd>\n        </SvcLvl>\n      </PmtTpInf>\n"
              f"      <ReqdExctnDt>{when}</ReqdExctnDt>\n"
              "      <Dbtr>\n        <Nm>Zeeman BV</Nm>\n      </Dbtr>\n"
              f"      <DbtrAcct>\n        <Id>\n          <IBAN>{DEBTOR}</IBAN>\n        </Id>\n      </DbtrAcct>\n"
              f"      <DbtrAgt>\n        <FinInstnId>\n          <{agent}>KREDBEBB</{agent}>\n"
              "        </FinInstnId>\n      </DbtrAgt>\n      <ChrgBr>SLEV</ChrgBr>\n")
    for number in range(first + 1, first + size + 1):
        text, _ = transaction(rng, number)
        out.write(text)
    out.write("    </PmtInf>\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transactions", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--blocks", type=int, default=10)
    parser.add_argument("--version", choices=("03", "09"), default="03")
    args = parser.parse_args()
    write(args.transactions, args.out, args.seed, args.blocks, args.version)
