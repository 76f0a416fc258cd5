"""How the clean tables become the inputs of a metric query and its result a frame, for
every engine: the declared columns as Arrow (no copy of the text columns), the views
that stand in for missing tables and columns, timestamp literals, results as pandas.

A table is a frame or, for a year served by the clean store, the Parquet file that
holds it (``YearData.source``): DuckDB reads the file itself, Spark gets its columns
as Arrow. Only the columns a query reads are taken. A table that is missing (None) becomes an
empty one with the declared columns, a declared column that a table lacks becomes NULL
of its type, so the SQL never depends on which optional inputs the year has.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.metrics.queries import ROW_POSITION

#: the Arrow type of each SQL type of ``queries.INPUTS`` (for all-missing columns)
ARROW_TYPES = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "TIMESTAMP": pa.timestamp("ns"),
               "BOOLEAN": pa.bool_(), ROW_POSITION: pa.int64()}


def timestamp_literal(ts) -> str:
    """A SQL timestamp literal (``TIMESTAMP '2022-12-31 23:59:59'``)."""
    return f"TIMESTAMP '{pd.Timestamp(ts).isoformat(sep=' ')}'"


def source_rows(source: pd.DataFrame | Path) -> int:
    """The rows of a frame or of a Parquet file (from its footer)."""
    return pq.read_metadata(source).num_rows if isinstance(source, Path) else len(source)


def parquet_columns(path: Path, columns: dict[str, str]) -> list[str]:
    """The declared columns that the Parquet file holds (from its footer)."""
    names = set(pq.read_schema(path).names)
    return [c for c in columns if c in names and columns[c] != ROW_POSITION]


def duckdb_parquet(path: Path, columns: dict[str, str]) -> tuple[str, list[str]]:
    """A DuckDB ``SELECT`` of the file's declared columns (the row position from the
    file's row number) and the columns it gives."""
    present = parquet_columns(path, columns)
    literal = "'" + str(path).replace("'", "''") + "'"
    cols = list(present)
    positions = [c for c, kind in columns.items() if kind == ROW_POSITION]
    cols += [f"file_row_number AS {c}" for c in positions]
    option = ", file_row_number = true" if positions else ""
    return (f"SELECT {', '.join(cols) or '*'} FROM read_parquet({literal}{option})",
            present + positions)


def arrow_input(df: pd.DataFrame | Path | None, columns: dict[str, str]) -> pa.Table | None:
    """The columns of ``df`` (a frame or a Parquet file) that a query reads, as Arrow
    (None for a missing table): an all-missing object column gets its declared type;
    the row position is added where the query asks for it."""
    if df is None:
        return None
    if isinstance(df, Path):
        table = pq.read_table(df, columns=parquet_columns(df, columns))
        return _with_positions(table, columns)
    present = [c for c in columns if c in df.columns]
    table = pa.Table.from_pandas(df[present], preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(ARROW_TYPES[columns[field.name]]))
    return _with_positions(table, columns)


def _with_positions(table: pa.Table, columns: dict[str, str]) -> pa.Table:
    for c, kind in columns.items():
        if kind == ROW_POSITION:
            table = table.append_column(c, pa.array(np.arange(len(table), dtype=np.int64)))
    return table


def input_select(source: str | None, present: list[str], columns: dict[str, str]) -> str:
    """``SELECT`` every declared column from ``source``: those of ``present`` as they
    are, the others NULL; no row when there is no source."""
    parts = []
    for c, kind in columns.items():
        sql_type = "BIGINT" if kind == ROW_POSITION else kind
        parts.append(c if c in present else f"CAST(NULL AS {sql_type}) AS {c}")
    return f"SELECT {', '.join(parts)} FROM {source}" if source else \
        f"SELECT {', '.join(parts)} WHERE false"


def input_view(name: str, source: str | None, present: list[str], columns: dict[str, str]) -> str:
    """``CREATE VIEW name`` as :func:`input_select`."""
    return f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {input_select(source, present, columns)}"


def _mapped(arrow_type: pa.DataType):
    return pd.Int64Dtype() if pa.types.is_integer(arrow_type) else None


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A query result as pandas: integers as nullable ``Int64``, text as ``str``,
    timestamps as ``datetime64``."""
    return table.to_pandas(types_mapper=_mapped)
