"""Value parsers: amounts, dates and times, identifiers, coded words, text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.ingest import contract, parse
from toolkit.ingest.read import _cell_str


def one(func, value):
    return func(pd.Series([value], dtype=object))[0]


# --- amounts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, fen",
    [
        ("180", 18000), ("180.00", 18000), ("180.5", 18050), ("1,800", 180000),
        ("1,800.50", 180050), ("¥180", 18000), ("￥180", 18000), ("180元", 18000),
        ("１８０", 18000), ("１，８００．００", 180000), ("1.8万", 1800000), ("1.8万元", 1800000),
        ("-180", -18000), ("¥-180", -18000), ("-¥180", -18000), (" 180 ", 18000),
        ("180.000", 18000), ("0.000001万", 1), ("RMB 180", 18000), ("0", 0),
    ],
)
def test_amount_forms(text, fen):
    assert one(parse.amount_fen, text) == fen


@pytest.mark.parametrize("text", ["abc", "180.005", "1.8.0", "18O", "1e3", "万", "¥", "1,80",
                                  "12345678901234567", "1.00000001万"])
def test_amount_bad(text):
    assert pd.isna(one(parse.amount_fen, text))


def test_amount_empty_is_na_and_dtype():
    out = parse.amount_fen(pd.Series(["", None, "1"], dtype=object))
    assert str(out.dtype) == "Int64"
    assert out.isna().tolist() == [True, True, False]


def test_amount_from_excel_float_cells():
    # what calamine hands over for numeric cells, rendered by ingest
    for v, fen in [(180.0, 18000), (180.5, 18050), (0.1, 10), (1800, 180000), (99.99, 9999)]:
        assert one(parse.amount_fen, _cell_str(v)) == fen


def _full_width(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.,"})


def _format_amount(fen: int, form: int) -> str:
    sign = "-" if fen < 0 else ""
    a = abs(fen)
    yuan, cents = divmod(a, 100)
    plain = f"{yuan}.{cents:02d}"
    if form == 0:
        return sign + plain
    if form == 1:
        return f"{sign}{yuan:,}.{cents:02d}"
    if form == 2:
        return f"{sign}¥{plain}"
    if form == 3:
        return f"{sign}￥{yuan:,}.{cents:02d}元"
    if form == 4:
        return sign + _full_width(plain)
    if form == 5:  # 万: yuan / 10000 with up to 6 decimals
        w, rest = divmod(a, 1_000_000)
        return f"{sign}{w}.{rest:06d}万" + ("元" if a % 2 else "")
    if form == 6:  # an Excel number cell
        return _cell_str(float(sign + plain))
    return f"{sign}{plain}元"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(10**11), max_value=10**11), st.integers(min_value=0, max_value=7))
def test_amount_reads_back_every_form(fen, form):
    assert one(parse.amount_fen, _format_amount(fen, form)) == fen


# --- dates and times -----------------------------------------------------------------

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
    assert one(parse.datetimes, text) == expected


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13-01", "2022-03-05 25:00", "x", "2022",
                                  "3/5/2022", "14:03:07", "9999", "2022-03-05 14:61"])
def test_datetime_bad(text):
    assert pd.isna(one(parse.datetimes, text))


def test_parsers_keep_the_index():
    # the parsers see slices of a frame: their index is not 0..n-1
    idx = [7, 3, 11, 5]
    d = parse.datetimes(pd.Series(["2022年3月5日", "2022/3/5 1:01", "2022-03-05", "x"], index=idx))
    assert d.index.tolist() == idx
    assert d.tolist()[:3] == [T("2022-03-05"), T("2022-03-05 01:01"), T("2022-03-05")]
    assert pd.isna(d[5])
    a = parse.amount_fen(pd.Series(["1", "1", "2元", "x"] * 10, index=range(100, 140)))
    assert a.index.tolist() == list(range(100, 140)) and a.tolist()[:4] == [100, 100, 200, pd.NA]


def test_datetime_dtype_and_empty():
    out = parse.datetimes(pd.Series(["", None, "2022-01-01"], dtype=object))
    assert str(out.dtype) == "datetime64[ns]"
    assert out.isna().tolist() == [True, True, False]


def test_excel_date_cells():
    assert one(parse.datetimes, _cell_str(dt.datetime(2022, 3, 5, 14, 3, 7))) == T("2022-03-05 14:03:07")
    # a datetime cell a hair off the second is rounded
    assert one(parse.datetimes, _cell_str(dt.datetime(2022, 3, 5, 14, 3, 6, 999_700))) == T(
        "2022-03-05 14:03:07")
    assert one(parse.datetimes, _cell_str(dt.date(2022, 3, 5))) == T("2022-03-05")
    assert one(parse.datetimes, _cell_str(44625.0)) == T("2022-03-05")


def test_dates_floor_to_midnight():
    assert one(parse.dates, "2022-03-05 14:03") == T("2022-03-05")


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
    return _cell_str(ts.to_pydatetime())


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2099, 12, 31)),
       st.integers(min_value=0, max_value=13))
def test_datetime_reads_back_every_form(value, form):
    ts = T(value).floor("s")
    assert one(parse.datetimes, _format_datetime(ts, form)) == ts


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.integers(min_value=0, max_value=4))
def test_date_reads_back_date_only_forms(value, form):
    ts = T(value)
    y, m, d = ts.year, ts.month, ts.day
    text = [f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}{m:02d}{d:02d}",
            f"{y}年{m}月{d}日"][form]
    assert one(parse.dates, text) == ts


# --- identifiers and text -------------------------------------------------------------


def test_identifiers_kept_as_written():
    s = pd.Series(["007", " 00123 ", '="000456"', "123456789012345678", "", None], dtype=object)
    assert parse.identifier(s).tolist() == ["007", "00123", "000456", "123456789012345678", "", ""]


def test_excel_numeric_id_cells():
    assert _cell_str(123456789012.0) == "123456789012"
    assert _cell_str(4.30102199001011e17) == "430102199001011008"  # as stored: no exponent
    assert _cell_str(7) == "7"
    assert _cell_str(True) == "true"
    assert _cell_str(None) == ""


def test_text_nfkc_and_trim():
    s = pd.Series(["  长沙（分校） ", "ＡＢＣ１２３", None], dtype=object)
    assert parse.text(s).tolist() == ["长沙(分校)", "ABC123", ""]


def test_unit_key():
    assert parse.unit_key(" 株洲开放大学（分校） ") == parse.unit_key("株洲 开放大学(分校)")


# --- coded words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [contract.TRACK_WORDS, contract.STATUS_WORDS, contract.SEVERITY_WORDS, contract.CATEGORY_WORDS,
     contract.BOOL_WORDS],
)
def test_every_coded_word(words):
    for code, ws in words.items():
        variants = []
        for w in ws:
            variants += [w, f" {w} ", w.upper(), parse.nfkc(w).translate(
                {ord(c): ord(c) + 0xFEE0 for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"})]
        out = parse.coded(pd.Series(variants, dtype=object), words)
        assert out.tolist() == [code] * len(variants), (code, variants)


def test_coded_unknown_is_none():
    out = parse.coded(pd.Series(["bogus", "", None], dtype=object), contract.TRACK_WORDS)
    assert out.tolist() == [None, None, None]


def test_datetimes_on_a_chunked_arrow_column():
    # a column read by pyarrow arrives in chunks; the fixed-width fast path reads the
    # Arrow buffers directly
    import pyarrow as pa

    s = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([
        pa.array(["2022-03-05 14:03:07", "x"]), pa.array(["2022-03-05", "2022/3/5 9:05", ""])])))
    out = parse.datetimes(s)
    assert out.tolist()[:3] == [pd.Timestamp("2022-03-05 14:03:07"), pd.NaT,
                                pd.Timestamp("2022-03-05")]
    assert out.iloc[3] == pd.Timestamp("2022-03-05 09:05") and pd.isna(out.iloc[4])


# --- factorize: ids as integer codes --------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        ["007", "7", "007", None, "12", "7"],  # leading zeros matter; NA is -1
        ["2022051619541303635871", "2022051619541303635871", "1"],  # 22 digits: pandas' path
        ["12345678901234567", "1234567890123456", "12345678901234567"],  # 17 digits: integers
        ["A01", "A01", "01"],
        ["", "1", "", "1"],
        ["１２", "12"],  # full-width digits are other characters
        [None, None],
        ["5"],
        [],
    ],
)
def test_factorize_equals_pandas(values):
    _factorizes_like_pandas(values)


def _factorizes_like_pandas(values) -> None:
    s = pd.Series(values, dtype="str")
    codes, uniques = parse.factorize(s)
    want_codes, want_uniques = pd.factorize(s)
    assert codes.tolist() == want_codes.tolist()
    assert list(uniques) == list(want_uniques)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.from_regex(r"\A[0-9]{1,19}\Z")), max_size=40))
def test_factorize_digit_ids_equals_pandas(values):
    _factorizes_like_pandas(values)
