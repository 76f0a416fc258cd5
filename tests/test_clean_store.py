"""The clean store: hits, misses, damage, atomic replacement of one partition, the
hive layout, the province of a delivery, tables read on first use."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from ingest_helpers import PERIOD_2022, minimal_year, write_table

from toolkit import load_year
from toolkit.clean import store
from toolkit.clean.model import LazyTables
from toolkit.clean.period import Period
from toolkit.exceptions import ParameterError
from toolkit.ingest import snapshot
from toolkit.metrics.compute import unit_metrics


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
    first = load_year(2022, d, period=PERIOD_2022)
    assert not first.from_cache
    second = load_year(2022, d, period=PERIOD_2022)
    assert second.from_cache and second.data_dir == d
    assert_same(first, second)
    assert second.tables["units"]["aliases"].tolist()[0] == ["长沙电大", "长沙分校"]
    assert second.tables["rsvp"]["needs_room"].tolist() == [True, None]
    assert not list(cache_root.glob(".*"))  # no temporary folder left behind


def test_no_cache_reads_afresh(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    load_year(2022, d, period=PERIOD_2022)
    assert not load_year(2022, d, period=PERIOD_2022, use_cache=False).from_cache


def test_changed_input_or_period_misses(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    load_year(2022, d, period=PERIOD_2022)
    other = Period(pd.Timestamp("2022-02-01"), PERIOD_2022.end)
    assert not load_year(2022, d, period=other).from_cache
    with open(d / "targets.csv", "a", encoding="utf-8") as f:
        f.write("U003,7\n")
    yd = load_year(2022, d, period=PERIOD_2022)
    assert not yd.from_cache and len(yd.tables["targets"]) == 3


def test_corrupt_cache_is_rebuilt(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    first = load_year(2022, d, period=PERIOD_2022)
    files = list(cache_root.glob("tables/staff_payments/year=2022/province=hunan/*.parquet"))
    assert len(files) == 1
    for p in files:
        p.write_bytes(b"garbage")
    again = load_year(2022, d, period=PERIOD_2022)
    assert not again.from_cache
    assert_same(first, again)
    assert load_year(2022, d, period=PERIOD_2022).from_cache
    for p in cache_root.glob("meta/*/*/meta.json"):
        p.write_text("{not json", encoding="utf-8")
    assert not load_year(2022, d, period=PERIOD_2022).from_cache


def test_store_dir_default(monkeypatch):
    monkeypatch.delenv("TOOLKIT_CACHE_DIR", raising=False)
    assert store.store_dir().parts[-2:] == (".cache", "store")


def test_key_depends_on_version(tmp_path, monkeypatch):
    p = Period(PERIOD_2022.start, PERIOD_2022.end)
    k1 = store.store_key(2022, p, {"units": tmp_path / "u.csv"}, {"units": "ab"})
    monkeypatch.setattr(store, "__version__", "9.9.9")
    assert store.store_key(2022, p, {"units": tmp_path / "u.csv"}, {"units": "ab"}) != k1


def part_files(root, year=2022, province="hunan"):
    """Every Parquet file of one (year, province), relative to the store."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet")
                  if f"year={year}/province={province}/" in p.as_posix())


