"""toolkit.demo.cells: amounts, times and unit names are written in every messy notation."""

from __future__ import annotations

import pytest
from demo_helpers import read_xlsx, sheet_cells

from toolkit.demo import SCENARIOS

pytestmark = pytest.mark.usefixtures("release_demo_reads")


def test_amount_notations(payments_text, demo):
    amounts = payments_text["缴费金额"]
    assert amounts.str.startswith("¥").any() and amounts.str.startswith("￥").any()
    assert amounts.str.endswith("元").any() and amounts.str.endswith(".00").any()
    assert amounts.str.contains("[０-９]").any()
    folder, _ = demo
    enr = read_xlsx(folder / "专技报名明细.xlsx")
    assert enr["金额"].astype(str).str.contains("万元").any()


def test_date_notations(payments_text, demo):
    t = payments_text["支付时间"]
    patterns = [r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d\d$",
                r"^\d{4}年\d{1,2}月\d{1,2}日$", r"^\d{8}$", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$"]
    for pat in patterns:
        assert t.str.match(pat).any(), pat
    folder, _ = demo
    kinds = {type(r[4]).__name__ for r in sheet_cells(folder / "专技报名明细.xlsx")[3:]}
    assert {"datetime", "float", "str"} <= kinds  # date cells, Excel serials, text


def test_unit_names_are_messy(payments_text):
    u = payments_text["单位名称"]
    assert u.isin(["长沙电大", "长沙广播电视大学", "长沙市广播电视大学"]).any()
    assert (u.str.strip() != u).any() or u.str.contains(" ").any()
    assert u.str.contains("\u3000").any()
    assert u.isin(["株州开放大学"]).any()  # unknown unit: quarantine
    assert u.isin(list(SCENARIOS.values())).any()  # a unit id in a name column
    assert u.str.contains("（").any()

