"""The rows of the final list (toolkit/outputs/final/listing.py) on the decided tiny year
(tests/final_helpers.py): who is proposed per award, in the rules file's order, with
the names as written; who is pending and why; who is left out."""

from __future__ import annotations

import copy

from final_helpers import (
    ALL_DECIDED,
    PROFESSIONAL_COLLECTIVE,
    STAFF_COLLECTIVE,
    decide,
)
from report_helpers import HOSTILE_NOMINEE, HOSTILE_UNIT

from toolkit.evaluation.results import outcome_of
from toolkit.outputs.final.listing import final_list, is_final, pending_rows, proposed_rows


def test_final_only_once_a_review_file_was_read(final_year, final_decided):
    assert not is_final(final_year.evaluation)
    assert is_final(final_decided)
    assert not is_final(decide(final_year.evaluation, files=[]))
    assert not is_final(decide(final_year.evaluation, decisions={}))  # a file read that decided nothing


def test_every_award_in_the_rules_files_order(final_year, final_decided):
    fl = final_list(final_decided)
    assert [a.label for a in fl.awards] == [a.label for a in final_year.rules.awards.values()]
    assert [a.key for a in fl.awards] == list(final_year.rules.awards)


def test_the_proposed_entries_with_their_names_as_written(final_decided):
    by = {a.key: a.entries for a in final_list(final_decided).awards}
    assert [(e.unit_name, e.name) for e in by["staff.collective"]] == [("长沙开放大学", STAFF_COLLECTIVE)]
    assert [(e.unit_name, e.name) for e in by["professional.collective"]] == [("湘潭开放大学", PROFESSIONAL_COLLECTIVE)]
    assert [(e.unit_name, e.name) for e in by["staff.individual"]] == [("长沙开放大学", HOSTILE_NOMINEE)]
    assert [(e.unit_name, e.name) for e in by["innovation.staff"]] == [(HOSTILE_UNIT, None)]  # the unit's award
    assert by["professional.individual"] == [] and by["innovation.professional"] == []


def test_an_eligible_unit_that_did_not_apply_is_not_proposed(final_decided):
    left_out = [u for u in final_decided.collective if u.outcome == "eligible" and not u.nominated]
    assert [(u.award, u.unit_id) for u in left_out] == [("professional.collective", "U001")]
    professional = next(a for a in final_list(final_decided).awards if a.key == "professional.collective")
    assert [e.unit_id for e in professional.entries] == ["U003"]


def test_a_failed_nominee_is_absent_and_an_undecided_one_pending(final_decided):
    fl = final_list(final_decided)
    names = [e.name for e in fl.proposed]
    assert "李四" not in names and "赵六" not in names
    assert [(e.award, e.name) for e in fl.pending] == [("professional.individual", "赵六")]
    assert "政治方向与职业道德" in fl.pending[0].reason and "贡献与成效" in fl.pending[0].reason
    assert not fl.complete


def test_all_decided_leaves_nothing_pending(final_year):
    fl = final_list(decide(final_year.evaluation, ALL_DECIDED))
    assert fl.complete and [e.name for a in fl.awards if a.key == "professional.individual" for e in a.entries] == ["赵六"]


def test_a_collective_that_applied_and_needs_review_is_pending_never_proposed(final_decided):
    ev = copy.deepcopy(final_decided)
    unit = next(u for u in ev.collective if u.award == "staff.collective" and u.unit_id == "U001")
    unit.criteria[0].outcome, unit.criteria[0].reason = "unknown", "缺少合作合同台账"
    unit.outcome = outcome_of(unit.criteria)
    fl = final_list(ev)
    assert all(e.unit_id != "U001" for a in fl.awards if a.key == "staff.collective" for e in a.entries)
    pending = [e for e in fl.pending if e.award == "staff.collective"]
    assert [(e.unit_name, e.name) for e in pending] == [("长沙开放大学", STAFF_COLLECTIVE)]
    assert pending[0].reason == f"{unit.criteria[0].label}：缺少合作合同台账"
    assert fl.pending[0].award == "staff.collective"  # pending entries follow the awards' order too


def test_the_rows_of_the_workbook(final_decided):
    headers, rows = proposed_rows(final_list(final_decided))
    assert headers == ["奖项", "序号", "单位名称", "先进集体名称", "先进个人姓名"]
    assert rows == [
        ["事业单位工作人员培训先进集体", 1, "长沙开放大学", STAFF_COLLECTIVE, ""],
        ["专业技术人员继续教育培训先进集体", 1, "湘潭开放大学", PROFESSIONAL_COLLECTIVE, ""],
        ["事业单位工作人员培训先进个人", 1, "长沙开放大学", "", HOSTILE_NOMINEE],
        ["专业技术人员继续教育培训先进个人", None, "待定 1 项：尚待评审结论或数据核实，未列入本名单", "", ""],  # every award of the rules, 无 if nobody
        ["事业单位工作人员培训创新创意奖", 1, HOSTILE_UNIT, "", ""],
        ["专业技术人员继续教育培训创新创意奖", None, "无", "", ""],
    ]
    headers, rows = pending_rows(final_list(final_decided))
    assert headers[-1] == "待定原因" and rows[0][:5] == ["专业技术人员继续教育培训先进个人", 1, "湘潭开放大学", "", "赵六"]


def test_labels_come_from_the_evaluation_not_the_code(final_decided):
    ev = copy.deepcopy(final_decided)
    ev.award_labels = {k: f"{v}（改）" for k, v in ev.award_labels.items()}
    _, rows = proposed_rows(final_list(ev))
    assert rows[0][0] == "事业单位工作人员培训先进集体（改）"


def test_no_private_field_reaches_the_rows(final_decided):
    fl = final_list(final_decided)
    text = repr(fl.awards) + repr(fl.pending)
    assert "13912345678" not in text and "联系人甲" not in text and "负责人丙丁" not in text
