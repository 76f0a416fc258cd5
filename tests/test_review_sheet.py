"""The review workbook's layout (toolkit.review.sheet): row keys, decisions, columns."""

from __future__ import annotations

import pytest

from toolkit import paths
from toolkit.review import sheet
from toolkit.rules.load import load_rules

RULES = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")


def test_a_row_key_names_award_unit_and_nomination_row():
    assert sheet.row_key("staff.individual", "U001", 7) == "staff.individual|U001|7"
    assert sheet.row_key("staff.collective", "U001", None) == "staff.collective|U001|"
    assert sheet.row_key("innovation.staff", None, 3) == "innovation.staff||3"


@pytest.mark.parametrize("value,expected", [
    ("符合", "pass"), ("不符合", "fail"), ("  符合 ", "pass"), ("\u3000不符合", "fail"), (None, ""), ("  ", ""),
    ("通过", None), ("符合。", None), (1, None), (True, None),
])
def test_decisions_are_the_two_words_and_blank(value, expected):
    assert sheet.decision_of(value) == expected


def test_one_column_per_distinct_qualitative_label_in_rules_order():
    labels = sheet.qualitative_labels(RULES)
    assert labels == ["政治方向与职业道德", "业务能力", "贡献与成效", "事业心与责任感", "突出贡献及特色创意"]


def test_a_column_applies_to_the_awards_that_have_that_criterion():
    assert sheet.criterion_for(RULES, "staff.individual", "业务能力").id == "competence"
    assert sheet.criterion_for(RULES, "professional.individual", "事业心与责任感").id == "competence"
    assert sheet.criterion_for(RULES, "professional.individual", "业务能力") is None
    assert sheet.criterion_for(RULES, "staff.collective", "贡献与成效") is None
    assert sheet.criterion_for(RULES, "no.such.award", "贡献与成效") is None
