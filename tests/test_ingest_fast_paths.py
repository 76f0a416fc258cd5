"""The typing's fast paths (dates and amounts read from the whole column at once) read
every cell as the general parsers do: the same value, the same unreadable cells, the
same quarantine reasons, over a large mix of notations, hostile ones included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from clean_helpers import PAY_HEAD

from toolkit.clean import columns
from toolkit.clean.columns import type_columns
from toolkit.clean.ledger import Work
from toolkit.ingest.amounts import amount_fen, amount_fen_general
from toolkit.ingest.dates import dates, dates_general, datetimes, datetimes_general
from toolkit.ingest.table import RawTable

N = 60_000
FULL = str.maketrans("0123456789.,-:/", "０１２３４５６７８９．，－：／")


def _pick(rng, options, n):
    return [options[i] for i in rng.integers(0, len(options), n)]


def _date_cells(n: int, seed: int = 26) -> list:
    """Dates in every notation, with parts in and out of range and hostile dressing."""
    rng = np.random.default_rng(seed)
    y = rng.choice([2022, 2021, 2024, 2100, 1699, 1700, 2200, 2201, 1900, 2000], n)
    m = rng.integers(0, 14, n)
    d = rng.integers(0, 33, n)
    hh = rng.integers(0, 26, n)
    mi = rng.integers(0, 62, n)
    ss = rng.integers(0, 63, n)
    sep = rng.integers(0, 6, n)
    pad = rng.integers(0, 2, n)
    tform = rng.integers(0, 9, n)
    dress = rng.integers(0, 12, n)
    out = []
    for i in range(n):
        mm, dd = (f"{m[i]:02d}", f"{d[i]:02d}") if pad[i] else (str(m[i]), str(d[i]))
        date = [f"{y[i]}-{mm}-{dd}", f"{y[i]}/{mm}/{dd}", f"{y[i]}.{mm}.{dd}",
                f"{y[i]}年{mm}月{dd}日", f"{y[i]}{m[i]:02d}{d[i]:02d}", f"{y[i]}年{mm}月{dd}"][sep[i]]
        h = f"{hh[i]:02d}" if pad[i] else str(hh[i])
        time = ["", f" {h}:{mi[i]:02d}", f" {h}:{mi[i]:02d}:{ss[i]:02d}", f"{h}:{mi[i]:02d}",
                f" {h}时{mi[i]:02d}分", f"{h}时{mi[i]:02d}分{ss[i]:02d}秒", f"T{h}:{mi[i]:02d}:{ss[i]:02d}",
                f" {h}:{mi[i]}:{ss[i]}", f" {h}:{mi[i]:02d}:{ss[i]:02d}.25"][tform[i]]
        v = date + time
        k = dress[i]
        if k == 1:
            v = f"  {v} "
        elif k == 2:
            v = v.translate(FULL)
        elif k == 3:
            v = f"\u3000{v}\t"
        elif k == 4:
            v = v + ["Z", "+08:00", "-05:00", "+0800"][i % 4]
        elif k == 5:
            v = [f"{int(rng.integers(0, 120_000))}", f"{rng.uniform(9_000, 110_000):.6f}",
                 "44625", "44625.5", "09999", "109575", "1e3", "-44625"][i % 8]
        elif k == 6:
            v = ["", None, "   ", "x", "2022", "3/5/2022", "14:03:07", "2022/3/123",
                 "2022-3-5T9:05", "二〇二二年三月五日", "2022年2月30日", "2022-03-05 24:00",
                 "2022-02-29", "2024-02-29", "2022-3- 5", "2022-03-05  14:03"][i % 16]
        out.append(v)
    return out


def _amount_cells(n: int, seed: int = 62) -> list:
    """Amounts in every notation, with hostile dressing."""
    rng = np.random.default_rng(seed)
    fen = rng.integers(0, 10**9, n) * rng.choice([1, 1, 1, 100, 10**6], n)
    form = rng.integers(0, 16, n)
    out = []
    for i in range(n):
        yuan, cents = divmod(int(fen[i]), 100)
        f = form[i]
        v = [f"{yuan}", f"{yuan}.{cents:02d}", f"{yuan}.{cents % 10}", f"{yuan:,}.{cents:02d}",
             f"¥{yuan:,}.{cents:02d}", f"￥{yuan}", f"{yuan}元", f"-{yuan}.{cents:02d}",
             f"-¥{yuan:,}", f"¥-{yuan}", f"{yuan}.{cents:02d}0", f"{yuan}.{cents:03d}",
             f" {yuan} ", f"{yuan:,}".translate(FULL), f"{yuan / 10000}万", f"+{yuan}"][f]
        k = i % 23
        if k == 1:
            v = ["1e3", "", None, "  ", "abc", "1,80", "1.8.0", "--180", "18O", "万", "¥",
                 "12345678901234567", "1,234,567,890,123,456", "123,456,789,012,345", "180.",
                 "0,123", "00180", "-0", "RMB 180", "180 元", "1 800", "٣٠٠", "1.00000001万"][i % 23]
        elif k == 2:
            v = f"{yuan}{'0' * int(rng.integers(10, 14))}"
        out.append(v)
    return out


@pytest.fixture(scope="module")
def date_cells():
    return pd.Series(_date_cells(N), dtype=object)


@pytest.fixture(scope="module")
def amount_cells():
    return pd.Series(_amount_cells(N), dtype=object)


@pytest.mark.parametrize("fast, general", [(datetimes, datetimes_general), (dates, dates_general)])
def test_dates_fast_path_reads_as_the_general_parser(date_cells, fast, general):
    got, ref = fast(date_cells), general(date_cells)
    pd.testing.assert_series_equal(got, ref)
    # the mix is a real mix: many read, many not
    assert 0.2 < ref.notna().mean() < 0.8


def test_dates_fast_path_on_a_shuffled_index(date_cells):
    s = date_cells.sample(frac=1.0, random_state=3)
    pd.testing.assert_series_equal(datetimes(s), datetimes_general(s))


def test_amounts_fast_path_reads_as_the_general_parser(amount_cells):
    got, ref = amount_fen(amount_cells), amount_fen_general(amount_cells)
    pd.testing.assert_series_equal(got, ref)
    assert 0.3 < ref.notna().mean() < 0.95


def test_amounts_fast_path_on_repeated_values():
    # few distinct values: parsed once each, then taken back
    s = pd.Series(_amount_cells(400, seed=5) * 50, dtype=object)
    pd.testing.assert_series_equal(amount_fen(s), amount_fen_general(s))


def _payments(amounts, paid_at) -> RawTable:
    n = len(amounts)
    cells = pd.DataFrame({0: [f"P{i}" for i in range(n)], 1: ["T1"] * n, 2: ["U001"] * n,
                          3: amounts, 4: paid_at, 5: ["成功"] * n}, index=range(2, n + 2))
    return RawTable(table="staff_payments", path=Path("缴费明细.csv"), sheet=None, encoding="utf-8",
                    header_row=1, headers=list(PAY_HEAD),
                    columns={name: i for i, name in enumerate(PAY_HEAD)}, cells=cells)


def test_same_quarantine_reasons_either_way(monkeypatch, date_cells, amount_cells):
    n = 20_000
    # cells as read: text, '' where empty
    raw = _payments(amount_cells[:n].fillna("").tolist(), date_cells[:n].fillna("").tolist())
    fast = Work(raw)
    type_columns(fast)
    monkeypatch.setattr(columns, "datetimes", datetimes_general)
    monkeypatch.setattr(columns, "dates", dates_general)
    monkeypatch.setattr(columns, "amount_fen", amount_fen_general)
    general = Work(raw)
    type_columns(general)
    pd.testing.assert_frame_equal(fast.quarantine_frame(), general.quarantine_frame())
    reasons = set(general.quarantine_frame()["reason"])
    assert {"bad_amount", "bad_date"} <= reasons
    for name in ("amount_fen", "paid_at"):
        pd.testing.assert_series_equal(fast.typed[name], general.typed[name])
