"""``kbc-validate``: check payment files (JSON, JSON Lines, CSV) before they are sent to KBC.

Exit status: 0 when no error was found (warnings allowed), 1 when one was, 2 for a usage error or an input that
cannot be opened. Defaults can be set in the ``[tool.kbc-validate]`` table of the repository's ``pyproject.toml``.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from kbc_validate import __version__
from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Severity
from kbc_validate.files.config import ConfigError, load_config
from kbc_validate.files.inputs import InputError, ReadOptions, input_size, read_input, recognise_service
from kbc_validate.files.located import FileStats, Found, Located
from kbc_validate.files.pieces import ONE_THREAD
from kbc_validate.formats.summary import Summary
from kbc_validate.validate import SERVICES, brussels_today

__all__ = ["main", "recognise_service"]

FORMATS = ("text", "json", "github", "sarif")
ENGINES = ("auto", "compiled", "columns", "rows")


def _date(text: str) -> date:
    if len(text) != 10:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _codes(text: str) -> list[str]:
    codes = [code.strip().upper() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if not any(rule.startswith(code) for rule in RULES_BY_CODE)]
    if unknown:
        raise argparse.ArgumentTypeError(f"no rule code starts with {', '.join(unknown)}")
    return codes


def _encoding(text: str) -> str:
    try:
        return codecs.lookup(text).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}") from None


def _one_of(choices: tuple[str, ...]) -> Any:
    def choice(text: str) -> str:
        if text not in choices:
            raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(choices)}")
        return text

    return choice


def _jobs(text: str | int) -> int:
    """A whole number from 1, from the command line (text) or pyproject (an integer; not 2.5, not true)."""
    whole = type(text) is int or (isinstance(text, str) and text.strip().isdigit())
    if not whole or int(text) < 1:
        raise argparse.ArgumentTypeError(f"jobs is a whole number from 1, not {text!r}")
    return int(text)


def _delimiter(text: str) -> str:
    text = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(text.lower(), text)
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"a delimiter is one character (or 'tab'), not {text!r}")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kbc-validate", description=__doc__.splitlines()[0],
        epilog="Exit status: 0 no error, 1 errors found, 2 usage error or unreadable input.",
    )
    add = parser.add_argument
    add("files", nargs="*", metavar="FILE", help=".json, .jsonl or .csv files; - reads standard input")
    add("--service", choices=SERVICES, help="payment service of JSON bodies (default: recognised from the shape)")
    add("--today", type=_date, help="date execution dates are compared with (default: today in Brussels)")
    add("--format", choices=FORMATS, default="text", help="output format (default: text)")
    add("--select", type=_codes, default=[], help="report only these codes or prefixes (KBC3,KBC401)")
    add("--ignore", type=_codes, default=[], help="do not report these codes or prefixes")
    add("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    add("-o", "--output", metavar="FILE", help="write the findings to FILE instead of standard output")
    add("-q", "--quiet", action="store_true", help="findings only: no progress bar, no summary")
    add("--explain", metavar="CODE", help="explain a rule and exit")
    add("--delimiter", type=_delimiter, help="CSV delimiter (default: sniffed among ; , and tab)")
    add("--encoding", type=_encoding, help="input encoding (default: detected: UTF-8, UTF-8 with BOM or cp1252)")
    add("--errors-out", metavar="FILE.csv", help="write the CSV rows with errors, with codes and messages, to FILE")
    add("--report", metavar="FILE.html", help="write a self-contained HTML report to FILE")
    add("--engine", choices=ENGINES, default="auto",
        help="CSV engine: compiled (the Rust pass), columns (the fast extra), rows (pure Python), auto (the first "
             "installed)")
    add("--jobs", type=_jobs, help="processes that validate a large CSV file (default: one per CPU; 1: no others)")
    add("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    try:
        config = load_config(Path.cwd())
    except ConfigError as error:
        parser.error(str(error))
    converters = {"today": _date, "select": _codes, "ignore": _codes, "encoding": _encoding, "delimiter": _delimiter,
                  "format": _one_of(FORMATS), "engine": _one_of(ENGINES), "service": _one_of(SERVICES), "jobs": _jobs}
    try:
        defaults = {key: converters[key](value) if key in converters else value for key, value in config.items()}
    except argparse.ArgumentTypeError as error:
        parser.error(f"pyproject.toml [tool.kbc-validate]: {error}")
    parser.set_defaults(**defaults)
    args = parser.parse_args(argv)
    if not args.files and not args.explain:
        parser.error("give at least one FILE (or - for standard input)")
    if args.engine == "columns":
        from kbc_validate.columnar import available

        if not available():
            parser.error("--engine columns needs the fast extra: pip install 'kbc-validate[fast]'")
    if args.engine == "compiled":
        from kbc_validate.files import compiled_csv

        if not compiled_csv.available():
            parser.error("--engine compiled: the compiled pass was not built here (no Rust toolchain when installing)")
    for option, path in (("-o", args.output), ("--errors-out", args.errors_out), ("--report", args.report)):
        folder = Path(path).parent if path else None
        if folder is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
            parser.error(f"{option} {path}: cannot write there ({folder} is not a writable folder)")
    return args


def explain(code: str, out: TextIO) -> int:
    rule = RULES_BY_CODE.get(code.upper())
    if rule is None:
        print(f"kbc-validate: no rule {code!r}; the README lists every rule", file=sys.stderr)
        return 2
    out.write(f"{rule.code} {rule.name}\n\n{rule.doc}\n\ncause: {rule.cause}\nseverity: {rule.severity}\n"
              f"Berlin Group code: {rule.berlin_group_code}\nmessage: {rule.template}\n")
    return 0


def _kept(args: argparse.Namespace) -> Any:
    select, ignore = tuple(args.select), tuple(args.ignore)
    return lambda code: (not select or code.startswith(select)) and not (ignore and code.startswith(ignore))


def _emit(item: Found, args: argparse.Namespace, kept: Any, summary: Summary, formatter: Any) -> bool:
    """Count and write one finding, or a table of them; True when an error is among those kept."""
    if isinstance(item, Located):
        if not kept(item.code):
            return False
        summary.add(item)
        formatter.finding(item)
        return item.issue.severity is Severity.ERROR
    table = item.kept(tuple(args.select), tuple(args.ignore))
    summary.add_table(table)
    if hasattr(formatter, "table"):
        formatter.table(table)
    else:
        for located in table.located():
            formatter.finding(located)
    return bool(table.has_errors())


def _formatter(args: argparse.Namespace, out: TextIO) -> Any:
    if args.format == "json":
        from kbc_validate.formats.json_format import JsonFormat
        return JsonFormat(out)
    if args.format == "github":
        from kbc_validate.formats.github import GithubFormat
        return GithubFormat(out)
    if args.format == "sarif":
        from kbc_validate.formats.sarif import SarifFormat
        return SarifFormat(out, __version__)
    from kbc_validate.formats.text import TextFormat
    colour = out.isatty() and "NO_COLOR" not in os.environ
    return TextFormat(out, colour=colour)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if "polars" not in sys.modules and args.jobs != 1:
        # This process validates pieces beside its workers, one core each (`files.pieces.ONE_THREAD`); read
        # whole, a file is validated as fast on one polars thread as on several (polars is first imported later).
        os.environ.setdefault("POLARS_MAX_THREADS", ONE_THREAD)
    if args.explain:
        return explain(args.explain, sys.stdout)
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    except OSError as error:
        print(f"kbc-validate: {args.output}: cannot write: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        return _run(args, out)
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        if out is not sys.stdout:
            out.close()


def _run(args: argparse.Namespace, out: TextIO) -> int:
    formatter, kept, summary = _formatter(args, out), _kept(args), Summary()
    errors_csv = _errors_csv(args)
    status = 0
    # One "today" for the whole run, even one that runs past midnight, read from the clock once.
    options = ReadOptions(args.service, args.today or brussels_today(), args.delimiter, args.encoding, args.engine,
                          args.jobs)
    _say_if_not_compiled(args)
    for name in args.files:
        try:
            for item in _findings(name, options, args, summary, errors_csv):
                if _emit(item, args, kept, summary, formatter):
                    status = max(status, 1)
        except InputError as error:
            print(f"kbc-validate: {error}", file=sys.stderr)
            status = 2
    formatter.finish(summary)
    _finish(args, summary, errors_csv)
    return 0 if args.exit_zero and status == 1 else status


def _say_if_not_compiled(args: argparse.Namespace) -> None:
    """One line on standard error when CSV files are read without the compiled pass, which was not built here."""
    if args.engine == "auto" and any(Path(name).suffix.lower() == ".csv" for name in args.files):
        from kbc_validate.files import compiled_csv

        if not compiled_csv.available():
            print(compiled_csv.NOT_INSTALLED, file=sys.stderr)


def _findings(
    name: str, options: ReadOptions, args: argparse.Namespace, summary: Summary, errors_csv: Any
) -> Iterator[Found]:
    stats = FileStats()
    summary.files += 1
    hooks = {} if errors_csv is None else {"on_header": errors_csv.start, "on_row": errors_csv.row}
    size = None if args.quiet or not sys.stderr.isatty() else input_size(name)
    if size:
        from kbc_validate.formats.progress import progress_bar

        with progress_bar(name, size, stats) as on_progress:
            yield from read_input(name, options, stats, on_progress=on_progress, **hooks)
    else:
        yield from read_input(name, options, stats, **hooks)
    summary.rows += stats.rows


def _errors_csv(args: argparse.Namespace) -> Any:
    if not args.errors_out:
        return None
    from kbc_validate.formats.errors_csv import ErrorsCsv
    return ErrorsCsv(args.errors_out)


def _finish(args: argparse.Namespace, summary: Summary, errors_csv: Any) -> None:
    if errors_csv is not None:
        errors_csv.close()
    if args.report:
        from kbc_validate.formats.html_report import render

        Path(args.report).write_text(render(summary, args.files, datetime.now()), encoding="utf-8")
    if not args.quiet and args.format == "text" and summary.counts:
        from kbc_validate.formats.summary import print_table

        print_table(summary, sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
