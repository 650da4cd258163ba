"""Defaults for the command line from the ``[tool.kbc-validate]`` table of the repository's ``pyproject.toml``
(the nearest one from the working directory up). Options given on the command line win."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

KEYS = {"service", "today", "format", "select", "ignore", "exit-zero", "delimiter", "encoding", "quiet", "engine",
        "jobs", "lang", "columns"}
# What each key's TOML value may be; every other key is a string.
_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "exit-zero": ((bool,), "true or false"), "quiet": ((bool,), "true or false"),
    "jobs": ((int,), "a whole number"), "today": ((str, date), "a date (2026-11-24)"),
    "select": ((str, list), 'a list of codes (["KBC3", "KBC401"])'),
    "ignore": ((str, list), 'a list of codes (["KBC7"])'),
    "columns": ((dict,), 'a table that maps header names to members ("Header" = "member")'),
}


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
        tool = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    table = tool.get("kbc-validate", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.kbc-validate] must be a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        known = ", ".join(sorted(KEYS))
        raise ConfigError(f"{path}: [tool.kbc-validate] has unknown key(s) {', '.join(unknown)}; known: {known}")
    settings = {}
    for key, value in table.items():
        _check_type(path, key, value)
        if key == "columns" and not all(isinstance(member, str) for member in value.values()):
            raise ConfigError(f'{path}: [tool.kbc-validate.columns] maps header names to members: "Header" = "member"')
        listed = key in {"select", "ignore"} and isinstance(value, list)
        # a TOML date (today = 2026-11-24) is the date it says
        text = value.isoformat() if isinstance(value, date) else ",".join(value) if listed else value
        settings[key.replace("-", "_")] = text
    return settings


def _check_type(path: Path, key: str, value: object) -> None:
    """A one-line `ConfigError` when `value` is not of the TOML type `key` takes."""
    types, wanted = _TYPES.get(key, ((str,), "a string"))
    right = isinstance(value, types) and (bool in types or not isinstance(value, bool))
    right = right and not isinstance(value, datetime)  # a date-time is not a date
    if isinstance(value, list):
        right = right and all(isinstance(item, str) for item in value)
    if not right:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "..."
        raise ConfigError(f"{path}: [tool.kbc-validate] {key} must be {wanted}, not {shown}")
