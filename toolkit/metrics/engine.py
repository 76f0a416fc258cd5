"""Run a query of :mod:`toolkit.metrics.queries` on DuckDB: connect, register the clean
tables (pandas frames, through Arrow: no copy of their text columns), execute, return
pandas.

Only the columns a query reads are registered. A table that is missing (None) becomes
an empty one with the declared columns, a declared column that a table lacks becomes
NULL of its type, so the SQL never depends on which optional inputs the year has.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.metrics.queries import ROW_POSITION


def timestamp_literal(ts) -> str:
    """A SQL timestamp literal (``TIMESTAMP '2022-12-31 23:59:59'``)."""
    return f"TIMESTAMP '{pd.Timestamp(ts).isoformat(sep=' ')}'"


def run(sql: str, frames: dict[str, pd.DataFrame | None], inputs: dict[str, dict[str, str]],
        **literals) -> pd.DataFrame:
    """The result of ``sql`` (its ``{name}`` placeholders filled from ``literals``) over
    ``frames``, registered as the tables of ``inputs``. Integer columns come back as
    ``Int64``, text as ``str``, timestamps as ``datetime64``."""
    con = duckdb.connect()
    try:
        # every query orders its result: no need to keep the inputs' order (less memory)
        con.execute("SET preserve_insertion_order = false")
        for name, columns in inputs.items():
            register(con, name, frames.get(name), columns)
        result = con.sql(sql.format(**literals)).to_arrow_table()
    finally:
        con.close()
    return to_pandas(result)


def arrow_input(df: pd.DataFrame | None, columns: dict[str, str]) -> pa.Table | None:
    """The columns of ``df`` that a query reads, as Arrow (None for a missing table);
    the row position where the query asks for it."""
    if df is None:
        return None
    present = [c for c in columns if c in df.columns]
    table = pa.Table.from_pandas(df[present], preserve_index=False)
    for c, kind in columns.items():
        if kind == ROW_POSITION:
            table = table.append_column(c, pa.array(np.arange(len(df), dtype=np.int64)))
    return table


def input_view(name: str, source: str | None, present: list[str], columns: dict[str, str],
               null_typed: tuple[str, ...] = ()) -> str:
    """``CREATE VIEW name`` over ``source`` with every declared column: those of
    ``present`` as they are (cast where they hold no type, an all-missing object column),
    the others NULL; an empty view when there is no source."""
    parts = []
    for c, kind in columns.items():
        sql_type = "BIGINT" if kind == ROW_POSITION else kind
        if c in present and c not in null_typed:
            parts.append(c)
        elif c in present:
            parts.append(f"CAST({c} AS {sql_type}) AS {c}")
        else:
            parts.append(f"CAST(NULL AS {sql_type}) AS {c}")
    body = f"SELECT {', '.join(parts)} FROM {source}" if source else \
        f"SELECT {', '.join(parts)} WHERE false"
    return f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {body}"


def register(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame | None,
             columns: dict[str, str]) -> None:
    """Make ``df`` the table ``name`` of ``con`` (see :func:`input_view`)."""
    table = arrow_input(df, columns)
    if table is None:
        con.execute(input_view(name, None, [], columns))
        return
    source = f"{name}_input"
    con.register(source, table)
    null_typed = tuple(f.name for f in table.schema if pa.types.is_null(f.type))
    con.execute(input_view(name, source, table.column_names, columns, null_typed))


def _mapped(arrow_type: pa.DataType):
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    return None


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A query result as pandas: integers as nullable ``Int64``."""
    return table.to_pandas(types_mapper=_mapped)
