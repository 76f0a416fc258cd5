"""The review's files beside 评审表.xlsx (toolkit.review.governance): each roster
reviewer's own workbook (评审人 pre-filled, the rows they must recuse from left out),
returned and read back as theirs; 评审进度.xlsx written by the cycle."""

from __future__ import annotations

import openpyxl
import pytest
from review_helpers import (
    GOVERNANCE_IND,
    GOVERNANCE_INN,
    GOVERNANCE_ROSTER,
    copy_year,
    write_roster,
)

from toolkit import paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.review.cycle import review_cycle
from toolkit.review.governance import reviewer_file_name
from toolkit.review.sheet import KEY, REVIEWER, SHEET
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"


def _rows(path):
    ws = openpyxl.load_workbook(path)[SHEET]
    heads = {c.value: c.column - 1 for c in ws[1]}
    return [(r[heads[KEY]], r[heads[REVIEWER]]) for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def year(tiny_year, tmp_path):
    d = copy_year(tiny_year, tmp_path / "2022")
    rules = load_rules(2022, RULES_2022)
    yd = open_year(2022, d, rules=rules, use_cache=False)
    return d, yd, evaluate(yd, rules), rules


@pytest.mark.parametrize("name,file_name", [
    ("张三", "评审表_张三.xlsx"), ("张三（长沙）", "评审表_张三（长沙）.xlsx"), ("a/b:c", "评审表_a_b_c.xlsx"),
    ("张\u202e三", "评审表_张三.xlsx"),
])
def test_a_reviewers_file_name(name, file_name):
    assert reviewer_file_name(name) == file_name


def test_a_long_reviewers_name_makes_a_file_name_that_fits():
    got = reviewer_file_name("张" * 200)
    assert len(got.encode("utf-8")) <= 241 and got.startswith("评审表_张") and got.endswith(".xlsx")


def test_each_roster_reviewer_gets_a_prefilled_workbook_without_their_recusals(year, tmp_path):
    d, yd, ev, rules = year
    write_roster(d / "评审专家.xlsx", GOVERNANCE_ROSTER)
    out = tmp_path / "out"
    review_cycle(ev, rules, d, out, yd)
    folder = out / "review"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["更正模板.xlsx", "评审表.xlsx", "评审进度.xlsx", "评审表_张三.xlsx", "评审表_李四.xlsx",
         "评审表_王五.xlsx", "评审表_赵六.xlsx"])
    assert _rows(folder / "评审表.xlsx") == [(GOVERNANCE_IND, None), (GOVERNANCE_INN, None)]
    assert _rows(folder / "评审表_张三.xlsx") == [(GOVERNANCE_INN, "张三")]  # not his own unit's nominee
    assert _rows(folder / "评审表_李四.xlsx") == [(GOVERNANCE_IND, "李四")]  # not his 回避单位's
    assert _rows(folder / "评审表_王五.xlsx") == [(GOVERNANCE_IND, "王五"), (GOVERNANCE_INN, "王五")]
    readme = [r[0] for r in openpyxl.load_workbook(folder / "评审表_张三.xlsx")["说明"].iter_rows(values_only=True)]
    assert "本表为评审专家 张三 的评审表：评审人已预填，已去除须回避的推荐对象（本单位及回避单位）。" in readme
    # 王五 picks his decisions and returns his own workbook as it is
    wb = openpyxl.load_workbook(folder / "评审表_王五.xlsx")
    ws = wb[SHEET]
    heads = {c.value: c.column for c in ws[1]}
    ws.cell(row=3, column=heads["突出贡献及特色创意"]).value = "符合"
    (d / "评审意见").mkdir()
    wb.save(d / "评审意见" / "王五.xlsx")
    done = review_cycle(ev, rules, d, tmp_path / "out2", yd)
    merit = next(c for c in done.innovation[0].criteria if c.id == "innovation_merit")
    assert merit.outcome == "pass" and [e["reviewer"] for e in merit.detail["decisions"]] == ["王五"]


def test_without_a_roster_no_reviewer_workbooks(year, tmp_path):
    d, yd, ev, rules = year
    review_cycle(ev, rules, d, tmp_path / "out", yd)
    assert sorted(p.name for p in (tmp_path / "out" / "review").iterdir()) == ["更正模板.xlsx", "评审表.xlsx", "评审进度.xlsx"]
