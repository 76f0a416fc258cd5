"""The process's one in-memory DuckDB database, shared by the stages that query with it
(the cleaning's whole-table rules, the figures): :func:`connection` hands out cursors."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import duckdb

#: The memory DuckDB may use (its ``memory_limit``) before an aggregation spills to its
#: temporary folder; ``TOOLKIT_DUCKDB_MEMORY`` (e.g. ``4GB``) changes it. A province
#: year's queries need some 400 MB; ten provinces' about 2 GB without a limit (measured,
#: docs/scale.md), so the bound holds a big year's evaluation near the memory of its
#: cleaning at the cost of a few seconds.
MEMORY_LIMIT = "1GB"

_DATABASE: dict[int, duckdb.DuckDBPyConnection] = {}  # process id -> the in-memory database
_DATABASE_LOCK = threading.Lock()


def connection() -> duckdb.DuckDBPyConnection:
    """A fresh connection (a cursor) to the process's in-memory DuckDB database, which
    is made once per process: opening a database costs about 25 ms, a cursor a quarter
    of a millisecond, and an evaluation runs three queries. Each cursor has its own
    temporary views and registered tables (gone when it is closed), so queries on
    different cursors, threads included, do not see each other's inputs. Close it
    after use.

    The database does not keep the inputs' order (``preserve_insertion_order`` off,
    less memory): a query whose result must be in some order says so, or returns the
    positions it needs."""
    with _DATABASE_LOCK:
        db = _DATABASE.get(os.getpid())  # a forked child opens its own
        if db is None:
            db = duckdb.connect()
            db.execute("SET preserve_insertion_order = false")
            limit = os.environ.get("TOOLKIT_DUCKDB_MEMORY") or MEMORY_LIMIT
            db.execute("SET memory_limit = ?", [limit])
            # not DuckDB's default (.tmp in the current folder: a notebook's or a report's)
            db.execute("SET temp_directory = ?",
                       [str(Path(tempfile.gettempdir()) / "toolkit-duckdb")])
            _DATABASE.clear()
            _DATABASE[os.getpid()] = db
        return db.cursor()
