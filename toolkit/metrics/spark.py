"""The metric queries on Spark: the SQL of :mod:`toolkit.metrics.queries`, written for
DuckDB, transpiled by sqlglot to Spark SQL and run on a local PySpark session
(``local[*]``) over the clean tables written as Parquet (a table of the clean store,
``YearData.source``, is read from its file as it is).

Where the session runs is the environment's ``TOOLKIT_SPARK_MASTER`` (a master URL:
``spark://host:7077`` for a standalone cluster, ``yarn``, ``k8s://…``), else ``local[*]``;
the Parquet files it writes for inputs that are not store files go to
``TOOLKIT_SPARK_SCRATCH`` (else the system's temporary folder), which on a cluster of
several hosts must be a folder every executor reads by the same path.

The optional ``spark`` extra (PySpark, sqlglot) and a Java runtime are needed. Times are
tz-naive throughout (Parquet timestamps not adjusted to UTC are read as
``TIMESTAMP_NTZ``, which is what sqlglot makes of DuckDB's ``TIMESTAMP``); the session's
time zone is UTC so that nothing is shifted.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import sqlglot
from pyspark.sql import SparkSession

from toolkit.metrics.inputs import arrow_input, input_view, parquet_columns, to_pandas
from toolkit.metrics.queries import ROW_POSITION

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


#: the environment variables that place the session and its scratch files
MASTER_VARIABLE = "TOOLKIT_SPARK_MASTER"
SCRATCH_VARIABLE = "TOOLKIT_SPARK_SCRATCH"
#: the application's name, as a cluster's master lists it
APP_NAME = "toolkit-metrics"


def master() -> str:
    """The master URL the session is started on: ``TOOLKIT_SPARK_MASTER``, else local."""
    return os.environ.get(MASTER_VARIABLE, "").strip() or "local[*]"


def scratch() -> str | None:
    """The folder for the session's input files (``TOOLKIT_SPARK_SCRATCH``), or ``None``
    for the system's temporary folder."""
    return os.environ.get(SCRATCH_VARIABLE, "").strip() or None


@cache
def session() -> SparkSession:
    """The Spark session (started once per process: a few seconds), on :func:`master`;
    a session that exists already (one a ``spark-submit`` job made) is taken as it is."""
    builder = SparkSession.builder.master(master()).appName(APP_NAME)
    for key, value in SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(sql: str, frames: dict[str, pd.DataFrame | None], inputs: dict[str, dict[str, str]],
        **literals) -> pd.DataFrame:
    """As :func:`toolkit.metrics.engine.run`, on Spark."""
    with tempfile.TemporaryDirectory(prefix="toolkit-spark-", dir=scratch()) as folder, warnings.catch_warnings():
        # PySpark warns about pandas 3 when it starts and converts; no pandas frame goes
        # through PySpark here (Parquet in, Arrow out), and the results are checked
        # against DuckDB's (tests/test_metrics_spark.py)
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        spark = session()
        for name, columns in inputs.items():
            source = frames.get(name)
            if isinstance(source, Path) and ROW_POSITION not in columns.values():
                # a file of the clean store: Spark reads it as it is (microsecond times)
                spark.read.parquet(str(source)).createOrReplaceTempView(f"{name}_input")
                spark.sql(to_spark(input_view(name, f"{name}_input",
                                              parquet_columns(source, columns), columns)))
                continue
            table = arrow_input(source, columns)
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


def run_files(sql: str, files: dict[str, tuple[Path, list[str]]],
              views: dict[str, str]) -> pd.DataFrame:
    """``sql`` (DuckDB's dialect) over Parquet files registered as views: ``files`` maps
    a view to its file (a path or a URL Spark reads) and the columns to fill with each
    row's position in the file (``_metadata.row_index``); ``views`` are then defined
    over them, in order (name -> query)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        spark = session()
        for view, (path, positions) in files.items():
            df = spark.read.parquet(str(path))
            if positions:
                df = df.select("*", *[df["_metadata.row_index"].alias(c) for c in positions])
            df.createOrReplaceTempView(view)
        for view, body in views.items():
            spark.sql(to_spark(f"CREATE OR REPLACE TEMPORARY VIEW {view} AS {body}"))
        return to_pandas(spark.sql(to_spark(sql)).toArrow())
