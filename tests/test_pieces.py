"""Large CSV files on several processes: cut at line ends, findings and counts identical to one process's."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbc_validate.cli import main
from kbc_validate.files import piece_worker, pieces
from kbc_validate.files.inputs import ReadOptions, read_input
from kbc_validate.files.located import FileStats, Located
from kbc_validate.files.pieces import Split, plan
from tests.bodies import TODAY
from tests.test_columnar import csv_files

HEADER = "Creditor IBAN;Creditor name;Amount;Communication;End to end id;Debtor IBAN\r\n"
ROW = "BE03735427934884;Garage Peeters;{amount},00;Factuur {number};E2E-{number};BE36734012345681\r\n"


def findings(path: Path, engine: str, jobs: int) -> tuple[list[dict[str, Any]], FileStats]:
    stats, found = FileStats(), []
    for item in read_input(str(path), ReadOptions(today=TODAY, engine=engine, jobs=jobs), stats):
        found += [item.as_dict()] if isinstance(item, Located) else [f.as_dict() for f in item.located()]
    return found, stats


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of a few rows, and any file split: every test file is cut into many pieces."""
    monkeypatch.setattr(pieces, "SPLITS", {"columns": (96, 1), "rows": (96, 1)})


def payments(rows: int, repeat: dict[int, int] | None = None) -> str:
    """`rows` payments; `repeat` maps a row number to the earlier row it copies."""
    numbers = [(repeat or {}).get(number, number) for number in range(1, rows + 1)]
    return HEADER + "".join(ROW.format(amount=10 + number, number=number) for number in numbers)


def wait_for_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """This process waits, before its first claim, until a worker has claimed a piece, so that workers surely take
    part however fast this process is (and this process validates pieces ahead of their turn); the pieces workers
    validated are listed."""
    claim, settle, done = pieces.Board.claim, pieces.Board.settle, []

    def patient(board: pieces.Board) -> int | None:
        deadline = time.monotonic() + 60
        mine = threading.current_thread() is threading.main_thread()  # workers claim in threads of this process
        while mine and len(board.pieces) > 1 and board.next == 0 and time.monotonic() < deadline:
            time.sleep(0.002)  # (a file of one piece has no worker)
        return claim(board)

    def noted(board: pieces.Board, index: int, result: Path | None, *, here: bool = False) -> None:
        if result is not None:
            done.append(index)
        settle(board, index, result, here=here)

    monkeypatch.setattr(pieces.Board, "claim", patient)
    monkeypatch.setattr(pieces.Board, "settle", noted)
    return done


@pytest.fixture
def worker_pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return wait_for_workers(monkeypatch)


@pytest.mark.usefixtures("small_pieces")
@pytest.mark.parametrize("engine", ["rows", "columns"])
@pytest.mark.parametrize("jobs", [2, 3])
def test_a_split_file_gives_one_process_findings(tmp_path: Path, engine: str, jobs: int,
                                                 worker_pieces: list[int]) -> None:
    """The per-row path and the column engine alike, on more than one process."""
    path = tmp_path / "payments.csv"
    # Row 40 (a worker's piece) repeats row 2 (this process's): the repeat crosses pieces and processes.
    text = payments(40, repeat={40: 2}).replace("Factuur 7;", "Factuur 7\x01;").replace("E2E-9;", ";")
    path.write_text(text + "\r\nBE00;;-1;;;\r\n", encoding="cp1252")
    found, stats = findings(path, engine, jobs)
    assert worker_pieces
    assert (found, stats) == findings(path, engine, 1)
    codes = {(f["line"], f["code"]) for f in found}
    assert {(41, "KBC907"), (41, "KBC908"), (42, "KBC909"), (8, "KBC703")} <= codes
    assert stats.rows == 41


