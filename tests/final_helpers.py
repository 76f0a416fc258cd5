"""A decided year for the final-list tests (tests/test_outputs_final_*.py and the report
section's): the tiny year of report_helpers with nominations for every kind of award,
a rules file whose collective awards keep only the conditions the tiny year can meet,
its evaluation by the real path, and :func:`decide`, which applies reviewers' decisions
to the qualitative criteria as the review does (``source: review``, the outcome
recomputed by ``results.outcome_of``) and records the review files.

The year: 长沙 (U001) and 湘潭 (U003) meet the professional collective's conditions,
长沙 the staff collective's; 长沙 applied for the staff one and 湘潭 for the
professional one, 长沙 did not apply for the professional one (eligible, not
proposed). Nominees: 王<b>五</b> (all conditions passed by the review: proposed),
李四 (one failed: absent), 赵六 (not yet decided: pending), the staff innovation of
株洲 (passed: proposed), the professional innovation of 湘潭 (failed: absent)."""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from report_helpers import HOSTILE_NOMINEE, RULES_2022, write_tiny_year

from toolkit import open_run
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.evaluation.results import outcome_of
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import store
from toolkit.outputs.tables import write_outputs
from toolkit.rules.load import load_rules

#: what the units wrote for their collectives (kept exactly)
STAFF_COLLECTIVE = "长沙开放大学（培训中心） 事业单位培训科"
PROFESSIONAL_COLLECTIVE = "湘潭开放大学继续教育部"
NOMINEE_PHONE = "13912345678"
UNIT_LEADER = "负责人丙丁"
#: (award, unit, nominee) -> decision per qualitative criterion ("pass"/"fail"); absent: undecided
DECISIONS = {
    ("staff.individual", "U001", HOSTILE_NOMINEE): {"political_and_ethics": "pass", "competence": "pass",
                                                    "contribution": "pass"},
    ("staff.individual", "U001", "李四"): {"political_and_ethics": "pass", "competence": "pass",
                                          "contribution": "fail"},
    ("innovation.staff", "U002", None): {"innovation_merit": "pass"},
    ("innovation.professional", "U003", None): {"innovation_merit": "fail"},
}
REVIEW_FILES = [{"path": "评审意见/专家甲.xlsx", "sha256": "0" * 64},
                {"path": "评审意见/专家乙.xlsx", "sha256": "1" * 64}]
#: 赵六 decided too: nothing left pending
ALL_DECIDED = {**DECISIONS, ("professional.individual", "U003", "赵六"): {
    "political_and_ethics": "pass", "competence": "pass", "contribution": "pass"}}
#: the collective conditions the tiny year cannot meet (its figures are a few dozen)
DROPPED = ("paid_trainees", "paid_to_registered", "paid_to_target", "income", "refund_rate", "person_times")


def write_decided_year(d: Path) -> Path:
    """The tiny year with nominations for every award (contact phone numbers included)."""
    write_tiny_year(d)
    rows = [
        ("事业单位工作人员培训先进集体", "U001", STAFF_COLLECTIVE, "成效显著" * 10, ""),
        ("专业技术人员继续教育培训先进集体", "U003", PROFESSIONAL_COLLECTIVE, "稳步推进" * 10, ""),
        ("事业单位工作人员培训先进个人", "U001", HOSTILE_NOMINEE, "认真负责" * 20, "2020-01-01"),
        ("事业单位工作人员培训先进个人", "U001", "李四", "踏实肯干" * 20, "2020-01-01"),
        ("专业技术人员继续教育培训先进个人", "U003", "赵六", "勤勉敬业" * 20, "2020-01-01"),
        ("事业单位工作人员培训创新创意", "U002", "", "创新<script>x</script>", ""),
        ("专业技术人员继续教育培训创新创意", "U003", "", "特色课程", ""),
    ]
    with open(d / "nominations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["category", "unit", "nominee", "deeds", "started_on", "unit_leader", "contact_name",
                    "contact_phone"])
        w.writerows([(*r, UNIT_LEADER, "联系人甲", NOMINEE_PHONE) for r in rows])
    return d


def write_rules(dst: Path) -> Path:
    """The 2022 rules without the collective conditions of :data:`DROPPED`."""
    raw = yaml.safe_load(RULES_2022.read_text(encoding="utf-8"))
    for award in raw["awards"].values():
        if award["kind"] == "collective":
            award["criteria"] = [c for c in award["criteria"] if c["id"] not in DROPPED]
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


@dataclass
class Screened:
    """The decided year before the review: its folder, rules and evaluation."""

    data: Path
    rules_path: Path
    rules: object
    year_data: object
    evaluation: object


def screened(root: Path) -> Screened:
    """The decided year written under ``root`` and evaluated (before the review)."""
    data = write_decided_year(root / "data" / "2022")
    rules_path = write_rules(root / "rules" / "2022.yaml")
    rules = load_rules(2022, rules_path)
    yd = open_year(2022, data, rules=rules, use_cache=False, progress=False)
    return Screened(data, rules_path, rules, yd, evaluate(yd, rules))


def report_ctx(s: Screened, evaluation, run_dir: Path):
    """The report context of a run folder holding ``evaluation`` (through evaluation.json,
    as the notebook reads it)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(evaluation, run_dir)
    ctx = report_context.build(rules=s.rules, year_data=s.year_data, evaluation=evaluation, out_dir=run_dir,
                               generated_at="2022-12-31 12:00:00 (UTC+08:00)")
    store.write_report_data(ctx, run_dir)
    return open_run(run_dir)


def decide(evaluation, decisions=DECISIONS, files=REVIEW_FILES):
    """A copy of ``evaluation`` with the reviewers' decisions applied and the review
    files recorded."""
    ev = copy.deepcopy(evaluation)
    for n in [*ev.individual, *ev.innovation]:
        key = (n.category, n.unit_id, n.nominee if n.kind != "innovation" else None)
        for c in n.criteria:
            decision = decisions.get(key, {}).get(c.id)
            if c.kind == "qualitative" and decision:
                c.outcome = decision
                c.reason = None if decision == "pass" else "评审意见：不符合"
                c.detail = {"source": "review", "decisions": [
                    {"reviewer": "专家甲", "decision": decision, "file": REVIEW_FILES[0]["path"], "sheet": "评审表",
                     "row": 2}]}
        n.outcome = outcome_of(n.criteria)
    ev.review = {"files": list(files), "corrections": []}
    return ev


@pytest.fixture(scope="session")
def final_year(tmp_path_factory) -> Screened:
    """The decided year, screened once for the final list's tests (read only)."""
    return screened(tmp_path_factory.mktemp("final"))


@pytest.fixture(scope="session")
def final_decided(final_year):
    """Its evaluation with :data:`DECISIONS` applied (read only; tests copy to change it)."""
    return decide(final_year.evaluation)
