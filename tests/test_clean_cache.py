"""The Parquet ingest cache: hits, misses, damage, atomic writes."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_helpers import PERIOD_2022, minimal_year, write_table

from toolkit import load_year
from toolkit.clean import cache
from toolkit.clean.period import Period


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(root))
    return root


def rich_year(d):
    d = minimal_year(d, staff_payments=[
        ["order_id", "trainee_id", "unit", "amount", "paid_at", "status"],
        ["P1", "007", "U001", "180", "2022-03-05", "成功"],
        ["P1", "007", "U001", "180", "2022-03-05", "成功"],
        ["P2", "008", "nowhere", "180", "2022-03-05", "成功"],
        ["P3", "009", "U002", "180", "2021-03-05", "成功"],
    ], staff_refunds=[
        ["order_id", "amount", "refunded_at", "reason"],
        ["P1", "50", "2022-05-01", "why"],
        ["P1", "50", "2023-05-01", ""],
    ])
    write_table(d / "complaints.xlsx", [["unit", "track", "received_at", "severity"],
                                        ["U001", "staff", "2022-05-01", "major"]])
    write_table(d / "nominations.csv", [["category", "unit", "nominee", "deeds", "started_on"],
                                        ["staff.individual", "U001", "张三", "x", "2020-01-01"]])
    write_table(d / "rsvp.csv", [["unit", "name", "needs_room"], ["U001", "王五", "是"],
                                 ["U001", "赵六", ""]])
    return d


def assert_same(a, b):
    assert a.tables.keys() == b.tables.keys()
    for t in a.tables:
        pd.testing.assert_frame_equal(a.tables[t], b.tables[t])
        pd.testing.assert_frame_equal(a.excluded[t], b.excluded[t])
    pd.testing.assert_frame_equal(a.quarantine, b.quarantine)
    assert a.ledger == b.ledger
    assert a.missing_tables == b.missing_tables
    assert [f.sha256 for f in a.files] == [f.sha256 for f in b.files]
    assert (a.period_start, a.period_end) == (b.period_start, b.period_end)


def test_second_load_is_served_from_cache(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    first = load_year(2022, d, rules=PERIOD_2022)
    assert not first.from_cache
    second = load_year(2022, d, rules=PERIOD_2022)
    assert second.from_cache and second.data_dir == d
    assert_same(first, second)
    assert second.tables["units"]["aliases"].tolist()[0] == ["长沙电大", "长沙分校"]
    assert second.tables["rsvp"]["needs_room"].tolist() == [True, None]
    assert not list(cache_root.glob(".*"))  # no temporary folder left behind


def test_no_cache_reads_afresh(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    load_year(2022, d, rules=PERIOD_2022)
    assert not load_year(2022, d, rules=PERIOD_2022, use_cache=False).from_cache


def test_changed_input_or_period_misses(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    load_year(2022, d, rules=PERIOD_2022)
    other = Period(pd.Timestamp("2022-02-01"), PERIOD_2022.end)
    assert not load_year(2022, d, rules=other).from_cache
    with open(d / "targets.csv", "a", encoding="utf-8") as f:
        f.write("U003,7\n")
    yd = load_year(2022, d, rules=PERIOD_2022)
    assert not yd.from_cache and len(yd.tables["targets"]) == 3


def test_corrupt_cache_is_rebuilt(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    first = load_year(2022, d, rules=PERIOD_2022)
    for p in cache_root.glob("*/tables/staff_payments.parquet"):
        p.write_bytes(b"garbage")
    again = load_year(2022, d, rules=PERIOD_2022)
    assert not again.from_cache
    assert_same(first, again)
    assert load_year(2022, d, rules=PERIOD_2022).from_cache
    for p in cache_root.glob("*/meta.json"):
        p.write_text("{not json", encoding="utf-8")
    assert not load_year(2022, d, rules=PERIOD_2022).from_cache


def test_cache_dir_default(monkeypatch):
    monkeypatch.delenv("TOOLKIT_CACHE_DIR", raising=False)
    assert cache.cache_dir().parts[-2:] == (".cache", "ingest")


def test_key_depends_on_version(tmp_path, monkeypatch):
    p = Period(PERIOD_2022.start, PERIOD_2022.end)
    k1 = cache.cache_key(2022, p, {"units": tmp_path / "u.csv"}, {"units": "ab"})
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert cache.cache_key(2022, p, {"units": tmp_path / "u.csv"}, {"units": "ab"}) != k1
