"""How the clean tables become the inputs of a metric query and its result a frame, for
every engine: the declared columns as Arrow (no copy of the text columns), the views
that stand in for missing tables and columns, timestamp literals, results as pandas.

Only the columns a query reads are taken. A table that is missing (None) becomes an
empty one with the declared columns, a declared column that a table lacks becomes NULL
of its type, so the SQL never depends on which optional inputs the year has.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.metrics.queries import ROW_POSITION

#: the Arrow type of each SQL type of ``queries.INPUTS`` (for all-missing columns)
ARROW_TYPES = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "TIMESTAMP": pa.timestamp("ns"),
               "BOOLEAN": pa.bool_(), ROW_POSITION: pa.int64()}


def timestamp_literal(ts) -> str:
    """A SQL timestamp literal (``TIMESTAMP '2022-12-31 23:59:59'``)."""
    return f"TIMESTAMP '{pd.Timestamp(ts).isoformat(sep=' ')}'"


def arrow_input(df: pd.DataFrame | None, columns: dict[str, str]) -> pa.Table | None:
    """The columns of ``df`` that a query reads, as Arrow (None for a missing table): an
    all-missing object column gets its declared type; the row position is added where
    the query asks for it."""
    if df is None:
        return None
    present = [c for c in columns if c in df.columns]
    table = pa.Table.from_pandas(df[present], preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(ARROW_TYPES[columns[field.name]]))
    for c, kind in columns.items():
        if kind == ROW_POSITION:
            table = table.append_column(c, pa.array(np.arange(len(df), dtype=np.int64)))
    return table


def input_view(name: str, source: str | None, present: list[str], columns: dict[str, str]) -> str:
    """``CREATE VIEW name`` over ``source`` with every declared column: those of
    ``present`` as they are, the others NULL; an empty view when there is no source."""
    parts = []
    for c, kind in columns.items():
        sql_type = "BIGINT" if kind == ROW_POSITION else kind
        parts.append(c if c in present else f"CAST(NULL AS {sql_type}) AS {c}")
    body = f"SELECT {', '.join(parts)} FROM {source}" if source else \
        f"SELECT {', '.join(parts)} WHERE false"
    return f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {body}"


def _mapped(arrow_type: pa.DataType):
    return pd.Int64Dtype() if pa.types.is_integer(arrow_type) else None


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A query result as pandas: integers as nullable ``Int64``, text as ``str``,
    timestamps as ``datetime64``."""
    return table.to_pandas(types_mapper=_mapped)
