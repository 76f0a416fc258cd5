"""Figures across years (toolkit/outputs/trends.py): a unit's panels with each year's
bound, the province's totals, the SVG small multiples."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest

from toolkit.outputs import charts, trends


def _entry(paid, bound, outcome="pass", rate=0.01):
    return {"metrics": {"paid_trainees": paid, "income": 1000.0, "refunds": 1000.0 * rate, "refund_rate": rate},
            "criteria": [
                {"id": "paid", "kind": "threshold", "metric": "paid_trainees", "op": ">=", "bound": bound,
                 "unit": "persons", "value": paid, "outcome": outcome},
                {"id": "months", "kind": "threshold", "metric": "contract_signed_on", "op": ">=", "bound": 6,
                 "unit": "months", "value": "2020-01-01", "outcome": "pass"},
                {"id": "ethics", "kind": "qualitative", "metric": None, "unit": None, "outcome": "unknown"}]}


def test_unit_panels_carry_each_years_bound_and_skip_dates_and_qualitative():
    panels = trends.unit_panels([_entry(100, 90), None, _entry(80, 95, "fail")])
    assert [p.metric for p in panels] == ["paid_trainees"]
    p = panels[0]
    assert p.values == [100, None, 80] and p.bounds == [90, None, 95] and p.outcomes == ["pass", None, "fail"]
    assert p.label == "缴费人数"


def test_province_totals_sum_counts_and_divide_sums_for_ratios():
    a = {"metrics": {"paid_trainees": 10, "income": 1000.0, "refunds": 10.0, "refund_rate": 0.01}}
    b = {"metrics": {"paid_trainees": 30, "income": 3000.0, "refunds": 90.0, "refund_rate": 0.03}}
    t = trends.province_totals([a, b], ["paid_trainees", "income", "refund_rate", "contract_signed_on"])
    assert t["paid_trainees"] == 40 and t["income"] == 4000
    assert t["refund_rate"] == pytest.approx(100 / 4000)  # not the mean of the units' rates (0.02)
    assert t["contract_signed_on"] is None


def _svgs(markup: str) -> list[ET.Element]:
    return [ET.fromstring(base64.b64decode(m)) for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)",
                                                                   markup)]


def test_small_multiples_draw_values_bounds_and_outcomes():
    p = trends.TrendPanel("paid_trainees", "persons", [100, None, 80], [90, None, 95], ["pass", None, "fail"])
    q = trends.TrendPanel("refund_rate", "fraction", [0.01, 0.02, 0.012], [0.015] * 3, ["pass", "fail", "pass"])
    chart = trends.small_multiples([2020, 2021, 2022], [p, q], title="长沙开放大学：事业单位", alt="历年")
    html = chart.html()
    assert html.count("<img ") == 2 and "缴费人数（人）" in html and "退费率" in html
    assert "2020年 100（界限 90）；2021年 无；2022年 80（界限 95）" in html  # the alt text says it in words
    first, second = _svgs(html)
    ns = "{http://www.w3.org/2000/svg}"
    dots = [c.get("fill") for c in first.iter(f"{ns}circle")]
    assert dots == [charts.PASS_COLOUR, charts.FAIL_COLOUR]  # no dot for the year without a value
    bounds = [ln for ln in first.iter(f"{ns}line") if ln.get("stroke") == charts.BOUND_COLOUR]
    assert len(bounds) == 2
    texts = [t.text for t in second.iter(f"{ns}text")]
    assert "2021" in texts and any(t.endswith("%") for t in texts)


def test_money_is_shown_in_wan_yuan():
    p = trends.TrendPanel("income", "yuan", [5_000_000.0, 6_000_000.0], [5_000_000.0] * 2, ["pass", "pass"])
    html = trends.small_multiples([2021, 2022], [p], title="t").html()
    assert "培训总收入（万元）" in html and "2022年 600（界限 500）" in html


def test_a_panel_without_any_value_still_draws():
    p = trends.TrendPanel("complaints", "count", [None, None], [0, 0], [None, None])
    (svg,) = _svgs(trends.small_multiples([2021, 2022], [p], title="t").html())
    assert svg.tag.endswith("svg")


def test_a_total_without_criteria_has_neutral_dots():
    p = trends.TrendPanel("income", "yuan", [1.0, 2.0], [None, None], [None, None])
    (svg,) = _svgs(trends.small_multiples([2021, 2022], [p], title="t").html())
    fills = {c.get("fill") for c in svg.iter("{http://www.w3.org/2000/svg}circle")}
    assert fills == {trends.NEUTRAL_COLOUR}
