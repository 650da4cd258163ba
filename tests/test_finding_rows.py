"""Runs of findings (`FindingRows`, the compiled pass's) are counted and written as their findings one by one."""

from __future__ import annotations

import io
import itertools
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbc_validate.causes import Cause, Severity
from kbc_validate.files import compiled_csv, finding_rows
from kbc_validate.files.finding_rows import FindingRows
from kbc_validate.findings import Issue
from kbc_validate.formats.github import GithubFormat
from kbc_validate.formats.json_format import JsonFormat
from kbc_validate.formats.sarif import SarifFormat
from kbc_validate.formats.summary import Summary
from kbc_validate.formats.text import TextFormat

# Runs are made by the compiled pass, whose extension renders and counts them.
pytestmark = pytest.mark.skipif(not compiled_csv.available(), reason="the compiled pass was not built here")

MESSAGES = st.sampled_from(["plain", 'a "quoted" \\ word', "Café \u00e9\u20ac", "tab\there", "line\nbreak", "",
                           "\x00\x1f\x7f\u2028\ufeff"])
FILES = st.sampled_from(["p\u00e9.csv", os.fsdecode(b"caf\xe9.csv"), "a\nb.csv"])


@st.composite
def finding_runs(draw: st.DrawFn) -> list[FindingRows]:
    """Findings in line order (several on a line, codes met again later, issues shared by rows), cut into runs."""
    codes = st.sampled_from(["KBC101", "KBC200", "KBC308", "KBC704", "KBC907"])
    issues = [Issue(draw(codes), Cause.INVALID_FORMAT, draw(st.sampled_from(list(Severity))),
                    draw(st.sampled_from([(), ("creditorName",)])), draw(MESSAGES), None) for _ in range(3)]
    lines = sorted(draw(st.lists(st.integers(2, 40), min_size=1, max_size=30)))
    rows = [(line, draw(st.integers(1, 9)), draw(st.sampled_from(issues))) for line in lines]
    cuts = sorted(draw(st.sets(st.integers(1, len(rows) - 1), max_size=4))) if len(rows) > 1 else []
    file = draw(FILES)
    scanner = compiled_csv.scanner_module()
    return [FindingRows.of(file, rows[start:end], scanner) for start, end in itertools.pairwise([0, *cuts, len(rows)])]


@given(finding_runs())
def test_runs_are_counted_as_their_findings_one_by_one(runs: list[FindingRows]) -> None:
    by_run, one_by_one = Summary(), Summary()
    for run in runs:
        by_run.add_table(run)
        for located in run.located():
            one_by_one.add(located)
    assert by_run == one_by_one


def written(make: Callable[[io.StringIO], Any], runs: list[FindingRows], *, by_run: bool) -> str:
    """What a format writes of `runs`, given as runs or as findings one by one."""
    stream = io.StringIO()
    out = make(stream)
    for run in runs:
        if by_run:
            out.table(run)
        else:
            for located in run.located():
                out.finding(located)
    out.finish(Summary())
    return stream.getvalue()


@given(finding_runs())
def test_runs_are_written_as_json_findings_one_by_one(runs: list[FindingRows]) -> None:
    expected = written(JsonFormat, runs, by_run=False)
    assert json.loads(expected)["findings"]
    assert written(JsonFormat, runs, by_run=True) == expected


@given(finding_runs())
def test_runs_are_written_as_text_findings_one_by_one(runs: list[FindingRows]) -> None:
    by_run, one_by_one = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    for run in runs:
        TextFormat(by_run, colour=False).table(run)
        for located in run.located():
            TextFormat(one_by_one, colour=False).finding(located)
    by_run.flush()
    assert by_run.buffer.getvalue().decode("utf-8") == one_by_one.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("writer", ["github", "sarif"])
@given(runs=finding_runs())
def test_runs_are_written_as_commands_and_results_one_by_one(writer: str, runs: list[FindingRows]) -> None:
    def make(stream: io.StringIO) -> GithubFormat | SarifFormat:
        return GithubFormat(stream) if writer == "github" else SarifFormat(stream, "1")

    assert written(make, runs, by_run=True) == written(make, runs, by_run=False)


@pytest.mark.parametrize("piece", [1, 100])
@given(runs=finding_runs())
def test_runs_written_in_pieces_are_written_as_one_by_one(piece: int, runs: list[FindingRows]) -> None:
    """The extension hands a run's output over in pieces of whole findings (`_PIECE` bytes, here one finding or a
    few a piece): written one after the other, they are the findings one by one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(finding_rows, "_PIECE", piece)
        for make in (JsonFormat, GithubFormat, lambda stream: SarifFormat(stream, "1")):
            assert written(make, runs, by_run=True) == written(make, runs, by_run=False)
        by_run = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        for run in runs:
            TextFormat(by_run, colour=False).table(run)
        by_run.flush()
        assert by_run.buffer.getvalue().decode("utf-8") == written(  # type: ignore[attr-defined]
            lambda stream: TextFormat(stream, colour=False), runs, by_run=False)
