"""Reading a returned form: paragraphs and grids of cell texts, merged cells, nested
tables, symbol fonts, tracked changes, content controls, check box fields; and which
files cannot be read."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import docx_with_body, docx_with_parts, notice_form  # noqa: E402

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
    ('<w:r><w:sym w:font="Arial" w:char="001B"/><w:sym w:font="Symbol" w:char="F007"/>'
     '<w:sym w:char="D800"/><w:sym w:char="FFFFFFFF"/></w:r>' + _r("A"), "A"),  # no control, no half pair
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


@pytest.mark.parametrize("prolog,text", [
    ('<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "谭&e;湘楠"),
    ('<!DOCTYPE d [<!ENTITY e "湘">]>', "谭&e;楠"),  # an internal entity: the name was cut to 谭
    ('<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', "&b;"),
    ("<!DOCTYPE d>", "谭湘楠"),
])
def test_a_part_that_declares_a_doctype_is_unreadable(tmp_path, prolog, text):
    path = docx_with_body(tmp_path / "x.docx", _p(_r(text)), prolog=prolog)
    with pytest.raises(UnreadableForm, match="declares a DOCTYPE"):
        read_form(path)


def test_a_doctype_in_another_part_is_unreadable(tmp_path):
    rels = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    path = docx_with_parts(tmp_path / "x.docx", {"_rels/.rels": rels}, src=notice_form(tmp_path / "f.docx"))
    with pytest.raises(UnreadableForm, match="_rels/.rels declares a DOCTYPE"):
        read_form(path)


def _hidden(text: str, val: str = "") -> str:
    v = f' w:val="{val}"' if val else ""
    return f'<w:r><w:rPr><w:vanish{v}/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _styled(text: str, style: str) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


_STYLES = ('<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr>'
           '</w:style><w:style w:type="character" w:styleId="Child"><w:basedOn w:val="Secret"/></w:style>'
           '<w:style w:type="character" w:styleId="Shown"><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>'
           '<w:style w:type="paragraph" w:styleId="HiddenPara"><w:rPr><w:vanish/></w:rPr></w:style>'
           '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>')


@pytest.mark.parametrize("paragraph,expected", [
    (_p(_r("谭") + _hidden("某") + _r("湘楠")), ["谭湘楠"]),  # a hidden character in a name
    (_p(_hidden("☑") + _r("□事业单位工作人员培训先进个人")), ["□事业单位工作人员培训先进个人"]),  # a hidden tick
    (_p(_hidden("可见", "0") + _hidden("也可见", "false") + _hidden("藏", "on")), ["可见也可见"]),
    (_p(_styled("藏", "Secret") + _styled("也藏", "Child") + _styled("见", "Shown")), ["见"]),  # by its style
    ('<w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr>' + _r("藏") + _styled("见", "Secret") + "</w:p>",
     ["见"]),  # a paragraph style that hides its runs; a character style that hides too toggles it back
    ('<w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr>' + _r("藏") + "</w:p>" + _p(_r("见")), ["见"]),
    (_p(_r("见") + '<w:r><w:rPr><w:vanish/></w:rPr><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>'), ["见"]),
    (_p(_hidden("一整句藏起来的话。")) + _p(_r("见")), ["", "见"]),  # its mark shows: an empty line
    ('<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>' + _hidden("整段藏起。") + "</w:p>" + _p(_r("见")), ["见"]),
    (_p('<w:r><w:rPr><w:webHidden/></w:rPr><w:t>网页中隐藏</w:t></w:r>'), ["网页中隐藏"]),  # Word shows it
])
def test_hidden_text_is_not_read(tmp_path, paragraph, expected):
    doc = read_form(docx_with_body(tmp_path / "h.docx", paragraph, _STYLES))
    assert doc.paragraphs == expected


def test_a_hidden_default_run_style_hides_what_no_style_shows(tmp_path):
    styles = '<w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault></w:docDefaults>' + _STYLES
    doc = read_form(docx_with_body(tmp_path / "h.docx", _p(_r("藏") + _styled("见", "Shown")), styles))
    assert doc.paragraphs == ["见"]


def _control(inner: str, placeholder: str = "") -> str:
    shows = f"<w:showingPlcHdr{placeholder}/>" if placeholder is not None else ""
    return (f'<w:sdt><w:sdtPr><w:alias w:val="姓名"/><w:placeholder><w:docPart w:val="DefaultPlaceholder"/>'
            f"</w:placeholder>{shows}</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>")


@pytest.mark.parametrize("cell,expected", [
    (_p(_control(_r("单击或点击此处输入文字。"))), ""),  # a run-level control showing its placeholder
    (_control(_p(_r("单击或点击此处输入文字。"))), ""),  # a block-level one
    (_p(_control(_r("谭湘楠"), None)), "谭湘楠"),  # a name entered
    (_p(_control(_r("谭湘楠"), ' w:val="0"')), "谭湘楠"),
])
def test_a_content_controls_placeholder_is_empty(tmp_path, cell, expected):
    body = '<w:tbl><w:tr><w:tc>' + _p(_r("先进个人姓名")) + f"</w:tc><w:tc>{cell}</w:tc></w:tr></w:tbl>"
    g = read_form(docx_with_body(tmp_path / "c.docx", body)).grids[0]
    assert [c.text for c in g.rows[0]] == ["先进个人姓名", expected]


def test_a_row_inside_a_control_showing_its_placeholder_reads_empty(tmp_path):
    body = ('<w:tbl>' + _control('<w:tr><w:tc>' + _p(_r("占位")) + '</w:tc></w:tr>') +
            '<w:tr><w:tc>' + _p(_r("见")) + '</w:tc></w:tr></w:tbl>')
    g = read_form(docx_with_body(tmp_path / "c.docx", body)).grids[0]
    assert [[c.text for c in row] for row in g.rows] == [[""], ["见"]]


def _understated(path: Path, part: str, size: int) -> Path:
    """``path`` with the zip directory's (and local header's) size of ``part`` set to
    ``size``: the part inflates to much more than its directory says."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    central = data.index(b"PK\x01\x02")
    while True:
        n = int.from_bytes(data[central + 28:central + 30], "little")
        extra = int.from_bytes(data[central + 30:central + 32], "little")
        comment = int.from_bytes(data[central + 32:central + 34], "little")
        if bytes(data[central + 46:central + 46 + n]) == name:
            data[central + 24:central + 28] = size.to_bytes(4, "little")
            local = int.from_bytes(data[central + 42:central + 46], "little")
            data[local + 22:local + 26] = size.to_bytes(4, "little")
            break
        central += 46 + n + extra + comment
    path.write_bytes(bytes(data))
    return path


def test_a_part_whose_directory_understates_it_is_inflated_in_small_steps(tmp_path):
    """A zip bomb: the directory says 1 KB, the part inflates to 100 MB. It is refused
    as unreadable, and reading it never holds more than a little of it in memory."""
    import tracemalloc

    body = _p(_r("谭湘楠")) + "<w:p/>" * (100 * 1024 * 1024 // 6)
    path = _understated(docx_with_body(tmp_path / "bomb.docx", body), "word/document.xml", 1024)
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableForm):
            read_form(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024


def test_the_bytes_inflated_are_capped_for_the_whole_form(tmp_path, monkeypatch):
    from toolkit.intake import package

    monkeypatch.setattr(package, "MAX_PACKAGE_BYTES", 2000)
    with pytest.raises(UnreadableForm, match="parts inflate to more than 2000 bytes"):
        read_form(notice_form(tmp_path / "f.docx"))


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
