"""The compiled pass over pain.001 documents (`pain001.compiled`, `rust/src/pain.rs`) is held to the Python reading:
on generated documents (valid values, values one rule away, random texts; one or two blocks; the debtor paid; the
same payment twice; comments and elements the usual shape has not), every finding is the same, at the same line and
column, in the same order, whatever the size of the pieces the document is fed in."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbc_validate import extension, validate_pain001
from kbc_validate.findings import Issue
from kbc_validate.pain001 import compiled, reader
from kbc_validate.repeats import key_log
from tests.pain001_documents import DEBTOR, document, line_of, transaction
from tests.test_pain001_properties import any_transactions

pytestmark = pytest.mark.skipif(not compiled.available(), reason="the compiled pass is not built here")

TODAY = date(2026, 12, 5)
_BLOCK = re.compile(r"    <PmtInf>\n.*?    </PmtInf>\n", re.S)
EXTRAS = ["", "        <!-- </CdtTrfTxInf> -->\n", "        <UltmtCdtr>\n          <Nm>Zeeman</Nm>\n        </UltmtCdtr>\n",
          "        <!-- a comment -->\n", "        <?kbc </CdtTrfTxInf> ?>\n"]


def two_blocks(first: list[dict[str, Any]], second: list[dict[str, Any]], version: str,
               control_sum: str | None = "auto") -> str:
    """A document of two payment information blocks (its group header's count is the first block's)."""
    text = document(first, version=version, control_sum=control_sum)
    block = _BLOCK.search(document(second, version=version))
    assert block is not None
    at = text.index("  </CstmrCdtTrfInitn>")
    return text[:at] + block.group().replace("BLOCK-1", "BLOCK-2") + text[at:]


@st.composite
def transactions(draw: st.DrawFn) -> list[dict[str, Any]]:
    numbers = draw(st.lists(st.integers(0, 3), min_size=1, max_size=5))
    found = []
    for number in numbers:
        tx = draw(any_transactions(number))
        if draw(st.integers(0, 9)) == 0:
            tx["iban"] = DEBTOR  # the block's debtor paid: KBC320
        tx["extra"] = draw(st.sampled_from(EXTRAS))
        found.append(tx)
    return found


def read(text: str, *, compiled_pass: bool, piece_bytes: int) -> tuple[list[Issue], bool]:
    """The findings of `text`, and whether the compiled pass read any piece."""
    used = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "PIECE_BYTES", piece_bytes)
        if not compiled_pass:
            patch.setattr(compiled, "available", lambda: False)
        else:
            read_piece = compiled.PieceScanner.read
            patch.setattr(compiled.PieceScanner, "read", lambda self, piece: used.append(1) or read_piece(self, piece))
        return list(validate_pain001(text, today=TODAY).issues), bool(used)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transactions(), st.one_of(st.none(), transactions()), st.sampled_from(["03", "09"]),
       st.sampled_from([1 << 16, 900, 300]))
def test_the_compiled_pass_finds_what_python_finds(first: list[dict[str, Any]], second: list[dict[str, Any]] | None,
                                                    version: str, piece_bytes: int) -> None:
    text = document(first, version=version) if second is None else two_blocks(first, second, version)
    fast, _ = read(text, compiled_pass=True, piece_bytes=piece_bytes)
    python, _ = read(text, compiled_pass=False, piece_bytes=piece_bytes)
    assert fast == python


def usual(number: int, **values: Any) -> dict[str, Any]:
    return transaction(**{"e2e": f"E2E-{number}", "ustrd": f"Factuur {number}", **values})


@pytest.mark.parametrize("piece_bytes", [1 << 16, 2000, 500])
def test_a_document_of_many_pieces_is_read_by_the_compiled_pass(piece_bytes: int) -> None:
    # Reason: valid and flagged transactions in two blocks over many pieces, a repeated payment, the debtor paid,
    # an unusual shape, amounts whose sum keeps one decimal (the control sums' Decimal): all as Python reads them.
    first = [usual(n, amount=f"{n}.5", name="Café De Zwaan" if n % 3 else "Zeeman BV") for n in range(1, 40)]
    first[7]["iban"] = DEBTOR
    first[9]["extra"] = EXTRAS[2]
    first[12] = dict(first[11], e2e="E2E-12")
    second = [usual(n, ustrd=None, ref="010806817183", issuer="BBA", amount=str(n)) for n in range(40, 70)]
    second[3]["ref"] = "010806817184"
    text = two_blocks(first, second, "03", control_sum="1")  # the block's total written with one decimal
    fast, used = read(text, compiled_pass=True, piece_bytes=piece_bytes)
    python, _ = read(text, compiled_pass=False, piece_bytes=piece_bytes)
    assert used
    assert fast == python
    assert {"KBC320", "KBC704", "KBC908", "KBC810", "KBC811"} <= {issue.code for issue in fast}
    total = sum(Decimal(tx["amount"]) for tx in first)
    assert any(issue.code == "KBC811" and issue.message.endswith(f" {total}.") for issue in fast)


def test_a_comment_sends_the_document_to_the_exact_reading() -> None:
    # Reason: a comment may hide a transaction end the piece was cut at: a transaction still open in the parser.
    text = document([usual(n) for n in range(1, 30)] + [usual(30, extra=EXTRAS[1]), usual(31, iban="BE00000000000000")])
    fast, used = read(text, compiled_pass=True, piece_bytes=700)
    assert used
    assert fast == read(text, compiled_pass=False, piece_bytes=700)[0]
    assert [issue.code for issue in fast] == ["KBC307"]


def test_repeats_are_confirmed_alike_without_the_extension() -> None:
    # Reason: without the extension, the log's records are sifted by Python, and keys hashed by Python's own hash.
    payments = [usual(n, ustrd="Factuur 7" if n % 4 else None) for n in range(1, 12)] + [usual(3), usual(5)]
    text = document(payments)
    with_extension = [(issue.code, issue.loc, issue.line) for issue in validate_pain001(text, today=TODAY).issues]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extension, "module", None)
        without = [(issue.code, issue.loc, issue.line) for issue in validate_pain001(text, today=TODAY).issues]
    assert with_extension == without
    assert {code for code, _, _ in without} == {"KBC907", "KBC908"}


def test_repeats_are_compared_on_disk_in_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reason: the repeats of a pain.001 file are confirmed by the key log, a few keys a partition (flat memory however
    # many payments repeat), and come out in document order, each naming its first occurrence's line.
    monkeypatch.setattr(key_log, "PART_KEYS", 4)
    payments = [usual(n % 7, ustrd=f"Factuur {n % 7}") for n in range(30)]
    text = document(payments)
    found = validate_pain001(text, today=TODAY).issues
    repeats = [(issue.code, issue.loc[3]) for issue in found]
    assert repeats == [(code, n) for n in range(7, 30) for code in ("KBC908", "KBC907")]  # by line
    for issue in found:
        first_line = line_of(text, "<CdtTrfTxInf>", issue.loc[3] % 7 + 1)[0]
        assert issue.message.endswith(f"line {first_line}.")
        assert issue.line == line_of(text, "<EndToEndId>" if issue.code == "KBC907" else "<CdtTrfTxInf>",
                                     issue.loc[3] + 1)[0]
