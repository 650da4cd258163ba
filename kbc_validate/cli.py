"""``kbc-validate``: check payment files (JSON, JSON Lines, CSV, pain.001 XML) before they are sent to KBC.

Exit status: 0 when no error was found (warnings allowed), 1 when one was, 2 for a usage error or an input that
cannot be opened. Defaults can be set in the ``[tool.kbc-validate]`` table of the repository's ``pyproject.toml``.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from kbc_validate.catalogue import RULES_BY_CODE
from kbc_validate.causes import Severity
from kbc_validate.files.config import ConfigError, load_config
from kbc_validate.files.csv_columns import parse_mapping
from kbc_validate.files.discover import SKIPPED, payment_files
from kbc_validate.files.inputs import KINDS, Hooks, InputError, ReadOptions, input_size, read_input, recognise_service
from kbc_validate.files.located import FileStats, Found, Located
from kbc_validate.formats.summary import Summary
from kbc_validate.translations import LANGUAGES, Translator, language_from_environment, translated, translator
from kbc_validate.validate import BRUSSELS, SERVICES, brussels_today

__all__ = ["main", "recognise_service", "run"]

FORMATS = ("text", "json", "github", "sarif")
ENGINES = ("auto", "compiled", "columns", "rows")  # "columns": removed; still taken, read as "auto" (a notice)
COLUMNS_REMOVED = ('kbc-validate: the column engine (engine "columns") was removed; CSV files are read as with '
                   '"auto" (by the compiled pass, when it was built)')


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


_ASCII = "\n\r\t \"';,.=+-@/azAZ09\\x\\u" + "0" * 64  # read as it is by every encoding the readers can take


def _encoding(text: str) -> str:
    """A text encoding that writes ASCII as ASCII, as the readers need (they find line ends and delimiters in the
    bytes): UTF-8, cp1252, latin-1...; not UTF-16 or UTF-32, nor a codec of bytes (hex, base64, zlib, rot13)."""
    try:
        info = codecs.lookup(text)
    except (LookupError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}") from None
    try:
        ascii_compatible = getattr(info, "_is_text_encoding", True) and info.decode(_ASCII.encode())[0] == _ASCII
    except (UnicodeError, TypeError, ValueError):
        ascii_compatible = False
    if not ascii_compatible:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an encoding of text that writes ASCII as ASCII (such as utf-8, cp1252 or latin-1)")
    return info.name


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


def _column(text: str) -> tuple[str, str]:
    header, equals, member = text.rpartition("=")
    if not equals or not header.strip() or not member.strip():
        raise argparse.ArgumentTypeError(f'a column mapping is "HEADER=member", not {text!r}')
    return header, member.strip()


def _delimiter(text: str) -> str:
    text = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(text.lower(), text)
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"a delimiter is one character (or 'tab'), not {text!r}")
    return text


class _Version(argparse.Action):
    """``--version``: the installed package's version, read only when asked for (it costs a metadata look-up)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from kbc_validate import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kbc-validate", description=__doc__.splitlines()[0],
        epilog="Exit status: 0 no error, 1 errors found, 2 usage error or unreadable input.",
    )
    add = parser.add_argument
    add("files", nargs="*", metavar="FILE",
        help=".json, .jsonl, .csv or pain.001 .xml files, or folders (searched recursively); - reads standard input")
    add("--service", choices=SERVICES, help="payment service of JSON bodies (default: recognised from the shape)")
    add("--today", type=_date, help="date execution dates are compared with (default: today in Brussels)")
    add("--format", choices=FORMATS, default="text", help="output format (default: text)")
    add("--select", type=_codes, default=[], help="report only these codes or prefixes (KBC3,KBC401)")
    add("--ignore", type=_codes, default=[], help="do not report these codes or prefixes")
    add("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    add("-o", "--output", metavar="FILE", help="write the findings to FILE instead of standard output")
    add("-q", "--quiet", action="store_true", help="findings only: no progress bar, no summary")
    add("--explain", metavar="CODE", help="explain a rule (by code or name) and exit")
    add("--list-rules", action="store_true", help="list every rule and exit (JSON with --format json)")
    add("--lang", type=_one_of(LANGUAGES), help="language of messages: en, nl or fr (default: the locale's)")
    add("--column", type=_column, action="append", metavar='"HEADER=member"',
        help='read the CSV column HEADER as a payment member (repeatable): "Begunstigde IBAN-nr=creditorAccount.iban"')
    add("--delimiter", type=_delimiter, help="CSV delimiter (default: sniffed among ; , and tab)")
    add("--encoding", type=_encoding,
        help="encoding of CSV and JSON inputs (default: detected: UTF-8, UTF-8 with BOM or cp1252; an XML document "
             "declares its own)")
    add("--errors-out", metavar="FILE.csv",
        help="write the rows with errors of CSV inputs, with codes and messages, to FILE (a CSV fix file: JSON and "
             "XML inputs are not written there)")
    add("--report", metavar="FILE.html", help="write a self-contained HTML report to FILE")
    add("--engine", choices=ENGINES, default="auto",
        help="CSV engine: compiled (the Rust pass), rows (pure Python, one thread), auto (compiled when built, else "
             "rows); columns was removed and runs as auto")
    add("--jobs", type=_jobs, help="threads of the compiled pass over a CSV file (default: one per CPU)")
    add("--version", action=_Version, nargs=0, help="print the version and exit")
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    try:
        config = load_config(Path.cwd())
    except ConfigError as error:
        parser.error(str(error))
    columns = config.pop("columns", {})
    converters = {"today": _date, "select": _codes, "ignore": _codes, "encoding": _encoding, "delimiter": _delimiter,
                  "format": _one_of(FORMATS), "engine": _one_of(ENGINES), "service": _one_of(SERVICES), "jobs": _jobs,
                  "lang": _one_of(LANGUAGES)}
    try:
        defaults = {key: converters[key](value) if key in converters else value for key, value in config.items()}
    except argparse.ArgumentTypeError as error:
        parser.error(f"pyproject.toml [tool.kbc-validate]: {error}")
    parser.set_defaults(**defaults)
    args = parser.parse_args(argv)
    if not args.files and not args.explain and not args.list_rules:
        parser.error("give at least one FILE (or - for standard input)")
    args.lang = args.lang or language_from_environment(os.environ)
    try:
        args.columns = parse_mapping([*columns.items(), *(args.column or [])])
    except ValueError as error:
        parser.error(f"--column: {error}")
    args.engine = _check_engine(parser, args.engine)
    _check_outputs(args)
    return args


def _check_engine(parser: argparse.ArgumentParser, engine: str) -> str:
    """The engine to run: one asked for by name must be there (a usage error otherwise); the removed column engine
    is said to be removed, once, and ``auto`` runs (scripts that still ask for it keep working)."""
    if engine == "columns":
        with contextlib.suppress(OSError, ValueError):  # standard error may be full or closed
            print(COLUMNS_REMOVED, file=sys.stderr)
        return "auto"
    if engine == "compiled":
        from kbc_validate.files import compiled_csv

        if not compiled_csv.available():
            parser.error("--engine compiled: the compiled pass was not built here (no Rust toolchain when installing)")
    return engine


def _check_outputs(args: argparse.Namespace) -> None:
    """Every output can be written, told before any input is read (one line, exit status 2)."""
    for option, path in (("-o", args.output), ("--errors-out", args.errors_out), ("--report", args.report)):
        folder = Path(path).parent if path else None
        if folder is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
            _refuse(f"{option} {path}: cannot write there ({folder} is not a writable folder)")
        if path and os.path.isdir(path):
            _refuse(f"{option} {path}: cannot write there (a folder, not a file)")
        if path and os.path.exists(path) and not os.access(path, os.W_OK):
            _refuse(f"{option} {path}: cannot write there (no permission)")
    if not args.explain and not args.list_rules and not args.output and sys.stdout is None:
        _refuse("standard output is closed: give -o FILE")


def _refuse(message: str) -> None:
    """An output that cannot be written, told before any input is read: one line, exit status 2."""
    _say(message)
    raise SystemExit(2)


def explain(code: str, out: TextIO, tr: Translator | None = None) -> int:
    """``--explain CODE`` (a code or a rule name): the rule's documentation in the run's language."""
    from kbc_validate.formats.rules import explain as explained
    from kbc_validate.formats.rules import find_rule, nearest_rules

    tr = tr or translator("en")
    rule = find_rule(code)
    if rule is None:
        near = nearest_rules(code)
        hint = tr(" (did you mean {suggestion}?)").format(suggestion=", ".join(near)) if near else ""
        _say(tr("no rule {code}{hint}; kbc-validate --list-rules lists every rule").format(code=repr(code), hint=hint))
        return 2
    out.write(explained(rule, tr))
    return 0


def _say(message: str) -> None:
    """One line on standard error, as every message of the command line to a person (if it can take it)."""
    with contextlib.suppress(OSError, ValueError):
        print(f"kbc-validate: {message}", file=sys.stderr)


class OutputError(Exception):
    """An output that cannot be written (a full disk, a closed stream): a one-line message, exit status 2."""


def _writing_failed(name: str, error: OSError) -> OutputError:
    return OutputError(f"{name}: cannot write: {error.strerror or error}")


def _guarded(name: str, write: Any) -> Any:
    """`write` (a method of an output), raising `OutputError` instead of OSError."""
    def guarded(*args: Any) -> Any:
        try:
            return write(*args)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _writing_failed(name, error) from None

    return guarded


def _kept(args: argparse.Namespace) -> Any:
    select, ignore = tuple(args.select), tuple(args.ignore)
    return lambda code: (not select or code.startswith(select)) and not (ignore and code.startswith(ignore))


def _emit(item: Found, args: argparse.Namespace, kept: Any, summary: Summary, formatter: Any, run: Run) -> bool:
    """Count and write one finding, or a table of them; True when an error is among those kept."""
    if isinstance(item, Located):
        if not kept(item.code):
            return False
        summary.add(item)
        if run.report_rows is not None:
            run.report_rows.add(item)
        shown = item if run.tr.language == "en" else Located(item.file, item.line, item.column,
                                                             translated(item.issue, run.tr))
        formatter.finding(shown)
        return item.issue.severity is Severity.ERROR
    table = item.kept(tuple(args.select), tuple(args.ignore))
    summary.add_table(table)
    if run.report_rows is not None:
        run.report_rows.add_table(table)
    if hasattr(formatter, "table") and run.tr.language == "en":
        formatter.table(table)
    else:  # messages in another language are translated one by one
        for located in table.located():
            formatter.finding(Located(located.file, located.line, located.column, translated(located.issue, run.tr)))
    return bool(table.has_errors())


def _formatter(args: argparse.Namespace, out: TextIO) -> Any:
    if args.format == "json":
        from kbc_validate.formats.json_format import JsonFormat
        return JsonFormat(out)
    if args.format == "github":
        from kbc_validate.formats.github import GithubFormat
        return GithubFormat(out)
    if args.format == "sarif":
        from kbc_validate import __version__
        from kbc_validate.formats.sarif import SarifFormat
        return SarifFormat(out, __version__)
    from kbc_validate.formats.text import AT, TextFormat
    colour = out.isatty() and "NO_COLOR" not in os.environ
    return TextFormat(out, colour=colour, at=translator(args.lang)(AT))


class Run:
    """What a run carries from input to input: its language, the fix file and the report's rows."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.tr = translator(args.lang)
        self.errors_csv: Any = None
        if args.errors_out:
            from kbc_validate.formats.errors_csv import ErrorsCsv

            self.errors_csv = ErrorsCsv(args.errors_out)
        self.report_rows: Any = None
        if args.report:
            from kbc_validate.formats.html_report import ReportRows

            self.report_rows = ReportRows()


def run() -> NoReturn:
    """The console script and ``python -m kbc_validate``: `main`, and then, after a run that went to its end (status
    0 or 1: every file it wrote is flushed and closed by then, standard output and error flushed here), the process
    ends at once. The interpreter's teardown, which frees every object one by one and collects the last cycles, took
    15 ms after a file of a million rows; any other status, or a flush that fails, ends the usual way."""
    status = main()
    if status in (0, 1):
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):
            sys.exit(status)  # the interpreter's own last flush then tells what it tells
        os._exit(status)
    sys.exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is None:  # closed (2>&-): argparse and the summary would write to standard output instead
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    try:
        return _main(argv)
    except BrokenPipeError:  # the reader went away before a listing was written (--list-rules | head): quietly
        _quiet_stdout()
        return 1
    except KeyboardInterrupt:  # Ctrl-C: one line and the shell's status for SIGINT, never a traceback
        after_echo = "\n" if sys.stderr.isatty() else ""  # past the terminal's ^C
        print(f"{after_echo}kbc-validate: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    args = _parse(argv)
    if args.list_rules:
        from kbc_validate.formats.rules import list_rules

        list_rules(sys.stdout, translator(args.lang), as_json=args.format == "json")
        return 0
    if args.explain:
        return explain(args.explain, sys.stdout, translator(args.lang))
    if args.today is None:
        from zoneinfo import ZoneInfoNotFoundError  # here: a run given --today does not import it

        try:
            args.today = brussels_today()
        except ZoneInfoNotFoundError:
            _say(f"no time-zone database to tell today's date in {BRUSSELS}: pip install tzdata, or give --today")
            return 2
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    except OSError as error:
        _say(f"{args.output}: cannot write: {error.strerror or error}")
        return 2
    name = args.output or "standard output"
    try:
        status = _run(args, out, name)
        _guarded(name, out.flush)()  # a full disk is told now, not by the interpreter's last flush
        return status
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as Unix tools do
        _quiet_stdout()
        return 1
    except OutputError as error:
        _say(str(error))
        if out is sys.stdout:
            _quiet_stdout()
        return 2
    finally:
        if out is not sys.stdout:
            with contextlib.suppress(OSError):  # told above
                out.close()


def _quiet_stdout() -> None:
    """Standard output pointed at nothing, so that the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a file (a test's capture): no disk to fill
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _inputs(names: list[str], tr: Translator) -> tuple[list[str], bool]:
    """The inputs named, folders replaced by the payment files under them; and whether a folder held none."""
    found: list[str] = []
    empty = False
    for name in names:
        if name != "-" and Path(name).is_dir():
            files = [str(path) for path in payment_files(Path(name), KINDS)]
            if not files:
                empty = True
                extensions = ", ".join(f".{kind}" for kind in KINDS)
                _say(tr("{folder}: no payment files ({extensions}) in this folder or below it (skipped: hidden "
                        "folders, virtual environments, {skipped})").format(
                    folder=name, extensions=extensions, skipped=", ".join(sorted(SKIPPED))))
            found += files
        else:
            found.append(name)
    return found, empty


def _run(args: argparse.Namespace, out: TextIO, out_name: str) -> int:
    kept, summary = _kept(args), Summary()
    run = _guarded(args.errors_out or out_name, Run)(args)  # opens the fix file
    try:
        formatter = _formatter(args, out)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _writing_failed(out_name, error) from None
    files, empty = _inputs(args.files, run.tr)
    status = 2 if empty else 0
    # One "today" for the whole run, even one that runs past midnight, read from the clock once (in main).
    options = ReadOptions(args.service, args.today, args.delimiter, args.encoding, args.engine, args.jobs,
                          args.columns)
    _say_if_not_compiled(args)
    for name in files:
        stats = FileStats()
        if run.errors_csv is not None:
            _guarded(args.errors_out, run.errors_csv.begin)(name)
        try:
            for item in _findings(name, options, args, summary, run, stats):
                try:
                    if _emit(item, args, kept, summary, formatter, run):
                        status = max(status, 1)
                except BrokenPipeError:
                    raise
                except OSError as error:
                    raise _writing_failed(out_name, error) from None
        except InputError as error:
            _say(str(error))
            status = 2
            continue
        except MemoryError:  # a body that does not fit (a JSON file is parsed whole): this input, not the others
            _say(f"{name}: too large to validate in the memory this process may use")
            status = 2
            continue
        if run.errors_csv is not None and not run.errors_csv.started:
            _say(run.tr("--errors-out: {input} is not a CSV file; its findings are not in {path}").format(
                input=run.tr("standard input") if name == "-" else name, path=args.errors_out))
    _guarded(out_name, formatter.finish)(summary)
    _finish(args, summary, run)
    return 0 if args.exit_zero and status == 1 else status


def _say_if_not_compiled(args: argparse.Namespace) -> None:
    """One line on standard error when CSV files are read without the compiled pass, which was not built here."""
    if args.engine == "auto" and any(Path(name).suffix.lower() == ".csv" for name in args.files):
        from kbc_validate.files import compiled_csv

        if not compiled_csv.available():
            with contextlib.suppress(OSError, ValueError):  # standard error may be full or closed
                print(compiled_csv.NOT_INSTALLED, file=sys.stderr)


def _findings(
    name: str, options: ReadOptions, args: argparse.Namespace, summary: Summary, run: Run, stats: FileStats
) -> Iterator[Found]:
    summary.files += 1
    errors_csv = run.errors_csv
    hooks = Hooks() if errors_csv is None else Hooks(on_header=_guarded(args.errors_out, errors_csv.start),
                                                     on_row=_guarded(args.errors_out, errors_csv.row))
    size = None if args.quiet or not sys.stderr.isatty() else input_size(name)
    if size:
        from kbc_validate.formats.progress import progress_bar

        with progress_bar(name, size, stats, run.tr) as on_progress:
            yield from read_input(name, options, stats, replace(hooks, on_progress=on_progress))
    else:
        yield from read_input(name, options, stats, hooks)
    summary.rows += stats.rows


def _finish(args: argparse.Namespace, summary: Summary, run: Run) -> None:
    if run.errors_csv is not None:
        _guarded(args.errors_out, run.errors_csv.close)()
        for path in run.errors_csv.extra_files:
            _say(run.tr("--errors-out: the rows of an input with another header are in {path}").format(path=path))
    if args.report:
        from zoneinfo import ZoneInfo

        from kbc_validate.formats.html_report import render

        generated = datetime.now(ZoneInfo(BRUSSELS))
        page = render(summary, args.files, generated, run.tr, run.report_rows)
        _guarded(args.report, Path(args.report).write_text)(page, "utf-8")
    if args.quiet or args.format != "text":
        return
    from kbc_validate.formats.summary import print_table, verdict

    with contextlib.suppress(OSError):  # standard error cannot take the table (2>/dev/full): findings are written
        if summary.counts:
            print_table(summary, sys.stderr, run.tr)
        elif sys.stderr.isatty():  # a clean run says so on a terminal; in a pipeline or a hook, silence is success
            print(verdict(summary, run.tr), file=sys.stderr)


if __name__ == "__main__":
    run()
