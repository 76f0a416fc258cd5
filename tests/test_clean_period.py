"""The period of a year (toolkit.clean.period)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from clean_helpers import pay
from ingest_helpers import load, minimal_year

from toolkit.clean.period import resolve_period


def test_period_from_rules_object(tmp_path):
    rows = pay(("P1", "T1", "U001", "180", "2022-06-30 12:00", "成功"),
               ("P2", "T1", "U001", "180", "2022-07-01 12:00", "成功"))
    rules = SimpleNamespace(period_start=pd.Timestamp("2022-07-01"),
                            period_end=pd.Timestamp("2023-06-30 23:59:59"))
    yd = load(minimal_year(tmp_path, staff_payments=rows), rules=rules)
    assert yd.period_start == pd.Timestamp("2022-07-01")
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P2"]


def test_calendar_period_without_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLKIT_HOME", str(tmp_path))
    p = resolve_period(2021, rules=None)
    # either the project's rules file for 2021 or the calendar year: both are this
    assert (p.start, p.end) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31 23:59:59"))
