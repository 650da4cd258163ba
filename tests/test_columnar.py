"""The column engine's vectorised acceptors never pass what the rule reports, and its conversions read cells as
the CSV reader does; its memo of checked values changes no finding (`validate_batch` over tables)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbc_validate.columnar import clean, engine
from kbc_validate.columnar.batch import validate_batch
from kbc_validate.columnar.engine import converted
from kbc_validate.files.csv_columns import cell_value, column
from kbc_validate.rules.account import ACCOUNT
from kbc_validate.rules.amount import AMOUNT
from kbc_validate.rules.bodies import SINGLE
from kbc_validate.rules.context import Context
from kbc_validate.rules.members import Vector
from kbc_validate.rules.remittance import STRUCTURED
from tests.bodies import TODAY
from tests.strategies import amounts, basic_text, iban_candidates, valid_ibans, valid_ogms
from tests.test_csv_engines import ADVERSARIAL


# -- the vectorised acceptors never pass what the rule reports ------------------------------------------------
def _clean(vector: Vector, cells: list[str]) -> list[bool]:
    frame = pl.DataFrame({"f0": cells}, schema={"f0": pl.String})
    return frame.select(clean.member_clean(vector, pl.col("f0"))).to_series().to_list()


def _reports(member: str, value: Any, spec: Any = SINGLE) -> bool:
    ctx = Context(TODAY)
    spec.checks[member](value, (member,), ctx)
    return bool(ctx.issues)


def never_issued_belgian(first_ten: int) -> str:
    """A Belgian IBAN whose check digits 00, 01 or 99 pass mod 97 (congruent to 97, 98 or 02): never issued."""
    while True:
        digits = f"{first_ten % 10**10:010d}"
        bban = digits + f"{int(digits) % 97 or 97:02d}"
        check = 98 - int(bban + "111400") % 97
        if check in (2, 97, 98):
            return f"BE{(check + 97) % 194 if check == 2 else check - 97:02d}{bban}"
        first_ten += 1


MEMBER_CELLS = st.one_of(st.integers(0, 10**10).map(never_issued_belgian), st.sampled_from(ADVERSARIAL), st.text(max_size=40), basic_text(140), amounts, valid_ogms(),
                         iban_candidates(), valid_ibans(["BE"]))


@given(st.lists(MEMBER_CELLS, min_size=1, max_size=20),
       st.sampled_from(["creditorName", "endToEndIdentification", "remittanceInformationUnstructured",
                        "amount", "currency", "iban"]))
def test_a_vectorised_acceptor_passes_only_clean_values(cells: list[str], member: str) -> None:
    spec = {"amount": AMOUNT, "currency": AMOUNT, "iban": ACCOUNT}.get(member, SINGLE)
    vector = spec.vectors[member]
    assert vector is not None
    for cell, passed in zip(cells, _clean(vector, cells), strict=True):
        if passed:
            assert not _reports(member, cell, spec), cell


AMOUNT_CELLS = st.one_of(st.sampled_from(ADVERSARIAL), amounts, amounts.map(lambda amount: amount.replace(".", ",")),
                         st.from_regex(r"[0-9]{1,12}[.,][0-9]{0,4}", fullmatch=True),
                         st.text(alphabet="0123456789.,", max_size=14))


@given(st.lists(AMOUNT_CELLS, min_size=1, max_size=20))
def test_the_decimal_comma_acceptor_passes_only_cells_read_as_clean_amounts(cells: list[str]) -> None:
    vector = AMOUNT.vectors["amount"]
    assert vector is not None
    for cell, passed in zip(cells, _clean(clean.decimal_comma(vector), cells), strict=True):
        if passed:  # as written in a ";" file, where the reader takes a decimal comma
            assert not _reports("amount", cell_value("instructedAmount.amount", cell, ";"), AMOUNT), cell


@given(st.lists(st.one_of(st.sampled_from(ADVERSARIAL), valid_ogms(), valid_ogms().map(
    lambda d: f"+++{d[:3]}/{d[3:7]}/{d[7:]}+++"), st.from_regex(r"[0-9+/]{12,20}", fullmatch=True)), min_size=1),
    st.sampled_from(["", "BBA", "ISO", "iso", "bba", "OTHER"]))
def test_the_structured_acceptor_passes_only_clean_references(references: list[str], issuer: str) -> None:
    frame = pl.DataFrame({"reference": references, "issuer": [issuer] * len(references)})
    cells = {"reference": pl.col("reference"), "referenceIssuer": pl.col("issuer")}
    passed = frame.select(clean.structured_clean(STRUCTURED, cells, None)).to_series().to_list()
    for reference, ok in zip(references, passed, strict=True):
        value = {"reference": reference} | ({"referenceIssuer": issuer} if issuer else {})
        if ok:
            assert not _reports("remittanceInformationStructured", value), value


@given(st.lists(st.one_of(st.sampled_from(ADVERSARIAL), st.text(alphabet="0123456789.,", max_size=12),
                          st.text(max_size=12)), min_size=1), st.sampled_from([";", ","]))
def test_vectorised_conversion_reads_cells_as_the_csv_reader_does(cells: list[str], delimiter: str) -> None:
    for path in ("instructedAmount.amount", "creditorAccount.iban"):
        spec = column(0, tuple(path.split(".")), delimiter, None)
        frame = pl.DataFrame({"f0": cells}, schema={"f0": pl.String})
        ours = frame.select(converted(spec, delimiter)).to_series().to_list()
        for cell, value in zip(cells, ours, strict=True):
            if cell.isascii():
                assert value == cell_value(path, cell, delimiter)


def test_findings_are_the_same_when_the_memo_of_values_is_emptied(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo of checked values is emptied past a few thousand values (one-off faulty values would make it grow
    with the table): values met again after that are checked again, with the same findings."""
    table = pl.DataFrame({
        "creditor_iban": [f"BE7109612345676{number % 10}" for number in range(60)],
        "creditor_name": ["Café Zeeman"] * 60,
        "amount": [f"{number % 7},00" for number in range(60)],
        "currency": [["", "USD"][number % 2] for number in range(60)],
    })
    remembered = validate_batch(table, today=TODAY, decimal_comma=True)
    monkeypatch.setattr(engine, "_MEMO_LIMIT", 4)
    forgotten = validate_batch(table, today=TODAY, decimal_comma=True)
    assert forgotten.to_dicts() == remembered.to_dicts()
    assert {"KBC308", "KBC704", "KBC200", "KBC210"} <= set(forgotten["code"])
