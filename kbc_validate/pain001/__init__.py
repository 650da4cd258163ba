"""pain.001 XML: KBC's bulk credit transfers (``POST .../bulk-payments/pain.001``), validated like every other
payment file.

>>> from datetime import date
>>> document = (
...     '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr>'
...     '<MsgId>M-1</MsgId><CreDtTm>2026-12-05T10:00:00</CreDtTm><NbOfTxs>1</NbOfTxs><InitgPty><Nm>Zeeman BV</Nm>'
...     '</InitgPty></GrpHdr><PmtInf><PmtInfId>B-1</PmtInfId><PmtMtd>TRF</PmtMtd><PmtTpInf><SvcLvl><Cd>SEPA</Cd>'
...     '</SvcLvl></PmtTpInf><ReqdExctnDt>2027-01-16</ReqdExctnDt><Dbtr><Nm>Zeeman BV</Nm></Dbtr><DbtrAcct><Id>'
...     '<IBAN>BE36734012345681</IBAN></Id></DbtrAcct><DbtrAgt><FinInstnId><BIC>KREDBEBB</BIC></FinInstnId>'
...     '</DbtrAgt><CdtTrfTxInf><PmtId><EndToEndId>INV-1</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">0.00'
...     '</InstdAmt></Amt><Cdtr><Nm>Brouwerij Het Anker</Nm></Cdtr><CdtrAcct><Id><IBAN>BE71096123456769</IBAN>'
...     '</Id></CdtrAcct></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>'
... )
>>> report = validate_pain001(document, today=date(2026, 12, 5))
>>> [(issue.code, issue.path, issue.line, issue.column) for issue in report.issues]
[('KBC402', 'PmtInf[0].ReqdExctnDt', 1, 319), ('KBC200', 'PmtInf[0].CdtTrfTxInf[0].Amt.InstdAmt', 1, 572)]

`validate_pain001` takes the document as bytes, text (a ``str`` is the document's text, never a file name), a
``pathlib.Path`` or a binary file object, and returns the same `Report` as `validate_payment`: every finding has
its rule code, cause, the element's location (``("PmtInf", 0, "CdtTrfTxInf", 1, "CdtrAcct", "Id", "IBAN")``,
rendered ``PmtInf[0].CdtTrfTxInf[1].CdtrAcct.Id.IBAN``) and its ``line`` and ``column`` in the document. It never
raises on the document's content and never changes the caller's object; a path that cannot be opened raises
``OSError`` as ``open`` does. `Pain001Reader` streams the findings of a large file in flat memory.
"""

from __future__ import annotations

from datetime import date

from kbc_validate.findings import Report
from kbc_validate.pain001.reader import Pain001Reader
from kbc_validate.pain001.source import Document

__all__ = ["Document", "Pain001Reader", "validate_pain001"]


def validate_pain001(document: Document, *, today: date | None = None) -> Report:
    """Every finding about a pain.001 document, in document order (line, then column, then code)."""
    from kbc_validate.validate import _resolve_today

    if type(today) is not date:
        today = _resolve_today(today)
    issues = list(Pain001Reader(document, today=today).findings())
    issues.sort(key=lambda issue: (issue.line or 0, issue.column or 0, issue.code))
    return Report(tuple(issues))
