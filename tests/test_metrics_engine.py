"""The DuckDB runner: inputs registered through Arrow, missing tables and columns as
typed NULLs, results as pandas with nullable integers."""

from __future__ import annotations

import pandas as pd

from toolkit.metrics import engine
from toolkit.metrics.queries import ROW_POSITION

COLUMNS = {"unit_id": "VARCHAR", "amount_fen": "BIGINT", "paid_at": "TIMESTAMP"}


def test_a_missing_table_is_empty_with_its_columns():
    out = engine.run("SELECT * FROM t", {}, {"t": COLUMNS})
    assert list(out.columns) == list(COLUMNS) and out.empty
    assert str(out["amount_fen"].dtype) == "Int64"


def test_a_missing_column_is_null_and_only_declared_columns_are_read():
    df = pd.DataFrame({"unit_id": ["U1", "U2"], "other": [[1], [2]]})  # lists: never registered
    out = engine.run("SELECT * FROM t ORDER BY unit_id", {"t": df}, {"t": COLUMNS})
    assert out["unit_id"].tolist() == ["U1", "U2"]
    assert out["amount_fen"].isna().all() and out["paid_at"].isna().all()
    assert "other" not in out.columns


def test_an_all_missing_object_column_gets_its_type():
    df = pd.DataFrame({"unit_id": pd.Series([None], dtype=object), "amount_fen": [5]})
    out = engine.run("SELECT unit_id || 'x' AS u, amount_fen + 1 AS a FROM t", {"t": df}, {"t": COLUMNS})
    assert out["u"].isna().all() and out["a"].tolist() == [6]


def test_integers_come_back_nullable_and_literals_are_filled_in():
    df = pd.DataFrame({"unit_id": ["U1", "U2"], "amount_fen": [10, 20],
                       "paid_at": pd.to_datetime(["2022-01-01", "2023-01-01"]).astype("datetime64[ns]")})
    sql = "SELECT unit_id, CASE WHEN paid_at <= {end} THEN amount_fen END AS fen FROM t ORDER BY 1"
    out = engine.run(sql, {"t": df}, {"t": COLUMNS}, end=engine.timestamp_literal("2022-12-31 23:59:59"))
    assert str(out["fen"].dtype) == "Int64"
    assert out["fen"].tolist() == [10, pd.NA]


def test_timestamp_literal():
    assert engine.timestamp_literal(pd.Timestamp("2022-12-31 23:59:59")) == "TIMESTAMP '2022-12-31 23:59:59'"


def test_row_position_is_added():
    df = pd.DataFrame({"unit_id": ["b", "a", "c"]})
    out = engine.run("SELECT unit_id FROM t ORDER BY pos DESC", {"t": df},
                     {"t": {"unit_id": "VARCHAR", "pos": ROW_POSITION}})
    assert out["unit_id"].tolist() == ["c", "a", "b"]
