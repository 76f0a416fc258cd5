"""The rules file's optional review section (toolkit.rules.load.review_policy): how
the reviewers' decisions combine; the 2022 notice says nothing, so the default."""

from __future__ import annotations

import pytest
import yaml

from toolkit import paths
from toolkit.exceptions import RulesError
from toolkit.rules.load import load_rules
from toolkit.rules.model import ReviewPolicy

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"


def _with_review(tmp_path, review) -> object:
    data = yaml.safe_load(RULES_2022.read_text(encoding="utf-8"))
    data["review"] = review
    p = tmp_path / "2022.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_without_a_review_section_a_majority_of_one_reviewer():
    rules = load_rules(2022, RULES_2022)
    assert "review" not in rules.raw
    assert rules.review == ReviewPolicy(decision="majority", min_reviewers=1)


def test_a_review_section_is_read(tmp_path):
    p = _with_review(tmp_path, {"decision": "all", "min_reviewers": 3, "clause": "评审办法 第3条", "note": "三人"})
    assert load_rules(2022, p).review == ReviewPolicy("all", 3, "评审办法 第3条", "三人")


@pytest.mark.parametrize("review,words", [
    ({"decision": "unanimous"}, "unknown decision rule"),
    ({"min_reviewers": 0}, "at least 1"),
    ({"min_reviewers": "3"}, "whole number"),
    ({"min_reviewers": True}, "whole number"),
    ({"quorum": 2}, "unknown key 'quorum'"),
    ("majority", "expected a mapping"),
])
def test_a_wrong_review_section_names_its_place(tmp_path, review, words):
    with pytest.raises(RulesError) as err:
        load_rules(2022, _with_review(tmp_path, review))
    assert words in str(err.value) and "review" in str(err.value)
