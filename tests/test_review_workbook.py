"""The review workbook (toolkit.review.workbook): the screening's needs_review rows,
the drop-downs, the locked and greyed cells, the 说明 sheet, the same bytes twice."""

from __future__ import annotations

import copy
import dataclasses

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from review_helpers import IND, INN

from toolkit import paths
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.review import workbook
from toolkit.review.sheet import FIXED, README_SHEET, REMARK, REVIEWER, SHEET, qualitative_labels
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"


@pytest.fixture(scope="module")
def screening(tiny_year):
    rules = load_rules(2022, RULES_2022)
    ev = evaluate(load_year(2022, tiny_year, rules=rules, use_cache=False), rules)
    # one collective left open by a missing figure, as a unit without a target row is
    unit = copy.copy(ev.collective[0])
    unit.criteria = [dataclasses.replace(c, outcome="unknown", reason="缺少应培人数行")
                     if c.id == "paid_to_target" else dataclasses.replace(c, outcome="pass")
                     for c in unit.criteria]
    unit.outcome = "needs_review"
    ev = copy.copy(ev)
    ev.collective = [unit, *ev.collective[1:]]
    return ev, rules


@pytest.fixture(scope="module")
def sheet(screening, tmp_path_factory):
    ev, rules = screening
    path = workbook.write_workbook(ev, rules, tmp_path_factory.mktemp("wb") / "review" / "评审表.xlsx")
    return openpyxl.load_workbook(path), path


def _rows(ws):
    heads = [c.value for c in ws[1]]
    return heads, [dict(zip(heads, (c for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]


def test_one_row_per_needs_review_result_with_its_key(sheet, screening):
    ev, _ = screening
    heads, rows = _rows(sheet[0][SHEET])
    assert heads == [h for _, h in FIXED] + qualitative_labels(screening[1]) + [REVIEWER, REMARK]
    keys = [r["编号"].value for r in rows]
    assert keys == ["2022|staff.collective|U001|", IND, INN]
    nominee = rows[1]
    assert nominee["推荐对象"].value == "王<b>五</b>"  # as the unit wrote it
    assert nominee["奖项"].value == "事业单位工作人员培训先进个人"
    assert "✓ 从事培训工作半年以上" in nominee["已核对的条件"].value
    assert [r.outcome for r in ev.collective if r.award == "staff.collective" and r.unit_id == "U002"] == [
        "not_eligible"]  # not in the workbook


def test_a_collectives_open_figures_are_for_the_corrections_file(sheet):
    _, rows = _rows(sheet[0][SHEET])
    text = rows[0]["待补充或更正的数据"].value
    assert "缴费人数占应培人数比例：缺少应培人数行" in text and "更正.xlsx" in text


def test_only_decision_reviewer_and_remark_cells_are_editable(sheet):
    ws = sheet[0][SHEET]
    assert ws.protection.sheet and not ws.protection.password
    _, rows = _rows(ws)
    ind, innov, coll = rows[1], rows[2], rows[0]
    for _, head in FIXED:
        assert ind[head].protection.locked, head
    for head in ("政治方向与职业道德", "业务能力", "贡献与成效", REVIEWER, REMARK):
        assert not ind[head].protection.locked, head
    # the professional award's column and the innovation column do not apply: grey, locked
    for head in ("事业心与责任感", "突出贡献及特色创意"):
        assert ind[head].protection.locked and ind[head].fill.fgColor.rgb.endswith("D9D9D9"), head
    assert not innov["突出贡献及特色创意"].protection.locked
    assert innov["业务能力"].protection.locked
    assert all(coll[h].protection.locked for h in qualitative_labels(load_rules(2022, RULES_2022)))


def test_decision_cells_take_the_two_words_from_a_drop_down(sheet):
    ws = sheet[0][SHEET]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"符合,不符合"'
    coords = {f"{get_column_letter(col)}{row}" for rng in dv.sqref.ranges
              for row in range(rng.min_row, rng.max_row + 1) for col in range(rng.min_col, rng.max_col + 1)}
    _, rows = _rows(ws)
    assert rows[1]["业务能力"].coordinate in coords
    assert rows[1]["事业心与责任感"].coordinate not in coords
    assert rows[2]["突出贡献及特色创意"].coordinate in coords


def test_the_readme_says_who_fills_what_and_the_default_rule(sheet):
    text = "\n".join(str(r[0]) for r in sheet[0][README_SHEET].iter_rows(values_only=True) if r[0])
    assert "data/2022/评审意见/" in text and "评审人" in text and "多数决" in text
    assert "规则文件未规定评审规则" in text and "至少需 1 位评审人" in text


def test_the_readme_follows_a_rules_review_section(screening):
    ev, rules = screening
    strict = dataclasses.replace(rules, raw={**rules.raw, "review": {}},
                                 review=dataclasses.replace(rules.review, decision="all", min_reviewers=3,
                                                            clause="评审办法 第3条"))
    text = "\n".join(workbook.readme_lines(ev, strict, ["业务能力"]))
    assert "全体一致（评审办法 第3条）" in text and "至少需 3 位评审人" in text


def test_the_same_screening_gives_the_same_bytes(screening):
    ev, rules = screening
    assert workbook.workbook_bytes(ev, rules) == workbook.workbook_bytes(ev, rules)


def test_a_nominee_name_with_a_control_character_is_written_without_it(screening, tmp_path):
    """A nominee's name holding a control character stopped the run at
    export (exit 1): openpyxl refuses the character. The workbook is written, the
    character dropped (no workbook can hold it)."""
    ev, rules = screening
    ev = copy.copy(ev)
    ev.individual = [dataclasses.replace(n, nominee=f"王\x07五{i}\x1b") for i, n in enumerate(ev.individual)]
    path = workbook.write_workbook(ev, rules, tmp_path / "评审表.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET]
    column = get_column_letter([f for f, _ in FIXED].index("nominee") + 1)
    names = [c.value for c in ws[column]]
    assert "王五0" in names, names


def test_the_workbook_states_its_year_in_its_properties_every_key_and_a_visible_title(sheet, screening):
    wb, path = sheet
    assert wb.properties.title == "2022年度评优评审表" and "年度=2022" in wb.properties.keywords
    assert wb[README_SHEET]["A1"].value == "2022年度评优评审表"
    assert wb[SHEET].oddHeader.center.text == "2022年度评优评审表"
    _, rows = _rows(wb[SHEET])
    assert all(r["编号"].value.startswith("2022|") for r in rows)
