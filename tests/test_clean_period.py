"""The period of a year (toolkit.clean.period)."""

from __future__ import annotations

import pandas as pd
from clean_helpers import pay
from ingest_helpers import load, minimal_year

from toolkit.clean.period import Period, end_exclusive, resolve_period


def test_period_from_rules_object(tmp_path):
    rows = pay(("P1", "T1", "U001", "180", "2022-06-30 12:00", "成功"),
               ("P2", "T1", "U001", "180", "2022-07-01 12:00", "成功"))
    rules = Period(pd.Timestamp("2022-07-01"), pd.Timestamp("2023-06-30 23:59:59"))
    yd = load(minimal_year(tmp_path, staff_payments=rows), rules=rules)
    assert yd.period_start == pd.Timestamp("2022-07-01")
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P2"]


def test_calendar_period_without_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLKIT_HOME", str(tmp_path))
    p = resolve_period(2021, rules=None)
    # either the project's rules file for 2021 or the calendar year: both are this
    assert (p.start, p.end) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31 23:59:59"))


def test_the_last_second_of_the_period_is_inside_it(tmp_path):
    """The cut-off 23:59:59 covers that whole second."""
    rows = pay(("P1", "T1", "U001", "180", "2022-12-31 23:59:59.6", "成功"),
               ("P2", "T2", "U001", "180", "2022-12-31 23:59:59.999999", "成功"),
               ("P3", "T3", "U001", "180", "2023-01-01 00:00:00", "成功"),
               ("P4", "T4", "U001", "180", "2021-12-31 23:59:59.9", "成功"))
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P1", "P2"]
    assert yd.excluded["staff_payments"]["reason"].tolist() == ["out_of_period"] * 2
    assert yd.period_end == pd.Timestamp("2022-12-31 23:59:59")  # the rules' end as written


def test_a_refund_in_the_last_second_is_not_after_the_cutoff(tmp_path):
    refunds = [["order_id", "amount", "refunded_at"], ["P1", "180", "2022-12-31 23:59:59.5"],
               ["P1", "10", "2023-01-01 00:00:00"]]
    rows = pay(("P1", "T1", "U001", "180", "2022-03-05", "成功"))
    yd = load(minimal_year(tmp_path, staff_payments=rows, staff_refunds=refunds))
    assert yd.tables["staff_refunds"]["amount_fen"].tolist() == [18000]
    assert yd.excluded["staff_refunds"]["reason"].tolist() == ["after_cutoff"]


def test_end_exclusive_is_the_second_after_the_end():
    assert end_exclusive(pd.Timestamp("2022-12-31 23:59:59")) == pd.Timestamp("2023-01-01")
