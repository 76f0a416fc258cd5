"""The planner's figures (toolkit/plan/compute.py) on the demo year, checked against a
count made directly from evaluation.json's figures and bounds (not with the planner's
code): which units change outcome, and how many pass each bound tried."""

from __future__ import annotations

from fractions import Fraction

import pytest
from demo_helpers import YEAR
from plan_helpers import AWARD, LOWERED, LOWERED_TO, REMOVED, outcome, write_candidate

from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.plan.compute import bound_grid, compute_plan
from toolkit.rules.load import load_rules


@pytest.fixture(scope="module")
def planned(demo, tmp_path_factory):
    folder, _ = demo
    current = load_rules(YEAR)
    candidate = load_rules(YEAR, write_candidate(tmp_path_factory.mktemp("cand")))
    yd = open_year(YEAR, folder, rules=current, progress=False)
    evaluation = evaluate(yd, current).to_dict()  # what evaluation.json holds
    return compute_plan(yd, current, candidate, name="lower_target"), evaluation, current


def _expected_changes(evaluation) -> dict[str, tuple[str, str]]:
    """unit_id -> (current, candidate outcome), from the JSON: the lowered criterion judged
    again from the unit's metric, the removed one dropped, the others as evaluated."""
    out = {}
    for u in evaluation["collective"]:
        if u["award"] != AWARD:
            continue
        results = []
        for c in u["criteria"]:
            if c["id"] == REMOVED:
                continue
            if c["id"] == LOWERED:
                v = u["metrics"][c["metric"]]
                results.append("unknown" if v is None else "pass" if v >= LOWERED_TO else "fail")
            else:
                results.append(c["outcome"])
        new = outcome(results)
        if new != u["outcome"]:
            out[u["unit_id"]] = (u["outcome"], new)
    return out


def test_the_plan_lists_exactly_the_units_whose_outcome_changes(planned):
    plan, evaluation, _ = planned
    expected = _expected_changes(evaluation)
    assert expected, "the candidate should change some outcome in the demo year"
    got = {c["unit_id"]: (c["current"], c["candidate"]) for c in plan.changed(AWARD)}
    assert got == expected
    for key in (a["key"] for a in plan.awards if a["key"] != AWARD):
        assert plan.changed(key) == [], key


def test_each_change_says_which_criteria_changed_result_with_both_bounds(planned):
    plan, evaluation, rules = planned
    units = {u["unit_id"]: u for u in evaluation["collective"] if u["award"] == AWARD}
    for ch in plan.changed(AWARD):
        ids = {c["id"] for c in ch["criteria"]}
        assert ids <= {LOWERED, REMOVED} and ids
        for c in ch["criteria"]:
            if c["id"] == LOWERED:
                assert c["current"]["bound"] == rules.criterion(AWARD, LOWERED).bound_number() and c["candidate"]["bound"] == LOWERED_TO
                assert c["current"]["value"] == pytest.approx(units[ch["unit_id"]]["metrics"][LOWERED])
            else:
                assert c["candidate"] is None and c["current"]["outcome"] != "pass"
        assert ch["nominated"] == units[ch["unit_id"]]["nominated"]


def _sens(plan, award, cid):
    a = next(x for x in plan.awards if x["key"] == award)
    return next(s for s in a["sensitivity"] if s["id"] == cid)


@pytest.mark.parametrize("cid", [LOWERED, "paid_to_registered", REMOVED, "income", "dedicated_team",
                                 "refund_rate"])
def test_the_sensitivity_counts_match_a_count_from_the_figures(planned, cid):
    plan, evaluation, rules = planned
    s = _sens(plan, AWARD, cid)
    units = [u for u in evaluation["collective"] if u["award"] == AWARD]
    rc = rules.criterion(AWARD, cid)
    ops = {">=": lambda v, b: v >= b, "<=": lambda v, b: v <= b}
    bounds = [r["bound"] for r in s["rows"]]
    assert rc.bound_number() in bounds
    for r in s["rows"]:
        passing = [u for u in units if u["metrics"][rc.metric] is not None
                   and ops[rc.op](u["metrics"][rc.metric], r["bound"])]
        assert r["pass_all"] == len(passing), (cid, r)
        assert r["pass_nominated"] == sum(1 for u in passing if u["nominated"]), (cid, r)
    assert s["current_bound"] == rc.bound_number()
    assert s["candidate_bound"] == (LOWERED_TO if cid == LOWERED else None if cid == REMOVED else rc.bound_number())


