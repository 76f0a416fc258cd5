"""Which approval form a document is: by the year's title, by the attachment label,
by its boxes; another year's form and a letter are none."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import notice_form  # noqa: E402

from toolkit.intake.read import read_form  # noqa: E402
from toolkit.intake.recognise import find_boxes, recognise  # noqa: E402
from toolkit.outputs.forms.nominations import FormData, build_form  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402

RULES = load_rules(2022)


@pytest.mark.parametrize("number", [2, 4, 6])
def test_by_title(tmp_path, number):
    rec = recognise(read_form(notice_form(tmp_path / "f.docx", number, label="")), RULES, 2022)
    assert rec.number == number and rec.attachment == f"附件{number}"
    assert [a.form.side for a in rec.awards] == ["left", "right"]


def test_the_toolkits_own_form(tmp_path):
    award = RULES.awards["professional.individual"]
    doc = build_form(FormData(award=award, unit_name="长沙开放大学", nominee="甲"), RULES, 2022, 700)
    doc.save(tmp_path / "t.docx")
    rec = recognise(read_form(tmp_path / "t.docx"), RULES, 2022)
    assert rec.number == 4
    boxes = find_boxes(read_form(tmp_path / "t.docx"), rec.awards)
    assert [(b.award, b.ticked) for b in boxes] == [("professional.collective", False),
                                                    ("professional.individual", True)]


def test_another_years_form_is_none_of_this_year(tmp_path):
    rec = recognise(read_form(notice_form(tmp_path / "f.docx", 2, year=2021)), RULES, 2022)
    assert rec.number is None and "2021" in rec.problem and "附件2" in rec.problem


def test_by_label_then_by_boxes(tmp_path):
    rec = recognise(read_form(notice_form(tmp_path / "a.docx", 4, title=False)), RULES, 2022)
    assert rec.number == 4  # 附件4 above the table
    rec = recognise(read_form(notice_form(tmp_path / "b.docx", 6, title=False, label="")), RULES, 2022)
    assert rec.number == 6  # only its boxes say it


def test_no_form(tmp_path):
    d = docx.Document()
    d.add_paragraph("关于召开培训工作会议的通知")
    d.save(tmp_path / "x.docx")
    rec = recognise(read_form(tmp_path / "x.docx"), RULES, 2022)
    assert rec.number is None and rec.awards == [] and "附件2, 附件4, 附件6" in rec.problem


def test_title_follows_the_rules(tmp_path):
    import dataclasses

    award = RULES.awards["staff.collective"]
    other = dataclasses.replace(award.form, title="{year}年度某某推荐表", attachment="附件9", number=9)
    rules = dataclasses.replace(RULES, awards={"staff.collective": dataclasses.replace(award, form=other)})
    d = docx.Document()
    d.add_paragraph("2022年度某某推荐表")
    d.save(tmp_path / "y.docx")
    assert recognise(read_form(tmp_path / "y.docx"), rules, 2022).number == 9
    assert recognise(read_form(tmp_path / "y.docx"), RULES, 2022).number is None
