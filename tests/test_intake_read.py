"""Reading a returned form: paragraphs and grids of cell texts, merged cells, nested
tables, symbol fonts, tracked changes, content controls, check box fields; and which
files cannot be read."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import docx_with_body, notice_form  # noqa: E402

from toolkit.intake import read  # noqa: E402
from toolkit.intake.read import UnreadableForm, read_form  # noqa: E402


def _p(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def _r(text: str, font: str | None = None) -> str:
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def test_notice_form_grid_has_merged_cells_once_per_row(tmp_path):
    doc = read_form(notice_form(tmp_path / "f.docx", 2, ticks=(None, "☑")))
    assert doc.paragraphs[0] == "附件2" and doc.paragraphs[-1] == "（请双面打印）"
    g = doc.grids[0]
    assert [c.text.strip() for c in g.rows[0]] == ["推荐类别"]
    boxes = g.rows[1]
    assert [(c.col, c.span) for c in boxes] == [(0, 2), (2, 2)]
    assert boxes[1].text == "☑事业单位工作人员培训先进个人"
    assert [c.text for c in g.rows[2]] == ["单位名称", "", "单位名称", ""]
    assert g.rows[3][0].text == "单位负责人"
    assert g.rows[5][0].text == "联系人姓名、\n\n职务、手机号码"  # line breaks kept


def test_vertical_merge_is_one_cell_and_grid_before_shifts(tmp_path):
    body = ('<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + _p(_r("主要事迹")) +
            '</w:tc><w:tc>' + _p(_r("甲")) + '</w:tc></w:tr>'
            '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>' + _p(_r("乙")) + '</w:tc></w:tr>'
            '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc>' + _p(_r("丙")) + '</w:tc></w:tr></w:tbl>')
    g = read_form(docx_with_body(tmp_path / "v.docx", body)).grids[0]
    assert g.rows[0][0] is g.rows[1][0] and g.rows[1][0].text == "主要事迹"
    assert [c.text for c in g.rows[1]] == ["主要事迹", "乙"]
    assert (g.rows[2][0].col, g.rows[2][0].text) == (1, "丙")
    assert len(list(g.cells())) == 4


def test_nested_table_is_its_own_grid_after_its_host(tmp_path):
    doc = read_form(notice_form(tmp_path / "n.docx", 6, container="nested"))
    assert len(doc.grids) == 2
    outer, inner = doc.grids
    assert outer.rows[0][0].text.strip() == ""  # the nested table's text is not the host cell's
    assert "专业技术人员继续教育培训创新创意" in inner.rows[1][0].text


@pytest.mark.parametrize("inner,expected", [
    ('<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>' + _r("A"), "☑A"),
    ('<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>' + _r("A"), "☑A"),
    ('<w:r><w:sym w:font="Wingdings" w:char="00A8"/></w:r>' + _r("A"), "□A"),
    (_r("R", "Wingdings 2") + _r("A"), "☑A"),
    ('<w:r><w:sym w:font="Symbol" w:char="F0D6"/></w:r>' + _r("A"), "√A"),
    (_r("T", "Wingdings 2") + _r("A"), "☒A"),
    (_r("R") + _r("A"), "RA"),  # an R in a text font is a letter
    (_r("甲") + '<w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:ins><w:r><w:t>增</w:t></w:r></w:ins>', "甲增"),
    (_r("a") + "<w:r><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>", "a\tb\nc"),
    ('<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt>' + _r("A"), "☒A"),
    ('<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>', "链接"),
    ('<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>一</w:t></w:r></mc:Choice>'
     '<mc:Fallback><w:r><w:t>一</w:t></w:r></mc:Fallback></mc:AlternateContent>', "一"),
    ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:default w:val="0"/>'
     '<w:checked/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>'
     '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + _r("A"), "☑A"),
    ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:default w:val="0"/>'
     '</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' + _r("A"), "□A"),
])
def test_paragraph_text(tmp_path, inner, expected):
    doc = read_form(docx_with_body(tmp_path / "p.docx", _p(inner)))
    assert doc.paragraphs == [expected]


def test_content_controls_around_cells_and_rows(tmp_path):
    body = ('<w:tbl><w:sdt><w:sdtContent><w:tr><w:sdt><w:sdtContent><w:tc>' + _p(_r("单位名称")) +
            '</w:tc></w:sdtContent></w:sdt><w:tc>' + _p(_r("长沙")) + '</w:tc></w:tr></w:sdtContent></w:sdt></w:tbl>')
    g = read_form(docx_with_body(tmp_path / "s.docx", body)).grids[0]
    assert [c.text for c in g.rows[0]] == ["单位名称", "长沙"]


def test_unreadable_files(tmp_path, monkeypatch):
    (tmp_path / "a.docx").write_bytes(b"\xd0\xcf\x11\xe0 an old .doc")
    with pytest.raises(UnreadableForm, match="not a .docx package"):
        read_form(tmp_path / "a.docx")
    with zipfile.ZipFile(tmp_path / "b.docx", "w") as z:
        z.writestr("other.txt", "x")
    with pytest.raises(UnreadableForm, match="no document part"):
        read_form(tmp_path / "b.docx")
    with zipfile.ZipFile(tmp_path / "c.docx", "w") as z:
        z.writestr("word/document.xml", "<a><b></a>")
    with pytest.raises(UnreadableForm, match="not well-formed"):
        read_form(tmp_path / "c.docx")
    with zipfile.ZipFile(tmp_path / "d.docx", "w") as z:
        z.writestr("word/document.xml", '<x:document xmlns:x="urn:other"/>')
    with pytest.raises(UnreadableForm, match="not a Word document"):
        read_form(tmp_path / "d.docx")
    path = notice_form(tmp_path / "e.docx")
    monkeypatch.setattr(read, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(UnreadableForm, match="more than a form holds"):
        read_form(path)


def test_entities_are_not_expanded(tmp_path):
    xml = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           f'<w:document xmlns:w="{read._NS_TRANSITIONAL}"><w:body><w:p><w:r><w:t>&e;x</w:t></w:r></w:p>'
           '</w:body></w:document>')
    with zipfile.ZipFile(tmp_path / "x.docx", "w") as z:
        z.writestr("word/document.xml", xml)
    doc = read_form(tmp_path / "x.docx")
    assert "root" not in "".join(doc.paragraphs)


def _span_table(span: str = "", before: str = "") -> str:
    trpr = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before else ""
    tcpr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else ""
    return (f'<w:tbl><w:tr>{trpr}<w:tc>{tcpr}' + _p(_r("单位名称")) + '</w:tc><w:tc>' + _p(_r("长沙")) +
            '</w:tc></w:tr></w:tbl>')


@pytest.mark.parametrize("span,before,cols", [("2.0", "", [0, 2]), (" 3 ", "", [0, 3]), ("2", "1.0", [1, 3]),
                                               ("0", "-1", [0, 1])])
def test_a_span_written_as_a_decimal_is_read(tmp_path, span, before, cols):
    """gridSpan / gridBefore as some writers put them (``2.0``, spaces, 0 or below)."""
    g = read_form(docx_with_body(tmp_path / "s.docx", _span_table(span, before))).grids[0]
    assert [c.col for c in g.rows[0]] == cols and [c.text for c in g.rows[0]] == ["单位名称", "长沙"]


@pytest.mark.parametrize("span,before", [("two", ""), ("", "x"), ("2.5", ""), ("1e9999", "")])
def test_a_span_that_is_no_number_is_unreadable(tmp_path, span, before):
    path = docx_with_body(tmp_path / "s.docx", _span_table(span, before))
    with pytest.raises(UnreadableForm, match="gridSpan|gridBefore"):
        read_form(path)
