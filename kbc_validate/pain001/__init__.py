"""pain.001 XML: KBC's bulk credit transfers (``POST .../bulk-payments/pain.001``), validated like every other
payment file.

>>> from datetime import date
>>> from pathlib import Path
>>> report = validate_pain001(Path("examples/faulty-bulk.xml"), today=date(2026, 12, 5))
>>> report.ok
False

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
