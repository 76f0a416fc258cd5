"""The shortlist's reasons (toolkit.outputs.report.shortlist): the first failed or unknown
condition of a result, in words, with the real Criterion type."""

from __future__ import annotations

import pytest

from toolkit.evaluation.results import Criterion
from toolkit.outputs.report.shortlist import QUALITATIVE_LEFT, first_reason, unknown_reasons


def _c(cid, outcome, kind="threshold", reason=None):
    return Criterion(id=cid, label=f"条件{cid}", clause="", wording="", outcome=outcome, explanation="",
                     kind=kind, reason=reason)


@pytest.mark.parametrize("criteria,expected", [
    ([_c("a", "pass"), _c("b", "fail", reason="差 1 人")], "条件b：差 1 人"),
    ([_c("a", "fail", reason="差 1 人"), _c("b", "fail", reason="差 2 元")], "条件a：差 1 人；共 2 项未达到"),
    # a qualitative condition fails only by the reviewers' decision, which is named
    ([_c("a", "pass"), _c("q", "fail", "qualitative", "评审：3 人中 2 人认为不符合")],
     "条件q：评审：3 人中 2 人认为不符合"),
    ([_c("a", "pass")], ""),
])
def test_the_first_failed_condition_is_named_with_its_reason(criteria, expected):
    assert first_reason(criteria) == expected


def test_before_the_review_only_the_qualitative_conditions_are_left():
    assert unknown_reasons([_c("a", "pass"), _c("q", "unknown", "qualitative")]) == QUALITATIVE_LEFT
    assert first_reason([_c("q", "unknown", "qualitative")], "unknown") == ""
    assert unknown_reasons([_c("t", "unknown", reason="缺少应培人数表"), _c("q", "unknown", "qualitative")]) == (
        "条件t：缺少应培人数表")
