"""pain.001 documents for tests, written as Belgian packages write them: a valid one by default, every part
replaceable. Transactions are dicts of the values the rules read; `None` leaves an element out."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

DEBTOR = "BE36734012345681"
CREDITOR = "BE71096123456769"
OGM = "010806817183"
TODAY_TEXT = "2026-12-05"
EXECUTION = "2027-01-15"  # a Friday, a TARGET2 business day


def transaction(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "e2e": "INV-1", "amount": "125.50", "ccy": "EUR", "name": "Brouwerij Het Anker", "iban": CREDITOR,
        "ustrd": "Factuur 2026-0413", "ref": None, "issuer": None, "kind": "SCOR", "bic": None, "extra": "",
    }
    base.update(values)
    return base


def _element(name: str, value: Any, indent: str) -> str:
    return "" if value is None else f"{indent}<{name}>{escape(str(value))}</{name}>\n"


def transaction_xml(tx: dict[str, Any], version: str = "03") -> str:
    bic = "BICFI" if version == "09" else "BIC"
    out = ["      <CdtTrfTxInf>\n", "        <PmtId>\n", _element("EndToEndId", tx["e2e"], "          "),
           "        </PmtId>\n"]
    if tx["amount"] is not None:
        ccy = "" if tx["ccy"] is None else f" Ccy={quoteattr(tx['ccy'])}"
        out += ["        <Amt>\n", f"          <InstdAmt{ccy}>{escape(tx['amount'])}</InstdAmt>\n", "        </Amt>\n"]
    if tx["bic"] is not None:
        out.append(f"        <CdtrAgt>\n          <FinInstnId>\n            <{bic}>{tx['bic']}</{bic}>\n"
                   "          </FinInstnId>\n        </CdtrAgt>\n")
    if tx["name"] is not None:
        out += ["        <Cdtr>\n", _element("Nm", tx["name"], "          "), "        </Cdtr>\n"]
    if tx["iban"] is not None:
        out.append(f"        <CdtrAcct>\n          <Id>\n            <IBAN>{escape(tx['iban'])}</IBAN>\n"
                   "          </Id>\n        </CdtrAcct>\n")
    out.append(tx["extra"])
    if tx["ref"] is not None:
        issuer = "" if tx["issuer"] is None else f"                <Issr>{escape(tx['issuer'])}</Issr>\n"
        out.append("        <RmtInf>\n          <Strd>\n            <CdtrRefInf>\n              <Tp>\n"
                   f"                <CdOrPrtry>\n                  <Cd>{tx['kind']}</Cd>\n"
                   f"                </CdOrPrtry>\n{issuer}              </Tp>\n"
                   f"              <Ref>{escape(tx['ref'])}</Ref>\n            </CdtrRefInf>\n          </Strd>\n"
                   "        </RmtInf>\n")
    elif tx["ustrd"] is not None:
        out.append(f"        <RmtInf>\n          <Ustrd>{escape(tx['ustrd'])}</Ustrd>\n        </RmtInf>\n")
    out.append("      </CdtTrfTxInf>\n")
    return "".join(out)


def document(transactions: list[dict[str, Any]] | None = None, *, version: str = "03", execution: str = EXECUTION,
             debtor: str = DEBTOR, count: str | None = None, control_sum: str | None = "auto",
             method: str = "TRF", service_level: str | None = "SEPA", charge_bearer: str | None = "SLEV",
             header_extra: str = "", block_extra: str = "") -> str:
    """A whole pain.001 document; NbOfTxs and CtrlSum are right unless given."""
    transactions = [transaction()] if transactions is None else transactions
    from decimal import Decimal, InvalidOperation

    def total() -> str | None:
        try:
            return str(sum(Decimal(tx["amount"]) for tx in transactions))
        except (InvalidOperation, TypeError):
            return None

    number = str(len(transactions)) if count is None else count
    ctrl = total() if control_sum == "auto" else control_sum
    when = f"<Dt>{execution}</Dt>" if version == "09" else execution
    bic = "BICFI" if version == "09" else "BIC"
    level = "" if service_level is None else (
        f"      <PmtTpInf>\n        <SvcLvl>\n          <Cd>{service_level}</Cd>\n        </SvcLvl>\n"
        "      </PmtTpInf>\n")
    bearer = "" if charge_bearer is None else f"      <ChrgBr>{charge_bearer}</ChrgBr>\n"
    ctrl_line = "" if ctrl is None else f"      <CtrlSum>{ctrl}</CtrlSum>\n"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.{version}">\n'
        "  <CstmrCdtTrfInitn>\n"
        "    <GrpHdr>\n      <MsgId>MSG-1</MsgId>\n      <CreDtTm>2026-12-05T10:00:00</CreDtTm>\n"
        f"      <NbOfTxs>{number}</NbOfTxs>\n{ctrl_line}"
        f"      <InitgPty>\n        <Nm>Zeeman BV</Nm>\n      </InitgPty>\n{header_extra}    </GrpHdr>\n"
        "    <PmtInf>\n      <PmtInfId>BLOCK-1</PmtInfId>\n"
        f"      <PmtMtd>{method}</PmtMtd>\n      <NbOfTxs>{number}</NbOfTxs>\n{ctrl_line}{level}"
        f"      <ReqdExctnDt>{when}</ReqdExctnDt>\n"
        "      <Dbtr>\n        <Nm>Zeeman BV</Nm>\n      </Dbtr>\n"
        f"      <DbtrAcct>\n        <Id>\n          <IBAN>{debtor}</IBAN>\n        </Id>\n      </DbtrAcct>\n"
        f"      <DbtrAgt>\n        <FinInstnId>\n          <{bic}>KREDBEBB</{bic}>\n        </FinInstnId>\n"
        f"      </DbtrAgt>\n{bearer}{block_extra}"
        + "".join(transaction_xml(tx, version) for tx in transactions)
        + "    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n"
    )


def line_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """(line, column) of the `occurrence`-th `needle` in `text`, 1-based, for asserting places."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
