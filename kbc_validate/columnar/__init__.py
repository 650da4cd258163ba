"""The column engine (the ``fast`` extra: polars): tables of payments validated column by column, with the same
findings as validating each row's body. `kbc_validate.columnar.batch.validate_batch` validates an Arrow table, a
pandas or a polars frame of payment rows; the Dask integration validates its partitions with it.

CSV files are not read here: the compiled pass or the per-row path reads them (`files.csv_input`).
"""
