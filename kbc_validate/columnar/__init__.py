"""The column engine (the ``fast`` extra: polars): CSV files and tables of payments validated column by column,
with the same findings as validating each row's body.

`available` tells whether it can run here; `kbc_validate.columnar.batch.validate_batch` validates an Arrow table,
a pandas or a polars frame of payment rows.
"""

from __future__ import annotations

from importlib.util import find_spec


def available() -> bool:
    """Whether polars and numpy, which the column engine needs, are installed."""
    return find_spec("polars") is not None and find_spec("numpy") is not None
