"""Amounts of money as integer fen, in every form a file writes them."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import one

from toolkit.ingest.amounts import amount_fen, integer
from toolkit.ingest.cells import cell_str


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
    assert one(amount_fen, text) == fen


@pytest.mark.parametrize("text", ["abc", "180.005", "1.8.0", "18O", "1e3", "万", "¥", "1,80",
                                  "12345678901234567", "1.00000001万"])
def test_amount_bad(text):
    assert pd.isna(one(amount_fen, text))


def test_amount_empty_is_na_and_dtype():
    out = amount_fen(pd.Series(["", None, "1"], dtype=object))
    assert str(out.dtype) == "Int64"
    assert out.isna().tolist() == [True, True, False]


def test_amount_from_excel_float_cells():
    # what calamine hands over for numeric cells, rendered by ingest
    for v, fen in [(180.0, 18000), (180.5, 18050), (0.1, 10), (1800, 180000), (99.99, 9999)]:
        assert one(amount_fen, cell_str(v)) == fen


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
        return cell_str(float(sign + plain))
    return f"{sign}{plain}元"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(10**11), max_value=10**11), st.integers(min_value=0, max_value=7))
def test_amount_reads_back_every_form(fen, form):
    assert one(amount_fen, _format_amount(fen, form)) == fen


def test_amounts_keep_the_index():
    # the parsers see slices of a frame: their index is not 0..n-1
    a = amount_fen(pd.Series(["1", "1", "2元", "x"] * 10, index=range(100, 140)))
    assert a.index.tolist() == list(range(100, 140)) and a.tolist()[:4] == [100, 100, 200, pd.NA]


@pytest.mark.parametrize("text", ["--180", "-¥-180", "+¥-180", "-+180", "++180", "+¥+180"])
def test_amount_with_more_than_one_sign_is_bad(text):
    """A doubled sign is not a sign that cancels out."""
    assert pd.isna(one(amount_fen, text))


@pytest.mark.parametrize("text", ["١٢٠٠", "๔٠٠", "१८०", "١٨٠元", "¥١٨٠"])
def test_digits_of_other_scripts_are_not_an_amount(text):
    """Arabic-Indic, Thai or Devanagari digits are unreadable (never
    0, never their value); full-width digits stay what NFKC makes of them."""
    assert pd.isna(one(amount_fen, text))
    assert one(amount_fen, "１８０") == 18000


@pytest.mark.parametrize("text", ["١٢٠٠", "๔٠٠", "१२", "١٢人"])
def test_digits_of_other_scripts_are_not_a_whole_number(text):
    assert pd.isna(one(integer, text))
    assert one(integer, "１８０") == 180
