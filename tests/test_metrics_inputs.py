"""Query inputs: the declared columns as Arrow, the stand-in views, literals, results."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from toolkit.metrics.inputs import arrow_input, input_view, timestamp_literal, to_pandas
from toolkit.metrics.queries import ROW_POSITION

COLUMNS = {"unit_id": "VARCHAR", "amount_fen": "BIGINT", "pos": ROW_POSITION}


def test_timestamp_literal():
    assert timestamp_literal(pd.Timestamp("2022-12-31 23:59:59")) == "TIMESTAMP '2022-12-31 23:59:59'"
    assert timestamp_literal("2022-12-31") == "TIMESTAMP '2022-12-31 00:00:00'"


def test_arrow_input_takes_the_declared_columns_types_empty_ones_and_adds_the_position():
    df = pd.DataFrame({"unit_id": pd.Series([None, None], dtype=object), "extra": [1, 2]})
    t = arrow_input(df, COLUMNS)
    assert t.column_names == ["unit_id", "pos"]
    assert t.schema.field("unit_id").type == pa.string()
    assert t.column("pos").to_pylist() == [0, 1]
    assert arrow_input(None, COLUMNS) is None


def test_input_view_nulls_what_is_missing():
    assert input_view("t", "t_input", ["unit_id"], {"unit_id": "VARCHAR", "amount_fen": "BIGINT"}) == (
        "CREATE OR REPLACE TEMPORARY VIEW t AS SELECT unit_id, CAST(NULL AS BIGINT) AS amount_fen FROM t_input")
    assert input_view("t", None, [], {"unit_id": "VARCHAR"}).endswith(
        "SELECT CAST(NULL AS VARCHAR) AS unit_id WHERE false")


def test_to_pandas_integers_nullable():
    out = to_pandas(pa.table({"n": pa.array([1, None], type=pa.int64()), "s": ["a", None]}))
    assert str(out["n"].dtype) == "Int64" and out["n"].tolist() == [1, pd.NA]
