"""JSON and JSON Lines payment files as inputs (`reading.PaymentFile`), validated by `files.json_source`.

JSON is UTF-8 (``--encoding`` may say otherwise): bytes that do not decode are a finding (``KBC900``) at their line
and column. A ``.json`` file is read whole, so its repeated payments are known at once; a ``.jsonl`` file is read a
line at a time, and its repeated payments confirmed on a second pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from kbc_validate.files.json_source import json_lines_payments, validate_json_lines, validate_json_text
from kbc_validate.files.line_feeds import with_line_limit
from kbc_validate.files.located import Located, file_finding
from kbc_validate.files.reading import BUFFER, Input, second_pass
from kbc_validate.repeats.tracker import REPEAT_CODES, RepeatTracker, input_tracker


def recognise_service(body: Any) -> str:
    """The service a body's shape belongs to: a ``payments`` list is bulk; ``frequency`` or ``startDate``
    periodic; anything else a single payment."""
    if isinstance(body, dict):
        if isinstance(body.get("payments"), list):
            return "bulk-payments"
        if "frequency" in body or "startDate" in body:
            return "periodic-payments"
    return "payments"


class JsonFile:
    """A ``.json`` file: one body, a Berlin Group bulk body, or an array of bodies."""

    def __init__(self, source: Input) -> None:
        self.source = source

    def findings(self, stream: IO[bytes]) -> Iterator[Located]:
        source, options = self.source, self.source.options
        text, problem = decode(source.name, stream.read(), options.encoding)
        if problem is not None:
            source.stats.rows += 1
            yield problem
            return
        repeats = RepeatTracker(exact=True)  # the whole document is in memory already
        yield from validate_json_text(source.name, text, options.service, recognise_service, options.today,
                                      source.stats, repeats=repeats)

    def repeated(self) -> Iterator[Located]:
        """None left: the first pass reported them."""
        return iter(())


class JsonLinesFile:
    """A ``.jsonl`` file: one body a line; blank lines are counted and skipped."""

    def __init__(self, source: Input) -> None:
        self.source = source
        self.repeats = input_tracker(source.rereadable)
        self._long_lines: dict[int, str] = {}

    def findings(self, stream: IO[bytes]) -> Iterator[Located]:
        source, options = self.source, self.source.options
        problems: list[Located] = []
        # A line longer than any payment's (a file with no line feed, `/dev/zero`) is left out in bounded memory.
        stream, self._long_lines = with_line_limit(stream, BUFFER)
        # Repeats an exact tracker finds at once come last, at the line's first column, as a second pass gives them
        # (files and pipes now have theirs confirmed after the lines, `repeats.input_tracker`: none are found here).
        repeated: list[Located] = []
        lines = self._lines(stream, problems)
        for located in validate_json_lines(source.name, lines, options.service, recognise_service, options.today,
                                           source.stats, self.repeats):
            yield from self._drain(problems)
            if located.code in REPEAT_CODES:
                repeated.append(Located(source.name, located.line, 1, replace(located.issue,
                                                                              loc=located.issue.loc[-1:])))
                continue
            yield located
        yield from self._drain(problems)
        yield from repeated

    def repeated(self) -> Iterator[Located]:
        return second_pass(self.source, self.repeats, lambda again: json_lines_payments(
            self._lines(with_line_limit(again, BUFFER)[0], [])))

    def _drain(self, problems: list[Located]) -> Iterator[Located]:
        stats = self.source.stats
        while problems:
            stats.rows += 1  # an undecodable line is a payment read (validate_json_lines saw it blank)
            stats.blank_lines -= 1
            yield problems.pop(0)

    def _lines(self, stream: IO[bytes], problems: list[Located]) -> Iterator[str]:
        """The lines of the stream; a line that does not decode, or was too long to read, is noted in `problems`
        and left blank."""
        for number, raw in enumerate(stream, start=1):
            long_line = self._long_lines.get(number)
            if long_line is not None:
                problems.append(file_finding(self.source.name, number, 1, "KBC900", reason=long_line))
                yield ""
                continue
            text, problem = decode(self.source.name, raw, self.source.options.encoding, first_line=number)
            if problem is not None:
                problems.append(problem)
            yield text


def decode(name: str, data: bytes, encoding: str | None, first_line: int = 1) -> tuple[str, Located | None]:
    """The text of JSON bytes, or a KBC900 finding at the first byte that does not decode (and no text)."""
    try:
        return data.decode(encoding or "utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = first_line + before.count(b"\n")
        column = error.start - (before.rfind(b"\n") + 1) + 1
        reason = f"byte 0x{data[error.start]:02x} is not {encoding or 'UTF-8'} (JSON is UTF-8)"
        return "", file_finding(name, line, column, "KBC900", reason=reason)
