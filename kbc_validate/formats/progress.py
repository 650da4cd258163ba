"""A progress bar on standard error for large inputs (rows, rows per second, time left); rich, imported here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kbc_validate.files.located import FileStats, display_name


@contextmanager
def progress_bar(name: str, total_bytes: int, stats: FileStats) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (
        TextColumn("[bold]{task.description}"), BarColumn(),
        TextColumn("{task.fields[rows]:,} rows"), TextColumn("{task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(escape(display_name(name)), total=total_bytes, rows=0, rate=0.0)

        def update(bytes_read: int) -> None:
            elapsed = progress.tasks[task].elapsed or 0.0
            rate = stats.rows / elapsed if elapsed else 0.0
            progress.update(task, completed=bytes_read, rows=stats.rows, rate=rate)

        yield update
