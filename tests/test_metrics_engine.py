"""The DuckDB runner: inputs registered through Arrow, missing tables and columns as
typed NULLs, results as pandas with nullable integers; an unknown engine refused."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from toolkit.exceptions import ParameterError
from toolkit.metrics.engine import run
from toolkit.metrics.inputs import timestamp_literal
from toolkit.metrics.queries import ROW_POSITION

COLUMNS = {"unit_id": "VARCHAR", "amount_fen": "BIGINT", "paid_at": "TIMESTAMP"}


def test_a_missing_table_is_empty_with_its_columns():
    out = run("SELECT * FROM t", {}, {"t": COLUMNS})
    assert list(out.columns) == list(COLUMNS) and out.empty
    assert str(out["amount_fen"].dtype) == "Int64"


def test_a_missing_column_is_null_and_only_declared_columns_are_read():
    df = pd.DataFrame({"unit_id": ["U1", "U2"], "other": [[1], [2]]})  # lists: never registered
    out = run("SELECT * FROM t ORDER BY unit_id", {"t": df}, {"t": COLUMNS})
    assert out["unit_id"].tolist() == ["U1", "U2"]
    assert out["amount_fen"].isna().all() and out["paid_at"].isna().all()
    assert "other" not in out.columns


def test_an_all_missing_object_column_gets_its_type():
    df = pd.DataFrame({"unit_id": pd.Series([None], dtype=object), "amount_fen": [5]})
    out = run("SELECT unit_id || 'x' AS u, amount_fen + 1 AS a FROM t", {"t": df}, {"t": COLUMNS})
    assert out["u"].isna().all() and out["a"].tolist() == [6]


def test_integers_come_back_nullable_and_literals_are_filled_in():
    df = pd.DataFrame({"unit_id": ["U1", "U2"], "amount_fen": [10, 20],
                       "paid_at": pd.to_datetime(["2022-01-01", "2023-01-01"]).astype("datetime64[ns]")})
    sql = "SELECT unit_id, CASE WHEN paid_at <= {end} THEN amount_fen END AS fen FROM t ORDER BY 1"
    out = run(sql, {"t": df}, {"t": COLUMNS}, end=timestamp_literal("2022-12-31 23:59:59"))
    assert str(out["fen"].dtype) == "Int64"
    assert out["fen"].tolist() == [10, pd.NA]


def test_row_position_is_the_row_in_the_frame():
    df = pd.DataFrame({"unit_id": ["b", "a", "c"]})
    out = run("SELECT unit_id FROM t ORDER BY pos DESC", {"t": df},
              {"t": {"unit_id": "VARCHAR", "pos": ROW_POSITION}})
    assert out["unit_id"].tolist() == ["c", "a", "b"]


def test_an_unknown_engine_is_refused():
    with pytest.raises(ParameterError, match="unknown engine"):
        run("SELECT 1 AS x", {}, {}, engine="sqlite")


def test_queries_share_the_process_database_but_not_their_inputs():
    from toolkit.database import connection

    a, b = connection(), connection()
    try:
        a.execute("CREATE TEMPORARY VIEW t AS SELECT 1 AS x")
        with pytest.raises(Exception, match="t"):
            b.execute("SELECT * FROM t").fetchall()  # another cursor's view is not seen
        # the database's setting (every query orders its result) holds on every cursor
        assert b.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)
    finally:
        a.close()
        b.close()
    # the same table name in two runs, one after the other, gives each run its own rows
    assert run("SELECT count(*) AS n FROM t", {"t": pd.DataFrame({"unit_id": ["U1"]})},
               {"t": COLUMNS})["n"].tolist() == [1]
    assert run("SELECT count(*) AS n FROM t", {"t": pd.DataFrame({"unit_id": ["U1", "U2"]})},
               {"t": COLUMNS})["n"].tolist() == [2]


def test_the_database_spills_to_a_temporary_folder_past_its_memory_limit():
    import tempfile

    from toolkit.database import connection

    con = connection()
    try:
        temp, limit = con.execute("SELECT current_setting('temp_directory'), "
                                  "current_setting('memory_limit')").fetchone()
    finally:
        con.close()
    assert temp.startswith(tempfile.gettempdir())  # not .tmp in a notebook's folder
    import duckdb

    from toolkit import database

    other = duckdb.connect()
    other.execute("SET memory_limit = ?", [os.environ.get("TOOLKIT_DUCKDB_MEMORY")
                                           or database.MEMORY_LIMIT])
    assert limit == other.execute("SELECT current_setting('memory_limit')").fetchone()[0]
