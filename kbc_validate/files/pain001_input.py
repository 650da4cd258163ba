"""A pain.001 XML file as an input (`reading.PaymentFile`): KBC's bulk payment, read by `pain001.Pain001Reader`.

Each transaction (``CdtTrfTxInf``) is a payment read. The reader streams the document in flat memory and reads it a
second time itself when payments may repeat (a file can be read again; standard input is read once and its repeats
are found exactly). Every finding is placed at its element's line and character column. The document says its own
encoding, and a pain.001 file is always a bulk payment, so ``--encoding`` and ``--service`` do not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from kbc_validate.files.located import Located
from kbc_validate.files.reading import Input
from kbc_validate.validate import brussels_today


class Pain001File:
    """A pain.001 document: its findings, in document order within each transaction (counts and control sums when
    their block or the message ends, repeated payments last)."""

    def __init__(self, source: Input) -> None:
        self.source = source

    def findings(self, stream: IO[bytes]) -> Iterator[Located]:
        from kbc_validate.pain001 import Pain001Reader

        source, stats = self.source, self.source.stats
        read_before = stats.rows
        reader = Pain001Reader(_Watched(stream, lambda: self._progress(stream, read_before + reader.transactions)),
                               today=source.options.today or brussels_today())
        for issue in reader.findings():
            yield Located(source.name, issue.line or 1, issue.column or 1, issue)
        stats.rows = read_before + reader.transactions

    def repeated(self) -> Iterator[Located]:
        """None left: `Pain001Reader` confirms repeated payments itself, as the last of its findings."""
        return iter(())

    def _progress(self, stream: IO[bytes], transactions: int) -> None:
        self.source.stats.rows = transactions
        on_progress = self.source.hooks.on_progress
        if on_progress is not None and stream.seekable():
            on_progress(stream.tell())


class _Watched:
    """A binary stream that calls `after_read` after every read: the progress bar follows the reader."""

    def __init__(self, stream: IO[bytes], after_read: Callable[[], None]) -> None:
        self._stream, self._after_read = stream, after_read

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._after_read()
        return data

    def seekable(self) -> bool:
        return self._stream.seekable()

    def tell(self) -> int:
        return self._stream.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
