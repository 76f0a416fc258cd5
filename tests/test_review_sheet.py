"""The review workbook's layout (toolkit.review.sheet): row keys, decisions, columns."""

from __future__ import annotations

import pytest

from toolkit import paths
from toolkit.review import sheet
from toolkit.rules.load import load_rules

RULES = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")


@pytest.mark.parametrize("args,key", [
    ((2022, "staff.individual", "U001", "谭湘楠"), "2022|staff.individual|U001|谭湘楠"),
    ((2022, "staff.collective", "U001", None), "2022|staff.collective|U001|"),
    ((2022, "innovation.staff", None, ""), "2022|innovation.staff||"),
    ((2022, "staff.individual", "U001", " 谭湘楠 ", 2), "2022|staff.individual|U001|谭湘楠|2"),
])
def test_a_row_key_names_the_nomination_itself_with_its_year(args, key):
    assert sheet.row_key(*args) == key
    parsed = sheet.parse_key(key)
    assert (parsed.year, parsed.award, parsed.n) == (2022, args[1], args[4] if len(args) > 4 else 1)
    assert parsed.text() == key


@pytest.mark.parametrize("text,legacy", [
    ("staff.individual|H01|2", True), ("staff.collective|H01|", True), ("2022|staff.individual|H01|李明", False),
    ("随便写的", False), ("", False),
])
def test_keys_of_earlier_versions_are_told_apart(text, legacy):
    assert sheet.legacy_key(text) is legacy
    assert (sheet.parse_key(text) is None) is (text != "2022|staff.individual|H01|李明")


def test_the_same_nomination_has_the_same_identity_however_its_name_is_spaced():
    a, b = sheet.parse_key("2022|staff.individual|H01|谭湘楠"), sheet.parse_key("2022|staff.individual|H01|谭 湘楠\u200b")
    assert a.identity() == b.identity()
    assert a.identity() != sheet.parse_key("2021|staff.individual|H01|谭湘楠").identity()


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
