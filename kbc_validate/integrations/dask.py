"""Validating payments on a Dask cluster (the ``dask`` extra): a ``dask.dataframe`` of payment rows, or CSV files.

Each partition is validated by `validate_batch` on a worker; repeated payments, which may sit in different
partitions, are found by one more pass over the rows' keys (a value count, then only the rows whose key occurs more
than once). Findings have `BATCH_SCHEMA`'s columns and name rows by id (see `validate_batch`).

    from dask.distributed import Client
    from kbc_validate.integrations.dask import validate_csv_files

    client = Client("tcp://scheduler:8786")  # an existing cluster; Client() starts a local one
    findings = validate_csv_files(["s3://bucket/payments-*.csv"], today=date(2026, 11, 24)).compute()
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import dask.dataframe as dd
import pandas as pd
import polars as pl
from fsspec import open_files

from kbc_validate.columnar.batch import BATCH_SCHEMA, batch_cells, finding_row, row_ids, validate_batch
from kbc_validate.columnar.repeats import ColumnRepeats
from kbc_validate.files.csv_source import SAMPLE_BYTES, detect_encoding, read_header, sniff_delimiter
from kbc_validate.repeats.tracker import repeat_issue
from kbc_validate.validate import brussels_today

META = pd.DataFrame({name: pd.Series(dtype="string") for name in BATCH_SCHEMA}).astype(object)
_KEYS_META = pd.DataFrame({"row_id": pd.Series(dtype=object), "part": pd.Series(dtype="int64"),
                           "line": pd.Series(dtype="int64"), "code": pd.Series(dtype=object),
                           "key": pd.Series(dtype=object), "shown": pd.Series(dtype=object)})


def validate_dataframe(
    frame: dd.DataFrame, *, today: date | None = None, service: str = "payments", id_column: str | None = None,
    decimal_comma: bool = False,
) -> dd.DataFrame:
    """The findings of every row of a ``dask.dataframe`` of payments (lazy: call ``.compute()``)."""
    today = today or brussels_today()  # one date for every partition, read here, not on the workers
    options = {"today": today, "service": service, "id_column": id_column, "decimal_comma": decimal_comma}
    findings = frame.map_partitions(_partition_findings, options, meta=META, enforce_metadata=False)
    repeats = _repeats(frame, options)
    return dd.concat([findings, dd.from_pandas(repeats, npartitions=1)]) if len(repeats) else findings


def validate_csv_files(
    paths: str | Sequence[str], *, today: date | None = None, service: str = "payments",
    id_column: str | None = None, blocksize: str | int = "64MB", **storage_options: Any,
) -> dd.DataFrame:
    """The findings of CSV payment files (local paths, globs or fsspec URLs), read as the command line reads them:
    the encoding and delimiter of the first file, every cell as text, a decimal comma unless the delimiter is a
    comma. Files with quoted line breaks, ragged or blank rows are for the command line, which reports each."""
    with open_files(paths if isinstance(paths, str) else list(paths), "rb", **storage_options)[0] as first:
        sample = first.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
    delimiter = sniff_delimiter(sample.decode(encoding, errors="replace").split("\n", 1)[0])
    frame = dd.read_csv(
        paths, sep=delimiter, dtype=str, keep_default_na=False, na_filter=False, encoding=encoding,
        blocksize=blocksize, storage_options=storage_options or None,
    )
    return validate_dataframe(frame, today=today, service=service, id_column=id_column,
                              decimal_comma=delimiter != ",")


def _partition_findings(partition: pd.DataFrame, options: dict[str, Any], partition_info: Any = None) -> pd.DataFrame:
    found = validate_batch(partition.reset_index(drop=True), repeats=False, **options)
    if partition_info and partition_info["number"]:  # findings about the columns: from the first partition only
        found = found[found["row_id"].notna()]
    return found.astype(object).where(found.notna(), None)


def _repeats(frame: dd.DataFrame, options: dict[str, Any]) -> pd.DataFrame:
    """Repeated payments across partitions: the keys that occur more than once, then the rows holding them."""
    keys = frame.map_partitions(_partition_keys, options, meta=_KEYS_META)
    counts = keys["key"].value_counts().compute()
    repeated = counts[counts > 1].index.tolist()
    if not repeated:
        return META.iloc[0:0]
    rows = keys[keys["key"].isin(repeated)].compute().sort_values(["part", "line", "code"], kind="stable")
    first: dict[str, Any] = {}
    records = []
    for row_id, key, code, shown in rows[["row_id", "key", "code", "shown"]].itertuples(index=False):
        if key in first:
            records.append(finding_row(row_id, repeat_issue(code, shown, f"row {first[key]!r}")))
        else:
            first[key] = row_id
    return pd.DataFrame(records, columns=list(BATCH_SCHEMA)).astype(object)


def _partition_keys(partition: pd.DataFrame, options: dict[str, Any], partition_info: Any = None) -> pd.DataFrame:
    id_column = options["id_column"]
    frame = pl.from_pandas(partition.reset_index(drop=True).astype(object))
    names = [name for name in frame.columns if name != id_column]
    header, _ = read_header("", names, ";" if options["decimal_comma"] else ",")
    cells = batch_cells(frame, names)
    keys = ColumnRepeats(header, ";" if options["decimal_comma"] else ",").keys(cells)
    ids = row_ids(frame, header, names, id_column)
    number = partition_info["number"] if partition_info else 0
    keyed = keys.with_columns(row_id=ids.gather(keys["line"] - 1), part=pl.lit(number, dtype=pl.Int64))
    return keyed.select("row_id", "part", "line", "code", "key", "shown").to_pandas().astype(
        {"row_id": object, "code": object, "key": object, "shown": object})


