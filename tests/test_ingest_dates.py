"""Dates and times in every notation a file writes them, as tz-naive Beijing time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import one

from toolkit.ingest.cells import cell_str
from toolkit.ingest.dates import dates, datetimes

T = pd.Timestamp


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-03-05", T("2022-03-05")), ("2022/3/5", T("2022-03-05")), ("2022.3.5", T("2022-03-05")),
        ("20220305", T("2022-03-05")), ("2022年3月5日", T("2022-03-05")),
        ("2022-03-05 14:03", T("2022-03-05 14:03")), ("2022/3/5 14:03:07", T("2022-03-05 14:03:07")),
        ("2022.3.5 14:03", T("2022-03-05 14:03")), ("20220305 14:03:07", T("2022-03-05 14:03:07")),
        ("2022年3月5日 14时03分", T("2022-03-05 14:03")), ("2022年3月5日14时03分07秒", T("2022-03-05 14:03:07")),
        ("2022-03-05T14:03:07", T("2022-03-05 14:03:07")),
        ("2022-03-05T14:03:07+08:00", T("2022-03-05 14:03:07")),
        ("2022-03-05T06:03:07Z", T("2022-03-05 14:03:07")),
        ("2022-03-05T01:03:07-05:00", T("2022-03-05 14:03:07")),
        ("2022-03-05T14:03:07.250", T("2022-03-05 14:03:07.25")),
        ("２０２２－０３－０５", T("2022-03-05")),
        ("44625", T("2022-03-05")), ("44625.5", T("2022-03-05 12:00")),
        ("44625.585497685", T("2022-03-05 14:03:07")),
    ],
)
def test_datetime_forms(text, expected):
    assert one(datetimes, text) == expected


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13-01", "2022-03-05 25:00", "x", "2022",
                                  "3/5/2022", "14:03:07", "9999", "2022-03-05 14:61"])
def test_datetime_bad(text):
    assert pd.isna(one(datetimes, text))


def test_datetimes_keep_the_index():
    # the parsers see slices of a frame: their index is not 0..n-1
    idx = [7, 3, 11, 5]
    d = datetimes(pd.Series(["2022年3月5日", "2022/3/5 1:01", "2022-03-05", "x"], index=idx))
    assert d.index.tolist() == idx
    assert d.tolist()[:3] == [T("2022-03-05"), T("2022-03-05 01:01"), T("2022-03-05")]
    assert pd.isna(d[5])


def test_datetime_dtype_and_empty():
    out = datetimes(pd.Series(["", None, "2022-01-01"], dtype=object))
    assert str(out.dtype) == "datetime64[ns]"
    assert out.isna().tolist() == [True, True, False]


def test_excel_date_cells():
    assert one(datetimes, cell_str(dt.datetime(2022, 3, 5, 14, 3, 7))) == T("2022-03-05 14:03:07")
    # a datetime cell a hair off the second is rounded
    assert one(datetimes, cell_str(dt.datetime(2022, 3, 5, 14, 3, 6, 999_700))) == T(
        "2022-03-05 14:03:07")
    assert one(datetimes, cell_str(dt.date(2022, 3, 5))) == T("2022-03-05")
    assert one(datetimes, cell_str(44625.0)) == T("2022-03-05")


def test_dates_floor_to_midnight():
    assert one(dates, "2022-03-05 14:03") == T("2022-03-05")


def _serial(ts: pd.Timestamp) -> str:
    return repr((ts - T("1899-12-30")) / pd.Timedelta(days=1))


def _format_datetime(ts: pd.Timestamp, form: int) -> str:
    y, m, d, H, M, S = ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second
    dates = [f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}{m:02d}{d:02d}",
             f"{y}年{m}月{d}日"]
    if form < 5:
        return f"{dates[form]} {H:02d}:{M:02d}:{S:02d}"
    if form < 10:
        return f"{dates[form - 5]} {H}时{M:02d}分{S:02d}秒"
    if form == 10:
        return ts.strftime("%Y-%m-%dT%H:%M:%S")
    if form == 11:  # the same moment in UTC
        return (ts - pd.Timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if form == 12:
        return _serial(ts)
    return cell_str(ts.to_pydatetime())


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2099, 12, 31)),
       st.integers(min_value=0, max_value=13))
def test_datetime_reads_back_every_form(value, form):
    ts = T(value).floor("s")
    assert one(datetimes, _format_datetime(ts, form)) == ts


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.integers(min_value=0, max_value=4))
def test_date_reads_back_date_only_forms(value, form):
    ts = T(value)
    y, m, d = ts.year, ts.month, ts.day
    text = [f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}{m:02d}{d:02d}",
            f"{y}年{m}月{d}日"][form]
    assert one(dates, text) == ts


def test_datetimes_on_a_chunked_arrow_column():
    # a column read by pyarrow arrives in chunks; the fixed-width fast path reads the
    # Arrow buffers directly
    import pyarrow as pa

    s = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([
        pa.array(["2022-03-05 14:03:07", "x"]), pa.array(["2022-03-05", "2022/3/5 9:05", ""])])))
    out = datetimes(s)
    assert out.tolist()[:3] == [pd.Timestamp("2022-03-05 14:03:07"), pd.NaT,
                                pd.Timestamp("2022-03-05")]
    assert out.iloc[3] == pd.Timestamp("2022-03-05 09:05") and pd.isna(out.iloc[4])
