"""The fields of a form by their row labels: the ticked side's column, the deeds
without the prompt, 填报单位, a start date row, a form with one column only."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import notice_form  # noqa: E402

from toolkit.intake.extract import deeds_text, extract, filler  # noqa: E402
from toolkit.intake.read import Cell, FormDoc, read_form  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402

RULES = load_rules(2022)
ON_2 = RULES.awards_on_form(2)
COLLECTIVE, INDIVIDUAL = ON_2

BOTH = {0: {"单位名称": "株洲开放大学", "单位负责人": "左负责", "nominee": "株洲培训部", "contact": "左联系"},
        1: {"单位名称": "长沙开放大学", "单位负责人": "右负责", "nominee": "谭湘楠", "contact": "右联系"}}


@pytest.mark.parametrize("side,award,expected", [
    (0, COLLECTIVE, ("株洲开放大学", "左负责", "株洲培训部", "左联系")),
    (1, INDIVIDUAL, ("长沙开放大学", "右负责", "谭湘楠", "右联系")),
])
def test_the_ticked_sides_column(tmp_path, side, award, expected):
    doc = read_form(notice_form(tmp_path / "f.docx", 2, values=BOTH, filler="长沙开放大学（盖章）"))
    f = extract(doc, ON_2, award, side)
    assert (f.unit, f.unit_leader, f.nominee, f.contact) == expected
    assert f.filler == "长沙开放大学（盖章）"


def test_nominee_by_its_own_label_even_on_the_other_side(tmp_path):
    doc = read_form(notice_form(tmp_path / "f.docx", 2, values=BOTH))
    assert extract(doc, ON_2, INDIVIDUAL, 0).nominee == "谭湘楠"  # 先进个人姓名's value


@pytest.mark.parametrize("paragraphs,expected", [
    (["（简明扼要，突出特色，700字以内）", "第一段。", "", "  第二段 "], "第一段。\n\n  第二段 "),
    (["（简明扼要，突出特色，700字以内）第一段。"], "第一段。"),
    (["(简明扼要，突出特色)", "第一段。"], "第一段。"),
    (["第一段（简明扼要，不是提示）。"], "第一段（简明扼要，不是提示）。"),
    # every paragraph's own indent kept, the first one's too
    (["", "\u3000\u3000第一段，ＡＢＣ。", "\u3000\u3000第二段。"], "\u3000\u3000第一段，ＡＢＣ。\n\u3000\u3000第二段。"),
    (["（简明扼要，突出特色，700字以内）\u3000\u3000第一段。"], "\u3000\u3000第一段。"),
    # blank paragraphs before and after go, inner ones stay as written (empty lines)
    (["（简明扼要，突出特色，700字以内）", "", " ", "\u3000\u3000甲。", "", "", "\u3000\u3000乙\n丙。", "", "\u3000"],
     "\u3000\u3000甲。\n\n\n\u3000\u3000乙\n丙。"),
    (["（简明扼要，突出特色，700字以内）"], ""),
    ([], ""),
])
def test_deeds_text(paragraphs, expected):
    assert deeds_text(Cell(paragraphs, 1, 3)) == expected
    assert deeds_text(None) == ""


def test_filler_forms():
    assert filler(FormDoc(paragraphs=["附件2", "填报单位（盖章）：长沙开放大学"])) == "长沙开放大学"
    assert filler(FormDoc(paragraphs=["填报单位: 株洲开放大学 "])) == "株洲开放大学"
    assert filler(FormDoc(paragraphs=["本表由填报单位（盖章）：x"])) == ""  # not at the start
    assert filler(FormDoc()) == ""


def test_a_start_date_row_and_a_single_column_form(tmp_path):
    d = docx.Document()
    d.add_paragraph("附件2")
    t = d.add_table(rows=5, cols=2)
    for r, (label, value) in enumerate([("☑事业单位工作人员培训先进个人", ""), ("单位名称：", "长沙开放大学"),
                                        ("先进个人姓名", "谭湘楠"), ("从事培训工作起始日期", "2020年3月1日"),
                                        ("主要事迹", "事迹。")]):
        t.cell(r, 0).text = label
        t.cell(r, 1).text = value
    d.save(tmp_path / "one.docx")
    f = extract(read_form(tmp_path / "one.docx"), ON_2, INDIVIDUAL, 1)
    assert (f.unit, f.nominee, f.started_on, f.deeds) == ("长沙开放大学", "谭湘楠", "2020年3月1日", "事迹。")


def test_a_value_that_starts_like_a_label_is_a_value(tmp_path):
    values = {1: {"单位名称": "长沙开放大学", "contact": "联系人谭丽"}}
    f = extract(read_form(notice_form(tmp_path / "f.docx", 2, values=values)), ON_2, INDIVIDUAL, 1)
    assert f.contact == "联系人谭丽"
