"""The report reads the numbers a flag or a criterion carries, never its words: a
narrow margin by the margin's unit code, a late refund's breach from the flag, the
flags table's units from the flag, a near miss's shortfall by its unit code. Each
case also runs with the words changed, and shows the same."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from types import SimpleNamespace

import pytest

from toolkit.evaluation.compare import judge_period, judge_threshold
from toolkit.evaluation.flags import Flag, if_counted
from toolkit.evaluation.results import UnitResult
from toolkit.outputs.report import decision, sections
from toolkit.outputs.report.format import fmt_shortfall
from toolkit.outputs.report.frame import html_of
from toolkit.rules.load import load_rules

AS_OF = dt.date(2022, 12, 31)


@pytest.fixture(scope="module")
def rules():
    return load_rules(2022)


def _ctx(criteria=(), flags=(), metrics=None):
    result = UnitResult(track="staff", unit_id="U1", unit_name="甲开放大学", metrics=metrics or {},
                        criteria=list(criteria), outcome="eligible")
    evaluation = SimpleNamespace(collective=[result], flags=list(flags),
                                 unit=lambda t, u: result if (t, u) == ("staff", "U1") else None)
    return SimpleNamespace(evaluation=evaluation, unit_name=lambda u: "甲开放大学", unaccepted=None)


NARROW = [
    # criterion, value, narrow: at most 31 days, under 0.5 percentage points, under 2% of a bound >= 100
    ("paid_trainees", 30000, "仅余 0 人"),  # exactly at the bound
    ("paid_trainees", 30599, "仅余 599 人"),
    ("paid_trainees", 30600, None),  # 2% of 30,000
    ("paid_to_registered", Fraction(3, 4), "仅余 0 个百分点"),
    ("paid_to_registered", Fraction(7549, 10000), "仅余 0.49 个百分点"),
    ("paid_to_registered", Fraction(755, 1000), None),  # 0.5 percentage points
    ("income", 5000000, "仅余 0 元"),
    ("income", 5100000, None),
    ("refund_rate", Fraction(3, 200), None),  # its own flag says it: not a narrow margin
    ("dedicated_team", 1, None),  # a bound under 100: no share of it is narrow
    ("paid_trainees", 29999, None),  # a fail is not a narrow pass
]


@pytest.mark.parametrize("cid,value,expected", NARROW)
@pytest.mark.parametrize("word", [None, "（另一种说法）"])
def test_a_narrow_margin_is_read_from_its_unit_code(rules, cid, value, expected, word):
    c = judge_threshold(rules.criterion("staff.collective", cid), value, label="x")
    if word:
        c = dataclasses.replace(c, margin_unit=word)
    page = str(decision.risks(_ctx([c])))
    if expected is None:
        assert "余量很小" not in page
    else:
        assert "余量很小" in page
        assert (expected if word is None else expected.rsplit(" ", 1)[0] + " " + word) in page


@pytest.mark.parametrize("start,margin,narrow", [("2022-05-30", 31, True), ("2022-05-29", 32, False)])
def test_a_narrow_period_is_counted_in_days(rules, start, margin, narrow):
    # six months from 2022-05-30 are reached on 2022-11-30: 31 days before the as-of date
    c = judge_period(rules.criterion("staff.collective", "contract_months"), start, AS_OF, label="x")
    assert (c.outcome, c.margin, c.margin_code) == ("pass", margin, "days")
    assert ("余量很小" in str(decision.risks(_ctx([c])))) is narrow


def _late(rate, message="有 2 笔退费日期在截止日之后"):
    return Flag(kind="refunds_after_cutoff", track="staff", unit_id="U1", unit_name="甲开放大学", value=60.0,
                count=2, amount=60.0, message=message, details={"refund_rate_if_counted": float(rate)},
                if_counted=if_counted(rate, "<=", Fraction(3, 200)))


@pytest.mark.parametrize("rate,listed", [
    (Fraction(3, 200), False),  # exactly at the bound: within it
    (Fraction(3, 200) + Fraction(1, 10**9), True),
    (Fraction(2, 100), True),
])
@pytest.mark.parametrize("message", ["有 2 笔退费日期在截止日之后；若计入，退费率为 2.00%", "措辞已改"])
def test_a_late_refund_risk_is_the_flags_breach(rate, listed, message):
    page = str(decision.risks(_ctx(flags=[_late(rate, message)], metrics={"refund_rate": 0.01})))
    assert ("超过条件 ≤ 1.50%" in page) is listed
    if listed:
        assert "甲开放大学（事业单位工作人员培训，符合条件）：退费率 1.00%；截止日后另有 2 笔退费（60.00 元）" in page


def test_a_late_refund_without_a_rate_if_counted_is_no_risk():
    f = dataclasses.replace(_late(Fraction(1, 10)), if_counted=None)
    assert "超过条件" not in str(decision.risks(_ctx(flags=[f], metrics={"refund_rate": 0.01})))


@pytest.mark.parametrize("message", ["退费率 1.49%，已达上限 1.50% 的 80% 以上；若计入，退费率为 9%", "另一种措辞"])
def test_the_flags_table_takes_the_units_from_the_flag_and_the_message_as_written(message):
    near = Flag(kind="refund_rate_near_limit", track="staff", unit_id="U1", value=0.0149, bound=0.015,
                message=message)
    over = Flag(kind="over_refund", track="staff", unit_id="U1", value=20.5, count=1, amount=20.5, message=message)
    page = html_of(sections.flags(_ctx(flags=[near, over])))
    assert "<td class=\"num\">1.49%</td><td class=\"num\">1.50%</td>" in page
    assert "<td class=\"num\">20.50</td><td class=\"num\"></td>" in page
    assert page.count(message) == 2  # shown as written, never cut


@pytest.mark.parametrize("value,unit,word,text", [
    (0.6, "fraction", "个百分点", "差 0.60 个百分点"),
    (0.6, "fraction", "pp", "差 0.60 pp"),  # the unit code decides the digits, not the word
    (1500, "yuan", "元", "差 1,500.00 元"),
    (1, "persons", "人", "差 1 人"),
    (1, "count", "份", "差 1 份"),
    (3, "months", "天", "差 3 天"),
    (None, "persons", "人", ""),
])
def test_a_shortfall_is_written_by_its_unit_code(value, unit, word, text):
    assert fmt_shortfall(value, unit, word) == text
