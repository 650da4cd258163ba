"""The compiled extension (``kbc_validate._scan``, Rust), when it was built: the compiled passes over CSV files
(`files.compiled_csv`) and pain.001 files (`pain001.compiled`), and the key hash they share with Python.

Without it (no wheel and no Rust toolchain when installing), `module` is None and every file is read by Python."""

from __future__ import annotations

import importlib
from typing import Any

try:  # imported by name: mypy sees the same `Any` whether or not the extension was built here
    module: Any = importlib.import_module("kbc_validate._scan")
except ImportError:  # built without a Rust toolchain
    module = None


def key_hash(key: str) -> int:
    """The hash the extension gives a repetition key."""
    assert module is not None
    return int(module.key_hash(key.encode()))
