"""A run of findings of one file, in line order, written a run at a time in the same words as one `Located` at a
time: the compiled pass's findings (`files.compiled_csv`), where most findings share their issue (one faulty value
in many rows).

A run holds each distinct finding (a column and an issue) once, and a (line, id) pair a finding, as the bytes of
two arrays of unsigned 64-bit integers (native order, as the extension reads them without a copy). Each distinct
finding's words are rendered once, in Python, by the code the per-row path writes with (`json.dumps`, the text
format's f-string); the extension (`kbc_validate._scan`) only repeats them with each finding's line, and counts
the run for the summary."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeAlias

from kbc_validate.causes import Severity
from kbc_validate.files.located import Located
from kbc_validate.findings import Issue

_RENDERED_LIMIT = 1 << 14  # distinct findings' words kept by a writer (`Rendered`) across runs
# The bytes of a piece of a run's output: small enough for memory the allocator hands out again piece after piece
# (a whole block's output, 2 MiB in JSON, was fresh memory each time, its pages faulted in by the kernel), large
# enough for few writes (64 KiB pieces took 0.021 to 0.024 s to write 56 MB, these 0.015).
_PIECE = 1 << 18
_TALLY_FIRST = 8  # first lines of each code a run's tally keeps (the summary asks for 6)


@dataclass(frozen=True)
class FindingRows:
    file: str
    lines: bytes  # array("Q")'s bytes: each finding's line, in line order
    ids: bytes  # array("Q")'s bytes: each finding's index in `distinct`
    distinct: list[tuple[int, Issue]]  # (column, issue)
    scanner: Any  # the extension module, which renders and counts the run

    @classmethod
    def of(cls, file: str, rows: list[tuple[int, int, Issue]], scanner: Any) -> FindingRows:
        """The run of (line, column, issue) findings in line order (an issue object met again is one distinct
        finding at each column)."""
        ids: dict[tuple[int, int], int] = {}
        distinct: list[tuple[int, Issue]] = []
        for _, column, issue in rows:
            if (column, id(issue)) not in ids:
                ids[(column, id(issue))] = len(distinct)
                distinct.append((column, issue))
        lines = array("Q", (line for line, _, _ in rows)).tobytes()
        indexes = array("Q", (ids[(column, id(issue))] for _, column, issue in rows)).tobytes()
        return cls(file, lines, indexes, distinct, scanner)

    def __len__(self) -> int:
        return len(self.lines) // 8

    def pairs(self) -> Iterator[tuple[int, int]]:
        """(line, id) of each finding, in line order."""
        return zip(memoryview(self.lines).cast("Q"), memoryview(self.ids).cast("Q"), strict=True)

    @property
    def rows(self) -> list[tuple[int, int, Issue]]:
        """(line, column, issue) of each finding, in line order."""
        return [(line, *self.distinct[index]) for line, index in self.pairs()]

    def moved(self, lines: int) -> FindingRows:
        """The same findings `lines` lines further down."""
        moved = array("Q", (line + lines for line, _ in self.pairs())).tobytes()
        return FindingRows(self.file, moved, self.ids, self.distinct, self.scanner)

    def kept(self, select: tuple[str, ...], ignore: tuple[str, ...]) -> FindingRows:
        """The findings whose codes `--select` and `--ignore` keep."""
        if not (select or ignore):
            return self
        keep = [(not select or issue.code.startswith(select)) and not (ignore and issue.code.startswith(ignore))
                for _, issue in self.distinct]
        if all(keep):
            return self
        pairs = [(line, index) for line, index in self.pairs() if keep[index]]
        return FindingRows(self.file, array("Q", (line for line, _ in pairs)).tobytes(),
                           array("Q", (index for _, index in pairs)).tobytes(), self.distinct, self.scanner)

    def has_errors(self) -> bool:
        return any(True for _ in self.error_lines())

    @cached_property
    def _tallied(self) -> tuple[list[str], Any]:
        """The run counted once for the summary, the report and the exit status (`_TALLY_FIRST` first lines)."""
        return self._tally(_TALLY_FIRST)

    def _tally(self, first: int) -> tuple[list[str], Any]:
        codes: dict[str, int] = {}
        code_of = [codes.setdefault(issue.code, len(codes)) for _, issue in self.distinct]
        errors = [issue.severity is Severity.ERROR for _, issue in self.distinct]
        return list(codes), self.scanner.tally(self.lines, self.ids, code_of, errors, first)

    def error_lines(self) -> Iterator[tuple[int, str]]:
        """(line, code) of the first error of each line that has errors, in line order."""
        for line, index in self.first_errors():
            yield line, self.distinct[index][1].code

    def first_errors(self) -> list[tuple[int, int]]:
        """(line, id) of the first error of each line that has errors, in line order (each line once)."""
        _, (_, first_errors) = self._tallied
        return list(first_errors)

    def per_code(self, first: int) -> Iterator[tuple[str, int, int, list[int], int]]:
        """(code, number of findings, number of distinct lines, the `first` distinct lines, the last line) for each
        code, codes in order of their first finding."""
        names, (tallies, _) = self._tallied if first <= _TALLY_FIRST else self._tally(first)
        for code, count, distinct, first_lines, last in tallies:
            yield names[code], count, distinct, first_lines[:first], last

    def located(self) -> Iterator[Located]:
        for line, index in self.pairs():
            column, issue = self.distinct[index]
            yield Located(self.file, line, column, issue)

    def rendered(self, words: Rendered, separator: bytes) -> Iterator[bytes]:
        """Each finding in a writer's words (`Rendered`: before its line, and after it), `separator`-separated, in
        UTF-8, as the writer writes one `Located` at a time: in pieces of whole findings, to be written one after
        the other."""
        before, after = words.words(self.file, self.distinct)
        pieces: Iterator[bytes] = self.scanner.render(self.lines, self.ids, before, after, separator, _PIECE)
        return pieces


Words: TypeAlias = Callable[[str, int, Issue], tuple[str, str]]


class Rendered:
    """A writer's words for the distinct findings of runs, before and after each finding's line, made once by the
    writer's own function (`Words`: file, column, issue) for all its runs. Findings alike in all that a writer
    writes of them (code, cause, severity, place, message) share their words: a faulty value met in every block, or
    a mandatory member missing from many rows set aside (one `Issue` each)."""

    def __init__(self, words: Words) -> None:
        self._render = words
        self._words: dict[tuple[Any, ...], tuple[bytes, bytes]] = {}

    def words(self, file: str, distinct: list[tuple[int, Issue]]) -> tuple[list[bytes], list[bytes]]:
        before, after = [], []
        for column, issue in distinct:
            key = (file, column, issue.code, issue.cause, issue.severity, issue.loc, issue.message)
            known = self._words.get(key)
            if known is None:
                if len(self._words) >= _RENDERED_LIMIT:
                    self._words.clear()
                head, tail = self._render(file, column, issue)
                known = self._words[key] = (head.encode(), tail.encode())
            before.append(known[0])
            after.append(known[1])
        return before, after
