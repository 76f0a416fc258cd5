"""Cells of any type as text: the one form every reader hands on.

Numbers, booleans and date cells from workbooks and Parquet files become the text a
user would type (integral numbers without '.0', dates as ISO text in Beijing time),
so that ``clean`` parses every format's cells the same way.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from toolkit.ingest.text import arrow_strings, as_text, map_unique

BEIJING = "Asia/Shanghai"

#: The key in a reader's ``frame.attrs`` of the (row position, column position) of its
#: number cells whose digits cannot be trusted (see ``imprecise_number``); a reader that
#: does not set it leaves the judgement to the types of its cells.
IMPRECISE = "imprecise_numbers"
#: The text of a number cell that may be imprecise: 16 digits or more, or an exponent.
LONG_NUMBER = r"^-?[0-9]{16,}$|^-?[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+$"
#: The significant digits Excel keeps (and a double holds exactly).
EXCEL_DIGITS = 15


def imprecise_number(v: object) -> bool:
    """Whether a number cell's value has more digits than Excel keeps: more than 15
    significant digits, or 16 or more before the point (Excel turned every digit after
    the 15th into 0, or the file holds more than a double can: either way the last
    digits read are not those written). False for anything but a number."""
    if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.integer | np.floating):
        return False
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        return False
    if abs(v) >= 10.0 ** EXCEL_DIGITS:
        return True
    mantissa = repr(v).lower().split("e")[0]
    return len(mantissa.replace("-", "").replace(".", "").strip("0")) > EXCEL_DIGITS


def long_number_rows(col: pd.Series) -> np.ndarray:
    """Positions of the text cells of a column that look like a long number
    (``LONG_NUMBER``; pyarrow, no per-value Python)."""
    hit = pc.match_substring_regex(arrow_strings(as_text(col)), pattern=LONG_NUMBER)
    return np.flatnonzero(hit.to_numpy(zero_copy_only=False))


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
