"""Cells of any type as text: the one form every reader hands on.

Numbers, booleans and date cells from workbooks and Parquet files become the text a
user would type (integral numbers without '.0', dates as ISO text in Beijing time),
so that ``clean`` parses every format's cells the same way.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from toolkit.ingest.text import as_text, map_unique

BEIJING = "Asia/Shanghai"


def cell_str(v: object) -> str:
    """One non-text cell as text: integral numbers without '.0' or exponent, other
    numbers in their shortest exact form, date cells as ISO text (rounded to the
    second; tz-aware times converted to Beijing time)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        v = float(v)
        if v != v:
            return ""
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        return repr(v)
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            v = v.tz_convert(BEIJING).tz_localize(None)
        v = v.round("s")
        return v.isoformat(sep=" ")
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = pd.Timestamp(v).tz_convert(BEIJING).tz_localize(None).to_pydatetime()
        if v.microsecond:
            v = (v + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


def cell_text(col: pd.Series) -> pd.Series:
    """A column of cells of any type as ``str`` dtype, '' for empty cells."""
    if col.dtype == "str":
        return as_text(col)
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        c = col
        if getattr(c.dt, "tz", None) is not None:
            c = c.dt.tz_convert(BEIJING).dt.tz_localize(None)
        out = c.dt.round("s").dt.strftime("%Y-%m-%d %H:%M:%S")
        return out.astype("str").fillna("")
    if pd.api.types.is_integer_dtype(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype):
        return col.astype("str").fillna("").replace("<NA>", "")
    if col.dtype == object and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
        return col.astype("str").fillna("")
    return map_unique(col, cell_str).fillna("").astype("str")
