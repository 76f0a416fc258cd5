"""The plan's report sections (toolkit/plan/report.py) on a plan built by hand: the
changes with both bounds, text from data escaped, the bounds marked in the sensitivity
table, the chart as a data URI."""

from __future__ import annotations

from toolkit.outputs.report.html import check_self_contained
from toolkit.plan import report
from toolkit.plan.compute import PlanResult


def _crit(outcome, value, bound, explanation):
    return {"outcome": outcome, "value": value, "op": ">=", "bound": bound, "unit": "persons",
            "explanation": explanation, "reason": None}


def _plan() -> PlanResult:
    sens = {"id": "paid_trainees", "label": "年度参培人数（缴费人数）", "clause": "附件1 一.2(1)",
            "metric": "paid_trainees", "unit": "persons", "op": ">=", "current_bound": 30000,
            "candidate_bound": 25000, "judged_as": "candidate", "population": "units",
            "rows": [{"bound": 25000, "pass_all": 6, "pass_nominated": 4},
                     {"bound": 27000, "pass_all": 6, "pass_nominated": 4},
                     {"bound": 30000, "pass_all": 5, "pass_nominated": 3}]}
    change = {"unit_id": "U1", "unit_name": "<b>某开放大学</b>", "nominee": None, "row": None, "nominated": True,
              "current": "not_eligible", "candidate": "eligible",
              "criteria": [{"id": "paid_trainees", "label": "年度参培人数（缴费人数）", "clause": "附件1 一.2(1)",
                            "metric": "paid_trainees", "unit": "persons",
                            "current": _crit("fail", 29962, 30000, "缴费人数 29,962 人，低于标准 30,000 人"),
                            "candidate": _crit("pass", 29962, 25000, "缴费人数 29,962 人，达到标准 25,000 人")}]}
    gone = {"unit_id": "U2", "unit_name": "乙", "nominee": "甲", "row": 3, "nominated": True,
            "current": "needs_review", "candidate": None, "criteria": []}
    awards = [
        {"key": "staff.collective", "label": "事业单位工作人员培训先进集体", "kind": "collective", "track": "staff",
         "in_current": True, "in_candidate": True,
         "summary": {"current": {"eligible": 2, "needs_review": 1, "not_eligible": 31},
                     "candidate": {"eligible": 3, "needs_review": 1, "not_eligible": 30}},
         "changes": [change], "sensitivity": [sens]},
        {"key": "innovation.x", "label": "创新创意奖甲", "kind": "innovation", "track": "staff",
         "in_current": True, "in_candidate": False,
         "summary": {"current": {"eligible": 0, "needs_review": 1, "not_eligible": 0}, "candidate": None},
         "changes": [gone], "sensitivity": []},
    ]
    return PlanResult(year=2022, name="cand", current={"path": "rules/2022.yaml", "sha256": "a" * 64},
                      candidate={"path": "/x/cand.yaml", "sha256": "b" * 64},
                      rule_changes=[{"kind": "removed", "text": "删除条件 …：≤ 1.5%"}], awards=awards)


def test_a_change_shows_the_value_and_both_bounds_escaped():
    html = report.changes(_plan(), "staff.collective")._repr_html_()
    assert "&lt;b&gt;某开放大学&lt;/b&gt;" in html and "<b>某开放大学" not in html
    assert "≥ 30,000人" in html and "≥ 25,000人" in html and "29,962" in html
    assert "不符合条件" in html and "符合条件" in html


def test_an_award_the_candidate_drops_is_not_evaluated_and_counts_show_a_dash():
    plan = _plan()
    assert "不评选" in report.changes(plan, "innovation.x")._repr_html_()
    summary = report.summary(plan)
    assert list(summary.iloc[1])[1:4] == ["0 → —", "1 → —", "0 → —"]
    assert list(summary.iloc[0])[1:] == ["2 → 3", "1 → 1", "31 → 30", 1]


def test_the_sensitivity_table_marks_both_bounds():
    t = report.sensitivity_table(_plan().awards[0]["sensitivity"][0], "collective")
    marks = dict(zip(t["界限"], t["标记"], strict=True))
    assert marks == {"≥ 25,000人": "拟议规则", "≥ 27,000人": "", "≥ 30,000人": "现行规则"}
    assert list(t["通过数（已申报单位）"]) == [4, 4, 3]


def test_the_page_sections_are_self_contained_with_the_chart():
    plan = _plan()
    page = "".join(x._repr_html_() for x in (report.title_block(plan), report.rule_changes(plan),
                                             report.summary(plan), report.awards(plan)))
    check_self_contained(page)
    assert page.count("data:image/png;base64,") == 1
    assert report.title(plan) == "2022年度评选规则测算：cand"


def test_the_title_says_whether_the_review_files_were_applied():
    import dataclasses

    before = report.title_block(_plan())._repr_html_()
    assert "尚无评审意见" in before and "只比较量化条件" in before
    after = report.title_block(dataclasses.replace(_plan(), review_files=["评审意见/<b>张三</b>.xlsx"]))._repr_html_()
    assert "1 份评审意见" in after and "&lt;b&gt;张三&lt;/b&gt;" in after and "<b>张三" not in after
