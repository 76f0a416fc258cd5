"""A criterion's margin is a number with its unit code, decided where the criterion
is judged: ``margin_code`` (points, days, yuan, persons, count ...) is what code reads,
``margin_unit`` the word people read (the metric's own word where it has one: 份)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction as F

import pytest

from toolkit.evaluation.compare import judge_period, judge_threshold
from toolkit.rules.load import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules(2022)


MARGINS = [
    # award, criterion, value, outcome, margin, code, word
    ("staff.collective", "paid_trainees", 29999, "fail", -1, "persons", "人"),
    ("staff.collective", "paid_trainees", 30000, "pass", 0, "persons", "人"),  # exactly at the bound
    ("staff.collective", "paid_trainees", 30001, "pass", 1, "persons", "人"),
    ("staff.collective", "paid_to_registered", F(7499, 10000), "fail", -0.01, "points", "个百分点"),
    ("staff.collective", "paid_to_registered", F(3, 4), "pass", 0.0, "points", "个百分点"),
    ("staff.collective", "income", F(499999999, 100), "fail", -0.01, "yuan", "元"),
    ("staff.collective", "income", 5000000, "pass", 0, "yuan", "元"),
    ("staff.collective", "refund_rate", F(3, 200), "pass", 0.0, "points", "个百分点"),  # at an upper bound
    ("staff.collective", "refund_rate", F(21, 1000), "fail", -0.6, "points", "个百分点"),
    ("staff.collective", "major_complaints", 2, "fail", -2, "count", "件"),
    ("professional.collective", "person_times", 4000, "pass", 0, "person_times", "人次"),
    ("staff.individual", "deeds_length", 701, "fail", -1, "characters", "字"),
    ("staff.individual", "unit_in_system", 0, "fail", -1, "count", "份"),  # the metric's own word
]


@pytest.mark.parametrize("award,cid,value,outcome,margin,code,word", MARGINS)
def test_a_margin_is_a_number_with_its_unit_code(rules, award, cid, value, outcome, margin, code, word):
    c = judge_threshold(rules.criterion(award, cid), value, label="x")
    assert c.outcome == outcome
    assert c.margin == pytest.approx(margin) and (c.margin_code, c.margin_unit) == (code, word)
    # the code does not depend on the word: a result whose word reads otherwise has the same code
    assert dataclasses.replace(c, margin_unit="任意").margin_code == code


@pytest.mark.parametrize("start,outcome,margin", [
    ("2022-06-30", "pass", 1),  # six months reached on 2022-12-30, one day before the as-of date
    ("2022-07-01", "fail", -1),
    ("2022-01-01", "pass", 183),  # reached on 2022-07-01
])
def test_a_period_margin_is_in_days(rules, start, outcome, margin):
    c = judge_period(rules.criterion("staff.collective", "contract_months"), start, dt.date(2022, 12, 31),
                     label="x")
    assert (c.outcome, c.margin, c.margin_code, c.margin_unit) == (outcome, margin, "days", "天")


def test_a_terminated_contract_has_no_margin(rules):
    c = judge_period(rules.criterion("staff.collective", "contract_months"), "2022-01-01", dt.date(2022, 12, 31),
                     label="x", terminated="2022-09-30")
    assert c.outcome == "fail" and c.margin is None and c.margin_code is None and c.margin_unit is None