@pytest.mark.usefixtures("small_pieces")
@pytest.mark.parametrize("engine", ["rows", "columns"])
@pytest.mark.parametrize(("script", "claims"), [
    ("import sys; sys.exit(1)", False),  # never starts
    ("print('not a message', flush=True)", False),
    ("print(5, flush=True)", False),  # JSON, but not a message
    ("import sys; sys.stdin.readline(); print('{\"ready\": true}', flush=True); sys.stdin.readline(); sys.exit(3)",
     True),  # dies on its piece
    ("import sys; sys.stdin.readline(); print('{\"ready\": true}', flush=True); sys.stdin.readline();"
     " print('{\"done\": 12345}', flush=True); sys.stdin.read()", True),  # says done for a piece it was not given
])
def test_a_worker_that_fails_costs_no_finding(tmp_path: Path, engine: str, script: str, claims: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Its pieces are validated here, so this process validates every piece (and notes every repeat) itself."""
    path = tmp_path / "payments.csv"
    path.write_text(payments(60, repeat={55: 3}), encoding="cp1252")
    expected = findings(path, engine, 1)
    assert {"KBC907", "KBC908"} <= {finding["code"] for finding in expected[0]}
    monkeypatch.setattr(piece_worker, "WORKER", ["-c", script])
    if claims:  # the worker surely holds a piece when it fails
        wait_for_workers(monkeypatch)
    assert findings(path, engine, 2) == expected


@pytest.mark.usefixtures("small_pieces")
def test_no_more_workers_than_pieces_can_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    start = piece_worker.Worker.__init__

    def counted(worker: piece_worker.Worker, *args: Any) -> None:
        started.append(worker)
        start(worker, *args)

    monkeypatch.setattr(piece_worker.Worker, "__init__", counted)
    monkeypatch.setattr(pieces, "SPLITS", {"columns": (1 << 20, 1), "rows": (len(ROW) * 3, 1)})
    path = tmp_path / "payments.csv"
    path.write_text(payments(5), encoding="cp1252")  # two pieces
    assert len(plan(str(path), len(HEADER), "cp1252", pieces.split_for("rows", 16)) or []) == 2
    assert findings(path, "rows", 16) == findings(path, "rows", 1)
    assert len(started) == 1


@pytest.mark.usefixtures("small_pieces")
def test_a_worker_that_cannot_start_costs_no_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(payments(60, repeat={55: 3}), encoding="cp1252")
    expected = findings(path, "rows", 1)
    monkeypatch.setattr(piece_worker.sys, "executable", str(tmp_path / "no-such-python"))
    assert findings(path, "rows", 3) == expected


@pytest.mark.usefixtures("small_pieces", "worker_pieces")
@given(data=csv_files(), engine=st.sampled_from(["rows", "columns"]))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_files_give_one_process_findings(tmp_path: Path, data: tuple[bytes, str], engine: str) -> None:
    """Ragged, blank, undecodable, repeated rows, every delimiter and line end, cp1252 and UTF-8 (a file with a
    quoted field is read whole: that too must agree)."""
    path = tmp_path / "generated.csv"
    path.write_bytes(data[0])
    assert findings(path, engine, 2) == findings(path, engine, 1)


@given(st.lists(st.sampled_from([b"a", b";", b"\n", b"\r\n", b"\xe9"]), max_size=200), st.integers(1, 40))
def test_pieces_cut_at_line_ends_and_cover_the_body(tmp_path_factory: pytest.TempPathFactory, parts: list[bytes],
                                                    piece_bytes: int) -> None:
    path = tmp_path_factory.mktemp("plan") / "file.csv"
    contents = b"h;h\n" + b"".join(parts)
    path.write_bytes(contents)
    cut = plan(str(path), 4, "cp1252", Split(2, piece_bytes, 1))
    if len(contents) == 4:
        assert cut is None
        return
    assert cut is not None
    assert cut[0][0] == 4
    assert cut[-1][1] == len(contents)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(cut))
    assert all(start < end and contents[start - 1 : start] == b"\n" for start, end in cut[1:])


@pytest.mark.parametrize(("contents", "encoding", "split", "reason"), [
    (payments(50).replace("Garage Peeters", '"Garage; Peeters"'), "cp1252", Split(2, 96, 1),
     "a quote: a quoted field may run across lines"),
    (payments(50), "utf-16", Split(2, 96, 1), "UTF-16: byte 0x0A is not always a line feed"),
    (payments(50), "cp1252", Split(1, 96, 1), "one job"),
    (payments(50), "cp1252", Split(2, 96, 1 << 20), "a body smaller than is worth a worker"),
])
def test_files_that_are_read_whole(tmp_path: Path, contents: str, encoding: str, split: Split, reason: str) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(contents, encoding="cp1252")
    assert plan(str(path), len(HEADER), encoding, split) is None, reason


def test_a_path_that_is_not_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    assert plan(str(tmp_path), 0, "utf-8", Split(2, 96, 1)) is None
    assert plan(str(tmp_path / "missing.csv"), 0, "utf-8", Split(2, 96, 1)) is None


@pytest.mark.usefixtures("small_pieces")
def test_command_line_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(payments(30, repeat={30: 1}), encoding="cp1252")
    outputs = []
    for jobs in ("1", "2"):
        assert main(["-q", "--today", TODAY.isoformat(), "--jobs", jobs, str(path)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "KBC907" in outputs[0]


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "2.5"])
def test_jobs_must_be_a_whole_number_from_one(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--jobs", jobs, "payments.csv"])
    assert stopped.value.code == 2
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.parametrize("value", ['"all"', "2.5", "true", "0"])
def test_jobs_in_pyproject(tmp_path: Path, value: str, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    """A value that is not a whole number from 1 is refused, not rounded or guessed."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(f"[tool.kbc-validate]\njobs = {value}\n")
    with pytest.raises(SystemExit) as stopped:
        main(["payments.csv"])
    assert stopped.value.code == 2
    assert "jobs" in capsys.readouterr().err


@pytest.mark.usefixtures("small_pieces")
def test_jobs_from_pyproject_reach_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobs = 1`` keeps a file that would be split in this process: no worker is started."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.kbc-validate]\njobs = 1\n")
    (tmp_path / "payments.csv").write_text(payments(30), encoding="cp1252")
    started = []
    monkeypatch.setattr(piece_worker.Worker, "__init__", lambda *args: started.append(args))
    assert main(["-q", "--today", TODAY.isoformat(), "payments.csv"]) == 0
    assert not started


