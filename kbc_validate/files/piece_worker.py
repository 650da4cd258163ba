"""A worker process of `files.pieces`: ``python -m kbc_validate.files.piece_worker FOLDER``.

Reads a `Job` (one JSON line) on standard input, builds the engine as the main process did, says ``ready``, then
validates each piece it is given (``{"piece": i, "start": s, "end": e}``) into ``FOLDER/i.pickle``
(findings, counts, recorded keys) and says ``done``, until it is told to stop. Standard output carries only these
messages.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path
from typing import IO

from kbc_validate.files.located import FileStats
from kbc_validate.files.pieces import Job, open_piece


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
