"""One input of the command line (a ``.json``, ``.jsonl``, ``.csv`` or pain.001 ``.xml`` file, or ``-`` for standard
input) read into located findings, whatever its kind: each kind is a reader behind `reading.PaymentFile`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kbc_validate.files.located import FileStats, Found
from kbc_validate.files.reading import Hooks, Input, InputError, PaymentFile, ReadOptions

__all__ = ["KINDS", "Hooks", "Input", "InputError", "ReadOptions", "input_kind", "input_size", "read_input",
           "reader_for", "recognise_service"]

KINDS = ("json", "jsonl", "csv", "xml")
_HEAD = 4096
# Byte order marks of UTF-32 and UTF-16 (UTF-32 first: its little-endian mark starts with UTF-16's).
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
              (b"\xfe\xff", "utf-16-be"))


def recognise_service(body: Any) -> str:
    """`json_input.recognise_service`, whose module (the JSON readers, about 10 ms of imports) is imported when first
    needed: a run over CSV or XML files does not pay for it."""
    from kbc_validate.files.json_input import recognise_service as recognise

    return recognise(body)


def input_kind(name: str, head: bytes = b"") -> str:
    """The kind of an input, from its extension, or for standard input from its first characters."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in KINDS:
        return suffix
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<" or _wide_text(head).lstrip().startswith("<"):
        return "xml"
    if start in (b"{", b"["):
        first_line = head.split(b"\n", 1)[0].strip()
        return "jsonl" if start == b"{" and first_line.endswith(b"}") and head.count(b"\n{") else "json"
    return "csv"


def _wide_text(head: bytes) -> str:
    """The first characters of a head that starts with a UTF-16 or UTF-32 byte order mark, else nothing."""
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return head[len(bom) : len(bom) + 64].decode(encoding, "ignore")
    return ""


def reader_for(kind: str) -> Callable[[Input], PaymentFile]:
    """The reader of a kind of input (its module is imported when first needed)."""
    if kind == "xml":
        from kbc_validate.files.pain001_input import Pain001File

        return Pain001File
    if kind == "csv":
        from kbc_validate.files.csv_input import CsvFile

        return CsvFile
    from kbc_validate.files.json_input import JsonFile, JsonLinesFile

    return JsonLinesFile if kind == "jsonl" else JsonFile


def read_input(name: str, options: ReadOptions, stats: FileStats, hooks: Hooks | None = None) -> Iterator[Found]:
    """Every finding of one input, in file order (repeated payments found on a second pass come last)."""
    source = Input(name, options, stats, hooks or Hooks())
    with source.open() as stream:
        head = stream.peek(_HEAD)[:_HEAD] if hasattr(stream, "peek") else b""
        stats.kind = input_kind(name, head)
        reader = reader_for(stats.kind)(source)
        yield from reader.findings(stream)
    yield from reader.repeated()


def input_size(name: str) -> int | None:
    try:
        return None if name == "-" else Path(name).stat().st_size
    except OSError:
        return None
