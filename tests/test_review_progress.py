"""Where the review stands (toolkit.review.progress): each nomination under review
with each reviewer's state (已评 / 回避 / 未评), the counted decisions and the state;
the meeting's agenda (short of reviewers, then ties, then split decisions); the
workbook review/评审进度.xlsx."""

from __future__ import annotations

import openpyxl
import pytest
from review_helpers import GOVERNANCE_IND, GOVERNANCE_INN, fill

from toolkit.review.apply import apply_review
from toolkit.review.progress import agenda_rows, progress_rows, write_progress
from toolkit.rules.model import ReviewPolicy


@pytest.fixture
def year(governance_year):
    return governance_year


@pytest.fixture
def decided(governance_decided):
    return governance_decided[1]


def test_one_column_per_roster_reviewer_with_their_state(decided):
    headers, rows = progress_rows(decided)
    assert headers == ["编号", "奖项", "单位名称", "推荐对象", "张三", "李四", "王五", "赵六", "计入结论", "状态"]
    by = {r[0]: dict(zip(headers, r, strict=True)) for r in rows}
    assert list(by) == [GOVERNANCE_IND, GOVERNANCE_INN]
    ind, inn = by[GOVERNANCE_IND], by[GOVERNANCE_INN]
    assert [ind[n] for n in ("张三", "李四", "王五", "赵六")] == ["回避", "已评", "已评", "未评"]
    assert [inn[n] for n in ("张三", "李四", "王五", "赵六")] == ["已评", "回避", "已评", "未评"]
    assert "贡献与成效 符合 1、不符合 1" in ind["计入结论"] and ind["状态"] == "需复核（评审票数相同）"
    assert inn["计入结论"] == "突出贡献及特色创意 符合 1、不符合 1"


def test_without_a_roster_one_column_per_reviewer_who_returned_a_copy(year, tmp_path):
    ev, rules, wb, units = year
    fill(wb, tmp_path / "评审意见" / "a.xlsx", "钱七", {GOVERNANCE_IND: {"业务能力": "符合"}})
    headers, rows = progress_rows(apply_review(ev, rules, tmp_path, units))
    assert headers[4:-2] == ["钱七"] and [r[4] for r in rows] == ["已评", "未评"]


@pytest.mark.parametrize("policy,expected", [
    # majority of at least one: the tie first, then the split (the unanimous criteria are not on it)
    (ReviewPolicy(), [("票数相同", GOVERNANCE_IND, "贡献与成效"), ("票数相同", GOVERNANCE_INN, "突出贡献及特色创意")]),
    # three needed: every criterion is short (two counted each)
    (ReviewPolicy("majority", 3), [("评审人数不足", GOVERNANCE_IND, c) for c in ("政治方向与职业道德", "业务能力", "贡献与成效")]
     + [("评审人数不足", GOVERNANCE_INN, "突出贡献及特色创意")]),
    # all must agree: no ties, the 1:1 decisions are split
    (ReviewPolicy("all", 1), [("意见不一致", GOVERNANCE_IND, "贡献与成效"), ("意见不一致", GOVERNANCE_INN, "突出贡献及特色创意")]),
])
def test_the_agenda_lists_short_then_ties_then_splits(decided, policy, expected):
    headers, rows = agenda_rows(decided, policy)
    assert headers[:2] == ["列入原因", "编号"] and [(r[0], r[1], r[5]) for r in rows] == expected


def test_the_agenda_orders_short_before_ties_before_splits(year, tmp_path):
    ev, rules, wb, units = year
    fill(wb, tmp_path / "评审意见" / "a.xlsx", "甲", {GOVERNANCE_IND: {"业务能力": "符合", "贡献与成效": "符合"},
                                                   GOVERNANCE_INN: {"突出贡献及特色创意": "符合"}})
    fill(wb, tmp_path / "评审意见" / "b.xlsx", "乙", {GOVERNANCE_IND: {"业务能力": "不符合", "贡献与成效": "符合"},
                                                   GOVERNANCE_INN: {"突出贡献及特色创意": "不符合"}})
    fill(wb, tmp_path / "评审意见" / "c.xlsx", "丙", {GOVERNANCE_IND: {"贡献与成效": "不符合"}})
    _, rows = agenda_rows(apply_review(ev, rules, tmp_path, units), ReviewPolicy())
    assert [(r[0], r[5]) for r in rows] == [("评审人数不足", "政治方向与职业道德"), ("票数相同", "业务能力"),
                                          ("票数相同", "突出贡献及特色创意"), ("意见不一致", "贡献与成效")]
    assert rows[-1][6] == "计入 3 人（至少需 1 人）：符合 2、不符合 1"


def test_the_workbook_has_the_two_sheets(decided, tmp_path):
    path = write_progress(decided, ReviewPolicy(), tmp_path / "评审进度.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["进度", "评审会议程"]
    assert [c.value for c in wb["进度"][1]] == progress_rows(decided)[0]
    assert wb["评审会议程"].max_row == 3
    assert write_progress(decided, ReviewPolicy(), tmp_path / "again.xlsx").read_bytes() == path.read_bytes()
