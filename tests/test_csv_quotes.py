"""A quote opened and never closed: the csv module (and every spreadsheet) reads the rest of the file as one field, or
up to its field limit. Those lines are accounted for: one finding where the quote opened names them, the same from
the compiled pass and the per-row path."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files.csv_source import Lines
from tests.test_csv_engines import ENGINES, located_findings

HEADER = "creditor_iban;creditor_name;amount;end_to_end_id\n"
ROW = "BE71096123456769;Jansen BV;{0},00;E2E-{0}\n"
_SENTINEL = "\x01end\x01"


def _open_in_the_csv_module(text: str) -> bool:
    """Whether the csv module is inside a quoted field at the end of `text`: a line after it is swallowed."""
    rows = list(csv.reader(io.StringIO(text + "\n" + _SENTINEL + "\n"), delimiter=";"))
    return rows[-1] != [_SENTINEL]


@given(st.lists(st.text(alphabet='"; ab', max_size=8), min_size=1, max_size=5))
@settings(max_examples=500, deadline=None)
def test_lines_follow_quotes_as_the_csv_module_reads_them(lines: list[str]) -> None:
    text = "\n".join(lines)
    followed = Lines(io.BytesIO(text.encode()), "utf-8", delimiter=";")
    list(followed)  # read to the end
    assert bool(followed.quote) == _open_in_the_csv_module(text)
    assert bool(followed.problems) == bool(followed.quote)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_quote_never_closed_names_the_lines_it_takes_to_the_end(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "export.csv"
    rows = [ROW.format(n) for n in range(1, 10)]
    rows[2] = 'BE71096123456769;"Jansen BV;10,00;E2E-3\n'  # a stray quote at a field's start
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    found, stats, messages = located_findings(path, engine)
    assert found == [(4, 1, "KBC905")]  # the rows after it were neither counted nor reported
    assert "a quote opened on line 4 is never closed: lines 4 to 10" in messages[0]
    assert (stats.rows, stats.lines) == (3, 9)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_quote_not_closed_within_the_field_limit_names_the_lines_not_read(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "export.csv"
    rows = [ROW.format(n) for n in range(1, 6001)]
    rows[1] = 'BE71096123456769;Jansen BV;"10,00;E2E-2\n'
    rows[5990] = ROW.format(0)  # an amount of zero, after the lines not read
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    found, stats, messages = located_findings(path, engine)
    assert found == [(3, 1, "KBC905"), (5992, 3, "KBC200")]  # the module reads on after its limit
    said = re.search(r"a quote opened on line 3 is not closed within the csv module's limit of 131,072 characters: "
                     r"lines 3 to (\d+) are not read as rows", messages[0])
    assert said is not None
    assert 3000 < int(said[1]) < 5992
    assert stats.lines == 6000
    assert stats.rows == 6000 - (int(said[1]) - 3)
