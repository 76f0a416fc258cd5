"""The metric queries on Spark: the SQL of :mod:`toolkit.metrics.queries`, written for
DuckDB, transpiled by sqlglot to Spark SQL and run on a local PySpark session
(``local[*]``) over the clean tables written as Parquet.

The optional ``spark`` extra (PySpark, sqlglot) and a Java runtime are needed. Times are
tz-naive throughout (Parquet timestamps not adjusted to UTC are read as
``TIMESTAMP_NTZ``, which is what sqlglot makes of DuckDB's ``TIMESTAMP``); the session's
time zone is UTC so that nothing is shifted.
"""

from __future__ import annotations

import tempfile
import warnings
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import sqlglot
from pyspark.sql import SparkSession

from toolkit.metrics.inputs import arrow_input, input_view, to_pandas

#: the session's settings: local, quiet, no web UI, few shuffle partitions (the tables of
#: a year are small for Spark)
SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.ansi.enabled": "false",
}


def to_spark(sql: str) -> str:
    """``sql`` from DuckDB's dialect to Spark's (one statement)."""
    (out,) = sqlglot.transpile(sql, read="duckdb", write="spark")
    return out


@cache
def session() -> SparkSession:
    """The local Spark session (started once per process: a few seconds)."""
    builder = SparkSession.builder.master("local[*]").appName("toolkit-metrics")
    for key, value in SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(sql: str, frames: dict[str, pd.DataFrame | None], inputs: dict[str, dict[str, str]],
        **literals) -> pd.DataFrame:
    """As :func:`toolkit.metrics.engine.run`, on Spark."""
    with tempfile.TemporaryDirectory(prefix="toolkit-spark-") as folder, warnings.catch_warnings():
        # PySpark warns about pandas 3 when it starts and converts; no pandas frame goes
        # through PySpark here (Parquet in, Arrow out), and the results are checked
        # against DuckDB's (tests/test_metrics_spark.py)
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        spark = session()
        for name, columns in inputs.items():
            table = arrow_input(frames.get(name), columns)
            if table is None:
                spark.sql(to_spark(input_view(name, None, [], columns)))
                continue
            path = Path(folder) / f"{name}.parquet"
            # Spark reads no nanosecond timestamps; the clean tables' times are whole seconds
            pq.write_table(table, path, coerce_timestamps="us")
            spark.read.parquet(str(path)).createOrReplaceTempView(f"{name}_input")
            spark.sql(to_spark(input_view(name, f"{name}_input", table.column_names, columns)))
        result = spark.sql(to_spark(sql.format(**literals))).toArrow()
    return to_pandas(result)
