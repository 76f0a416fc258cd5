"""What changed since the last publication (toolkit/outputs/changes.py): a run's
evaluation against the one published, per unit and nomination whose outcome or
final-list state changed, with the causes (review row, correction row, objection row,
changed input file, rules), and the summary line the run ends with."""

from __future__ import annotations

import copy
import json
from types import SimpleNamespace

import pytest
from final_helpers import ALL_DECIDED, DECISIONS, decide, final_year  # noqa: F401 - fixture
from objection_helpers import NOMINEE_KEY, PROFESSIONAL_KEY, row, with_register

from toolkit import open_changes
from toolkit.exceptions import ParameterError
from toolkit.outputs.changes import changed_inputs, compare, summary_line

REVIEW = {"kind": "review", "file": "评审意见/专家甲.xlsx", "sheet": "评审表", "row": 2, "reviewer": "专家甲"}


def _changes(before, after, **kw) -> dict[str, tuple]:
    return {c["key"]: (c["outcome"]["before"], c["outcome"]["after"], c["state"]["before"], c["state"]["after"],
                       c["causes"]) for c in compare(before, after, **kw)}


def test_a_review_that_decides_the_last_nominee_names_its_row(final_year):  # noqa: F811
    before, after = decide(final_year.evaluation, DECISIONS), decide(final_year.evaluation, ALL_DECIDED)
    assert _changes(before, after) == {
        PROFESSIONAL_KEY: ("needs_review", "eligible", "pending", "proposed", [REVIEW])}


#: (case, register rows of the earlier publication, of this one, {key: (state before, after, objection rows)})
ROUNDS = [
    ("an objection under check", [], [row()], {NOMINEE_KEY: ("proposed", "pending", [3])}),
    ("upheld and withdrawn", [row()], [row(finding="成立", action="撤销推荐", approver="王处长")],
     {NOMINEE_KEY: ("pending", "withdrawn", [3])}),
    ("the open one settled as rejected", [row()], [row(finding="不成立", approver="王处长")],
     {NOMINEE_KEY: ("pending", "proposed", [3])}),
    ("an anonymous one changes nothing", [], [row(objector="")], {}),
    ("a rejected one changes nothing", [], [row(finding="不成立", approver="王处长")], {}),
]


@pytest.mark.parametrize("case,before_rows,after_rows,expected", ROUNDS, ids=[c[0] for c in ROUNDS])
def test_an_objection_is_the_cause_of_the_state_it_changes(final_year, tmp_path, case, before_rows,  # noqa: F811
                                                           after_rows, expected):
    decided = decide(final_year.evaluation, ALL_DECIDED)
    before = with_register(decided, tmp_path / "a", before_rows) if before_rows else decided
    after = with_register(decided, tmp_path / "b", after_rows)
    got = _changes(before, after)
    assert {k: (v[2], v[3], [c["row"] for c in v[4] if c["kind"] == "objection"]) for k, v in got.items()} == expected


def test_a_correction_input_file_and_rules_are_named(final_year):  # noqa: F811
    before = decide(final_year.evaluation, ALL_DECIDED)
    after = copy.deepcopy(before)
    u = next(u for u in after.collective if u.unit_id == "U001" and u.award == "staff.collective")
    u.outcome = "not_eligible"
    after.review = {**after.review, "corrections": [{"file": "更正.xlsx", "row": 3, "unit_id": "U001", "new": 5}]}
    got = _changes(before, after, inputs_changed=["推荐申报.xlsx"], rules_changed=True, rules_file="2022.yaml")
    assert got == {"2022|staff.collective|U001|": ("eligible", "not_eligible", "proposed", "absent", [
        {"kind": "correction", "file": "更正.xlsx", "row": 3}, {"kind": "input", "file": "推荐申报.xlsx"},
        {"kind": "rules", "file": "2022.yaml"}])}


def test_changed_inputs_are_the_files_whose_sha256_differs():
    manifest = {"inputs": [{"file": "a.csv", "sha256": "1"}, {"file": "b.csv", "sha256": "2"},
                           {"file": "gone.csv", "sha256": "3"}]}
    yd = SimpleNamespace(files=[SimpleNamespace(path="/d/a.csv", sha256="1"), SimpleNamespace(path="/d/b.csv", sha256="9"),
                                SimpleNamespace(path="/d/new.csv", sha256="4")])
    assert changed_inputs(manifest, yd) == ["b.csv", "gone.csv", "new.csv"]
    assert changed_inputs(None, yd) == []


@pytest.mark.parametrize("changes,line", [
    ({"first": True, "changes": []}, "首次发布：没有可比较的已发布结果"),
    ({"first": False, "compared_with": {"published_at": "2026-12-01T10:00:05+08:00"}, "changes": [{}, {}, {}]},
     "与 2026-12-01 10:00 发布的结果相比：3 项结论变化"),
    ({"first": False, "compared_with": {"published_at": "2026-12-01T10:00:05+08:00"}, "changes": []},
     "与 2026-12-01 10:00 发布的结果相比：结论无变化"),
])
def test_the_summary_line(changes, line):
    assert summary_line(changes) == line


def test_a_notebook_opens_the_changes_of_a_run(tmp_path):
    (tmp_path / "changes.json").write_text(json.dumps({"first": True, "changes": []}), encoding="utf-8")
    assert open_changes(tmp_path) == {"first": True, "changes": []}
    with pytest.raises(ParameterError):
        open_changes(tmp_path / "nothing")
