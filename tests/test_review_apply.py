"""Reviewers' decisions applied (toolkit.review.apply): the policy, the trail in
evaluation.json, the outcome recomputed, and a re-run that adds one reviewer's file
changing only what that file decides."""

from __future__ import annotations

import json

import pytest
from review_helpers import IND, INN, fill

from toolkit import paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.evaluation.serialize import evaluation_from_dict
from toolkit.review.apply import apply_review, combine
from toolkit.review.workbook import write_workbook
from toolkit.rules.load import load_rules
from toolkit.rules.model import ReviewPolicy

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"
YES = {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "符合"}


@pytest.mark.parametrize("decisions,policy,outcome,words", [
    (["pass"], ReviewPolicy(), "pass", "1 人中 1 人认为符合（多数决）"),
    (["pass", "pass", "fail"], ReviewPolicy(), "pass", "3 人中 2 人认为符合（多数决）"),
    (["fail", "fail", "pass"], ReviewPolicy(), "fail", "3 人中 2 人认为不符合"),
    (["pass", "fail"], ReviewPolicy(), "unknown", "票数相同"),
    (["pass", "pass"], ReviewPolicy(min_reviewers=3), "unknown", "至少需 3 人"),
    (["pass", "pass", "pass"], ReviewPolicy("all", 3), "pass", "3 人均认为符合（全体一致）"),
    (["pass", "pass", "fail"], ReviewPolicy("all", 3), "fail", "3 人中 1 人认为不符合（全体一致）"),
    ([], ReviewPolicy(), "unknown", "已有 0 人"),
])
def test_decisions_combine_by_the_rules_policy(decisions, policy, outcome, words):
    got, text, reason = combine(decisions, policy)
    assert got == outcome and words in text
    assert (reason is None) == (outcome == "pass")


@pytest.fixture(scope="module")
def year(tiny_year, tmp_path_factory):
    rules = load_rules(2022, RULES_2022)
    ev = evaluate(open_year(2022, tiny_year, rules=rules, use_cache=False), rules)
    wb = write_workbook(ev, rules, tmp_path_factory.mktemp("out") / "评审表.xlsx")
    return ev, rules, wb


def _three_reviewers(wb, d):
    fill(wb, d / "评审意见" / "张三.xlsx", "张三", {IND: YES, INN: {"突出贡献及特色创意": "符合"}})
    fill(wb, d / "评审意见" / "李四.xlsx", "李四", {IND: {**YES, "贡献与成效": "不符合"},
                                                   INN: {"突出贡献及特色创意": "不符合"}})
    fill(wb, d / "评审意见" / "王五.xlsx", "王五", {IND: YES, INN: {"突出贡献及特色创意": "不符合"}})


def test_three_reviewers_decide_the_nominees(year, tmp_path):
    ev, rules, wb = year
    _three_reviewers(wb, tmp_path)
    done = apply_review(ev, rules, tmp_path)
    ind, inn = done.individual[0], done.innovation[0]
    assert (ev.individual[0].outcome, ev.innovation[0].outcome) == ("needs_review", "needs_review")
    assert ind.outcome == "eligible" and inn.outcome == "not_eligible"
    c = next(c for c in ind.criteria if c.id == "contribution")
    assert c.outcome == "pass" and c.explanation.startswith("评审：3 人中 2 人认为符合（多数决）")
    d = c.to_dict()
    assert d["source"] == "review"
    assert [(x["reviewer"], x["decision"], x["file"]) for x in d["decisions"]] == [
        ("张三", "pass", "评审意见/张三.xlsx"), ("李四", "fail", "评审意见/李四.xlsx"), ("王五", "pass", "评审意见/王五.xlsx")]
    assert all(x["sheet"] == "评审表" and isinstance(x["row"], int) for x in d["decisions"])
    m = next(c for c in inn.criteria if c.id == "innovation_merit")
    assert m.outcome == "fail" and m.reason == "评审 2/3 人认为不符合"
    assert [f["path"] for f in done.review["files"]] == ["评审意见/张三.xlsx", "评审意见/李四.xlsx", "评审意见/王五.xlsx"]
    assert done.summary()["staff.individual"]["eligible"] == 1
    # the screening itself is left as it was
    assert all(c.outcome == "unknown" for c in ev.individual[0].criteria if c.kind == "qualitative")


def test_the_trail_survives_evaluation_json(year, tmp_path):
    ev, rules, wb = year
    _three_reviewers(wb, tmp_path)
    d = apply_review(ev, rules, tmp_path).to_dict()
    assert evaluation_from_dict(json.loads(json.dumps(d))).to_dict() == d


def test_no_review_files_change_nothing(year, tmp_path):
    ev, rules, _ = year
    assert apply_review(ev, rules, tmp_path) is ev
    assert ev.to_dict()["review"] == {"files": [], "corrections": []}


def test_a_stricter_rules_file_needs_three_unanimous_reviewers(year, tmp_path):
    ev, _, wb = year
    text = RULES_2022.read_text(encoding="utf-8") + "\nreview:\n  decision: all\n  min_reviewers: 3\n  clause: 评审办法\n"
    (tmp_path / "2022.yaml").write_text(text, encoding="utf-8")
    strict = load_rules(2022, tmp_path / "2022.yaml")
    fill(wb, tmp_path / "评审意见" / "1.xlsx", "张三", {IND: YES})
    fill(wb, tmp_path / "评审意见" / "2.xlsx", "李四", {IND: YES})
    two = apply_review(ev, strict, tmp_path).individual[0]
    assert two.outcome == "needs_review"
    c = next(c for c in two.criteria if c.id == "competence")
    assert c.outcome == "unknown" and "source" not in c.detail and len(c.detail["decisions"]) == 2
    fill(wb, tmp_path / "评审意见" / "3.xlsx", "王五", {IND: {**YES, "业务能力": "不符合"}})
    three = apply_review(ev, strict, tmp_path).individual[0]
    assert {c.id: c.outcome for c in three.criteria if c.kind == "qualitative"} == {
        "political_and_ethics": "pass", "competence": "fail", "contribution": "pass"}
    assert three.outcome == "not_eligible"


def test_adding_one_reviewers_file_changes_only_what_it_decides(year, tmp_path):
    ev, rules, wb = year
    fill(wb, tmp_path / "评审意见" / "张三.xlsx", "张三", {IND: YES})
    before = apply_review(ev, rules, tmp_path).to_dict()
    fill(wb, tmp_path / "评审意见" / "李四.xlsx", "李四", {INN: {"突出贡献及特色创意": "符合"}})
    after = apply_review(ev, rules, tmp_path).to_dict()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"innovation", "summary", "review"}
    assert before["individual"] == after["individual"]
    assert after["innovation"][0]["outcome"] == "eligible"
    assert [f["path"] for f in after["review"]["files"]][len(before["review"]["files"]):] == ["评审意见/李四.xlsx"]