def test_hive_layout_read_by_duckdb(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    load_year(2022, d, period=PERIOD_2022)
    files = part_files(cache_root)
    assert any(f.startswith("tables/staff_payments/year=2022/province=hunan/part-") for f in files)
    assert any(f.startswith("excluded/staff_refunds/") for f in files)
    assert any(f.startswith("quarantine/year=2022/province=hunan/") for f in files)
    assert (cache_root / "meta/year=2022/province=hunan/meta.json").is_file()
    glob = str(cache_root / "tables/staff_payments/*/*/*.parquet")
    rows = duckdb.sql(f"SELECT year, province, order_id FROM read_parquet('{glob}', "
                      "hive_partitioning = true)").fetchall()
    assert rows == [(2022, "hunan", "P1")]


def test_changed_year_replaces_only_its_partition(tmp_path, cache_root):
    d22 = rich_year(tmp_path / "d22")
    d21 = minimal_year(tmp_path / "d21")
    load_year(2022, d22, period=PERIOD_2022)
    load_year(2022, d22, period=PERIOD_2022, province="other")
    load_year(2021, d21, period=Period(pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31 23:59:59")))
    untouched = {p: (cache_root / p).stat().st_mtime_ns
                 for p in part_files(cache_root, 2021) + part_files(cache_root, 2022, "other")}
    before = part_files(cache_root)
    with open(d22 / "targets.csv", "a", encoding="utf-8") as f:
        f.write("U003,7\n")
    assert not load_year(2022, d22, period=PERIOD_2022).from_cache
    after = part_files(cache_root)
    assert len(after) == len(before) and not set(after) & set(before)  # old files removed
    assert {p: (cache_root / p).stat().st_mtime_ns for p in untouched} == untouched
    assert store.partitions(cache_root) == [(2021, "hunan"), (2022, "hunan"), (2022, "other")]
    assert not [p for p in cache_root.rglob("*") if p.name.startswith(".")]  # no temporary files


def test_province_of_a_delivery(tmp_path, cache_root):
    d = minimal_year(tmp_path / "d")
    assert load_year(2022, d, period=PERIOD_2022).province == "hunan"
    (d / "province.txt").write_text("guangxi\n", encoding="utf-8")
    assert load_year(2022, d, period=PERIOD_2022).province == "guangxi"
    assert load_year(2022, d, period=PERIOD_2022, province="hubei").province == "hubei"
    assert [p for _, p in store.partitions(cache_root)] == ["guangxi", "hubei", "hunan"]
    (d / "province.txt").write_text("../etc\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="province"):
        load_year(2022, d, period=PERIOD_2022)


def test_warm_tables_are_read_on_first_use(tmp_path, cache_root):
    d = rich_year(tmp_path / "d")
    cold = load_year(2022, d, period=PERIOD_2022)
    warm = load_year(2022, d, period=PERIOD_2022)
    assert isinstance(warm.tables, LazyTables) and "staff_payments" in warm.tables
    assert warm.source("staff_payments").suffix == ".parquet"  # DuckDB reads the file
    pd.testing.assert_frame_equal(unit_metrics(warm), unit_metrics(cold))
    assert warm.tables.file("staff_payments") is not None  # the metrics did not read it
    frame = warm.tables["staff_payments"]
    assert warm.source("staff_payments") is frame  # once handed out, the frame is used
    warm.tables["staff_payments"] = frame.iloc[0:0]
    m = unit_metrics(warm)
    assert m.loc[m["track"] == "staff", "income_fen"].sum() == 0


def test_unchanged_files_are_not_hashed_again(tmp_path, cache_root, monkeypatch):
    d = rich_year(tmp_path / "d")
    load_year(2022, d, period=PERIOD_2022)
    read = []
    real = snapshot.take
    monkeypatch.setattr(snapshot, "take", lambda p, **kw: read.append(Path(p).name) or real(p, **kw))
    assert load_year(2022, d, period=PERIOD_2022).from_cache and read == []
    with open(d / "targets.csv", "a", encoding="utf-8") as f:
        f.write("U003,7\n")
    assert not load_year(2022, d, period=PERIOD_2022).from_cache
    # only the changed file is read before the store is asked; after the miss every file
    # is read once, for its parsing, and hashed from those bytes
    assert read[0] == "targets.csv"
    assert sorted(read) == sorted(p.name for p in d.iterdir())


def test_a_warm_year_evaluates_as_the_cold_one(tmp_path, cache_root):
    from toolkit.evaluation.evaluate import evaluate
    from toolkit.outputs.tables import evaluation_json
    from toolkit.rules.load import load_rules

    d = rich_year(tmp_path / "d")
    with open(d / "staff_payments.csv", "a", encoding="utf-8") as f:
        f.write("P4,010,U001,100,2022-04-01,成功\n")
    with open(d / "staff_refunds.csv", "a", encoding="utf-8") as f:
        f.write("P4,80,2022-06-01,a\nP4,40,2023-02-01,b\n")  # over-refunded, one after the cut-off
    rules = load_rules(2022)
    cold = load_year(2022, d, period=Period.of(rules))
    warm = load_year(2022, d, period=Period.of(rules))
    assert warm.from_cache
    ev = evaluate(warm, rules)
    assert any(f.kind == "over_refund" for f in ev.flags)
    assert warm.tables.file("staff_payments") is not None  # the flags read the file, not a frame
    assert evaluation_json(ev) == evaluation_json(evaluate(cold, rules))


@pytest.mark.parametrize("first_use", ["metrics", "frame"])
def test_a_year_stays_readable_after_its_partition_is_rewritten(tmp_path, cache_root, first_use):
    a = load_year(2022, rich_year(tmp_path / "a"), period=PERIOD_2022, use_cache=False)
    want = unit_metrics(load_year(2022, rich_year(tmp_path / "a2"), period=PERIOD_2022,
                                  use_cache=False, province="elsewhere"))
    path = a.tables.file("staff_payments")
    other = minimal_year(tmp_path / "b")  # other inputs: the same partition, another key
    load_year(2022, other, period=PERIOD_2022, use_cache=False)
    assert path is not None and not path.exists()  # a's files are gone from the store
    assert a.tables.file("staff_payments") is None  # so the engines take the frame
    if first_use == "frame":
        assert a.tables["staff_payments"]["order_id"].tolist() == ["P1"]
    pd.testing.assert_frame_equal(unit_metrics(a), want)
