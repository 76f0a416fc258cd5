"""Run a query of :mod:`toolkit.metrics.queries`: on DuckDB (the default: in process,
the clean tables registered through Arrow) or on Spark (:mod:`toolkit.metrics.spark`,
the optional ``spark`` extra). Inputs and results as :mod:`toolkit.metrics.inputs`
makes them.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import duckdb
import pandas as pd

from toolkit.database import connection
from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.metrics.inputs import arrow_input, duckdb_parquet, input_view, to_pandas

ENGINES = ("duckdb", "spark")

def run(sql: str, frames: dict[str, pd.DataFrame | Path | None],
        inputs: dict[str, dict[str, str]], engine: str = "duckdb", **literals) -> pd.DataFrame:
    """The result of ``sql`` (its ``{name}`` placeholders filled from ``literals``) over
    ``frames`` (frames or Parquet files), registered as the tables of ``inputs``, on
    ``engine``."""
    if engine == "spark":
        return spark_runner().run(sql, frames, inputs, **literals)
    if engine != "duckdb":
        raise ParameterError(_("unknown engine {engine!r}").format(engine=engine), expected=" or ".join(ENGINES))
    con = connection()
    try:
        for name, columns in inputs.items():
            register(con, name, frames.get(name), columns)
        result = con.sql(sql.format(**literals)).to_arrow_table()
    finally:
        con.close()
    return to_pandas(result)


def register(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame | Path | None,
             columns: dict[str, str]) -> None:
    """Make ``df`` the table ``name`` of ``con`` (see :func:`inputs.input_view`); a
    Parquet file is read by DuckDB itself."""
    if isinstance(df, Path):
        select, present = duckdb_parquet(df, columns)
        con.execute(f"CREATE OR REPLACE TEMPORARY VIEW {name}_input AS {select}")
        con.execute(input_view(name, f"{name}_input", present, columns))
        return
    table = arrow_input(df, columns)
    if table is None:
        con.execute(input_view(name, None, [], columns))
        return
    source = f"{name}_input"
    con.register(source, table)
    con.execute(input_view(name, source, table.column_names, columns))


def spark_runner():
    """:mod:`toolkit.metrics.spark`, imported on first use: PySpark and sqlglot are an
    optional extra (``spark``), and importing them costs about 0.2 s (measured warm)."""
    if importlib.util.find_spec("pyspark") is None or importlib.util.find_spec("sqlglot") is None:
        raise ParameterError(_("engine spark needs PySpark and sqlglot"),
                             hint=_("pip install 'hnou-training-awards[spark]' (and a Java runtime)"))
    return importlib.import_module("toolkit.metrics.spark")
