"""A worker process of `files.pieces` (``python -m kbc_validate.files.piece_worker FOLDER``), and `Worker`, its
handle in the main process: both sides of the one protocol.

The worker reads a `Job` (one JSON line) on standard input, builds the engine as the main process did, says
``ready``, then validates each piece it is given (``{"piece": i, "start": s, "end": e}``) into
``FOLDER/i.pickle`` (findings, counts, recorded keys) and says ``done``, until it is told to stop. Standard output
carries only these messages.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from kbc_validate.files.located import FileStats
from kbc_validate.files.pieces import ONE_THREAD, Board, Job, open_piece

WORKER = ["-m", "kbc_validate.files.piece_worker"]  # the worker's arguments to this interpreter


def close_all(streams: tuple[IO[bytes] | None, ...]) -> None:
    """Close `streams`; a write still buffered for a worker that is gone (killed while a message was on its way) is
    dropped, not a traceback: nothing reads it any more."""
    for stream in streams:
        if stream is not None:
            try:
                stream.close()
            except BrokenPipeError:
                with suppress(BrokenPipeError):
                    stream.close()  # the flush failed; the second close releases the descriptor


class Worker:
    """A worker process (`python -m kbc_validate.files.piece_worker`) and the thread that hands it pieces."""

    def __init__(self, job: Job, board: Board, folder: Path) -> None:
        self.board, self.folder = board, folder
        package_root = str(Path(__file__).resolve().parents[2])  # the worker imports this very kbc_validate
        path = os.pathsep.join(filter(None, (package_root, os.environ.get("PYTHONPATH"))))
        env = {"POLARS_MAX_THREADS": ONE_THREAD} | os.environ | {"PYTHONPATH": path}
        self._errors = (folder / f"worker-{id(self)}.log").open("wb")
        try:
            self.process = subprocess.Popen(
                [sys.executable, *WORKER, str(folder)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors, env=env,
            )
        except OSError:
            self._errors.close()
            raise
        with suppress(OSError):  # it exited at once: the thread below meets the end of its output
            self._send(asdict(job))
        self._thread = threading.Thread(target=self._serve, name="kbc-validate-worker", daemon=True)
        self._thread.start()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_: object) -> None:
        """Stop the worker (also when the reader of the findings stops early) and settle what it held."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._thread.join()
        close_all((self.process.stdin, self.process.stdout, self._errors))

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def _serve(self) -> None:
        current = None
        try:
            assert self.process.stdout is not None
            for line in self.process.stdout:  # "ready", then "done" after each piece
                message = json.loads(line)
                if not isinstance(message, dict):
                    raise ValueError(message)
                if current is not None:
                    if message.get("done") != current:
                        raise ValueError(message)
                    self.board.settle(current, self.folder / f"{current}.pickle")
                    current = None
                current = self.board.claim()
                if current is None:
                    self._send({"stop": True})
                    return
                start, end = self.board.pieces[current]
                self._send({"piece": current, "start": start, "end": end})
        except (OSError, ValueError):  # the worker died, or said something else: its piece is validated here
            pass
        finally:
            if current is not None:
                self.board.settle(current, None)


def serve(job: Job, folder: Path, commands: IO[str], replies: IO[str]) -> None:
    from kbc_validate.files.csv_source import piece_engine

    engine = piece_engine(job)
    replies.write('{"ready": true}\n')
    replies.flush()
    for line in commands:
        message = json.loads(line)
        if "piece" not in message:
            return
        index, part = message["piece"], FileStats()
        with open_piece(job.path, message["start"], message["end"]) as stream:
            found = list(engine.piece(stream, part))
        written = folder / f"{index}.part"
        with written.open("wb") as handle:
            pickle.dump((found, part, engine.recorded()), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, folder / f"{index}.pickle")
        replies.write(json.dumps({"done": index}) + "\n")
        replies.flush()


def main() -> None:
    job = Job(**json.loads(sys.stdin.readline()))
    serve(job, Path(sys.argv[1]), sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
