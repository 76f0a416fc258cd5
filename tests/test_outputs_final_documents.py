"""拟表彰名单.docx and .xlsx (toolkit/outputs/final/documents.py) on the decided tiny year,
read back as a user opens them (python-docx, openpyxl): a heading per award in order,
the rows with the names exactly as written, 尚有待定项 while entries are pending, the
待定 sheet, no phone number, no formula."""

from __future__ import annotations

import copy
import io

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from final_helpers import (
    ALL_DECIDED,
    NOMINEE_PHONE,
    PROFESSIONAL_COLLECTIVE,
    STAFF_COLLECTIVE,
    decide,
)
from openpyxl import load_workbook
from report_helpers import HOSTILE_NOMINEE, HOSTILE_UNIT

from toolkit.outputs.final.documents import cn_number, list_docx, list_xlsx
from toolkit.outputs.final.listing import final_list
from toolkit.outputs.forms.document import docx_bytes


def blocks(doc) -> list[tuple[str, object]]:
    """The body in order: ("h", heading text), ("p", paragraph text), ("t", rows of cell texts)."""
    out = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            out.append(("h" if p.style.name.startswith("Heading") else "p", p.text))
        elif tag == "tbl":
            out.append(("t", [[c.text for c in row.cells] for row in Table(child, doc).rows]))
    return out


def reopened(doc):
    return Document(io.BytesIO(docx_bytes(doc)))


def by_heading(doc) -> dict[str, list]:
    """heading text -> what follows it up to the next heading."""
    out: dict[str, list] = {}
    current = None
    for kind, value in blocks(doc):
        if kind == "h":
            current = value
            out[current] = []
        elif current is not None:
            out[current].append((kind, value))
    return out


def test_a_heading_per_award_in_the_rules_files_order(final_year, final_decided):
    doc = reopened(list_docx(final_list(final_decided)))
    headings = [v for k, v in blocks(doc) if k == "h"]
    assert headings == [f"{cn_number(i)}、{a.label}" for i, a in enumerate(final_year.rules.awards.values(), 1)]


def test_the_rows_with_the_names_exactly_as_written(final_decided):
    sections = by_heading(reopened(list_docx(final_list(final_decided)))).values()
    tables = [body[0][1] if body and body[0][0] == "t" else body for body in sections]
    assert tables[0] == [["序号", "单位名称", "先进集体名称"], ["1", "长沙开放大学", STAFF_COLLECTIVE]]
    assert tables[1] == [["序号", "单位名称", "先进集体名称"], ["1", "湘潭开放大学", PROFESSIONAL_COLLECTIVE]]
    assert tables[2] == [["序号", "单位名称", "先进个人姓名"], ["1", "长沙开放大学", HOSTILE_NOMINEE]]
    # 赵六 is pending: not in the list, and the award is not 无 but says it is open
    assert tables[3] == [("p", "待定 1 项：尚待评审结论或数据核实，未列入本名单")]
    assert tables[4] == [["序号", "单位名称"], ["1", HOSTILE_UNIT]]
    assert tables[5] == [("p", "无")]


def test_pending_entries_mark_the_list_and_are_not_in_it(final_year, final_decided):
    doc = reopened(list_docx(final_list(final_decided)))
    text = "\n".join(str(v) for _k, v in blocks(doc))
    head = [v for k, v in blocks(doc) if k == "p"][:2]
    assert head[0] == "2022年度全省开放大学办学体系\n培训工作拟表彰名单"  # two lines, broken between words
    assert head[1].startswith("尚有待定项：另有 1 项推荐") and "“待定”工作表" in head[1]
    assert "赵六" not in text and "李四" not in text
    done = reopened(list_docx(final_list(decide(final_year.evaluation, ALL_DECIDED))))
    assert "尚有待定项" not in "\n".join(str(v) for _k, v in blocks(done))
    assert "赵六" in "\n".join(str(v) for _k, v in blocks(done))


def test_the_workbook_and_its_pending_sheet(final_decided):
    wb = load_workbook(io.BytesIO(list_xlsx(final_list(final_decided))))
    assert wb.sheetnames == ["拟表彰名单", "待定"]
    rows = [list(r) for r in wb["拟表彰名单"].iter_rows(values_only=True)]
    assert rows == [
        ["奖项", "序号", "单位名称", "先进集体名称", "先进个人姓名"],
        ["事业单位工作人员培训先进集体", 1, "长沙开放大学", STAFF_COLLECTIVE, None],
        ["专业技术人员继续教育培训先进集体", 1, "湘潭开放大学", PROFESSIONAL_COLLECTIVE, None],
        ["事业单位工作人员培训先进个人", 1, "长沙开放大学", None, HOSTILE_NOMINEE],
        ["专业技术人员继续教育培训先进个人", None, "待定 1 项：尚待评审结论或数据核实，未列入本名单", None, None],
        ["事业单位工作人员培训创新创意奖", 1, HOSTILE_UNIT, None, None],
        ["专业技术人员继续教育培训创新创意奖", None, "无", None, None],
    ]
    pending = [list(r) for r in wb["待定"].iter_rows(values_only=True)]
    assert pending[0] == ["奖项", "序号", "单位名称", "先进集体名称", "先进个人姓名", "待定原因"]
    assert pending[1][:5] == ["专业技术人员继续教育培训先进个人", 1, "湘潭开放大学", None, "赵六"]
    assert "需评审人员审核" in pending[1][5] and len(pending) == 2
    assert wb["拟表彰名单"].freeze_panes == "A2"


def test_an_eligible_unit_that_did_not_apply_is_absent(final_decided):
    # 长沙 meets the professional collective's conditions but sent no nomination for it
    rows = list(load_workbook(io.BytesIO(list_xlsx(final_list(final_decided))))["拟表彰名单"].iter_rows(values_only=True))
    professional = [r for r in rows if r[0] == "专业技术人员继续教育培训先进集体"]
    assert [r[2] for r in professional] == ["湘潭开放大学"]
    section = by_heading(reopened(list_docx(final_list(final_decided))))["二、专业技术人员继续教育培训先进集体"]
    assert "长沙开放大学" not in str(section)


def test_no_phone_number_or_contact_anywhere(final_decided):
    assert all(n.contact_phone == NOMINEE_PHONE for n in final_decided.individual)  # the evaluation has them
    fl = final_list(final_decided)
    doc_text = str(blocks(reopened(list_docx(fl))))
    wb = load_workbook(io.BytesIO(list_xlsx(fl)))
    cells = str([list(ws.iter_rows(values_only=True)) for ws in wb])
    for text in (doc_text, cells):
        assert NOMINEE_PHONE not in text and "联系人甲" not in text and "负责人丙丁" not in text


def test_a_name_that_looks_like_a_formula_stays_text(final_decided):
    ev = copy.deepcopy(final_decided)
    next(n for n in ev.individual if n.outcome == "eligible").nominee = "=HYPERLINK(\"x\")"
    ws = load_workbook(io.BytesIO(list_xlsx(final_list(ev))))["拟表彰名单"]
    c = next(c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(\"x\")")
    assert c.data_type == "s" and c.quotePrefix


def test_the_documents_headings_are_in_heiti(final_decided):
    doc = reopened(list_docx(final_list(final_decided)))
    heading = next(p for p in doc.paragraphs if p.style.name == "Heading 2")
    fonts = heading.style.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    assert str(heading.style.font.color.rgb) == "000000"


def test_chinese_numbers():
    assert [cn_number(n) for n in (1, 6, 10, 12, 20, 21)] == ["一", "六", "十", "十二", "二十", "二十一"]
