"""The clean tables follow the schema (toolkit.clean.schema)."""

from __future__ import annotations

import pandas as pd
from ingest_helpers import load, minimal_year

from toolkit.clean.schema import SCHEMA


def test_clean_tables_follow_the_schema(tmp_path):
    yd = load(minimal_year(tmp_path))
    for table, df in yd.tables.items():
        assert list(df.columns) == list(SCHEMA[table]), table
        for col, dtype in SCHEMA[table].items():
            assert str(df[col].dtype) == dtype, (table, col)
    assert yd.tables["staff_payments"].iloc[0].to_dict() == {
        "order_id": "P1", "trainee_id": "007", "unit_id": "U001", "amount_fen": 18000,
        "paid_at": pd.Timestamp("2022-03-05 14:03")}
    assert yd.tables["units"].set_index("unit_id").loc["U001", "aliases"] == ["长沙电大", "长沙分校"]
    assert yd.tables["contracts"]["track"].tolist() == ["staff", "professional"]
    assert yd.missing_tables == ["complaints", "nominations", "rsvp"]
    assert not yd.from_cache
    assert {f.table for f in yd.files} == set(yd.tables)
    assert all(len(f.sha256) == 64 for f in yd.files)