def test_the_count_at_the_current_bound_is_the_evaluations_own(planned):
    plan, evaluation, _ = planned
    s = _sens(plan, AWARD, "paid_to_registered")
    at = next(r for r in s["rows"] if r["bound"] == s["current_bound"])
    passed = [u for u in evaluation["collective"] if u["award"] == AWARD
              and next(c for c in u["criteria"] if c["id"] == "paid_to_registered")["outcome"] == "pass"]
    assert at["pass_all"] == len(passed)


def test_nominee_awards_count_the_nominees(planned):
    plan, evaluation, _ = planned
    s = _sens(plan, "staff.individual", "deeds_length")
    noms = [n for n in evaluation["individual"] if n["category"] == "staff.individual"]
    for r in s["rows"]:
        assert r["pass_all"] == sum(1 for n in noms if n["deeds_chars"] is not None
                                    and n["deeds_chars"] <= r["bound"])
    assert s["population"] == "nominees"
    # absence conditions (== 0) and qualitative criteria are not swept
    ids = {x["id"] for a in plan.awards for x in a["sensitivity"]}
    assert "major_complaints" not in ids and "political_and_ethics" not in ids


@pytest.mark.parametrize("bound,unit,expected", [
    (30000, "persons", [15000, 18000, 21000, 24000, 27000, 30000, 33000, 36000, 39000, 42000, 45000]),
    (5000000, "yuan", [2500000 + 500000 * i for i in range(11)]),
    (Fraction(3, 200), "fraction", [Fraction(n, 1000) for n in (8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23)]),
    (6, "months", [3, 4, 5, 6, 7, 8, 9]),
    (0, "months", list(range(11))),
    (Fraction(3, 4), "fraction", [Fraction(n, 1000) for n in (375, 450, 525, 600, 675, 750, 825, 900, 975)] + [1]),
])
def test_the_bounds_tried_are_rounded_for_their_unit(bound, unit, expected):
    assert bound_grid(bound, unit) == expected


def test_the_candidate_bound_and_a_custom_range_are_among_the_bounds_tried():
    grid = bound_grid(30000, "persons", low=Fraction(9, 10), high=Fraction(11, 10), steps=3, extra=(28123,))
    assert grid == [27000, 28123, 30000, 33000]


def test_the_review_files_decide_under_each_rules_files_own_policy(tiny_year, tmp_path):
    """One reviewer's 符合 passes under the default policy (one reviewer suffices); a
    candidate asking for three reviewers leaves the nominee pending."""
    import shutil

    import yaml
    from review_helpers import fill

    from toolkit import paths
    from toolkit.review.workbook import write_workbook

    d = tmp_path / "data"
    shutil.copytree(tiny_year, d)
    current = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
    raw = yaml.safe_load(current.path.read_text(encoding="utf-8"))
    raw["review"] = {"decision": "majority", "min_reviewers": 3}
    cand_path = tmp_path / "three_reviewers.yaml"
    cand_path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    candidate = load_rules(2022, cand_path)
    yd = open_year(2022, d, rules=current, use_cache=False, progress=False)
    wb = write_workbook(evaluate(yd, current), current, tmp_path / "评审表.xlsx")
    key = "2022|staff.individual|U001|王<b>五</b>"
    fill(wb, d / "评审意见" / "张三.xlsx", "张三", {key: {"政治方向与职业道德": "符合", "业务能力": "符合",
                                                          "贡献与成效": "符合"}})
    plan = compute_plan(yd, current, candidate, name="three_reviewers")
    assert plan.review_files == ["评审意见/张三.xlsx"]
    (change,) = plan.changed("staff.individual")
    assert (change["current"], change["candidate"]) == ("eligible", "needs_review")
    assert {c["id"] for c in change["criteria"]} == {"political_and_ethics", "competence", "contribution"}
    assert any(c["section"] == "review" and c["field"] == "min_reviewers" for c in plan.rule_changes)
