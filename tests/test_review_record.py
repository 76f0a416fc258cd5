"""The record of every decision (toolkit.review.record): each decision's reviewer,
remark (masked), file, sheet, row and whether it counted in the trail that
evaluation.json keeps, the rows of 评审记录.xlsx, and a criterion's count in words."""

from __future__ import annotations

import dataclasses
import json

import pytest
from review_helpers import GOVERNANCE_IND, GOVERNANCE_INN

from toolkit.evaluation.serialize import evaluation_from_dict
from toolkit.review.record import count_text, record_rows, trails


@pytest.fixture
def decided(governance_decided):
    return governance_decided[1]


def _trail(ev, key, crit):
    return next(t for t in trails(ev) if t.key == key and t.criterion.id == crit)


def test_the_trail_keeps_every_decision_with_its_remark_masked(decided):
    t = _trail(decided, GOVERNANCE_IND, "contribution")
    assert [(e["reviewer"], e["decision"], e["counted"], e["recusal"], e["file"], e["sheet"], e["row"])
            for e in t.entries] == [
        ("张三", "pass", False, "own_unit", "评审意见/张三.xlsx", "评审表", 2),
        ("李四", "fail", True, None, "评审意见/李四.xlsx", "评审表", 2),
        ("王五", "pass", True, None, "评审意见/王五.xlsx", "评审表", 2)]
    remark = t.entries[0]["remark"]
    assert remark == "事迹属实，联系 *******5678，身份证 **************1234"
    assert t.entries[1]["remark"] == "贡献不够突出" and t.entries[2]["remark"] is None
    text = json.dumps(decided.to_dict(), ensure_ascii=False)
    assert "13912345678" not in text and "430102199001011234" not in text


def test_the_rosters_hash_reaches_evaluation_json_as_read(decided):
    sha = "ab13912345678cd" + "0" * 49  # mobile-like digits inside a hash are no mobile number
    review = {**decided.review, "roster": {**decided.review["roster"], "sha256": sha}}
    assert dataclasses.replace(decided, review=review).to_dict()["review"]["roster"]["sha256"] == sha


def test_the_trail_and_the_roster_survive_evaluation_json(decided):
    d = decided.to_dict()
    assert d["review"]["roster"]["path"] == "评审专家.xlsx"
    assert [r["name"] for r in d["review"]["roster"]["reviewers"]] == ["张三", "李四", "王五", "赵六"]
    assert evaluation_from_dict(json.loads(json.dumps(d))).to_dict() == d


@pytest.mark.parametrize("key,crit,words", [
    (GOVERNANCE_IND, "contribution", "2 人评审，1 人认为符合；张三 本单位回避"),
    (GOVERNANCE_IND, "competence", "2 人评审，2 人认为符合；张三 本单位回避"),
    (GOVERNANCE_INN, "innovation_merit", "2 人评审，1 人认为符合；李四 回避单位回避"),
])
def test_a_criterions_count_in_words(decided, key, crit, words):
    assert count_text(_trail(decided, key, crit)) == words


def test_the_record_has_one_row_per_nomination_criterion_and_reviewer(decided):
    headers, rows = record_rows(decided)
    assert headers == ["奖项", "单位名称", "推荐对象", "条件", "评审人", "结论", "评审意见", "是否计入", "文件", "工作表", "行"]
    assert len(rows) == 3 * 3 + 3  # the individual's three criteria, the innovation's one, three reviewers
    by = {(r[3], r[4]): r for r in rows}
    assert by[("贡献与成效", "张三")][5:9] == ["符合", "事迹属实，联系 *******5678，身份证 **************1234",
                                         "回避：本单位", "评审意见/张三.xlsx"]
    assert by[("贡献与成效", "李四")][5:8] == ["不符合", "贡献不够突出", "计入"]
    assert by[("突出贡献及特色创意", "李四")][7] == "回避：回避单位"
    assert by[("业务能力", "王五")][1:3] == ["长沙开放大学", "王<b>五</b>"]  # as the unit wrote it
