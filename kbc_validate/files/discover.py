"""Directories as inputs: the payment files under them, found by extension, recursively, as ruff and mypy find
source files.

Skipped on the way down: hidden folders (``.git``, ``.venv``, ``.tox``...), the usual folders of tools and builds
(`SKIPPED`), and any virtual environment (a folder holding ``pyvenv.cfg``). A folder named on the command line is
read even when its own name would be skipped. Files are listed in name order, so that runs are repeatable.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

SKIPPED = frozenset({"venv", "node_modules", "site-packages", "__pycache__", "__pypackages__", "_build", "buck-out",
                     "build", "dist"})


def skipped(folder: Path) -> bool:
    """A folder the walk does not enter.

    >>> skipped(Path(".venv")), skipped(Path("node_modules")), skipped(Path("exports"))
    (True, True, False)
    """
    return folder.name.startswith(".") or folder.name in SKIPPED or (folder / "pyvenv.cfg").is_file()


def payment_files(folder: Path, extensions: Iterable[str]) -> Iterator[Path]:
    """The files under `folder` whose extension (lower-cased, without the dot) is one of `extensions`."""
    wanted = {extension.lower() for extension in extensions}
    for root, folders, files in os.walk(folder):
        here = Path(root)
        folders[:] = sorted(name for name in folders if not skipped(here / name))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower().lstrip(".") in wanted:
                yield here / name
