"""A run of findings of one file, in line order, kept as (line, column, issue) and written a run at a time, in the
same words as one `Located` at a time: the compiled pass's findings (`files.compiled_csv`), where most findings
share their issue (one faulty value in many rows), so that each issue's words are rendered once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from kbc_validate.causes import Severity
from kbc_validate.files.located import Located, display_name
from kbc_validate.findings import Issue


@dataclass(frozen=True)
class FindingRows:
    file: str
    rows: list[tuple[int, int, Issue]]  # (line, column, issue), in line order

    def __len__(self) -> int:
        return len(self.rows)

    def moved(self, lines: int) -> FindingRows:
        """The same findings `lines` lines further down."""
        return FindingRows(self.file, [(line + lines, column, issue) for line, column, issue in self.rows])

    def kept(self, select: tuple[str, ...], ignore: tuple[str, ...]) -> FindingRows:
        """The findings whose codes `--select` and `--ignore` keep."""
        if not (select or ignore):
            return self
        kept = [row for row in self.rows
                if (not select or row[2].code.startswith(select)) and not (ignore and row[2].code.startswith(ignore))]
        return FindingRows(self.file, kept)

    def has_errors(self) -> bool:
        return any(issue.severity is Severity.ERROR for _, _, issue in self.rows)

    def error_lines(self) -> Iterator[tuple[int, str]]:
        """(line, code) of the first error of each line that has errors, in line order."""
        last = None
        for line, _, issue in self.rows:
            if issue.severity is Severity.ERROR and line != last:
                last = line
                yield line, issue.code

    def located(self) -> Iterator[Located]:
        for line, column, issue in self.rows:
            yield Located(self.file, line, column, issue)

    def per_code(self, first: int) -> Iterator[tuple[str, int, int, list[int], int]]:
        """(code, number of findings, number of distinct lines, the `first` distinct lines, the last line) for each
        code, codes in order of their first finding."""
        codes: dict[str, list[int]] = {}  # code: [count, distinct lines, last line]
        firsts: dict[str, list[int]] = {}
        for line, _, issue in self.rows:
            entry = codes.get(issue.code)
            if entry is None:
                codes[issue.code] = [1, 1, line]
                firsts[issue.code] = [line]
                continue
            entry[0] += 1
            if entry[2] != line:
                entry[1] += 1
                entry[2] = line
                if len(firsts[issue.code]) < first:
                    firsts[issue.code].append(line)
        for code, (count, distinct, last) in codes.items():
            yield code, count, distinct, firsts[code], last

    def text(self) -> str:
        """``file:line:col: CODE message (at path)`` lines, as `formats.text` writes them without colour."""
        words: dict[int, str] = {}
        lines = []
        file = display_name(self.file)  # a name that is not UTF-8 escaped, as `formats.text` prints it
        for line, column, issue in self.rows:
            said = words.get(id(issue))
            if said is None:
                path = f" (at {issue.path})" if issue.path else ""
                said = words[id(issue)] = f" {issue.code} {issue.message}{path}\n"
            lines.append(f"{file}:{line}:{column}:{said}")
        return "".join(lines)

    def json_items(self) -> list[str]:
        """Each finding as ``json.dumps(located.as_dict(), ensure_ascii=False)`` writes it."""
        start = f'{{"file": {json.dumps(display_name(self.file), ensure_ascii=False)}, "line": '
        rests: dict[int, str] = {}
        items = []
        for line, column, issue in self.rows:
            rest = rests.get(id(issue))
            if rest is None:
                rest = rests[id(issue)] = _rest(issue)
            items.append(f"{start}{line}, \"column\": {column}, {rest}")
        return items


def _rest(issue: Issue) -> str:
    """The members of a finding's JSON object after its column, and the closing brace."""
    whole = json.dumps({"path": issue.path, "cause": str(issue.cause), "code": issue.code,
                        "severity": str(issue.severity), "message": issue.message}, ensure_ascii=False)
    return whole[1:]
