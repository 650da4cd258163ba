"""Defaults for the command line from the ``[tool.kbc-validate]`` table of the repository's ``pyproject.toml``
(the nearest one from the working directory up). Options given on the command line win."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

KEYS = {"service", "today", "format", "select", "ignore", "exit-zero", "delimiter", "encoding", "quiet", "engine",
        "jobs", "lang", "columns"}


class ConfigError(Exception):
    """The table has an unknown key or a value of the wrong type: a one-line message naming the file."""


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> dict[str, Any]:
    """The table's settings, with keys as argparse names them (``exit-zero`` -> ``exit_zero``)."""
    path = find_pyproject(start)
    if path is None:
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("kbc-validate", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    unknown = sorted(set(table) - KEYS)
    if unknown:
        known = ", ".join(sorted(KEYS))
        raise ConfigError(f"{path}: [tool.kbc-validate] has unknown key(s) {', '.join(unknown)}; known: {known}")
    settings = {}
    for key, value in table.items():
        if key in {"exit-zero", "quiet"} and not isinstance(value, bool):
            raise ConfigError(f"{path}: [tool.kbc-validate] {key} must be true or false")
        if key == "columns" and not (
            isinstance(value, dict) and all(isinstance(member, str) for member in value.values())
        ):
            raise ConfigError(f'{path}: [tool.kbc-validate.columns] maps header names to members: "Header" = "member"')
        listed = key in {"select", "ignore"} and isinstance(value, list)
        settings[key.replace("-", "_")] = ",".join(map(str, value)) if listed else value
    return settings
