"""A CSV payment file as an input (`reading.PaymentFile`): the engine chosen for it, its rows validated by
`csv_source.validate_csv`, and repeated payments confirmed on a second pass over its rows.

`csv_engine` is the one place where the engine of a file is chosen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from kbc_validate.files.csv_source import CsvEngine, csv_bodies, validate_csv
from kbc_validate.files.line_feeds import with_line_feeds
from kbc_validate.files.located import Found, Located
from kbc_validate.files.reading import BUFFER, Input, InputError, second_pass
from kbc_validate.repeats.tracker import input_tracker


def csv_engine(source: Input) -> CsvEngine:
    """How `source` is validated: by the compiled pass on `--jobs` threads (default: one per CPU) when it is asked
    for or (``auto``) built, for a file that can be read twice; else row by row, in this process. Rows wanted one
    by one (``--errors-out``) are met row by row."""
    if not source.rereadable or source.hooks.on_row is not None or source.options.engine == "rows":
        return CsvEngine()
    from kbc_validate.files import compiled_csv

    if not compiled_csv.available():
        return CsvEngine()
    return CsvEngine(compiled=source.options.jobs or compiled_csv.default_threads())


class CsvFile:
    """A CSV file: a row is one payment (single or periodic)."""

    def __init__(self, source: Input) -> None:
        if source.options.service == "bulk-payments":
            raise InputError(f"{source.name}: a CSV row is one payment; --service bulk-payments applies to JSON "
                             "bodies only")
        self.source = source
        self.repeats = input_tracker(source.rereadable)

    def findings(self, stream: IO[bytes]) -> Iterator[Found]:
        return validate_csv(self.source, stream, self.repeats, csv_engine(self.source))

    def repeated(self) -> Iterator[Located]:
        stats = self.source.stats
        return second_pass(self.source, self.repeats, lambda again: csv_bodies(
            with_line_feeds(again, BUFFER)[0], stats.delimiter, stats.encoding, self.source.options.columns))
