"""公示稿.docx (toolkit/outputs/final/publicity.py) on the decided tiny year, nothing
pending: the title, the paragraph, the list per award, the blanks for the period, the
telephone and the date (no invented date or number), the signature."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from final_helpers import ALL_DECIDED, NOMINEE_PHONE, STAFF_COLLECTIVE, decide
from report_helpers import HOSTILE_NOMINEE, HOSTILE_UNIT

from toolkit.outputs.final.listing import final_list
from toolkit.outputs.final.publicity import BLANK_DATE, publicity_docx
from toolkit.outputs.forms.document import docx_bytes


@pytest.fixture(scope="module")
def doc(final_year):
    return Document(io.BytesIO(docx_bytes(publicity_docx(final_list(decide(final_year.evaluation, ALL_DECIDED))))))


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def test_title_and_paragraph(doc):
    ps = paragraphs(doc)
    assert ps[0] == "关于2022年度全省开放大学办学体系\n培训工作拟表彰名单的公示"  # broken between words
    assert doc.paragraphs[0].runs[0].font.size.pt == 22
    assert "现将拟表彰的先进集体、先进个人和创新创意奖名单予以公示" in ps[1]
    assert "如有异议" in ps[1] and "湖南开放大学" in ps[1]


def test_the_period_and_telephone_are_blanks_to_fill(doc):
    ps = paragraphs(doc)
    assert f"公示期：{BLANK_DATE}至{BLANK_DATE}" in ps
    phone = next(p for p in ps if p.startswith("联系电话："))
    assert re.fullmatch(r"联系电话：_+", phone)
    # no date or number the school did not give: the only digits are the year's
    digits = {m for p in ps for m in re.findall(r"\d+", p)}
    assert digits <= {"2022"}, digits


def test_the_list_per_award_and_the_signature(doc):
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == 6 and headings[0] == "一、事业单位工作人员培训先进集体"
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["1", "长沙开放大学", STAFF_COLLECTIVE] in cells
    assert ["1", "长沙开放大学", HOSTILE_NOMINEE] in cells and ["1", "湘潭开放大学", "赵六"] in cells
    assert ["1", HOSTILE_UNIT] in cells
    assert not any("李四" in c for row in cells for c in row)
    ps = paragraphs(doc)
    assert ps[-2:] == ["湖南开放大学", BLANK_DATE]
    assert doc.paragraphs[-1].alignment == 2  # right


def test_no_phone_number(doc):
    text = "\n".join(paragraphs(doc)) + str([[c.text for c in row.cells] for t in doc.tables for row in t.rows])
    assert NOMINEE_PHONE not in text and "联系人甲" not in text