@pytest.mark.usefixtures("small_pieces")
@pytest.mark.parametrize(("user", "expected"), [(None, "1"), ("2", "2")])
def test_workers_run_polars_on_one_thread_unless_the_user_says(
    tmp_path: Path, user: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One core's work a process: polars's own thread pool would only contend with the other processes."""
    path = tmp_path / "payments.csv"
    path.write_text(payments(30), encoding="cp1252")
    if user is None:
        monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    else:
        monkeypatch.setenv("POLARS_MAX_THREADS", user)
    started: list[dict[str, str]] = []

    def refused(*_: Any, env: dict[str, str], **__: Any) -> None:
        started.append(env)
        raise OSError("not started here")  # its pieces are validated here

    monkeypatch.setattr(piece_worker.subprocess, "Popen", refused)
    assert findings(path, "columns", 2) == findings(path, "columns", 1)
    assert [env["POLARS_MAX_THREADS"] for env in started] == [expected]


@pytest.mark.parametrize(("jobs", "one_thread"), [("2", True), ("1", False)])
def test_the_command_runs_polars_on_one_thread_when_it_may_split(tmp_path: Path, jobs: str, one_thread: bool) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(payments(5), encoding="cp1252")
    env = {key: value for key, value in os.environ.items() if key != "POLARS_MAX_THREADS"}
    threads = "import polars, sys; print(polars.thread_pool_size(), file=sys.stderr)"
    script = f"import sys; from kbc_validate.cli import main; main(sys.argv[1:]); {threads}"
    runs = [subprocess.run([sys.executable, "-c", command, *arguments], capture_output=True, text=True, env=env,
                           check=True).stderr.split()[-1]
            for command, arguments in ((script, ["-q", "--jobs", jobs, str(path)]), (threads, []))]
    assert runs[0] == ("1" if one_thread else runs[1])


def test_a_worker_checks_dates_without_the_holidays_package(tmp_path: Path) -> None:
    """The calendars of the shipped years come with the package: a worker does not import the holidays package
    (about 0.15 s); its findings are those of one process."""
    import json
    import pickle
    from dataclasses import asdict

    path = tmp_path / "payments.csv"
    days = ["2027-03-29", "2027-07-21", "2027-03-30", "2026-12-25"]  # Easter Monday, 21 July, a Tuesday, Christmas
    path.write_text("Creditor IBAN;Creditor name;Amount;Execution date\r\n" + "".join(
        f"BE03735427934884;Garage Peeters;1{number},00;{day}\r\n" for number, day in enumerate(days)), encoding="cp1252")
    job = pieces.Job(str(path), str(path), "payments", TODAY.isoformat(), ";", "cp1252", "columns")
    start = len(path.read_bytes().split(b"\n", 1)[0]) + 1
    piece = {"piece": 0, "start": start, "end": path.stat().st_size}
    commands = "".join(json.dumps(message) + "\n" for message in (asdict(job), piece, {"stop": True}))
    script = ("import sys; from kbc_validate.files import piece_worker; piece_worker.main();"
              " print('holidays' in sys.modules, file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], input=commands, capture_output=True,
                         text=True, check=True)
    assert run.stderr.split()[-1] == "False"
    found, _, _ = pickle.loads((tmp_path / "0.pickle").read_bytes())
    worker = [(f["line"], f["code"]) for table in found for f in table.moved(1).frame.iter_rows(named=True)]
    expected, _ = findings(path, "columns", 1)
    assert worker == [(f["line"], f["code"]) for f in expected]
    assert {code for _, code in worker} >= {"KBC403", "KBC404"}


@pytest.mark.usefixtures("small_pieces")
@pytest.mark.parametrize("engine", ["rows", "columns"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_lines_that_end_in_carriage_returns_read_as_lines(tmp_path: Path, engine: str, jobs: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel for Mac's "CSV (Macintosh)": every row read, at its line, the repeat found by the second pass; the same
    findings and counts as the file with CR LF (a file that small would otherwise be split: it is read whole)."""
    text = payments(30, repeat={30: 2}).replace("Factuur 7;", "Factuur 7\x01;") + "\r\nBE00;;-1;;;\r\n"
    (tmp_path / "crlf").mkdir()
    (tmp_path / "cr").mkdir()
    (tmp_path / "crlf" / "p.csv").write_bytes(text.encode("cp1252"))
    (tmp_path / "cr" / "p.csv").write_bytes(text.replace("\r\n", "\r").encode("cp1252"))
    monkeypatch.chdir(tmp_path / "crlf")
    expected = findings(Path("p.csv"), engine, 1)
    monkeypatch.chdir(tmp_path / "cr")
    found, stats = findings(Path("p.csv"), engine, jobs)
    assert (found, stats) == expected
    assert {(31, "KBC907"), (31, "KBC908"), (32, "KBC909"), (8, "KBC703"), (33, "KBC305")} <= {
        (f["line"], f["code"]) for f in found}
    assert (stats.rows, stats.blank_lines) == (31, 1)


def test_a_worker_gone_with_a_message_still_buffered_is_closed_quietly() -> None:
    """Killed while a message for it was still in this process's buffer (seen in CI under load: the flush on close
    met a broken pipe, a traceback in the user's run)."""
    import io
    import os

    read_end, write_end = os.pipe()
    stream = io.BufferedWriter(io.FileIO(write_end, "w"))
    stream.write(b'{"stop": true}\n')  # buffered, not yet sent
    os.close(read_end)  # the worker is gone
    piece_worker.close_all((stream, None))
    assert stream.closed
