"""A progress bar on standard error for large inputs (rows, rows per second, time elapsed, time left), each figure
labelled in the run's language; rich, imported here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kbc_validate.files.located import FileStats, display_name
from kbc_validate.translations import Translator


def progress_columns(tr: Translator) -> tuple[Any, ...]:
    """The bar's columns: the file, the bar, rows read, rows a second, then each time followed by what it is."""
    from rich.markup import escape
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return (
        TextColumn("[bold]{task.description}"), BarColumn(),
        TextColumn("{task.fields[rows]} " + escape(tr("rows"))),
        TextColumn("{task.fields[rate]} " + escape(tr("rows/s"))),
        TimeElapsedColumn(), TextColumn(escape(tr("elapsed"))), TimeRemainingColumn(), TextColumn(escape(tr("left"))),
    )


@contextmanager
def progress_bar(name: str, total_bytes: int, stats: FileStats, tr: Translator) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress

    with Progress(*progress_columns(tr), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(escape(display_name(name)), total=total_bytes, rows="0", rate="0")

        def update(bytes_read: int) -> None:
            elapsed = progress.tasks[task].elapsed or 0.0
            rate = round(stats.rows / elapsed) if elapsed else 0
            progress.update(task, completed=bytes_read, rows=tr.number(stats.rows), rate=tr.number(rate))

        yield update
