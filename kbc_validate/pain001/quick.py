"""The usual transaction, read from its own text: one precompiled pattern instead of some thirty lxml element
lookups (about 3 us each).

Belgian packages write a credit transfer in one shape: payment identification, instructed amount, optionally the
creditor's agent, the creditor's name, the creditor's IBAN, optionally one unstructured or one structured (SCOR)
remittance. When a transaction's text has exactly that shape, without prefixes, entity or character references,
comments or carriage returns in values, its values are the parser's, byte for byte, and `rules.DocumentRules` checks
them from the text. Any other shape is read from the elements, the reference path; a differential test holds the
two equal.
"""

from __future__ import annotations

import re
from functools import cache

_WS = r"[ \t\r\n]*"
_TEXT = r"[^<&\r]*"


@cache
def transaction_pattern(bic_tag: str) -> re.Pattern[str]:
    """The usual shape of a ``CdtTrfTxInf`` (``bic_tag``: ``BIC`` in .03, ``BICFI`` in .09)."""
    parts = (
        "<CdtTrfTxInf>",
        f"<PmtId>{_WS}(?:<InstrId>(?P<instr>{_TEXT})</InstrId>{_WS})?<EndToEndId>(?P<e2e>{_TEXT})</EndToEndId>{_WS}"
        "</PmtId>",
        f'<Amt>{_WS}<InstdAmt Ccy="(?P<ccy>[^"<&]*)">(?P<amount>{_TEXT})</InstdAmt>{_WS}</Amt>',
        f"(?:<CdtrAgt>{_WS}<FinInstnId>{_WS}<{bic_tag}>(?P<bic>{_TEXT})</{bic_tag}>{_WS}</FinInstnId>{_WS}"
        f"</CdtrAgt>{_WS})?<Cdtr>{_WS}<Nm>(?P<name>{_TEXT})</Nm>{_WS}</Cdtr>",
        f"<CdtrAcct>{_WS}<Id>{_WS}<IBAN>(?P<iban>{_TEXT})</IBAN>{_WS}</Id>{_WS}</CdtrAcct>",
        f"(?:<RmtInf>{_WS}(?:<Ustrd>(?P<ustrd>{_TEXT})</Ustrd>|<Strd>{_WS}<CdtrRefInf>{_WS}<Tp>{_WS}<CdOrPrtry>{_WS}"
        f"<Cd>SCOR</Cd>{_WS}</CdOrPrtry>{_WS}<Issr>(?P<issuer>{_TEXT})</Issr>{_WS}</Tp>{_WS}<Ref>(?P<ref>{_TEXT})"
        f"</Ref>{_WS}</CdtrRefInf>{_WS}</Strd>){_WS}</RmtInf>{_WS})?</CdtTrfTxInf>",
    )
    return re.compile(_WS.join(parts))


# Where each value's element starts, back from the value: the length of its start tag.
START_TAGS = {"instr": len("<InstrId>"), "e2e": len("<EndToEndId>"), "name": len("<Nm>"), "iban": len("<IBAN>"),
              "ustrd": len("<Ustrd>"), "issuer": len("<Issr>"), "ref": len("<Ref>")}


TRANSACTION_END = re.compile(r"</(?:[A-Za-z_][\w.\-]*:)?CdtTrfTxInf\s*>")


class TextPlaces:
    """Lines and columns of offsets in a piece's text (1-based; columns in characters).

    Places are mostly asked for in order: lines are counted on from the last offset asked for, not from the start.
    """

    def __init__(self, text: str, line: int, column_chars: int) -> None:
        self.text, self.line, self.column_chars = text, line, column_chars
        self._offset, self._lines = 0, 0  # newlines before `_offset`

    def place(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset < self._offset:
            self._offset, self._lines = 0, 0
        self._lines += text.count("\n", self._offset, offset)
        self._offset = offset
        newline = text.rfind("\n", 0, offset)
        if newline < 0:
            return self.line, self.column_chars + offset + 1
        return self.line + self._lines, offset - newline

    def transactions(self) -> list[tuple[int, int]]:
        """(start, end) of each transaction's text in the piece, in order; start is -1 where the quick path may
        not read it (a prefixed or attributed start tag, a comment, CDATA section or processing instruction)."""
        spans = []
        previous = 0
        for end in TRANSACTION_END.finditer(self.text):
            start = self.text.rfind("<CdtTrfTxInf>", previous, end.start())
            hidden = start < 0 or self.text.find("<!", start, end.end()) >= 0 or self.text.find(
                "<?", start, end.end()) >= 0
            spans.append((-1 if hidden else start, end.end()))
            previous = end.end()
        return spans
