"""Criteria, outcomes, explanations and near misses, table-driven: every criterion at
bound - 1, bound and bound + 1 (for fractions a hair below, at and above, built from
integer counts), the contract and tenure month counts, and every kind of missing input.

The criteria are checked with ``_threshold``/``_months`` on metric values and, end to
end, with ``evaluate`` on small YearData built as ``clean.load_year`` builds it.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from metrics_helpers import enr, make_year, pay, refund  # noqa: E402

from toolkit.evaluation.compare import add_months, deeds_chars  # noqa: E402
from toolkit.evaluation.compare import judge_period as _months  # noqa: E402
from toolkit.evaluation.compare import judge_threshold as _threshold  # noqa: E402
from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402

AS_OF = dt.date(2022, 12, 31)


@pytest.fixture(scope="module")
def rules():
    return load_rules(2022)


# --- thresholds at the bound --------------------------------------------------------------

F = Fraction
THRESHOLDS = [
    # award, criterion, value, outcome
    ("staff.collective", "paid_trainees", 29999, "fail"),
    ("staff.collective", "paid_trainees", 30000, "pass"),
    ("staff.collective", "paid_trainees", 30001, "pass"),
    # 75%: 29,999 / 40,000 just below, 30,000 / 40,000 at, 30,001 / 40,000 above
    ("staff.collective", "paid_to_registered", F(29999, 40000), "fail"),
    ("staff.collective", "paid_to_registered", F(30000, 40000), "pass"),
    ("staff.collective", "paid_to_registered", F(30001, 40000), "pass"),
    # 45% of a target of 100,000
    ("staff.collective", "paid_to_target", F(44999, 100000), "fail"),
    ("staff.collective", "paid_to_target", F(45000, 100000), "pass"),
    ("staff.collective", "paid_to_target", F(45001, 100000), "pass"),
    # 5,000,000 yuan, one fen either side
    ("staff.collective", "income", F(499999999, 100), "fail"),
    ("staff.collective", "income", F(5000000), "pass"),
    ("staff.collective", "income", F(500000001, 100), "pass"),
    # refunds of 1.5% of 10,000,000.00 yuan (in fen): 15,000,000 fen is exactly the bound
    ("staff.collective", "refund_rate", F(14999999, 10**9), "pass"),
    ("staff.collective", "refund_rate", F(15000000, 10**9), "pass"),
    ("staff.collective", "refund_rate", F(15000001, 10**9), "fail"),
    ("staff.collective", "major_complaints", 0, "pass"),
    ("staff.collective", "major_complaints", 1, "fail"),
    ("staff.collective", "dedicated_team", 0, "fail"),
    ("staff.collective", "dedicated_team", 1, "pass"),
    ("staff.collective", "dedicated_team", 2, "pass"),
    ("professional.collective", "person_times", 3999, "fail"),
    ("professional.collective", "person_times", 4000, "pass"),
    ("professional.collective", "person_times", 4001, "pass"),
    ("professional.collective", "income", F(59999999, 100), "fail"),
    ("professional.collective", "income", F(600000), "pass"),
    ("professional.collective", "income", F(60000001, 100), "pass"),
    ("professional.collective", "complaints", 0, "pass"),
    ("professional.collective", "complaints", 1, "fail"),
    ("staff.individual", "deeds_length", 699, "pass"),
    ("staff.individual", "deeds_length", 700, "pass"),
    ("staff.individual", "deeds_length", 701, "fail"),
    ("innovation.professional", "deeds_length", 701, "fail"),
    ("staff.individual", "unit_in_system", 0, "fail"),
    ("staff.individual", "unit_in_system", 1, "pass"),
    ("staff.individual", "unit_in_system", 2, "pass"),
]


@pytest.mark.parametrize("award,cid,value,outcome", THRESHOLDS)
def test_threshold_at_the_bound(rules, award, cid, value, outcome):
    rc = rules.criterion(award, cid)
    c = _threshold(rc, value, label="x")
    assert c.outcome == outcome
    assert c.clause == rc.clause and c.op == rc.op and c.unit == rc.unit and c.wording == rc.wording


@pytest.mark.parametrize("award,cid", [(a, c) for a, c, _, _ in THRESHOLDS[::3]])
def test_threshold_unknown_when_missing(rules, award, cid):
    c = _threshold(rules.criterion(award, cid), None, label="x", unknown_reason="缺少某表")
    assert c.outcome == "unknown" and c.value is None and "缺少某表" in c.explanation


@pytest.mark.parametrize("cid,value,text", [
    ("paid_trainees", 29999, "缴费人数 29,999 人，低于标准 30,000 人（附件1 一.2(1)），差 1 人"),
    ("paid_trainees", 30000, "缴费人数 30,000 人，恰好达到标准 30,000 人（附件1 一.2(1)）"),
    ("paid_to_registered", F(7499, 10000),
     "缴费人数占注册人数 74.99%，低于标准 75.00%（附件1 一.2(2)），差 0.01 个百分点"),
    ("paid_to_registered", F(29999, 40000),
     "缴费人数占注册人数 74.9975%，低于标准 75.00%（附件1 一.2(2)），差 0.0025 个百分点"),
    ("income", F(499999999, 100), "培训总收入 4,999,999.99 元，低于标准 5,000,000 元（附件1 一.2(4)），差 0.01 元"),
    ("income", F(6543210), "培训总收入 6,543,210 元，达到标准 5,000,000 元（附件1 一.2(4)），超出 1,543,210 元"),
    ("refund_rate", F(3, 200), "退费率 1.50%，恰好等于上限 1.50%（附件1 一.2(5)）"),
    ("refund_rate", F(21, 1000), "退费率 2.10%，超过标准 1.50%（附件1 一.2(5)），超出 0.60 个百分点"),
    ("major_complaints", 2, "重大投诉 2 件，不符合“年度内没有出现重大投诉现象”（附件1 一.3）"),
])
def test_explanations(rules, cid, value, text):
    from toolkit.metrics.compute import METRIC_LABELS

    rc = rules.criterion("staff.collective", cid)
    assert _threshold(rc, value, label=METRIC_LABELS[rc.metric][0]).explanation == text


def test_margins_in_their_units(rules):
    c = _threshold(rules.criterion("staff.collective", "paid_to_registered"), F(7499, 10000), label="x")
    assert c.margin == pytest.approx(-0.01) and c.margin_unit == "个百分点"
    c = _threshold(rules.criterion("staff.collective", "income"), F(499999999, 100), label="x")
    assert c.margin == pytest.approx(-0.01) and c.margin_unit == "元"
    assert c.value == pytest.approx(4999999.99) and c.bound == 5000000


# --- calendar months ----------------------------------------------------------------------


@pytest.mark.parametrize("start,months,reached", [
    ("2022-06-30", 6, "2022-12-30"), ("2022-07-01", 6, "2023-01-01"), ("2022-08-31", 6, "2023-02-28"),
    ("2023-08-31", 6, "2024-02-29"), ("2021-12-31", 12, "2022-12-31"), ("2022-01-31", 1, "2022-02-28"),
    ("2022-03-15", 0, "2022-03-15"),
])
def test_add_months(start, months, reached):
    assert add_months(dt.date.fromisoformat(start), months) == dt.date.fromisoformat(reached)


CONTRACTS = [
    # signed, terminated, outcome
    ("2022-06-30", None, "pass"),
    ("2022-07-01", None, "fail"),
    ("2022-08-31", None, "fail"),  # 6 months reached 2023-02-28
    ("2020-01-01", None, "pass"),
    ("2020-01-01", "2022-12-31", "fail"),  # terminated on the as-of date
    ("2020-01-01", "2022-06-01", "fail"),
    ("2020-01-01", "2023-01-01", "pass"),  # terminated after the as-of date
    ("2023-01-05", None, "fail"),  # signed after the as-of date
]


@pytest.mark.parametrize("signed,terminated,outcome", CONTRACTS)
def test_contract_months(rules, signed, terminated, outcome):
    rc = rules.criterion("staff.collective", "contract_months")
    c = _months(rc, pd.Timestamp(signed), AS_OF, label="合同签订日期",
                terminated=pd.Timestamp(terminated) if terminated else None)
    assert c.outcome == outcome


@pytest.mark.parametrize("signed,terminated,outcome", [
    ("2022-12-31", None, "pass"), ("2023-01-01", None, "fail"), ("2021-01-01", "2022-11-30", "fail"),
])
def test_agreement_signed(rules, signed, terminated, outcome):
    rc = rules.criterion("professional.collective", "agreement_signed")
    c = _months(rc, pd.Timestamp(signed), AS_OF, label="合同签订日期",
                terminated=pd.Timestamp(terminated) if terminated else None)
    assert c.outcome == outcome


@pytest.mark.parametrize("award,started,outcome", [
    ("staff.individual", "2022-06-30", "pass"), ("staff.individual", "2022-07-01", "fail"),
    ("staff.individual", "2022-08-31", "fail"),
    ("professional.individual", "2021-12-31", "pass"), ("professional.individual", "2022-01-01", "fail"),
])
def test_tenure(rules, award, started, outcome):
    c = _months(rules.criterion(award, "tenure_months"), pd.Timestamp(started), AS_OF, label="起始")
    assert c.outcome == outcome


def test_month_explanations(rules):
    rc = rules.criterion("staff.collective", "contract_months")
    c = _months(rc, pd.Timestamp("2022-08-31"), AS_OF, label="合同签订日期")
    assert c.explanation == ("合同签订日期 2022-08-31，至 2022-12-31 未满 6 个月（2023-02-28 届满）"
                             "（附件1 一.1），差 59 天")
    c = _months(rc, pd.Timestamp("2020-08-31"), AS_OF, label="合同签订日期", terminated=pd.Timestamp("2022-09-30"))
    assert "2022-09-30 终止" in c.explanation and c.outcome == "fail"


def test_deeds_chars_ignores_white_space():
    assert deeds_chars("一二 三\n四\t五　六") == 6  # the ideographic space is white space too
    assert deeds_chars(None) is None and deeds_chars("  ") is None


# --- end to end on YearData --------------------------------------------------------------------


def staff_unit(unit: str, paid: int, registered: int, *, refunds_fen: int = 0, yuan: int = 200,
               start: int = 0) -> tuple[list, list, list]:
    """Rows for a unit with ``paid`` payers (each ``yuan``) and ``registered`` registrations."""
    pays = [pay(f"{unit}-O{i}", f"{unit}-T{i}", unit, yuan) for i in range(start, start + paid)]
    regs = [{"trainee_id": f"{unit}-T{i}", "unit_id": unit, "registered_at": "2022-02-01"}
            for i in range(start, start + registered)]
    refs = [refund(f"{unit}-O{start}", refunds_fen / 100, unit)] if refunds_fen else []
    return pays, regs, refs


@pytest.fixture(scope="module")
def small_bounds_rules(tmp_path_factory):
    """The 2022 rules with bounds scaled down so a test unit can reach them."""
    import yaml

    from toolkit import paths

    data = yaml.safe_load((paths.PROJECT_ROOT / "rules" / "2022.yaml").read_text(encoding="utf-8"))
    for c in data["awards"]["staff.collective"]["criteria"]:
        if c["id"] == "paid_trainees":
            c["bound"], c["wording"] = 30, "达到30人"
        if c["id"] == "income":
            c["bound"], c["wording"] = 5000, "培训总收入5000元以上"
    for c in data["awards"]["professional.collective"]["criteria"]:
        if c["id"] == "person_times":
            c["bound"], c["wording"] = 4, "4人次以上"
        if c["id"] == "income":
            c["bound"], c["wording"] = 300, "达300元以上"
    p = tmp_path_factory.mktemp("rules") / "small.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_rules(path=p)


def _scenario():
    # U001 passes everything: 40 payers of 200 yuan (8,000 >= 5,000), 40/50 = 80% registered,
    #   40/80 = 50% of target, refunds 100 / 8,000 = 1.25%
    # U002 misses paid_trainees by one (29 payers; 29/30 registered, 29/60 of target)
    # U003 has a major complaint
    # U004 has no target (needs review)
    # U005 has a short contract (2022-07-01)
    rows = {"staff_payments": [], "staff_registrations": [], "staff_refunds": []}
    for unit, paid in (("U001", 40), ("U002", 29), ("U003", 40), ("U004", 40), ("U005", 40)):
        p, r, f = staff_unit(unit, paid, 50 if unit != "U002" else 30, refunds_fen=10000 if unit != "U002" else 0)
        rows["staff_payments"] += p
        rows["staff_registrations"] += r
        rows["staff_refunds"] += f
    units = ("U001", "U002", "U003", "U004", "U005")
    contracts = [{"unit_id": u, "track": "staff", "signed_on": "2021-03-01"} for u in units[:4]]
    contracts.append({"unit_id": "U005", "track": "staff", "signed_on": "2022-07-01"})
    contracts.append({"unit_id": "U001", "track": "professional", "signed_on": "2022-01-01"})
    return make_year({
        **rows,
        "contracts": contracts,
        "targets": [{"unit_id": u, "target": 60 if u == "U002" else 80} for u in units if u != "U004"],
        "teams": [{"unit_id": u, "track": "staff", "dedicated_staff": 2} for u in units]
        + [{"unit_id": "U001", "track": "professional", "dedicated_staff": 1}],
        "complaints": [{"complaint_id": "C1", "unit_id": "U003", "track": "staff", "received_at": "2022-05-01",
                        "severity": "major", "substantiated": True, "status": "closed"}],
        "professional_enrollments": [enr(f"P{i}", f"T{i}", "A", "U001", yuan=100) for i in range(4)],
        "nominations": [
            {"row": 2, "category": "staff.collective", "track": "staff", "kind": "collective", "unit_id": "U001",
             "nominee": "单位U001", "deeds": "好" * 650},
            {"row": 3, "category": "staff.individual", "track": "staff", "kind": "individual", "unit_id": "U001",
             "nominee": "张三", "deeds": "事迹" * 100, "started_on": "2022-06-30", "contact_phone": "13800000000"},
            {"row": 4, "category": "professional.individual", "track": "professional", "kind": "individual",
             "unit_id": "U002", "nominee": "李四", "deeds": "事迹", "started_on": "2022-06-30"},
            {"row": 5, "category": "innovation.staff", "track": "staff", "kind": "innovation", "unit_id": "U003",
             "nominee": None, "deeds": "创意" * 351},
            {"row": 6, "category": "staff.individual", "track": "staff", "kind": "individual", "unit_id": "U004",
             "nominee": "王五", "deeds": "事迹", "started_on": None},
        ],
    }, units=units)


@pytest.fixture(scope="module")
def scenario(small_bounds_rules):
    return evaluate(_scenario(), small_bounds_rules)


def _crit(u, cid):
    return next(c for c in u.criteria if c.id == cid)


def test_scenario_outcomes(scenario):
    out = {(u.track, u.unit_id): u.outcome for u in scenario.collective}
    assert out == {
        ("staff", "U001"): "eligible", ("staff", "U002"): "not_eligible", ("staff", "U003"): "not_eligible",
        ("staff", "U004"): "needs_review", ("staff", "U005"): "not_eligible",
        ("professional", "U001"): "eligible",
    }
    assert [(u.track, u.unit_id) for u in scenario.collective][0] == ("staff", "U001")
    u1 = scenario.unit("staff", "U001")
    assert u1.nominated and u1.deeds_chars == 650
    assert u1.metrics["paid_trainees"] == 40 and u1.metrics["income"] == 8000.0
    assert u1.metrics["paid_to_registered"] == 0.8 and u1.metrics["refund_rate"] == 0.0125
    u2 = scenario.unit("staff", "U002")
    assert [c.id for c in u2.failed] == ["paid_trainees"]
    assert _crit(u2, "paid_trainees").explanation.endswith("差 1 人")
    assert _crit(scenario.unit("staff", "U004"), "paid_to_target").outcome == "unknown"
    assert _crit(scenario.unit("staff", "U005"), "contract_months").outcome == "fail"
    assert _crit(scenario.unit("staff", "U003"), "major_complaints").value == 1


def test_scenario_near_misses(scenario):
    # U005's contract is 1 day short of 6 months (1/184), U002 one payer short of 30 (1/30),
    # U003 has a major complaint (relative shortfall 1)
    assert [m.unit_id for m in scenario.near_misses] == ["U005", "U002", "U003"]
    second = scenario.near_misses[1]
    assert second.failed_count == 1
    assert second.failed[0]["shortfall"] == 1 and second.failed[0]["shortfall_unit"] == "人"
    assert second.message == "未达标 1 项：年度参培人数（缴费人数）差 1 人"
    assert scenario.near_misses[0].failed[0]["shortfall_unit"] == "天"
    assert {m.unit_id for m in scenario.near_misses} == {"U002", "U003", "U005"}


def test_scenario_nominees(scenario):
    ind = {n.nominee: n for n in scenario.individual}
    assert ind["张三"].outcome == "needs_review"  # numbers pass; the qualitative items are for reviewers
    assert [q["id"] for q in ind["张三"].qualitative] == ["political_and_ethics", "competence", "contribution"]
    assert ind["李四"].outcome == "not_eligible"  # 12 months not reached, and no professional contract
    assert {c.id: c.outcome for c in ind["李四"].criteria}["unit_in_system"] == "fail"
    assert {c.id: c.outcome for c in ind["王五"].criteria}["tenure_months"] == "unknown"
    inn = scenario.innovation[0]
    assert inn.deeds_chars == 702 and inn.outcome == "not_eligible" and inn.nominee == "单位U003"


def test_to_dict_shape(scenario):
    d = scenario.to_dict()
    for key in ("year", "period", "as_of", "rules", "collective", "individual", "innovation", "flags", "ledger"):
        assert key in d
    assert d["period"] == {"start": "2022-01-01T00:00:00+08:00", "end": "2022-12-31T23:59:59+08:00"}
    assert d["as_of"] == "2022-12-31" and len(d["rules"]["sha256"]) == 64
    c = d["collective"][0]
    assert {"track", "unit_id", "unit_name", "metrics", "criteria", "outcome"} <= set(c)
    crit = c["criteria"][0]
    assert {"id", "clause", "metric", "op", "bound", "value", "outcome", "wording", "explanation"} <= set(crit)
    text = json.dumps(d, ensure_ascii=False, allow_nan=False)  # JSON-ready, no NaN
    assert "13800000000" not in text  # a nominee's phone stays out
    assert json.dumps(d, ensure_ascii=False) == json.dumps(scenario.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("part", ["collective", "criteria", "individual", "innovation", "flags", "near_misses",
                                  "ledger"])
def test_to_frame(scenario, part):
    df = scenario.to_frame(part)
    assert isinstance(df, pd.DataFrame) and len(df.columns) > 3


# --- every kind of missing input gives unknown ----------------------------------------------------


def _one_unit(**over):
    tables = {
        "staff_payments": [pay("O1", "T1")],
        "staff_registrations": [{"trainee_id": "T1", "unit_id": "U001", "registered_at": "2022-02-01"}],
        "contracts": [{"unit_id": "U001", "track": "staff", "signed_on": "2020-01-01"}],
        "targets": [{"unit_id": "U001", "target": 1}],
        "teams": [{"unit_id": "U001", "track": "staff", "dedicated_staff": 1}],
        "complaints": [],
    }
    omit = over.pop("omit", ())
    tables.update(over)
    return make_year(tables, omit=omit)


@pytest.mark.parametrize("name,year,cid", [
    ("no targets table", dict(omit=("targets",)), "paid_to_target"),
    ("unit not in targets", dict(targets=[{"unit_id": "U002", "target": 5}]), "paid_to_target"),
    ("target zero", dict(targets=[{"unit_id": "U001", "target": 0}]), "paid_to_target"),
    ("no registrations table", dict(omit=("staff_registrations",)), "paid_to_registered"),
    ("no teams table", dict(omit=("teams",)), "dedicated_team"),
    ("unit not in teams", dict(teams=[]), "dedicated_team"),
    ("no complaints table", dict(omit=("complaints",)), "major_complaints"),
    ("no contracts table", dict(omit=("contracts",)), "contract_months"),
    ("no payments table", dict(omit=("staff_payments",)), "paid_trainees"),
    ("no payments table: income", dict(omit=("staff_payments",)), "income"),
    ("no income: refund rate", dict(staff_payments=[]), "refund_rate"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_missing_input_is_unknown(rules, name, year, cid):
    ev = evaluate(_one_unit(**year), rules)
    u = ev.unit("staff", "U001")
    assert u is not None, name
    c = _crit(u, cid)
    assert c.outcome == "unknown", (name, c.explanation)
    assert "未知" in c.explanation
    assert u.outcome in ("needs_review", "not_eligible")


def test_no_contract_row_fails(rules):
    ev = evaluate(_one_unit(contracts=[{"unit_id": "U002", "track": "staff", "signed_on": "2020-01-01"}]), rules)
    c = _crit(ev.unit("staff", "U001"), "contract_months")
    assert c.outcome == "fail" and "没有该单位本项目的合同" in c.explanation


def test_nominee_missing_inputs(rules):
    yd = make_year({"nominations": [
        {"row": 2, "category": "staff.individual", "track": "staff", "kind": "individual", "unit_id": "U001",
         "nominee": "甲", "deeds": None, "started_on": None}]}, omit=("contracts",))
    n = evaluate(yd, rules).individual[0]
    assert {c.id: c.outcome for c in n.criteria} == {
        "tenure_months": "unknown", "deeds_length": "unknown", "unit_in_system": "unknown",
        "political_and_ethics": "unknown", "competence": "unknown", "contribution": "unknown"}
    assert n.outcome == "needs_review"


def test_flags_do_not_change_outcomes(small_bounds_rules):
    yd = _scenario()
    yd.excluded["staff_refunds"] = make_year(excluded={"staff_refunds": [
        refund("U001-O1", 200, "U001", at="2023-01-02") | {"reason": "after_cutoff"}]}).excluded["staff_refunds"]
    ev = evaluate(yd, small_bounds_rules)
    assert ev.unit("staff", "U001").outcome == "eligible"
    assert "refunds_after_cutoff" in {f.kind for f in ev.flags}


def test_period_mismatch_is_reported(rules):
    yd = _one_unit()
    yd.period_end = pd.Timestamp("2022-06-30 23:59:59")
    with pytest.warns(UserWarning, match="differs from the rules"):
        ev = evaluate(yd, rules)
    assert ev.warnings


def test_toolkit_evaluate_is_callable_after_the_submodule_import(rules):
    import toolkit
    import toolkit.evaluation.evaluate  # binds the submodule on the package
    from toolkit import evaluate as ev_fn

    yd = _one_unit()
    assert callable(toolkit.evaluate) and callable(ev_fn)
    assert ev_fn(yd, rules).to_dict() == evaluate(yd, rules).to_dict()


def test_rules_path_does_not_depend_on_the_current_directory(rules, tmp_path, monkeypatch):
    """evaluation.json must be byte-identical wherever the run starts."""
    yd = _one_unit()
    here = evaluate(yd, rules).to_dict()["rules"]["path"]
    monkeypatch.chdir(tmp_path)
    elsewhere = evaluate(yd, rules).to_dict()["rules"]["path"]
    assert here == elsewhere == "rules/2022.yaml"


def test_a_renamed_criterion_and_a_seventh_award_need_no_code_change(tmp_path):
    """Rules define the awards: a criterion id renamed in the file and an award the code
    has never seen (a second collective award of the staff track) are evaluated as
    written."""
    import yaml

    from toolkit import paths

    data = yaml.safe_load((paths.PROJECT_ROOT / "rules" / "2022.yaml").read_text(encoding="utf-8"))
    for c in data["awards"]["staff.collective"]["criteria"]:
        if c["id"] == "paid_trainees":
            c["id"], c["bound"], c["wording"] = "participants", 30, "达到30人"
    data["awards"]["staff.model_unit"] = {
        "label": "事业单位工作人员培训示范单位", "track": "staff", "kind": "collective", "clause": "附件7",
        "criteria": [{"id": "big_income", "label": "培训总收入7000元以上", "clause": "附件7 一",
                      "wording": "培训总收入7000元以上", "metric": "income", "op": ">=", "bound": 7000,
                      "unit": "yuan"}],
    }
    p = tmp_path / "2022.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ev = evaluate(_scenario(), load_rules(path=p))
    staff = [u for u in ev.collective if u.award == "staff.collective"]
    model = {u.unit_id: u for u in ev.collective if u.award == "staff.model_unit"}
    assert {c.id for c in staff[0].criteria} >= {"participants"} and "paid_trainees" not in {
        c.id for c in staff[0].criteria}
    assert _crit(next(u for u in staff if u.unit_id == "U002"), "participants").outcome == "fail"
    assert set(model) == {"U001", "U002", "U003", "U004", "U005"}
    assert model["U001"].outcome == "eligible" and model["U001"].award_label == "事业单位工作人员培训示范单位"
    assert model["U002"].outcome == "not_eligible"  # 29 payers of 200 yuan: 5,800 < 7,000
    assert ev.summary()["staff.model_unit"] == {"eligible": 4, "needs_review": 0, "not_eligible": 1}
    assert ev.to_dict()["labels"]["awards"]["staff.model_unit"] == "事业单位工作人员培训示范单位"
